"""`tenor serve` on a real uvicorn server on loopback, called by real, unchanged Perspective
clients (spec section 8): google-api-python-client via discovery, and PyPI `perspective`."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")
discovery = pytest.importorskip("googleapiclient.discovery")
errors = pytest.importorskip("googleapiclient.errors")

from tenor import Scorer  # noqa: E402
from tenor.serve import create_app  # noqa: E402


@contextmanager
def live_server(app: object) -> Iterator[int]:
    """Serve `app` with uvicorn on a free loopback port, in a daemon thread; yields the port.
    Shared by the tests/test_serve_clients_*.py modules (one per client family)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not srv.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        yield port
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def server(scorer: Scorer) -> Iterator[tuple[int, object]]:
    """(port, app): uvicorn serving the tiny-model app on a free loopback port, in a thread."""
    app = create_app(scorer, db_path=":memory:")
    with live_server(app) as port:
        yield port, app


def test_google_api_python_client(server: tuple[int, object]) -> None:
    port, app = server
    client = discovery.build(
        "commentanalyzer",
        "v1alpha1",
        developerKey="k",
        discoveryServiceUrl=f"http://127.0.0.1:{port}/$discovery/rest?version=v1alpha1",
        static_discovery=False,
        cache_discovery=False,
    )
    try:
        _exercise(client, app)
    finally:
        client.close()  # httplib2 keeps the connection open otherwise (ResourceWarning)


def _exercise(client: object, app: object) -> None:
    body = {
        "comment": {"text": "héllo 😀 wörld. Second sentence."},
        "requestedAttributes": {"TOXICITY": {}, "INSULT": {"scoreThreshold": 0}},
        "languages": ["en"], "doNotStore": True, "spanAnnotations": True,
        "clientToken": "ct-1", "sessionId": "s1", "communityId": "c1",
        "context": {"entries": [{"text": "ctx", "type": "PLAIN_TEXT"}]},
    }
    result = client.comments().analyze(body=body).execute()
    assert list(result["attributeScores"]) == ["TOXICITY", "INSULT"]
    spans = result["attributeScores"]["TOXICITY"]["spanScores"]
    assert [(s["begin"], s["end"]) for s in spans] == [(0, 15), (16, 32)]
    assert result["clientToken"] == "ct-1" and result["detectedLanguages"] == ["en"]

    reply = client.comments().suggestscore(body={
        "comment": {"text": "I guess it comes down a simple choice."},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}},
        "communityId": "/forum/movies", "clientToken": "comment-53922",
    }).execute()
    assert reply["clientToken"] == "comment-53922"
    assert app.state.store.suggestions()[-1]["community_id"] == "/forum/movies"

    with pytest.raises(errors.HttpError) as caught:
        client.comments().analyze(body={"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}).execute()
    assert caught.value.resp.status == 400
    assert caught.value.reason == "Comment must be non-empty."
    assert caught.value.error_details[0]["errorType"] == "COMMENT_EMPTY"


def test_perspective_pypi_client(server: tuple[int, object]) -> None:
    perspective = pytest.importorskip("perspective")
    port, _ = server
    p = perspective.PerspectiveAPI("k")
    p.api_client.url = f"http://127.0.0.1:{port}/v1alpha1/{{endpoint}}"
    scores = p.score("You are a complete idiot and everyone knows it.", tests=["TOXICITY", "THREAT"])
    assert set(scores) == {"TOXICITY", "THREAT"} and all(0 <= v <= 1 for v in scores.values())
    result = p.analyze_comment("hello there", span_annotations=True, languages=["en"], client_token="t",
                               comment_type="PLAIN_TEXT", do_not_store=True)
    assert result["clientToken"] == "t"
    assert p.suggest_score("hello there", {"TOXICITY": {"summaryScore": {"value": 0.0}}},
                           client_token="s") == {"clientToken": "s", "requestedLanguages": [],
                                                 "detectedLanguages": ["en"]}
