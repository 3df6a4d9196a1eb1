"""The transformer engine: windows and word marks (pure), and a tiny model trained by
`tenor.train.transformer.run --quick` (a 1-layer encoder of MiniLM's kind, random weights) that is
byte-identical when retrained and scores through the Scorer without torch at run time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tenor import Scorer
from tenor.engines.transformer import TransformerEngine, load_transformer_engine
from tenor.engines.transformer._windows import batches, marked_spans, windows_of


def test_windows_cover_every_token_and_overlap_by_the_stride() -> None:
    ids = list(range(1000, 1300))
    windows = windows_of(0, ids, max_tokens=128, stride=32, cls_id=101, sep_id=102)
    covered = set()
    for w in windows:
        assert w.ids[0] == 101 and w.ids[-1] == 102 and len(w.ids) <= 128
        covered.update(range(w.start, w.start + len(w.ids) - 2))
        assert list(w.ids[1:-1]) == ids[w.start : w.start + len(w.ids) - 2]
    assert covered == set(range(300))
    assert [w.start for w in windows[:2]] == [0, 94]
    assert windows_of(0, [], 128, 32, 101, 102)[0].ids == (101, 102)


def test_batches_pad_and_mask() -> None:
    windows = windows_of(0, [5, 6, 7], 128, 32, 101, 102) + windows_of(1, [5], 128, 32, 101, 102)
    (members, ids, mask), = batches(windows, 8, pad_id=0)
    assert members == [1, 0] and ids.shape == (2, 5) and mask.tolist() == [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]


def test_marked_words_join_and_whole_words_are_marked() -> None:
    # "you dirty rat ok": "rat" split in two sub-tokens; "you" unmarked
    offsets = [(0, 3), (4, 9), (10, 12), (12, 13), (14, 16)]
    word_ids = [0, 1, 2, 2, 3]
    probs = np.array([0.1, 0.9, 0.2, 0.8, 0.3])
    assert marked_spans(probs, offsets, word_ids, 0.5) == [(4, 13, pytest.approx(0.85))]
    assert marked_spans(probs, offsets, word_ids, 0.95) == []


torch = pytest.importorskip("torch", reason="training the transformer needs the `train` extra (torch)")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from .test_transformer_data import write_fixture

    return write_fixture(tmp_path_factory.mktemp("data"))


def _train(dirs: list[Path], root: Path) -> Path:
    from tenor.train.transformer.run import run

    return run(dirs, root / "tiny-1", version="tiny-1", quick=True, work=root / "work", log=lambda _: None)


@pytest.fixture(scope="module")
def trained(data: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _train(data, tmp_path_factory.mktemp("first"))


@pytest.mark.slow
def test_same_data_and_seed_give_a_byte_identical_artifact(data: list[Path], trained: Path, tmp_path: Path) -> None:
    again = _train(data, tmp_path)
    assert (again / "SHA256SUMS").read_text() == (trained / "SHA256SUMS").read_text()
    assert sorted(p.name for p in again.iterdir()) == [
        "MODEL_CARD.md", "SHA256SUMS", "manifest.json", "model.onnx", "tokenizer.json", "weights.npz",
    ]  # fmt: skip


@pytest.mark.slow
def test_a_resumed_run_gives_the_same_artifact(data: list[Path], trained: Path, tmp_path: Path) -> None:
    """A run that finds a finished checkpoint of the same configuration resumes from it."""
    first = _train(data, tmp_path)
    (tmp_path / "tiny-1" / "SHA256SUMS").unlink()
    again = _train(data, tmp_path)  # same work folder: its checkpoint is at the last step
    assert (again / "SHA256SUMS").read_text() == (first / "SHA256SUMS").read_text() == (trained / "SHA256SUMS").read_text()


@pytest.mark.slow
def test_the_trained_engine_scores_through_the_scorer(trained: Path) -> None:
    engine = load_transformer_engine(trained, threads=1)
    assert isinstance(engine, TransformerEngine)
    scorer = Scorer(trained, multilingual=False)
    assert scorer.model_version == "tiny-1"
    assert scorer.attributes[-2:] == ("DEHUMANIZATION", "CALL_FOR_VIOLENCE")
    result = scorer.score("you are a complete idiot", spans=True, sentence_scores=True)
    assert set(result.scores) == {"TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"}
    asked = scorer.score("they are vermin", attributes=["DEHUMANIZATION", "CALL_FOR_VIOLENCE"])
    assert set(asked.scores) == {"DEHUMANIZATION", "CALL_FOR_VIOLENCE"}
    for a, s in result.scores.items():
        assert 0.0 <= s.value <= 1.0
        assert not s.spans or s.value >= scorer.thresholds[a]  # words only over the threshold


@pytest.mark.slow
def test_scores_do_not_depend_on_the_batch_or_threads(trained: Path) -> None:
    texts = ["short one", "a somewhat longer comment about the council meeting on Tuesday " * 3, "x " * 400]
    one = load_transformer_engine(trained, threads=1)
    two = load_transformer_engine(trained, threads=2)
    together = one.score(texts, ["TOXICITY", "INSULT"], spans=True)
    alone = [one.score([t], ["TOXICITY", "INSULT"], spans=True)[0] for t in texts]
    assert together == alone == two.score(texts, ["TOXICITY", "INSULT"], spans=True)


@pytest.mark.slow
def test_a_long_text_scores_as_its_worst_window(trained: Path) -> None:
    from tenor._calibration import calibrated

    engine = load_transformer_engine(trained, threads=1)
    m = engine.model
    words = "the council met on tuesday to discuss the budget and the new bridge ".split()
    probs, _, encodings = engine.forward([" ".join(words * 40)])
    windows = windows_of(0, encodings[0].ids, m.max_tokens, m.stride, m.cls_id, m.sep_id)
    assert len(windows) > 2
    each = []
    for w in windows:
        ids = np.array([w.ids], dtype=np.int64)
        logits, _ = engine._runtime.run(ids, np.ones_like(ids))
        each.append(calibrated(logits, m.calibration)[0])
    assert np.array_equal(probs[0], np.max(each, axis=0))


def test_the_tenor_attributes_are_listed_defined_and_returned_only_on_request(trained: Path) -> None:
    """Issue 18: DEHUMANIZATION and CALL_FOR_VIOLENCE are in /tenor/v1/languages and defined in the
    discovery document, and a Perspective request that does not name them never sees them."""
    from tests.serve_helpers import Client

    from tenor.serve import create_app

    client = Client(create_app(Scorer(trained, multilingual=False), db_path=":memory:"))
    listed = client.get("/tenor/v1/languages").json()["attributes"]
    assert {"DEHUMANIZATION", "CALL_FOR_VIOLENCE"} <= set(listed)
    described = client.get("/$discovery/rest").json()["schemas"]["AnalyzeCommentRequest"]["properties"]
    text = described["requestedAttributes"]["description"]
    assert "DEHUMANIZATION: tenor: people described as less than human" in text and "CALL_FOR_VIOLENCE:" in text
    plain = client.analyze({"comment": {"text": "they are rats"}, "requestedAttributes": {"TOXICITY": {}}}).json()
    assert list(plain["attributeScores"]) == ["TOXICITY"]
    asked = client.analyze(
        {"comment": {"text": "they are rats"}, "requestedAttributes": {"DEHUMANIZATION": {}, "CALL_FOR_VIOLENCE": {}}}
    ).json()
    assert set(asked["attributeScores"]) == {"DEHUMANIZATION", "CALL_FOR_VIOLENCE"}


def test_the_service_scores_a_concurrent_engine_on_one_thread_per_core(trained: Path) -> None:
    """`tenor serve` gives an engine whose calls may run side by side (the transformer) a thread
    per core, and any other slow engine one (its calls would queue anyway)."""
    from dataclasses import replace

    from tenor._machine import usable_cores
    from tenor.serve._routes_comments import _pool_for

    engine = load_transformer_engine(trained)
    assert engine.info.concurrent_calls
    assert _pool_for(engine)._max_workers == usable_cores()

    class Serial:
        info = replace(engine.info, concurrent_calls=False)

    assert _pool_for(Serial())._max_workers == 1  # type: ignore[arg-type]


def test_identity_terms_are_never_marked_on_their_own() -> None:
    """Issue 19: a run of marked words that are all identity terms is dropped; a run that holds
    the words carrying an attack stays."""
    from tenor.engines.transformer._windows import identity_only

    assert identity_only("gay Muslim") and identity_only("Black") and identity_only("Jews'")
    assert identity_only("African American") and identity_only("Muslims")
    assert not identity_only("vermin") and not identity_only("Muslims are vermin")
    assert not identity_only("") and not identity_only("idiot")
