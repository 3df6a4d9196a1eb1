"""Reading `tenor score` input: one text per line, or JSONL objects with a `text` field.

Input is read as bytes and decoded line by line, so one line of bad UTF-8 becomes an error
for that line instead of ending the run. The format is decided once, from the first
`SNIFF_LINES` non-blank lines, so a stream of millions of lines never has to be held in memory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from typing import BinaryIO

from .._errors import InputError

__all__ = ["SNIFF_LINES", "Item", "check_text", "read_items"]

SNIFF_LINES = 256
_BOM = b"\xef\xbb\xbf"
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Item:
    """One input to score, or the reason it cannot be read; `line` is 1-based."""

    line: int
    text: str | None
    error: InputError | None = None
    client_token: str | None = None
    input_id: str | int | None = None  # a JSONL line's "id", echoed with --json


def _decoded(lines: Iterable[bytes]) -> Iterator[tuple[int, str | InputError]]:
    """(line number, text or error) for every non-blank line."""
    for number, raw in enumerate(lines, start=1):
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        raw = raw.rstrip(b"\r\n")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield (
                number,
                InputError(
                    f"line {number}: not valid UTF-8 (byte 0x{raw[e.start]:02x} at byte {e.start + 1}); "
                    "save the input as UTF-8."
                ),
            )
            continue
        if text.strip():
            yield number, text


def _looks_like_object(text: str) -> bool:
    return text.lstrip().startswith("{")


def _has_text_field(text: str) -> bool:
    try:
        value = json.loads(text)
    except ValueError:
        return False
    return isinstance(value, dict) and isinstance(value.get("text"), str)


def check_text(text: str, where: str) -> InputError | None:
    """Text that JSON or argv can carry but no UTF-8 encoder accepts: an unpaired surrogate."""
    match = _SURROGATE_RE.search(text)
    if match is None:
        return None
    return InputError(
        f"{where}: contains an unpaired UTF-16 surrogate (\\u{ord(match.group()):04x} at character "
        f"{match.start() + 1}), which is not text; fix the escape sequence in the input."
    )


def _input_id(value: dict) -> str | int | None:
    """A JSONL object's "id" (a string or an integer), so output joins back to the input."""
    given = value.get("id")
    if isinstance(given, bool) or not isinstance(given, (str, int)):
        return None
    return given if isinstance(given, int) or check_text(given, "") is None else None


def _jsonl_item(number: int, text: str) -> Item:
    try:
        value = json.loads(text)
    except ValueError as e:
        return Item(
            number,
            None,
            InputError(f'line {number}: invalid JSON ({e}); expected an object like {{"text": "..."}}.'),
        )
    if not isinstance(value, dict):
        return Item(
            number,
            None,
            InputError(
                f'line {number}: expected a JSON object like {{"text": "..."}}, got {type(value).__name__}.'
            ),
        )
    comment = value.get("text")
    if not isinstance(comment, str):
        problem = (
            'has no "text" field'
            if comment is None
            else f'has a "text" that is {type(comment).__name__}, not a string'
        )
        return Item(
            number, None, InputError(f"line {number}: the JSON object {problem}."), input_id=_input_id(value)
        )
    bad = check_text(comment, f"line {number}")
    if bad is not None:
        return Item(number, None, bad, input_id=_input_id(value))
    # The token is echoed verbatim in --json output, so it must be encodable text too.
    token = value.get("clientToken")
    if not isinstance(token, str) or check_text(token, "") is not None:
        token = None
    return Item(number, comment, client_token=token, input_id=_input_id(value))


def _is_jsonl(sample: list[tuple[int, str | InputError]]) -> bool:
    # JSONL only when every readable line looks like an object and at least one really is one
    # with a string "text": a plain-text comment that happens to start with "{" stays text,
    # while one broken line in a JSONL file still gets its own error.
    texts = [t for _, t in sample if isinstance(t, str)]
    if not texts or not all(_looks_like_object(t) for t in texts):
        return False
    return any(_has_text_field(t) for t in texts)


def read_items(stream: BinaryIO) -> Iterator[Item]:
    """Items from a binary stream, lazily; blank lines are skipped."""
    lines = _decoded(stream)
    sample = list(islice(lines, SNIFF_LINES))
    jsonl = _is_jsonl(sample)
    for number, text in chain(sample, lines):
        if isinstance(text, InputError):
            yield Item(number, None, text)
        elif jsonl:
            yield _jsonl_item(number, text)
        else:
            yield Item(number, text)
