"""HTML text -> a tolerant document tree and its visible paragraphs (selectolax/lexbor), and the
charset a page declares. Shared by the HTML reader and the Disqus reader's message bodies."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .._errors import PageFormatError

__all__ = [
    "LINE_BREAK", "MAX_UNCLOSED_BLOCKS", "PARAGRAPH_BREAK", "WHITESPACE", "assemble", "children", "html_paragraphs",
    "parse_html", "sniff_html_charset", "usable_charset",
]  # fmt: skip

# Where a paragraph starts and ends; every other element is inline (its text joins the paragraph).
_BLOCKS = frozenset(
    "address article aside blockquote dd details div dl dt fieldset figcaption figure footer form h1 h2 h3"
    " h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split()
)
_INVISIBLE = frozenset(
    "script style noscript template iframe svg math head button select textarea input object canvas".split()
)
WHITESPACE = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace only: a no-break space stays as written
LINE_BREAK = object()
PARAGRAPH_BREAK = object()

_CHARSET_META = re.compile(rb"<meta[^>]{0,512}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
# WHATWG: browsers read these labels as windows-1252 (smart quotes live at 0x80-0x9f), and a
# meta tag cannot switch to UTF-16 (the bytes that declare it are ASCII).
_CHARSET_AS_WINDOWS_1252 = frozenset({"latin-1", "iso8859-1", "ascii"})

MAX_UNCLOSED_BLOCKS = 10_000  # parsing stays under ~0.2 s at this depth
# Start and end tags of the elements whose opening makes lexbor scan the open-element stack.
_BLOCK_TAG = re.compile(
    r"<(/?)(?:address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset|figcaption|figure"
    r"|footer|form|h[1-6]|header|hgroup|listing|main|menu|nav|ol|pre|section|summary|ul)(?=[\s/>])",
    re.IGNORECASE,
)


def parse_html(html: str, source: str, where: str | None = None) -> LexborHTMLParser:
    """The document tree, refusing nesting that would take lexbor minutes: it checks the stack of
    open elements for every block start tag, so 100,000 unclosed <div>s cost ~30 s. Real pages
    stay far below the limit (they close their blocks; unclosed <p>/<li> close themselves)."""
    depth = 0
    for match in _BLOCK_TAG.finditer(html):
        depth += -1 if match.group(1) else 1
        if depth > MAX_UNCLOSED_BLOCKS:
            raise PageFormatError(
                source, f"more than {MAX_UNCLOSED_BLOCKS:,} block elements (<div>, <ul>...) are left open:"
                " too deep to parse; is the file a page?", where=where,
            )  # fmt: skip
    return LexborHTMLParser(html)


def sniff_html_charset(data: bytes) -> str | None:
    """The charset a `<meta>` in the first 4 KiB declares, as a browser would read it; None if none
    or unknown (then the bytes must be UTF-8)."""
    match = _CHARSET_META.search(data[:4096])
    return usable_charset(match.group(1).decode("ascii")) if match else None


def usable_charset(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None  # browsers ignore an unknown label too
    if name in _CHARSET_AS_WINDOWS_1252:
        return "windows-1252"
    return "utf-8" if name.startswith("utf-16") else name


def html_paragraphs(node: LexborNode, skip: Callable[[LexborNode], bool] = lambda n: False) -> list[str]:
    """The visible text under `node`, one string per paragraph: block elements and a double `<br>`
    separate paragraphs, a single `<br>` is a line break inside one. `skip` prunes subtrees."""
    return assemble(_walk(node, skip))


def _walk(root: LexborNode, skip: Callable[[LexborNode], bool]) -> Iterator[object]:
    # Iterative (not recursive): broken pages nest thousands of unclosed tags.
    stack: list[tuple[LexborNode, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        tag = node.tag
        if not entering:
            yield PARAGRAPH_BREAK
        elif tag == "-text":
            yield node.text_content or ""
        elif tag == "br":
            yield LINE_BREAK
        elif node.is_element_node and tag not in _INVISIBLE and not skip(node):
            if tag in _BLOCKS:
                yield PARAGRAPH_BREAK
                stack.append((node, False))
            stack.extend((c, True) for c in reversed(list(children(node))))


def assemble(events: Iterable[object]) -> list[str]:
    paragraphs: list[str] = []
    lines: list[str] = []
    line: list[str] = []

    def end_line() -> None:
        text = WHITESPACE.sub(" ", "".join(line)).strip()
        line.clear()
        if text:
            lines.append(text)
        elif lines:  # an empty line (a double <br>) ends the paragraph
            end_paragraph()

    def end_paragraph() -> None:
        if lines:
            paragraphs.append("\n".join(lines))
            lines.clear()

    for event in events:
        if event is LINE_BREAK:
            end_line()
        elif event is PARAGRAPH_BREAK:
            end_line()
            end_paragraph()
        else:
            line.append(event)  # type: ignore[arg-type]
    end_line()
    end_paragraph()
    return paragraphs


def children(node: LexborNode) -> Iterator[LexborNode]:
    child = node.child
    while child is not None:
        yield child
        child = child.next
