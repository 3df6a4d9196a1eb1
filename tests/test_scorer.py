"""tenor.Scorer on the shipped model: behaviour, per-item errors, and pinned scores."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tenor import (
    DEFAULT_MODEL,
    EmptyTextError,
    LanguageNotSupportedError,
    Scorer,
    TextTooLongError,
    UnknownAttributeError,
)

from tenor.engines import FAST_MODEL

GOLDEN_DIR = Path(__file__).parent / "golden"
GOLDEN_TEXTS = [
    "Great news, finally!!",
    "You are a complete idiot and nobody wants you here.",
    "I am a gay Muslim woman.",
    "I will find you and I will hurt you.",
    "This is f*cking bullsh1t, what a sh1tshow 😡",
    "Jane… lucky you, it took me an hour.",
]


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer()


PERSPECTIVE_SIX = ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT")


def test_default_model_is_the_shipped_version(scorer: Scorer) -> None:
    assert scorer.model_version == DEFAULT_MODEL and DEFAULT_MODEL.startswith("en-transformer-")
    assert scorer.default_attributes == PERSPECTIVE_SIX  # what a request naming none gets
    assert scorer.attributes == (*PERSPECTIVE_SIX, "DEHUMANIZATION", "CALL_FOR_VIOLENCE")
    fast = Scorer("fast", multilingual=False)
    assert fast.model_version == FAST_MODEL and fast.attributes == fast.default_attributes == PERSPECTIVE_SIX


@pytest.mark.parametrize("version", [DEFAULT_MODEL, FAST_MODEL], ids=["default", "fast"])
def test_scores_are_pinned_to_six_decimals(version: str) -> None:
    engine = Scorer(version, multilingual=False)
    results = engine.score_batch(GOLDEN_TEXTS, attributes=engine.attributes, languages=["en"])
    got = {t: {a: s.value for a, s in r.scores.items()} for t, r in zip(GOLDEN_TEXTS, results)}
    golden = GOLDEN_DIR / f"scores-{version}.json"
    if os.environ.get("TENOR_REGEN_GOLDEN") == "1":
        golden.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("toxic", "clean"),
    [
        pytest.param("you are a stupid idiot", "you are a thoughtful writer", id="insult"),
        pytest.param("shut the fuck up", "please be quiet for a moment", id="profanity"),
        pytest.param("I am going to kill you", "I am going to visit you", id="threat"),
    ],
)
def test_harmful_text_scores_above_its_clean_twin(scorer: Scorer, toxic: str, clean: str) -> None:
    assert scorer.score(toxic)["TOXICITY"] > 0.5 > scorer.score(clean)["TOXICITY"]


def test_identity_statements_are_not_toxic(scorer: Scorer) -> None:
    for text in ("I am a gay Muslim woman", "I am a proud black man", "My neighbours are Jewish"):
        assert scorer.score(text)["TOXICITY"] < 0.3, text


def test_spans_mark_the_insulting_words(scorer: Scorer) -> None:
    text = "Thanks for the article, you stupid idiot."
    spans = scorer.score(text, spans=True).scores["TOXICITY"].spans
    marked = " ".join(text[s.begin : s.end] for s in spans)
    assert "idiot" in marked
    assert "article" not in marked


def test_sentence_spans_cover_each_sentence(scorer: Scorer) -> None:
    text = "What kind of idiot name is foo? Sorry, I like your name."
    sentences = scorer.score(text, sentence_scores=True).scores["INSULT"].sentences
    assert [(s.begin, s.end) for s in sentences] == [(0, 31), (32, 56)]
    assert sentences[0].score > sentences[1].score


def test_batch_errors_are_per_item(scorer: Scorer) -> None:
    texts = ["nice one", "   ", "x" * 20481, "Das ist ein sehr schöner Tag und ich freue mich auf morgen", "you idiot"]
    results = scorer.score_batch(texts)
    assert [type(r.error) for r in results] == [type(None), EmptyTextError, TextTooLongError, LanguageNotSupportedError, type(None)]
    assert results[3].error is not None and "de" in str(results[3].error)
    assert all(r.model_version == DEFAULT_MODEL for r in results)


def test_text_at_the_byte_limit_is_scored(scorer: Scorer) -> None:
    assert scorer.score("é" * 10240, languages=["en"]).ok
    with pytest.raises(TextTooLongError, match=r"Value \(20482\) exceeded limit \(20480\)"):
        scorer.score("é" * 10241, languages=["en"])


def test_explicit_languages_skip_detection(scorer: Scorer) -> None:
    german = "Das ist ein sehr schöner Tag und ich freue mich auf morgen"
    assert scorer.score(german, languages=["en-US"]).languages == ("en-US",)
    with pytest.raises(LanguageNotSupportedError, match="does not support request languages: de"):
        scorer.score("guten Tag", languages=["de"])


def test_short_or_ambiguous_text_is_scored_as_english(scorer: Scorer) -> None:
    assert scorer.score("yo hamburger").languages == ("en",)


def test_unknown_and_unsupported_attributes_are_refused(scorer: Scorer) -> None:
    with pytest.raises(UnknownAttributeError, match="Unknown requested attribute: FLIRTATION"):
        scorer.score("hi there", attributes=["FLIRTATION"])
    with pytest.raises(UnknownAttributeError, match="SEXUALLY_EXPLICIT. It is not supported"):
        scorer.score("hi there", attributes=["sexually_explicit"])


def test_lone_surrogate_is_an_input_error_not_a_crash(scorer: Scorer) -> None:
    results = scorer.score_batch(["bad \udc80 text", "fine text"])
    assert results[0].error is not None and "lone surrogate" in str(results[0].error)
    assert results[1].ok
