"""Sustained load on `tenor serve` over loopback HTTP (run on demand, not in CI).

    python benchmarks/serve_load.py [--duration 10] [--connections 1,10,100] [--workers 1,2] [--n 2000]
                                    [--model fast] [--out FILE]

For each --workers count, starts `tenor serve --workers N` (shipped model, --db :memory:) in a subprocess, then drives it from a
separate process: `wrk` with a Lua script that cycles through real comments as POST bodies
(apt-get install wrk), else an asyncio httpx load generator in a child process. Texts are the
Jigsaw-2018 test comments under ../shared when present, else examples/comments.txt. For each of
TOXICITY-only and all-attributes requests and each connection count it records requests/s,
p50/p99 latency and non-2xx count; the server's peak RSS is VmHWM from /proc/PID/status, per
process and summed over the uvicorn supervisor and its workers.
Writes benchmarks/results/serve_load.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
JIGSAW = ROOT / ".." / "shared" / "data2" / "jigsaw_toxic_2018_union" / "test" / "test_scored_with_text.csv"
EXAMPLES = ROOT / "examples" / "comments.txt"
ATTRIBUTES = ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"]
PATH = "/v1alpha1/comments:analyze"

WRK_LUA = r"""
local bodies = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  i = math.random(#bodies)
end
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"mean_us": %.1f, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.status, e.connect + e.read + e.write + e.timeout))
end
"""

HTTPX_DRIVER = r"""
import asyncio, json, sys, time
import httpx
url, bodies_file, connections, duration = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
bodies = open(bodies_file, encoding="utf-8").read().splitlines()
lat, bad = [], 0
async def worker(k, client, stop):
    global bad
    i = k
    while time.perf_counter() < stop:
        i = (i + 1) % len(bodies)
        t = time.perf_counter()
        r = await client.post(url, content=bodies[i], headers={"Content-Type": "application/json"})
        lat.append(time.perf_counter() - t)
        bad += r.status_code != 200
async def main():
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(k, client, start + duration) for k in range(connections)))
        elapsed = time.perf_counter() - start
    lat.sort()
    q = lambda p: int(lat[min(len(lat) - 1, int(p * len(lat)))] * 1e6)
    print("WRK_JSON " + json.dumps({"requests": len(lat), "duration_us": int(elapsed * 1e6), "p50_us": q(0.5),
          "p90_us": q(0.9), "p99_us": q(0.99), "max_us": q(1.0), "mean_us": sum(lat) / len(lat) * 1e6,
          "non_2xx": bad, "socket_errors": 0}))
asyncio.run(main())
"""


def server_stack() -> dict:
    """What uvicorn's "auto" loop and HTTP parser pick in this environment."""
    import importlib.metadata as md
    import importlib.util

    def version(name: str) -> str | None:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return None

    return {"uvicorn": version("uvicorn"), "fastapi": version("fastapi"), "starlette": version("starlette"),
            "loop": "uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
            "http": "httptools" if importlib.util.find_spec("httptools") else "h11"}


def load_texts(n: int) -> tuple[list[str], str]:
    if JIGSAW.is_file():
        with JIGSAW.open(encoding="utf-8", newline="") as f:
            texts = [row["comment_text"] for row in csv.DictReader(f) if row["comment_text"].strip()]
        return texts[:n], os.path.relpath(JIGSAW, ROOT.parent)
    lines = [line.strip() for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines, str(EXAMPLES.relative_to(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (uvicorn's supervisor and worker processes)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_rss_mb(pid: int) -> dict:
    per = {}
    for p in process_tree(pid):
        try:
            per[p] = vm_hwm_mb(p)
        except (OSError, RuntimeError):
            pass
    return {"total": round(sum(per.values()), 1), "largest_process": round(max(per.values()), 1),
            "processes": len(per)}


def drive(tool: str, url: str, bodies_file: str, lua_file: str, connections: int, duration: float) -> dict:
    if tool == "wrk":
        cmd = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{max(1, round(duration))}s", "--timeout", "10s",
               "-s", lua_file, url, "--", bodies_file]
    else:
        cmd = [sys.executable, "-c", HTTPX_DRIVER, url, bodies_file, str(connections), str(duration)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    raw = json.loads(next(line for line in out.splitlines() if line.startswith("WRK_JSON "))[9:])
    seconds = raw["duration_us"] / 1e6
    return {
        "connections": connections,
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "requests_per_s": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "non_2xx": raw["non_2xx"],
        "socket_errors": raw["socket_errors"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before each run, not measured")
    parser.add_argument("--connections", default="1,10,100", help="comma-separated concurrent clients")
    parser.add_argument("--workers", default="1,2", help="comma-separated `tenor serve --workers` counts")
    parser.add_argument("--n", type=int, default=2000, help="at most this many distinct comments")
    parser.add_argument("--tool", choices=["auto", "wrk", "httpx"], default="auto")
    parser.add_argument("--model", default=None, help="`tenor serve --model` (default: the shipped default engine)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "serve_load.json")
    args = parser.parse_args()
    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "httpx")
    connections = [int(c) for c in args.connections.split(",")]
    workers = [int(w) for w in args.workers.split(",")]
    texts, source = load_texts(args.n)

    tenor = Path(sys.executable).with_name("tenor")
    results, rss = [], {}
    model_version = None
    with tempfile.TemporaryDirectory() as tmp:
        lua_file = os.path.join(tmp, "post.lua")
        Path(lua_file).write_text(WRK_LUA)
        bodies = {}
        for label, attributes in (("TOXICITY only", ["TOXICITY"]), ("all 6 attributes", ATTRIBUTES)):
            bodies[label] = os.path.join(tmp, f"bodies-{len(attributes)}.jsonl")
            with open(bodies[label], "w", encoding="utf-8") as f:
                for text in texts:
                    body = {"comment": {"text": text}, "requestedAttributes": {a: {} for a in attributes},
                            "languages": ["en"], "doNotStore": True}
                    f.write(json.dumps(body, ensure_ascii=False) + "\n")
        for n_workers in workers:
            port = free_port()
            server = subprocess.Popen([str(tenor), "serve", "--host", "127.0.0.1", "--port", str(port),
                                       "--db", ":memory:", "--workers", str(n_workers),
                                       *(["--model", args.model] if args.model else [])],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            base = f"http://127.0.0.1:{port}"
            try:
                deadline = time.monotonic() + 90
                while True:
                    try:
                        health = httpx.get(f"{base}/healthz", timeout=1)
                        if health.status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("tenor serve did not start")
                    time.sleep(0.2)
                if n_workers > 1:
                    time.sleep(5)  # the other workers are still loading the model
                model_version = health.headers.get("X-Tenor-Model-Version")
                rss_idle = tree_rss_mb(server.pid)
                for label, bodies_file in bodies.items():
                    for c in connections:
                        drive(tool, base + PATH, bodies_file, lua_file, c, args.warmup)
                        row = drive(tool, base + PATH, bodies_file, lua_file, c, args.duration)
                        row = {"workers": n_workers, "request": label, **row}
                        results.append(row)
                        print(json.dumps(row), flush=True)
                rss[f"workers={n_workers}"] = {"after_start": rss_idle, "peak_vmhwm": tree_rss_mb(server.pid)}
            finally:
                server.terminate()
                server.wait(timeout=30)

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    report = {
        "command": "python " + " ".join([os.path.relpath(__file__, ROOT), *sys.argv[1:]]),
        "server_command": "tenor serve --host 127.0.0.1 --port PORT --db :memory: --workers N"
        + (f" --model {args.model}" if args.model else ""),
        "uvicorn": server_stack(),
        "load_tool": "wrk -t 1 (Lua script cycling POST bodies)" if tool == "wrk" else "asyncio httpx (child process)",
        "model_version": model_version,
        "texts": len(texts),
        "text_source": source,
        "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
        "request_shape": {"languages": ["en"], "doNotStore": True, "spanAnnotations": False},
        "machine": {"cpu": cpu, "logical_cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(),
                    "note": "server and load generator share these CPUs"},
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "server_rss_mb": rss,
        "runs": results,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
