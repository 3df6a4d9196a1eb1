"""Helpers for the review UI tests: a cookie-keeping client on an app over a SQLite file, JSONL
pages, the security headers every /ui answer carries, the nesting of a rendered thread, and a
stand-in persuasion-technique model (keyword rules) that keeps the tests hermetic."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx

from tenor import Scorer
from tenor.serve import create_app
from tenor.serve.ui import _auth
from tenor.serve.ui._pages import import_page_bytes
from tenor.techniques import ArticleTechniques, ParagraphTechniques, TechniqueSpan

PAGE = Path(__file__).resolve().parent.parent / "examples" / "page.txt"
PW = "correct horse battery"
SCRIPT, IMG = "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'


def jsonl(comments: list[tuple[str, str | None, str]], **article: str) -> bytes:
    """One JSONL page: an optional article row (title, url, dateline, text), then (id, author, text) rows."""
    rows = [{"page": "p", "kind": "article", **article}] if article else []
    rows += [{"page": "p", "id": i, "author": a, "text": t} for i, a, t in comments]
    return "\n".join(json.dumps(r) for r in rows).encode()


INSULTS = jsonl([("a1", "Ann", "You are a complete idiot and a moron."), ("a2", "Bob", "Shut up, idiots."),
                 ("a3", "Cy", "That's a stupid plan."), ("ok", "Di", "Great article, thanks for the careful reporting.")])  # fmt: skip


# phrase -> (technique, confidence); "corrupt" inside "corrupt elites" makes two spans overlap
TECHNIQUE_RULES = {
    "corrupt elites": ("Name_Calling-Labeling", 0.91),
    "corrupt": ("Loaded_Language", 0.73),
    "everyone knows": ("Appeal_to_Popularity", 0.64),
    "our brave nation": ("Flag_Waving", 0.88),
}


class FakeTechniques:
    """The interface of tenor.techniques.load_technique_model()'s object: `version` and `find`.
    Marks the phrases of TECHNIQUE_RULES; a paragraph carries the techniques of its spans. Keeps
    every call, to check what the service passed."""

    version = "techniques-test-0"

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[tuple[int, int]] | None]] = []

    def find(self, text: str, paragraphs: list[tuple[int, int]] | None = None, languages: object = None) -> ArticleTechniques:
        self.calls.append((text, paragraphs))
        if paragraphs is None:
            paragraphs, pos = [], 0
            for line in text.split("\n"):
                if line.strip():
                    paragraphs.append((pos, pos + len(line)))
                pos += len(line) + 1
        lower = text.lower()
        spans = sorted(
            (
                TechniqueSpan(m.start(), m.end(), technique, confidence)
                for phrase, (technique, confidence) in TECHNIQUE_RULES.items()
                for m in re.finditer(re.escape(phrase), lower)
            ),
            key=lambda s: (s.begin, s.end, s.technique),
        )
        labelled = []
        for begin, end in paragraphs:
            best: dict[str, float] = {}
            for s in spans:
                if s.begin < end and s.end > begin:
                    best[s.technique] = max(best.get(s.technique, 0.0), s.confidence)
            labelled.append(ParagraphTechniques(begin, end, tuple(sorted(best.items(), key=lambda t: -t[1]))))
        return ArticleTechniques(self.version, tuple(spans), tuple(labelled))


class UI:
    """An app on a SQLite file, and a client that keeps its cookies like a browser."""

    def __init__(self, scorer: Scorer, db: Path, base_url: str = "http://testserver", **options: Any) -> None:
        self.app = create_app(scorer, db_path=str(db), **options)
        self.store, self.db, self.base_url = self.app.state.store, db, base_url
        self.cookies, self.csrf = httpx.Cookies(), ""

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url=self.base_url, cookies=self.cookies) as client:
            response = await client.request(method, url, **kwargs)
            self.cookies = client.cookies
        return response

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return asyncio.run(self._request("GET", url, **kwargs))

    def post(self, url: str, data: dict[str, Any] | None = None, csrf: str | bool | None = True, **kwargs: Any) -> httpx.Response:
        """A form with this session's csrf token (csrf=True), another one (a string), or none (None)."""
        form = {**({} if csrf is None else {"csrf": self.csrf if csrf is True else csrf}), **(data or {})}
        return asyncio.run(self._request("POST", url, data=form, **kwargs))

    def login(self, name: str = "ann", password: str = PW, next: str = "") -> httpx.Response:
        self.get("/ui/login")
        token = self.cookies.get("tenor_login_csrf")
        r = self.post("/ui/login", {"username": name, "password": password, "next": next}, csrf=token)
        if r.status_code == 303:
            self.csrf = self.store.session(_auth.hash_token(self.cookies["tenor_session"]))["csrf_token"]
        return r

    def seed(self, data: bytes, community: str = "default", name: str = "page.jsonl") -> int:
        return import_page_bytes(self.store, self.app.state.scorer, data, name, community,
                                 techniques=self.app.state.techniques)[0]  # fmt: skip

    def ids(self, page_id: int) -> dict[str, int]:
        return {c["comment_key"]: c["id"] for c in self.store.page_comments(page_id)}

    def queue(self, query: str = "") -> list[int]:
        r = self.get(f"/ui/queue?{query}")
        assert r.status_code == 200, r.text
        return [int(i) for i in re.findall(r'id="queue-(\d+)"', r.text)]

    def tables(self) -> dict[str, list[tuple]]:
        with closing(sqlite3.connect(self.db)) as con:
            names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {n: con.execute(f'SELECT * FROM "{n}"').fetchall() for n in names}


def make_ui(scorer: Scorer, tmp_path: Path, **options: Any) -> Iterator[UI]:
    ui = UI(scorer, tmp_path / "tenor.db", **options)
    ui.store.add_reviewer("ann", _auth.hash_password(PW))
    yield ui
    ui.store.close()


def assert_ui_headers(r: httpx.Response, *, page: bool = True) -> None:
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src" not in csp and "unsafe-" not in csp
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert ("no-store" in r.headers.get("cache-control", "")) == page


def nesting(html: str) -> dict[str, int]:
    """comment element id -> how many <ul class="thread"> hold it."""
    depth: dict[str, int] = {}
    stack: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag in ("input", "meta", "link", "br", "img"):
                return
            stack.append("thread" if tag == "ul" and a.get("class") == "thread" else tag)
            if tag == "article" and (a.get("id") or "").startswith("comment-"):
                depth[a["id"] or ""] = stack.count("thread")

        def handle_endtag(self, tag: str) -> None:
            stack.pop()

    Parser().feed(html)
    return depth
