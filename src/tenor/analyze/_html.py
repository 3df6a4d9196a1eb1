"""HTML page -> one Page: the article by trafilatura, the comments from the markup of common engines.

Comment markup read (selectolax/lexbor, which tolerates any broken HTML):
- WordPress: `ol.commentlist` / `ol.comment-list` (or `ul`), one `li` per comment with id
  "comment-N" (pingbacks and trackbacks skipped); author from `.comment-author .fn`, else `.fn`,
  else `cite`; text from `.comment-content` / `.comment-text`, else the comment's own `<p>`s
  (old themes put them straight in the `li`); time from `<time datetime>` or `.commentmetadata a`.
- Disqus as rendered into the page: `#disqus_thread` or `ul#post-list`, one `li.post` with id
  "post-N"; author from `.post-byline .author`, text from `.post-message`, time from the title of
  `a.time-ago`.
A reply's parent is the comment whose `li` holds it (nested `ul.children` / `ol.children`), or
the Disqus "in reply to" link of a flattened reply; evidence "format". Comment ids are the N of
"comment-N" / "post-N". When no comment is nested, parents are inferred (quotes, names). A comment
without text (an image, an emptied one) is left out, with a warning.

The comment area (and the reply form) is cut out of the document before the article is extracted,
so no comment can leak into the article. Title: `og:title`, else the first `<h1>`, else `<title>`;
dateline: the first `<time>` (its visible text, else its datetime) in the article, then one in the
page, then an element with a date class, then `article:published_time`-like meta tags; all as
written, with runs of whitespace collapsed as a browser shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .._errors import import_optional
from ._decode import decode
from ._markup import (
    LINE_BREAK,
    MAX_UNCLOSED_BLOCKS,
    PARAGRAPH_BREAK,
    WHITESPACE,
    assemble,
    children,
    html_paragraphs,
    parse_html,
    sniff_html_charset,
    usable_charset,
)
from ._page import Article, Comment, Page, ReplyEvidence

__all__ = ["MAX_UNCLOSED_BLOCKS", "html_paragraphs", "parse_html", "read_html", "sniff_html_charset"]

_COMMENT_LISTS = "ol.commentlist, ol.comment-list, ul.commentlist, ul.comment-list"
_WORDPRESS_ITEMS = "ol.commentlist li, ol.comment-list li, ul.commentlist li, ul.comment-list li"
_COMMENT_AREAS = (
    "#comments, .comments-area, #respond, .comment-respond, #disqus_thread, #post-list, " + _COMMENT_LISTS
)
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
    found = _wordpress_comments(tree) + _disqus_comments(tree)
    _unique_ids(found)
    comments = [c for c in found if c.text]  # an image-only or emptied comment has nothing to read
    if not any(c.parent for c in comments):
        from ._replies import infer_replies  # lazily: only pages without nesting need it

        infer_replies(comments)
    areas = _matches(tree, _COMMENT_AREAS)
    marked = {a.mem_id for a in areas}
    for area in [a for a in areas if not _inside(a.parent, marked, None)]:
        area.decompose()  # the outermost only: destroying one frees the areas inside it
    page = Page(source=source, format="html", dateline=_dateline(tree), comments=comments)
    page.url = url or _canonical_url(tree)
    page.article, page.title, warning = _article(tree, _title(tree), page.dateline)
    if empty := [c.id for c in found if not c.text]:
        listed = ", ".join(empty[:5]) + (f" and {len(empty) - 5} more" if len(empty) > 5 else "")
        page.warnings.append(
            f"comments without text left out (replies to them keep their parent id): {listed}"
        )
    if warning:
        page.warnings.append(warning)
    return [page]


# ---- comments -----------------------------------------------------------------------------------

_WORDPRESS_META = frozenset(
    {"comment-author", "comment-meta", "comment-metadata", "commentmetadata", "reply", "says", "vcard"}
)


def _wordpress_comments(tree: LexborHTMLParser) -> list[Comment]:
    nodes = [
        li for li in _matches(tree, _WORDPRESS_ITEMS)
        if (li.id or "").startswith("comment-") and not {"pingback", "trackback"} & set(_classes(li))
    ]  # fmt: skip
    ids = {n.mem_id for n in nodes}
    comments = []
    for li in nodes:
        own = list(_own_descendants(li, ids))
        author = _first(own, _has_class("fn")) or _first(own, lambda n: n.tag == "cite")
        body = _first(own, _has_class("comment-content", "comment-text", "comment_text"))
        if body is not None:
            paragraphs = html_paragraphs(body)
        else:  # old themes: the <p>s sit in the li (or .comment-body) beside the author and meta
            meta = {m.mem_id for m in own if _WORDPRESS_META & set(_classes(m)) or m.tag in ("cite", "form")}
            paragraphs = [
                t for p in own if p.tag == "p" and not _inside(p, meta, li) for t in html_paragraphs(p)
            ]
        time = _first(own, lambda n: n.tag == "time")
        meta_link = _first(
            own, lambda n: n.tag == "a" and n.parent is not None and _has_class(*_WORDPRESS_META)(n.parent)
        )
        posted = _attr(time, "datetime") or _text(meta_link)
        comments.append(_comment(li, "comment-", _text(author), paragraphs, posted, ids))
    return comments


def _disqus_comments(tree: LexborHTMLParser) -> list[Comment]:
    nodes = _matches(tree, "#disqus_thread li.post, ul#post-list li.post")
    ids = {n.mem_id for n in nodes}
    comments = []
    for li in nodes:
        own = list(_own_descendants(li, ids))
        byline = _first(own, _has_class("post-byline"))
        author = byline.css_first(".author") if byline is not None else None
        message = _first(own, _has_class("post-message"))
        time = _first(own, _has_class("time-ago"))
        posted = _attr(time, "title") or _text(time)
        paragraphs = html_paragraphs(message) if message is not None else []
        comment = _comment(li, "post-", _text(author), paragraphs, posted, ids)
        href = _attr(_first(own, _has_class("parent-link")), "href") or ""
        if comment.parent is None and href.startswith("#comment-"):  # a reply Disqus shows flattened
            comment.parent, comment.reply_evidence = href.removeprefix("#comment-"), [ReplyEvidence("format")]
        comments.append(comment)
    return comments


def _comment(
    li: LexborNode, prefix: str, author: str | None, paragraphs: list[str], posted: str | None, ids: set[int]
) -> Comment:
    parent = li.parent
    while parent is not None and parent.mem_id not in ids:  # the nearest comment holding this one
        parent = parent.parent
    return Comment.from_paragraphs(
        (li.id or "").removeprefix(prefix), author, paragraphs, posted=posted,
        parent=(parent.id or "").removeprefix(prefix) if parent is not None else None,
        reply_evidence=[ReplyEvidence("format")] if parent is not None else [],
    )  # fmt: skip


def _unique_ids(comments: list[Comment]) -> None:
    """Ids from the markup, made unique: a page can hold two lists, or none has an id."""
    seen: set[str] = set()
    for n, comment in enumerate(comments, 1):
        if not comment.id or comment.id in seen:
            comment.id = f"{comment.id}-{n}" if comment.id else f"c{n}"
        seen.add(comment.id)


def _matches(tree: LexborHTMLParser, selectors: str) -> list[LexborNode]:
    """Document order, each node once (lexbor repeats a node that two of the selectors match)."""
    return list({n.mem_id: n for n in tree.css(selectors)}.values())


def _own_descendants(comment: LexborNode, comment_ids: set[int]) -> Iterator[LexborNode]:
    """Elements inside `comment` but not inside a reply nested in it, in document order."""
    stack = list(children(comment))[::-1]
    while stack:
        node = stack.pop()
        if node.is_element_node and node.mem_id not in comment_ids:
            yield node
            stack.extend(list(children(node))[::-1])


def _inside(node: LexborNode | None, marked: set[int], stop: LexborNode | None) -> bool:
    """Whether `node` or an ancestor below `stop` is marked."""
    while node is not None and (stop is None or node.mem_id != stop.mem_id):
        if node.mem_id in marked:
            return True
        node = node.parent
    return False


def _classes(node: LexborNode) -> list[str]:
    return (node.attributes.get("class") or "").split()


def _has_class(*names: str) -> Callable[[LexborNode], bool]:
    return lambda n: any(c in names for c in _classes(n))


def _first(nodes: Iterable[LexborNode], test: Callable[[LexborNode], bool]) -> LexborNode | None:
    return next((n for n in nodes if test(n)), None)


def _attr(node: LexborNode | None, name: str) -> str | None:
    value = (node.attributes.get(name) or "").strip() if node is not None else ""
    return WHITESPACE.sub(" ", value) or None


def _text(node: LexborNode | None) -> str | None:
    text = WHITESPACE.sub(" ", node.text(deep=True)).strip() if node is not None else ""
    return text or None


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
        _attr(tree.css_first('meta[property="og:title"]'), "content")
        or _text(tree.css_first("h1"))
        or _text(tree.css_first("title"))
    )


def _dateline(tree: LexborHTMLParser) -> str | None:
    for time in (tree.css_first("article time"), tree.css_first("time")):
        if found := _text(time) or _attr(time, "datetime"):
            return found
    for name in _DATE_CLASSES:
        if found := _text(tree.css_first(f".{name}")):
            return found
    for selector in _DATE_META:
        if found := _attr(tree.css_first(selector), "content"):
            return found
    return None


def _canonical_url(tree: LexborHTMLParser) -> str | None:
    return _attr(tree.css_first('link[rel="canonical"]'), "href") or _attr(
        tree.css_first('meta[property="og:url"]'), "content"
    )
