"""The shipped model folder: complete, small, checksummed, and described by its card."""

from __future__ import annotations

import json

from tenor import load_model
from tenor.engines import FAST_MODEL as NGRAM_MODEL  # this file is about the n-gram artifact
from tenor._artifact import ARTIFACT_FILES, models_dir

FOLDER = models_dir() / NGRAM_MODEL


def test_shipped_model_has_every_file_and_stays_small() -> None:
    names = {p.name for p in FOLDER.iterdir()}
    assert set(ARTIFACT_FILES) | {"SHA256SUMS"} <= names
    assert sum(p.stat().st_size for p in FOLDER.iterdir()) <= 30 * 1024 * 1024


def test_manifest_names_its_version_thresholds_and_calibration() -> None:
    manifest = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == NGRAM_MODEL == FOLDER.name
    for attr in manifest["attributes"]:
        assert 0.0 < manifest["thresholds"][attr] < 1.0
        assert len(manifest["calibration"][attr]) == 2
    assert "SEXUALLY_EXPLICIT" in manifest["unsupported"]


def test_model_card_reports_data_mapping_thresholds_heldout_and_limitations() -> None:
    card = (FOLDER / "MODEL_CARD.md").read_text(encoding="utf-8")
    for heading in ("## Data and terms", "## Label mapping", "## Operating thresholds", "## Cross-validation",
                    "## Alternatives tried", "## Held-out numbers", "## Known limitations"):
        assert heading in card, heading
    assert "Research use" in card


def test_loading_verifies_and_exposes_the_shipped_model() -> None:
    model = load_model()
    assert model.version == NGRAM_MODEL
    assert model.coef.shape == (model.featurizer.n_features, len(model.attributes))
