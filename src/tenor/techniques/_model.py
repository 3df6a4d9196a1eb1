"""The shipped technique model: load a checksummed folder, find techniques in an article.

    models/techniques-en-<version>/
        manifest.json   version, techniques, thresholds, span rules, training summary
        weights.npz     vocabulary, idf, first-stage sentence heads, second-stage context heads
        MODEL_CARD.md
        SHA256SUMS

Scoring is numpy only. A sentence is featurised as the comment model does (hashed word,
character and bigram TF-IDF); one linear head per technique gives a first-stage logit; a small
second-stage head per technique reads that logit beside its neighbours', its article's and its
strongest single word's (tenor.techniques._context) and gives the probability. A paragraph carries a technique when one
of its sentences does; the span is the run of words that pushed that sentence's logit most.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .._artifact import model_folder, read_artifact
from .._calibration import sigmoid
from .._errors import InputError, LanguageNotSupportedError, ModelIntegrityError
from .._features import DocFeatures, Featurizer, token_sparse
from .._language import detect_language, primary_subtag
from ._context import CONTEXT_FEATURES, context_features
from ._segment import paragraphs_of, sentences_of
from ._types import ArticleTechniques, ParagraphTechniques, TechniqueSpan

__all__ = [
    "DEFAULT_TECHNIQUE_MODEL",
    "FORMAT",
    "KIND",
    "TechniqueModel",
    "Units",
    "article_units",
    "load_technique_model",
    "token_max",
]

DEFAULT_TECHNIQUE_MODEL = "techniques-en-2026.11.0"
FORMAT = 1
KIND = "techniques"  # the manifest kind of a technique model folder
MAX_ARTICLE_CHARS = 1_000_000  # about 150,000 words: no news article; bigger input is a mistake


@dataclass(frozen=True)
class Units:
    """An article cut into sentences: offsets, the paragraph each belongs to, and their texts."""

    paragraphs: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    paragraph_of: np.ndarray
    texts: list[str]


def article_units(text: str, paragraphs: Sequence[tuple[int, int]] | None = None) -> Units:
    paras = [(int(b), int(e)) for b, e in paragraphs] if paragraphs is not None else paragraphs_of(text)
    sents, owner = [], []
    for p, (begin, end) in enumerate(paras):
        for s in sentences_of(text, begin, end):
            sents.append(s)
            owner.append(p)
    return Units(paras, sents, np.array(owner, dtype=np.int64), [text[b:e] for b, e in sents])


def first_stage(
    featurizer: Featurizer, coef: np.ndarray, intercept: np.ndarray, texts: list[str]
) -> tuple[np.ndarray, list[DocFeatures]]:
    docs = [featurizer.features(t) for t in texts]
    logits = (
        np.array([d.unique_value @ coef[d.unique_index] for d in docs]).reshape(len(docs), coef.shape[1])
        + intercept
    )
    return logits, docs


def token_max(doc: DocFeatures, idf: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Per technique, the highest head logit (no intercept) of any single token of the sentence,
    each token featurised on its own (word and character n-grams, IDF-weighted, L2-normalised)."""
    owner, index, value = token_sparse(doc, idf)
    if not len(owner):
        return np.zeros(coef.shape[1])
    # a token's own features sit together in the layout (tenor._features._layout), so owner is sorted
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    return np.add.reduceat(coef[index] * value[:, None], starts, axis=0).max(axis=0)


def second_stage(features: np.ndarray, ctx_coef: np.ndarray, ctx_intercept: np.ndarray) -> np.ndarray:
    """Probabilities (n_sentences, n_techniques) from context features and per-technique heads."""
    z = np.einsum("nkf,kf->nk", features, ctx_coef) + ctx_intercept
    return sigmoid(z)


def span_in_sentence(doc: DocFeatures, coef_column: np.ndarray, alpha: float) -> tuple[int, int] | None:
    """The run of word tokens from the first to the last whose contribution to the technique's
    logit is at least `alpha` times the largest; alpha <= 0 means the whole sentence.
    Offsets are relative to the sentence; None when the sentence has no word."""
    words = [i for i, t in enumerate(doc.tokens) if t.is_word]
    if not words:
        return None
    if alpha > 0:
        owned = doc.owner >= 0
        contrib = np.bincount(
            doc.owner[owned],
            weights=coef_column[doc.index[owned]] * doc.value[owned],
            minlength=len(doc.tokens),
        )
        word_contrib = contrib[words]
        top = word_contrib.max()
        if top > 0:
            chosen = [w for w, c in zip(words, word_contrib) if c >= alpha * top]
            return doc.tokens[chosen[0]].begin, doc.tokens[chosen[-1]].end
    return doc.tokens[words[0]].begin, doc.tokens[words[-1]].end


@dataclass(frozen=True)
class TechniqueModel:
    version: str
    path: Path
    manifest: dict[str, Any]
    featurizer: Featurizer
    techniques: tuple[str, ...]  # the ones this model can find (those present in its training data)
    coef: np.ndarray  # (n_features, n_techniques)
    intercept: np.ndarray
    ctx_coef: np.ndarray  # (n_techniques, len(CONTEXT_FEATURES))
    ctx_intercept: np.ndarray
    thresholds: np.ndarray  # per technique, on the probability
    span_alpha: np.ndarray  # per technique, see span_in_sentence

    def probabilities(self, units: Units) -> tuple[np.ndarray, list[DocFeatures]]:
        logits, docs = first_stage(self.featurizer, self.coef, self.intercept, units.texts)
        tmax = np.array([token_max(d, self.featurizer.idf, self.coef) for d in docs]).reshape(logits.shape)
        first = int(units.paragraph_of[0]) if len(units.paragraph_of) else 0
        features = context_features(logits, tmax, units.paragraph_of, [d.tokens for d in docs], first)
        return second_stage(features, self.ctx_coef, self.ctx_intercept), docs

    def find(
        self,
        text: str,
        paragraphs: Sequence[tuple[int, int]] | None = None,
        languages: Sequence[str] | None = None,
    ) -> ArticleTechniques:
        """Spans and paragraph labels of one article. `paragraphs` are (begin, end) offsets into
        `text` (default: every non-blank line); every one comes back, labelled or not.
        `languages` names the article's language and skips detection; an article detected (or
        declared) in a language the model was not trained on is refused, not mislabelled."""
        if len(text) > MAX_ARTICLE_CHARS:
            raise InputError(
                f"The article has {len(text):,} characters; the technique model reads at most {MAX_ARTICLE_CHARS:,}: split it."
            )
        self._check_language(text, languages)
        if paragraphs is not None:
            _check_paragraphs(text, paragraphs)
        units = article_units(text, paragraphs)
        probs, docs = self.probabilities(units) if units.texts else (np.zeros((0, len(self.techniques))), [])
        probs = np.round(probs, 6)
        spans = []
        per_paragraph: list[dict[str, float]] = [{} for _ in units.paragraphs]
        for i, (begin, _end) in enumerate(units.sentences):
            for k in np.flatnonzero(probs[i] >= self.thresholds):
                name, p = self.techniques[k], float(probs[i, k])
                labels = per_paragraph[units.paragraph_of[i]]
                labels[name] = max(labels.get(name, 0.0), p)
                found = span_in_sentence(docs[i], self.coef[:, k], float(self.span_alpha[k]))
                if found is not None:
                    spans.append(TechniqueSpan(begin + found[0], begin + found[1], name, p))
        spans.sort(key=lambda s: (s.begin, s.end, s.technique))
        paragraph_rows = tuple(
            ParagraphTechniques(b, e, tuple(sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))))
            for (b, e), labels in zip(units.paragraphs, per_paragraph)
        )
        return ArticleTechniques(self.version, tuple(spans), paragraph_rows)

    def _check_language(self, text: str, languages: Sequence[str] | None) -> None:
        supported = tuple(self.manifest.get("languages", ("en",)))
        if languages:
            asked = [primary_subtag(lang) for lang in languages]
            if not any(lang in supported for lang in asked):
                raise LanguageNotSupportedError("TECHNIQUES", languages, requested=True, supported=supported)
            return
        detected, _ = detect_language(text, supported)
        if detected not in supported:
            raise LanguageNotSupportedError("TECHNIQUES", [detected], requested=False, supported=supported)


def _check_paragraphs(text: str, paragraphs: Sequence[tuple[int, int]]) -> None:
    last = 0
    for item in paragraphs:
        begin, end = item if isinstance(item, (tuple, list)) and len(item) == 2 else (item, None)
        if not (isinstance(begin, int) and isinstance(end, int) and last <= begin <= end <= len(text)):
            raise InputError(
                f"Paragraph ({begin}, {end}) is not a sorted, non-overlapping (begin, end) range inside the "
                f"{len(text)}-character text: give code-point offsets in order."
            )
        last = end


def load_technique_model(name_or_path: str | Path | None = None) -> TechniqueModel:
    """Load a technique model by version (shipped with the package) or folder, checksums first."""
    name = DEFAULT_TECHNIQUE_MODEL if name_or_path is None else name_or_path
    folder = model_folder(name, kind="technique model", train_command="tenor train --techniques")
    manifest, arrays = read_artifact(
        folder, kind=KIND, format=FORMAT, train_command="tenor train --techniques"
    )
    if tuple(manifest["context_features"]) != CONTEXT_FEATURES:
        raise ModelIntegrityError(
            f"{folder} was trained with other context features: retrain it with this tenor."
        )
    names = tuple(manifest["techniques"])
    return TechniqueModel(
        version=manifest["version"],
        path=folder,
        manifest=manifest,
        featurizer=Featurizer(arrays["vocabulary"], arrays["idf"]),
        techniques=names,
        coef=arrays["coef"].astype(np.float64),
        intercept=arrays["intercept"].astype(np.float64),
        ctx_coef=arrays["ctx_coef"].astype(np.float64),
        ctx_intercept=arrays["ctx_intercept"].astype(np.float64),
        thresholds=np.array([manifest["thresholds"][t] for t in names], dtype=np.float64),
        span_alpha=np.array([manifest["span_alpha"][t] for t in names], dtype=np.float64),
    )
