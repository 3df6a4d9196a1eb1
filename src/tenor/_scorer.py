"""tenor.Scorer: calibrated Perspective-attribute probabilities, with spans, batch-first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._attributes import MAX_TEXT_BYTES
from ._errors import (
    EmptyTextError,
    InputError,
    LanguageNotSupportedError,
    NoRequestedAttributesError,
    TextTooLongError,
    UnknownAttributeError,
)
from ._language import detect_language, primary_subtag
from ._model import Model, load_model
from ._spans import dense_features, doc_head_logits, merge_spans, token_sparse
from ._text import sentences

__all__ = ["AttributeScore", "ScoreResult", "Scorer", "Span"]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the text, in Unicode code points (end exclusive), with its score."""

    begin: int
    end: int
    score: float


@dataclass(frozen=True, slots=True)
class AttributeScore:
    attribute: str
    value: float  # calibrated probability that a reader perceives the text so
    spans: tuple[Span, ...] = ()  # the words that carry it (when spans were asked for)
    sentences: tuple[Span, ...] = ()  # each sentence scored alone (when sentence_scores were asked for)


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """One text's scores, or the error that stopped it (batches never raise per item)."""

    text: str
    model_version: str
    scores: Mapping[str, AttributeScore] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    detected_languages: tuple[str, ...] = ()
    error: InputError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def __getitem__(self, attribute: str) -> float:
        return self.scores[attribute].value


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


class Scorer:
    """Scores texts with a shipped (or freshly trained) tenor model.

    >>> scorer = Scorer()
    >>> result = scorer.score("you are a complete idiot")
    >>> result["INSULT"] > 0.5
    True
    """

    def __init__(self, model: str | Path | Model | None = None, *, max_bytes: int = MAX_TEXT_BYTES) -> None:
        self.model = model if isinstance(model, Model) else load_model(model)
        self.max_bytes = max_bytes

    @property
    def model_version(self) -> str:
        return self.model.version

    @property
    def attributes(self) -> tuple[str, ...]:
        return self.model.attributes

    @property
    def languages(self) -> tuple[str, ...]:
        return self.model.languages

    def resolve_attributes(self, attributes: Iterable[str] | None) -> tuple[str, ...]:
        """Upper-cased, de-duplicated, validated attribute names in request order."""
        if attributes is None:
            return self.attributes
        out: list[str] = []
        for name in attributes:
            upper = name.strip().upper()
            if upper not in self.attributes:
                reason = self.model.manifest.get("unsupported", {}).get(upper)
                raise UnknownAttributeError(upper, self.attributes, reason)
            if upper not in out:
                out.append(upper)
        if not out:
            raise NoRequestedAttributesError(self.attributes)
        return tuple(out)

    def score(
        self,
        text: str,
        *,
        attributes: Iterable[str] | None = None,
        spans: bool = False,
        sentence_scores: bool = False,
        languages: Sequence[str] | None = None,
    ) -> ScoreResult:
        """Score one text; raises an InputError if it cannot be scored."""
        result = self.score_batch(
            [text], attributes=attributes, spans=spans, sentence_scores=sentence_scores, languages=languages
        )[0]
        if result.error is not None:
            raise result.error
        return result

    def score_batch(
        self,
        texts: Iterable[str],
        *,
        attributes: Iterable[str] | None = None,
        spans: bool = False,
        sentence_scores: bool = False,
        languages: Sequence[str] | None = None,
    ) -> list[ScoreResult]:
        """Score many texts. A text that cannot be scored gets a result whose `error` is set;
        the others are unaffected. Request-level problems (an unknown attribute) raise.

        `spans`: the words that carry each score. `sentence_scores`: every sentence scored on
        its own, the spans Perspective's `spanAnnotations` returns (costs a pass per sentence)."""
        attrs = self.resolve_attributes(attributes)
        if isinstance(languages, str):
            languages = [languages]
        for code in languages or ():
            if not isinstance(code, str):
                raise InputError(f"Language codes must be strings such as 'en' or 'pt-BR', got {code!r}.")
        # requested codes are echoed as given (Perspective does); support is checked on the primary subtag
        requested = tuple(code.strip() for code in languages or () if code.strip())
        out = []
        for text in texts:
            try:
                out.append(self._score_one(text, attrs, spans, sentence_scores, requested))
            except InputError as error:
                out.append(ScoreResult(text=text, model_version=self.model_version, error=error))
        return out

    def _check(self, text: str, attrs: tuple[str, ...], requested: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if not isinstance(text, str):
            raise InputError(f"Expected text as a string, got {type(text).__name__}.")
        if not text.strip():
            raise EmptyTextError()
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as error:
            raise InputError(
                f"Text is not valid Unicode: it holds a lone surrogate at position {error.start}."
                " Decode the input as UTF-8 (JSON surrogate pairs must come in pairs) and retry."
            ) from error
        if size > self.max_bytes:
            raise TextTooLongError(size, self.max_bytes)
        if requested:
            unsupported = [lang for lang in requested if primary_subtag(lang) not in self.languages]
            if unsupported:
                raise LanguageNotSupportedError(attrs[0], requested, requested=True, supported=self.languages)
            detected = detect_language(text, self.languages)[0]
            return requested, (detected,)
        detected = detect_language(text, self.languages)[0]
        if detected not in self.languages:
            raise LanguageNotSupportedError(attrs[0], (detected,), requested=False, supported=self.languages)
        return (detected,), (detected,)

    def _probabilities(self, logits: np.ndarray) -> np.ndarray:
        cal = self.model.calibration
        return _sigmoid(cal[:, 0] * logits + cal[:, 1])

    def _score_one(
        self, text: str, attrs: tuple[str, ...], with_spans: bool, with_sentences: bool, requested: tuple[str, ...]
    ) -> ScoreResult:
        used, detected = self._check(text, attrs, requested)
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
        scores = {
            a: AttributeScore(
                a,
                round(float(probs[m.attributes.index(a)]), 6),
                word_spans.get(a, ()),
                sentence_spans.get(a, ()),
            )
            for a in attrs
        }
        return ScoreResult(text, m.version, scores, used, detected)

    def _word_spans(self, doc, logits: np.ndarray, attrs: tuple[str, ...], doc_probs: np.ndarray) -> dict[str, tuple[Span, ...]]:  # type: ignore[no-untyped-def]
        m = self.model
        if not doc.tokens:
            return {}
        dense = dense_features(doc, m.coef, logits)
        z = dense @ m.span_dense_coef + m.span_intercept
        owner, index, value = token_sparse(doc, m.featurizer.idf)
        weighted = m.span_coef[index] * value[:, None]
        for h in range(z.shape[1]):
            z[:, h] += np.bincount(owner, weights=weighted[:, h], minlength=len(doc.tokens))
        probs = _sigmoid(z)
        by_head: dict[str, tuple[Span, ...]] = {}
        out = {}
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

    def _sentence_spans(self, text: str, attrs: tuple[str, ...], whole: np.ndarray) -> dict[str, tuple[Span, ...]]:
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
