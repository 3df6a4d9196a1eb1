"""Language codes and detection: lenient on short text, strict only when confident."""

from __future__ import annotations

import pytest

from tenor._language import detect_language, primary_subtag


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "en"), ("en-US", "en"), ("pt_BR", "pt"), (" DE ", "de"), ("zh-Hans", "zh"), ("hi-Latn", "hi-Latn"), ("HI-LATN", "hi-Latn"), ("hi", "hi")],
    ids=["plain", "region", "underscore", "case-space", "script", "hi-latn", "hi-latn-case", "hi"],
)
def test_primary_subtag(code: str, expected: str) -> None:
    assert primary_subtag(code) == expected


def test_confident_german_is_detected() -> None:
    lang, confidence = detect_language("Das ist ein sehr langer deutscher Satz, der eindeutig erkannt werden sollte.")
    assert lang == "de"
    assert confidence > 0.95


@pytest.mark.parametrize("text", ["yo hamburger", "lol ok", "😀😀😀", ""], ids=["perspective-95", "short", "emoji", "empty"])
def test_short_text_falls_back_to_the_first_supported_language(text: str) -> None:
    assert detect_language(text) == ("en", 0.0)


def test_english_is_detected_as_english() -> None:
    lang, _ = detect_language("The council confirmed on Monday that the bridge will carry traffic again.")
    assert lang == "en"


def test_a_supported_language_other_than_the_first_is_kept() -> None:
    text = "Le conseil municipal a confirmé lundi que le pont serait de nouveau ouvert à la circulation."
    assert detect_language(text, ("en", "fr"))[0] == "fr"


def test_another_supported_language_needs_only_moderate_confidence(monkeypatch: pytest.MonkeyPatch) -> None:
    import tenor._language as language

    monkeypatch.setattr(language, "_classify", lambda sample: ("es", 0.6))
    text = "bastante largo para que se detecte el idioma del comentario"
    assert detect_language(text, ("en", "es")) == ("es", 0.6)  # a supported language: routed at 0.5
    assert detect_language(text, ("en",)) == ("en", 0.6)  # unsupported: rejected only at 0.95
    monkeypatch.setattr(language, "_classify", lambda sample: ("es", 0.4))
    assert detect_language(text, ("en", "es")) == ("en", 0.4)
