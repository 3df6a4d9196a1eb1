"""Reply links for formats that do not record them: a comment quotes an earlier one, @mentions
its author, or addresses that author by name ("Jane… lucky you").

Precision over recall: a wrong link misattributes who attacked whom, a missing one only loses
structure. So each kind needs a strong cue, and nothing links to itself or to a later comment.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ._page import Comment, ReplyEvidence

QUOTE_WORDS = 6  # consecutive words repeated verbatim that make a quote
# A run of words found this often is boilerplate or copypasta ("lol lol lol ..."), not a quote of
# one comment; ignoring it also keeps a spammed page linear.
_COMMON_RUN = 32
_SHORT_SENTENCE = range(3, QUOTE_WORDS)  # a whole sentence this long counts when it is in quotes

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_QUOTED = re.compile(r"\"([^\"\n]+)\"|“([^”]+)”|‘([^’]+)’(?!\w)|«([^»]+)»|^>[ \t]*(.+)$", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?:\s+|$)|\n+")
_MENTION = re.compile(r"(?<![\w@])@(\w[\w.\-']*)")
_VOCATIVE_CUE = re.compile(r"\s*(?:,|…|\.\.\.|:|!)|\s+[-–—](?=\s)|\s*[–—]")
_GREETING = re.compile(
    r"(?:hi|hey|hello|dear|thanks|cheers|sorry|well|yes|no|oh|ah|ok|okay)[ \t,]+", re.IGNORECASE
)

# Never a vocative: discourse words that open sentences with a comma ("So, ...", "Well, ...").
_DISCOURSE = frozenset(
    """so well yes no ok okay anyway sure right honestly actually wow oh hey hi hello thanks sorry agreed
    exactly indeed true lol also and but now look listen again here there the a an i you this that what
    why how not anonymous guest admin user""".split()
)
# Names that are also ordinary words: a vocative only at the very start, capitalised as written.
_COMMON_NAMES = frozenset(
    """will may bill mark rose grace hope faith joy june april august summer art pat sue rob jack frank
    drew gene guy sandy rich ray dawn iris ivy lily pearl ruby amber autumn penny sky crystal chase
    hunter don bob max bud rusty cliff glen dale brook grant lane miles norm chip buck rocky
    sunny skip rick nick peter""".split()
)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(key, start, end) per word: keys ignore case, punctuation and the apostrophe's shape."""
    return [(m.group().replace("’", "'").casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]


def author_name(author: str) -> str:
    """The name part of a display name: "j0hn_q ." -> "j0hn_q"."""
    return re.sub(r"[\s.,;:!?·•\-–—]+$", "", author.strip())


def first_name(name: str) -> str:
    """The part of a name people address: "Jane Doe" -> "Jane", "Carol_B" -> "Carol"; "" for a
    one-word name or a handle that does not start with a capitalised word ("dad_of_three")."""
    parts = name.split()
    if len(parts) == 1:
        parts = re.split(r"[_.]", name)
        if not parts[0][:1].isupper():
            return ""
    return parts[0] if len(parts) > 1 and parts[0].isalpha() and len(parts[0]) > 1 else ""


def mention_forms(author: str) -> set[str]:
    """Ways an @mention can spell this author: "Jane Doe" -> janedoe, jane_doe, jane.doe, ..."""
    words = [w.casefold() for w in re.findall(r"\w+", author_name(author))]
    return {sep.join(words) for sep in ("", "_", ".", "-")} - {""}


_FIRST_WORD = re.compile(r"\w+")


class Thread:
    """The comments so far, indexed as they arrive (word runs, short sentences, author names),
    so a page of n comments costs about n look-ups rather than n² comparisons."""

    def __init__(self) -> None:
        self.words: list[list[str]] = []
        self.grams: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
        self.sentences: dict[tuple[str, ...], int] = {}  # first comment to say it wins: the source
        self.latest: dict[str, int] = {}  # author name -> their latest comment
        self.by_word: dict[str, set[str]] = defaultdict(set)  # first word of a name -> names
        self.handles: dict[str, set[str]] = defaultdict(set)  # "jane_doe" -> names
        self.firsts: dict[str, set[str]] = defaultdict(set)  # "jane" -> names of two or more words

    def add(self, text: str, author: str | None) -> None:
        j = len(self.words)
        keys = [k for k, _, _ in _tokens(text)]
        self.words.append(keys)
        for q in range(len(keys) - QUOTE_WORDS + 1):
            seen = self.grams[tuple(keys[q : q + QUOTE_WORDS])]
            if len(seen) <= _COMMON_RUN:
                seen.append((j, q))
        for s in _SENTENCE_END.split(text):
            if len(s) > 120:  # five words never take this much
                continue
            sentence = tuple(k for k, _, _ in _tokens(s))
            if len(sentence) in _SHORT_SENTENCE:
                self.sentences.setdefault(sentence, j)
        name = author_name(author) if author is not None else ""
        if not any(ch.isalnum() for ch in name):
            return
        self.latest[name] = j
        if (first := _FIRST_WORD.search(name)) is not None:
            self.by_word[first.group().casefold()].add(name)
        for form in mention_forms(name):
            self.handles[form].add(name)
        if first_name(name):
            self.firsts[first_name(name).casefold()].add(name)

    def _nearest(self, name: str, me: str | None) -> int | None:
        """The latest comment by `name`, unless that is the replier: nobody addresses themselves."""
        if me is not None and author_name(me) == name:
            return None
        return self.latest.get(name)

    def quote(self, reply: str) -> tuple[int, int, int] | None:
        """(comment, start, end of the quoted words in `reply`): the longest run of at least
        QUOTE_WORDS words repeated from one comment (the earliest wins a tie: it is where the
        words come from), else a whole short sentence of one put in quotation marks. A reply that
        is nothing but the repeated words is a duplicate post, not a reply."""
        mine = _tokens(reply)
        keys = [k for k, _, _ in mine]
        best: tuple[int, int, int] | None = None  # (length, -comment, first word)
        for p in range(len(keys) - QUOTE_WORDS + 1):
            seen = self.grams.get(tuple(keys[p : p + QUOTE_WORDS]), [])
            for j, q in seen if len(seen) <= _COMMON_RUN else ():
                theirs, n = self.words[j], QUOTE_WORDS
                if (
                    p
                    and q
                    and keys[p - 1] == theirs[q - 1]
                    and len(self.grams[tuple(keys[p - 1 : p + 5])]) <= _COMMON_RUN
                ):
                    continue  # inside a run already measured from its start
                while p + n < len(keys) and q + n < len(theirs) and keys[p + n] == theirs[q + n]:
                    n += 1
                if best is None or (n, -j) > best[:2]:
                    best = (n, -j, p)
        if best is not None:
            n, j, p = best
            return None if n == len(keys) else (-j, mine[p][1], mine[p + n - 1][2])
        for m in _QUOTED.finditer(reply):
            g = next(i for i in range(1, 6) if m.group(i) is not None)
            inner = _tokens(m.group(g))
            sentence = tuple(k for k, _, _ in inner)
            if sentence in self.sentences and len(inner) < len(keys):
                return self.sentences[sentence], m.start(g) + inner[0][1], m.start(g) + inner[-1][2]
        return None

    def mention(self, reply: str, me: str | None) -> tuple[int, int, int] | None:
        """(comment, start, end of "@name") for the first @mention of an earlier author. "@Jane Doe"
        and "@jane_doe" name Jane Doe; "@Jane" does when no other earlier author is a Jane."""
        for m in _MENTION.finditer(reply):
            at = m.start(1)
            first = reply[at : _FIRST_WORD.match(reply, at).end()]  # type: ignore[union-attr]
            for name in sorted(self.by_word.get(first.casefold(), ()), key=len, reverse=True):
                end = at + len(name)
                whole = reply[at:end].casefold() == name.casefold() and not reply[end : end + 1].isalnum()
                if whole and reply[end : end + 1] != "_" and (j := self._nearest(name, me)) is not None:
                    return j, m.start(), end
            handle = m.group(1).rstrip(".-'")
            names = self.handles.get(handle.casefold()) or self.firsts.get(handle.casefold(), set())
            if len(names) == 1 and (j := self._nearest(next(iter(names)), me)) is not None:
                return j, m.start(), at + len(handle)
        return None

    def _callable(self, word: str) -> list[tuple[str, str]]:
        """(what a reply may call the author, the author's name) for names starting with `word`,
        longest first so "Jane Doe," wins over "Jane,"."""
        key = word.casefold()
        out = [(n, n) for n in self.by_word.get(key, ()) if n.casefold() not in _DISCOURSE]
        named = self.firsts.get(key, set())
        if len(named) == 1 and key not in _DISCOURSE:
            name = next(iter(named))
            out.append((first_name(name), name))
        return sorted(out, key=lambda t: -len(t[0]))

    def vocative(self, reply: str, me: str | None) -> tuple[int, int, int] | None:
        """(comment, start, end of "Name…") where the reply or one of its sentences opens by
        addressing an earlier author, followed by , … ... : - or ! (optionally after "Hi", ...).
        A name that is also a word ("Will", "May") counts only at the very start, capitalised."""
        starts = [0] + [m.end() for m in _SENTENCE_END.finditer(reply)]
        for s in starts:
            greeting = _GREETING.match(reply, s)
            for pos in (s, greeting.end()) if greeting else (s,):
                word = _FIRST_WORD.match(reply, pos)
                if word is None:
                    continue
                for said, name in self._callable(word.group()):
                    written = reply[pos : pos + len(said)]
                    if said.casefold() in _COMMON_NAMES:
                        if s != 0 or written != said or not said[:1].isupper():
                            continue
                    elif written.casefold() != said.casefold():
                        continue
                    cue = _VOCATIVE_CUE.match(reply, pos + len(said))
                    if cue is not None and (j := self._nearest(name, me)) is not None:
                        return j, pos, cue.end()
        return None


def infer_replies(comments: list[Comment]) -> None:
    """Set `parent` and `reply_evidence`, in place, on comments whose format gave no parent.
    The strongest cue picks the parent (quote, then @mention, then vocative); every cue that
    points at that same parent is kept as evidence. Parents from the format are never touched."""
    thread = Thread()
    for c in comments:
        if c.parent is None:
            hits = [
                (kind, hit)
                for kind, hit in (
                    ("quote", thread.quote(c.text)),
                    ("mention", thread.mention(c.text, c.author)),
                    ("vocative", thread.vocative(c.text, c.author)),
                )
                if hit is not None
            ]
            if hits:
                parent = hits[0][1][0]
                c.parent = comments[parent].id
                c.reply_evidence = [
                    ReplyEvidence(kind, c.text[s:e], s, e)  # type: ignore[arg-type]
                    for kind, (j, s, e) in hits
                    if j == parent
                ]
        thread.add(c.text, c.author)
