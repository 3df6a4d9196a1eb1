"""The models `tenor eval` measures on a set of their own, beside the comment model's held-out
toxicity sets (tenor.evaluate.ngram, which every run measures): one entry per model, each a
package of tenor.evaluate with the same interface.

    EVALUATIONS["techniques"]     the technique model on the SemEval-2023 English dev split
    EVALUATIONS["multilingual"]   the multilingual model on the Jigsaw multilingual 2020 test rows
    EVALUATIONS["functional"]     the comment model on tenor's functional suite (the HateCheck taxonomy)
    EVALUATIONS["hate_sets"]      the comment model on the hate-speech test sets (Gab Hate Corpus, EDOS,
                                  DynaHate, HatemojiBuild)

An entry names its eval.json entry and `--sets` name, where its data is, how its model loads, how
it is measured, where its gate floors sit in its entry and how its section of docs/evaluation.md
reads. tenor.evaluate's run_eval, run_gate and remeasure, the gate's floors and the report go
through this table, not through the packages by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .._errors import ModelError, ModelNotFoundError
from . import functional, hate_sets, multilingual, techniques

__all__ = ["EVALUATIONS", "Measure", "ModelEvaluation"]

Log = Callable[[str], None]


class Measure(Protocol):
    def __call__(
        self,
        model: Any,
        found: Path,
        /,
        *,
        comment_model: Any = None,
        bootstrap: bool = True,
        log: Log = print,
    ) -> tuple[dict[str, Any], list[Path]]:
        """(its eval.json entry, the files read); `comment_model` is the comment model of the run
        (None: the shipped one), for a model measured beside it."""
        ...


@dataclass(frozen=True)
class ModelEvaluation:
    """How `tenor eval` measures one model on its own set."""

    name: str  # its entry in eval.json, and its name for `--sets`
    log_name: str  # how the log names it
    floors: Mapping[str, tuple[str, ...]]  # gate floor key -> where its number sits in the entry
    tolerance: float  # the gate's (absolute) tolerance on each of its floors; higher is better
    find: Callable[[list[Path]], Path | None]  # its test file or corpus folder under the data folders
    missing_reason: Callable[[list[Path]], str]  # why `find` found nothing
    load_model: Callable[[Any], Any]  # a version, folder or loaded model (None: the shipped one)
    unavailable_reason: Callable[[Any], str | None]  # why a loaded model cannot run here (None: it can)
    measure: Measure
    section: Callable[
        [dict[str, Any]], list[str]
    ]  # its section of docs/evaluation.md, from the whole eval.json
    # its name belongs to it alone in `--sets`, so naming it without its data is an error (the
    # multilingual model shares its name with the comment set read on the same file: skipped instead)
    own_set: bool
    gate_skips: tuple[type[Exception], ...]  # load errors that leave its floors unmeasured in the gate
    report_order: int  # where its section sits after the comment model's sets (lower: earlier)


def _always_runs(model: Any) -> str | None:
    return None


EVALUATIONS: dict[str, ModelEvaluation] = {
    e.name: e
    for e in (
        ModelEvaluation(
            name=techniques.SET_NAME, log_name=techniques.SET_NAME, floors=techniques.FLOORS, tolerance=0.005,
            find=techniques.find_root, missing_reason=techniques.missing_reason, load_model=techniques.load_model,
            unavailable_reason=_always_runs, measure=techniques.measure, section=techniques.section,
            own_set=True, gate_skips=(ModelNotFoundError,), report_order=1,
        ),
        ModelEvaluation(
            # the encoder's embeddings are bit-identical from run to run and for any thread count or
            # batching: its floors take the quality tolerance
            name=multilingual.SET_NAME, log_name=multilingual.LOG_NAME, floors=multilingual.FLOORS, tolerance=0.005,
            find=multilingual.find_file, missing_reason=multilingual.missing_reason, load_model=multilingual.load_model,
            unavailable_reason=multilingual.unavailable_reason, measure=multilingual.measure,
            section=multilingual.section, own_set=False, gate_skips=(ModelError,), report_order=0,
        ),
        ModelEvaluation(
            # tenor's own cases, written from the published taxonomy (never training data)
            name=functional.SET_NAME, log_name=functional.SET_NAME, floors=functional.FLOORS, tolerance=0.005,
            find=functional.find_suite, missing_reason=functional.missing_reason, load_model=functional.load_model,
            unavailable_reason=functional.unavailable_reason, measure=functional.measure, section=functional.section,
            own_set=True, gate_skips=(), report_order=2,
        ),
        ModelEvaluation(
            # evaluation-only hate-speech test sets (../shared/data4), scored by the comment model
            name=hate_sets.SET_NAME, log_name=hate_sets.LOG_NAME, floors=hate_sets.FLOORS, tolerance=0.005,
            find=hate_sets.find_data, missing_reason=hate_sets.missing_reason, load_model=hate_sets.load_model,
            unavailable_reason=hate_sets.unavailable_reason, measure=hate_sets.measure, section=hate_sets.section,
            own_set=True, gate_skips=(), report_order=3,
        ),
    )
}  # fmt: skip
