"""Text primitives: offsets must be exact, because spans are built on them."""

from __future__ import annotations

import pytest

from tenor._text import dedup_key, normal_forms, sentences, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi there", [("Hi", 0, 2), ("there", 3, 8)]),
        ("don't f*ck!!", [("don't", 0, 5), ("f*ck", 6, 10), ("!", 10, 11), ("!", 11, 12)]),
        ("f**king idiot’s", [("f**king", 0, 7), ("idiot’s", 8, 15)]),
        ("a😀b", [("a", 0, 1), ("😀", 1, 2), ("b", 2, 3)]),
        ("  ", []),
    ],
    ids=["words", "apostrophe-asterisk-punctuation", "double-asterisk-curly-apostrophe", "emoji", "blank"],
)
def test_tokenize(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert [(t.text, t.begin, t.end) for t in tokenize(text)] == expected


@pytest.mark.parametrize(
    "text",
    ["What kind of idiot name is foo?", "héllo 😀 wörld…  ok?!", "tab\tand\nnewline", "1,000 people said 'no'"],
    ids=["spec", "unicode", "whitespace", "numbers-quotes"],
)
def test_token_offsets_slice_back_to_the_token(text: str) -> None:
    for token in tokenize(text):
        assert text[token.begin : token.end] == token.text


@pytest.mark.parametrize(("text", "is_word"), [("idiot", True), ("_x", True), ("3", True), ("!", False), ("😀", False)])
def test_is_word(text: str, is_word: bool) -> None:
    assert tokenize(text)[0].is_word is is_word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The spec's example: the whitespace between sentences is in no span. (The spec says 55
        # for the end; the text is 56 code points long, and the span runs to its end.)
        ("What kind of idiot name is foo? Sorry, I like your name.", [(0, 31), (32, 56)]),
        # "..." before a lowercase word does not end a sentence (pysbd's rule, issue 19)
        ("Hi!!  There\nnew line... ok", [(0, 4), (6, 11), (12, 26)]),
        ("no punctuation at all", [(0, 21)]),
        ("  padded.  ", [(2, 9)]),
        ("", []),
        (" \n ", []),
    ],
    ids=["spec", "runs-and-newlines", "no-punctuation", "padded", "empty", "blank"],
)
def test_sentences(text: str, expected: list[tuple[int, int]]) -> None:
    assert sentences(text) == expected
    for begin, end in expected:
        chunk = text[begin:end]
        assert chunk == chunk.strip()


@pytest.mark.parametrize(
    ("a", "b"),
    [("Hello, World!!", "hello world"), ("Ｈｅｌｌｏ", "hello"), ("Straße", "STRASSE"), ("a_b c", "abc")],
    ids=["case-punctuation", "fullwidth-nfkc", "casefold", "underscore-space"],
)
def test_dedup_key_equates_trivial_variants(a: str, b: str) -> None:
    assert dedup_key(a) == dedup_key(b)


def test_dedup_key_keeps_words_apart() -> None:
    assert dedup_key("you are nice") != dedup_key("you are mean")
    assert dedup_key("Ｈｅｌｌｏ, World!!") == "helloworld"


@pytest.mark.parametrize(
    ("lower", "expected"),
    [
        ("fuuuck", ("fuck",)),
        ("sh1t", ("shit",)),
        ("$h1t", ("shit",)),
        ("loooool", ("lol",)),
        ("stuuup1d", ("stup1d", "stupid")),
        ("hello", ()),
        ("1234", ()),  # no letters: a number, not leetspeak
        ("too", ()),  # a double letter is spelling, not obfuscation
    ],
    ids=["run", "leet", "leet-dollar", "long-run", "run-then-leet", "plain", "digits", "double-letter"],
)
def test_normal_forms(lower: str, expected: tuple[str, ...]) -> None:
    assert normal_forms(lower) == expected
