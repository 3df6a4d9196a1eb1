"""The OpenAPI document at /openapi.json: every route in it, real requests and responses valid
against its schemas, and a schemathesis run against it that finds no 5xx."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi")
jsonschema_rs = pytest.importorskip("jsonschema_rs")

from fastapi.routing import APIRoute  # noqa: E402

from tenor import Scorer  # noqa: E402
from tenor.serve import create_app  # noqa: E402
from tenor.serve._openapi import ANALYZE_EXAMPLE, BATCH_EXAMPLE, SUGGEST_EXAMPLE  # noqa: E402
from tenor.serve._techniques import TECHNIQUES_EXAMPLE, TECHNIQUES_PATH  # noqa: E402

from .serve_helpers import Client  # noqa: E402
from .ui_helpers import FakeTechniques  # noqa: E402

DOC_ROUTES = {"/openapi.json", "/docs", "/docs/oauth2-redirect"}


@pytest.fixture(scope="module")
def client(scorer: Scorer) -> Client:
    return Client(create_app(scorer, techniques=FakeTechniques()))


@pytest.fixture(scope="module")
def document(client: Client) -> dict[str, Any]:
    resp = client.get("/openapi.json")
    assert resp.status_code == 200
    doc = resp.json()
    assert doc["openapi"].startswith("3.1")
    return doc


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    return jsonschema_rs.Draft202012Validator({**schema, "components": document["components"]})


def request_schema(document: dict[str, Any], path: str) -> dict[str, Any]:
    return document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]


def response_schema(document: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    return document["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]


def test_every_route_is_documented(scorer: Scorer, document: dict[str, Any]) -> None:
    app = create_app(scorer)
    # the review UI's HTML pages (/ui, /) are left out of the API document on purpose
    api = [r for r in app.routes if getattr(r, "include_in_schema", True) and hasattr(r, "path")]
    routes = {(r.path, m.lower()) for r in api if isinstance(r, APIRoute) for m in r.methods}
    routes |= {(r.path, "get") for r in api if not isinstance(r, APIRoute) and r.path not in DOC_ROUTES}
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert routes == documented
    assert {p for p, _ in routes} >= {
        "/v1alpha1/comments:analyze", "/v1alpha1/comments:suggestscore", "/tenor/v1/comments:batchAnalyze",
        "/$discovery/rest", "/healthz", "/tenor/v1/languages", TECHNIQUES_PATH,
    }
    for ops in document["paths"].values():
        for op in ops.values():
            assert "200" in op["responses"]


def test_docs_page(client: Client) -> None:
    resp = client.get("/docs")
    assert resp.status_code == 200 and "/openapi.json" in resp.text


CASES = [
    ("/v1alpha1/comments:analyze", ANALYZE_EXAMPLE),
    ("/v1alpha1/comments:analyze", {"comment": {"text": "hi", "type": "plain_text"},
                                    "requestedAttributes": ["toxicity"], "languages": "en",
                                    "doNotStore": "true", "clientToken": 7, "someUnknownField": [1]}),
    ("/v1alpha1/comments:analyze", {"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": None,
                                    "INSULT": {"scoreType": "probability", "scoreThreshold": "0.1"}},
                                    "context": {"entries": [{"text": "parent"}]}}),
    # Spanish: TOXICITY by the multilingual tier, INSULT dropped (or the languages-only reply, English only)
    ("/v1alpha1/comments:analyze", {"comment": {"text": "Eres un idiota y un mentiroso, vete de aquí."},
                                    "requestedAttributes": {"TOXICITY": {}, "INSULT": {}},
                                    "dropUnsupportedAttributes": True}),
    ("/v1alpha1/comments:suggestscore", SUGGEST_EXAMPLE),
    ("/tenor/v1/comments:batchAnalyze", BATCH_EXAMPLE),
    ("/tenor/v1/comments:batchAnalyze", {"comments": [{"text": "a"}, {"text": "b", "clientToken": 1}],
                                         "requestedAttributes": ["TOXICITY"], "spanAnnotations": True}),
    ("/tenor/v1/comments:batchAnalyze", {"comments": [{"text": "Eres un idiota y un mentiroso, vete de aquí."},
                                                      {"text": "You are a complete idiot."}],
                                         "requestedAttributes": ["TOXICITY", "INSULT"],
                                         "dropUnsupportedAttributes": "true"}),
    (TECHNIQUES_PATH, TECHNIQUES_EXAMPLE),
    (TECHNIQUES_PATH, {"text": "Everyone knows.\n\nNothing here.", "someUnknownField": 1}),
]


@pytest.mark.parametrize(("path", "body"), CASES)
def test_examples_validate_and_responses_match(client: Client, document: dict[str, Any], path: str,
                                               body: dict[str, Any]) -> None:
    validator(document, request_schema(document, path)).validate(body)
    resp = client.post(path, json=body)
    assert resp.status_code == 200, resp.text
    validator(document, response_schema(document, path, "post", 200)).validate(resp.json())


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1alpha1/comments:analyze", {"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}),
        ("/v1alpha1/comments:suggestscore", {"comment": {"text": "hi"}}),
        ("/tenor/v1/comments:batchAnalyze", {"comments": [], "requestedAttributes": {"TOXICITY": {}}}),
        (TECHNIQUES_PATH, {"text": ""}),
        (TECHNIQUES_PATH, {"text": "abc", "paragraphs": [{"begin": 0, "end": 0}]}),
    ],
)
def test_error_responses_match(client: Client, document: dict[str, Any], path: str, body: dict[str, Any]) -> None:
    assert not validator(document, request_schema(document, path)).is_valid(body)
    resp = client.post(path, json=body)
    assert resp.status_code == 400
    validator(document, response_schema(document, path, "post", 400)).validate(resp.json())


def test_batch_item_errors_match(client: Client, document: dict[str, Any]) -> None:
    resp = client.post("/tenor/v1/comments:batchAnalyze",
                       json={"comments": [{"text": "ok"}, {"text": ""}, 3], "requestedAttributes": ["TOXICITY"]})
    validator(document, response_schema(document, "/tenor/v1/comments:batchAnalyze", "post", 200)).validate(resp.json())


@pytest.mark.parametrize(
    "path", ["/healthz", "/tenor/v1/languages", "/$discovery/rest", "/discovery/v1/apis/commentanalyzer/v1alpha1/rest"]
)
def test_get_responses_match(client: Client, document: dict[str, Any], path: str) -> None:
    resp = client.get(path, params={"version": "v1alpha1"} if "discovery" in path else None)
    assert resp.status_code == 200
    validator(document, response_schema(document, path, "get", 200)).validate(resp.json())
    assert_404 = client.get("/nope")
    validator(document, response_schema(document, "/v1alpha1/comments:analyze", "post", 404)).validate(assert_404.json())


def test_technique_model_missing_response_matches(scorer: Scorer, document: dict[str, Any]) -> None:
    resp = Client(create_app(scorer, ui=False)).post(TECHNIQUES_PATH, json=TECHNIQUES_EXAMPLE)
    assert resp.status_code == 501
    validator(document, response_schema(document, TECHNIQUES_PATH, "post", 501)).validate(resp.json())


# --- property-based: schemathesis generates requests from the document, in process (no network) ---

from hypothesis import HealthCheck, settings  # noqa: E402

from .conftest import make_tiny_model  # noqa: E402

try:
    import schemathesis
except ImportError:  # a dev dependency; without it only this test is skipped
    schemathesis = None

if schemathesis is None:

    def test_no_input_gives_a_server_error() -> None:
        pytest.skip("schemathesis is not installed (dev dependency group)")

else:
    # One app for the run, built at import (schemathesis parametrizes from its schema then). Both
    # generation modes run: bodies valid per the document, and invalid ones (wrong types, missing
    # fields, out-of-range values) that must be answered 4xx.
    # With a stand-in technique model, so articles:techniques is fuzzed past its 501.
    api_schema = schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(Scorer(make_tiny_model()), techniques=FakeTechniques())
    )

    @api_schema.parametrize()
    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    def test_no_input_gives_a_server_error(case: Any) -> None:
        """"No client input may produce a 5xx", for every operation in the document."""
        response = case.call()
        assert response.status_code < 500, (case.as_curl_command(), response.text)
