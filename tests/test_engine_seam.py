"""The engine seam (tenor.engines): a new model is an Engine plus a loader registered for its
manifest kind. A tiny fake engine, registered here and nowhere else, scores through the Scorer,
`tenor score`, the service and `tenor batch`."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from tenor import Scorer
from tenor._artifact import read_artifact, write_checksums
from tenor._errors import ModelIntegrityError
from tenor._results import AttributeScore, Span
from tenor.engines import Engine, EngineInfo, _registry, load_engine, register_engine

KIND = "shouting-test"


class ShoutingEngine:
    """SHOUTING = the share of upper-case letters; its span is every upper-case word."""

    def __init__(self, folder: Path) -> None:
        manifest, _ = read_artifact(folder, kind=KIND, format=1, train_command="the test")
        self.info = EngineInfo(
            kind=KIND, version=manifest["version"], attributes=("SHOUTING",), languages={"SHOUTING": ("en",)},
            thresholds={"SHOUTING": 0.5}, span_kind="words", cost_ms=0.01, path=folder,
        )  # fmt: skip
        self.threads = 1

    def score(
        self, texts: Sequence[str], attributes: Sequence[str], *, spans: bool = False, sentences: bool = False
    ) -> list[dict[str, AttributeScore]]:
        out = []
        for text in texts:
            letters = [c for c in text if c.isalpha()]
            value = round(sum(c.isupper() for c in letters) / max(len(letters), 1), 6)
            words = [Span(t.start(), t.end(), 1.0) for t in _words(text) if t.group().isupper()] if spans else []
            out.append({"SHOUTING": AttributeScore("SHOUTING", value, tuple(words))})
        return out

    def warm(self) -> None:
        return None

    def with_threads(self, threads: int | None) -> ShoutingEngine:
        return self


def _words(text: str) -> Iterator:  # type: ignore[type-arg]
    import re

    return re.finditer(r"[A-Za-z]{2,}", text)


@pytest.fixture()
def shouting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A model folder of the fake kind, and its loader registered for this test only."""
    monkeypatch.setitem(_registry._LOADERS, KIND, ShoutingEngine)
    folder = tmp_path / "shouting-1"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"kind": KIND, "format": 1, "version": "shouting-1"}))
    np.savez(folder / "weights.npz", unused=np.zeros(1))
    (folder / "MODEL_CARD.md").write_text("# shouting-1\nA test engine.\n")
    write_checksums(folder)
    return folder


def test_the_fake_engine_is_an_engine_and_loads_by_kind(shouting: Path) -> None:
    engine = load_engine(shouting)
    assert isinstance(engine, Engine) and engine.info.version == "shouting-1"


def test_the_scorer_routes_to_it_and_returns_its_version(shouting: Path) -> None:
    scorer = Scorer(shouting, multilingual=False)
    result = scorer.score("STOP SHOUTING at me", spans=True)
    assert result.model_version == "shouting-1" and scorer.attributes == ("SHOUTING",)
    assert result["SHOUTING"] == pytest.approx(12 / 16, abs=1e-6)
    assert [(s.begin, s.end) for s in result.scores["SHOUTING"].spans] == [(0, 4), (5, 13)]
    assert scorer.thresholds_by_model == {"shouting-1": {"SHOUTING": 0.5}}
    assert scorer.score_batch([""])[0].error is not None  # the Scorer's text check still applies


def test_tenor_score_uses_it(shouting: Path) -> None:
    from tenor.cli import main

    result = CliRunner().invoke(main, ["score", "--model", str(shouting), "--no-multilingual", "--json", "HELLO there"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["modelVersion"] == "shouting-1"
    assert body["attributeScores"]["SHOUTING"]["summaryScore"]["value"] == pytest.approx(0.5)


def test_the_service_uses_it(shouting: Path) -> None:
    pytest.importorskip("fastapi", reason="tenor serve needs the serve extra: pip install 'tenor[serve]'")
    from tenor.serve import create_app

    from .serve_helpers import Client

    client = Client(create_app(Scorer(shouting, multilingual=False)))
    resp = client.analyze({"comment": {"text": "ALL CAPS"}, "requestedAttributes": {"SHOUTING": {}}})
    assert resp.status_code == 200, resp.text
    assert resp.json()["attributeScores"]["SHOUTING"]["summaryScore"]["value"] == 1.0
    assert resp.json()["modelVersion"] == "shouting-1"


def test_tenor_batch_uses_it(shouting: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="tenor batch needs the batch extra: pip install 'tenor[batch]'")
    from tenor.batch import ExecutorOptions, run_batch

    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "LOUD"}\n{"text": "quiet"}\n')
    out = tmp_path / "out.jsonl"
    run_batch([str(source)], out, executor=ExecutorOptions(workers=1), scorer=Scorer(shouting, multilingual=False))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["SHOUTING"], r["model_version"]) for r in rows] == [(1.0, "shouting-1"), (0.0, "shouting-1")]


def test_a_kind_no_engine_reads_is_refused(shouting: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(_registry._LOADERS, KIND)
    with pytest.raises(ModelIntegrityError, match="no engine reads"):
        load_engine(shouting)


def test_a_file_that_sha256sums_does_not_list_is_refused(shouting: Path) -> None:
    (shouting / "model.onnx").write_bytes(b"not listed")
    with pytest.raises(ModelIntegrityError, match="model.onnx, which SHA256SUMS does not list"):
        load_engine(shouting)
    write_checksums(shouting)  # listed now: every listed file is verified
    load_engine(shouting)
    (shouting / "model.onnx").write_bytes(b"edited")
    with pytest.raises(ModelIntegrityError, match="model.onnx does not match its checksum"):
        load_engine(shouting)
