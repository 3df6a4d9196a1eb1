"""Property tests for the text primitives every score depends on."""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="property tests need hypothesis (dev group)")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tenor._text import dedup_key, sentences, tokenize  # noqa: E402


@given(st.text())
def test_tokens_are_slices_of_the_text_in_order(text: str) -> None:
    last = 0
    for token in tokenize(text):
        assert text[token.begin : token.end] == token.text
        assert token.begin >= last
        last = token.end


@given(st.text())
def test_dedup_key_is_idempotent(text: str) -> None:
    assert dedup_key(dedup_key(text)) == dedup_key(text)


@given(st.text())
def test_sentences_are_trimmed_non_empty_slices(text: str) -> None:
    for begin, end in sentences(text):
        assert end > begin
        assert not text[begin].isspace() and not text[end - 1].isspace()
