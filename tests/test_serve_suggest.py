"""`tenor serve`: comments:suggestscore storage (SQLite) and the discovery document."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from tenor import Scorer  # noqa: E402
from tenor.serve import SuggestionStore, create_app  # noqa: E402
from tenor.store._store import SCHEMA_VERSION  # noqa: E402

from .serve_helpers import Client, assert_perspective_error  # noqa: E402

SUGGEST = "/v1alpha1/comments:suggestscore"
CORAL = {  # the shape Coral Talk sends on a moderation decision (spec section 3)
    "comment": {"text": "I guess it comes down a simple choice."},
    "context": {"entries": [{"text": '{"storyURL": "https://x/s/1", "commentID": "53922"}'}]},
    "attributeScores": {"REJECTED": {"summaryScore": {"value": 1}}},
    "languages": ["en"],
    "communityId": "Coral:https://talk.example",
    "clientToken": "comment:53922",
}


def test_suggestion_stored_and_read_back(scorer: Scorer, tmp_path: Path) -> None:
    db = tmp_path / "tenor.db"
    app = create_app(scorer, db_path=str(db))
    resp = Client(app).post(SUGGEST, json={**CORAL, "sessionId": "s1"}, params={"key": "k", "alt": "json"})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"clientToken": "comment:53922", "requestedLanguages": ["en"], "detectedLanguages": ["en"]}
    app.state.store.close()
    # read it back with plain sqlite3, as a retraining job would
    with sqlite3.connect(db) as con:
        con.row_factory = sqlite3.Row
        (row,) = con.execute("SELECT * FROM suggestions").fetchall()
        assert row["comment_text"] == CORAL["comment"]["text"]
        assert row["community_id"] == "Coral:https://talk.example"
        assert row["client_token"] == "comment:53922" and row["session_id"] == "s1"
        assert row["model_version"] == "test-0" and row["received_at"]
        assert con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == SCHEMA_VERSION
    store = SuggestionStore(str(db))  # reopening migrates nothing and keeps the row
    (item,) = store.suggestions()
    assert item["attribute_scores"] == {"REJECTED": {"summaryScore": {"value": 1}}}
    assert item["languages"] == ["en"] and item["context"] == CORAL["context"]
    assert store.schema_version == SCHEMA_VERSION
    store.close()


def test_suggest_minimal_reply_and_no_analyze_storage(scorer: Scorer) -> None:
    app = create_app(scorer, db_path=":memory:")
    client = Client(app)
    client.analyze({"comment": {"text": "never kept"}, "requestedAttributes": {"TOXICITY": {}}})
    assert app.state.store.suggestions() == []
    resp = client.post(SUGGEST, json={"comment": {"text": "hi"}, "attributeScores": {"toxicity": {
        "spanScores": [{"begin": 0, "end": 2, "score": {"value": 0.5, "type": "PROBABILITY"}}]}}})
    assert resp.json() == {"requestedLanguages": [], "detectedLanguages": ["en"]}
    (item,) = app.state.store.suggestions()
    assert list(item["attribute_scores"]) == ["TOXICITY"] and item["client_token"] is None


@pytest.mark.parametrize(
    ("body", "error_type"),
    [
        ({}, "COMMENT_EMPTY"),
        ({"comment": {"text": ""}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}}}, "COMMENT_EMPTY"),
        ({"comment": {"text": "hi"}}, "INVALID_REQUEST"),
        ({"comment": {"text": "hi"}, "attributeScores": {}}, "INVALID_REQUEST"),
        ({"comment": {"text": "hi"}, "attributeScores": {"TOXICITY": {}}}, "INVALID_REQUEST"),
        ({"comment": {"text": "hi"}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": "x"}}}}, "INVALID_REQUEST"),
        ({"comment": {"text": "hi"}, "attributeScores": {"TOXICITY": {"spanScores": [{"begin": 0}]}}}, "INVALID_REQUEST"),
        ({"comment": {"text": "hi"}, "attributeScores": {"TOXICITY": {"spanScores": 3}}}, "INVALID_REQUEST"),
        ({"comment": {"text": "hi"}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1, "type": "RAW"}}}},
         "INVALID_REQUEST"),
        ({"comment": {"text": "x" * 20481}, "attributeScores": {"T": {"summaryScore": {"value": 1}}}}, "COMMENT_TOO_LONG"),
    ],
)
def test_suggest_errors(scorer: Scorer, body: dict, error_type: str) -> None:
    app = create_app(scorer)
    assert_perspective_error(Client(app).post(SUGGEST, json=body), 400, error_type)
    assert app.state.store.suggestions() == []


def test_discovery_root_url(scorer: Scorer) -> None:
    client = Client(create_app(scorer), base_url="http://internal:9000")
    doc = client.get("/$discovery/rest", params={"version": "v1alpha1", "key": "k"}).json()
    assert doc["rootUrl"] == "http://internal:9000/"
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tenor.example.org, proxy2"}
    assert client.get("/$discovery/rest", headers=forwarded).json()["rootUrl"] == "https://tenor.example.org/"
    public = Client(create_app(scorer, public_url="https://api.example.com/perspective"))
    for path in ("/$discovery/rest?version=v1alpha1", "/discovery/v1/apis/commentanalyzer/v1alpha1/rest"):
        resp = public.get(path, headers=forwarded)
        assert resp.headers["content-type"] == "application/json; charset=UTF-8"
        assert resp.json()["rootUrl"] == "https://api.example.com/perspective/"


def test_discovery_document_is_complete(scorer: Scorer) -> None:
    doc = Client(create_app(scorer)).get("/$discovery/rest?version=v1alpha1").json()
    assert "auth" not in doc and doc["servicePath"] == ""
    assert set(doc["parameters"]) == {"$.xgafv", "access_token", "alt", "callback", "fields", "key",
                                      "oauth_token", "prettyPrint", "quotaUser", "uploadType", "upload_protocol"}
    methods = doc["resources"]["comments"]["methods"]
    assert {m["path"] for m in methods.values()} == {"v1alpha1/comments:analyze", "v1alpha1/comments:suggestscore"}
    schemas = doc["schemas"]
    for name in ("TextEntry", "Context", "ArticleAndParentComment", "AttributeParameters", "Score", "SpanScore",
                 "AttributeScores", "AnalyzeCommentRequest", "AnalyzeCommentResponse",
                 "SuggestCommentScoreRequest", "SuggestCommentScoreResponse"):
        assert schemas[name]["id"] == name and schemas[name]["properties"]
    assert set(schemas["AnalyzeCommentRequest"]["properties"]) == {
        "comment", "context", "requestedAttributes", "spanAnnotations", "languages", "doNotStore",
        "clientToken", "sessionId", "communityId", "dropUnsupportedAttributes"}

    def refs(node: object) -> set[str]:
        if isinstance(node, dict):
            return {v for k, v in node.items() if k == "$ref"} | set().union(*map(refs, node.values()))
        if isinstance(node, list):
            return set().union(*map(refs, node))
        return set()

    assert refs(doc) <= set(schemas)
