"""The comment model on the hate-speech test sets (tenor.evaluate.hate_sets.data): each set scored
through a tenor.Scorer with only the attributes both the set labels and the scorer scores, and
reported per set and attribute: rows, positives, ROC-AUC with a bootstrap 95% interval (1,000
resamples, seed 0), macro-F1 at the model's operating threshold and ECE (label_metrics, as for the
toxicity sets). A set that is not staged, or an attribute the model does not score (the n-gram
model has no DEHUMANIZATION or CALL_FOR_VIOLENCE), is reported as skipped with its reason.

The bar of issue 18 is reported, not gated: on the Gab Hate Corpus test, CALL_FOR_VIOLENCE and
DEHUMANIZATION (hd) ROC-AUC >= 0.85 each. The sets are for measuring only: never train, tune or
pick a threshold on them.

Usage: `evaluate_hate_sets(tenor.Scorer(multilingual=False), [Path("../shared/data4")])`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..metrics import label_metrics
from ..sets import EvalSet
from .data import LOADERS, RELATIVE, is_staged

__all__ = [
    "BAR", "DESCRIPTION", "FLOORS", "LOG_NAME", "SET_NAME", "evaluate_hate_sets", "evaluate_set", "find_data", "load_model",
    "measure", "meets_bar", "missing_reason", "score_texts", "unavailable_reason",
]  # fmt: skip

Log = Callable[[str], None]

SET_NAME = "hate_sets"
LOG_NAME = "hate sets"
DESCRIPTION = (
    "the comment model on the hate-speech test sets (Gab Hate Corpus, EDOS, DynaHate, HatemojiBuild), "
    "each scored with the attributes its labels name and the model scores; evaluation only, never trained on"
)
# issue 18: (set, attribute) -> the ROC-AUC the comment model should reach
BAR: dict[tuple[str, str], float] = {
    ("gab_hate_corpus", "CALL_FOR_VIOLENCE"): 0.85,
    ("gab_hate_corpus", "DEHUMANIZATION"): 0.85,
}


def score_texts(
    scorer: Any, texts: Sequence[str], attributes: Sequence[str], *, batch_size: int = 256
) -> tuple[dict[str, np.ndarray], int]:
    """(attribute -> score per text, how many texts the scorer refused). Every text is declared
    English where the scorer knows English; a refused text (empty, over the size limit) counts as
    scored 0, as on the toxicity sets: it is not hidden."""
    languages = ["en"] if "en" in tuple(getattr(scorer, "languages", ())) else None
    out = {a: np.zeros(len(texts)) for a in attributes}
    refused = 0
    for start in range(0, len(texts), batch_size):
        batch = list(texts[start : start + batch_size])
        for offset, result in enumerate(
            scorer.score_batch(batch, attributes=list(attributes), languages=languages)
        ):
            if result.error is not None:
                refused += 1
                continue
            for a in attributes:
                out[a][start + offset] = result[a]
    return out, refused


def _skip_reason(scorer: Any, attribute: str) -> str:
    reason = dict(getattr(scorer, "unsupported", {})).get(attribute)
    version = getattr(scorer, "model_version", "the model")
    return f"{version} does not score {attribute}" + (f" ({reason})" if reason else "")


def evaluate_set(scorer: Any, s: EvalSet, *, bootstrap: bool = True) -> dict[str, Any]:
    """One set's entry: its description, rows, refused texts, and per labelled attribute either
    label_metrics or {n, positives, skipped: reason}."""
    available = set(scorer.attributes)
    wanted = [a for a in s.labels if a in available]
    out: dict[str, Any] = {"description": s.description, "n": len(s.texts)}
    scores: dict[str, np.ndarray] = {}
    if wanted:
        scores, out["refused"] = score_texts(scorer, s.texts, wanted)
    thresholds = dict(scorer.thresholds)
    out["attributes"] = {}
    for a, y in s.labels.items():
        if a in scores:
            out["attributes"][a] = label_metrics(y, scores[a], thresholds.get(a), bootstrap=bootstrap)
        else:
            out["attributes"][a] = {
                "n": len(y),
                "positives": int(y.sum()),
                "skipped": _skip_reason(scorer, a),
            }
    return out


def meets_bar(sets: Mapping[str, Any]) -> dict[str, Any]:
    """Issue 18's bar on the per-set entries: each check's floor, measured ROC-AUC and verdict
    (None where not measured); `passed` is False if any check fails, None if any is unmeasured."""
    checks = []
    for (set_name, attribute), floor in BAR.items():
        value = sets.get(set_name, {}).get("attributes", {}).get(attribute, {}).get("roc_auc")
        checks.append({"set": set_name, "attribute": attribute, "roc_auc_at_least": floor, "roc_auc": value,
                       "passed": None if value is None else value >= floor})  # fmt: skip
    verdicts = [c["passed"] for c in checks]
    passed = False if False in verdicts else (None if None in verdicts else True)
    return {"checks": checks, "passed": passed}


def evaluate_hate_sets(
    scorer: Any,
    dirs: list[Path],
    *,
    names: Sequence[str] | None = None,
    bootstrap: bool = True,
    log: Log = lambda line: None,
) -> tuple[dict[str, Any], list[Path]]:
    """(the "hate_sets" entry of eval.json, the files read): every set of `names` (default: all,
    in data.LOADERS order) found under `dirs`, scored by `scorer` (a tenor.Scorer). A set not
    staged is {"skipped": reason}; a malformed file raises EvalDataError. JSON-serialisable."""
    unknown = sorted(set(names or ()) - set(LOADERS))
    if unknown:
        raise ValueError(f"unknown hate set(s) {', '.join(unknown)}; choose from {', '.join(LOADERS)}")
    sets: dict[str, Any] = {}
    files: list[Path] = []
    for name in names or list(LOADERS):
        if not is_staged(dirs, name):
            sets[name] = {
                "skipped": f"{', '.join(RELATIVE[name])} not found under {', '.join(map(str, dirs))}"
            }
            log(f"  {LOG_NAME}: {name}: skipped (not staged)")
            continue
        s = LOADERS[name](dirs)
        log(f"  {LOG_NAME}: {name}: {len(s.texts)} texts")
        sets[name] = evaluate_set(scorer, s, bootstrap=bootstrap)
        files += s.files
    report: dict[str, Any] = {
        "set": SET_NAME,
        "description": DESCRIPTION,
        "model_version": getattr(scorer, "model_version", None),
        "thresholds": {a: float(t) for a, t in dict(scorer.thresholds).items()},
        "sets": sets,
    }
    report["bar"] = meets_bar(sets)
    return report, files


# -- the registry's interface (tenor.evaluate.EVALUATIONS), for `tenor eval` ---------------------
# The model measured is the run's comment model; `found` is the data folder holding the sets.
FLOORS: dict[str, tuple[str, ...]] = {}  # no gate floor yet: issue 18's bar is reported in the entry


def find_data(dirs: list[Path]) -> Path | None:
    """The first data folder that holds any of the sets (each set is then read from it alone)."""
    return next((d for d in dirs if any(is_staged([d], name) for name in RELATIVE)), None)


def missing_reason(dirs: list[Path]) -> str:
    return f"none of the hate-speech test sets ({', '.join(RELATIVE)}) under {', '.join(map(str, dirs))}"


def load_model(model: Any) -> Any:
    """None measures the run's comment model; else a version, folder or engine for tenor.Scorer."""
    return model


def unavailable_reason(model: Any) -> str | None:
    return None


def measure(
    model: Any, found: Path, *, comment_model: Any = None, bootstrap: bool = True, log: Log = print
) -> tuple[dict[str, Any], list[Path]]:  # fmt: skip
    """(the "hate_sets" entry of eval.json, the files read): every set under `found`, scored by
    `model` (None: `comment_model`, the run's comment model) with no companions."""
    from ..._scorer import Scorer

    scorer = Scorer(comment_model if model is None else model, multilingual=False)
    report, files = evaluate_hate_sets(scorer, [found], bootstrap=bootstrap, log=log)
    for check in report["bar"]["checks"]:
        log(f"  {LOG_NAME}: {check['set']} {check['attribute']} ROC-AUC {check['roc_auc']}"
            f" (bar {check['roc_auc_at_least']})")  # fmt: skip
    return report, files
