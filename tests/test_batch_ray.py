"""`tenor batch --engine ray` on a local Ray instance: byte-identical to the local engine, and
resumable across engines (a run started locally can finish on Ray)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pyarrow", reason="tenor batch needs the batch extra: pip install 'tenor[batch]'")
ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'tenor[ray]' (CI installs it)")

from click.testing import CliRunner

from tenor import DEFAULT_MODEL, Scorer
from tenor.batch import BatchOptions, ExecutorOptions, run_batch, skipped_path, staging_dir
from tenor.cli import main

TEXTS = [
    "You are a complete idiot and everyone knows it.",
    "Great article, thanks for the careful reporting.",
    "Shut up, you stupid troll. Nobody cares.",
    "I will find you and hurt you.",
    "",
]


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One local Ray instance for the module: run_batch uses it and leaves it running."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ray") / "comments.jsonl"
    path.write_text("".join(json.dumps({"id": f"c{i}", "text": TEXTS[i % 5] + (f" {i}" if TEXTS[i % 5] else "")}) + "\n" for i in range(900)))
    return path


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_ray_output_is_byte_identical_to_the_local_engine(local_ray: None, source: Path, tmp_path: Path, suffix: str) -> None:
    scorer = Scorer()
    local, on_ray = tmp_path / f"local{suffix}", tmp_path / f"ray{suffix}"
    run_batch([str(source)], local, BatchOptions(spans=True, chunk_rows=64), ExecutorOptions(workers=2), scorer=scorer)
    summary = run_batch([str(source)], on_ray, BatchOptions(spans=True, chunk_rows=64), ExecutorOptions("ray", workers=2), scorer=scorer)
    assert summary.executor == "ray" and summary.workers == 2 and summary.skipped == {"COMMENT_EMPTY": 180}
    assert on_ray.read_bytes() == local.read_bytes()
    assert skipped_path(on_ray).read_bytes() == skipped_path(local).read_bytes()


def test_a_run_interrupted_locally_finishes_on_ray(local_ray: None, source: Path, tmp_path: Path) -> None:
    scorer = Scorer()
    reference, out = tmp_path / "reference.parquet", tmp_path / "out.parquet"
    run_batch([str(source)], reference, BatchOptions(chunk_rows=64), scorer=scorer)

    def stop(done: int, total: int | None) -> None:
        if done >= 256:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch([str(source)], out, BatchOptions(chunk_rows=64), scorer=scorer, progress=stop)
    assert staging_dir(out).exists()
    summary = run_batch([str(source)], out, BatchOptions(chunk_rows=64), ExecutorOptions("ray"), scorer=scorer)
    assert summary.resumed_rows == 256 and out.read_bytes() == reference.read_bytes()


def test_cli_engine_ray(local_ray: None, source: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.jsonl"
    result = CliRunner().invoke(main, ["batch", str(source), "--out", str(out), "--engine", "ray", "--workers", "2", "-q", "-a", "TOXICITY"])
    assert result.exit_code == 0, result.output
    assert "ray, 2 workers" in result.stderr
    assert len(out.read_text().splitlines()) == 720


MIXED = [
    "You are a complete idiot and everyone knows it.",
    "Eres un idiota y un mentiroso, nadie en este barrio quiere escuchar tus tonterías.",
    "Merci beaucoup pour cet article très intéressant et bien écrit.",
]


def test_ray_actors_score_other_languages_as_the_local_engine_does(local_ray: None, tmp_path: Path) -> None:
    """The driver's multilingual setting reaches the actors: the tier's rows (TOXICITY, nulls,
    its model version) come out byte-identical to the local engine's, and with
    --no-multilingual the actors stay English-only as the driver does."""
    from tenor.engines.multilingual import encoder_available

    source = tmp_path / "mixed.jsonl"
    source.write_text("".join(json.dumps({"id": f"m{i}", "text": MIXED[i % 3]}) + "\n" for i in range(9)))
    english_only = Scorer(multilingual=False)
    for scorer, name in ((english_only, "en"), *(((Scorer(), "tier"),) if encoder_available() else ())):
        local, on_ray = tmp_path / f"local-{name}.jsonl", tmp_path / f"ray-{name}.jsonl"
        run_batch([str(source)], local, BatchOptions(chunk_rows=4), ExecutorOptions(workers=1), scorer=scorer)
        run_batch([str(source)], on_ray, BatchOptions(chunk_rows=4), ExecutorOptions("ray", workers=2), scorer=scorer)
        assert on_ray.read_bytes() == local.read_bytes()
        versions = {json.loads(line)["model_version"] for line in on_ray.read_text().splitlines()}
        assert versions == ({DEFAULT_MODEL} if name == "en" else {DEFAULT_MODEL, "multilingual-2026.11.0"})
