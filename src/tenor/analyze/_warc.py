"""WARC (or .warc.gz) of crawled pages -> one Page per HTML response, read by the HTML reader.

Records are numbered from 1 in file order. A `response` record whose HTTP status is 200 and whose
Content-Type is HTML becomes a page with source "<file>#<record number>", url = its
WARC-Target-URI and format "warc"; the charset of the HTTP Content-Type header wins over the
page's own meta tag, as in a browser. Every other record (requests, metadata, images, redirects,
revisits) is skipped. A response whose body cannot be read as a page (undecodable bytes) still
gives a page, empty, whose warning says why: one bad page does not sink a crawl.

warcio reads a truncated file quietly (a short last record, or a stop where the cut falls in a
header), so every record's length is checked against its Content-Length and the bytes after the
last record must be blank: a cut or corrupt file is a PageFormatError naming the record and its
byte offset.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from .._errors import PageFormatError
from ._html import read_html
from ._page import Page

__all__ = ["MAX_PAGE_BYTES", "read_warc"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_PAGE_BYTES = 32 * 1024 * 1024  # one page's HTML; trafilatura itself gives up at 20 MB


def read_warc(data: bytes, source: str) -> list[Page]:
    pages = [
        _page(f"{source}#{n}", uri, charset, body) for n, uri, charset, body in _html_responses(data, source)
    ]
    if not pages:
        raise PageFormatError(source, "holds no HTML response with status 200: no page to read")
    return pages


def _page(source: str, uri: str | None, charset: str | None, body: bytes | str) -> Page:
    """The record's page; an empty one whose warning says why when its body cannot be read."""
    try:
        if isinstance(body, str):
            raise PageFormatError(source, body)
        if len(body) > MAX_PAGE_BYTES:
            raise PageFormatError(source, f"the HTML is over {MAX_PAGE_BYTES:,} bytes once decoded")
        [page] = read_html(body, source, url=uri, declared=charset)
    except PageFormatError as e:
        why = f"{e.problem} ({e.where})" if e.where else e.problem
        page = Page(source=source, format="warc", url=uri, warnings=[f"the page could not be read: {why}"])
    page.format = "warc"
    return page


def _html_responses(data: bytes, source: str) -> Iterator[tuple[int, str | None, str | None, bytes | str]]:
    """(record number, target URI, declared charset, HTTP body or why it is unreadable) per page."""
    records = ArchiveIterator(io.BytesIO(data))
    number, end = 0, 0  # `end`: the byte offset just after the last complete record
    where = "record 1, byte offset 0"
    try:
        for record in records:
            number += 1
            where = f"record {number}, byte offset {end}"
            if record.length is None:  # no Content-Length (ARC: length) read: the header is cut or broken
                raise PageFormatError(
                    source, "the record header is cut short or has no Content-Length", where=where
                )
            target = _html_target(record)
            body = _http_body(record) if target else b""
            while record.raw_stream.read(1 << 16):  # to the record's end, to see whether it is all there
                pass
            if getattr(record.raw_stream, "limit", 0) > 0:
                raise PageFormatError(source, "the record is cut short: the file is truncated", where=where)
            offset, length = records.get_record_offset(), records.get_record_length()
            if records.err_count:  # warcio's word for "the Content-Length lied"
                raise PageFormatError(
                    source, "the record is longer than its Content-Length: the file is corrupt", where=where
                )
            end = offset + length
            if target:
                yield number, target[0], target[1], body
    except PageFormatError:
        raise
    except Exception as e:  # noqa: BLE001 - warcio meets corrupt bytes with anything from ValueError to AttributeError
        raise PageFormatError(source, f"not a readable WARC ({type(e).__name__}: {e})", where=where) from None
    if data[end:].strip(b"\r\n"):
        where = f"record {number + 1}, byte offset {end}"
        raise PageFormatError(
            source, "a record is cut short or corrupt (the file may be truncated)", where=where
        )


def _http_body(record: ArcWarcRecord) -> bytes | str:
    """The page's bytes with the HTTP encodings undone, or why they cannot be had: a broken body
    is that page's problem, not the file's."""
    try:
        return record.content_stream().read(MAX_PAGE_BYTES + 1)  # bounded: gzip can inflate 1000-fold
    except Exception as e:  # noqa: BLE001 - zlib, brotli and chunked-encoding errors alike
        return f"its HTTP body cannot be decoded ({type(e).__name__}: {e})"


def _html_target(record: ArcWarcRecord) -> tuple[str | None, str | None] | None:
    """(target URI, charset) when the record is an HTML page with status 200, else None."""
    headers = record.http_headers
    if record.rec_type != "response" or headers is None or headers.get_statuscode() != "200":
        return None
    content_type = (headers.get_header("Content-Type") or "").lower()
    if not content_type.startswith(_HTML_TYPES):
        return None
    charset = next(
        (p.split("=", 1)[1].strip(" \"'") for p in content_type.split(";")[1:] if "charset=" in p), None
    )
    return record.rec_headers.get_header("WARC-Target-URI"), charset or None
