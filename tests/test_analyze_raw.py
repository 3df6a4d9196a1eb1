"""The raw text dump reader (product.md §3), reply inference and the dateline check.

Golden pages: tests/golden/analyze/raw/NAME.txt is read and compared with NAME.json
(page_to_dict, pretty-printed). TENOR_REGEN_GOLDEN=1 rewrites the .json files: read them
before trusting them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenor._errors import PageFormatError
from tenor.analyze import parse_pages
from tenor.analyze._dateline import check_dateline, find_dates, is_date_line
from tenor.analyze._page import Article, Comment, Page, ReplyEvidence, page_to_dict
from tenor.analyze._rawdump import (
    Block,
    author_strength,
    choose_boundary,
    find_author_lines,
    read_raw,
    register_score,
    split_blocks,
    split_header,
)
from tenor.analyze._replies import author_name, first_name, infer_replies, mention_forms

GOLDEN = Path(__file__).parent / "golden" / "analyze" / "raw"
DUMPS = sorted(GOLDEN.glob("*.txt"))


def _read(name: str) -> Page:
    path = GOLDEN / name
    return parse_pages(path.read_bytes(), path.name, "raw")[0]


# --- golden pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("dump", DUMPS, ids=[p.stem for p in DUMPS])
def test_golden_page(dump: Path) -> None:
    pages = parse_pages(dump.read_bytes(), dump.name, "raw")  # the reader plus the dateline check
    assert len(pages) == 1
    got = page_to_dict(pages[0])
    expected = dump.with_suffix(".json")
    if os.environ.get("TENOR_REGEN_GOLDEN") == "1":
        expected.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(expected.read_text(encoding="utf-8"))


def test_there_are_enough_golden_pages() -> None:
    assert len(DUMPS) >= 7
    assert all(p.with_suffix(".json").exists() for p in DUMPS)


def test_product_example_reads_as_documented() -> None:
    page = _read("product_example.txt")
    assert (page.format, page.dateline, page.title) == (
        "raw",
        "MARCH 2024",
        "Harbour Bridge Reopens After Repairs",
    )
    assert len(page.article.paragraphs) == 2
    assert [c.author for c in page.comments] == [None, None, "Jane Doe", "j0hn_q ."]
    assert [c.text for c in page.comments[:2]] == [
        "Great news, finally!!",
        "Anyone know if the bike lane is open too?",
    ]
    assert [p.text[:16] for p in page.comments[2].paragraphs] == ["I drove across t", "The toll is stil"]
    assert [c.parent for c in page.comments] == [None, None, None, "c3"]
    assert page.comments[3].reply_evidence == [ReplyEvidence("vocative", "Jane…", 0, 5)]
    assert page.warnings == []


def test_crlf_reads_like_lf() -> None:
    data = (GOLDEN / "crlf_nonascii.txt").read_bytes()
    assert b"\r\n" in data  # the golden file must keep its CRLF line ends
    lf = page_to_dict(read_raw(data.replace(b"\r\n", b"\n"), "x")[0])
    cr = page_to_dict(read_raw(data.replace(b"\r\n", b"\r"), "x")[0])
    assert page_to_dict(read_raw(data, "x")[0]) == lf == cr
    assert [c["author"] for c in lf["comments"]] == ["Zoë 1987", "Łukasz_W", "José M."]  # type: ignore[index]


def test_layout_evidence_beats_tone() -> None:
    # A long third-person comment after a double blank line is still a comment; one after an
    # author line too; extra blank lines after an author line do not start an anonymous comment.
    page = _read("article_like_comment.txt")
    assert len(page.article.paragraphs) == 3
    assert [c.author for c in page.comments] == [None, "GreenThumb77", "Riverside resident"]
    page = _read("sentence_like_authors.txt")
    assert [c.author for c in page.comments] == ["The Real Truth .", "Not Happy In Leeds", "Anna K."]


def test_dateline_mismatch_is_reported_with_its_place() -> None:
    warnings = _read("dateline_mismatch.txt").warnings
    assert len(warnings) == 3
    assert "'14 June 2019'" in warnings[0] and "article paragraph 1" in warnings[0]
    assert "'Tuesday, March 12, 2024'" in warnings[0]
    assert "'2016'" in warnings[1] and "comment c2" in warnings[2]
    assert not any("2000" in w for w in warnings)  # "2000 homes" is a count


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\n\r\n \t \n", "\ufeff\u200b\n".encode()])
def test_empty_file_is_an_error(data: bytes) -> None:
    with pytest.raises(PageFormatError, match="empty"):
        read_raw(data, "empty.txt")


def test_undecodable_bytes_are_an_error() -> None:
    with pytest.raises(PageFormatError, match="byte 0x92"):
        read_raw(b"Title\n\nIt\x92s here.", "cp1252.txt")


# --- line and block classification --------------------------------------------------------------


def test_split_blocks_counts_blank_lines_and_ignores_trailing_spaces() -> None:
    blocks = split_blocks("\n  Title  \r\n \t\r\nline one\nline two   \r\r\n\n\nlast")
    assert blocks == [Block(("Title",), 1), Block(("line one", "line two"), 1), Block(("last",), 3)]
    assert blocks[1].text == "line one\nline two"


@pytest.mark.parametrize(
    "line",
    [
        "Jane Doe",
        "j0hn_q .",
        "Zoë 1987",
        "The Real Truth .",
        "Not Happy In Leeds",
        "Anna K.",
        "GreenThumb77",
        "Carol_B",
        "dave.smith",
        "Sam Smith Jr.",
    ],
)
def test_display_names_are_strong_author_lines(line: str) -> None:
    assert author_strength(line) == 2


@pytest.mark.parametrize("line", ["Pete", "Riverside resident", "Concerned parent", "Sceptic"])
def test_plain_words_are_weak_author_lines(line: str) -> None:
    assert author_strength(line) == 1


@pytest.mark.parametrize(
    "line",
    [
        "Great news, finally!!",
        "Traffic was fine.",
        "Agreed.",
        "So true",
        "Me Too",
        "Spot On",
        "About time",
        "Love it",
        "lol",
        "Why?",
        "By Sarah Collins",
        "- Bob",
        "> quoted",
        "MARCH 2024",
        "1987",
        "Jane...",
        "This is a much longer line that is clearly a sentence",
        "Note:",
    ],
)
def test_sentences_and_reactions_are_not_author_lines(line: str) -> None:
    assert author_strength(line) == 0


def test_author_lines_need_a_comment_after_them() -> None:
    text = "Jane Doe\n\nHello there.\n\nPete\n\n\nHi.\n\nPete\n\nThanks.\n\n"
    blocks = split_blocks(text + "Bob Smith\n\nAnn Lee\n\nOk then.\n\nZed Q")
    assert find_author_lines(blocks) == [True, False, False, False, True, False, False, True, False, False]


@pytest.mark.parametrize(
    "text",
    [
        "Great news, finally!!",
        "Anyone know if the bike lane is open too?",
        "lol they never learn :)",
        "@jane you are right about the toll",
        "I drove across this morning and it was fine.",
    ],
)
def test_comment_register_scores_positive(text: str) -> None:
    assert register_score(text) > 0


@pytest.mark.parametrize(
    "text",
    [
        "The city council confirmed on Monday that the bridge will carry traffic again after eight months"
        " of repairs.",
        '"We are delighted," the mayor said. "I have waited years for this day, and so have you."',
        "Engineers replaced forty cables over eight months, working mostly at night to keep two lanes of"
        " the bridge open.",
    ],
)
def test_reportage_scores_negative(text: str) -> None:
    assert register_score(text) < 0


def test_choose_boundary() -> None:
    assert choose_boundary([-2, -1, 3], hard=3) == 2
    assert choose_boundary([-2, 0, 3], hard=3) == 2  # a neutral block stays in the article
    assert choose_boundary([-2, -1, 1], hard=3) == 3  # one weak cue is not enough
    assert choose_boundary([5, -1], hard=2) == 2  # the first block is the article's
    assert choose_boundary([-1, 2, -3, 2], hard=4) == 3
    assert choose_boundary([], hard=0) == 0 and choose_boundary([3, 3], hard=0) == 0


def test_split_header() -> None:
    def header(text: str) -> tuple[str | None, str | None, int]:
        dateline, title, rest = split_header(split_blocks(text))
        return dateline, title, len(rest)

    assert header("MARCH 2024\n\nA Title\n\nBody.") == ("MARCH 2024", "A Title", 1)
    assert header("A Title\n\n2024-03-12\n\nBody.") == ("2024-03-12", "A Title", 1)
    assert header("12 March 2024\nA Title\n\nBody.") == ("12 March 2024", "A Title", 1)
    assert header("The council met on Monday to discuss the bridge.\n\nMore.") == (None, None, 2)


@pytest.mark.parametrize(
    "line",
    [
        "MARCH 2024",
        "12 March 2024",
        "2024-03-12",
        "Tuesday, March 12, 2024",
        "12th of March, 2024",
        "12/03/2024",
        "Tue 12 Mar 2024 10:15",
        "March 12, 2024 at 9:30 am GMT",
    ],
)
def test_date_lines(line: str) -> None:
    assert is_date_line(line)


@pytest.mark.parametrize(
    "line", ["2024", "March", "Published 12 March 2024", "March 2024 was wet", "31 February 2024"]
)
def test_not_date_lines(line: str) -> None:
    assert not is_date_line(line)


def test_find_dates_skips_bare_numbers() -> None:
    text = (
        "Opened on 14 June 2019 after work began in 2016, with 2000 homes at risk; 2019 cases; in 2000 homes."
    )
    assert [d.written for d in find_dates(text)] == ["14 June 2019", "2016"]


def _page(dateline: str | None, article: list[str], comments: list[str]) -> Page:
    return Page(
        "x",
        "raw",
        dateline=dateline,
        article=Article.from_paragraphs(article),
        comments=[Comment.from_paragraphs(f"c{i}", None, [t]) for i, t in enumerate(comments, 1)],
    )


def test_check_dateline() -> None:
    assert check_dateline(_page(None, ["Opened in 2016."], [])) == []
    assert check_dateline(_page("MARCH 2024", ["No dates here, only 2000 homes."], [])) == []
    assert check_dateline(_page("MARCH 2024", ["Work began in 2023, and on 1 April 2023."], [])) == []
    [w] = check_dateline(_page("MARCH 2024", ["Fine."], ["It flooded in January 2023."]))
    assert "'January 2023'" in w and "comment c1" in w and "'MARCH 2024'" in w


# --- reply inference ----------------------------------------------------------------------------


def _thread(*items: tuple[str | None, str]) -> list[Comment]:
    comments = [Comment.from_paragraphs(f"c{i}", a, [t]) for i, (a, t) in enumerate(items, 1)]
    infer_replies(comments)
    return comments


def test_names_for_matching() -> None:
    assert author_name("j0hn_q .") == "j0hn_q"
    assert "j0hn_q" in mention_forms("j0hn_q .") and "jane_doe" in mention_forms("Jane Doe")
    assert [first_name(n) for n in ("Jane Doe", "Carol_B", "dad_of_three", "Zoë 1987", "Pete")] == [
        "Jane",
        "Carol",
        "",
        "Zoë",
        "",
    ]


def test_vocative_picks_the_nearest_comment_by_that_author() -> None:
    c = _thread(("Jane Doe", "First."), ("Bob", "Second."), ("Jane Doe", "Third."), ("Al", "Jane... no way."))
    assert c[3].parent == "c3" and c[3].reply_evidence == [ReplyEvidence("vocative", "Jane...", 0, 7)]


@pytest.mark.parametrize(
    ("reply", "said"),
    [
        ("Jane Doe, fair point.", "Jane Doe,"),
        ("Hi Jane, fair point.", "Jane,"),
        ("Ok. Jane - fair point.", "Jane -"),
        ("JANE: no.", "JANE:"),
        ("Jane! Stop.", "Jane!"),
        ("jane… no", "jane…"),
    ],
)
def test_vocative_cues(reply: str, said: str) -> None:
    c = _thread(("Jane Doe", "Hello."), (None, reply))
    assert c[1].parent == "c1" and c[1].reply_evidence[0].text == said


@pytest.mark.parametrize(
    "reply",
    ["Jane is right.", "I met Jane, she said hi.", "Janet, no.", "Jane. No.", "So, what now?"],
)
def test_no_vocative_without_the_cue(reply: str) -> None:
    c = _thread(("Jane Doe", "Hello."), ("So", "Hi."), (None, reply))
    assert c[2].parent is None


def test_common_word_names_need_the_cue_at_the_very_start() -> None:
    c = _thread(
        ("Will", "A."),
        ("May Chen", "B."),
        (None, "Will, you are wrong."),
        (None, "It will, eventually."),
        (None, "Sure. Will, no."),
        (None, "May, wait."),
        (None, "will, no."),
        (None, "Ok. May Chen, yes."),
    )
    assert [x.parent for x in c] == [None, None, "c1", None, None, "c2", None, "c2"]


def test_ambiguous_first_names_do_not_link() -> None:
    c = _thread(("Jane Doe", "A."), ("Jane Roe", "B."), (None, "Jane, no."), (None, "Jane Doe, no."))
    assert [x.parent for x in c] == [None, None, None, "c1"]


def test_mentions() -> None:
    c = _thread(
        ("j0hn_q .", "A."),
        ("Jane Doe", "B."),
        ("Zoë 1987", "C."),
        (None, "@J0HN_Q agreed."),
        (None, "thanks @Jane Doe!"),
        (None, "@jane_doe yes"),
        (None, "cc @Zoë: look"),
        (None, "@nobody hi"),
        (None, "mail me@j0hn_q.com"),
    )
    assert [x.parent for x in c[3:]] == ["c1", "c2", "c2", "c3", None, None]
    assert c[3].reply_evidence == [ReplyEvidence("mention", "@J0HN_Q", 0, 7)]
    assert c[4].reply_evidence[0].text == "@Jane Doe"


def test_quotes() -> None:
    original = "The toll is still the same, though the queues are much shorter now."
    c = _thread(
        ("Jane Doe", original),
        (None, "Traffic was fine. Honestly."),
        ("Al", "the TOLL is still -- the same, though the queues? Rubbish."),
        ("Bo", 'Sure, "Traffic was fine." Not for me.'),
        ("Cy", "Traffic was fine, for me."),  # an unquoted short sentence is not enough
        ("Di", original),  # a duplicate post, not a reply
    )
    assert c[2].parent == "c1" and c[2].reply_evidence[0].kind == "quote"
    ev = c[2].reply_evidence[0]
    assert c[2].text[ev.start : ev.end] == ev.text == "the TOLL is still -- the same, though the queues"
    assert c[3].parent == "c2" and c[3].reply_evidence[0].text == "Traffic was fine"
    assert c[4].parent is None and c[5].parent is None


def test_quote_outranks_a_vocative_and_evidence_agrees_with_the_parent() -> None:
    c = _thread(
        ("Jane Doe", "A."),
        ("Bob", "We should all cycle to work every single day."),
        ("Al", "Jane, we should all cycle to work every single day? No."),
    )
    assert c[2].parent == "c2" and [e.kind for e in c[2].reply_evidence] == ["quote"]
    c = _thread(
        ("Jane Doe", "We should all cycle to work every single day."),
        ("Al", "Jane, we should all cycle to work every single day? No."),
    )
    assert [e.kind for e in c[1].reply_evidence] == ["quote", "vocative"]


def test_existing_parents_are_kept_and_nothing_links_to_itself_or_later() -> None:
    c = [
        Comment.from_paragraphs("a", "Jane Doe", ["Jane, talking to myself."]),
        Comment.from_paragraphs(
            "b", "Bob", ["Jane, hi."], parent="x", reply_evidence=[ReplyEvidence("format")]
        ),
        Comment.from_paragraphs("c", "Jane Doe", ["Jane, me again."]),
        Comment.from_paragraphs("d", "Al", ["@Zed hello"]),
        Comment.from_paragraphs("e", "Zed", ["Hi."]),
    ]
    infer_replies(c)
    assert [x.parent for x in c] == [None, "x", None, None, None]
    assert c[1].reply_evidence == [ReplyEvidence("format")]


# --- properties ---------------------------------------------------------------------------------

_NAMES = [
    "Jane Doe",
    "j0hn_q .",
    "Zoë 1987",
    "The Real Truth .",
    "Not Happy In Leeds",
    "Pete",
    "Carol_B",
    "Will",
]
_SENTENCES = [
    "The council confirmed the plan on Monday, officials said.",
    "Great news, finally!!",
    "Anyone know if the bike lane is open too?",
    "I drove across this morning. Traffic was fine.",
    "Jane… lucky you, it took me an hour.",
    "@j0hn_q the toll is still the same, though.",
    "It reopened in 2019 after 2000 days.",
    "lol",
    "Will, you are wrong.",
]


@st.composite
def dumps(draw: st.DrawFn) -> str:
    parts: list[str] = []
    if draw(st.booleans()):
        parts += [
            draw(st.sampled_from(["MARCH 2024", "12 March 2024", "2024-03-12", "Tuesday, March 12, 2024"])),
            "",
        ]
    if draw(st.booleans()):
        parts += ["Harbour Bridge Reopens", ""]
    for _ in range(draw(st.integers(0, 8))):
        if draw(st.booleans()):
            parts += [draw(st.sampled_from(_NAMES)) + draw(st.sampled_from(["", " ", "\t"]))]
            parts += [""] * draw(st.integers(1, 3))
        parts += [draw(st.sampled_from(_SENTENCES)), *[""] * draw(st.integers(1, 3))]
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(parts)


def _check_invariants(page: Page, text: str) -> None:
    for owner in (page.article, *page.comments):
        for p in owner.paragraphs:
            assert owner.text[p.start : p.end] == p.text
    ids = [c.id for c in page.comments]
    assert ids == [f"c{i}" for i in range(1, len(ids) + 1)]
    for i, c in enumerate(page.comments):
        if c.parent is not None:
            assert c.parent in ids[:i]
        for e in c.reply_evidence:
            assert c.text[e.start : e.end] == e.text
        if c.author is not None:
            assert c.author in text
    if page.dateline is not None:
        assert page.dateline in text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_page_format_errors(data: bytes) -> None:
    try:
        pages = read_raw(data, "fuzz.txt")
    except PageFormatError:
        return
    _check_invariants(
        pages[0],
        data.decode("utf-8-sig")
        if not data.startswith((b"\xff\xfe", b"\xfe\xff"))
        else data.decode("utf-16"),
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_arbitrary_text_keeps_the_invariants(text: str) -> None:
    try:
        pages = read_raw(text.encode("utf-8"), "fuzz.txt")
    except PageFormatError:
        assert split_blocks(text) == []  # valid UTF-8 fails only when there is nothing to read
        return
    _check_invariants(pages[0], text)


@settings(max_examples=300, deadline=None)
@given(dumps())
def test_dump_shaped_text_keeps_the_invariants(text: str) -> None:
    try:
        pages = read_raw(text.encode("utf-8"), "fuzz.txt")
    except PageFormatError:
        assert not text.strip()
        return
    _check_invariants(pages[0], text)
    for c in pages[0].comments:
        assert c.author is None or c.author.rstrip() in _NAMES
