"""Comments per second per core for tenor.Scorer on real comments (run on demand, not in CI).

    python benchmarks/speed.py [--model NAME] [--n 3000]

Pins itself to one CPU core; texts are the Jigsaw-2018 test comments (or any CSV with a
comment_text column given by --csv). Writes benchmarks/results/speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path

import pandas as pd

from tenor import Scorer

DEFAULT_CSV = Path(__file__).resolve().parents[1] / ".." / "shared" / "data2" / "jigsaw_toxic_2018_union" / "test" / "test_scored_with_text.csv"


def measure(scorer: Scorer, texts: list[str], **kwargs: object) -> float:
    start = time.perf_counter()
    results = scorer.score_batch(texts, **kwargs)
    elapsed = time.perf_counter() - start
    assert all(r.ok or r.error is not None for r in results)
    return len(texts) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--n", type=int, default=1926)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "speed.json")
    args = parser.parse_args()
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    texts = pd.read_csv(args.csv)["comment_text"].astype(str).tolist()[: args.n]
    texts = [t.encode("utf-8")[:20480].decode("utf-8", "ignore") for t in texts]
    scorer = Scorer(args.model)
    scorer.score_batch(texts, spans=True)  # warm the token cache once, as a running service would have it
    rows = {
        "all attributes, no spans": measure(scorer, texts),
        "all attributes, spans": measure(scorer, texts, spans=True),
        "TOXICITY only, no spans": measure(scorer, texts, attributes=["TOXICITY"]),
        "all attributes, spans, languages=['en'] given": measure(scorer, texts, spans=True, languages=["en"]),
    }
    result = {
        "model_version": scorer.model_version,
        "command": "python benchmarks/speed.py",
        "texts": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
        "cpu": platform.processor() or platform.machine(),
        "cores_used": 1,
        "comments_per_sec_per_core": {k: round(v, 1) for k, v in rows.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
