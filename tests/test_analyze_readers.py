"""The structured page readers (HTML, Disqus XML, WARC, JSONL, CSV) and format detection.

Golden pages: tests/golden/analyze/FORMAT/NAME.EXT is read and compared with NAME.json (a list of
page_to_dict, pretty-printed); the WARC input is built by `build_warc` from the HTML golden pages.
TENOR_REGEN_GOLDEN=1 rewrites the .json files: read them before trusting them.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tenor._errors import PageFormatError
from tenor.analyze._detect import READERS, detect_format
from tenor.analyze._disqus import read_disqus
from tenor.analyze._html import read_html
from tenor.analyze._page import Article, Comment, Page, page_to_dict
from tenor.analyze._tabular import read_csv, read_jsonl, text_paragraphs
from tenor.analyze._warc import read_warc

GOLDEN = Path(__file__).parent / "golden" / "analyze"
Reader = Callable[[bytes, str], list[Page]]


# --- a WARC built from the golden HTML pages -----------------------------------------------------


def build_warc(*, compress: bool = True) -> bytes:
    """Records 1-7: warcinfo, request, an HTML response (gzip-encoded), a PNG, a redirect, an HTML
    response in windows-1252 (charset in the HTTP header), metadata. Fixed ids and dates: the
    bytes never change."""
    html = GOLDEN / "html"
    bridge = "https://riversidenotes.example/2024/03/harbour-bridge-reopens/"
    cafe = "http://elmfalls.example/2013/05/cafe-parking"
    fields = {"warc_content_type": "application/warc-fields"}
    records: list[tuple[str, str, bytes, tuple[str, list[tuple[str, str]]] | None, dict[str, str]]] = [
        ("", "warcinfo", b"software: tenor-tests\r\nformat: WARC File Format 1.1\r\n", None, fields),
        (bridge, "request", b"", ("GET /2024/03/harbour-bridge-reopens/ HTTP/1.1", [("Host", "x")]), {}),
        (
            bridge, "response", gzip.compress((html / "wordpress_nested.html").read_bytes(), mtime=0),
            ("200 OK", [("Content-Type", "text/html; charset=UTF-8"), ("Content-Encoding", "gzip")]), {},
        ),
        ("https://x/logo.png", "response", b"\x89PNG\r\n", ("200 OK", [("Content-Type", "image/png")]), {}),
        ("http://x/old", "response", b"<p>Moved</p>", ("301 Moved", [("Content-Type", "text/html")]), {}),
        (
            cafe, "response", (html / "broken_cp1252.html").read_bytes(),
            ("200 OK", [("Content-Type", 'text/html; charset="windows-1252"')]), {},
        ),
        (cafe, "metadata", b"outlinks: /\r\n", None, fields),
    ]  # fmt: skip
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for n, (uri, kind, payload, http, extra) in enumerate(records, 1):
        headers = {
            "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{n:012d}>",
            "WARC-Date": "2024-03-12T09:00:00Z",
        }
        http_headers = StatusAndHeaders(http[0], http[1], protocol="HTTP/1.1") if http else None
        writer.write_record(
            writer.create_warc_record(
                uri, kind, payload=io.BytesIO(payload), length=len(payload), warc_headers_dict=headers,
                http_headers=http_headers, **extra,
            )
        )  # fmt: skip
    return out.getvalue()


def html_warc(*pages: tuple[str, bytes]) -> bytes:
    """An uncompressed WARC of 200 text/html responses."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for uri, body in pages:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=http
        )
        writer.write_record(record)
    return out.getvalue()


# --- golden pages --------------------------------------------------------------------------------

READER_OF_FOLDER: list[tuple[str, str, Reader]] = [
    ("html", "*.html", read_html),
    ("disqus", "*.xml", read_disqus),
    ("jsonl", "*.jsonl", read_jsonl),
    ("csv", "*.csv", read_csv),
]
CASES: list[tuple[str, Reader, Callable[[], bytes]]] = [
    (f"{fmt}/{path.name}", reader, path.read_bytes)
    for fmt, pattern, reader in READER_OF_FOLDER
    for path in sorted((GOLDEN / fmt).glob(pattern))
] + [("warc/crawl.warc.gz", read_warc, build_warc)]


@pytest.mark.parametrize(("name", "reader", "load"), CASES, ids=[c[0] for c in CASES])
def test_golden(name: str, reader: Reader, load: Callable[[], bytes]) -> None:
    pages = reader(load(), name)
    got = [page_to_dict(p) for p in pages]
    expected = (GOLDEN / name.removesuffix(".gz")).with_suffix(".json")
    if os.environ.get("TENOR_REGEN_GOLDEN") == "1":
        expected.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(expected.read_text(encoding="utf-8"))
    for page in pages:
        assert_offsets_consistent(page)
    # Detection picks this reader, and the registry reads the same pages.
    data = load()
    fmt = detect_format(name.rsplit("/", 1)[-1], data[:65536])
    assert READERS[fmt](data, name) == pages


def test_there_are_enough_golden_inputs() -> None:
    formats = ("html", "disqus", "warc", "jsonl", "csv")
    counts = {fmt: len([c for c in CASES if c[0].startswith(fmt + "/")]) for fmt in formats}
    assert counts["html"] >= 3 and min(counts.values()) >= 1


def assert_offsets_consistent(page: Page) -> None:
    owners: list[Article | Comment] = [page.article, *page.comments]
    for owner in owners:
        for p in owner.paragraphs:
            assert owner.text[p.start : p.end] == p.text
        assert [p.start for p in owner.paragraphs] == sorted(p.start for p in owner.paragraphs)
    ids = [c.id for c in page.comments]
    assert len(ids) == len(set(ids))
    for c in page.comments:
        for e in c.reply_evidence:
            assert e.kind == "format" or c.text[e.start : e.end] == e.text


def _golden_pages(name: str) -> list[Page]:
    case = next(c for c in CASES if c[0] == name)
    return case[1](case[2](), name)


# --- HTML ------------------------------------------------------------------------------------------


HTML_PAGES = ["html/wordpress_nested.html", "html/news_disqus.html", "html/broken_cp1252.html"]
NOT_ARTICLE = (
    "Reply",
    "says:",
    "Vote up",
    "Post Comment",
    "Advertisement",
    "googletag",
    "document.write",
    "font-family",
)


@pytest.mark.parametrize("name", HTML_PAGES)
def test_comment_area_does_not_leak_into_the_article(name: str) -> None:
    [page] = _golden_pages(name)
    assert len(page.comments) >= 3 and len(page.article.paragraphs) >= 3
    for comment in page.comments:  # (a comment may quote the article: whole comments are the test)
        assert comment.text not in page.article.text, comment.text
    for noise in NOT_ARTICLE:
        assert noise not in page.article.text


def test_wordpress_nesting_gives_parents_with_format_evidence() -> None:
    [page] = _golden_pages("html/wordpress_nested.html")
    parents = [(c.id, c.parent) for c in page.comments]
    assert parents == [("1187", None), ("1190", "1187"), ("1194", "1190"), ("1201", None), ("1203", None)]
    assert [c.author for c in page.comments][:2] == ["Jane Doe", "j0hn_q ."]  # as written, " ." included
    assert all([e.kind for e in c.reply_evidence] == (["format"] if c.parent else []) for c in page.comments)
    assert page.title == "Harbour Bridge reopens after eight months of repairs"
    assert page.dateline == "11 March 2024"  # the <time>'s own text, not its datetime


def test_broken_windows_1252_page_is_decoded_by_its_meta_charset() -> None:
    [page] = _golden_pages("html/broken_cp1252.html")
    assert page.title == "Café owners say “no” to parking plan"  # the headline, not "<title> - Gazette"
    assert "Renée Fournier" in page.article.text and "\ufffd" not in page.article.text
    assert [c.author for c in page.comments] == ["Bill Hartley", "Renée F.", "anon"]
    assert page.comments[2].text.endswith("like everyone else…")  # no script or style text


def test_flat_comment_lists_get_inferred_parents() -> None:
    [page] = _golden_pages("html/broken_cp1252.html")  # old theme, no nesting
    assert page.comments[1].parent == "301" and page.comments[1].reply_evidence[0].kind == "vocative"


def test_undecodable_html_names_the_byte() -> None:
    data = "<html><body><p>caf\u00e9</p></body></html>".encode("cp1252")  # no charset declared
    with pytest.raises(PageFormatError, match=r"^page\.html, byte offset 18: not valid utf-8"):
        read_html(data, "page.html")
    declared = b'<meta charset="windows-1252"><p>bad \x81 byte</p>'  # 0x81: unassigned in windows-1252
    with pytest.raises(PageFormatError, match=r"^page\.html, byte offset 36: not valid cp1252"):
        read_html(declared, "page.html")


def test_absurdly_deep_html_is_refused_quickly() -> None:
    with pytest.raises(PageFormatError, match=r"^x\.html: more than 10,000 block elements"):
        read_html(b"<div>" * 20_000, "x.html")  # lexbor would take seconds; 100,000 would take ~30 s
    [page] = read_html(b"<div>x</div>" * 20_000, "x.html")  # closed blocks are fine
    assert page.article.text.startswith("x")


def test_unknown_or_misleading_charset_labels_are_read_as_browsers_do() -> None:
    [page] = read_html(b'<meta charset="no-such-charset"><p>caf\xc3\xa9 ok</p>', "x.html")
    assert page.article.text == "café ok"
    [page] = read_html(b'<meta charset="iso-8859-1"><p>\x93quoted\x94</p>', "x.html")
    assert page.article.text == "“quoted”"  # WHATWG: a latin-1 label means windows-1252


def test_disqus_flattened_reply_keeps_its_parent_link() -> None:
    html = b"""<div id="disqus_thread"><ul id="post-list">
      <li class="post" id="post-1"><div class="post-byline"><span class="author">Ann</span></div>
        <div class="post-message"><p>First.</p></div></li>
      <li class="post" id="post-2"><div class="post-byline"><span class="author">Bo</span>
        <a href="#comment-1" class="parent-link">Ann</a></div>
        <div class="post-message"><p>Second.</p></div></li>
    </ul></div>"""
    [page] = read_html(html, "x.html")
    got = [(c.id, c.author, c.text, c.parent) for c in page.comments]
    assert got == [("1", "Ann", "First.", None), ("2", "Bo", "Second.", "1")]


def test_a_comment_without_text_is_left_out_with_a_warning() -> None:
    html = b"""<ol class="commentlist">
      <li class="comment" id="comment-1"><cite class="fn">A</cite><p><img src="cat.gif"></p>
        <ul class="children"><li class="comment" id="comment-2"><cite>B</cite><p>Cute.</p></li></ul>
      </li>
    </ol>"""
    [page] = read_html(html, "x.html")
    assert [(c.id, c.parent) for c in page.comments] == [("2", "1")]
    assert page.warnings == ["comments without text left out (replies to them keep their parent id): 1"]


# --- Disqus XML ------------------------------------------------------------------------------------


def test_disqus_export_pages_and_removed_posts() -> None:
    pages = _golden_pages("disqus/export.xml")
    # No page for the thread without posts.
    assert [p.source for p in pages] == ["disqus/export.xml#9100200300", "disqus/export.xml#9100200777"]
    assert [len(p.comments) for p in pages] == [3, 2]
    assert "spam" in pages[0].warnings[0] and "deleted" in pages[1].warnings[0]
    assert pages[1].comments[1].parent == "6413000200"  # answers the deleted post: kept, with a warning
    assert "kept as written" in pages[1].warnings[1]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"<disqus xmlns:dsq='x'>\n  <post dsq:id='1'>\n  </thread>\n</disqus>",
            r"^export\.xml, XML line 3, column 5: broken XML",
        ),
        (b'<?xml version="1.0"?>\n<rss><channel/></rss>', r"^export\.xml: the root element is <rss>"),
        (
            b'<disqus><thread id="1"/></disqus>',
            r"^export\.xml: holds no <post>: nothing to read \(1 threads\)",
        ),
        (b'<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<disqus>&b;</disqus>', "refused"),
        (b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<disqus>&x;</disqus>', "refused"),
        (
            b'<?xml version="1.0" encoding="utf-8"?>\n<disqus><post>caf\xe9</post></disqus>',
            r"XML line 2, column 18: broken XML",
        ),
    ],
    ids=["unclosed", "not-disqus", "no-posts", "entity-expansion", "xxe", "undecodable"],
)
def test_disqus_errors_name_the_place(data: bytes, message: str) -> None:
    with pytest.raises(PageFormatError, match=message):
        read_disqus(data, "export.xml")


# --- WARC ------------------------------------------------------------------------------------------


def test_warc_pages_come_from_html_responses_only() -> None:
    pages = read_warc(build_warc(), "crawl.warc.gz")
    assert [(p.source, p.url, p.format) for p in pages] == [
        ("crawl.warc.gz#3", "https://riversidenotes.example/2024/03/harbour-bridge-reopens/", "warc"),
        ("crawl.warc.gz#6", "http://elmfalls.example/2013/05/cafe-parking", "warc"),
    ]
    [plain] = read_html((GOLDEN / "html/wordpress_nested.html").read_bytes(), "crawl.warc.gz#3")
    assert pages[0].comments == plain.comments and pages[0].article == plain.article
    uncompressed = read_warc(build_warc(compress=False), "crawl.warc")
    assert [p.comments for p in uncompressed] == [p.comments for p in pages]


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
@pytest.mark.parametrize("cut", [0.97, 0.6, 0.3], ids=["last-record", "middle", "early"])
def test_truncated_warc_names_the_record(compress: bool, cut: float) -> None:
    data = build_warc(compress=compress)
    where = r"^crawl\.warc, record \d, byte offset \d+: .*(cut short|truncated|not a readable)"
    with pytest.raises(PageFormatError, match=where):
        read_warc(data[: int(len(data) * cut)], "crawl.warc")


def test_warc_errors() -> None:
    with pytest.raises(PageFormatError, match=r"^x\.warc, record 1, byte offset 0: not a readable WARC"):
        read_warc(b"GET / HTTP/1.1\r\n\r\n", "x.warc")
    only_redirect = build_warc(compress=False).split(b"WARC/1.0")
    with pytest.raises(PageFormatError, match=r"^x\.warc: holds no HTML response"):
        read_warc(b"WARC/1.0".join([b"", *only_redirect[4:6]]), "x.warc")  # records 4-5: a PNG, a 301
    lying = html_warc(("http://x/a", b"<p>one</p>"), ("http://x/b", b"<p>two</p>")).replace(
        b"Content-Length: 54", b"Content-Length: 50", 1
    )
    with pytest.raises(PageFormatError, match=r"^x\.warc, record 1, byte offset 0: .*Content-Length"):
        read_warc(lying, "x.warc")


def test_an_undecodable_page_in_a_warc_is_a_page_with_a_warning() -> None:
    bad, good = read_warc(
        html_warc(("http://x/bad", b"<p>caf\xe9</p>"), ("http://x/good", b"<p>fine</p>")), "x.warc"
    )
    assert bad.url == "http://x/bad" and bad.comments == [] and "byte offset 6" in bad.warnings[0]
    assert good.article.text == "fine"


# --- JSONL and CSV ---------------------------------------------------------------------------------


def test_jsonl_pages_article_row_and_dangling_parent() -> None:
    first, second = _golden_pages("jsonl/threads.jsonl")
    assert first.title == "Water rates to rise 9% in April, utility says"
    assert len(first.article.paragraphs) == 2
    assert [c.id for c in first.comments] == ["101", "102", "103", "104"]  # 105 has an empty text
    assert first.comments[3].parent == "99" and "'99' (line 6)" in first.warnings[1]
    assert second.source == "jsonl/threads.jsonl#story-88140" and second.comments[1].parent == "r-1"


def test_csv_without_parent_column_infers_replies() -> None:
    [page] = _golden_pages("csv/comments.csv")
    assert [c.author for c in page.comments] == ["Jane Doe", None, "j0hn_q .", "Mina Kaur"]
    assert page.comments[0].text == "Great news, finally!!\n\nThe toll is still the same, though."  # was CRLF
    assert page.comments[2].parent == "1" and page.comments[2].reply_evidence[0].kind == "vocative"


def test_csv_parent_column_and_article_field() -> None:
    data = b"id,parent,author,text,article\n1,,A,hello,The story.\n2,1,B,hi A,The story.\n3,9,C,who?,\n"
    [page] = read_csv(data, "c.csv")
    assert page.article.text == "The story." and [c.parent for c in page.comments] == [None, "1", "9"]
    assert page.warnings == [
        "parent ids that match no other comment of this page, kept as written: '9' (line 4)"
    ]


@pytest.mark.parametrize(
    ("reader", "data", "message"),
    [
        (read_jsonl, b'{"text": "a"}\n{"text": "b"}\n{"text": "c",}\n', r"^f, line 3, column 14: malformed"),
        (read_jsonl, b'{"id": 1, "text": "a"}\n\n[1, 2]\n', r"^f, line 3: expected a JSON object, got list"),
        (read_jsonl, b'{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}', r"^f, line 2: comment id '1' is"),
        (read_jsonl, b'{"id": 1, "author": "a"}\n', r"^f, line 1: the row has no text field"),
        (read_jsonl, b'{"id": 1, "text": {"en": "a"}}\n', r"^f, line 1: field 'text' must be a string"),
        (read_jsonl, b'{"id": 1, "text": "caf\xe9"}\n', r"^f, byte offset 22: not valid utf-8"),
        (read_jsonl, b"\n  \n", r"^f: holds no rows"),
        (read_jsonl, b"[" * 100_000, r"^f, line 1: JSON nested too deeply"),
        (read_csv, b"id,author\n1,a\n", r"^f, line 1: no text column in the header \('id', 'author'\)"),
        (read_csv, b'id,text\n1,"fine"\n2,"broken" quote\n', r"^f, line 3: broken CSV"),
        (read_csv, b'id,text\n1,"never closed\n2,x\n', r"^f, line 3: broken CSV"),
        (read_csv, b"id,text\n1,a\n2,b,extra\n", r"^f, line 3: 3 cells under a header of 2"),
        (read_csv, b"id,text\n1,\xff\n", r"^f, byte offset 10: not valid utf-8"),
    ],
    ids=["json-line-3", "not-object", "duplicate-id", "no-text", "text-object", "jsonl-bytes", "empty",
         "deep", "csv-no-text", "csv-quote", "csv-unclosed", "csv-cells", "csv-bytes"],
)  # fmt: skip
def test_tabular_errors_name_the_place(reader: Reader, data: bytes, message: str) -> None:
    with pytest.raises(PageFormatError, match=message):
        reader(data, "f")


def test_rows_that_disagree_on_a_page_field_keep_the_first_with_a_warning() -> None:
    data = b'{"url": "u", "title": "One", "text": "a"}\n{"url": "u", "title": "Two", "text": "b"}\n'
    [page] = read_jsonl(data, "f")
    assert (page.title, page.source) == ("One", "f#u")
    assert page.warnings == ["rows disagree on the title: kept the one from line 1, not line 2's"]


def test_aliases_json_array_and_generated_ids() -> None:
    data = b'[{"Comment ID": "a", "Body": "x"}, {"message": "y", "In-Reply-To": "a", "User": "u"}]'
    [page] = read_jsonl(data, "f.json")
    got = [(c.id, c.author, c.text, c.parent) for c in page.comments]
    assert got == [("a", None, "x", None), ("item-2", "u", "y", "a")]


def test_text_paragraphs_locate_runs_between_blank_lines() -> None:
    text = "  one\ntwo \n \n\nthree\n"
    assert [(p.text, p.start, p.end) for p in text_paragraphs(text)] == [
        ("one\ntwo", 2, 9),
        ("three", 14, 19),
    ]


# --- detection -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [
        ("crawl.bin", b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", "warc"),
        ("page.html", gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n"), "warc"),  # content wins
        ("export.txt", b'<?xml version="1.0"?>\n<!-- hi -->\n<disqus xmlns="http://disqus.com">', "disqus"),
        ("a.xml", b'\xef\xbb\xbf<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">', "html"),
        ("a.txt", b"  <!DOCTYPE html>\n<html>", "html"),
        ("a.xml", b"<disqus><post><message><![CDATA[<html><body>hi</body></html>]]>", "disqus"),
        ("fragment", b"<div class='comment'><p>hi</p></div>", "html"),
        ("a", b'{"id": 1, "text": "hi"}\n', "jsonl"),
        ("a.txt", b'[\n {"text": "hi"}]', "jsonl"),
        ("a.txt", b"id\tauthor\tComment Text\n1\tx\thi\n", "csv"),
        ("a.txt", b"MARCH 2024\n\nHarbour Bridge Reopens\n", "raw"),
        ("a.txt", b"{Sponsored} Harbour Bridge Reopens\n", "raw"),
        ("notes.csv", b"MARCH 2024\n", "csv"),  # no sniffable content: the name decides
        ("a.warc.gz", b"\x1f\x8b\x08", "warc"),
        ("page.htm", b"", "html"),
        ("dump", b"", "raw"),
    ],
)
def test_detect_format(name: str, head: bytes, fmt: str) -> None:
    assert detect_format(name, head) == fmt


def test_readers_cover_every_format() -> None:
    assert set(READERS) == {"raw", "html", "disqus", "warc", "jsonl", "csv"}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.binary(max_size=300))
def test_detect_format_never_raises(name: str, head: bytes) -> None:
    assert detect_format(name, head) in READERS


# --- fuzzing ---------------------------------------------------------------------------------------

FUZZ = settings(
    max_examples=int(os.environ.get("TENOR_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
MY_READERS = [read_html, read_disqus, read_warc, read_jsonl, read_csv]


def _only_page_format_errors(reader: Reader, data: bytes) -> list[Page]:
    try:
        pages = reader(data, "fuzz")
    except PageFormatError as e:
        assert str(e).startswith("fuzz")
        return []
    for page in pages:
        assert_offsets_consistent(page)
    return pages


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(MY_READERS))
def test_arbitrary_bytes_raise_only_page_format_errors(data: bytes, reader: Reader) -> None:
    _only_page_format_errors(reader, data)


@FUZZ
@given(
    st.binary(max_size=2000),
    st.sampled_from([b"WARC/1.0\r\n", b"<disqus>", b"<html>", b'{"text": "', b"id,text\n"]),
)
def test_bytes_after_a_plausible_start_raise_only_page_format_errors(tail: bytes, start: bytes) -> None:
    data = start + tail
    _only_page_format_errors(READERS[detect_format("fuzz", data)], data)


@FUZZ
@given(st.data())
def test_cut_or_corrupted_warc_raises_only_page_format_errors(data: st.DataObject) -> None:
    warc = bytearray(build_warc(compress=data.draw(st.booleans())))
    for _ in range(data.draw(st.integers(0, 3))):
        warc[data.draw(st.integers(0, len(warc) - 1))] = data.draw(st.integers(0, 255))
    _only_page_format_errors(read_warc, bytes(warc[: data.draw(st.integers(0, len(warc)))]))


_WORDS = st.text(max_size=30)
_XML_WORDS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30)  # XML
_TAGS = """<p> </p> <br> <br><br> <div> </div> <b> <li|class='comment'|id='comment-1'>
    <ol|class='commentlist'> <ul|class='children'> </li> <cite|class='fn'> </cite>
    <div|class='comment-content'> <script> </script> <blockquote> &amp; &#x1F600; <title> <h1> </h1>"""
_MARKUP = st.sampled_from([t.replace("|", " ") for t in _TAGS.split()] + [" ", "\r\n", "\n\n", "\u00a0"])


@FUZZ
@given(st.lists(st.one_of(_WORDS, _MARKUP), max_size=60))
def test_weird_html_keeps_offsets_consistent(parts: list[str]) -> None:
    _only_page_format_errors(read_html, "".join(parts).encode("utf-8"))


_ROWS = st.fixed_dictionaries(
    {
        "id": st.integers(0, 5),
        "parent": st.one_of(st.none(), st.integers(0, 5)),
        "author": st.one_of(st.none(), _WORDS),
        "text": _WORDS,
        "page": st.sampled_from(["a", "b", ""]),
    }
)


@FUZZ
@given(st.lists(_ROWS, min_size=1, max_size=8, unique_by=lambda row: (row["page"], row["id"])), st.booleans())
def test_weird_tabular_rows_keep_offsets_consistent(rows: list[dict[str, object]], parents: bool) -> None:
    if not parents:  # no parent field: replies are inferred
        rows = [{k: v for k, v in row.items() if k != "parent"} for row in rows]
    jsonl = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode("utf-8")
    _only_page_format_errors(read_jsonl, jsonl)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    _only_page_format_errors(read_csv, out.getvalue().encode("utf-8"))


@FUZZ
@given(
    st.lists(
        st.tuples(_XML_WORDS, st.one_of(st.none(), st.integers(0, 4)), st.booleans()), min_size=1, max_size=6
    )
)
def test_weird_disqus_messages_keep_offsets_consistent(posts: list[tuple[str, int | None, bool]]) -> None:
    body = "".join(
        f'<post dsq:id="{n}"><message>{escape(text)}</message><isDeleted>{str(deleted).lower()}</isDeleted>'
        f'<author><name>{escape(text[:5])}</name></author><thread dsq:id="t"/>'
        + (f'<parent dsq:id="{parent}"/>' if parent is not None else "") + "</post>"
        for n, (text, parent, deleted) in enumerate(posts)
    )  # fmt: skip
    thread = '<thread dsq:id="t"><title>T</title></thread>'
    xml = f'<disqus xmlns:dsq="http://disqus.com/disqus-internals">{thread}{body}</disqus>'
    _only_page_format_errors(read_disqus, xml.encode("utf-8"))
