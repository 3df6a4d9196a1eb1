"""The raw text dump (product.md §3): dateline, title, article paragraphs, then comments, with
no markup at all. Where the article ends and who wrote what is read from layout and tone.

The reading goes in small steps, each a pure function: lines -> blocks (runs of non-blank lines
with the number of blank lines before them) -> header (dateline, title) -> author lines ->
the article/comments boundary -> comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._errors import PageFormatError
from ._dateline import is_date_line
from ._decode import decode
from ._page import Article, Comment, Page
from ._replies import infer_replies

# Zero-width characters scrapers leave on otherwise empty lines.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


@dataclass(frozen=True)
class Block:
    lines: tuple[str, ...]  # stripped, never blank
    gap_before: int  # blank lines between this block and the previous one (or the file start)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def clean_line(line: str) -> str:
    return line.strip().strip(_INVISIBLE).strip()


def split_blocks(text: str) -> list[Block]:
    """Text -> runs of non-blank lines. Line ends are normalised first; a line of spaces is blank."""
    blocks: list[Block] = []
    current: list[str] = []
    gap = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = clean_line(raw)
        if line:
            current.append(line)
            continue
        if current:
            blocks.append(Block(tuple(current), gap))
            current, gap = [], 0
        gap += 1
    if current:
        blocks.append(Block(tuple(current), gap))
    return blocks


# --- author lines -------------------------------------------------------------------------------

# Words that make a short line a reaction ("Me Too", "Spot On") rather than a display name.
_REACTION_WORDS = frozenset(
    """i me my you your we us our it is was are am be the a an and but or of to in on at for this that
    so too very yes yep no nope not agree agreed totally absolutely exactly indeed quite true right wrong
    well said thanks thank great good nice point spot hear lol haha omg wow same here rubbish nonsense
    what why how who when where really sure ok okay""".split()
)
# Words that make a sentence-case line a phrase ("About time", "Love it") rather than a name
# ("Riverside resident", "Concerned parent").
_FUNCTION_WORDS = _REACTION_WORDS | frozenset(
    """he she they them his her their its about over with from by as if then than just all any some
    every more most less only also still again never ever always can could would should will must do
    does did done has have had get got go going love hate like shame time""".split()
)
_TITLE_ABBREVIATIONS = frozenset(("jr", "sr", "dr", "mr", "mrs", "ms", "st", "snr", "jnr"))
_SENTENCE_PUNCTUATION = re.compile(r"[?!,;\"“”«»…]|\.\.|:$")


def author_strength(line: str) -> int:
    """0: not a display name; 1: could be one ("Pete", "Riverside resident", but also "Rubbish");
    2: looks like one ("Jane Doe", "j0hn_q .", "Zoë 1987", "Not Happy In Leeds")."""
    s = line.strip()
    tokens = s.split()
    if not s or len(s) > 40 or not 1 <= len(tokens) <= 4 or "\n" in s:
        return 0
    if _SENTENCE_PUNCTUATION.search(s) or s[0] in "-–—>*•#(" or is_date_line(s):
        return 0
    if tokens[0].lower() == "by" and len(tokens) > 1:  # a byline, part of the article
        return 0
    words = [t.strip(".'’()") for t in tokens if any(ch.isalpha() for ch in t)]
    if not words:
        return 0  # a bare number is not a name
    last = tokens[-1]
    # "Fine." ends a sentence; "J." and "Jr." are parts of a name.
    if (
        len(last) > 2
        and last.endswith(".")
        and last[:-1].isalpha()
        and last[:-1].lower() not in _TITLE_ABBREVIATIONS
    ):
        return 0
    if all(w.lower() in _REACTION_WORDS for w in words):
        return 0
    handle_like = any(ch.isdigit() or ch in "_@." for ch in s) or s.endswith(" .")
    capitalised = all(w[:1].isupper() for w in words if w)
    if handle_like or (capitalised and len(tokens) > 1):
        return 2
    if capitalised:
        return 1  # one plain word: "Pete", but also "Rubbish"
    if words[0][:1].isupper() and not any(w.lower() in _FUNCTION_WORDS for w in words):
        return 1  # sentence case: "Riverside resident", but also "Typical council"
    return 0


def find_author_lines(blocks: list[Block]) -> list[bool]:
    """Which blocks are author lines: a one-line name-like block with a comment after it. A weak
    candidate also needs that comment right after one blank line; of two name-like lines in a
    row only the second can be an author (the first is a short comment)."""
    strength = [author_strength(b.lines[0]) if len(b.lines) == 1 else 0 for b in blocks]
    flags = []
    for i, s in enumerate(strength):
        nxt = i + 1
        ok = s > 0 and nxt < len(blocks) and strength[nxt] == 0
        if ok and s == 1:
            ok = blocks[nxt].gap_before == 1
        flags.append(ok)
    return flags


# --- article or comment -------------------------------------------------------------------------

_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”]*”|‘[^’]*’(?!\w)|«[^»]*»")
_PERSONAL = frozenset(
    """i i'm i've i'd i'll im ive me my mine myself we we're we've our ours you you're you've your yours
    u ur ya""".split()
)
_EMOTICON = re.compile(
    r"(?:^|\s)[:;=8]-?[()DPp/\\|3]|<3|\b(?:lol|lmao|rofl|haha\w*|omg|smh|imo|imho)\b"
    r"|[\U0001F300-\U0001FAFF\u2600-\u27BF]",
    re.IGNORECASE,
)
_MENTION = re.compile(r"(?<![\w@])@\w")
_REPORTING = re.compile(
    r"\b(?:said|says|told|according to|announced|confirmed|reported|added|stated|spokesperson|spokesman"
    r"|spokeswoman|officials?|police|council|government|minister|percent|per cent)\b",
    re.IGNORECASE,
)


def register_score(text: str) -> int:
    """How much a paragraph reads like a comment (> 0) rather than reportage (< 0). Quoted speech
    is left out: articles quote people saying "I" and "we"."""
    own = _QUOTED.sub(" ", text)
    words = re.findall(r"[A-Za-z’']+", own)
    score = 0
    if any(w.replace("’", "'").lower() in _PERSONAL for w in words if w != "US"):
        score += 2
    if "?" in own:
        score += 1
    if re.search(r"[!?]{2,}", own):
        score += 2
    elif "!" in own:
        score += 1
    if own.lstrip()[:1].islower():
        score += 1
    if _EMOTICON.search(own):
        score += 2
    if _MENTION.search(own):
        score += 2
    n_words = len(text.split())
    if n_words < 8:
        score += 1
    if n_words >= 25:
        score -= 1
    if _REPORTING.search(text):
        score -= 1
    if score <= 0 and n_words >= 12 and text.rstrip().endswith((".", "…", '."', ".”")):
        score -= 1
    return score


def choose_boundary(scores: list[int], hard: int, first: int = 1, margin: int = 2) -> int:
    """Index of the first comment block. `hard` is where layout proves the comments have begun
    (an author line, a double blank line; len(scores) when nothing does). Before it, the split is
    the one that best separates reportage from comment-like blocks, and it moves earlier than
    `hard` only when the blocks it gives to the comments outweigh it by `margin`; ties keep the
    longer article. Blocks before `first` stay in the article."""
    best_k, best, total = hard, margin - 1, 0
    for k in range(hard - 1, min(first, hard) - 1, -1):
        total += scores[k]
        if total > best:
            best_k, best = k, total
    return best_k


# --- the page -----------------------------------------------------------------------------------


def looks_like_title(line: str) -> bool:
    """A headline: one line, not long, no full stop at the end (a lede paragraph has one)."""
    return len(line) <= 200 and len(line.split()) <= 25 and not re.search(r"\w[.]$", line)


def split_header(blocks: list[Block]) -> tuple[str | None, str | None, list[Block]]:
    """(dateline, title, the blocks after them). The dateline may come before or after the title."""
    rest = list(blocks)
    dateline = title = None
    if rest and is_date_line(rest[0].lines[0]):
        dateline = rest[0].lines[0]
        rest = ([Block(rest[0].lines[1:], 0)] if len(rest[0].lines) > 1 else []) + rest[1:]
    if rest and len(rest[0].lines) == 1 and looks_like_title(rest[0].lines[0]):
        title = rest.pop(0).lines[0]
        if dateline is None and rest and len(rest[0].lines) == 1 and is_date_line(rest[0].lines[0]):
            dateline = rest.pop(0).lines[0]
    return dateline, title, rest


def hard_boundary(blocks: list[Block], authors: list[bool]) -> int:
    """The first block layout proves to be a comment: an author line, or a block after two or
    more blank lines (the first block's gap is the header's and proves nothing)."""
    for i, b in enumerate(blocks):
        if authors[i] or (i > 0 and b.gap_before >= 2):
            return i
    return len(blocks)


def group_comments(blocks: list[Block], authors: list[bool]) -> list[tuple[str | None, list[str]]]:
    """Blocks of the comments section -> (author, paragraphs) per comment. A new comment starts at
    an author line, or after two or more blank lines unless its author line is still waiting
    for its text (extra blank lines after an author line are common)."""
    comments: list[tuple[str | None, list[str]]] = []
    for i, b in enumerate(blocks):
        if authors[i]:
            comments.append((b.lines[0], []))
        elif not comments or (b.gap_before >= 2 and comments[-1][1]):
            comments.append((None, [b.text]))
        else:
            comments[-1][1].append(b.text)
    return [(a, ps) for a, ps in comments if ps]


def read_raw(data: bytes, source: str) -> list[Page]:
    """A raw text dump -> one Page (format "raw"), replies inferred, dateline checked."""
    text = decode(data, source)
    blocks = split_blocks(text)
    if not blocks:
        raise PageFormatError(source, "the file is empty (nothing but whitespace): there is no page to read")
    dateline, title, body = split_header(blocks)
    authors = find_author_lines(body)
    hard = hard_boundary(body, authors)
    start = choose_boundary([register_score(b.text) for b in body], hard)
    page = Page(source=source, format="raw", title=title, dateline=dateline)
    page.article = Article.from_paragraphs([b.text for b in body[:start]])
    grouped = group_comments(body[start:], authors[start:])
    page.comments = [Comment.from_paragraphs(f"c{n}", a, ps) for n, (a, ps) in enumerate(grouped, 1)]
    infer_replies(page.comments)
    return [page]
