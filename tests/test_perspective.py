"""The Perspective wire format is the product: pin every shape clients read."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tenor import (
    AttributeScore,
    EmptyTextError,
    InputError,
    LanguageNotSupportedError,
    ModelNotFoundError,
    NoRequestedAttributesError,
    ScoreResult,
    ScoreTypeNotSupportedError,
    Scorer,
    Span,
    TextTooLongError,
    UnknownAttributeError,
)
from tenor._perspective import ERROR_DETAIL_TYPE, analyze_response, error_response, utf16_offset

SPEC_TEXT = "What kind of idiot name is foo? Sorry, I like your name."


def result(text: str = SPEC_TEXT, **values: float) -> ScoreResult:
    """A hand-built result: two sentence spans for the spec's example text."""
    values = values or {"TOXICITY": 0.9, "INSULT": 0.4}
    sentences = (Span(0, 31, 0.8), Span(32, 56, 0.3)) if text == SPEC_TEXT else ()
    scores = {a: AttributeScore(a, v, (), sentences) for a, v in values.items()}
    return ScoreResult(text, "v-test", scores, ("en",), ("en",))


def assert_perspective_error(
    status: int, body: dict[str, Any], *, message: str, error_type: str
) -> dict[str, Any]:
    """Google's envelope, as clients read it; returns the first detail."""
    assert status == 400
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == 400
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"] == message
    assert error["errors"] == [{"message": message, "domain": "global", "reason": "badRequest"}]
    assert error["details"], "PyPerspective reads details[0] on every error"
    detail = error["details"][0]
    assert detail["@type"] == ERROR_DETAIL_TYPE
    assert detail["errorType"] == error_type
    json.dumps(body)  # serialisable as is
    return detail


# --- UTF-16 offsets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("Hi there", 2, 2),
        ("", 0, 0),
        ("héllo", 5, 5),  # BMP characters count 1
        ("😀", 1, 2),  # astral characters count 2
        ("a😀b", 1, 1),
        ("a😀b", 2, 3),
        ("a😀b", 3, 4),
        ("👍🏽 ok", 2, 4),  # emoji + skin-tone modifier: two astral code points
        ("𝔘𝔫𝔦", 3, 6),  # mathematical letters are astral too
        ("x\ud83dy", 3, 3),  # a lone surrogate from JSON is one unit
    ],
    ids=["ascii", "empty", "latin1", "emoji", "before-emoji", "after-emoji", "end", "skin-tone", "math", "lone-surrogate"],
)
def test_utf16_offset(text: str, index: int, expected: int) -> None:
    assert utf16_offset(text, index) == expected


@pytest.mark.parametrize("index", [-1, 4], ids=["negative", "past-end"])
def test_utf16_offset_rejects_out_of_range(index: int) -> None:
    with pytest.raises(IndexError, match="outside the text"):
        utf16_offset("abc", index)


# --- success envelope -------------------------------------------------------------------------


def test_success_envelope_with_spans() -> None:
    body = analyze_response(result(), requested={"TOXICITY": {}}, span_annotations=True, client_token="ct-1")
    assert body == {
        "attributeScores": {
            "TOXICITY": {
                "spanScores": [
                    {"begin": 0, "end": 31, "score": {"value": 0.8, "type": "PROBABILITY"}},
                    {"begin": 32, "end": 56, "score": {"value": 0.3, "type": "PROBABILITY"}},
                ],
                "summaryScore": {"value": 0.9, "type": "PROBABILITY"},
            }
        },
        "languages": ["en"],
        "detectedLanguages": ["en"],
        "clientToken": "ct-1",
        "modelVersion": "v-test",
    }


def test_without_span_annotations_one_span_covers_the_whole_text_in_utf16() -> None:
    text = "héllo 😀 wörld"  # 13 code points, 14 UTF-16 units
    body = analyze_response(result(text, TOXICITY=0.25), requested=["TOXICITY"], span_annotations=False)
    assert body["attributeScores"]["TOXICITY"]["spanScores"] == [
        {"begin": 0, "end": 14, "score": {"value": 0.25, "type": "PROBABILITY"}}
    ]
    assert "clientToken" not in body


def test_sentence_spans_are_converted_to_utf16() -> None:
    text = "😀😀 Go away. Bye 😀"
    scores = {"TOXICITY": AttributeScore("TOXICITY", 0.5, (), (Span(0, 11, 0.6), Span(12, 17, 0.1)))}
    res = ScoreResult(text, "v", scores, ("en",), ("en",))
    spans = analyze_response(res, requested=["TOXICITY"], span_annotations=True)["attributeScores"]["TOXICITY"]["spanScores"]
    assert [(s["begin"], s["end"]) for s in spans] == [(0, 13), (14, 20)]


def test_attribute_keys_follow_request_order_and_are_upper_case() -> None:
    body = analyze_response(result(), requested={"insult": {}, "TOXICITY": {}}, span_annotations=False)
    assert list(body["attributeScores"]) == ["INSULT", "TOXICITY"]


@pytest.mark.parametrize(
    "score_type",
    [None, "PROBABILITY", "probability", "SCORE_TYPE_UNSPECIFIED", "score_type_unspecified"],
    ids=["unset", "upper", "lower-n8n", "unspecified", "unspecified-lower"],
)
def test_score_type_is_always_probability(score_type: str | None) -> None:
    params = {} if score_type is None else {"scoreType": score_type}
    body = analyze_response(result(), requested={"TOXICITY": params}, span_annotations=True)
    attribute = body["attributeScores"]["TOXICITY"]
    assert attribute["summaryScore"]["type"] == "PROBABILITY"
    assert {s["score"]["type"] for s in attribute["spanScores"]} == {"PROBABILITY"}


@pytest.mark.parametrize("score_type", ["STD_DEV_SCORE", "percentile", "RAW"], ids=["std-dev", "percentile", "raw"])
def test_other_score_types_are_rejected_with_perspectives_message(score_type: str) -> None:
    with pytest.raises(ScoreTypeNotSupportedError) as info:
        analyze_response(result(), requested={"TOXICITY": {"scoreType": score_type}}, span_annotations=False)
    assert_perspective_error(
        *error_response(info.value),
        message=f"Requested score type {score_type.upper()} is not supported by attribute TOXICITY",
        error_type="INVALID_REQUEST",
    )


# --- scoreThreshold ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "kept"),
    [(0, ["TOXICITY", "INSULT"]), (0.4, ["TOXICITY", "INSULT"]), (0.41, ["TOXICITY"]), ("0.5", ["TOXICITY"])],
    ids=["zero-keeps-all", "equal-is-kept", "below-is-dropped", "numeric-string"],
)
def test_score_threshold_drops_attributes_below_it(threshold: float | str, kept: list[str]) -> None:
    requested = {"TOXICITY": {"scoreThreshold": threshold}, "INSULT": {"scoreThreshold": threshold}}
    body = analyze_response(result(), requested=requested, span_annotations=False)
    assert list(body["attributeScores"]) == kept


def test_score_threshold_drops_spans_below_it() -> None:
    body = analyze_response(result(), requested={"TOXICITY": {"scoreThreshold": 0.5}}, span_annotations=True)
    assert body["attributeScores"]["TOXICITY"]["spanScores"] == [
        {"begin": 0, "end": 31, "score": {"value": 0.8, "type": "PROBABILITY"}}
    ]


def test_when_every_attribute_is_dropped_attribute_scores_is_omitted() -> None:
    body = analyze_response(result(), requested={"TOXICITY": {"scoreThreshold": 0.95}}, span_annotations=False)
    assert body == {"languages": ["en"], "detectedLanguages": ["en"], "modelVersion": "v-test"}


@pytest.mark.parametrize("threshold", ["high", True, float("nan"), [0.5]], ids=["word", "bool", "nan", "list"])
def test_invalid_threshold_is_an_input_error(threshold: object) -> None:
    with pytest.raises(InputError, match="scoreThreshold"):
        analyze_response(result(), requested={"TOXICITY": {"scoreThreshold": threshold}}, span_annotations=False)


# --- misuse -----------------------------------------------------------------------------------


def test_no_requested_attributes() -> None:
    with pytest.raises(NoRequestedAttributesError) as info:
        analyze_response(result(), requested={}, span_annotations=False)
    assert_perspective_error(
        *error_response(info.value), message="Missing requested_attributes", error_type="NO_REQUESTED_ATTRIBUTES"
    )


def test_a_failed_result_raises_its_error() -> None:
    failed = ScoreResult("", "v", error=EmptyTextError())
    with pytest.raises(EmptyTextError):
        analyze_response(failed, requested=["TOXICITY"], span_annotations=False)


def test_an_attribute_the_result_lacks_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="THREAT was requested"):
        analyze_response(result(), requested=["THREAT"], span_annotations=False)


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "message", "error_type"),
    [
        (EmptyTextError(), "Comment must be non-empty.", "COMMENT_EMPTY"),
        (
            TextTooLongError(23368, 20480),
            "Comment text was too many bytes. Value (23368) exceeded limit (20480).",
            "COMMENT_TOO_LONG",
        ),
        (UnknownAttributeError("FOO", ["TOXICITY"]), "Unknown requested attribute: FOO", "INVALID_REQUEST"),
        (InputError("Something else."), "Something else.", "INVALID_REQUEST"),
    ],
    ids=["empty", "too-long", "unknown-attribute", "other-input-error"],
)
def test_input_errors(error: InputError, message: str, error_type: str) -> None:
    detail = assert_perspective_error(*error_response(error), message=message, error_type=error_type)
    assert set(detail) == {"@type", "errorType"}


@pytest.mark.parametrize("requested", [True, False], ids=["requested", "detected"])
def test_language_not_supported(requested: bool) -> None:
    error = LanguageNotSupportedError("TOXICITY", ["de"], requested=requested)
    detail = assert_perspective_error(
        *error_response(error),
        message="Attribute TOXICITY does not support request languages: de",
        error_type="LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
    )
    assert detail["languageNotSupportedByAttributeError"] == {
        "detectedLanguages": ["de"],
        "requestedLanguages": ["de"],
        "attribute": "TOXICITY",
    }


def test_several_languages_are_joined_with_comma_space() -> None:
    status, body = error_response(LanguageNotSupportedError("INSULT", ["en", "ja-Latn"], requested=True))
    assert body["error"]["message"] == "Attribute INSULT does not support request languages: en, ja-Latn"


@pytest.mark.parametrize(
    "error",
    [RuntimeError("boom at /srv/secret/path"), ModelNotFoundError("No model 'x' at /srv/secret/path")],
    ids=["unexpected", "model-error"],
)
def test_anything_else_is_a_500_that_reveals_nothing(error: Exception) -> None:
    status, body = error_response(error)
    assert status == 500
    assert body["error"]["code"] == 500
    assert body["error"]["status"] == "INTERNAL"
    assert body["error"]["message"] == "Internal error encountered."
    assert body["error"]["details"][0]["reason"] == "INTERNAL"
    assert "secret" not in json.dumps(body)


# --- with a real (tiny) scorer ----------------------------------------------------------------


def test_scorer_errors_map_to_perspective_messages(scorer: Scorer) -> None:
    empty, too_long = scorer.score_batch(["   ", "é" * 10241])
    assert empty.error is not None and too_long.error is not None
    assert_perspective_error(*error_response(empty.error), message="Comment must be non-empty.", error_type="COMMENT_EMPTY")
    assert_perspective_error(
        *error_response(too_long.error),
        message="Comment text was too many bytes. Value (20482) exceeded limit (20480).",
        error_type="COMMENT_TOO_LONG",
    )
    with pytest.raises(UnknownAttributeError) as info:
        scorer.resolve_attributes(["foo"])
    assert error_response(info.value)[1]["error"]["message"] == "Unknown requested attribute: FOO"
    [german] = scorer.score_batch(["Hallo Welt"], attributes=["TOXICITY"], languages=["de"])
    assert german.error is not None
    assert error_response(german.error)[1]["error"]["message"] == (
        "Attribute TOXICITY does not support request languages: de"
    )


def test_scorer_sentences_become_the_specs_spans(scorer: Scorer) -> None:
    res = scorer.score(SPEC_TEXT, attributes=["TOXICITY"], sentence_scores=True)
    body = analyze_response(res, requested={"TOXICITY": {}}, span_annotations=True)
    spans = body["attributeScores"]["TOXICITY"]["spanScores"]
    assert [(s["begin"], s["end"]) for s in spans] == [(0, 31), (32, 56)]
    assert body["attributeScores"]["TOXICITY"]["summaryScore"]["value"] == res["TOXICITY"]
    assert body["modelVersion"] == "test-0"
