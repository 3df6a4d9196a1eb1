"""HTML page -> one Page: the article by trafilatura, the comments from the markup of common engines.

Comments: `_comment_markup` (WordPress, Disqus, Isso, Commento, Remark42, Coral, Discourse embeds,
schema.org microdata; in `<noscript>`, `<iframe srcdoc>` and shadow roots too). When no comment is
nested, parents are inferred (quotes, names). A comment without text (an image, an emptied one) is
left out, with a warning; comment markup that could not be read gets one too (never a silent 0).

The comment areas (and the reply form) and every comment's element are cut out of the document
before the article is extracted, so no comment can leak into the article. Title: `og:title`, else
the first `<h1>`, else `<title>`; dateline: the first `<time>` (its visible text, else its
datetime) in the article, then one in the page, then an element with a date class, then
`article:published_time`-like meta tags; all as written, with runs of whitespace collapsed as a
browser shows them.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from .._errors import import_optional
from ._comment_markup import COMMENT_AREAS, read_comments
from ._decode import decode
from ._markup import (
    LINE_BREAK,
    MAX_UNCLOSED_BLOCKS,
    PARAGRAPH_BREAK,
    assemble,
    html_paragraphs,
    parse_html,
    sniff_html_charset,
    usable_charset,
)
from ._markup_nodes import attr_of, inside, matches, text_of
from ._page import Article, Page

__all__ = ["MAX_UNCLOSED_BLOCKS", "html_paragraphs", "parse_html", "read_html", "sniff_html_charset"]

_DATE_CLASSES = ("entry-date", "published", "post-date", "dateline", "story-date", "date")
_DATE_META = (
    'meta[property="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="pubdate"]',
    'meta[name="date"]',
    'meta[name="dc.date"]',
)


def read_html(data: bytes, source: str, *, url: str | None = None, declared: str | None = None) -> list[Page]:
    """One HTML page -> [Page]. `declared`: a charset from outside the page (an HTTP header in a
    WARC), which wins over the page's own meta tag, as in a browser."""
    charset = usable_charset(declared) or sniff_html_charset(data)
    tree = parse_html(decode(data, source, declared=charset), source)
    found = read_comments(tree, source)
    comments = [c for c in found.comments if c.text]  # an image-only or emptied comment has nothing to read
    if not any(c.parent for c in comments):
        from ._replies import infer_replies  # lazily: only pages without nesting need it

        infer_replies(comments)
    cut = matches(tree, COMMENT_AREAS) + found.elements
    marked = {a.mem_id for a in cut}
    for area in list({a.mem_id: a for a in cut if not inside(a.parent, marked, None)}.values()):
        area.decompose()  # the outermost only: destroying one frees the areas inside it
    page = Page(source=source, format="html", dateline=_dateline(tree), comments=comments)
    page.url = url or _canonical_url(tree)
    page.article, page.title, warning = _article(tree, _title(tree), page.dateline)
    if empty := [c.id for c in found.comments if not c.text]:
        listed = ", ".join(empty[:5]) + (f" and {len(empty) - 5} more" if len(empty) > 5 else "")
        page.warnings.append(
            f"comments without text left out (replies to them keep their parent id): {listed}"
        )
    if found.warning:
        page.warnings.append(found.warning)
    if warning:
        page.warnings.append(warning)
    return [page]


# ---- article and metadata -----------------------------------------------------------------------


def _article(
    tree: LexborHTMLParser, title: str | None, dateline: str | None
) -> tuple[Article, str | None, str | None]:
    """The article, the title (the headline as shown when the text starts with it) and a warning."""
    paragraphs = _trafilatura_paragraphs(tree.html or "")
    warning = None
    if not paragraphs:
        body = tree.body
        chrome = ("nav", "header", "footer", "aside", "form")
        paragraphs = html_paragraphs(body, lambda n: n.tag in chrome) if body is not None else []
        if paragraphs:
            warning = "the article extractor found no main text: the article is all the page's visible text"
    # The headline is the title, not the first paragraph; a <title> often adds the site's name
    # ("Headline - Gazette"): the headline as shown on the page is the title as written.
    if paragraphs and title and (paragraphs[0] == title or _is_headline_of(paragraphs[0], title)):
        title, paragraphs = paragraphs[0], paragraphs[1:]
    if paragraphs and dateline and dateline in paragraphs[0] and len(paragraphs[0].split()) <= 12:
        paragraphs = paragraphs[1:]  # a byline ("Posted on <dateline> by editor"): the dateline has it
    return Article.from_paragraphs(paragraphs), title, warning


def _is_headline_of(text: str, title: str) -> bool:
    return len(text.split()) >= 3 and (title.startswith(text) or title.endswith(text))


def _trafilatura_paragraphs(html: str) -> list[str]:
    trafilatura = import_optional("trafilatura", "analyze", "reading an HTML page's article")
    from lxml import etree

    # trafilatura has its own comment finder; ours already cut the comment area out.
    document = trafilatura.bare_extraction(html, include_comments=False, with_metadata=False)
    body = getattr(document, "body", None)  # None when it finds no main text
    if body is None:
        return []
    blocks = {"p", "head", "quote", "item", "list", "row", "table", "code", "div"}
    events: list[object] = []
    for action, element in etree.iterwalk(body, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if action == "start":
            if tag == "lb":
                events.append(LINE_BREAK)
            elif tag in blocks:
                events.append(PARAGRAPH_BREAK)
            events.append(element.text or "")
        else:
            if tag in blocks:
                events.append(PARAGRAPH_BREAK)
            elif tag == "cell":
                events.append(" ")
            events.append(element.tail or "")
    return assemble(events)


def _title(tree: LexborHTMLParser) -> str | None:
    return (
        attr_of(tree.css_first('meta[property="og:title"]'), "content")
        or text_of(tree.css_first("h1"))
        or text_of(tree.css_first("title"))
    )


def _dateline(tree: LexborHTMLParser) -> str | None:
    for time in (tree.css_first("article time"), tree.css_first("time")):
        if found := text_of(time) or attr_of(time, "datetime"):
            return found
    for name in _DATE_CLASSES:
        if found := text_of(tree.css_first(f".{name}")):
            return found
    for selector in _DATE_META:
        if found := attr_of(tree.css_first(selector), "content"):
            return found
    return None


def _canonical_url(tree: LexborHTMLParser) -> str | None:
    return attr_of(tree.css_first('link[rel="canonical"]'), "href") or attr_of(
        tree.css_first('meta[property="og:url"]'), "content"
    )
