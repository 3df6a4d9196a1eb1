"""The CI quality gate: the floor numbers recomputed on the held-out sets must not fall below the
committed ones by more than a stated tolerance, and a commit that lowers a committed floor must say
why. A floor the committed eval.json does not hold (absent or null) is not gated yet.

The floors are the comment model's (below) and those of each model in tenor.evaluate.EVALUATIONS,
in that order: eval.json lists them so.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from ._registry import EVALUATIONS

__all__ = [
    "COMMENT_FLOORS", "FAST_FLOORS", "FLOOR_KEYS", "LOWER_FLOORS_TRAILER", "LOWER_IS_BETTER", "SPEED_FLOOR", "TOLERANCE", "check_history",
    "floors", "floors_of", "lowered", "violations",
]  # fmt: skip

# The comment model's floors: where each sits in a run's result (tenor.evaluate.ngram's sets)
_JIGSAW = ("sets", "jigsaw2018", "tenor")
COMMENT_FLOORS: dict[str, tuple[str, ...]] = {
    "jigsaw_toxicity_auc": (*_JIGSAW, "attributes", "TOXICITY", "roc_auc"),
    "jigsaw_mean_auc": (*_JIGSAW, "mean_roc_auc"),
    "olid_macro_f1": ("sets", "olid", "tenor", "attributes", "TOXICITY", "macro_f1"),
    "toxic_spans_f1": ("sets", "toxic_spans", "tenor", "span_f1"),
    "worst_bpsn_auc": ("sets", "identity_templates", "tenor", "bias", "worst_bpsn", "bpsn_auc"),
    "jigsaw_ece": (*_JIGSAW, "attributes", "TOXICITY", "ece"),
}
# The `fast` engine's (the n-gram model kept beside the default transformer, issue 18): the same
# numbers on the same sets, under "fast" in eval.json
FAST_PREFIX = "fast_"
FAST_FLOORS: dict[str, tuple[str, ...]] = {
    **{FAST_PREFIX + key: ("fast", *path) for key, path in COMMENT_FLOORS.items()},
    "fast_comments_per_sec_per_core": ("fast", "comments_per_sec_per_core"),
}
FLOOR_KEYS = (
    *COMMENT_FLOORS,
    "comments_per_sec_per_core",
    *FAST_FLOORS,
    *(key for evaluation in EVALUATIONS.values() for key in evaluation.floors),
)
LOWER_IS_BETTER = frozenset({"jigsaw_ece", "fast_jigsaw_ece"})
SPEED_FLOOR = "comments_per_sec_per_core"
SPEED_FLOORS = frozenset({SPEED_FLOOR, "fast_comments_per_sec_per_core"})
# Absolute tolerances, except speed: a share of the committed rate, because timings vary from
# one run to the next far more than the (deterministic) quality numbers do.
_COMMENT_TOLERANCE = {
    "jigsaw_toxicity_auc": 0.002,
    "jigsaw_mean_auc": 0.002,
    "olid_macro_f1": 0.005,
    "toxic_spans_f1": 0.005,
    "worst_bpsn_auc": 0.005,
    "jigsaw_ece": 0.005,
}
TOLERANCE: dict[str, float] = {
    **_COMMENT_TOLERANCE,
    "comments_per_sec_per_core": 0.25,
    **{FAST_PREFIX + key: tol for key, tol in _COMMENT_TOLERANCE.items()},
    "fast_comments_per_sec_per_core": 0.25,
    **{key: evaluation.tolerance for evaluation in EVALUATIONS.values() for key in evaluation.floors},
}
LOWER_FLOORS_TRAILER = "Lower-floors:"


def floors(result: dict[str, Any], speed: float | None) -> dict[str, float | None]:
    """The numbers the gate guards (FLOOR_KEYS, in that order), from a run's results; None where
    the run did not measure one."""
    return {
        **{key: _dig(result, *path) for key, path in COMMENT_FLOORS.items()},
        "comments_per_sec_per_core": None if speed is None else round(speed, 1),
        **{key: _dig(result, *path) for key, path in FAST_FLOORS.items()},
        **{key: _dig(result, e.name, *path) for e in EVALUATIONS.values() for key, path in e.floors.items()},
    }


def _dig(d: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def _limit(key: str, committed: float) -> float:
    tol = TOLERANCE[key]
    if key in SPEED_FLOORS:
        return committed * (1 - tol)
    return committed + tol if key in LOWER_IS_BETTER else committed - tol


def violations(measured: dict[str, Any], committed: dict[str, Any]) -> list[str]:
    """One line per floor the measurement breaks (missing numbers break it too)."""
    out = []
    for key in FLOOR_KEYS:
        floor, value = committed.get(key), measured.get(key)
        if floor is None:
            continue
        if value is None:
            out.append(f"{key}: not measured (committed floor {floor})")
            continue
        limit = _limit(key, float(floor))
        worse = value > limit if key in LOWER_IS_BETTER else value < limit
        if worse:
            out.append(
                f"{key}: {value} is worse than the committed {floor} beyond the tolerance (limit {limit:.4f})"
            )
    return out


def lowered(new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    """Quality floors that a new eval.json sets worse than the old one by more than the tolerance.
    Speed is left out: it follows the machine it was measured on, not the model."""
    drops = violations(new, old)
    return [
        d.replace("is worse than the committed", "lowers the committed floor")
        for d in drops
        if not d.startswith(tuple(SPEED_FLOORS))
    ]


def floors_of(path: Path) -> dict[str, Any]:
    return dict(json.loads(Path(path).read_text(encoding="utf-8"))["floors"])


def check_history(repo: Path, relative: str = "benchmarks/results/eval.json") -> list[str]:
    """Problems with the last commit that changed the committed floors: a floor lowered by it
    needs a `Lower-floors: <reason>` line in its message."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
        ).stdout

    try:
        commits = git("log", "--format=%H", "--", relative).split()
    except (OSError, subprocess.CalledProcessError):
        return []  # not a git checkout: nothing to compare with
    for commit in commits[:1]:  # the latest change; earlier ones passed this check when they landed
        try:
            new = json.loads(git("show", f"{commit}:{relative}"))["floors"]
            old = json.loads(git("show", f"{commit}~1:{relative}"))["floors"]
        except (subprocess.CalledProcessError, KeyError, json.JSONDecodeError):
            return []  # the file (or its floors) first appeared in this commit
        drops = lowered(new, old)
        if not drops:
            return []
        message = git("log", "-1", "--format=%B", commit)
        if any(
            line.startswith(LOWER_FLOORS_TRAILER) and line[len(LOWER_FLOORS_TRAILER) :].strip()
            for line in message.splitlines()
        ):
            return []
        return [
            f"commit {commit[:10]} lowers committed floors without a '{LOWER_FLOORS_TRAILER} <reason>' line: "
            + "; ".join(drops)
        ]
    return []
