"""The review UI's parts without HTTP: the queue rules (_queue.review_queue), the thread view and
its marked words, the CSV export, the store's review tables on SQLite (migration 5 included),
and `tenor reviewers`."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

pytest.importorskip("fastapi")
pytest.importorskip("jinja2")

from tenor import Scorer
from tenor.analyze._view import highlight_segments, mark_level
from tenor.cli import main
from tenor.serve.ui import _auth
from tenor.serve.ui._export import COLUMNS, decisions_csv
from tenor.serve.ui._pages import thread_view
from tenor.serve.ui._queue import QueueFilter, review_queue
from tenor.store import _store
from tenor.store._reviews import ReviewerError
from tenor.store._store import SCHEMA_VERSION, SuggestionStore

from .ui_helpers import UI

MODEL = {"TOXICITY": 0.5, "INSULT": 0.3, "THREAT": 0.2}
STRICT = {**MODEL, "TOXICITY": 0.9}


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_auth, "_N", 2**8)  # the same code with a small work factor


def cand(id: int, page_id: int = 1, author: str | None = None, community: str = "default",
         day: str = "2026-03-02", **scores: float) -> dict[str, Any]:  # fmt: skip
    return {"id": id, "page_id": page_id, "author": author, "community": community, "comment_text": f"text {id}",
            "attribute_scores": scores, "page_received_at": f"{day}T10:00:00+00:00"}  # fmt: skip


def queue(candidates: list[dict[str, Any]], decisions: dict[int, dict[str, Any]] | None = None, **f: Any) -> list[int]:
    items = review_queue(candidates, decisions or {}, lambda c, m=None: STRICT if c == "strict" else MODEL, QueueFilter(**f))
    return [item.comment["id"] for item in items]


# --- the queue rules -------------------------------------------------------------------------


def test_queue_takes_comments_at_or_over_a_threshold_highest_first() -> None:
    cs = [cand(1, TOXICITY=0.49, INSULT=0.29), cand(2, TOXICITY=0.5), cand(3, INSULT=0.8, TOXICITY=0.7),
          cand(4, THREAT=0.8), cand(5, TOXICITY=0.7), cand(6), cand(7, UNKNOWN=0.99)]  # fmt: skip
    assert queue(cs) == [3, 4, 5, 2]  # 0.8 (id 3 before 4), 0.7, 0.5 (a score equal to its threshold counts)
    first = review_queue(cs, {}, lambda c, m=None: MODEL, QueueFilter())[0]
    assert (first.attribute, first.score, first.threshold, set(first.over)) == ("INSULT", 0.8, 0.3, {"INSULT", "TOXICITY"})


def test_attribute_and_threshold_filters() -> None:
    cs = [cand(1, TOXICITY=0.6, INSULT=0.9), cand(2, INSULT=0.4), cand(3, TOXICITY=0.2, THREAT=0.1)]
    assert queue(cs, attribute="TOXICITY") == [1]
    (item,) = review_queue(cs, {}, lambda c, m=None: MODEL, QueueFilter(attribute="TOXICITY"))
    assert (item.attribute, item.over) == ("TOXICITY", ("TOXICITY",))  # only the filtered attribute counts
    assert queue(cs, threshold=0.15) == [1, 2, 3]  # one threshold for every attribute, instead of the model's
    assert queue(cs, threshold=0.95) == []
    assert queue(cs, attribute="THREAT", threshold=0.1) == [3]
    assert review_queue(cs, {}, lambda c, m=None: MODEL, QueueFilter(threshold=0.15))[0].threshold == 0.15


def test_community_thresholds_apply_to_their_pages_only() -> None:
    cs = [cand(1, TOXICITY=0.8), cand(2, community="strict", TOXICITY=0.8), cand(3, community="strict", TOXICITY=0.95)]
    assert queue(cs) == [3, 1]
    assert queue(cs, threshold=0.5) == [3, 1, 2]  # the filter's threshold wins over the community's


def test_page_author_and_day_filters() -> None:
    cs = [cand(1, 1, "Straße", day="2026-03-01", TOXICITY=0.9), cand(2, 2, "bob", day="2026-03-02", TOXICITY=0.8),
          cand(3, 2, None, day="2026-03-03", TOXICITY=0.7)]  # fmt: skip
    assert queue(cs, page_id=2) == [2, 3]
    assert queue(cs, author="STRASSE") == [1] and queue(cs, author="BoB") == [2] and queue(cs, author="bo") == []
    assert queue(cs, since="2026-03-02") == [2, 3] and queue(cs, until="2026-03-02") == [1, 2]
    assert queue(cs, since="2026-03-02", until="2026-03-02") == [2]


def test_status_follows_the_latest_decision() -> None:
    cs = [cand(i, TOXICITY=1 - i / 10) for i in (1, 2, 3, 4)]
    decisions = {2: {"action": "flag"}, 3: {"action": "approve"}, 4: {"action": "reject"}}
    assert queue(cs, decisions) == [1]
    assert queue(cs, decisions, status="flagged") == [2]
    assert queue(cs, decisions, status="decided") == [3, 4]
    assert queue(cs, decisions, status="all") == [1, 2, 3, 4]
    assert review_queue(cs, decisions, lambda c, m=None: MODEL, QueueFilter(status="all"))[1].decision == {"action": "flag"}


# --- the thread and its marks ------------------------------------------------------------------


def test_highlight_merges_overlapping_and_touching_spans() -> None:
    spans = {"TOXICITY": [{"begin": 4, "end": 9}, {"begin": 99, "end": 120}],  # out of range: ignored
             "INSULT": [{"begin": 7, "end": 12}, {"begin": 12, "end": 14}],  # overlapping, then touching
             "THREAT": [{"begin": 3, "end": 3}, {"begin": -1, "end": 2}]}  # empty, negative: ignored  # fmt: skip
    assert highlight_segments("You silly idiot!", spans) == [("You ", 0), ("silly idio", 4), ("t!", 0)]
    assert highlight_segments("hi", None) == [("hi", 0)] and highlight_segments("", {}) == [("", 0)]
    assert highlight_segments("idiot", {"T": [{"begin": 0, "end": 5}]}) == [("idiot", 4)]


def test_a_mark_is_drawn_as_strong_as_its_score() -> None:
    """Issue 19: marks follow the score (four intensities); merged spans take the strongest."""
    spans = {"TOXICITY": [{"begin": 0, "end": 3, "score": 0.2}, {"begin": 4, "end": 9, "score": 0.55}],
             "INSULT": [{"begin": 7, "end": 12, "score": 0.9}]}  # fmt: skip
    assert highlight_segments("You silly idiot", spans) == [("You", 1), (" ", 0), ("silly id", 4), ("iot", 0)]
    assert [mark_level(v) for v in (0.0, 0.24, 0.25, 0.5, 0.74, 0.75, 1.0, None)] == [1, 1, 2, 3, 3, 4, 4, 4]


def comment(key: str, parent: str | None = None) -> dict[str, Any]:
    span = {"begin": len(key) + 1, "end": len(key) + 6}
    return {"comment_key": key, "parent_key": parent, "comment_text": f"{key} idiot", "spans": {"TOXICITY": [span]}}


def test_thread_view_nests_replies_in_page_order_and_drops_none() -> None:
    cs = [comment("a"), comment("b", "a"), comment("c"), comment("d", "a"), comment("e", "b"), comment("f", "gone"),
          comment("g", "g"), comment("h", "i"), comment("i", "h")]  # fmt: skip

    def shape(nodes: Any) -> list[Any]:
        return [(n.comment["comment_key"], shape(n.replies)) if n.replies else n.comment["comment_key"] for n in nodes]

    tree = thread_view(cs)
    assert shape(tree) == [("a", [("b", ["e"]), "d"]), "c", "f", "g", "h", "i"]  # orphans, self-replies, cycles on top
    assert tree[0].comment["segments"] == [("a ", 0), ("idiot", 4)]


# --- CSV export --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil.example","x")', "+1", "-1+2", "@SUM(A1)", "\tcmd", "\r=1"])
def test_csv_cells_that_look_like_formulas_get_an_apostrophe(value: str) -> None:
    row = {"note": value, "comment_text": value, "author": value, "page_title": value, "score": -0.5, "id": 7}
    out = decisions_csv([row])
    header, row = list(csv.reader(io.StringIO(out)))
    assert header == list(COLUMNS)
    cells = dict(zip(header, row))
    assert cells["note"] == cells["comment_text"] == cells["author"] == cells["page_title"] == "'" + value
    assert (cells["score"], cells["id"], cells["reviewer"]) == ("-0.5", "7", "")  # numbers and gaps as they are


def test_csv_keeps_plain_text_with_quotes_commas_and_newlines() -> None:
    text = 'He said "a, b"\nthen 1=1 and a-b'
    out = decisions_csv([{"comment_text": text}, {"comment_text": "fine"}])
    assert out.endswith("\r\n") and out.startswith(",".join(COLUMNS) + "\r\n")
    rows = list(csv.reader(io.StringIO(out)))[1:]
    assert [r[COLUMNS.index("comment_text")] for r in rows] == [text, "fine"]


# --- the store ---------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SuggestionStore]:
    s = SuggestionStore(str(tmp_path / "tenor.db"))
    yield s
    s.close()


def page_data(*comments: tuple[str, dict[str, float] | None], title: str = "T") -> dict[str, Any]:
    return {
        "source": "p.jsonl", "format": "jsonl", "url": None, "title": title, "dateline": None,
        "article": {"text": "Article."}, "warnings": [], "needs_review": [], "model_version": "m-1",
        "comments": [{"id": key, "author": "Al", "text": f"{key} text", "parent": None, "reply_evidence": [],
                      "scores": scores or {}, "spans": {}, "error": None if scores else {"message": "empty"}}
                     for key, scores in comments],
    }  # fmt: skip


def test_reviewers_accounts(store: SuggestionStore) -> None:
    first = store.add_reviewer("ann", "scrypt$hash")
    assert store.add_reviewer("bob", "h2") == first + 1
    with pytest.raises(ReviewerError, match="exists already"):
        store.add_reviewer("ann", "h3")
    assert store.reviewer("ann")["password_hash"] == "scrypt$hash" and store.reviewer("nobody") is None
    assert [r["username"] for r in store.reviewers()] == ["ann", "bob"]
    assert all("password_hash" not in r for r in store.reviewers())
    store.set_reviewer("bob", disabled=True)
    assert store.reviewer("bob")["disabled_at"] is not None
    store.set_reviewer("bob", disabled=False)
    assert store.reviewer("bob")["disabled_at"] is None
    with pytest.raises(ReviewerError, match="no reviewer"):
        store.set_reviewer("nobody", disabled=True)


def test_sessions_end_on_logout_expiry_password_and_disabling(store: SuggestionStore) -> None:
    ann = store.add_reviewer("ann", "h")
    store.add_session("live", ann, "csrf-1", _auth.session_expiry())
    store.add_session("old", ann, "csrf-2", "2000-01-01T00:00:00+00:00")
    live = store.session("live")
    assert live is not None and (live["reviewer_id"], live["csrf_token"], live["username"]) == (ann, "csrf-1", "ann")
    assert store.session("old") is None and store.session("nope") is None
    store.end_session("nope")  # also sweeps expired ones
    assert store._backend.query("SELECT token_hash FROM reviewer_sessions")[1] == [("live",)]
    store.set_reviewer("ann", disabled=True)
    assert store.session("live") is None
    store.set_reviewer("ann", disabled=False)
    store.add_session("again", ann, "c", _auth.session_expiry())
    store.set_reviewer("ann", password_hash="new")
    assert store.session("again") is None


def test_decisions_latest_and_candidates(store: SuggestionStore) -> None:
    ann = store.add_reviewer("ann", "h")
    p1 = store.add_page(page_data(("a", {"TOXICITY": 0.9}), ("b", None)), community="c2")
    p2 = store.add_page(page_data(("z", {"TOXICITY": 0.1}), title="Two"))
    a, b = (c["id"] for c in store.page_comments(p1))
    (z,) = (c["id"] for c in store.page_comments(p2))
    with pytest.raises(ValueError, match="action must be"):
        store.add_decision(page_comment_id=a, reviewer_id=ann, action="delete", model_version="m")
    common = {"reviewer_id": ann, "attribute": "TOXICITY", "score": 0.9, "suggestion_id": None, "model_version": "m"}
    first = store.add_decision(page_comment_id=a, action="flag", note="", **common)
    store.add_decision(page_comment_id=a, action="reject", note="rude", **common)
    store.add_decision(page_comment_id=z, action="approve", note=None, **common)
    d = store.decisions()
    assert [x["id"] for x in d][0] == first and [x["action"] for x in d] == ["flag", "reject", "approve"]
    assert d[0]["note"] is None and d[1]["note"] == "rude"
    assert (d[1]["reviewer"], d[1]["comment_key"], d[1]["page_title"]) == ("ann", "a", "T")
    assert (d[1]["community"], d[1]["page_id"]) == ("c2", p1)
    latest = store.latest_decisions()
    assert {k: v["action"] for k, v in latest.items()} == {a: "reject", z: "approve"}
    assert list(store.latest_decisions(p2)) == [z] and latest[a]["reviewer"] == "ann"
    candidates = store.review_candidates()
    assert [c["id"] for c in candidates] == [a, z] and b not in [c["id"] for c in candidates]  # b was not scored
    assert candidates[0]["attribute_scores"] == {"TOXICITY": 0.9} and candidates[0]["community"] == "c2"
    assert candidates[1]["page_title"] == "Two" and candidates[1]["page_received_at"]


def test_thresholds_per_community(store: SuggestionStore) -> None:
    store.add_page(page_data(("a", {"TOXICITY": 0.9})), community="news")
    store.set_threshold("c2", "TOXICITY", 0.99)
    store.set_threshold("c2", "TOXICITY", 0.8)  # replaces
    store.set_threshold("c2", "INSULT", 0.4)
    assert store.thresholds("c2") == {"TOXICITY": 0.8, "INSULT": 0.4} and store.thresholds("news") == {}
    store.set_threshold("c2", "TOXICITY", None)
    assert store.thresholds("c2") == {"INSULT": 0.4}
    assert store.communities() == ["c2", "news"]


# --- migration 5 -------------------------------------------------------------------------------


def test_schema_4_database_upgrades_to_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Existing pages join the community 'default'; the review tables appear empty."""
    db = str(tmp_path / "old.db")
    monkeypatch.setattr(_store, "SCHEMA_VERSION", 4)  # what tenor before the review UI made
    old = SuggestionStore(db)
    assert old.schema_version == 4
    old.close()
    with closing(sqlite3.connect(db)) as con, con:
        assert "reviewers" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        con.execute("INSERT INTO pages (received_at, source, format, title, article_text, warnings, model_version)"
                    " VALUES ('2026-01-01T00:00:00+00:00', 'old.txt', 'raw', 'Old', 'Text.', '[]', 'm-0')")  # fmt: skip
        con.execute("INSERT INTO page_comments (received_at, page_id, position, comment_key, comment_text, reply_evidence,"
                    " attribute_scores, spans, model_version) VALUES ('2026-01-01', 1, 0, 'c1', 'you idiot', '[]',"
                    " '{\"TOXICITY\": 0.9}', '{}', 'm-0')")  # fmt: skip
    monkeypatch.undo()
    new = SuggestionStore(db)
    try:
        assert new.schema_version == SCHEMA_VERSION >= 5  # and the later migrations on top
        assert [m["version"] for m in new.migrations()] == list(range(1, SCHEMA_VERSION + 1))
        (page,) = new.pages()
        assert (page["title"], page["community"], page["techniques"]) == ("Old", "default", None)
        (c,) = new.review_candidates()
        assert (c["community"], c["attribute_scores"]) == ("default", {"TOXICITY": 0.9})
        assert new.communities() == ["default"] and new.reviewers() == []
    finally:
        new.close()


# --- tenor reviewers ---------------------------------------------------------------------------


def reviewers_cli(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(main, ["reviewers", *args], input=input)


def signs_in(scorer: Scorer, db: str, name: str, password: str) -> bool:
    ui = UI(scorer, Path(db))
    try:
        return ui.login(name, password).status_code == 303
    finally:
        ui.store.close()


def test_reviewers_cli(scorer: Scorer, tmp_path: Path) -> None:
    db = str(tmp_path / "tenor.db")
    added = reviewers_cli("add", "ann", "--password-stdin", "--db", db, input="correct horse battery\n")
    assert added.exit_code == 0, added.output
    assert "reviewer ann added" in added.stderr
    assert signs_in(scorer, db, "ann", "correct horse battery") and not signs_in(scorer, db, "ann", "correct horse")
    with closing(sqlite3.connect(db)) as con:
        stored = json.dumps(con.execute("SELECT * FROM reviewers").fetchall())
    assert "correct horse battery" not in stored and "scrypt$" in stored
    again = reviewers_cli("add", "ann", "--password-stdin", "--db", db, input="another long one\n")
    assert again.exit_code == 1 and "exists already" in again.output
    short = reviewers_cli("add", "bob", "--password-stdin", "--db", db, input="short\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    listed = reviewers_cli("list", "--db", db)
    assert listed.exit_code == 0 and listed.stdout.startswith("ann\tcreated ")
    assert listed.stdout.rstrip().endswith("\tactive")
    assert "bob" not in listed.stdout

    assert reviewers_cli("disable", "ann", "--db", db).exit_code == 0
    assert "\tdisabled " in reviewers_cli("list", "--db", db).stdout
    assert not signs_in(scorer, db, "ann", "correct horse battery")
    assert reviewers_cli("enable", "ann", "--db", db).exit_code == 0
    assert signs_in(scorer, db, "ann", "correct horse battery")

    changed = reviewers_cli("password", "ann", "--password-stdin", "--db", db, input="a brand new secret\n")
    assert changed.exit_code == 0, changed.output
    assert signs_in(scorer, db, "ann", "a brand new secret") and not signs_in(scorer, db, "ann", "correct horse battery")
    assert reviewers_cli("password", "ann", "--password-stdin", "--db", db, input="tiny\n").exit_code == 1
    missing = reviewers_cli("disable", "nobody", "--db", db)
    assert missing.exit_code == 1 and "no reviewer is named 'nobody'" in missing.output
