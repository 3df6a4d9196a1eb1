"""The one sentence splitter (tenor._text.sentences, pysbd underneath) that comment scoring and the
technique model share: a hand-written table of what news prose and comments throw at it.

Measured when it replaced the hand-written splitters (issue 19), cases right out of 22: the old
comment splitter (a regex on .!?) 6, the old article splitter (techniques._segment) 20, pysbd
alone 19 (it missed the URL's "?", "!!!" and "…"), this splitter 22.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from tenor import _text
from tenor._text import sentences
from tenor.techniques._segment import sentences_of

CASES = [
    ("Dr. Smith arrived. He left.", ["Dr. Smith arrived.", "He left."]),
    ("The U.S. economy grew. Prices fell.", ["The U.S. economy grew.", "Prices fell."]),
    (
        "They raised 3.5 million dollars. It was enough.",
        ["They raised 3.5 million dollars.", "It was enough."],
    ),
    ("Pi is about 3.14 today. Nice.", ["Pi is about 3.14 today.", "Nice."]),
    ('She said "Stop." Then she left.', ['She said "Stop."', "Then she left."]),
    (
        "Visit https://example.com/a.b?x=1 now. Then log in.",
        ["Visit https://example.com/a.b?x=1 now.", "Then log in."],
    ),
    ("I love it 😍. You are great!", ["I love it 😍.", "You are great!"]),
    ("I waited... and waited. Then it came.", ["I waited... and waited.", "Then it came."]),
    (
        "Mr. Jones came at 5 p.m. on Monday. They stayed.",
        ["Mr. Jones came at 5 p.m. on Monday.", "They stayed."],
    ),
    ("What?! No way. Really?", ["What?!", "No way.", "Really?"]),
    ("J. Edgar Hoover ran the FBI. He died in 1972.", ["J. Edgar Hoover ran the FBI.", "He died in 1972."]),
    ("Version 2.0 is out. Get it.", ["Version 2.0 is out.", "Get it."]),
    ("Ugh!!! So bad.", ["Ugh!!!", "So bad."]),
    ("this is bad. you are bad.", ["this is bad.", "you are bad."]),
    ("first line\nsecond line", ["first line", "second line"]),
    ('"Is it true?" she asked. Nobody knew.', ['"Is it true?" she asked.', "Nobody knew."]),
    ("He lives at No. 10 on the street. Nice.", ["He lives at No. 10 on the street.", "Nice."]),
    ("It costs $4.99 in the U.K. and more elsewhere.", ["It costs $4.99 in the U.K. and more elsewhere."]),
    ("You are an idiot. 😡 Go away!", ["You are an idiot.", "😡 Go away!"]),
    ("Great… Another tax. Thanks a lot.", ["Great…", "Another tax.", "Thanks a lot."]),
    ("Prof. Lee, Ph.D., spoke. We listened.", ["Prof. Lee, Ph.D., spoke.", "We listened."]),
    ("See www.example.org. It is down.", ["See www.example.org.", "It is down."]),
]
IDS = [f"{i:02d}-{text[:24]}" for i, (text, _) in enumerate(CASES)]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=IDS)
def test_the_case_table(text: str, expected: list[str]) -> None:
    got = sentences(text)
    assert [text[b:e] for b, e in got] == expected
    assert sentences_of(text, 0, len(text)) == got  # the technique model reads the same sentences


@pytest.mark.parametrize(("text", "expected"), CASES, ids=IDS)
def test_offsets_hold_inside_a_larger_text(text: str, expected: list[str]) -> None:
    """sentences_of reads one paragraph of an article: offsets are the article's."""
    article = "Intro para.\n" + text + "\nOutro."
    begin = len("Intro para.\n")
    got = sentences_of(article, begin, begin + len(text))
    assert [article[b:e] for b, e in got] == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\n",
        "!!!",
        "…",
        "a",
        "x\u2026y",
        "😀😀",
        "?!?!?!",
        "\u2026\u2026 hi",
        "e.g. i.e. etc.",
        "∯ ȸ ♨ ☝ ✂ ⎋ ᓰ",
    ],
)
def test_odd_texts_give_trimmed_covering_spans(text: str) -> None:
    """Texts pysbd rewrites internally (it uses some of these characters as placeholders) still
    give exact, trimmed, ordered spans covering every non-space character."""
    spans = sentences(text)
    assert spans == sorted(spans) and all(e > b for b, e in spans)
    assert all(text[b:e] == text[b:e].strip() for b, e in spans)
    assert all(e1 <= b2 for (_, e1), (b2, _) in pairwise(spans))
    covered = {i for b, e in spans for i in range(b, e)}
    assert {i for i, c in enumerate(text) if not c.isspace()} <= covered


def test_long_texts_are_read_in_windows_with_the_same_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    """pysbd is quadratic in what it reads at once: a long comment goes to it in windows of at
    most _WINDOW characters, and the windows find the sentences one read of the whole would."""
    import pysbd.processor

    text = " ".join(t.replace("\n", " ") for t, _ in CASES) * 8
    whole_window = len(text) + 1
    monkeypatch.setattr(_text, "_WINDOW", whole_window)
    whole = sentences(text)
    monkeypatch.undo()
    read: list[int] = []
    real = pysbd.processor.Processor

    def recording(view: str, *args: object, **kwargs: object) -> pysbd.processor.Processor:
        read.append(len(view))
        return real(view, *args, **kwargs)

    monkeypatch.setattr(pysbd.processor, "Processor", recording)
    assert sentences(text) == whole and len(whole) > 100
    assert len(read) > 1 and max(read) <= _text._WINDOW + 2 * text.count("…")  # "…" reads as "..."


def test_a_sentence_longer_than_a_window_stays_whole() -> None:
    text = "U.S. " * 400 + "end. Next one."
    assert [text[b:e] for b, e in sentences(text)] == [text[: text.index("end.") + 4], "Next one."]
