"""Which reader a page file needs: its content first, its name second, plain text last.

Content wins over the name because scraped files are often misnamed (an .html that is a WARC, a
.txt that is JSON Lines). What is sniffed, in order, in the first bytes:

    warc    "WARC/1." at the start, or a gzip stream that opens with it
    disqus  an XML document whose root element is <disqus>
    html    a doctype or an <html>, <head> or <body> tag near the start (XHTML included)
    jsonl   a first non-blank line that opens a JSON object ('{"'), or an array of them
    csv     a first line of separated names, one of them a text column (text, body, message...)

then the extension (.warc/.warc.gz/.arc.gz, .xml, .html/.htm/.xhtml, .jsonl/.ndjson/.json,
.csv/.tsv); anything else is a raw text dump ("raw").
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from importlib import import_module

from .._errors import MissingDependencyError
from ._page import Page

__all__ = ["FORMAT_BY_SUFFIX", "READERS", "detect_format"]

FORMAT_BY_SUFFIX = {
    ".warc": "warc", ".warc.gz": "warc", ".arc.gz": "warc",
    ".xml": "disqus",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv", ".tsv": "csv",
}  # fmt: skip

_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_XML_ROOT = re.compile(r"<(?![?!])([A-Za-z_][\w.:-]*)")  # the first element, after <?xml ...?> and <!-- -->
_HTML_ROOTS = frozenset(
    {"html", "head", "body", "p", "div", "article", "main", "section", "table", "ol", "ul"}
)
_JSON_START = re.compile(r'\{\s*("|\}|$)|\[\s*(\{|\]|$)')  # an object's first key, or an array of objects
_TEXT_COLUMNS = frozenset(
    {"text", "body", "message", "comment", "commenttext", "commentbody", "content", "article"}
)


def detect_format(path_name: str, head: bytes) -> str:
    """One of "raw", "html", "disqus", "warc", "jsonl", "csv", from a file's name and first bytes
    (64 KiB is plenty; fewer work)."""
    return _sniff(head) or _by_suffix(path_name) or "raw"


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"WARC/") or (
        head.startswith(b"\x1f\x8b") and _gunzip_head(head).startswith(b"WARC/")
    ):
        return "warc"
    text = _text_head(head)
    start = text.lstrip()
    if start.startswith("<"):
        # The root first: a Disqus export's CDATA messages may hold "<html>" near the start.
        root = _XML_ROOT.search(_without_xml_comments(start))
        name = root.group(1).rsplit(":", 1)[-1].lower() if root else ""
        if name == "disqus":
            return "disqus"
        if name in _HTML_ROOTS or _HTML_START.search(start[:2048]):
            return "html"
        return None
    first_line = start.split("\n", 1)[0].strip()
    if _JSON_START.match(first_line):
        return "jsonl"
    if _looks_like_csv_header(first_line):
        return "csv"
    return None


def _by_suffix(path_name: str) -> str | None:
    name = path_name.lower()
    return next((fmt for suffix, fmt in FORMAT_BY_SUFFIX.items() if name.endswith(suffix)), None)


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
    except zlib.error:
        return b""


def _text_head(head: bytes) -> str:
    """The head as text, for sniffing only (a cut multi-byte character must not matter)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="replace")
    return head.decode("utf-8", errors="replace")


def _without_xml_comments(text: str) -> str:
    return re.sub(r"<!--.*?-->", "", text[:8192], flags=re.DOTALL)


def _looks_like_csv_header(line: str) -> bool:
    for delimiter in ",;\t|":
        if delimiter in line:
            names = {re.sub(r"[\s_\-\"']+", "", c.lower()) for c in line.split(delimiter)}
            if names & _TEXT_COLUMNS:
                return True
    return False


def _lazy(module: str, function: str) -> Callable[[bytes, str], list[Page]]:
    """A reader that imports its module (and parser: trafilatura, lxml, warcio...) on first use."""

    def read(data: bytes, source: str) -> list[Page]:
        try:
            loaded = import_module(module, __package__)
        except ImportError as error:  # selectolax, defusedxml, warcio... not installed
            if error.name and error.name.startswith("tenor"):
                raise
            raise MissingDependencyError(
                (error.name or module).split(".")[0], "analyze", f"reading {source}"
            ) from None
        return getattr(loaded, function)(data, source)

    read.__name__ = read.__qualname__ = function
    return read


READERS: dict[str, Callable[[bytes, str], list[Page]]] = {
    "raw": _lazy("._rawdump", "read_raw"),
    "html": _lazy("._html", "read_html"),
    "disqus": _lazy("._disqus", "read_disqus"),
    "warc": _lazy("._warc", "read_warc"),
    "jsonl": _lazy("._tabular", "read_jsonl"),
    "csv": _lazy("._tabular", "read_csv"),
}
