"""The commentanalyzer v1alpha1 discovery document (spec section 6), with our own rootUrl, and
tenor's own attribute x language table (`GET /tenor/v1/languages`).

google-api-python-client sends every call to `rootUrl + servicePath + method.path`, so the
rootUrl decides where calls go. There is no `auth` block: with one, a client built without a
developerKey would demand Google credentials.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._attributes import DEFINITIONS

if TYPE_CHECKING:
    from .._scorer import Scorer

__all__ = ["discovery_document", "languages_document", "root_url"]


def languages_document(scorer: Scorer) -> dict[str, Any]:
    """What this server scores, for `GET /tenor/v1/languages`:

        {"languages": ["en", "es", ...],                      every language some attribute supports
         "attributes": {"TOXICITY": ["en", "es", ...],        attribute -> the languages it supports
                        "INSULT": ["en"], ...},
         "models": {"en-2026.11.0": ["en"],                   engine version -> the languages whose
                    "multilingual-2026.11.0": ["es", ...]}}    comments it scores (each language once:
                                                               the first engine that covers it)

    A comment requesting an attribute in a language not listed for it gets Perspective's 400
    LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE, or loses that attribute with dropUnsupportedAttributes."""
    models: dict[str, list[str]] = {version: [] for version in scorer.model_versions}
    for language in scorer.languages:
        models[scorer.engine_for((language,)).info.version].append(language)
    return {
        "languages": list(scorer.languages),
        "attributes": {name: list(langs) for name, langs in scorer.attribute_languages.items()},
        "models": models,
    }


def root_url(public_url: str | None, scheme: str, headers: Mapping[str, str]) -> str:
    """The server's public base URL, ending in '/': `public_url` if configured, else the request's
    scheme and host, as a reverse proxy reports them in X-Forwarded-Proto / X-Forwarded-Host."""
    if public_url:
        return public_url if public_url.endswith("/") else public_url + "/"
    proto = headers.get("x-forwarded-proto", "").split(",")[0].strip() or scheme
    host = headers.get("x-forwarded-host", "").split(",")[0].strip() or headers.get("host", "") or "localhost"
    if proto not in ("http", "https"):
        proto = "http"
    return f"{proto}://{host}/"


def _string(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def _ref(name: str, description: str = "") -> dict[str, Any]:
    return {"$ref": name, "description": description} if description else {"$ref": name}


def _param(description: str, kind: str = "string", **extra: Any) -> dict[str, Any]:
    return {"type": kind, "location": "query", "description": description, **extra}


_PARAMETERS: dict[str, Any] = {
    "$.xgafv": _param(
        "V1 error format.", enum=["1", "2"], enumDescriptions=["v1 error format", "v2 error format"]
    ),
    "access_token": _param("OAuth access token."),
    "alt": _param(
        "Data format for response.",
        default="json",
        enum=["json", "media", "proto"],
        enumDescriptions=[
            "Responses with Content-Type of application/json",
            "Media download with context-dependent Content-Type",
            "Responses with Content-Type of application/x-protobuf",
        ],
    ),
    "callback": _param("JSONP"),
    "fields": _param("Selector specifying which fields to include in a partial response."),
    "key": _param("API key. Not needed unless the server was started with --api-key."),
    "oauth_token": _param("OAuth 2.0 token for the current user."),
    "prettyPrint": _param("Returns response with indentations and line breaks.", "boolean", default="true"),
    "quotaUser": _param("Available to use for quota purposes for server-side applications."),
    "uploadType": _param('Legacy upload protocol for media (e.g. "media", "multipart").'),
    "upload_protocol": _param('Upload protocol for media (e.g. "raw", "multipart").'),
}

_SCORE_TYPES = ["SCORE_TYPE_UNSPECIFIED", "PROBABILITY", "STD_DEV_SCORE", "PERCENTILE", "RAW"]

_SCHEMAS: dict[str, Any] = {
    "TextEntry": {
        "properties": {
            "text": _string("UTF-8 encoded text."),
            "type": _string("Type of the text field.", enum=["TEXT_TYPE_UNSPECIFIED", "PLAIN_TEXT", "HTML"]),
        }
    },
    "ArticleAndParentComment": {
        "properties": {
            "article": _ref("TextEntry", "The source content about which the comment was made."),
            "parentComment": _ref("TextEntry", "The parent of the comment being scored, if any."),
        }
    },
    "Context": {
        "properties": {
            "articleAndParentComment": _ref("ArticleAndParentComment"),
            "entries": {
                "type": "array",
                "items": _ref("TextEntry"),
                "description": "A list of related text.",
            },
        }
    },
    "AttributeParameters": {
        "properties": {
            "scoreThreshold": {
                "type": "number",
                "format": "float",
                "description": "Don't return scores below this.",
            },
            "scoreType": _string(
                "What type of scores to return. Only PROBABILITY is supported.", enum=_SCORE_TYPES
            ),
        }
    },
    "Score": {
        "properties": {
            "type": _string("The type of the above value.", enum=_SCORE_TYPES),
            "value": {"type": "number", "format": "float", "description": "Score value."},
        }
    },
    "SpanScore": {
        "properties": {
            "begin": {
                "type": "integer",
                "format": "int32",
                "description": "Start of the span, in UTF-16 code units.",
            },
            "end": {
                "type": "integer",
                "format": "int32",
                "description": "End of the span (exclusive), in UTF-16 code units.",
            },
            "score": _ref("Score"),
        }
    },
    "AttributeScores": {
        "properties": {
            "spanScores": {"type": "array", "items": _ref("SpanScore"), "description": "Per-span scores."},
            "summaryScore": _ref("Score", "Overall score for the comment as a whole."),
        }
    },
    "AnalyzeCommentRequest": {
        "properties": {
            "clientToken": _string("Opaque token that is echoed from the request to the response."),
            "comment": _ref("TextEntry", "The comment to analyze."),
            "communityId": _string("Optional identifier associating this request with a community."),
            "context": _ref("Context", "The context of the comment; the models ignore it."),
            "doNotStore": {
                "type": "boolean",
                "description": "Do not store the comment or context (tenor never does).",
            },
            "dropUnsupportedAttributes": {
                "type": "boolean",
                "description": "Leave out attributes that do not support the language instead of failing.",
            },
            "languages": {
                "type": "array",
                "items": {"type": "string"},
                "description": "ISO 639-1 or BCP-47 codes.",
            },
            "requestedAttributes": {
                "type": "object",
                "additionalProperties": _ref("AttributeParameters"),
                "description": "Attribute name to parameters; {} means defaults. Attributes: "
                + " ".join(f"{name}: {text}" for name, text in DEFINITIONS.items())
                + " GET /tenor/v1/languages lists the attributes and languages this server scores.",
            },
            "sessionId": _string("Session ID, opaque."),
            "spanAnnotations": {"type": "boolean", "description": "Return one span score per sentence."},
        }
    },
    "AnalyzeCommentResponse": {
        "properties": {
            "attributeScores": {
                "type": "object",
                "additionalProperties": _ref("AttributeScores"),
                "description": "Scores per requested attribute.",
            },
            "clientToken": _string("Echoed from the request."),
            "detectedLanguages": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Languages detected.",
            },
            "languages": {"type": "array", "items": {"type": "string"}, "description": "Languages used."},
            "modelVersion": _string("tenor's addition: the model version that produced the scores."),
        }
    },
    "SuggestCommentScoreRequest": {
        "properties": {
            "attributeScores": {
                "type": "object",
                "additionalProperties": _ref("AttributeScores"),
                "description": "The suggested scores.",
            },
            "clientToken": _string("Echoed in the response."),
            "comment": _ref("TextEntry", "The comment being suggested about."),
            "communityId": _string("Optional community identifier."),
            "context": _ref("Context"),
            "languages": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Language(s) of the comment.",
            },
            "sessionId": _string("Session ID, opaque."),
        }
    },
    "SuggestCommentScoreResponse": {
        "properties": {
            "clientToken": _string("Echoed from the request."),
            "detectedLanguages": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Languages detected.",
            },
            "requestedLanguages": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Languages requested.",
            },
        }
    },
}


def _method(name: str, request: str, response: str, description: str) -> dict[str, Any]:
    path = f"v1alpha1/comments:{name}"
    return {
        "id": f"commentanalyzer.comments.{name}",
        "httpMethod": "POST",
        "path": path,
        "flatPath": path,
        "parameters": {},
        "parameterOrder": [],
        "description": description,
        "request": {"$ref": request},
        "response": {"$ref": response},
    }


def discovery_document(root: str) -> dict[str, Any]:
    return {
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": "commentanalyzer:v1alpha1",
        "name": "commentanalyzer",
        "version": "v1alpha1",
        "revision": "tenor",
        "title": "Perspective Comment Analyzer API (tenor)",
        "description": "A self-hosted, offline Perspective API replacement.",
        "protocol": "rest",
        "rootUrl": root,
        "servicePath": "",
        "baseUrl": root,
        "basePath": "",
        "batchPath": "batch",
        "parameters": _PARAMETERS,
        "resources": {
            "comments": {
                "methods": {
                    "analyze": _method(
                        "analyze",
                        "AnalyzeCommentRequest",
                        "AnalyzeCommentResponse",
                        "Analyzes the provided text and returns scores for requested attributes.",
                    ),
                    "suggestscore": _method(
                        "suggestscore",
                        "SuggestCommentScoreRequest",
                        "SuggestCommentScoreResponse",
                        "Suggest comment scores as training data.",
                    ),
                }
            }
        },
        "schemas": {name: {"id": name, "type": "object", **schema} for name, schema in _SCHEMAS.items()},
    }
