"""The comments of an HTML page, from the markup of the engines that render them (selectolax/lexbor).

Each engine is one row of `_MARKUPS`: the element of one comment, the pattern of its id (the comment
id is the pattern's group), and where its author, words and time are; the first element that
matches wins, among the comment's own elements (not a nested reply's). Read, in this order (a comment
that two engines mark up, say WordPress and schema.org, is read once, by the first):

- Disqus, as its embed renders it into the page: `.post` "post-N" in `#disqus_thread` /
  `#post-list`, or `[data-role=post]`; author `.post-byline .author`, words `.post-message`, time
  the title of `a.time-ago`. A reply Disqus shows flattened names its parent in `a.parent-link`
  (".../#comment-N").
- Disqus's WordPress plugin, its copy of the comments for readers without JavaScript:
  `li#dsq-comment-N`, author in `.dsq-comment-header cite`, words `.dsq-comment-message`.
- Isso: `.isso-comment#isso-N`, `.isso-author`, `.isso-text`, `time[datetime]`; replies in
  `.isso-follow-up`.
- Commento: `.commento-card#commento-comment-card-HEX`, `.commento-name`, `#commento-comment-text-HEX`
  (older builds: the card's body), the title of `.commento-timeago`.
- Remark42: `article#remark42__comment-ID`, `.comment__username`, `.comment__text`, `.comment__time`;
  a reply's thread (`[role=listitem]`) sits in its parent's, and its "go to parent" link names it.
- Coral: `.coral-comment#comment-ID`, `.coral-comment-username`, `.coral-comment-content`,
  `time[datetime]`; replies sit in `#coral-comments-replyList-log--PARENT`.
- Discourse embeds: `article.post#post-N` with a `.cooked` body, `.username`, the title of
  `a.post-date`; `a.in-reply-to[data-link-to-post]` names the parent.
- WordPress, every theme's variant: an element with id "comment-N", "li-comment-N" or
  "div-comment-N" (`li`, `article`, `div`; one comment when they nest, as `li#li-comment-N >
  article#comment-N` in Twenty Ten to Twenty Twelve, `li#comment-N > article#div-comment-N` in later
  themes), any `li` "comment-..." in `.commentlist` / `.comment-list`, and `li` / `article` / `div`
  of class "comment" without an id in a comment area; pingbacks and trackbacks left out. Author
  `.fn`, else `cite`, `.comment-author-link`, a schema.org author; words `.comment-content` /
  `.comment-text`, else the comment's own `<p>`s (old themes put them straight in the `li`); time
  `<time datetime>`, else the link in `.comment-meta` / `.commentmetadata`.
- schema.org microdata: an element of itemtype ".../schema.org/Comment" (http or https; also the
  older UserComments); its own properties text / commentText, author / creator (the author's name
  when it is a Person), dateCreated / datePublished / commentTime; a Comment inside another is a reply.

A reply's parent is the comment whose element holds it (`ul.children`, `.isso-follow-up`, a nested
Comment), else the comment before the reply list holding it (`div#comment-3 + ul.children`, Remark42
threads), else the one its markup names; evidence "format". A page saver can keep an embed's markup
out of the document tree: in a `<noscript>` escaped to text, an `<iframe srcdoc>` or a declarative
shadow root (`<template shadowrootmode>`, SingleFile); those are read as documents of their own.

When no comment can be read but the page carries an embed's script or element (Disqus, Coral,
Commento...) or a comment area (`#comments`, `.comments-area`...), the page gets a warning saying
so: 0 comments is then a failure to read, not a page without comments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .._errors import PageFormatError
from ._comment_engines import MARKUPS, Markup, Parts
from ._markup import children, html_paragraphs, parse_html
from ._markup_nodes import attr_of, classes_of, inside, matches, own_descendants, text_of, when_of
from ._page import Comment, ReplyEvidence

__all__ = ["COMMENT_AREAS", "FoundComments", "read_comments"]

# Cut out of the document before the article is extracted, with every comment's element.
COMMENT_AREAS = (
    "#comments, .comments-area, #respond, .comment-respond, .commentlist, .comment-list, ol.comments,"
    " #disqus_thread, #post-list, #dsq-content, #isso-thread, #commento, #remark42, #coral_thread,"
    " #discourse-comments"
)
_MAX_EMBEDDED_DEPTH = 3  # an iframe's srcdoc holding a shadow root is two; more is no page saver's


@dataclass
class FoundComments:
    comments: list[Comment]  # in page order, ids unique, parents by those ids (texts may be empty)
    elements: list[LexborNode]  # to cut out of the page with the comment areas: their elements, or
    # the page's element that embeds them (a <noscript>, an <iframe srcdoc>)
    warning: str | None = None  # comment markup that could not be read


@dataclass
class _Found:
    element: LexborNode
    markup: Markup
    ident: str | None
    root: LexborNode  # the document (or shadow root) it is in
    cut: LexborNode  # what to cut out of the page: the element, or the page's element embedding it
    at: tuple[int, ...] = ()  # its place in the page: document order, through embedded documents
    own: list[LexborNode] = field(default_factory=list)  # its elements, less those of nested replies


# ---- reading ------------------------------------------------------------------------------------


def read_comments(tree: LexborHTMLParser, source: str) -> FoundComments:
    """The page's comments, and a warning when it holds comment markup but none could be read."""
    parsed: list[LexborHTMLParser] = []  # embedded documents: their nodes live as long as they do
    root = tree.root
    found = _find(root, source, parsed, ()) if root is not None else []
    ids = _unique_ids([f.ident for f in found])
    by_element = {f.element.mem_id: id for f, id in zip(found, ids)}
    named: dict[tuple[str, str], str] = {}
    for f, id in zip(found, ids):
        named.setdefault((f.markup.engine, f.ident or ""), id)
    selected = _Selected()
    comments = []
    for f, id in zip(found, ids):
        f.own = list(own_descendants(f.element, by_element))
        parts = f.markup.parts(f.element, f.own) if f.markup.parts else _table_parts(f, by_element, selected)
        parent = _holder(f, by_element, selected)
        name = f.markup.parent(f.element, f.own) if parent is None and f.markup.parent else None
        if name is not None:
            parent = named.get((f.markup.engine, name), name)  # as written when no comment has it
        paragraphs = [p for p in parts.paragraphs if p.strip()]  # an emptied comment shows only a &nbsp;
        comments.append(
            Comment.from_paragraphs(
                id, parts.author, paragraphs, posted=parts.posted, parent=parent,
                reply_evidence=[ReplyEvidence("format")] if parent is not None else [],
            )
        )  # fmt: skip
    warning = None if found or root is None else _unreadable(tree, root)
    return FoundComments(comments, list({f.cut.mem_id: f.cut for f in found}.values()), warning)


def _find(
    root: LexborNode,
    source: str,
    parsed: list[LexborHTMLParser],
    at: tuple[int, ...],
    host: LexborNode | None = None,
) -> list[_Found]:
    """The comments in one document, in document order, then those of the documents embedded in it.
    `host`: the page's element that embeds the document, when it is not part of the page's tree."""
    found: list[_Found] = []
    for markup in MARKUPS:
        elements = markup.find(markup, root) if markup.find else _find_by_id(markup, root)
        found += [_Found(e, markup, ident, root, host or e) for e, ident in _unclaimed(elements, found)]
    embedded = list(_embedded(root, source, parsed)) if len(at) < _MAX_EMBEDDED_DEPTH else []
    if len({f.markup for f in found}) < 2 and not embedded:  # one engine's order is the page's
        for n, f in enumerate(found):
            f.at = (*at, n)
        return found
    order = {n.mem_id: i for i, n in enumerate(root.traverse())}
    for f in found:
        f.at = (*at, order.get(f.element.mem_id, -1))
    for embedding, document, separate in embedded:
        place = (*at, order.get(embedding.mem_id, len(order)))
        found += _find(document, source, parsed, place, host or (embedding if separate else None))
    return sorted(found, key=lambda f: f.at)


def _find_by_id(markup: Markup, root: LexborNode) -> list[tuple[LexborNode, str | None]]:
    pattern = re.compile(markup.ident)
    return [
        (n, found.group(1)) for n in matches(root, markup.comment) if (found := pattern.fullmatch(n.id or ""))
    ]


def _unclaimed(
    elements: list[tuple[LexborNode, str | None]], claimed: list[_Found]
) -> list[tuple[LexborNode, str | None]]:
    """Leaves out what an earlier engine read: an element inside one of its comments, or one holding
    one of them as its own (not inside another element of this engine)."""
    if not claimed or not elements:
        return elements
    mine = {e.mem_id for e, _ in elements}
    theirs = {f.element.mem_id for f in claimed}
    taken = set()
    for f in claimed:
        node: LexborNode | None = f.element
        while node is not None and node.mem_id not in mine:
            node = node.parent
        if node is not None:
            taken.add(node.mem_id)
    return [(e, i) for e, i in elements if e.mem_id not in taken and not inside(e, theirs, None)]


def _embedded(
    root: LexborNode, source: str, parsed: list[LexborHTMLParser]
) -> Iterator[tuple[LexborNode, LexborNode, bool]]:
    """(host, document, parsed apart) for what a page saver kept out of the tree: a <noscript>
    escaped to text (a saved DOM), an <iframe srcdoc>, a declarative shadow root (whose elements
    stay the page's: cut out one by one). Too deep to parse: left unread."""
    for fragment in root.template_fragments():
        host = fragment.parent
        if host is not None and {"shadowrootmode", "shadowroot"} & set(host.attributes):
            yield host, fragment, False
    for host in matches(root, "noscript, iframe[srcdoc]"):
        html = attr_of(host, "srcdoc") if host.tag == "iframe" else _escaped_markup(host)
        if html:
            try:
                document = parse_html(html, source)
            except PageFormatError:
                continue
            parsed.append(document)
            if document.root is not None:
                yield host, document.root, True


def _escaped_markup(noscript: LexborNode) -> str | None:
    """A <noscript>'s content when it is only text that holds tags (lexbor parses it as elements)."""
    if any(c.is_element_node for c in children(noscript)):
        return None
    text = noscript.text(deep=True)
    return text if "<" in text and ">" in text else None


class _Selected:
    """The elements a selector matches in a document, asked once per document and selector (asking
    each comment's subtree costs the square of the nesting depth)."""

    def __init__(self) -> None:
        self._found: dict[tuple[int, str], set[int]] = {}

    def __call__(self, root: LexborNode, selector: str) -> set[int]:
        key = (root.mem_id, selector)
        if key not in self._found:
            self._found[key] = {n.mem_id for n in root.css(selector)}
        return self._found[key]


def _table_parts(f: _Found, by_element: dict[int, str], selected: _Selected) -> Parts:
    markup = f.markup
    author, text, when = (_own_match(f, s, selected) for s in (markup.author, markup.text, markup.posted))
    paragraphs: list[str] = []
    if text is not None:
        skip = {n.mem_id for n in matches(text, markup.not_text)} if markup.not_text else set()
        skip.discard(text.mem_id)
        paragraphs = html_paragraphs(text, lambda n: n.mem_id in skip or n.mem_id in by_element)
    return Parts(text_of(author), paragraphs, when_of(when))


def _own_match(f: _Found, selectors: tuple[str, ...], selected: _Selected) -> LexborNode | None:
    """The first of the comment's own elements the first selector that matches any matches."""
    for selector in selectors:
        matched = selected(f.root, selector)
        if found := next((n for n in f.own if n.mem_id in matched), None):
            return found
    return None


def _holder(f: _Found, by_element: dict[int, str], selected: _Selected) -> str | None:
    """The id of the comment holding this one, else of the one before the reply list holding it."""
    node = f.element.parent
    while node is not None:
        if node.mem_id in by_element:
            return by_element[node.mem_id]
        node = node.parent
    if not f.markup.replies:
        return None
    reply_lists = selected(f.root, f.markup.replies)
    node = f.element
    while node is not None and node.mem_id not in reply_lists:
        node = node.parent
    if node is None or node.parent is None:
        return None
    before = None  # the last comment before the list, outside every reply list beside it
    stack = list(children(node.parent))[::-1]
    while stack:
        sibling = stack.pop()
        if sibling.mem_id == node.mem_id:
            break
        if sibling.mem_id in by_element:
            before = by_element[sibling.mem_id]
        elif sibling.mem_id not in reply_lists:
            stack.extend(list(children(sibling))[::-1])
    return before


def _unique_ids(idents: list[str | None]) -> list[str]:
    """Ids from the markup, made unique: a page can hold two lists, or none has an id."""
    seen: set[str] = set()
    out = []
    for n, ident in enumerate(idents, 1):
        id = ident or f"c{n}"
        if id in seen:
            id = f"{id}-{n}"
        seen.add(id)
        out.append(id)
    return out


# ---- comment markup that could not be read ------------------------------------------------------

# engine, the element its embed code puts in the page, words its scripts carry (src or inline)
_EMBEDS = (
    ("Disqus", "#disqus_thread", ("disqus.com/embed.js", "disqus_shortname", "disqus_config")),
    ("Coral", "#coral_thread, #coral_talk_stream", ("Coral.createStreamEmbed", "Coral.Talk.render")),
    ("Commento", "#commento", ("commento.js",)),
    ("Isso", "#isso-thread, script[data-isso]", ()),
    ("Remark42", "#remark42", ("remark_config",)),
    ("Discourse", "#discourse-comments", ("DiscourseEmbed",)),
    ("Facebook", ".fb-comments", ()),
    ("giscus", ".giscus", ("giscus.app/client.js",)),
    ("utterances", ".utterances", ("utteranc.es/client.js",)),
    ("Hyvor Talk", "hyvor-talk-comments, #hyvor-talk-view", ("talk.hyvor.com",)),
)
# An id or class that names a comment area: "comments", "comment-list", "article-comments"...
_AREA_NAME = re.compile(
    r"(?:(?:article|post|story|entry|user|reader)[-_]?)?comments?"
    r"(?:[-_]?(?:area|section|list|container|wrap|wrapper|thread|block|box|holder|module|widget|content"
    r"|stream))?",
    re.IGNORECASE,
)
_AREA_TAGS = frozenset({"div", "section", "aside", "ol", "ul", "article", "details", "footer"})
_NOT_COMMENTS = "form, h1, h2, h3, h4, h5, h6, nav, button, #respond, .comment-respond, .no-comments"
_UNREAD_WORDS = 12  # fewer visible words in a comment area: a heading or "Comments are closed."


def _unreadable(tree: LexborHTMLParser, root: LexborNode) -> str | None:
    for engine, element, scripts in _EMBEDS:
        if root.css_first(element) is not None or any(
            tree.scripts_contain(s) or tree.script_srcs_contain((s,)) for s in scripts
        ):
            return f"comments are loaded by {engine}'s script and the saved page holds none: 0 comments read"
    for node in matches(root, '[id*="comment" i], [class*="comment" i]'):
        names = [f"#{node.id}"] if node.id else []
        names += [f".{c}" for c in classes_of(node)]
        name = next((n for n in names if _AREA_NAME.fullmatch(n[1:])), None)
        if name is None or node.tag not in _AREA_TAGS:
            continue
        if _visible_words(node) >= _UNREAD_WORDS:
            return f"the comment area {name} holds markup tenor cannot read: 0 comments read"
        return f"the comment area {name} holds no comments: 0 comments read"
    return None


def _visible_words(area: LexborNode) -> int:
    """Words of the area a reader sees, less its headings and reply form."""
    skip = {n.mem_id for n in matches(area, _NOT_COMMENTS)}
    return sum(len(p.split()) for p in html_paragraphs(area, lambda n: n.mem_id in skip))
