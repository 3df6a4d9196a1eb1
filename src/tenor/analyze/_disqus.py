"""Disqus XML export -> one Page per thread that has posts.

The export (Admin > Moderation > Export) is one <disqus> root holding <thread dsq:id=...>
elements (link, title, createdAt, message) and then <post dsq:id=...> elements, each naming its
thread (<thread dsq:id=.../>), its parent post if it is a reply (<parent dsq:id=.../>), its
author (<author><name>, <username>, <isAnonymous>), the message as HTML in CDATA, <createdAt>,
<isDeleted> and <isSpam>.

Page: source "<file>#<thread dsq:id>", url = the thread's link, title as written, dateline = the
thread's createdAt (when Disqus first saw the page: the closest the export has to a publication
date). Comments in file order: id = the post's dsq:id, author = <name> (else <username>),
posted = the post's createdAt, parent = <parent dsq:id> with evidence "format". Deleted and spam
posts are left out of the comments and counted in a page warning; a reply to one keeps its parent
id as written (it answered something that is gone) and a warning says how many do.

An export without any post is an error (there is nothing to read). Parsed with defusedxml: a
file that declares entities (billion laughs) or reaches for external ones (XXE) is refused, not
expanded.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from .._errors import PageFormatError
from ._html import html_paragraphs, parse_html
from ._page import Article, Comment, Page, ReplyEvidence

__all__ = ["read_disqus"]


def read_disqus(data: bytes, source: str) -> list[Page]:
    root = _parse(data, source)
    if _local(root.tag) != "disqus":
        raise PageFormatError(
            source, f"the root element is <{_local(root.tag)}>, not <disqus>: not a Disqus export"
        )
    threads = {_dsq_id(t): t for t in _children(root, "thread")}
    posts_by_thread: dict[str, list[Element]] = {}
    for post in _children(root, "post"):
        posts_by_thread.setdefault(_dsq_id(_child(post, "thread")), []).append(post)
    if not posts_by_thread:
        raise PageFormatError(source, f"holds no <post>: nothing to read ({len(threads)} threads)")
    return [
        _page(source, thread_id, threads.get(thread_id), posts)
        for thread_id, posts in posts_by_thread.items()
    ]


def _parse(data: bytes, source: str) -> Element:
    # Bytes, not text: the XML declaration names the encoding and expat honours it.
    try:
        return SafeElementTree.fromstring(data)
    except ParseError as e:
        line, column = getattr(e, "position", (0, 0))
        problem = str(e).split(":")[0]
        raise PageFormatError(
            source, f"broken XML ({problem})", where=f"XML line {line}, column {column + 1}"
        ) from None
    except DefusedXmlException as e:
        raise PageFormatError(
            source,
            f"refused: the XML declares entities or external references ({type(e).__name__}), which a"
            " Disqus export never does and an entity-expansion or XXE attack does",
        ) from None


def _page(source: str, thread_id: str, thread: Element | None, posts: list[Element]) -> Page:
    page = Page(source=f"{source}#{thread_id or 'no-thread'}", format="disqus")
    if thread is None:
        page.warnings.append(f"thread {thread_id!r} is not in the export: no title, link or date")
    else:
        page.title = _text(thread, "title")
        page.url = _text(thread, "link")
        page.dateline = _text(thread, "createdAt")
        page.article = Article.from_paragraphs(
            _message_paragraphs(_text(thread, "message"), source, f"thread {thread_id}")
        )
    deleted = spam = empty = 0
    for n, post in enumerate(posts, 1):
        if _flag(post, "isSpam"):
            spam += 1
            continue
        if _flag(post, "isDeleted"):
            deleted += 1
            continue
        paragraphs = _message_paragraphs(_text(post, "message"), source, f"post {_dsq_id(post) or n}")
        if not paragraphs:
            empty += 1
            continue
        author = _child(post, "author")
        comment = Comment.from_paragraphs(
            _dsq_id(post) or _text(post, "id") or f"post-{n}",
            _text(author, "name") or _text(author, "username"),
            paragraphs,
            posted=_text(post, "createdAt"),
            parent=_dsq_id(_child(post, "parent")) or None,
        )
        if comment.parent:
            comment.reply_evidence = [ReplyEvidence("format")]
        page.comments.append(comment)
    left_out = [
        f"{count} {what}" for what, count in (("deleted", deleted), ("spam", spam), ("empty", empty)) if count
    ]
    if left_out:
        page.warnings.append(f"posts left out: {', '.join(left_out)}")
    kept = {c.id for c in page.comments}
    orphans = sum(1 for c in page.comments if c.parent and c.parent not in kept)
    if orphans:
        page.warnings.append(
            f"replies to a post that is not among the comments (deleted, spam or missing): {orphans};"
            " their parent ids are kept as written"
        )
    return page


def _message_paragraphs(html: str | None, source: str, where: str) -> list[str]:
    if not html:
        return []
    body = parse_html(html, source, where).body
    return html_paragraphs(body) if body is not None else []


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element | None, name: str) -> Iterable[Element]:
    return (c for c in (element if element is not None else ()) if _local(c.tag) == name)


def _child(element: Element | None, name: str) -> Element | None:
    return next(iter(_children(element, name)), None)


def _text(element: Element | None, name: str) -> str | None:
    child = _child(element, name)
    text = (child.text or "").strip() if child is not None else ""
    return text or None


def _flag(element: Element, name: str) -> bool:
    return (_text(element, name) or "").lower() == "true"


def _dsq_id(element: Element | None) -> str:
    """The dsq:id attribute, whatever prefix the namespace got (or none)."""
    if element is None:
        return ""
    return next((v.strip() for k, v in element.attrib.items() if _local(k) == "id"), "")
