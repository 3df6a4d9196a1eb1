"""tenor.Scorer: checks texts, routes each to an engine by language and attribute, and
assembles calibrated Perspective-attribute results, batch-first.

The default engine (the shipped English model unless another is given) scores the languages it
covers; companion engines (tenor.engines; the multilingual one when the `multilingual` extra is
installed) score the rest, each in one call per batch. Each result carries the version of the
model that scored it. The Scorer holds no model math: that lives in the engines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ._attributes import MAX_TEXT_BYTES
from ._engine_setup import (
    as_default_engine,
    check_text,
    companion_engines,
    requested_languages,
    shipped_languages,
)  # fmt: skip
from ._errors import (
    InputError,
    LanguageNotSupportedError,
    ModelError,
    NoRequestedAttributesError,
    UnknownAttributeError,
)
from ._language import detect_language, primary_subtag
from ._results import AttributeScore, ScoreResult, Span
from .engines import Engine, companions

__all__ = ["AttributeScore", "ScoreResult", "Scorer", "Span", "check_text"]


# (position in the batch, text, attributes to score, languages used, languages detected)
_Item = tuple[int, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


class Scorer:
    """Scores texts with the shipped (or a freshly trained) tenor model and its companions.

    >>> scorer = Scorer()
    >>> result = scorer.score("you are a complete idiot")
    >>> result["INSULT"] > 0.5
    True
    """

    def __init__(
        self,
        model: str | Path | object | None = None,
        *,
        max_bytes: int = MAX_TEXT_BYTES,
        multilingual: str | Path | object | bool | None = None,
    ) -> None:
        """`model`: the default engine, as a shipped version name, a model folder (any registered
        kind), an Engine or an n-gram Model (default: the shipped English model).
        `multilingual`: None (default) attaches the shipped companion engines whose runtime is
        installed (the multilingual model with the `multilingual` extra); False keeps to the
        default engine; a version name, folder or Engine attaches that one."""
        default = as_default_engine(model)
        self._init(default, tuple(companion_engines(multilingual)), max_bytes)

    def _init(self, default: Engine, others: tuple[Engine, ...], max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._engines: tuple[Engine, ...] = (default, *others)
        self._engine_languages = tuple(
            frozenset(e.info.all_languages) for e in self._engines
        )  # routing, per text
        table: dict[str, tuple[str, ...]] = {}
        for engine in self._engines:
            for a in engine.info.attributes:
                langs = engine.info.languages.get(a, ())
                table[a] = (*table.get(a, ()), *(lang for lang in langs if lang not in table.get(a, ())))
        self._table = table
        self._support = {a: frozenset(langs) for a, langs in table.items()}
        seen: dict[str, None] = {}
        for engine in self._engines:
            seen.update(dict.fromkeys(engine.info.all_languages))
        default_langs = default.info.all_languages
        self._all_languages = (*default_langs, *(lang for lang in seen if lang not in default_langs))
        attributes: dict[str, None] = dict.fromkeys(default.info.attributes)
        for engine in others:
            attributes.update(dict.fromkeys(engine.info.attributes))
        self._attributes = tuple(attributes)
        unsupported: dict[str, str] = {}
        for engine in reversed(self._engines):
            unsupported.update(engine.info.unsupported)
        self._unsupported = {a: why for a, why in unsupported.items() if a not in attributes}

    @classmethod
    def from_engines(cls, engines: Sequence[Engine], *, max_bytes: int = MAX_TEXT_BYTES) -> Scorer:
        """A scorer over these engines; the first is the default."""
        if not engines:
            raise ModelError("A Scorer needs at least one engine.")
        scorer = cls.__new__(cls)
        scorer._init(engines[0], tuple(engines[1:]), max_bytes)
        return scorer

    # -- what it scores ---------------------------------------------------------------------

    @property
    def engines(self) -> tuple[Engine, ...]:
        """Every engine, the default first."""
        return self._engines

    @property
    def default_engine(self) -> Engine:
        return self._engines[0]

    @property
    def model_version(self) -> str:
        """The default engine's version (errors and empty results carry it)."""
        return self.default_engine.info.version

    @property
    def attributes(self) -> tuple[str, ...]:
        """Every attribute some engine scores; the default engine's first, in its order."""
        return self._attributes

    @property
    def default_attributes(self) -> tuple[str, ...]:
        """What the default engine scores when a request names no attribute (Perspective's six for
        the transformer; DEHUMANIZATION and CALL_FOR_VIOLENCE only when named)."""
        return tuple(self.default_engine.info.defaults)

    @property
    def thresholds(self) -> dict[str, float]:
        """The default engine's operating thresholds."""
        return dict(self.default_engine.info.thresholds)

    @property
    def unsupported(self) -> dict[str, str]:
        """Attributes an engine declines and none scores, each with the engine's reason ('' if none)."""
        return dict(self._unsupported)

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language some attribute supports; the default engine's first."""
        return self._all_languages

    @property
    def model_versions(self) -> tuple[str, ...]:
        """Every engine's version, the default's first."""
        return tuple(engine.info.version for engine in self._engines)

    @property
    def attribute_languages(self) -> dict[str, tuple[str, ...]]:
        """The attribute x language table: for each attribute, the languages it is scored in."""
        return dict(self._table)

    @property
    def thresholds_by_model(self) -> dict[str, dict[str, float]]:
        """model version -> its operating thresholds (a comment is judged by the thresholds of
        the model that scored it)."""
        return {engine.info.version: dict(engine.info.thresholds) for engine in self._engines}

    # -- variants -------------------------------------------------------------------------

    def default_only(self) -> Scorer:
        """The same default engine with no companions."""
        return Scorer.from_engines(self._engines[:1], max_bytes=self.max_bytes)

    def with_threads(self, threads: int | None) -> Scorer:
        """The same engines, each limited to `threads` (scores do not change)."""
        engines = [engine.with_threads(threads) for engine in self._engines]
        if all(new is old for new, old in zip(engines, self._engines)):
            return self
        return Scorer.from_engines(engines, max_bytes=self.max_bytes)

    def warm(self) -> dict[str, ModelError]:
        """Load what every engine loads lazily; engine version -> the error of each that cannot score."""
        failed = {}
        for engine in self._engines:
            try:
                engine.warm()
            except ModelError as error:
                failed[engine.info.version] = error
        return failed

    # -- routing --------------------------------------------------------------------------

    def engine_for(self, languages: Sequence[str]) -> Engine:
        """The engine that scores text in `languages` (codes or tags): the first that covers
        them all; when none does, the first companion (its attributes then decline them)."""
        return self._engines[self._route(languages)]

    def _route(self, languages: Sequence[str]) -> int:
        primaries = {primary_subtag(code) for code in languages}
        for index, covered in enumerate(self._engine_languages):
            if primaries <= covered:
                return index
        return 1 if len(self._engines) > 1 else 0

    def attributes_for(self, languages: Sequence[str]) -> tuple[str, ...]:
        """The attributes that support every one of `languages` (codes or tags), in model order."""
        primaries = {primary_subtag(code) for code in languages}
        return tuple(a for a in self.attributes if primaries <= self._support.get(a, frozenset()))

    def languages_of(
        self, text: str, languages: Sequence[str] | None = None
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(languages used, languages detected) for a text, as a response reports them: the
        request's languages when it gave some, else the detected one. Raises an InputError for
        text that cannot be scored at all (empty, too long, not Unicode) and a
        LanguageNotSupportedError for a language no attribute supports."""
        requested = requested_languages(languages)
        check_text(text, self.max_bytes)
        return self._languages(text, self.attributes, requested, strict=False)

    def resolve_attributes(self, attributes: Iterable[str] | None) -> tuple[str, ...]:
        """Upper-cased, de-duplicated, validated attribute names in request order."""
        if attributes is None:
            return self.default_engine.info.defaults
        out: list[str] = []
        for name in attributes:
            upper = name.strip().upper()
            if upper not in self.attributes:
                raise UnknownAttributeError(upper, self.attributes, self._unsupported.get(upper) or None)
            if upper not in out:
                out.append(upper)
        if not out:
            raise NoRequestedAttributesError(self.attributes)
        return tuple(out)

    # -- scoring --------------------------------------------------------------------------

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

        `spans`: what carries each score. `sentence_scores`: every sentence scored on its own,
        the spans Perspective's `spanAnnotations` returns (costs a pass per sentence)."""
        attrs = self.resolve_attributes(attributes)
        requested = requested_languages(languages)
        strict = attributes is not None
        out: list[ScoreResult | None] = []
        routed: dict[int, list[_Item]] = {}
        for text in texts:
            try:
                check_text(text, self.max_bytes)
                used, detected = self._languages(text, attrs, requested, strict=strict)
                engine_index = self._route(used)
                wanted = self._engine_attributes(
                    self._engines[engine_index], attrs, used, requested, strict=strict
                )
                routed.setdefault(engine_index, []).append((len(out), text, wanted, used, detected))
                out.append(None)
            except InputError as error:
                out.append(ScoreResult(text=text, model_version=self.model_version, error=error))
        for engine_index, items in sorted(routed.items()):
            for (position, *_), result in zip(
                items, self._score_on(self._engines[engine_index], items, spans, sentence_scores)
            ):
                out[position] = result
        return [r for r in out if r is not None]

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
                    a,
                    used,
                    requested=bool(requested),
                    supported=self._table.get(a, ()),
                    hint=self._language_hint(primaries),
                )
        return used, (detected,)

    def _language_hint(self, primaries: set[str]) -> str | None:
        """How to score these languages when a shipped companion that covers them is not installed."""
        attached = {engine.info.kind for engine in self._engines[1:]}
        for companion in companions():
            if companion.kind in attached or companion.available():
                continue
            shipped = shipped_languages(companion.default_version) - set(
                self.default_engine.info.all_languages
            )
            if primaries & shipped:
                languages = ", ".join(sorted(shipped))
                return f"Scores in {languages} need the {companion.kind} tier: {companion.install_hint}."
        return None

    def _engine_attributes(
        self,
        engine: Engine,
        attrs: tuple[str, ...],
        used: tuple[str, ...],
        requested: tuple[str, ...],
        *,
        strict: bool,
    ) -> tuple[str, ...]:
        """The attributes `engine` scores for text in `used`: all of `attrs` when `strict`, else
        those it supports (at least one)."""
        primaries = [primary_subtag(code) for code in used]
        wanted = tuple(a for a in attrs if all(engine.info.supports(a, p) for p in primaries))
        if strict and len(wanted) < len(attrs):
            missing = next(a for a in attrs if a not in wanted)
            raise LanguageNotSupportedError(
                missing, used, requested=bool(requested), supported=self._table.get(missing, ())
            )
        if not wanted:
            raise LanguageNotSupportedError(
                attrs[0], used, requested=bool(requested), supported=self.default_engine.info.all_languages
            )
        return wanted

    def _score_on(
        self, engine: Engine, items: list[_Item], with_spans: bool, with_sentences: bool
    ) -> list[ScoreResult]:
        """One engine call for all its items: the union of their attributes, each text keeping its own."""
        union = tuple(a for a in engine.info.attributes if any(a in wanted for _, _, wanted, _, _ in items))
        version = engine.info.version
        try:
            scored = engine.score(
                [text for _, text, _, _, _ in items], union, spans=with_spans, sentences=with_sentences
            )
        except ModelError as error:  # a companion's runtime is missing or of another version
            hint = f"{error} Until then, texts in {', '.join(engine.info.all_languages)} cannot be scored."
            return [
                ScoreResult(
                    text,
                    version,
                    error=LanguageNotSupportedError(
                        wanted[0],
                        used,
                        requested=False,
                        supported=self.default_engine.info.all_languages,
                        hint=hint,
                    ),
                )
                for _, text, wanted, used, _ in items
            ]
        return [
            ScoreResult(text, version, {a: scores[a] for a in wanted}, used, detected)
            for (_, text, wanted, used, detected), scores in zip(items, scored)
        ]
