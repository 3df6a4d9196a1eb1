"""The component schemas of the OpenAPI document (_openapi.py): what the handlers accept and
answer, written by hand to say exactly how leniently they parse (see _openapi.py)."""

from __future__ import annotations

from typing import Any

from ._batch import MAX_BATCH_COMMENTS

__all__ = ["SCHEMAS", "ref"]

_REF = "#/components/schemas/"


def ref(name: str) -> dict[str, str]:
    return {"$ref": _REF + name}


_BOOL: dict[str, Any] = {
    "description": 'true or false; the strings "true" and "false" (any case) are accepted too.',
    "anyOf": [
        {"type": "boolean"},
        {"type": "string", "enum": ["true", "false", "TRUE", "FALSE", "True", "False", ""]},
    ],
}
_TOKEN = {"anyOf": [{"type": "string"}, {"type": "number"}], "description": "Echoed back as a string."}
_TEXT_TYPE = {
    "type": "string",
    "description": 'PLAIN_TEXT (any case; TEXT_TYPE_UNSPECIFIED and "" mean the same). HTML is refused.',
    "examples": ["PLAIN_TEXT"],
}
_SCORE_TYPE = {
    "type": "string",
    "description": "PROBABILITY (any case) or SCORE_TYPE_UNSPECIFIED; other types are refused.",
    "examples": ["PROBABILITY"],
}

SCHEMAS: dict[str, Any] = {
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
            "entries": {"type": "array", "items": ref("TextEntry")},
            "articleAndParentComment": {
                "type": "object",
                "properties": {"article": ref("TextEntry"), "parentComment": ref("TextEntry")},
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
            {"type": "object", "additionalProperties": ref("AttributeParameters"), "minProperties": 1},
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
            "comment": ref("Comment"),
            "context": ref("Context"),
            "requestedAttributes": ref("RequestedAttributes"),
            "languages": ref("Languages"),
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
            "score": ref("Score"),
        },
        "required": ["begin", "end", "score"],
    },
    "AttributeScores": {
        "type": "object",
        "properties": {
            "summaryScore": ref("Score"),
            "spanScores": {"type": "array", "items": ref("SpanScore")},
        },
        "required": ["summaryScore"],
    },
    "AnalyzeCommentResponse": {
        "type": "object",
        "properties": {
            "attributeScores": {"type": "object", "additionalProperties": ref("AttributeScores")},
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
        "properties": {
            "begin": {"type": "integer"},
            "end": {"type": "integer"},
            "score": ref("SuggestScore"),
        },
        "required": ["begin", "end"],
    },
    "SuggestCommentScoreRequest": {
        "type": "object",
        "description": "Perspective's SuggestCommentScoreRequest: stored for retraining. Unknown fields are ignored.",
        "properties": {
            "comment": ref("Comment"),
            "context": ref("Context"),
            "attributeScores": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {
                    "type": "object",
                    "minProperties": 1,
                    "properties": {
                        "summaryScore": ref("SuggestScore"),
                        "spanScores": {"type": "array", "items": ref("SuggestSpanScore")},
                    },
                },
            },
            "languages": ref("Languages"),
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
                "items": ref("BatchComment"),
                "minItems": 1,
                "maxItems": MAX_BATCH_COMMENTS,
            },
            "requestedAttributes": ref("RequestedAttributes"),
            "languages": ref("Languages"),
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
                "items": {"anyOf": [ref("AnalyzeCommentResponse"), ref("Error")]},
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
    "Ready": {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["ready", "not ready"]},
            "database": {"type": "string", "description": "ok, or why the database did not answer."},
            "modelVersion": {"type": "string"},
            "modelVersions": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["status", "database", "modelVersion", "modelVersions"],
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
        "examples": [
            {
                "languages": ["en", "es"],
                "attributes": {"TOXICITY": ["en", "es"], "INSULT": ["en"]},
                "models": {"en-2026.11.0": ["en"], "multilingual-2026.11.0": ["es"]},
            }
        ],
    },
    "DiscoveryDocument": {
        "type": "object",
        "description": "Google's discovery document for commentanalyzer v1alpha1; rootUrl is this server.",
        "properties": {
            "rootUrl": {"type": "string"},
            "name": {"type": "string"},
            "version": {"type": "string"},
        },
        "required": ["rootUrl"],
    },
}
