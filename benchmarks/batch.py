"""End-to-end throughput of `tenor batch` with 1 and 2 local workers, and what 1 billion comments
would take (run on demand, never in CI: timings do not belong in unit tests).

    python benchmarks/batch.py [--rows 120000] [--repeats 3] [--workers 1,2] [--price-per-node-hour 0.68]

Measures, on this machine:

1. Input: the first --rows comments of the Jigsaw-2018 train set
   (../shared/data2/jigsaw_toxic_2018_union/train/train_union.csv, or --csv), written as JSONL
   {"id", "text"} into a temporary folder. The CSV has about 44,000 rows; past its end it is read
   again from the start, the repeated rows' ids suffixed "-2", "-3", ...
2. Throughput: the real CLI in a subprocess, `tenor batch input.jsonl --out out-wN.parquet
   --workers N -q --overwrite` (the `tenor` next to this interpreter), for each worker count in
   turn (1, 2, 1, 2, ...) --repeats times. Wall time is taken by this process from start to exit,
   so it includes interpreter start, model loading in the driver and in every worker, reading,
   scoring, writing the parts and the final merge. Per worker count: every run's seconds, median
   and best, rows/s; scaling against 1 worker (rate ratio, by medians and by bests) and its
   efficiency (scaling / workers). Every run's output (OUT and OUT.skipped.jsonl) must be
   byte-identical to the first run's: `outputs_identical` in the JSON.
3. Peak RSS: while a run goes on, a thread polls its process tree every 0.1 s
   (/proc/PID/task/*/children) and keeps each process's VmHWM from /proc/PID/status as last
   seen: the driver (the `tenor` process, which scores by itself with --workers 1), each pool
   worker, and helpers such as multiprocessing's resource tracker.
4. Machine facts, versions (tenor, model, Python, pyarrow) and the 1-minute load average before
   each run.
5. A projection for 1e9 comments on N nodes of C cores: hours = 1e9 / (r * C * N * e), r the
   median 1-worker rows/s, e the measured efficiency at the largest worker count (assumed to hold
   for every core of a node: not measured), and its cost at --price-per-node-hour (an assumed
   on-demand price for a 16-vCPU VM, scaled per core for smaller nodes).

Writes benchmarks/results/batch.json (--out-json) and the "Batch throughput" section of
docs/benchmarks.md between <!-- batch:begin --> and <!-- batch:end --> (appended when the
markers are absent; --no-docs to leave the docs alone; --render-only rewrites the section from
an existing JSON without measuring).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from batch_report import write_docs  # sibling script module

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
TRAIN_CSV = SHARED / "data2" / "jigsaw_toxic_2018_union" / "train" / "train_union.csv"
POLL_S = 0.1
BAR_SCALING = 1.8  # issue 7: >= 1.8x throughput from 1 to 2 local workers on the 2-core machine
PRICE_CORES = 16  # --price-per-node-hour is for a node of this many cores
PROJECTION_COMMENTS = 1_000_000_000
PROJECTION_NODES = (1, 10, 100)
PROJECTION_CORES = (16, 2)
# the summary line on stderr, e.g. "30,000 rows: 29,994 scored, 6 skipped; 30,000 this run in 21.5s (...)"
SUMMARY_LINE = re.compile(
    r"^(?P<rows>[\d,]+) rows: (?P<scored>[\d,]+) scored, (?P<skipped>[\d,]+) skipped; "
    r"(?P<this_run>[\d,]+) this run in (?P<duration>\S+) \((?P<rate>[\d,]+) rows/s, (?P<engine>\w+), "
    r"(?P<workers>\d+) workers?\)$"
)

Json = dict[str, Any]


# ---------------------------------------------------------------- input


def source_rows(path: Path) -> Iterator[tuple[str, str]]:
    csv.field_size_limit(1 << 30)
    with open(path, newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            yield record["id"], record["comment_text"]


def display_path(path: Path) -> str:
    """Relative to the repository when under its parent folder (../shared/...), else absolute."""
    path = path.resolve()
    return os.path.relpath(path, ROOT) if path.is_relative_to(ROOT.parent.resolve()) else str(path)


def build_input(csv_path: Path, rows: int, dest: Path) -> Json:
    """Write the first `rows` comments of `csv_path` to `dest` as JSONL, cycling through the CSV
    again (ids suffixed -2, -3, ...) when it has fewer rows."""
    source = list(source_rows(csv_path))
    if not source:
        raise SystemExit(f"{csv_path} has no rows")
    chars = 0
    with open(dest, "w", encoding="utf-8", newline="\n") as out:
        for i in range(rows):
            row_id, text = source[i % len(source)]
            cycle = i // len(source) + 1
            record = {"id": row_id if cycle == 1 else f"{row_id}-{cycle}", "text": text}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            chars += len(text)
    return {
        "source": display_path(csv_path),
        "source_rows": len(source),
        "rows": rows,
        "repeated_rows": max(0, rows - len(source)),
        "mean_chars": round(chars / rows, 1),
        "jsonl_bytes": dest.stat().st_size,
    }


# ---------------------------------------------------------------- machine and versions


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine() -> Json:
    return {
        "cpu": cpu_model(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "logical_cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def versions() -> Json:
    import tenor

    return {
        "tenor": tenor.__version__,
        "model": tenor.Scorer().model_version,
        "pyarrow": version("pyarrow"),
        "git_commit": git_commit(),
    }


def git_commit() -> str | None:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return head.stdout.strip() + (" (uncommitted changes)" if dirty.stdout.strip() else "")


# ---------------------------------------------------------------- process tree and peak RSS


def child_pids(pid: int) -> list[int]:
    """Children of every thread of `pid` (Linux CONFIG_PROC_CHILDREN); [] once it is gone."""
    out: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out.extend(int(c) for c in children.read_text().split())
        except OSError:
            continue
    return out


def process_tree(root: int) -> list[int]:
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(child_pids(pid))
    return out


def proc_kib(pid: int, file: str, field: str) -> int | None:
    """A "Field:   123 kB" line of /proc/PID/FILE, or None when the process is gone (or a zombie,
    which has no memory lines)."""
    try:
        text = Path(f"/proc/{pid}/{file}").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def vm_hwm_kib(pid: int) -> int | None:
    """Peak resident set of `pid` so far."""
    return proc_kib(pid, "status", "VmHWM")


def process_role(pid: int, root: int) -> str:
    if pid == root:
        return "driver"
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "other"
    if b"resource_tracker" in cmdline:
        return "resource_tracker"
    # pool workers are spawned (`spawn_main` in their command line) or forked from the driver
    # (the driver's own command line): either way, the driver's children
    return "worker" if b"spawn_main" in cmdline or child_of(pid) == root else "other"


def child_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def pss_kib(pid: int) -> int | None:
    """Proportional set size now: shared pages (a forked worker's model) split among sharers."""
    return proc_kib(pid, "smaps_rollup", "Pss")


class TreeWatcher(threading.Thread):
    """Polls the process tree of `root` every POLL_S seconds; `seen` maps each pid to its role and
    VmHWM (kB) as last read (VmHWM never falls, so the last reading is the peak up to then)."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.seen: dict[int, tuple[str, int]] = {}
        self.pss_peak: dict[int, int] = {}
        self.polls = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.poll()
            self._stop_event.wait(POLL_S)

    def poll(self) -> None:
        self.polls += 1
        for pid in process_tree(self.root):
            hwm = vm_hwm_kib(pid)
            if hwm is not None:  # a role read between fork and exec is corrected by the next poll
                self.seen[pid] = (process_role(pid, self.root), hwm)
                pss = pss_kib(pid)
                if pss is not None:
                    self.pss_peak[pid] = max(pss, self.pss_peak.get(pid, 0))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def peaks_mib(self) -> Json:
        by_role: dict[str, list[float]] = {}
        for role, kib in self.seen.values():
            by_role.setdefault(role, []).append(round(kib / 1024, 1))
        driver = by_role.pop("driver", [None])[0]
        worker_pss = sorted(
            round(self.pss_peak[pid] / 1024, 1) for pid, (role, _) in self.seen.items() if role == "worker" and pid in self.pss_peak
        )
        return {"driver": driver, "workers": sorted(by_role.pop("worker", [])), "workers_pss": worker_pss, "others": by_role}


# ---------------------------------------------------------------- one run


def sha256_file(path: Path) -> str | None:
    if not path.exists():
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parse_summary(stderr: str) -> Json:
    for line in stderr.splitlines():
        match = SUMMARY_LINE.match(line.strip())
        if match:
            fields = {k: v.replace(",", "") for k, v in match.groupdict().items()}
            return {
                "line": line.strip(),
                "rows": int(fields["rows"]),
                "scored": int(fields["scored"]),
                "skipped": int(fields["skipped"]),
                "rows_per_sec": int(fields["rate"]),
                "scoring_time": fields["duration"],
                "workers": int(fields["workers"]),
            }
    raise SystemExit(f"no summary line in tenor batch's stderr:\n{stderr[-2000:]}")


def run_once(cmd: list[str], log_dir: Path, label: str) -> tuple[float, int, TreeWatcher, Json]:
    """Start `cmd`, watch its process tree until it exits (reaped here with wait4, so the timing
    stops at the exit itself), and return wall seconds, exit code, the watcher and wait4's
    ru_maxrss (the largest single process of the tree, as a cross-check of the polling)."""
    stdout, stderr = log_dir / f"{label}.stdout", log_dir / f"{label}.stderr"
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        watcher = TreeWatcher(proc.pid)
        watcher.start()
        _, status, rusage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
    watcher.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, proc.returncode, watcher, {"ru_maxrss_mib": round(rusage.ru_maxrss / 1024, 1)}


def measure(
    tenor: Path, input_file: Path, work: Path, workers: int, chunk_rows: int | None, rows: int
) -> Json:
    out = work / f"out-w{workers}.parquet"
    cmd = [
        str(tenor),
        "batch",
        str(input_file),
        "--out",
        str(out),
        "--workers",
        str(workers),
        "-q",
        "--overwrite",
    ]
    if chunk_rows is not None:
        cmd += ["--chunk-rows", str(chunk_rows)]
    load = round(os.getloadavg()[0], 2)
    label = f"w{workers}-{time.monotonic_ns()}"
    seconds, code, watcher, wait4 = run_once(cmd, work, label)
    stderr = (work / f"{label}.stderr").read_text(encoding="utf-8", errors="replace")
    if code != 0:
        raise SystemExit(f"{shlex.join(cmd)} exited with {code}:\n{stderr[-2000:]}")
    cli = parse_summary(stderr)
    if cli["rows"] != rows or cli["scored"] + cli["skipped"] != rows:
        raise SystemExit(f"expected {rows:,} rows, tenor batch reported: {cli['line']}")
    return {
        "seconds": round(seconds, 3),
        "rows_per_sec": round(rows / seconds, 1),
        "loadavg_1min_before": load,
        "cli_summary": cli,
        "peak_rss_mib": {**watcher.peaks_mib(), **wait4},
        "polls": watcher.polls,
        "out_sha256": sha256_file(out),
        "skipped_sha256": sha256_file(out.with_name(out.name + ".skipped.jsonl")),
    }


# ---------------------------------------------------------------- statistics and projection


def summarize(workers: int, runs: list[Json], rows: int) -> Json:
    seconds = [r["seconds"] for r in runs]
    median, best = statistics.median(seconds), min(seconds)
    worker_peaks = [w for r in runs for w in r["peak_rss_mib"]["workers"]]
    return {
        "workers": workers,
        "runs": runs,
        "seconds": {"all": seconds, "median": round(median, 3), "best": round(best, 3)},
        "rows_per_sec": {"median": round(rows / median, 1), "best": round(rows / best, 1)},
        "peak_rss_mib": {
            "driver": max(r["peak_rss_mib"]["driver"] or 0.0 for r in runs),
            "worker_min": min(worker_peaks, default=None),
            "worker_max": max(worker_peaks, default=None),
            "worker_pss_max": max((w for r in runs for w in r["peak_rss_mib"]["workers_pss"]), default=None),
            "others": {
                role: max(v for r in runs for v in r["peak_rss_mib"]["others"].get(role, []))
                for role in sorted({k for r in runs for k in r["peak_rss_mib"]["others"]})
            },
        },
    }


def scaling(configs: dict[str, Json]) -> dict[str, Json]:
    base = configs["1"]["rows_per_sec"]
    out = {}
    for key, config in configs.items():
        n = config["workers"]
        if n == 1:
            continue
        by_median = config["rows_per_sec"]["median"] / base["median"]
        by_best = config["rows_per_sec"]["best"] / base["best"]
        out[key] = {
            "median": round(by_median, 3),
            "best": round(by_best, 3),
            "efficiency_median": round(by_median / n, 3),
            "efficiency_best": round(by_best / n, 3),
        }
    return out


def bar(scale: dict[str, Json], usable_cpus: int) -> Json | None:
    if "2" not in scale:
        return None
    return {
        "what": "issue 7: >= 1.8x throughput from 1 to 2 local workers on the 2-core machine",
        "threshold": BAR_SCALING,
        "met_by_median": scale["2"]["median"] >= BAR_SCALING,
        "met_by_best": scale["2"]["best"] >= BAR_SCALING,
        "measured_on_2_cores": usable_cpus == 2,
    }


def projection_rows(rate: float, efficiency: float, price_per_node_hour: float) -> list[Json]:
    rows = []
    for cores in PROJECTION_CORES:
        price = price_per_node_hour * cores / PRICE_CORES
        for nodes in PROJECTION_NODES:
            hours = PROJECTION_COMMENTS / (rate * cores * nodes * efficiency) / 3600
            rows.append({
                "cores_per_node": cores,
                "nodes": nodes,
                "hours": round(hours, 2),
                "node_hours": round(hours * nodes, 1),
                "price_per_node_hour_usd": round(price, 4),
                "cost_usd": round(hours * nodes * price, 2),
            })  # fmt: skip
    return rows


def projection(configs: dict[str, Json], scale: dict[str, Json], price_per_node_hour: float) -> Json:
    """Hours and cost of 1e9 comments from the median 1-worker rate and the efficiency measured at
    the largest worker count, both assumed to carry over to bigger nodes and to many nodes."""
    rate = configs["1"]["rows_per_sec"]["median"]
    at = max(scale, key=int) if scale else "1"
    efficiency = scale[at]["efficiency_median"] if scale else 1.0
    return {
        "comments": PROJECTION_COMMENTS,
        "formula": "hours = comments / (r * C * N * e) / 3600; "
        "cost = hours * N * price_per_node_hour * C / price_cores",
        "per_core_rows_per_sec": rate,
        "per_core_rate_from": "median end-to-end rows/s of the 1-worker runs",
        "efficiency_assumed": efficiency,
        "efficiency_measured_at_workers": int(at),
        "price_per_node_hour_usd": price_per_node_hour,
        "price_cores": PRICE_CORES,
        "price_note": (
            f"an assumption, not a quote: {price_per_node_hour} USD per hour for an on-demand "
            f"{PRICE_CORES}-vCPU cloud VM, scaled linearly per core for smaller nodes"
        ),
        "assumptions": [
            f"efficiency beyond {at} cores equals the efficiency measured at {at} workers (not measured)",
            "the rate per core is the end-to-end rate of a short run (start, model loading, merge included)",
            "nodes share nothing, so N nodes are N times as fast as one",
        ],
        "caveats_unmeasured": [
            (
                "the Ray engine's driver reads the inputs and ships every chunk to the actors, so its own "
                "throughput caps how many workers one driver can feed"
            ),
            "the local engine's driver likewise reads, chunks and stages everything and merges OUT alone",
        ],
        "rows": projection_rows(rate, efficiency, price_per_node_hour),
    }


def outputs_identical(configs: dict[str, Json]) -> bool:
    digests = {(r["out_sha256"], r["skipped_sha256"]) for c in configs.values() for r in c["runs"]}
    return len(digests) == 1 and next(iter(digests))[0] is not None


# ---------------------------------------------------------------- main


def log_run(repeat: int, repeats: int, workers: int, run: Json) -> None:
    rss = run["peak_rss_mib"]
    print(
        f"run {repeat}/{repeats}, {workers} worker(s): {run['seconds']:.1f} s, "
        f"{run['rows_per_sec']:,.0f} rows/s, "
        f"peak RSS driver {rss['driver']} MiB, workers {rss['workers']} MiB",
        file=sys.stderr,
        flush=True,
    )


def measure_all(args: argparse.Namespace, tenor: Path, work: Path) -> dict[str, Json]:
    input_file = work / "input.jsonl"
    runs: dict[int, list[Json]] = {n: [] for n in args.workers}
    for repeat in range(1, args.repeats + 1):  # interleaved: load from elsewhere hits every config alike
        for n in args.workers:
            run = measure(tenor, input_file, work, n, args.chunk_rows, args.rows)
            runs[n].append(run)
            log_run(repeat, args.repeats, n, run)
    return {str(n): summarize(n, runs[n], args.rows) for n in args.workers}


def benchmark(args: argparse.Namespace, tenor: Path) -> Json:
    from tenor.batch import DEFAULT_CHUNK_ROWS

    started = time.perf_counter()
    date = datetime.now(UTC).isoformat(timespec="seconds")
    info = versions()
    with tempfile.TemporaryDirectory(prefix="tenor-batch-bench-", dir=args.tmp_dir) as tmp:
        work = Path(tmp)
        data = build_input(args.csv, args.rows, work / "input.jsonl")
        print(f"input: {data['rows']:,} rows in {work / 'input.jsonl'}", file=sys.stderr, flush=True)
        configs = measure_all(args, tenor, work)
    scale = scaling(configs)
    facts = machine()
    cli = "tenor batch input.jsonl --out OUT/out-wN.parquet --workers N -q --overwrite"
    return {
        "command": "python " + shlex.join([os.path.relpath(__file__, ROOT), *sys.argv[1:]]),
        "cli_command": cli + (f" --chunk-rows {args.chunk_rows}" if args.chunk_rows else ""),
        "date_utc": date,
        "wall_seconds": round(time.perf_counter() - started, 1),
        "machine": facts,
        "versions": info,
        "engine": "local",
        "chunk_rows": args.chunk_rows or DEFAULT_CHUNK_ROWS,
        "input": data,
        "rows": args.rows,
        "repeats": args.repeats,
        "order": "worker counts interleaved: " + ", ".join(map(str, args.workers)) + ", ... per repeat",
        "timing": "wall seconds from process start to exit, taken by this benchmark (time.perf_counter)",
        "rss": (
            "MiB; VmHWM of each process in the run's tree, polled from /proc every 0.1 s, last reading kept. "
            "ru_maxrss_mib: wait4's figure for the driver, the largest single process of its tree"
        ),
        "configs": configs,
        "scaling": scale,
        "bar": bar(scale, facts["usable_cpus"]),
        "outputs_identical": outputs_identical(configs),
        "projection": projection(configs, scale, args.price_per_node_hour),
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows", type=int, default=120_000, help="input rows (the CSV is cycled past its end)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per worker count, interleaved")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts; must include 1")
    parser.add_argument(
        "--chunk-rows", type=int, default=None, help="passed to tenor batch [default: its own]"
    )
    parser.add_argument("--csv", type=Path, default=TRAIN_CSV, help="a CSV with id and comment_text columns")
    parser.add_argument(
        "--tmp-dir", type=Path, default=None, help="for the input and outputs [default: $TMPDIR]"
    )
    parser.add_argument(
        "--price-per-node-hour", type=float, default=0.68, help="USD for a 16-vCPU node (assumed)"
    )
    parser.add_argument("--out-json", type=Path, default=ROOT / "benchmarks" / "results" / "batch.json")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/benchmarks.md alone")
    parser.add_argument(
        "--render-only", action="store_true", help="measure nothing: rewrite the docs section from --out-json"
    )
    args = parser.parse_args()
    args.workers = sorted({int(w) for w in args.workers.split(",") if w.strip()})
    if 1 not in args.workers or min(args.workers) < 1:
        parser.error("--workers must include 1 (the baseline of scaling) and only positive counts")
    if args.rows < 1 or args.repeats < 1:
        parser.error("--rows and --repeats must be at least 1")
    return args


def check_prerequisites(csv_path: Path) -> Path:
    """The `tenor` executable to run, once the input CSV is known to be there."""
    if csv_path == TRAIN_CSV and not SHARED.is_dir():
        raise SystemExit(
            f"{SHARED.resolve()} is absent: this benchmark reads real comments from "
            f"../shared/data2/jigsaw_toxic_2018_union/train/train_union.csv (or pass --csv FILE)."
        )
    if not csv_path.is_file():
        raise SystemExit(f"{csv_path} not found (pass a CSV with id and comment_text columns via --csv).")
    tenor = Path(sys.executable).with_name("tenor")
    if not tenor.is_file():
        raise SystemExit(f"no `tenor` executable next to {sys.executable}: run this with the venv's python.")
    return tenor


def main() -> None:
    args = parse_args()
    if args.render_only:
        write_docs(json.loads(args.out_json.read_text(encoding="utf-8")), args.docs)
        print(f"rewrote the batch section of {args.docs}", file=sys.stderr)
        return
    result = benchmark(args, check_prerequisites(args.csv))
    args.out_json.parent.mkdir(parents=True, exist_ok=True)
    args.out_json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out_json}", file=sys.stderr)
    if not args.no_docs:
        write_docs(result, args.docs)
        print(f"wrote the batch section of {args.docs}", file=sys.stderr)
    summary = {k: c["rows_per_sec"] for k, c in result["configs"].items()}
    print(json.dumps({"rows_per_sec": summary, "scaling": result["scaling"], "bar": result["bar"],
                      "outputs_identical": result["outputs_identical"]}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
