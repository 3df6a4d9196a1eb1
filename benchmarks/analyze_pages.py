"""Time per page of `tenor analyze` with and without the persuasion-technique model (run on
demand, never in CI: timings do not belong in unit tests).

    python benchmarks/analyze_pages.py [--pages 40] [--comments 25,100] [--repeats 5]

Pages are built in memory from real text: the article of page i is the i-th SemEval-2023 English
*train* article (../shared/data/semeval2023_task3_en/train, title and paragraphs as in the file;
the dev split is not read), its comments the next C comments of the Jigsaw-2018 train set
(../shared/data2/jigsaw_toxic_2018_union/train/train_union.csv). Each page goes through
`tenor.analyze.analyze_page` in this process (model loading excluded, readers excluded: the same
work either way) with the shipped comment model and spans on, once with `techniques=None` (the
pipeline before issue 9) and once with the shipped technique model, alternating, --repeats times.
Per comment count: median over repeats of the mean seconds per page, both ways, and their ratio;
the technique model alone per article. Writes benchmarks/results/analyze_pages.json and the
"Analyze time per page" section of docs/benchmarks.md (between <!-- analyze:begin/end -->).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from tenor import Scorer, __version__, load_model
from tenor.analyze import Article, Comment, Page, analyze_page
from tenor.techniques import load_technique_model
from doc_sections import write_marked_section  # sibling script module

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ARTICLES = SHARED / "data" / "semeval2023_task3_en" / "train" / "train-articles-subtask-3"
COMMENTS = SHARED / "data2" / "jigsaw_toxic_2018_union" / "train" / "train_union.csv"
BEGIN, END = "<!-- analyze:begin -->", "<!-- analyze:end -->"


def build_pages(n_pages: int, n_comments: int) -> list[Page]:
    csv.field_size_limit(sys.maxsize)
    with COMMENTS.open(encoding="utf-8", newline="") as f:
        texts = [row["comment_text"] for row, _ in zip(csv.DictReader(f), range(n_pages * n_comments))]
    pages = []
    for i, path in enumerate(sorted(ARTICLES.glob("article*.txt"))[:n_pages]):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        comments = [Comment.from_paragraphs(f"c{j}", None, [t]) for j, t in enumerate(texts[i * n_comments : (i + 1) * n_comments])]
        pages.append(Page(source=path.name, format="raw", title=lines[0], article=Article.from_paragraphs(lines[1:]), comments=comments))
    return pages


def per_page(pages: list[Page], scorer: Scorer, techniques: Any) -> float:
    start = time.perf_counter()
    for page in pages:
        analyze_page(page, scorer, techniques=techniques)
    return (time.perf_counter() - start) / len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--comments", default="25,100")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out-json", type=Path, default=Path("benchmarks/results/analyze_pages.json"))
    parser.add_argument("--docs", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args()
    if not (ARTICLES.is_dir() and COMMENTS.is_file()):
        sys.exit(f"needs {ARTICLES} and {COMMENTS} (../shared beside the checkout)")
    scorer, technique_model = Scorer(load_model()), load_technique_model()
    results = []
    for n_comments in (int(c) for c in args.comments.split(",")):
        pages = build_pages(args.pages, n_comments)
        per_page(pages[:3], scorer, technique_model)  # warm caches both ways
        before, after = [], []
        for _ in range(args.repeats):
            before.append(per_page(pages, scorer, None))
            after.append(per_page(pages, scorer, technique_model))
        start = time.perf_counter()
        for page in pages:
            technique_model.find(page.article.text, [(p.start, p.end) for p in page.article.paragraphs])
        alone = (time.perf_counter() - start) / len(pages)
        b, a = statistics.median(before), statistics.median(after)
        results.append({
            "comments_per_page": n_comments, "pages": len(pages),
            "mean_article_chars": round(statistics.mean(len(p.article.text) for p in pages)),
            "seconds_per_page_without_techniques": [round(x, 5) for x in before],
            "seconds_per_page_with_techniques": [round(x, 5) for x in after],
            "median_without": round(b, 5), "median_with": round(a, 5), "ratio": round(a / b, 3),
            "technique_model_alone_per_article": round(alone, 5),
        })  # fmt: skip
        print(f"{n_comments} comments/page: {b * 1000:.1f} ms -> {a * 1000:.1f} ms per page (x{a / b:.2f}); "
              f"technique model alone {alone * 1000:.1f} ms per article")
    data = {
        "tenor": __version__, "model": scorer.model_version, "technique_model": technique_model.version,
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2), "command": "python " + " ".join(sys.argv), "results": results,
    }  # fmt: skip
    args.out_json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    write_docs(args.docs, data)


def write_docs(path: Path, data: dict[str, Any]) -> None:
    rows = "\n".join(
        f"| {r['comments_per_page']} | {r['pages']} | {r['mean_article_chars']:,} | {r['median_without'] * 1000:.1f} | "
        f"{r['median_with'] * 1000:.1f} | {r['ratio']:.2f} | {r['technique_model_alone_per_article'] * 1000:.1f} |"
        for r in data["results"]
    )
    section = f"""{BEGIN}
## Analyze time per page (persuasion techniques)

`python benchmarks/analyze_pages.py` ({data['command']}): real pages built in memory from
SemEval-2023 English train articles and Jigsaw-2018 train comments, analysed in process by
`tenor.analyze.analyze_page` (comment scores and spans for every comment), without and with the
technique model {data['technique_model']}, alternating; medians over the repeats. Comment model
{data['model']}, tenor {data['tenor']}, Python {data['python']}, {data['cpus']} CPUs, 1-minute load
{data['load_average_1min']} at the end. The bar (issue 9): with techniques at most 2x the time without.

| comments per page | pages | article chars (mean) | ms per page without | ms per page with | ratio | technique model alone, ms per article |
|---|---|---|---|---|---|---|
{rows}
{END}"""
    write_marked_section(path, BEGIN, END, section)


if __name__ == "__main__":
    main()
