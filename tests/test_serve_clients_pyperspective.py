"""`tenor serve` called by PyPerspective 1.0.4 (PyPI `pyperspective`; requests), unchanged apart
from its module-global `base_url` (spec section 8)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("fastapi")
PerspectiveModule = pytest.importorskip("PyPerspective.Perspective")

from tenor import Scorer  # noqa: E402
from tenor.serve import create_app  # noqa: E402

from .test_serve_clients import live_server  # noqa: E402


@pytest.fixture()
def pointed(scorer: Scorer, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    with live_server(create_app(scorer, db_path=":memory:")) as port:
        monkeypatch.setattr(PerspectiveModule, "base_url", f"http://127.0.0.1:{port}/v1alpha1/comments:analyze")
        yield port


def test_construction_and_scores(pointed: int) -> None:
    # The constructor POSTs an empty body and reads error.details[0] (spec section 4): with no
    # key configured the server answers COMMENT_EMPTY, which the client takes as "key is fine".
    client = PerspectiveModule.Perspective("k")
    text = "You are a complete idiot and everyone knows it."
    comment = client.get_score(text, tests=["TOXICITY", "INSULT", "THREAT"], langs=["en"])
    # It reads languages, detectedLanguages, summaryScore.{value,type} and spanScores for every
    # attribute, although it never asks for spanAnnotations.
    assert comment.requests_langs == ["en"] and comment.detected_langs == ["en"]
    assert [a.name for a in comment.attributes] == ["TOXICITY", "INSULT", "THREAT"]
    for attribute in comment.attributes:
        assert isinstance(attribute.score, float) and 0.0 <= attribute.score <= 1.0
        assert attribute.score_type == "PROBABILITY"
        assert attribute.spans and all(0 <= s.start < s.end <= len(text) for s in attribute.spans)
    assert comment["toxicity"].score == comment.attributes[0].score
    # Default test (TOXICITY), default languages (["en"]) and doNotStore (true).
    assert [a.name for a in client.get_score("hello there").attributes] == ["TOXICITY"]


def test_invalid_key_is_recognised(scorer: Scorer, monkeypatch: pytest.MonkeyPatch) -> None:
    # With --api-key set, the constructor's empty POST must come back API_KEY_INVALID in details[0].
    errors = pytest.importorskip("PyPerspective.errors")
    with live_server(create_app(scorer, db_path=":memory:", api_key="right")) as port:
        monkeypatch.setattr(PerspectiveModule, "base_url", f"http://127.0.0.1:{port}/v1alpha1/comments:analyze")
        with pytest.raises(errors.InvalidAuthKey):
            PerspectiveModule.Perspective("wrong")
        PerspectiveModule.Perspective("right")

