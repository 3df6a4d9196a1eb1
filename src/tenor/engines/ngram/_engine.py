"""The n-gram linear model as an Engine: hashed TF-IDF features, a logistic head per attribute,
a Platt step, and a token-level span head (the words that carry a score)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..._artifact import NGRAM_KIND
from ..._calibration import calibrated, sigmoid
from ..._features import DocFeatures
from ..._results import AttributeScore, Span
from ..._text import sentences
from .._base import EngineInfo
from ._model import Model, load_model
from ._spans import dense_features, doc_head_logits, merge_spans, token_sparse

__all__ = ["NgramEngine", "load_ngram_engine"]

COST_MS = 0.5  # measured: ~0.5 ms a comment on one core (8 ms at the 20,480-byte limit)


class NgramEngine:
    """Scores English text with a tenor.engines.ngram Model."""

    def __init__(self, model: Model) -> None:
        self.model = model
        m = model
        self._info = EngineInfo(
            kind=NGRAM_KIND,
            version=m.version,
            attributes=m.attributes,
            languages={a: m.languages for a in m.attributes},
            thresholds=dict(m.thresholds),
            span_kind="words",
            cost_ms=COST_MS,
            path=m.path,
            unsupported={a: str(m.manifest.get("unsupported", {}).get(a, "")) for a in m.unsupported},
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    @property
    def threads(self) -> int | None:
        return 1  # numpy on small arrays: one thread, whatever is asked

    def warm(self) -> None:
        return None  # everything loaded with the model

    def with_threads(self, threads: int | None) -> NgramEngine:
        return self

    def score(
        self, texts: Sequence[str], attributes: Sequence[str], *, spans: bool = False, sentences: bool = False
    ) -> list[dict[str, AttributeScore]]:
        return [self._score_one(text, tuple(attributes), spans, sentences) for text in texts]

    def _probabilities(self, logits: np.ndarray) -> np.ndarray:
        return calibrated(logits, self.model.calibration)

    def _score_one(
        self, text: str, attrs: tuple[str, ...], with_spans: bool, with_sentences: bool
    ) -> dict[str, AttributeScore]:
        m = self.model
        doc = m.featurizer.features(text)
        logits = doc_head_logits(doc, m.coef, m.intercept)
        probs = self._probabilities(logits)
        word_spans: dict[str, tuple[Span, ...]] = {}
        sentence_spans: dict[str, tuple[Span, ...]] = {}
        if with_spans:
            word_spans = self._word_spans(doc, logits, attrs, probs)
        if with_sentences:
            sentence_spans = self._sentence_spans(text, attrs, probs)
        return {
            a: AttributeScore(
                a,
                round(float(probs[m.attributes.index(a)]), 6),
                word_spans.get(a, ()),
                sentence_spans.get(a, ()),
            )
            for a in attrs
        }

    def _word_spans(
        self, doc: DocFeatures, logits: np.ndarray, attrs: tuple[str, ...], doc_probs: np.ndarray
    ) -> dict[str, tuple[Span, ...]]:
        m = self.model
        if not doc.tokens:
            return {}
        dense = dense_features(doc, m.coef, logits)
        z = dense @ m.span_dense_coef + m.span_intercept
        owner, index, value = token_sparse(doc, m.featurizer.idf)
        weighted = m.span_coef[index] * value[:, None]
        for h in range(z.shape[1]):
            z[:, h] += np.bincount(owner, weights=weighted[:, h], minlength=len(doc.tokens))
        probs = sigmoid(z)
        by_head: dict[str, tuple[Span, ...]] = {}
        out: dict[str, tuple[Span, ...]] = {}
        for a in attrs:
            # an attribute without a span head of its own borrows the first head's words, but
            # only when the text is over that attribute's threshold: otherwise no words carry it
            head = a if a in m.span_attributes else m.span_attributes[0]
            if head != a and doc_probs[m.attributes.index(a)] < m.thresholds[a]:
                out[a] = ()
                continue
            if head not in by_head:
                h = m.span_attributes.index(head)
                spans = merge_spans(doc, probs[:, h], m.span_thresholds[head])
                by_head[head] = tuple(Span(b, e, round(s, 6)) for b, e, s in spans)
            out[a] = by_head[head]
        return out

    def _sentence_spans(
        self, text: str, attrs: tuple[str, ...], whole: np.ndarray
    ) -> dict[str, tuple[Span, ...]]:
        m = self.model
        bounds = sentences(text)
        rows = []
        for begin, end in bounds:
            if len(bounds) == 1:
                rows.append(whole)
                continue
            doc = m.featurizer.features(text[begin:end])
            rows.append(self._probabilities(doc_head_logits(doc, m.coef, m.intercept)))
        return {
            a: tuple(
                Span(b, e, round(float(row[m.attributes.index(a)]), 6)) for (b, e), row in zip(bounds, rows)
            )
            for a in attrs
        }


def load_ngram_engine(folder: Path) -> NgramEngine:
    return NgramEngine(load_model(folder))
