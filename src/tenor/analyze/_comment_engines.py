"""The comment engines tenor reads from HTML markup, one row each of MARKUPS (see
_comment_markup.py for the engines, the order they are tried in, and how replies are found)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from selectolax.lexbor import LexborNode

from ._markup import children, html_paragraphs
from ._markup_nodes import attr_of, classes_of, first_of, inside, matches, text_of, when_of

__all__ = ["MARKUPS", "Markup", "Parts"]


@dataclass(frozen=True)
class Markup:
    engine: str
    comment: str  # CSS: the element of one comment
    ident: str  # its id attribute, fully: group 1 is the comment id; no match, not a comment
    author: tuple[str, ...] = ()  # CSS, tried in order, first own match
    text: tuple[str, ...] = ()
    posted: tuple[str, ...] = ()
    not_text: str = ""  # CSS: inside the text, not the comment's words (a permalink, the username)
    replies: str = ""  # CSS: a list of replies that follows its parent instead of sitting inside it
    parent: Callable[[LexborNode, list[LexborNode]], str | None] | None = None  # the id it names
    find: Callable[[Markup, LexborNode], list[tuple[LexborNode, str | None]]] | None = None
    parts: Callable[[LexborNode, list[LexborNode]], Parts] | None = None


class Parts(NamedTuple):
    author: str | None
    paragraphs: list[str]
    posted: str | None


# ---- engines ------------------------------------------------------------------------------------


def _href_fragment(prefix: str) -> Callable[[LexborNode, list[LexborNode]], str | None]:
    """The parent named by the first own link to "#PREFIXID" that is not the comment's own."""

    def parent(element: LexborNode, own: list[LexborNode]) -> str | None:
        mine = element.id or ""
        for node in own:
            _, found, name = (attr_of(node, "href") or "").partition("#" + prefix)
            if found and name and prefix + name != mine:
                return name
        return None

    return parent


def _disqus_parent(element: LexborNode, own: list[LexborNode]) -> str | None:
    link = first_of(
        own, lambda n: "parent-link" in classes_of(n) or n.attributes.get("data-role") == "parent-link"
    )
    _, found, name = (attr_of(link, "href") or "").partition("#comment-")
    return name if found and name else None


def _coral_parent(element: LexborNode, own: list[LexborNode]) -> str | None:
    node = element.parent
    while node is not None:  # Coral puts a comment's replies after it, in a list named by its id
        _, found, name = (node.id or "").partition("coral-comments-replyList-log--")
        if found:
            return name or None
        node = node.parent
    return None


def _discourse_parent(element: LexborNode, own: list[LexborNode]) -> str | None:
    return attr_of(first_of(own, lambda n: "in-reply-to" in classes_of(n)), "data-link-to-post")


# ---- WordPress ----------------------------------------------------------------------------------

_WORDPRESS_ID = re.compile(r"(?:li-|div-)?comment-(\d+)")
_WORDPRESS_LISTS = "ol.commentlist, ol.comment-list, ul.commentlist, ul.comment-list, ol.comments"
_WORDPRESS_AREAS = "#comments, .comments-area, " + _WORDPRESS_LISTS
_WORDPRESS_META = frozenset(
    {"comment-author", "comment-meta", "comment-metadata", "commentmetadata", "reply", "says", "vcard"}
)


def _wordpress_find(markup: Markup, root: LexborNode) -> list[tuple[LexborNode, str | None]]:
    """Themes nest several elements per comment (`li#li-comment-2 > article#comment-2`): an element
    inside another with no list between them is the same comment, named by the first id found."""
    lists = {n.mem_id for n in matches(root, _WORDPRESS_LISTS)}
    areas = lists | {n.mem_id for n in matches(root, _WORDPRESS_AREAS)}
    candidates: list[tuple[LexborNode, str | None]] = []
    for node in matches(root, markup.comment):
        if {"pingback", "trackback"} & set(classes_of(node)):
            continue
        ident = node.id or ""
        if found := _WORDPRESS_ID.fullmatch(ident):
            candidates.append((node, found.group(1)))
        elif node.tag == "li" and ident.startswith("comment-") and inside(node.parent, lists, None):
            candidates.append((node, ident.removeprefix("comment-")))
        elif not ident and "comment" in classes_of(node) and inside(node.parent, areas, None):
            candidates.append((node, None))
    outermost: dict[int, LexborNode] = {}
    idents: dict[int, str | None] = {}
    for node, named in candidates:
        holder = node.parent
        while holder is not None and holder.mem_id not in outermost and not _is_reply_list(holder):
            holder = holder.parent
        if holder is not None and holder.mem_id in outermost:  # the same comment, met again inside
            idents[holder.mem_id] = idents[holder.mem_id] or named
        else:
            outermost[node.mem_id], idents[node.mem_id] = node, named
    return [(node, idents[key]) for key, node in outermost.items()]


def _is_reply_list(node: LexborNode) -> bool:
    return node.tag in ("ol", "ul") or "children" in classes_of(node)


def _wordpress_parts(element: LexborNode, own: list[LexborNode]) -> Parts:
    author = (
        first_of(own, lambda n: "fn" in classes_of(n))
        or first_of(own, lambda n: n.tag == "cite")
        or first_of(own, lambda n: "comment-author-link" in classes_of(n))
        or first_of(own, lambda n: "name" in _itemprops(n) and "author" in _itemprops(n.parent))
    )
    body = first_of(
        own, lambda n: bool({"comment-content", "comment-text", "comment_text"} & set(classes_of(n)))
    )
    if body is not None:
        paragraphs = html_paragraphs(body)
    else:  # old themes: the <p>s sit in the li (or .comment-body) beside the author and meta
        meta = {m.mem_id for m in own if _WORDPRESS_META & set(classes_of(m)) or m.tag in ("cite", "form")}
        paragraphs = [
            t for p in own if p.tag == "p" and not inside(p, meta, element) for t in html_paragraphs(p)
        ]
    time = first_of(own, lambda n: n.tag == "time")
    link = first_of(own, lambda n: n.tag == "a" and bool(_WORDPRESS_META & set(classes_of(n.parent))))
    return Parts(text_of(author), paragraphs, attr_of(time, "datetime") or text_of(link))


# ---- schema.org microdata -----------------------------------------------------------------------

_MICRODATA_ID_PREFIX = re.compile(r"^comment[-_]?(?=.)")


def _microdata_find(markup: Markup, root: LexborNode) -> list[tuple[LexborNode, str | None]]:
    found = []
    for node in matches(root, markup.comment):
        url = None if node.id else first_of(_properties(node), lambda n: "url" in _itemprops(n))
        ident = node.id or (attr_of(url, "href") or "").rpartition("#")[2]
        found.append((node, _MICRODATA_ID_PREFIX.sub("", ident) or None))
    return found


def _microdata_parts(element: LexborNode, own: list[LexborNode]) -> Parts:
    props = _properties(element)
    text = first_of(props, lambda n: bool({"text", "commentText"} & set(_itemprops(n))))
    author = first_of(props, lambda n: bool({"author", "creator"} & set(_itemprops(n))))
    if author is not None and "itemscope" in author.attributes:  # a Person: its name
        author = first_of(_properties(author), lambda n: "name" in _itemprops(n)) or author
    when = first_of(
        props, lambda n: bool({"dateCreated", "datePublished", "commentTime"} & set(_itemprops(n)))
    )
    paragraphs = html_paragraphs(text) if text is not None else []
    return Parts(attr_of(author, "content") or text_of(author), paragraphs or _content(text), when_of(when))


def _properties(scope: LexborNode) -> list[LexborNode]:
    """The elements with an itemprop that belong to `scope`, in document order: an item nested in
    it (a Person, a reply) is one of them, its own properties are not."""
    found = []
    stack = list(children(scope))[::-1]
    while stack:
        node = stack.pop()
        if node.is_element_node:
            if "itemprop" in node.attributes:
                found.append(node)
            if "itemscope" not in node.attributes:
                stack.extend(list(children(node))[::-1])
    return found


def _itemprops(node: LexborNode | None) -> list[str]:
    return (node.attributes.get("itemprop") or "").split() if node is not None else []


def _content(node: LexborNode | None) -> list[str]:
    return [value] if (value := attr_of(node, "content")) else []  # a <meta itemprop="text" content>


# ---- the table ----------------------------------------------------------------------------------

MARKUPS = (
    Markup(
        "Disqus", "#disqus_thread .post, #post-list .post, [data-role=post]", r"post-(\d+)",
        author=(".post-byline .author", "[data-role=username]"),
        text=(".post-message", "[data-role=message]"), posted=(".time-ago", "[data-role=relative-time]"),
        parent=_disqus_parent,
    ),
    Markup(
        "Disqus", 'li[id^="dsq-comment-"]', r"dsq-comment-(\d+)",
        author=('[id^="dsq-author-user-"]', ".dsq-comment-header cite", ".dsq-commenter-name"),
        text=(".dsq-comment-message",),
    ),
    Markup(
        "Isso", ".isso-comment", r"isso-(\d+)",
        author=(".isso-author",), text=(".isso-text",), posted=(".isso-permalink time", "time"),
    ),
    Markup(
        "Commento", ".commento-card", r"commento-comment-card-(.+)",
        author=(".commento-name",), text=('[id^="commento-comment-text-"]', '[id^="commento-comment-body-"]'),
        posted=(".commento-timeago",), not_text=".commento-permalink",
    ),
    Markup(
        "Remark42", 'article[id^="remark42__comment-"]', r"remark42__comment-(.+)",
        author=(".comment__username",), text=(".comment__text",), posted=(".comment__time",),
        replies="[role~=listitem]", parent=_href_fragment("remark42__comment-"),
    ),
    Markup(
        "Coral", ".coral-comment", r"comment-(.+)",
        author=(".coral-comment-username",), text=(".coral-comment-content",),
        posted=(".coral-comment-timestamp", "time"), parent=_coral_parent,
    ),
    Markup(
        "Discourse", "article.post:has(> .cooked)", r"post-(\d+)",
        author=(".username a", ".username"), text=(".cooked",), posted=(".post-date",),
        not_text=".username, .post-replies", parent=_discourse_parent,
    ),
    Markup(
        "WordPress", 'li[id*="comment-"], article[id*="comment-"], div[id*="comment-"], li.comment,'
        " article.comment, div.comment", "", replies="ol.children, ul.children, div.children",
        find=_wordpress_find, parts=_wordpress_parts,
    ),
    Markup(
        "schema.org", '[itemtype$="schema.org/Comment" i], [itemtype$="schema.org/UserComments" i]', "",
        find=_microdata_find, parts=_microdata_parts,
    ),
)  # fmt: skip
