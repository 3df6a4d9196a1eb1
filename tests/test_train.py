"""`tenor train` on a tiny made-up corpus: reproducible to the byte, and loadable."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("sklearn", reason="training needs the `train` extra (scikit-learn)")

from tenor import ModelIntegrityError, Scorer, load_model
from tenor.train.ngram import run

from .train_fixture import write_fixture


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def trained(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run([data], tmp_path_factory.mktemp("models") / "fixture-1", version="fixture-1", quick=True, log=lambda _: None)


def test_same_data_and_seed_give_byte_identical_artifact(data: Path, trained: Path, tmp_path: Path) -> None:
    again = run([data], tmp_path / "fixture-1", version="fixture-1", quick=True, log=lambda _: None)
    for name in ("weights.npz", "manifest.json", "MODEL_CARD.md", "SHA256SUMS"):
        assert (again / name).read_bytes() == (trained / name).read_bytes(), name


def test_training_drops_texts_that_appear_in_a_test_set(data: Path, tmp_path: Path) -> None:
    lines: list[str] = []
    run([data], tmp_path / "m", version="m", quick=True, log=lines.append)
    assert any("test_scored_with_text.csv: 1 training texts removed" in line for line in lines)
    assert load_model(tmp_path / "m").manifest["training"]["removed_test_overlap"] == {"jigsaw2018": 1}


def test_trained_model_scores_and_marks_spans(trained: Path) -> None:
    scorer = Scorer(trained)
    rude = scorer.score("thanks for sharing this you stupid idiot", spans=True, languages=["en"])
    clean = scorer.score("thanks for sharing this update", languages=["en"])
    assert rude["TOXICITY"] > clean["TOXICITY"]
    assert rude.model_version == "fixture-1"


def test_corrupt_weights_are_refused(trained: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for f in trained.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    data = bytearray((copy / "weights.npz").read_bytes())
    data[100] ^= 0xFF
    (copy / "weights.npz").write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="does not match its checksum"):
        load_model(copy)


def test_missing_file_is_refused(trained: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for f in trained.iterdir():
        if f.name != "manifest.json":
            (copy / f.name).write_bytes(f.read_bytes())
    with pytest.raises(ModelIntegrityError, match="manifest.json is missing"):
        load_model(copy)
