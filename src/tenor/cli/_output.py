"""How `tenor score` prints: a table for people, Perspective JSON lines for programs."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import click

from .._errors import InputError, LanguageNotSupportedError
from .._language import primary_subtag
from .._perspective import analyze_response, error_response
from .._scorer import ScoreResult, Span

__all__ = ["Outcome", "TableWriter", "json_line"]

# Short headers keep six score columns plus some text within 100 columns.
_HEADERS = {
    "TOXICITY": "TOXIC",
    "SEVERE_TOXICITY": "SEVERE",
    "IDENTITY_ATTACK": "IDENTITY",
    "INSULT": "INSULT",
    "PROFANITY": "PROFANE",
    "THREAT": "THREAT",
    "SEXUALLY_EXPLICIT": "SEXUAL",
}
_NOT_SCORED = "—"  # an attribute the text's model does not score in its language: no number, not a 0
# Comments can carry terminal escape sequences and newlines; neither belongs in a table cell.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One input line's fate: a result, or an error (an InputError, or anything unexpected)."""

    line: int
    text: str | None
    result: ScoreResult | None = None
    error: Exception | None = None
    client_token: str | None = None
    input_id: str | int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def json_line(outcome: Outcome, attributes: Sequence[str], spans: bool) -> str:
    """The Perspective response body for a scored line, or Google's error envelope for a failed one.
    A text the multilingual tier scored answers the attributes it has (as Perspective does with
    dropUnsupportedAttributes), with the tier's `modelVersion`."""
    body: dict[str, Any]
    if outcome.ok:
        assert outcome.result is not None
        requested = [a for a in attributes if a in outcome.result.scores]
        body = analyze_response(
            outcome.result, requested=requested, span_annotations=spans, client_token=outcome.client_token
        )
    else:
        assert outcome.error is not None
        body = error_response(outcome.error)[1]
    # tenor's join keys beside Perspective's body: the input's JSONL "id" (else its line number,
    # counting blank lines, as in the table) and the line itself
    body = {
        **body,
        "id": outcome.line if outcome.input_id is None else outcome.input_id,
        "line": outcome.line,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _clean(text: str) -> str:
    return _CONTROL_RE.sub(" ", text).strip()


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _error_message(
    error: Exception, languages: Sequence[str], attribute_languages: Mapping[str, Sequence[str]] | None = None
) -> str:
    if isinstance(error, LanguageNotSupportedError):
        # The library's own hint names the Python argument; here the flags are what help.
        supported = (attribute_languages or {}).get(error.attribute, languages)
        how = "requested" if error.requested else "detected"
        message = f"{error.perspective_message} ({how}; {error.attribute} supports {', '.join(supported)})."
        if all(primary_subtag(code) in languages for code in error.languages):
            # the language is scored, only not for this attribute: the line would go through without it
            message += (
                f" Leave {error.attribute} out of --attributes to score the attributes that support it."
            )
        elif not error.requested:
            message += f" If the text is in fact {languages[0]}, pass --languages {languages[0]}."
        return message
    if isinstance(error, InputError):
        return str(error)
    return f"internal error ({type(error).__name__}: {error}); please report it"


class TableWriter:
    """Rows of scores, three decimals, values at or above their model's threshold in bold; "—"
    for an attribute the text's model does not score in its language (the multilingual tier
    scores TOXICITY only).

    `thresholds`: the English model's; `by_model`: each model version's (a text is judged by the
    model that scored it); `attribute_languages`: the languages each attribute supports."""

    def __init__(
        self,
        attributes: Sequence[str],
        thresholds: Mapping[str, float],
        languages: Sequence[str],
        *,
        spans: bool,
        by_model: Mapping[str, Mapping[str, float]] | None = None,
        attribute_languages: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.attributes = tuple(attributes)
        self.languages = tuple(languages)
        self.thresholds = thresholds
        self.by_model = by_model or {}
        self.attribute_languages = attribute_languages or {}
        self.spans = spans
        self.headers = [_HEADERS.get(a, a) for a in self.attributes]
        self.widths = [max(len(h), 5) for h in self.headers]
        used = 6 + sum(w + 2 for w in self.widths)
        self.text_width = max(20, shutil.get_terminal_size((100, 24)).columns - used - 1)

    def header(self) -> str:
        cells = [f"{h:>{w}}" for h, w in zip(self.headers, self.widths)]
        return f"{'LINE':>5} " + "  ".join(cells) + "  TEXT"

    def rows(self, outcome: Outcome) -> list[str]:
        text = _truncate(_clean(outcome.text or ""), self.text_width)
        if not outcome.ok:
            assert outcome.error is not None
            message = _error_message(outcome.error, self.languages, self.attribute_languages)
            return [f"{outcome.line:>5} " + click.style("error: " + message, fg="red")]
        assert outcome.result is not None
        thresholds = self.by_model.get(outcome.result.model_version, self.thresholds)
        cells = []
        for attribute, width in zip(self.attributes, self.widths):
            score = outcome.result.scores.get(attribute)
            if score is None:
                cells.append(f"{_NOT_SCORED:>{width}}")
                continue
            cell = f"{score.value:>{width}.3f}"
            cells.append(
                click.style(cell, bold=True) if score.value >= thresholds.get(attribute, 1.0) else cell
            )
        rows = [f"{outcome.line:>5} " + "  ".join(cells) + "  " + text]
        if self.spans:
            rows.extend(self._span_rows(outcome.result))
        return rows

    def _span_rows(self, result: ScoreResult) -> list[str]:
        # Attributes often mark the same words (heads share one span model): say so once.
        groups: dict[tuple[Span, ...], list[str]] = {}
        for attribute in self.attributes:
            score = result.scores.get(attribute)
            spans = tuple(score.spans) if score is not None else ()
            if spans:
                groups.setdefault(spans, []).append(attribute)
        if not groups:
            return [" " * 6 + "marked: nothing"]
        return [
            " " * 6
            + ", ".join(attributes)
            + ": "
            + ", ".join(f'"{_clean(result.text[s.begin : s.end])}"' for s in spans)
            for spans, attributes in groups.items()
        ]
