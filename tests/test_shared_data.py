"""Checks against the staged datasets in ../shared (skipped with a reason when it is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pandas", reason="reading the staged datasets needs the `train` extra")

from tenor.train.data import heldout_texts, remove_test_overlap  # noqa: E402
from tenor.train.ngram.data import HEADS, load_training  # noqa: E402

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
DIRS = [SHARED / d for d in ("data", "data2", "data3")]

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not all(d.is_dir() for d in DIRS), reason="../shared/data* is not beside this checkout"),
]


@pytest.fixture(scope="module")
def training():  # type: ignore[no-untyped-def]
    return load_training(DIRS)


def test_loaders_map_every_source_onto_tenor_attributes(training) -> None:  # type: ignore[no-untyped-def]
    assert set(training["source"]) == {"jigsaw2018", "olid", "stormfront"}
    assert training[list(HEADS)].isin([0.0, 1.0]).to_numpy()[training[list(HEADS)].notna().to_numpy()].all()
    jigsaw = training[training["source"] == "jigsaw2018"]
    # re-weighted to the original 9.6% toxic rows
    assert abs((jigsaw["TOXICITY"] * jigsaw["weight"]).sum() / jigsaw["weight"].sum() - 0.0958) < 0.001


def test_wikipedia_toxicity_test_comments_are_removed_from_training(training) -> None:  # type: ignore[no-untyped-def]
    tests = heldout_texts(DIRS)
    wiki = {k: v for k, v in tests.items() if k.endswith("toxicity_nonfuzzed_testset.csv")}
    assert len(next(iter(wiki.values()))) == 1492
    keep = remove_test_overlap(training["text"].tolist(), wiki, lambda _: None)
    # product.md: the Jigsaw copies hold about 520 of the 1,492 Wikipedia toxicity test comments
    assert 480 <= (~keep).sum() <= 560
