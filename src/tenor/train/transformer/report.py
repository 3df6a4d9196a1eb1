"""Markdown tables of a corpus report: what each source gave, and the corpus as a whole.

    python -m tenor.train.transformer.report [--terms all|permissive] [DATA_DIR ...]

(default DATA_DIRs: ../shared/data, data2, data3, data4 beside the working directory).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .corpus import Corpus, load_corpus
from .schema import ATTRIBUTES

__all__ = ["corpus_tables", "main"]

SHORT = {
    "TOXICITY": "TOX",
    "SEVERE_TOXICITY": "SEV",
    "IDENTITY_ATTACK": "IDA",
    "INSULT": "INS",
    "PROFANITY": "PRO",
    "THREAT": "THR",
    "DEHUMANIZATION": "DEH",
    "CALL_FOR_VIOLENCE": "CFV",
}


def _cell(positives: int, labelled: int) -> str:
    return f"{positives:,}/{labelled:,}" if labelled else "–"


def corpus_tables(corpus: Corpus) -> str:
    r: dict[str, Any] = corpus.report
    out = [
        f"terms={r['terms']}, seed={r['seed']}, balance={r['balance']}, max_per_source={r['max_per_source']}",
        "",
        "Per source (before the merge; attribute cells are positives (target >= 0.5) / labelled rows):",
        "",
        "| source | terms | read | unlabelled | in eval files | used | merged into an earlier row | "
        + " | ".join(SHORT[a] for a in ATTRIBUTES)
        + " |",
        "|---|---|---|---|---|---|---|" + "---|" * len(ATTRIBUTES),
    ]
    for name, e in r["sources"].items():
        cells = " | ".join(_cell(e["positives"][a], e["labelled"][a]) for a in ATTRIBUTES)
        out.append(
            f"| {name} | {e['terms']} | {e['read']:,} | {e['unlabelled'] + e['empty']:,} | {e['overlap_removed']:,} | "
            f"{e['used']:,} | {e.get('merged_into_earlier_row', 0):,} | {cells} |"
        )
    t = r["total"]
    out += [
        "",
        (
            f"Corpus: {t['rows']:,} rows ({r['merge']['duplicate_rows_merged']:,} duplicate rows merged; "
            f"{r['merge']['texts_in_several_sources']:,} texts held by several sources)."
        ),
        "",
        "| attribute | labelled | positives (>= 0.5) | negatives (< 0.5) | merge conflicts |",
        "|---|---|---|---|---|",
    ]
    for a in ATTRIBUTES:
        out.append(
            f"| {a} | {t['labelled'][a]:,} | {t['positives'][a]:,} | {t['labelled'][a] - t['positives'][a]:,} | "
            f"{r['merge']['conflicts'][a]:,} |"
        )
    if r["excluded_by_terms"]:
        out += [
            "",
            "Excluded by terms: " + ", ".join(f"{n} ({c})" for n, c in r["excluded_by_terms"].items()),
        ]
    return "\n".join(out)


def overlap_table(corpus: Corpus, top: int = 60) -> str:
    pairs = [(n, f, c) for n, e in corpus.report["sources"].items() for f, c in e["overlap"].items()]
    pairs.sort(key=lambda p: -p[2])
    lines = ["| training source | evaluation file | training rows matched |", "|---|---|---|"]
    lines += [f"| {n} | {f} | {c:,} |" for n, f, c in pairs[:top]]
    if len(pairs) > top:
        rest = sum(c for *_, c in pairs[top:])
        lines.append(f"| (other {len(pairs) - top} pairs) | | {rest:,} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--terms", default="all", choices=("all", "permissive"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--overlap", action="store_true", help="also list the (source, evaluation file) overlap counts"
    )
    args = parser.parse_args(argv)
    dirs = args.dirs or [Path("..") / "shared" / d for d in ("data", "data2", "data3", "data4")]
    corpus = load_corpus(dirs, terms=args.terms, seed=args.seed)
    print(corpus_tables(corpus))
    if args.overlap:
        print()
        print(overlap_table(corpus))


if __name__ == "__main__":
    main()
