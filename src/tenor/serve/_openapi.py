"""The OpenAPI 3.1 document `tenor serve` publishes at /openapi.json (and renders at /docs).

Written by hand, not derived from handler signatures: the handlers parse JSON leniently, as
Perspective did (unknown fields ignored, enum values in any case, `languages` as a bare string,
booleans as "true"/"false", `requestedAttributes` as a list of names), and its schemas (_openapi_schemas.py) say
exactly that, so a generated client or a schema-driven fuzzer sees what the server really accepts.
tests/test_serve_openapi.py checks every route is here and that real requests and responses
validate against these schemas; a schemathesis run against it asserts no input yields a 5xx.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from .._attributes import PERSPECTIVE_ATTRIBUTES
from ..engines import EngineInfo
from ._batch import MAX_BATCH_COMMENTS
from ._openapi_schemas import SCHEMAS, ref
from ._techniques import TECHNIQUE_SCHEMAS, TECHNIQUES_EXAMPLE, TECHNIQUES_PATH

__all__ = ["BATCH_PATH", "LANGUAGES_PATH", "openapi_document"]

BATCH_PATH = "/tenor/v1/comments:batchAnalyze"
LANGUAGES_PATH = "/tenor/v1/languages"


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": ref(schema)}}


def _errors(*codes: int) -> dict[str, Any]:
    why = {
        "400": "Invalid request (Google's envelope; details[0].errorType says which), bad JSON, too large, invalid key.",
        "403": "A key is required and none was sent.",
        "404": "Unknown path or method.",
        "429": "Per-key (or per-IP) quota exceeded; see Retry-After.",
        "501": "This server runs without the model the endpoint needs (reason TECHNIQUES_NOT_LOADED).",
    }
    return {str(c): {"description": why[str(c)], "content": _json("Error")} for c in codes}


_SECURITY: list[dict[str, list[str]]] = [{}, {"keyQuery": []}, {"keyHeader": []}, {"bearer": []}]


def _post(summary: str, description: str, request: str, response: str, example: Any, quota: bool,
          extra: tuple[int, ...] = ()) -> dict[str, Any]:  # fmt: skip
    codes = ((400, 403, 404, 429) if quota else (400, 403, 404)) + extra
    return {
        "post": {
            "summary": summary,
            "description": description,
            "security": _SECURITY,
            "requestBody": {
                "required": False,
                "description": "JSON (any Content-Type); an empty body is treated as {}.",
                "content": {"application/json": {"schema": ref(request), "example": example}},
            },
            "responses": {"200": {"description": "OK", "content": _json(response)}, **_errors(*codes)},
        }
    }


def _discovery_op(summary: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "security": _SECURITY,
            "parameters": [
                {"name": "version", "in": "query", "required": False, "schema": {"type": "string"}},
            ],
            "responses": {
                "200": {"description": "OK", "content": _json("DiscoveryDocument")},
                **_errors(400, 404),
            },
        }
    }


ANALYZE_EXAMPLE = {
    "comment": {"text": "You are a complete idiot."},
    "requestedAttributes": {"TOXICITY": {}, "INSULT": {"scoreThreshold": 0.5}},
    "languages": ["en"],
    "spanAnnotations": True,
    "doNotStore": True,
    "clientToken": "c-1",
}
SUGGEST_EXAMPLE = {
    "comment": {"text": "You are a complete idiot."},
    "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.9}}},
    "clientToken": "s-1",
}
BATCH_EXAMPLE = {
    "comments": [
        {"text": "You are a complete idiot.", "clientToken": "a"},
        {"text": "Thanks, great article."},
    ],
    "requestedAttributes": {"TOXICITY": {}},
    "languages": ["en"],
    "doNotStore": True,
}


def _companions_sentence(companions: Sequence[EngineInfo]) -> str:
    if not companions:
        return " English only on this server."
    tiers = ", ".join(f"{info.kind} tier {info.version}" for info in companions)
    return (
        f" Comments in other languages: {tiers} (GET {LANGUAGES_PATH} lists which attribute supports which"
        " language)."
    )


def openapi_document(
    version: str,
    tenor_version: str,
    techniques_version: str | None = None,
    companions: Sequence[EngineInfo] = (),
) -> dict[str, Any]:
    """The document, for a server whose default model is `version`, with its technique model (if
    any) and the engines that score the languages the default one lacks (`companions`)."""
    techniques = (
        f"model {techniques_version}" if techniques_version else "no model loaded on this server: 501"
    )
    tier = _companions_sentence(companions)
    return copy.deepcopy(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "tenor",
                "version": tenor_version,
                "description": (
                    "Perspective API (commentanalyzer v1alpha1) compatible comment scoring, plus tenor's own"
                    f" endpoints. Model: {version} (also in every response's X-Tenor-Model-Version header).{tier}"
                    " Keys are only required when the operator created some (`tenor keys create`)."
                    f" Attributes Perspective served: {', '.join(PERSPECTIVE_ATTRIBUTES)}."
                ),
            },
            "paths": {
                "/v1alpha1/comments:analyze": _post(
                    "Score a comment (Perspective's AnalyzeComment)",
                    "Spec section 2. Counts one request against the rate limit. A comment in another language"
                    " than English is scored by the multilingual tier, on fewer attributes (modelVersion says"
                    f" which model scored; GET {LANGUAGES_PATH} lists the attributes per language).",
                    "AnalyzeCommentRequest",
                    "AnalyzeCommentResponse",
                    ANALYZE_EXAMPLE,
                    quota=True,
                ),
                "/v1alpha1/comments:suggestscore": _post(
                    "Suggest scores for a comment (Perspective's SuggestCommentScore)",
                    "Spec section 3: stored for the feedback loop. Not rate limited.",
                    "SuggestCommentScoreRequest",
                    "SuggestCommentScoreResponse",
                    SUGGEST_EXAMPLE,
                    quota=False,
                ),
                BATCH_PATH: _post(
                    f"Score up to {MAX_BATCH_COMMENTS} comments (tenor's own endpoint)",
                    f"More than {MAX_BATCH_COMMENTS} comments is a 400. A comment that cannot be scored gets an"
                    " error entry in `results`; it never fails the batch. With a rate limit, a batch of N comments"
                    " counts as N analyze requests: one when it arrives (so malformed bodies cost quota, as for"
                    " analyze) and N - 1 more once the body is read; a batch larger than the whole limit is a 400.",
                    "BatchAnalyzeRequest",
                    "BatchAnalyzeResponse",
                    BATCH_EXAMPLE,
                    quota=True,
                ),
                TECHNIQUES_PATH: _post(
                    "Find persuasion techniques in an article (tenor's own endpoint)",
                    "SemEval-2023 Task 3 techniques: the spans that use one, and each paragraph's techniques, with"
                    f" confidences ({techniques}). Offsets count code points. Counts one request against the rate limit.",
                    "ArticleTechniquesRequest",
                    "ArticleTechniquesResponse",
                    TECHNIQUES_EXAMPLE,
                    quota=True,
                    extra=(501,),
                ),
                "/$discovery/rest": _discovery_op("Google discovery document (google-api-python-client)"),
                "/discovery/v1/apis/commentanalyzer/v1alpha1/rest": _discovery_op(
                    "Google discovery document, old path"
                ),
                LANGUAGES_PATH: {
                    "get": {
                        "summary": "Which attribute supports which language, and which model scores each (tenor's own)",
                        "description": "Public, as the discovery document: a key is not needed, but a wrong one is refused.",
                        "security": _SECURITY,
                        "responses": {
                            "200": {"description": "OK", "content": _json("LanguageTable")},
                            **_errors(400, 404),
                        },
                    }
                },
                "/healthz": {
                    "get": {
                        "summary": "Liveness: the process answers (never touches the database)",
                        "responses": {"200": {"description": "OK", "content": _json("Health")}},
                    }
                },
                "/readyz": {
                    "get": {
                        "summary": "Readiness: the database answers within 2 seconds",
                        "responses": {
                            "200": {"description": "Ready", "content": _json("Ready")},
                            "503": {"description": "The database did not answer", "content": _json("Ready")},
                        },
                    }
                },
            },
            "components": {
                "schemas": {**SCHEMAS, **TECHNIQUE_SCHEMAS},
                "securitySchemes": {
                    "keyQuery": {"type": "apiKey", "in": "query", "name": "key"},
                    "keyHeader": {"type": "apiKey", "in": "header", "name": "X-Goog-Api-Key"},
                    "bearer": {"type": "http", "scheme": "bearer"},
                },
            },
        }
    )
