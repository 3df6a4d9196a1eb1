"""`run_batch`: inputs -> chunks -> an engine -> staged parts -> OUT, resumable at every step."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from .. import __version__
from .._errors import BatchError
from .._scorer import Scorer
from ._engines import ENGINES, default_workers, run_local, run_ray
from ._inputs import RowSource, count_rows, iter_rows, plan_inputs
from ._staging import Staging, staging_dir
from ._work import Chunk, ChunkResult, ScoreSettings, fingerprint, output_schema, tier_setting

__all__ = ["DEFAULT_CHUNK_ROWS", "OUTPUT_FORMATS", "BatchSummary", "run_batch", "skipped_path"]

DEFAULT_CHUNK_ROWS = 2048  # ~1.5 s of one core: what a kill can cost per worker, and the progress step
OUTPUT_FORMATS = ("parquet", "jsonl")
Progress = Callable[[int, int | None], None]  # (rows done, rows in all or None) after each chunk


@dataclass
class BatchSummary:
    out: Path
    format: str
    model_version: str
    engine: str
    workers: int
    rows: int = 0  # every input row, scored or skipped, this run and earlier ones
    scored: int = 0
    resumed_rows: int = 0  # rows finished by an earlier, interrupted run of the same command
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> rows
    seconds: float = 0.0
    skipped_file: Path | None = None
    model_versions: tuple[str, ...] = ()  # the models that produced OUT's rows (English first), this run and earlier ones

    @property
    def rate(self) -> float:
        """Rows per second this run (rows an earlier run finished do not count)."""
        done_now = self.rows - self.resumed_rows
        return done_now / self.seconds if self.seconds > 0 else 0.0


def skipped_path(out: Path) -> Path:
    return out.with_name(out.name + ".skipped.jsonl")


def output_format(out: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in OUTPUT_FORMATS:
            raise BatchError(f"unknown output format {fmt!r}; use one of {', '.join(OUTPUT_FORMATS)}.")
        return fmt
    return "jsonl" if out.suffix.lower() in (".jsonl", ".ndjson") else "parquet"


def _chunks(sources: list[RowSource], text_column: str, id_column: str | None, size: int) -> Iterator[Chunk]:
    rows = iter_rows(sources, text_column, id_column)
    index = 0
    while block := tuple(islice(rows, size)):
        yield Chunk(index, block, fingerprint(block))
        index += 1


def _input_files(inputs: Sequence[str], out: Path) -> list[Path]:
    from ..analyze import expand_inputs

    own = {out.resolve(), skipped_path(out).resolve()}
    staging = staging_dir(out).resolve()
    files = [
        p for p in expand_inputs(list(inputs))
        if p.resolve() not in own and staging not in p.resolve().parents
    ]  # fmt: skip
    if not files:
        raise BatchError(f"{', '.join(inputs)}: no input files besides this run's own output.")
    return files


def run_batch(
    inputs: Sequence[str],
    out: str | Path,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    attributes: Sequence[str] | None = None,
    spans: bool = False,
    languages: Sequence[str] | None = None,
    model: str | None = None,
    multilingual: str | Path | bool | None = None,
    format: str | None = None,
    pages: bool = False,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    engine: str = "local",
    workers: int | None = None,
    address: str | None = None,
    restart: bool = False,
    overwrite: bool = False,
    progress: Progress | None = None,
    scorer: Scorer | None = None,
) -> BatchSummary:
    """Score every row of `inputs` into `out` (Parquet, or JSONL by suffix or `format`).

    Killed at any point, the same call continues where it stopped: finished chunks are kept in
    `out`.tenor-batch/ and checked against the input before they are reused. Rows that cannot be
    scored are listed with their reason in `out`.skipped.jsonl, never dropped silently."""
    if engine not in ENGINES:
        raise BatchError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}.")
    if chunk_rows < 1:
        raise BatchError("--chunk-rows must be at least 1.")
    if workers is not None and workers < 1:
        raise BatchError("--workers must be at least 1.")
    import pyarrow  # noqa: F401 - the batch extra: missing, fail now rather than inside a worker

    out = Path(out)
    fmt = output_format(out, format)
    scorer = scorer or Scorer(model, multilingual=multilingual)
    attrs = scorer.resolve_attributes(attributes)
    tier = tier_setting(scorer, multilingual)
    settings = ScoreSettings(
        model, scorer.model_version, attrs, spans, tuple(languages) if languages else None,
        named_attributes=attributes is not None, multilingual=tier, model_versions=scorer.model_versions,
    )  # fmt: skip
    files = _input_files(inputs, out)
    sources = plan_inputs(files, text_column, id_column, pages)
    manifest: dict[str, Any] = {
        "tenor_batch": 1,
        "inputs": [{"path": str(s.path.resolve()), "kind": s.kind, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
                   for s, st in ((s, s.path.stat()) for s in sources)],
        "text_column": text_column, "id_column": id_column, "attributes": list(attrs), "spans": spans,
        "languages": list(settings.languages or ()), "model_version": scorer.model_version,
        "chunk_rows": chunk_rows, "format": fmt, "tenor_version": __version__,
    }  # fmt: skip
    if tier is not False:
        # English-only runs keep the manifest they always had (an interrupted one still resumes);
        # with the tier, which models score and whether attributes were named change the rows
        manifest.update(model_versions=list(scorer.model_versions), attributes_named=attributes is not None)
    summary = BatchSummary(out, fmt, scorer.model_version, engine, workers or default_workers())
    staging = Staging(out, manifest, restart=restart, overwrite=overwrite)
    try:
        finished = staging.finished()
        total = count_rows(sources)
        summary.resumed_rows = summary.rows = sum(m["rows"] for m in finished.values())
        used: set[str] = set()
        for marker in finished.values():
            summary.scored += marker["scored"]
            summary.skipped.update(entry["reason"] for entry in marker["skipped"])
            used.update(marker.get("model_versions", [scorer.model_version] if marker["scored"] else []))
        n_chunks = 0
        started = time.perf_counter()
        if progress:
            progress(summary.rows, total)

        def to_do() -> Iterator[Chunk]:
            nonlocal n_chunks
            for chunk in _chunks(sources, text_column, id_column, chunk_rows):
                n_chunks = chunk.index + 1
                marker = finished.get(chunk.index)
                if marker is None:
                    yield chunk
                elif marker["fingerprint"] != chunk.fingerprint:
                    raise BatchError(
                        f"the rows of chunk {chunk.index} (rows {chunk.index * chunk_rows + 1}-) differ from the ones "
                        f"{staging.dir} finished earlier: the input changed. Pass --restart to score it afresh."
                    )

        def on_result(result: ChunkResult) -> None:
            marker = staging.commit(result)
            summary.rows += marker["rows"]
            summary.scored += marker["scored"]
            summary.skipped.update(entry["reason"] for entry in marker["skipped"])
            used.update(marker["model_versions"])
            if progress:
                progress(summary.rows, total)

        if engine == "local":
            if total is not None:  # no pool to start for work that one process finishes alone
                left = total - summary.rows
                summary.workers = max(1, min(summary.workers, -(-left // chunk_rows)))
            run_local(to_do(), settings, summary.workers, on_result, scorer)
        else:
            summary.workers = run_ray(to_do(), settings, workers, address, on_result)
        summary.seconds = time.perf_counter() - started
        loaded = settings.loaded_versions
        summary.model_versions = tuple(v for v in loaded if v in used) + tuple(sorted(used - set(loaded)))
        schema = output_schema(
            attrs, spans, scorer.model_version, multilingual=tier is not False, model_versions=summary.model_versions
        )
        staging.merge(n_chunks, fmt, schema, skipped_path(out))
    except BaseException:
        staging.close()
        raise
    staging.remove()
    summary.skipped_file = skipped_path(out) if summary.skipped else None
    return summary
