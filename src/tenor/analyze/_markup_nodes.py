"""Small, pure helpers over selectolax/lexbor nodes, shared by the comment-markup readers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ._markup import WHITESPACE, children

__all__ = [
    "attr_of", "classes_of", "first_of", "inside", "matches", "own_descendants", "text_of", "when_of",
]  # fmt: skip


def matches(root: LexborNode | LexborHTMLParser, selectors: str) -> list[LexborNode]:
    """Document order, each node once (lexbor repeats a node that two of the selectors match)."""
    return list({n.mem_id: n for n in root.css(selectors)}.values())


def inside(node: LexborNode | None, marked: set[int], stop: LexborNode | None) -> bool:
    """Whether `node` or an ancestor below `stop` is marked."""
    while node is not None and (stop is None or node.mem_id != stop.mem_id):
        if node.mem_id in marked:
            return True
        node = node.parent
    return False


def attr_of(node: LexborNode | None, name: str) -> str | None:
    value = (node.attributes.get(name) or "").strip() if node is not None else ""
    return WHITESPACE.sub(" ", value) or None


def text_of(node: LexborNode | None) -> str | None:
    text = WHITESPACE.sub(" ", node.text(deep=True)).strip() if node is not None else ""
    return text or None


def when_of(node: LexborNode | None) -> str | None:
    """A time as the markup gives it: a machine-readable attribute first, then what the page shows."""
    if node is None:
        return None
    found = attr_of(node, "datetime") or attr_of(node, "content") or attr_of(node, "title")
    if found is None and node.tag != "time":
        found = attr_of(node.css_first("time[datetime]"), "datetime")
    return found or text_of(node)


def own_descendants(comment: LexborNode, comments: dict[int, str]) -> Iterator[LexborNode]:
    """Elements inside `comment` but not inside a reply nested in it, in document order."""
    stack = list(children(comment))[::-1]
    while stack:
        node = stack.pop()
        if node.is_element_node and node.mem_id not in comments:
            yield node
            stack.extend(list(children(node))[::-1])


def classes_of(node: LexborNode | None) -> list[str]:
    return (node.attributes.get("class") or "").split() if node is not None else []


def first_of(nodes: Iterable[LexborNode], test: Callable[[LexborNode], bool]) -> LexborNode | None:
    return next((n for n in nodes if test(n)), None)
