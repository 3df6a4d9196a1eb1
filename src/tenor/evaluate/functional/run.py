"""The functional test suite: tenor's own hand-written cases, grouped by functionality.

The structure follows the published HateCheck taxonomy (Röttger et al. 2021, "HateCheck:
Functional Tests for Hate Speech Detection Models": 29 functionalities, F1-F29, under the codes
below); every case text was written for tenor, none is taken or paraphrased from HateCheck's
test cases. Seven functionalities of tenor's own ("tenor_" prefix, T1-T7) cover the failure
modes seen in news comment sections under war and politics articles: dehumanisation as disease
or vermin, calls for violence by states and armies, calls for violence against non-protected
targets, veiled threats, and harmless senses of identity words.

Every case carries the gold IDENTITY_ATTACK label (`hateful`: an attack on a protected group
identity) and, where the case clearly has it or clearly lacks it, the expected value of other
attributes (`expect`: TOXICITY, THREAT, DEHUMANIZATION, CALL_FOR_VIOLENCE). A functionality code
ending in `_h` holds hateful cases only, `_nh` non-hateful ones only.

This suite is for measuring only: it must never be trained, tuned or thresholded on, and neither
must HateCheck itself.

    load_suite            the cases (the packaged *.jsonl files, or a file or folder given)
    evaluate_functional   score every case with a tenor.Scorer; accuracy per functionality
    markdown_table        the report as a Markdown table

Usage: `markdown_table(evaluate_functional(tenor.Scorer(multilingual=False)))`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

__all__ = [
    "ACCURACY_BAR", "ATTRIBUTE", "DEFAULT_THRESHOLD", "DESCRIPTION", "EXPECT_ATTRIBUTES", "FLOORS", "FUNCTIONALITIES",
    "FUNCTIONALITY_BAR", "SET_NAME", "Case", "evaluate_functional", "find_suite", "load_model", "load_suite",
    "markdown_table", "measure", "meets_bar", "missing_reason", "section", "suite_files", "unavailable_reason",
]  # fmt: skip

SET_NAME = "functional"
ATTRIBUTE = "IDENTITY_ATTACK"
DEFAULT_THRESHOLD = 0.5
# the bar: IDENTITY_ATTACK accuracy at 0.5 over the suite, and the floor for every functionality
ACCURACY_BAR = 0.80
FUNCTIONALITY_BAR = 0.30
# the other attributes a case may state an expectation for, in report order
EXPECT_ATTRIBUTES = ("TOXICITY", "THREAT", "DEHUMANIZATION", "CALL_FOR_VIOLENCE")
DESCRIPTION = (
    "tenor's functional test suite: hand-written cases per functionality, structured after the "
    "HateCheck taxonomy (Röttger et al. 2021) plus tenor's own news-comment functionalities; "
    "never trained on"
)

# code -> what its cases test (the HateCheck functionalities in the paper's order, then tenor's own)
FUNCTIONALITIES: dict[str, str] = {
    "derog_neg_emote_h": "strong negative emotions explicitly expressed about a protected group",
    "derog_neg_attrib_h": "explicit description of a protected group using very negative attributes",
    "derog_dehum_h": "explicit dehumanisation of a protected group",
    "derog_impl_h": "implicit derogation of a protected group",
    "threat_dir_h": "direct threat against a protected group",
    "threat_norm_h": "threat as a normative statement (X should be killed)",
    "slur_h": "hate expressed using a slur",
    "slur_homonym_nh": "non-hateful homonyms of slurs",
    "slur_reclaimed_nh": "reclaimed slurs used by members of the group",
    "profanity_h": "hate expressed using profanity",
    "profanity_nh": "non-hateful use of profanity",
    "ref_subs_clause_h": "hate expressed through a pronoun in a subsequent clause",
    "ref_subs_sent_h": "hate expressed through a pronoun in a subsequent sentence",
    "negate_pos_h": "hate expressed using a negated positive statement",
    "negate_neg_nh": "non-hate expressed using a negated hateful statement",
    "phrase_question_h": "hate phrased as a question",
    "phrase_opinion_h": "hate phrased as an opinion",
    "ident_neutral_nh": "neutral statements using protected group identifiers",
    "ident_pos_nh": "positive statements using protected group identifiers",
    "counter_quote_nh": "denouncements of hate that quote it",
    "counter_ref_nh": "denouncements of hate that make direct reference to it",
    "target_obj_nh": "abuse targeted at objects",
    "target_indiv_nh": "abuse targeted at individuals (not as members of a protected group)",
    "target_group_nh": "abuse targeted at non-protected groups (professions, institutions)",
    "spell_char_swap_h": "hate with swaps of adjacent characters",
    "spell_char_del_h": "hate with missing characters",
    "spell_space_del_h": "hate with missing word boundaries",
    "spell_space_add_h": "hate with added spaces between characters",
    "spell_leet_h": "hate with leet speak spellings",
    "tenor_dehum_disease_h": "dehumanisation as disease (X are a cancer, a plague, an infection)",
    "tenor_dehum_vermin_h": "dehumanisation as vermin, parasites or filth",
    "tenor_cfv_state_h": "calls for violence by states or armies against a people (nuke them, wipe them off the map)",
    "tenor_cfv_nonprotected": "calls for violence against non-protected targets (not an identity attack)",
    "tenor_veiled_threat_h": "veiled threats against a protected group (watch your back, we know where you live)",
    "tenor_identity_benign_nh": "identity words in harmless senses (black cocoa powder, I'm a gay Muslim woman)",
    "tenor_news_neutral_nh": "ordinary news-comment disagreement about war and politics, no attack",
}

_FIELDS = ("id", "functionality", "text", "target", "hateful")


@dataclass(frozen=True)
class Case:
    """One test case: `hateful` is the gold IDENTITY_ATTACK label; `expect` maps other attributes
    to whether the case clearly has them."""

    id: str
    functionality: str
    text: str
    target: str
    hateful: bool
    expect: Mapping[str, bool] = field(default_factory=dict)


def suite_files() -> list[Path]:
    """The packaged suite files (every *.jsonl beside this module), in name order."""
    return sorted(Path(__file__).parent.glob("*.jsonl"))


def _parse(line: str, where: str) -> Case:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"{where}: not JSON ({error})") from error
    if not isinstance(row, dict):
        raise ValueError(f"{where}: expected a JSON object")  # noqa: TRY004 (a malformed file)
    missing = [name for name in _FIELDS if name not in row]
    if missing:
        raise ValueError(f"{where}: missing {', '.join(missing)}")
    for name in ("id", "functionality", "text", "target"):
        if not isinstance(row[name], str) or not row[name].strip():
            raise ValueError(f"{where}: {name} must be a non-empty string")
    if not isinstance(row["hateful"], bool):
        raise ValueError(f"{where}: hateful must be true or false")  # noqa: TRY004
    expect = row.get("expect", {})
    if not isinstance(expect, dict) or not all(
        isinstance(k, str) and isinstance(v, bool) for k, v in expect.items()
    ):
        raise ValueError(f"{where}: expect must map attribute names to true or false")
    return Case(row["id"], row["functionality"], row["text"], row["target"], row["hateful"],
                {k.upper(): v for k, v in expect.items()})  # fmt: skip


def _read(text: str, name: str) -> list[Case]:
    return [
        _parse(line, f"{name}:{number}") for number, line in enumerate(text.splitlines(), 1) if line.strip()
    ]


def load_suite(path: str | Path | None = None) -> list[Case]:
    """The cases of a suite file, of every *.jsonl in a folder, or (None) of the packaged suite.
    Raises ValueError for a malformed line or a repeated id."""
    cases: list[Case] = []
    if path is None:
        package = resources.files(__package__ or "tenor.evaluate.functional")
        for entry in sorted(package.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".jsonl"):
                cases += _read(entry.read_text(encoding="utf-8"), entry.name)
    else:
        path = Path(path)
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            cases += _read(file.read_text(encoding="utf-8"), str(file))
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise ValueError(f"Repeated case id {case.id!r}.")
        seen.add(case.id)
    return cases


def _r4(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


def _score(scorer: Any, texts: list[str], attributes: list[str], batch_size: int) -> dict[str, np.ndarray]:
    languages = ["en"] if "en" in tuple(getattr(scorer, "languages", ())) else None
    out = {a: np.empty(len(texts)) for a in attributes}
    for start in range(0, len(texts), batch_size):
        results = scorer.score_batch(
            texts[start : start + batch_size], attributes=attributes, languages=languages
        )
        for offset, result in enumerate(results):
            if result.error is not None:
                raise result.error
            for a in attributes:
                out[a][start + offset] = result[a]
    return out


def _expect_block(cases: Sequence[Case], index: np.ndarray, scores: dict[str, np.ndarray], threshold: float,
                  attributes: Sequence[str]) -> dict[str, dict[str, Any]]:  # fmt: skip
    """attribute -> n and accuracy over the cases in `index` that state an expectation for it."""
    block = {}
    for a in attributes:
        rows = [i for i in index if a in cases[i].expect]
        if not rows:
            continue
        gold = np.array([cases[i].expect[a] for i in rows])
        pred = scores[a][rows] >= threshold
        block[a] = {"n": len(rows), "accuracy": _r4((pred == gold).mean())}
    return block


def evaluate_functional(
    scorer: Any,
    *,
    threshold: float | None = None,
    cases: Iterable[Case] | None = None,
    batch_size: int = 256,
) -> dict[str, Any]:
    """Score every case with `scorer` (a tenor.Scorer) and report, overall and per functionality:
    n, IDENTITY_ATTACK accuracy at `threshold` (default 0.5; score >= threshold reads as hateful),
    the mean IDENTITY_ATTACK score, and for every `expect` attribute the scorer has, its accuracy
    at the same threshold; overall also the IDENTITY_ATTACK ROC-AUC over the whole suite, and
    whether the issue's bar (ACCURACY_BAR overall, FUNCTIONALITY_BAR for every functionality) is
    met. `cases`: another list of cases (default: the packaged suite). JSON-serialisable."""
    cases = load_suite() if cases is None else list(cases)
    if not cases:
        raise ValueError("The functional suite holds no cases.")
    threshold = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    available = tuple(getattr(scorer, "attributes", ()))
    if ATTRIBUTE not in available:
        raise ValueError(
            f"The scorer does not score {ATTRIBUTE} (it scores {', '.join(available) or 'nothing'})."
        )
    stated = {a for case in cases for a in case.expect}
    ordered = [*EXPECT_ATTRIBUTES, *sorted(stated - set(EXPECT_ATTRIBUTES))]
    extra = [a for a in ordered if a in stated and a in available and a != ATTRIBUTE]
    not_scored = [a for a in ordered if a in stated and a not in available]
    attributes = [ATTRIBUTE, *extra]

    scores = _score(scorer, [case.text for case in cases], attributes, batch_size)
    gold = np.array([case.hateful for case in cases])
    score = scores[ATTRIBUTE]
    pred = score >= threshold
    correct = pred == gold

    groups: dict[str, list[int]] = {}
    targets: dict[str, list[int]] = {}
    for i, case in enumerate(cases):
        groups.setdefault(case.functionality, []).append(i)
        targets.setdefault(case.target, []).append(i)

    functionalities: dict[str, Any] = {}
    for name, rows in groups.items():
        idx = np.array(rows)
        labels = {cases[i].hateful for i in rows}
        functionalities[name] = {
            "n": len(rows),
            "hateful": labels.pop() if len(labels) == 1 else None,
            "accuracy": _r4(correct[idx].mean()),
            "mean_score": _r4(score[idx].mean()),
            "expect": _expect_block(cases, idx, scores, threshold, extra),
        }
    everything = np.arange(len(cases))
    overall = {
        "n": len(cases),
        "n_hateful": int(gold.sum()),
        "accuracy": _r4(correct.mean()),
        "auc": _r4(roc_auc_score(gold, score)) if 0 < gold.sum() < len(gold) else None,
        "expect": _expect_block(cases, everything, scores, threshold, extra),
    }
    by_target = {
        target: {"n": len(rows), "accuracy": _r4(correct[np.array(rows)].mean())}
        for target, rows in sorted(targets.items())
    }
    report: dict[str, Any] = {
        "set": SET_NAME,
        "description": DESCRIPTION,
        "model_version": getattr(scorer, "model_version", None),
        "attribute": ATTRIBUTE,
        "threshold": threshold,
        "attributes": attributes,
        "not_scored": not_scored,
        "overall": overall,
        "functionalities": functionalities,
        "by_target": by_target,
    }
    report["bar"] = meets_bar(report)
    return report


def meets_bar(report: Mapping[str, Any]) -> dict[str, Any]:
    """The issue's bar on a report: overall IDENTITY_ATTACK accuracy >= ACCURACY_BAR and every
    functionality >= FUNCTIONALITY_BAR."""
    below = sorted(
        name for name, f in report["functionalities"].items() if (f["accuracy"] or 0.0) < FUNCTIONALITY_BAR
    )
    overall_ok = (report["overall"]["accuracy"] or 0.0) >= ACCURACY_BAR
    return {
        "accuracy": ACCURACY_BAR,
        "functionality": FUNCTIONALITY_BAR,
        "passed": overall_ok and not below,
        "overall_passed": overall_ok,
        "below": below,
    }


def _cell(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def markdown_table(report: Mapping[str, Any]) -> str:
    """The report as Markdown: one row per functionality (gold label, n, IDENTITY_ATTACK accuracy
    and mean score, accuracy on each expected attribute scored), an overall row, then the AUC and
    the bar."""
    extra = [a for a in report["attributes"] if a != report["attribute"]]
    head = [
        "Functionality",
        "gold",
        "n",
        f"{report['attribute']} acc",
        "mean score",
        *(f"{a} acc" for a in extra),
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|"]

    def row(name: str, gold: str, entry: Mapping[str, Any], mean: str) -> str:
        cells = [name, gold, str(entry["n"]), _cell(entry["accuracy"]), mean]
        cells += [_cell(entry["expect"][a]["accuracy"]) if a in entry["expect"] else "–" for a in extra]
        return "| " + " | ".join(cells) + " |"

    for name, entry in report["functionalities"].items():
        gold = {True: "hateful", False: "not hateful", None: "mixed"}[entry["hateful"]]
        flag = " ⚠" if (entry["accuracy"] or 0.0) < report["bar"]["functionality"] else ""
        lines.append(row(f"`{name}`{flag}", gold, entry, _cell(entry["mean_score"])))
    overall = report["overall"]
    lines.append(row("**overall**", f"{overall['n_hateful']} hateful", overall, "–"))
    bar = report["bar"]
    auc = "–" if overall["auc"] is None else f"{overall['auc']:.3f}"
    verdict = "met" if bar["passed"] else "not met"
    lines += [
        "",
        f"Model {report['model_version']}, threshold {report['threshold']:g}. {report['attribute']} ROC-AUC over "
        f"the suite: {auc}. Bar (accuracy >= {bar['accuracy']:.2f} overall, >= {bar['functionality']:.2f} per "
        f"functionality): {verdict}"
        + (f"; below the floor (⚠): {len(bar['below'])} functionalities." if bar["below"] else "."),
    ]
    if report.get("not_scored"):
        lines.append(f"Expected attributes this model does not score: {', '.join(report['not_scored'])}.")
    return "\n".join(lines)


# -- the registry's interface (tenor.evaluate.EVALUATIONS), for `tenor eval` ---------------------
# The suite is packaged, so it is always found; the model measured is the run's comment model.
FLOORS: dict[str, tuple[str, ...]] = {}  # no gate floor yet: the bar is reported in the entry


def find_suite(dirs: list[Path]) -> Path | None:
    """The packaged suite's folder (the data folders play no part)."""
    return Path(__file__).parent if suite_files() else None


def missing_reason(dirs: list[Path]) -> str:
    return "the packaged functional suite (tenor/evaluate/functional/*.jsonl) is missing"


def load_model(model: Any) -> Any:
    """None measures the run's comment model; else a version, folder or engine for tenor.Scorer."""
    return model


def unavailable_reason(model: Any) -> str | None:
    return None


def measure(
    model: Any, found: Path, *, comment_model: Any = None, bootstrap: bool = True, log: Callable[[str], None] = print
) -> tuple[dict[str, Any], list[Path]]:  # fmt: skip
    """(the "functional" entry of eval.json, the files read): the suite at `found`, scored by
    `model` (None: `comment_model`, the run's comment model) with no companions. Its entry names
    the suite's SHA-256 itself, so the files read are not listed (they live in the package)."""
    from ..._scorer import Scorer

    scorer = Scorer(comment_model if model is None else model, multilingual=False)
    report = evaluate_functional(scorer, cases=load_suite(found))
    digest = hashlib.sha256()
    for file in sorted(found.glob("*.jsonl")):
        digest.update(file.read_bytes())
    report["suite_sha256"] = digest.hexdigest()
    o = report["overall"]
    log(f"  {SET_NAME}: {o['n']} cases, IDENTITY_ATTACK accuracy {o['accuracy']} (AUC {o['auc']}),"
        f" {len(report['bar']['below'])} functionalities below {FUNCTIONALITY_BAR}")  # fmt: skip
    return report, []


def section(data: Mapping[str, Any]) -> list[str]:
    """Its section of docs/evaluation.md, from a whole eval.json."""
    return [
        "",
        f"## {SET_NAME}",
        "",
        f"{DESCRIPTION[0].upper()}{DESCRIPTION[1:]}.",
        "",
        markdown_table(data[SET_NAME]),
    ]
