"""The OpenAPI 3.1 document `tenor serve` publishes at /openapi.json (and renders at /docs).

Written by hand, not derived from handler signatures: the handlers parse JSON leniently, as
Perspective did (unknown fields ignored, enum values in any case, `languages` as a bare string,
booleans as "true"/"false", `requestedAttributes` as a list of names), and the schemas below say
exactly that, so a generated client or a schema-driven fuzzer sees what the server really accepts.
tests/test_serve_openapi.py checks every route is here and that real requests and responses
validate against these schemas; a schemathesis run against it asserts no input yields a 5xx.
"""

from __future__ import annotations

import copy
from typing import Any

from .._attributes import PERSPECTIVE_ATTRIBUTES
from ._batch import MAX_BATCH_COMMENTS
from ._techniques import TECHNIQUE_SCHEMAS, TECHNIQUES_EXAMPLE, TECHNIQUES_PATH

__all__ = ["BATCH_PATH", "LANGUAGES_PATH", "openapi_document"]

BATCH_PATH = "/tenor/v1/comments:batchAnalyze"
LANGUAGES_PATH = "/tenor/v1/languages"

_REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF + name}


_BOOL = {
    "description": "true or false; the strings \"true\" and \"false\" (any case) are accepted too.",
    "anyOf": [{"type": "boolean"}, {"type": "string", "enum": ["true", "false", "TRUE", "FALSE", "True", "False", ""]}],
}
_TOKEN = {"anyOf": [{"type": "string"}, {"type": "number"}], "description": "Echoed back as a string."}
_TEXT_TYPE = {
    "type": "string",
    "description": "PLAIN_TEXT (any case; TEXT_TYPE_UNSPECIFIED and \"\" mean the same). HTML is refused.",
    "examples": ["PLAIN_TEXT"],
}
_SCORE_TYPE = {
    "type": "string",
    "description": "PROBABILITY (any case) or SCORE_TYPE_UNSPECIFIED; other types are refused.",
    "examples": ["PROBABILITY"],
}

_SCHEMAS: dict[str, Any] = {
    "TextEntry": {
        "type": "object",
        "properties": {"text": {"type": "string"}, "type": _TEXT_TYPE},
    },
    "Comment": {
        "type": "object",
        "description": "The text to score: non-empty, at most 20,480 UTF-8 bytes.",
        "properties": {"text": {"type": "string", "minLength": 1}, "type": _TEXT_TYPE},
        "required": ["text"],
    },
    "Context": {
        "type": "object",
        "description": "Accepted and validated (entries and articleAndParentComment are exclusive); not scored.",
        "properties": {
            "entries": {"type": "array", "items": _ref("TextEntry")},
            "articleAndParentComment": {
                "type": "object",
                "properties": {"article": _ref("TextEntry"), "parentComment": _ref("TextEntry")},
            },
        },
    },
    "AttributeParameters": {
        "type": ["object", "null"],
        "properties": {
            "scoreType": _SCORE_TYPE,
            "scoreThreshold": {
                "anyOf": [{"type": "number"}, {"type": "string"}],
                "description": "Leave out the attribute (and spans) scoring below this; a number or numeric string.",
            },
        },
    },
    "RequestedAttributes": {
        "description": (
            "Attribute name (any case) -> parameters; a plain list of names is accepted too. Must not be"
            " empty; an attribute no model here scores, or one that does not support the comment's language"
            " (GET /tenor/v1/languages), is a 400 (see dropUnsupportedAttributes)."
        ),
        "anyOf": [
            {"type": "object", "additionalProperties": _ref("AttributeParameters"), "minProperties": 1},
            {"type": "array", "items": {"type": "string"}, "minItems": 1},
        ],
        "examples": [{"TOXICITY": {}}],
    },
    "Languages": {
        "description": (
            "ISO 639-1 or BCP-47 codes the text is in (default: detected); a bare string is one code. They"
            " pick the model: English goes to the English model, another language to the multilingual tier."
        ),
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}],
        "examples": [["en"]],
    },
    "AnalyzeCommentRequest": {
        "type": "object",
        "description": "Perspective's AnalyzeCommentRequest. Unknown fields are ignored.",
        "properties": {
            "comment": _ref("Comment"),
            "context": _ref("Context"),
            "requestedAttributes": _ref("RequestedAttributes"),
            "languages": _ref("Languages"),
            "doNotStore": _BOOL,
            "clientToken": _TOKEN,
            "sessionId": _TOKEN,
            "communityId": _TOKEN,
            "spanAnnotations": _BOOL,
            "dropUnsupportedAttributes": {
                **_BOOL,
                "description": (
                    "Leave out the attributes that do not support the comment's language (languages, else"
                    " the detected one) or that no model here scores, instead of a 400; when none is left,"
                    " the reply holds only languages, detectedLanguages and modelVersion. A misspelt"
                    " attribute name is still a 400. " + _BOOL["description"]
                ),
            },
        },
        "required": ["comment", "requestedAttributes"],
    },
    "Score": {
        "type": "object",
        "properties": {"value": {"type": "number", "minimum": 0, "maximum": 1}, "type": {"type": "string"}},
        "required": ["value", "type"],
    },
    "SpanScore": {
        "type": "object",
        "description": "begin/end: UTF-16 code unit offsets into comment.text, end exclusive.",
        "properties": {
            "begin": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 0},
            "score": _ref("Score"),
        },
        "required": ["begin", "end", "score"],
    },
    "AttributeScores": {
        "type": "object",
        "properties": {
            "summaryScore": _ref("Score"),
            "spanScores": {"type": "array", "items": _ref("SpanScore")},
        },
        "required": ["summaryScore"],
    },
    "AnalyzeCommentResponse": {
        "type": "object",
        "properties": {
            "attributeScores": {"type": "object", "additionalProperties": _ref("AttributeScores")},
            "languages": {"type": "array", "items": {"type": "string"}},
            "detectedLanguages": {"type": "array", "items": {"type": "string"}},
            "clientToken": {"type": "string"},
            "modelVersion": {
                "type": "string",
                "description": (
                    "tenor's addition: the model that scored (the English model, or the multilingual tier"
                    " for another language); when nothing was scored, the one that would have."
                ),
            },
        },
        "required": ["languages", "detectedLanguages", "modelVersion"],
    },
    "SuggestScore": {
        "type": "object",
        "properties": {
            "value": {"type": "number"},
            "type": _SCORE_TYPE,
        },
    },
    "SuggestSpanScore": {
        "type": "object",
        "properties": {"begin": {"type": "integer"}, "end": {"type": "integer"}, "score": _ref("SuggestScore")},
        "required": ["begin", "end"],
    },
    "SuggestCommentScoreRequest": {
        "type": "object",
        "description": "Perspective's SuggestCommentScoreRequest: stored for retraining. Unknown fields are ignored.",
        "properties": {
            "comment": _ref("Comment"),
            "context": _ref("Context"),
            "attributeScores": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {
                    "type": "object",
                    "minProperties": 1,
                    "properties": {
                        "summaryScore": _ref("SuggestScore"),
                        "spanScores": {"type": "array", "items": _ref("SuggestSpanScore")},
                    },
                },
            },
            "languages": _ref("Languages"),
            "clientToken": _TOKEN,
            "sessionId": _TOKEN,
            "communityId": _TOKEN,
        },
        "required": ["comment", "attributeScores"],
    },
    "SuggestCommentScoreResponse": {
        "type": "object",
        "properties": {
            "clientToken": {"type": "string"},
            "requestedLanguages": {"type": "array", "items": {"type": "string"}},
            "detectedLanguages": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["requestedLanguages", "detectedLanguages"],
    },
    "BatchComment": {
        "type": "object",
        "description": "One comment of a batch. Unknown fields are ignored.",
        "properties": {"text": {"type": "string", "minLength": 1}, "type": _TEXT_TYPE, "clientToken": _TOKEN},
        "required": ["text"],
    },
    "BatchAnalyzeRequest": {
        "type": "object",
        "description": (
            f"Up to {MAX_BATCH_COMMENTS} comments scored with the same options, each by the model for its"
            " language (mixed-language batches are fine). Unknown fields are ignored; context, sessionId"
            " and communityId are not read."
        ),
        "properties": {
            "comments": {
                "type": "array",
                "items": _ref("BatchComment"),
                "minItems": 1,
                "maxItems": MAX_BATCH_COMMENTS,
            },
            "requestedAttributes": _ref("RequestedAttributes"),
            "languages": _ref("Languages"),
            "spanAnnotations": _BOOL,
            "doNotStore": _BOOL,
            "dropUnsupportedAttributes": {
                **_BOOL,
                "description": (
                    "Per comment: leave out the attributes its language does not support (see"
                    " AnalyzeCommentRequest). " + _BOOL["description"]
                ),
            },
        },
        "required": ["comments", "requestedAttributes"],
    },
    "BatchAnalyzeResponse": {
        "type": "object",
        "properties": {
            "results": {
                "type": "array",
                "description": (
                    "One entry per comment, in request order: its AnalyzeCommentResponse, or the error"
                    " comments:analyze would have answered for that comment alone."
                ),
                "items": {"anyOf": [_ref("AnalyzeCommentResponse"), _ref("Error")]},
            },
            "modelVersion": {
                "type": "string",
                "description": "The English model's version; each result carries the version that scored it.",
            },
        },
        "required": ["results", "modelVersion"],
    },
    "Error": {
        "type": "object",
        "description": "Google's error envelope. details[0] carries the commentanalyzer errorType or an ErrorInfo reason.",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "code": {"type": "integer"},
                    "message": {"type": "string"},
                    "status": {"type": "string"},
                    "details": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "properties": {
                                "@type": {"type": "string"},
                                "errorType": {"type": "string"},
                                "reason": {"type": "string"},
                            },
                            "required": ["@type"],
                        },
                    },
                    "errors": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "message": {"type": "string"},
                                "domain": {"type": "string"},
                                "reason": {"type": "string"},
                            },
                        },
                    },
                },
                "required": ["code", "message", "status", "details"],
            }
        },
        "required": ["error"],
    },
    "Health": {
        "type": "object",
        "properties": {
            "status": {"type": "string", "const": "ok"},
            "modelVersion": {"type": "string", "description": "The English model."},
            "modelVersions": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Every model loaded: the English model first, then the multilingual tier if any.",
            },
        },
        "required": ["status", "modelVersion", "modelVersions"],
    },
    "LanguageTable": {
        "type": "object",
        "description": "What this server scores in which language (tenor's own).",
        "properties": {
            "languages": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Every language some attribute supports (ISO 639-1), English first.",
            },
            "attributes": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": (
                    "Attribute -> the languages it supports. Requesting it for a comment in another language is"
                    " a 400 LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE, or leaves it out with dropUnsupportedAttributes."
                ),
            },
            "models": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": (
                    "Model version -> the languages whose comments it scores (each language under one model);"
                    " the version responses report in modelVersion."
                ),
            },
        },
        "required": ["languages", "attributes", "models"],
        "examples": [{
            "languages": ["en", "es"],
            "attributes": {"TOXICITY": ["en", "es"], "INSULT": ["en"]},
            "models": {"en-2026.11.0": ["en"], "multilingual-2026.11.0": ["es"]},
        }],
    },
    "DiscoveryDocument": {
        "type": "object",
        "description": "Google's discovery document for commentanalyzer v1alpha1; rootUrl is this server.",
        "properties": {"rootUrl": {"type": "string"}, "name": {"type": "string"}, "version": {"type": "string"}},
        "required": ["rootUrl"],
    },
}


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(schema)}}


def _errors(*codes: int) -> dict[str, Any]:
    why = {
        "400": "Invalid request (Google's envelope; details[0].errorType says which), bad JSON, too large, invalid key.",
        "403": "A key is required and none was sent.",
        "404": "Unknown path or method.",
        "429": "Per-key (or per-IP) quota exceeded; see Retry-After.",
        "501": "This server runs without the model the endpoint needs (reason TECHNIQUES_NOT_LOADED).",
    }
    return {str(c): {"description": why[str(c)], "content": _json("Error")} for c in codes}


_SECURITY = [{}, {"keyQuery": []}, {"keyHeader": []}, {"bearer": []}]


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
                "content": {"application/json": {"schema": _ref(request), "example": example}},
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
            "responses": {"200": {"description": "OK", "content": _json("DiscoveryDocument")}, **_errors(400, 404)},
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
    "comments": [{"text": "You are a complete idiot.", "clientToken": "a"}, {"text": "Thanks, great article."}],
    "requestedAttributes": {"TOXICITY": {}},
    "languages": ["en"],
    "doNotStore": True,
}


def openapi_document(
    version: str, tenor_version: str, techniques_version: str | None = None, multilingual_version: str | None = None,
) -> dict[str, Any]:
    """The document, for a server whose model is `version` (and technique model and multilingual
    tier, if any)."""
    techniques = f"model {techniques_version}" if techniques_version else "no model loaded on this server: 501"
    tier = (
        f" Comments in other languages: multilingual tier {multilingual_version} (GET {LANGUAGES_PATH} lists"
        " which attribute supports which language)."
        if multilingual_version else " English only on this server."
    )
    return copy.deepcopy({
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
                "AnalyzeCommentRequest", "AnalyzeCommentResponse", ANALYZE_EXAMPLE, quota=True,
            ),
            "/v1alpha1/comments:suggestscore": _post(
                "Suggest scores for a comment (Perspective's SuggestCommentScore)",
                "Spec section 3: stored for the feedback loop. Not rate limited.",
                "SuggestCommentScoreRequest", "SuggestCommentScoreResponse", SUGGEST_EXAMPLE, quota=False,
            ),
            BATCH_PATH: _post(
                f"Score up to {MAX_BATCH_COMMENTS} comments (tenor's own endpoint)",
                f"More than {MAX_BATCH_COMMENTS} comments is a 400. A comment that cannot be scored gets an"
                " error entry in `results`; it never fails the batch. With a rate limit, a batch of N comments"
                " counts as N analyze requests: one when it arrives (so malformed bodies cost quota, as for"
                " analyze) and N - 1 more once the body is read; a batch larger than the whole limit is a 400.",
                "BatchAnalyzeRequest", "BatchAnalyzeResponse", BATCH_EXAMPLE, quota=True,
            ),
            TECHNIQUES_PATH: _post(
                "Find persuasion techniques in an article (tenor's own endpoint)",
                "SemEval-2023 Task 3 techniques: the spans that use one, and each paragraph's techniques, with"
                f" confidences ({techniques}). Offsets count code points. Counts one request against the rate limit.",
                "ArticleTechniquesRequest", "ArticleTechniquesResponse", TECHNIQUES_EXAMPLE, quota=True, extra=(501,),
            ),
            "/$discovery/rest": _discovery_op("Google discovery document (google-api-python-client)"),
            "/discovery/v1/apis/commentanalyzer/v1alpha1/rest": _discovery_op("Google discovery document, old path"),
            LANGUAGES_PATH: {
                "get": {
                    "summary": "Which attribute supports which language, and which model scores each (tenor's own)",
                    "description": "Public, as the discovery document: a key is not needed, but a wrong one is refused.",
                    "security": _SECURITY,
                    "responses": {"200": {"description": "OK", "content": _json("LanguageTable")}, **_errors(400, 404)},
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Health check",
                    "responses": {"200": {"description": "OK", "content": _json("Health")}},
                }
            },
        },
        "components": {
            "schemas": {**_SCHEMAS, **TECHNIQUE_SCHEMAS},
            "securitySchemes": {
                "keyQuery": {"type": "apiKey", "in": "query", "name": "key"},
                "keyHeader": {"type": "apiKey", "in": "header", "name": "X-Goog-Api-Key"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
    })
