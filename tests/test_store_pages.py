"""Analyzing a page again updates it (issue 19): `add_page` upserts by the page's URL, else by
its source and content, keeps the review decisions on comments still there, and never duplicates
the page or its comments. On SQLite and PostgreSQL (the `target` fixture of test_serve_store)."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tenor import Scorer
from tenor.store import _store
from tenor.store._pages import page_key
from tenor.store._store import SCHEMA_VERSION, SuggestionStore
from tests.test_serve_store import Target, target  # noqa: F401  (the SQLite + PostgreSQL fixture)


def page(*comments: tuple[str, str, float | None], url: str | None = "https://news.example/bridge",
         source: str = "bridge.html", model: str = "m-1", article: str = "The bridge reopens.") -> dict[str, Any]:  # fmt: skip
    """An analyze --json page: comments (id, text, TOXICITY or None for one that failed); the
    ones at 0.5 or over need review."""
    return {
        "source": source, "format": "html", "url": url, "title": "Bridge", "dateline": None,
        "article": {"text": article, "paragraphs": []}, "warnings": [], "model_version": model, "techniques": None,
        "comments": [{"id": key, "author": "Al", "text": text, "parent": None, "reply_evidence": [],
                      "scores": {} if score is None else {"TOXICITY": score}, "spans": {},
                      "error": {"type": "COMMENT_EMPTY", "message": "empty"} if score is None else None,
                      "model_version": model} for key, text, score in comments],
        "needs_review": [{"id": key, "attribute": "TOXICITY", "score": score, "threshold": 0.5, "over": ["TOXICITY"]}
                         for key, _, score in comments if score is not None and score >= 0.5],
    }  # fmt: skip


@pytest.fixture
def store(target: Target) -> Any:  # noqa: F811
    s = SuggestionStore(target.url)
    yield s
    s.close()


def _decide(store: SuggestionStore, comment_id: int, action: str) -> int:
    reviewer = store.reviewer("ann") or {"id": store.add_reviewer("ann", "h")}
    return store.add_decision(page_comment_id=comment_id, reviewer_id=reviewer["id"], action=action, note=action,
                              attribute="TOXICITY", score=0.9, suggestion_id=None, model_version="m-1")  # fmt: skip


def test_the_same_page_again_updates_it_and_keeps_decisions_on_comments_still_there(
    store: SuggestionStore,
) -> None:
    first = store.add_page(page(("c1", "Great news", 0.1), ("c2", "You idiot", 0.9), ("c3", "Go away", 0.7)))
    before = {c["comment_key"]: c for c in store.page_comments(first)}
    kept = _decide(store, before["c2"]["id"], "reject")
    _decide(store, before["c3"]["id"], "flag")  # c3 is gone from the page next time

    again = store.add_page(
        page(("c1", "Great news", 0.6), ("c2", "You idiot", 0.8), ("c4", "New one", 0.2), model="m-2")
    )
    assert again == first and len(store.pages()) == 1
    (saved,) = store.pages()
    assert saved["model_version"] == "m-2" and saved["page_key"] == "url:https://news.example/bridge"
    after = store.page_comments(first)
    assert [(c["comment_key"], c["attribute_scores"], c["review_rank"], c["model_version"]) for c in after] == [
        ("c1", {"TOXICITY": 0.6}, 1, "m-2"), ("c2", {"TOXICITY": 0.8}, 2, "m-2"), ("c4", {"TOXICITY": 0.2}, None, "m-2"),
    ]  # fmt: skip
    assert after[1]["id"] == before["c2"]["id"] and after[0]["id"] == before["c1"]["id"]  # the same rows
    decisions = store.decisions()
    assert [(d["id"], d["comment_key"], d["action"]) for d in decisions] == [(kept, "c2", "reject")]
    assert store.latest_decisions(first) == {before["c2"]["id"]: store.latest_decisions()[before["c2"]["id"]]}
    assert [c["comment_key"] for c in store.review_candidates()] == ["c1", "c2", "c4"]  # no duplicates
    assert store.page_summaries()[0]["comments"] == 3


def test_a_comment_whose_id_shifted_keeps_its_row_by_its_text(store: SuggestionStore) -> None:
    """Readers that number comments by position renumber them when one is added above."""
    first = store.add_page(page(("c1", "You idiot", 0.9), ("c2", "Fine", 0.1)))
    idiot = store.page_comments(first)[0]["id"]
    decision = _decide(store, idiot, "reject")
    store.add_page(page(("c1", "Brand new", 0.1), ("c2", "You idiot", 0.9), ("c3", "Fine", 0.1)))
    rows = store.page_comments(first)
    assert [(c["comment_key"], c["comment_text"]) for c in rows] == [
        ("c1", "Brand new"),
        ("c2", "You idiot"),
        ("c3", "Fine"),
    ]
    assert rows[1]["id"] == idiot and [d["id"] for d in store.decisions()] == [decision]


def test_an_edited_comment_loses_the_decisions_made_on_its_old_text(store: SuggestionStore) -> None:
    first = store.add_page(page(("c1", "You idiot", 0.9)))
    _decide(store, store.page_comments(first)[0]["id"], "reject")
    store.add_page(page(("c1", "You are wrong", 0.3)))
    assert [c["comment_text"] for c in store.page_comments(first)] == [
        "You are wrong"
    ] and store.decisions() == []


def test_without_a_url_the_key_is_the_source_and_the_content(store: SuggestionStore) -> None:
    one = page(("c1", "Hello", 0.1), url=None, source="dump.txt")
    first = store.add_page(one)
    assert (
        store.add_page(page(("c1", "Hello", 0.2), url=None, source="dump.txt", model="m-2")) == first
    )  # rescored
    assert store.page_comments(first)[0]["attribute_scores"] == {"TOXICITY": 0.2}
    other_source = store.add_page(page(("c1", "Hello", 0.1), url=None, source="other.txt"))
    more_comments = store.add_page(
        page(("c1", "Hello", 0.1), ("c2", "Bye", 0.1), url=None, source="dump.txt")
    )
    assert len({first, other_source, more_comments}) == 3 and len(store.pages()) == 3
    assert page_key(one).startswith("content:") and page_key(one) == store.page(first)["page_key"]  # type: ignore[index]
    # the file's name counts, not the folder it was read from
    assert store.add_page(page(("c1", "Hello", 0.1), url=None, source="/elsewhere/dump.txt")) == first
    warc = page(("c1", "Hello", 0.1), url=None, source="a/crawl.warc#<urn:uuid:1/2>")
    assert (
        page_key(warc)
        == page_key({**warc, "source": "b/crawl.warc#<urn:uuid:1/2>"})
        != page_key({**warc, "source": "crawl.warc#3"})
    )
    # a URL, when the page has one, is all that counts: a rescrape with new comments is the same page
    with_url = store.add_page(page(("c1", "Hello", 0.1), article="Old text."))
    assert (
        store.add_page(page(("c1", "Hello", 0.1), ("c2", "Later", 0.1), article="Edited text.")) == with_url
    )


def test_two_writers_of_one_new_page_at_once_store_it_once(target: Target) -> None:  # noqa: F811
    stores = [SuggestionStore(target.url) for _ in range(4)]
    ids: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(stores))

    def write(s: SuggestionStore, n: int) -> None:
        try:
            start.wait()
            ids.append(s.add_page(page(("c1", "Hello", 0.1 * n), ("c2", "You idiot", 0.9))))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(s, n)) for n, s in enumerate(stores)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == [] and len(set(ids)) == 1
        assert len(stores[0].pages()) == 1 and len(stores[0].page_comments(ids[0])) == 2
    finally:
        for s in stores:
            s.close()


def _old_page(con: sqlite3.Connection, url: str | None, source: str, text: str) -> int:
    """A page and its one comment as tenor before page keys (schema 6) wrote them."""
    page_id = con.execute(
        "INSERT INTO pages (received_at, source, format, url, title, article_text, warnings, model_version)"
        " VALUES ('2026-01-01T00:00:00+00:00', ?, 'html', ?, 'Bridge', 'The bridge reopens.', '[]', 'm-1')",
        (source, url),
    ).lastrowid
    con.execute(
        "INSERT INTO page_comments (received_at, page_id, position, comment_key, author, comment_text, reply_evidence,"
        " attribute_scores, spans, model_version) VALUES ('2026-01-01', ?, 0, 'c1', 'Al', ?, '[]', '{}', '{}', 'm-1')",
        (page_id, text),
    )
    assert page_id is not None
    return page_id


def test_a_page_stored_before_page_keys_is_adopted_not_duplicated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages a schema-6 tenor stored have no key: the newest that is the same page (by URL, or by
    source and content) is updated in place, decisions and all; older duplicates stay as they are."""
    db = str(tmp_path / "old.db")
    monkeypatch.setattr(_store, "SCHEMA_VERSION", 6)  # what tenor before issue 19 made
    SuggestionStore(db).close()
    with closing(sqlite3.connect(db)) as con, con:
        assert "page_key" not in {r[1] for r in con.execute("PRAGMA table_info(pages)")}
        by_url = [_old_page(con, "https://news.example/bridge", "bridge.html", "You idiot") for _ in range(2)]
        by_content = _old_page(con, None, "dump.txt", "Hello")
        ann = con.execute(
            "INSERT INTO reviewers (username, password_hash, created_at) VALUES ('ann', 'h', 'now')"
        ).lastrowid
        decided = con.execute("SELECT id FROM page_comments WHERE page_id = ?", (by_url[1],)).fetchone()[0]
        con.execute("INSERT INTO review_decisions (received_at, page_comment_id, reviewer_id, action, model_version)"
                    " VALUES ('now', ?, ?, 'reject', 'm-1')", (decided, ann))  # fmt: skip
    monkeypatch.undo()
    new = SuggestionStore(db)
    try:
        assert new.schema_version == SCHEMA_VERSION >= 7
        assert new.add_page(page(("c1", "You idiot", 0.8), model="m-2")) == by_url[1]
        assert new.add_page(page(("c1", "Hello", 0.3), url=None, source="dump.txt")) == by_content
        assert len(new.pages()) == 3 and new.page_comments(by_url[1])[0]["id"] == decided
        assert [d["comment_id"] for d in new.decisions()] == [decided]
        assert new.add_page(page(("c1", "You idiot", 0.7))) == by_url[1]  # from now on by its key
        assert [p["page_key"] is None for p in new.pages()] == [True, False, False]
    finally:
        new.close()


def test_analyze_twice_into_one_database_keeps_one_page(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    scorer: Scorer,
    target: Target,  # noqa: F811
) -> None:
    from tenor.cli import _analyze as analyze_module
    from tenor.cli import _score as score_module
    from tenor.cli import main

    monkeypatch.setattr(score_module, "_load_scorer", lambda model=None, multilingual=None: scorer)
    monkeypatch.setattr(analyze_module, "_load_techniques", lambda model: None)
    examples = Path(__file__).resolve().parents[1] / "examples"
    runs = [CliRunner().invoke(main, ["analyze", str(examples / "page.txt"), "--db", target.url, "--no-techniques"])
            for _ in range(2)]  # fmt: skip
    assert [r.exit_code for r in runs] == [0, 0], [r.output for r in runs]
    store = SuggestionStore(target.url)
    try:
        (saved,) = store.pages()
        comments = store.page_comments(saved["id"])
        assert len(comments) == len({c["comment_key"] for c in comments}) > 0
    finally:
        store.close()


def test_one_page_in_two_communities_is_two_pages(store: SuggestionStore) -> None:
    """Each community reviews a page against its own thresholds: a page key is unique within one."""
    news = store.add_page(page(("c1", "Hello", 0.1)), community="news")
    sport = store.add_page(page(("c1", "Hello", 0.1)), community="sport")
    assert news != sport and store.add_page(page(("c1", "Hello", 0.4)), community="sport") == sport
    assert len(store.pages()) == 2
