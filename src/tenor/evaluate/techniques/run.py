"""The "techniques" set of `tenor eval`: the persuasion-technique model on the SemEval-2023 Task 3
subtask-3 English dev split, which holds the gold labels of the SemEval-2020 PTC test articles.

Measures are the official ones (tenor.metrics.techniques, which training reports too): paragraph
micro/macro-F1 over the 23 techniques, and the SemEval-2020 span identification F1. Every labelled
(article, line) row is one paragraph: the model is asked for exactly those lines, one call per
article with its whole text.
dev is for measuring only: nothing here chooses a threshold or anything else by it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..._errors import TenorError
from ...datasets.techniques import TechniqueCorpus, load_technique_split
from ...metrics.techniques import paragraph_f1, span_f1, span_f1_by_technique
from ...techniques import TECHNIQUES, load_technique_model
from .. import metrics

__all__ = [
    "DESCRIPTION", "FLOORS", "SET_NAME", "evaluate_techniques", "files_read", "find_root", "load_model", "measure",
    "missing_reason", "run_techniques",
]  # fmt: skip

SET_NAME = "techniques"
# gate floor -> where its number sits in the "techniques" entry
FLOORS = {"techniques_micro_f1": ("paragraph", "micro_f1"), "techniques_span_f1": ("span", "f1")}
CORPUS = "semeval2023_task3_en"
SPLIT = "dev"
DESCRIPTION = (
    "SemEval-2023 Task 3 subtask 3, English dev split (the gold labels of the SemEval-2020 PTC test "
    "articles; the 2023 test set is not staged here)"
)


def find_root(dirs: list[Path]) -> Path | None:
    """The corpus folder (…/semeval2023_task3_en) under the first data folder that stages its dev split."""
    for d in dirs:
        if (d / CORPUS / SPLIT / f"{SPLIT}-articles-subtask-3").is_dir():
            return d / CORPUS
    return None


def missing_reason(dirs: list[Path]) -> str:
    return f"{CORPUS}/{SPLIT} not found under {', '.join(map(str, dirs))}"


def files_read(root: Path) -> list[Path]:
    """The files load_technique_split reads for dev, for eval.json's SHA-256 list."""
    base = root / SPLIT
    return [
        *sorted((base / f"{SPLIT}-articles-subtask-3").glob("article*.txt")),
        base / f"{SPLIT}-labels-subtask-3.txt",
        *sorted((base / f"{SPLIT}-labels-subtask-3-spans").glob("*.txt")),
    ]


def load_model(name_or_path: Any) -> Any:
    """A technique model by version or folder (None: the shipped one); an object that already has
    `find` is used as it is (library callers and tests hand in a loaded model)."""
    if not isinstance(name_or_path, (str, Path, type(None))):  # str has a `find` of its own
        return name_or_path
    return load_technique_model(name_or_path)


def _predict(
    model: Any, corpus: TechniqueCorpus
) -> tuple[dict[tuple[str, int], set[str]], list[tuple[str, str, int, int]]]:
    rows: dict[str, list[int]] = defaultdict(list)
    for labelled, line in sorted(corpus.paragraphs):
        rows[labelled].append(line)
    known = set(TECHNIQUES)
    labels: dict[tuple[str, int], set[str]] = {}
    spans: list[tuple[str, str, int, int]] = []
    for article_id in sorted(corpus.articles):
        article = corpus.articles[article_id]
        lines = rows.get(article_id, [])
        # an article without labelled rows is still read: its gold spans count for span F1
        found = model.find(article.text, paragraphs=[article.lines[n - 1] for n in lines])
        if len(found.paragraphs) != len(lines):
            raise TenorError(
                f"the technique model returned {len(found.paragraphs)} paragraphs for the {len(lines)} asked in article {article_id}"
            )
        for n, paragraph in zip(lines, found.paragraphs):
            labels[(article_id, n)] = {name for name, _ in paragraph.techniques if name in known}
        spans += [(article_id, s.technique, s.begin, s.end) for s in found.spans]
    return labels, spans


def _r(x: float) -> float:
    return round(float(x), 4)


def micro_f1_ci(
    gold: Mapping[tuple[str, int], frozenset[str]],
    predicted: Mapping[tuple[str, int], set[str]],
    *,
    n: int = metrics.BOOTSTRAP_SAMPLES,
    seed: int = 0,
) -> tuple[float, float] | None:
    """Percentile 95% interval of paragraph micro-F1 over resamples of the articles (the rows of one
    article are not independent). Micro-F1 pools counts, so a resample's score is exact from the
    per-article tp/fp/fn sums."""
    known = set(TECHNIQUES)
    by_article: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(3))
    for key, labels in gold.items():
        g, p = set(labels) & known, predicted.get(key, set()) & known
        by_article[key[0]] += (len(g & p), len(p - g), len(g - p))
    if not by_article:
        return None
    counts = np.stack([by_article[a] for a in sorted(by_article)])
    idx = np.random.default_rng(seed).integers(0, len(counts), (n, len(counts)))
    tp, fp, fn = counts[idx].sum(axis=1).T
    denominator = 2 * tp + fp + fn
    f1 = np.divide(
        2 * tp, denominator, out=np.ones_like(tp), where=denominator > 0
    )  # zero_division=1, as officially
    return float(np.percentile(f1, 2.5)), float(np.percentile(f1, 97.5))


def evaluate_techniques(model: Any, corpus: TechniqueCorpus, *, bootstrap: bool = True) -> dict[str, Any]:
    """The "techniques" entry of eval.json for one model on one corpus split."""
    predicted, predicted_spans = _predict(model, corpus)
    para = paragraph_f1(corpus.paragraphs, predicted, TECHNIQUES)
    gold_spans = [(s.article, s.technique, s.begin, s.end) for s in corpus.spans]
    si = span_f1([(a, b, e) for a, _, b, e in gold_spans], [(a, b, e) for a, _, b, e in predicted_spans])
    by_technique = span_f1_by_technique(gold_spans, predicted_spans, TECHNIQUES)
    paragraph: dict[str, Any] = {
        k: _r(para[k]) for k in ("micro_f1", "micro_precision", "micro_recall", "macro_f1", "macro_present")
    }
    if bootstrap:
        ci = micro_f1_ci(corpus.paragraphs, predicted)
        paragraph["micro_f1_ci95"] = [_r(ci[0]), _r(ci[1])] if ci else None
    per_technique = {}
    for t in TECHNIQUES:
        p, s = para["per_technique"][t], by_technique["per_technique"][t]
        per_technique[t] = {
            "support": p["support"], "predicted": p["predicted"],
            "precision": _r(p["precision"]), "recall": _r(p["recall"]), "f1": _r(p["f1"]),
            "gold_spans": s["gold_spans"], "predicted_spans": s["predicted_spans"],
            "span_precision": _r(s["precision"]), "span_recall": _r(s["recall"]), "span_f1": _r(s["f1"]),
        }  # fmt: skip
    aware = by_technique["all"]
    return {
        "description": DESCRIPTION,
        "model_version": getattr(model, "version", None),
        "articles": len(corpus.articles),
        "rows": len(corpus.paragraphs),
        "rows_with_technique": sum(1 for labels in corpus.paragraphs.values() if labels),
        "gold_spans": len(corpus.spans),
        "predicted_spans": len(predicted_spans),
        "techniques": len(TECHNIQUES),
        "paragraph": paragraph,
        "span": {
            "f1": _r(si["f1"]),
            "precision": _r(si["precision"]),
            "recall": _r(si["recall"]),
            "technique_aware": {
                "f1": _r(aware["f1"]),
                "precision": _r(aware["precision"]),
                "recall": _r(aware["recall"]),
            },
        },
        "per_technique": per_technique,
    }


def run_techniques(
    model: Any, root: Path, *, bootstrap: bool = True, log: Callable[[str], None] = print
) -> tuple[dict[str, Any], list[Path]]:
    """Load the model and dev split, measure; returns the eval.json entry and the files read."""
    loaded = load_model(model)
    corpus = load_technique_split(root, SPLIT)
    log(
        f"  {SET_NAME}: {len(corpus.articles)} articles, {len(corpus.paragraphs)} rows, {len(corpus.spans)} spans ({loaded.version})"
    )
    started = time.perf_counter()
    result = evaluate_techniques(loaded, corpus, bootstrap=bootstrap)
    log(
        f"  {SET_NAME}: micro-F1 {result['paragraph']['micro_f1']}, span F1 {result['span']['f1']} in {time.perf_counter() - started:.1f}s"
    )
    return result, files_read(root)


def measure(
    model: Any,
    root: Path,
    *,
    comment_model: Any = None,
    bootstrap: bool = True,
    log: Callable[[str], None] = print,
) -> tuple[dict[str, Any], list[Path]]:
    """The registry's entry point (tenor.evaluate.EVALUATIONS); the comment model plays no part."""
    return run_techniques(model, root, bootstrap=bootstrap, log=log)
