"""`run_batch`: inputs -> chunks -> an executor -> staged parts -> OUT, resumable at every step."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from .. import __version__
from .._errors import BatchError
from .._scorer import Scorer
from ._executors import EXECUTORS, ExecutorOptions, default_workers, run_local, run_ray
from ._inputs import STDIN, RowSource, count_rows, has_text, iter_rows, plan_inputs, spool_stdin
from ._staging import Staging, staging_dir
from ._work import Chunk, ChunkResult, ScoreSettings, fingerprint, ordered_versions, output_schema

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "OUTPUT_FORMATS",
    "STDOUT",
    "BatchOptions",
    "BatchSummary",
    "check_stdio",
    "run_batch",
    "skipped_path",
]

STDOUT = "-"  # as OUT: the rows go to stdout, as JSONL
DEFAULT_CHUNK_ROWS = 2048  # ~1.5 s of one core: what a kill can cost per worker, and the progress step
OUTPUT_FORMATS = ("parquet", "jsonl")
Progress = Callable[[int, int | None], None]  # (rows done, rows in all or None) after each chunk


@dataclass(frozen=True)
class BatchOptions:
    """What a batch reads, scores and writes (`tenor batch`'s options but --engine, --workers and
    --address, which are ExecutorOptions)."""

    text_column: str = "text"  # the field or column that holds the comment
    id_column: str | None = (
        None  # the field or column of each row's id (default: "id" where present, else the row number)
    )
    attributes: Sequence[str] | None = (
        None  # None: the model's, each row scored on those its language supports
    )
    spans: bool = False  # a `spans` column
    languages: Sequence[str] | None = None  # score every row as these languages (no detection)
    model: str | None = None  # without a scorer: the default model's version or folder
    multilingual: str | Path | bool | None = (
        None  # without a scorer: its companion engines (tenor.Scorer's `multilingual`)
    )
    format: str | None = None  # "parquet" or "jsonl" (default: from OUT's suffix)
    pages: bool = False  # read every input as page files
    chunk_rows: int = DEFAULT_CHUNK_ROWS  # rows per unit of work
    restart: bool = False  # discard the finished chunks of an earlier, interrupted run
    overwrite: bool = False  # replace OUT if it exists


@dataclass
class BatchSummary:
    out: Path
    format: str
    model_version: str
    executor: str  # "local" or "ray" (`tenor batch --engine`)
    workers: int
    rows: int = 0  # every input row, scored or skipped, this run and earlier ones
    scored: int = 0
    resumed_rows: int = 0  # rows finished by an earlier, interrupted run of the same command
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> rows
    seconds: float = 0.0
    skipped_file: Path | None = None
    model_versions: tuple[
        str, ...
    ] = ()  # the models that produced OUT's rows (the default's first), this run and earlier ones
    # OUT is stdout (-): the rows not scored, with their reasons (no OUT.skipped.jsonl to hold them)
    skipped_rows: list[dict[str, str]] = field(default_factory=list)

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


def check_stdio(inputs: Sequence[str], out: str | Path, options: BatchOptions) -> None:
    """Raise BatchError for a combination of - (stdin, stdout) and options that cannot work;
    `run_batch` checks, and so does the command line before it loads a model."""
    o = options
    if STDIN in inputs and len(inputs) > 1:
        raise BatchError(
            "- (stdin) must be the only input; to score files and a stream together, "
            "pipe them all in (cat a.jsonl b.jsonl | tenor batch - ...) or write the stream to a file."
        )
    if str(out) != STDOUT:
        return
    if o.format not in (None, "jsonl"):
        raise BatchError(
            f"--out - writes JSONL to stdout, not {o.format}; name a file with --out for Parquet."
        )
    if o.restart:
        raise BatchError(
            "--restart has nothing to discard: a run that writes to stdout (--out -) keeps no "
            "finished chunks and cannot be resumed; drop --restart."
        )
    if o.overwrite:
        raise BatchError("--overwrite replaces a file, and --out - writes to stdout; drop --overwrite.")


def run_batch(
    inputs: Sequence[str],
    out: str | Path,
    options: BatchOptions | None = None,
    executor: ExecutorOptions | None = None,
    *,
    scorer: Scorer | None = None,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
) -> BatchSummary:
    """Score every row of `inputs` into `out` (Parquet, or JSONL by suffix or `options.format`),
    with `scorer` (default: one made from `options.model` and `options.multilingual`), on
    `executor` (default: this machine's cores).

    Killed at any point, the same call continues where it stopped: finished chunks are kept in
    `out`.tenor-batch/ and checked against the input before they are reused. Rows that cannot be
    scored are listed with their reason in `out`.skipped.jsonl, never dropped silently.

    The input "-" (alone) reads `stdin` (default: this process's): JSONL when its first non-blank
    line is a JSON object, CSV, HTML, Disqus XML or WARC when it starts as one (or a page file
    of any kind with `options.pages`), else one comment per line. Such a run resumes only when the
    same bytes come again. `out` "-" writes the rows to `stdout` (default: this process's) as
    JSONL, and the rows not scored into `BatchSummary.skipped_rows`; it keeps nothing on disk, so
    it cannot be resumed."""
    o = options or BatchOptions()
    ex = executor or ExecutorOptions()
    to_stdout = str(out) == STDOUT
    check_stdio(inputs, out, o)
    if ex.kind not in EXECUTORS:
        raise BatchError(
            f"unknown engine {ex.kind!r}; use one of {', '.join(EXECUTORS)}."
        )  # as --engine names executors
    if o.chunk_rows < 1:
        raise BatchError("--chunk-rows must be at least 1.")
    if ex.workers is not None and ex.workers < 1:
        raise BatchError("--workers must be at least 1.")
    import pyarrow  # noqa: F401 - the batch extra: missing, fail now rather than inside a worker

    with ExitStack() as stack:
        # stdin's copy, and with --out - the whole run (chunks and OUT), live in a folder of their own
        private = (
            Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tenor-batch-")))
            if to_stdout or STDIN in inputs
            else None
        )
        spooled = None
        if STDIN in inputs:
            assert private is not None
            spooled = spool_stdin(stdin or sys.stdin.buffer, private, o.pages)
        summary = _run(inputs, private / "stdout.jsonl" if private and to_stdout else Path(out), o, ex, scorer,
                       progress, spooled)  # fmt: skip
        if to_stdout:
            sink = stdout or sys.stdout.buffer
            with open(summary.out, "rb") as rows:
                shutil.copyfileobj(rows, sink)
            sink.flush()
            if summary.skipped_file is not None:
                with open(summary.skipped_file, encoding="utf-8") as f:
                    summary.skipped_rows = [json.loads(line) for line in f]
            summary.out, summary.skipped_file = Path(STDOUT), None
    return summary


def _run(
    inputs: Sequence[str],
    out: Path,
    o: BatchOptions,
    ex: ExecutorOptions,
    scorer: Scorer | None,
    progress: Progress | None,
    spooled: tuple[Path, dict[str, Any]] | None,
) -> BatchSummary:
    fmt = output_format(out, o.format)
    scorer = scorer or Scorer(o.model, multilingual=o.multilingual)
    attrs = scorer.resolve_attributes(o.attributes)
    settings = ScoreSettings.of(
        scorer, attrs, o.spans, o.languages, named_attributes=o.attributes is not None
    )
    if spooled is not None:
        stdin_copy, stdin_entry = spooled
        sources = plan_inputs(
            [stdin_copy], o.text_column, o.id_column, o.pages, {stdin_copy: stdin_entry["path"]}
        )
        # stdin by what it held, not where its copy lay: the same bytes piped again resume the run
        inputs_entry = [{**stdin_entry, "kind": sources[0].kind}]
    else:
        sources = plan_inputs(_input_files(inputs, out), o.text_column, o.id_column, o.pages)
        inputs_entry = [{"path": str(s.path.resolve()), "kind": s.kind, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
                        for s, st in ((s, s.path.stat()) for s in sources)]  # fmt: skip
    manifest: dict[str, Any] = {
        "tenor_batch": 1,
        "inputs": inputs_entry,
        "text_column": o.text_column, "id_column": o.id_column, "attributes": list(attrs), "spans": o.spans,
        "languages": list(settings.languages or ()), "model_version": scorer.model_version,
        "chunk_rows": o.chunk_rows, "format": fmt, "tenor_version": __version__,
    }  # fmt: skip
    if settings.has_companions:
        # runs with the default engine alone keep the manifest they always had (an interrupted one
        # still resumes); with companions, which models score and whether attributes were named
        # change the rows
        manifest.update(model_versions=list(scorer.model_versions), attributes_named=o.attributes is not None)
    summary = BatchSummary(out, fmt, scorer.model_version, ex.kind, ex.workers or default_workers())
    staging = Staging(out, manifest, restart=o.restart, overwrite=o.overwrite)
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
            for chunk in _chunks(sources, o.text_column, o.id_column, o.chunk_rows):
                n_chunks = chunk.index + 1
                marker = finished.get(chunk.index)
                if marker is None:
                    yield chunk
                elif marker["fingerprint"] != chunk.fingerprint:
                    raise BatchError(
                        f"the rows of chunk {chunk.index} (rows {chunk.index * o.chunk_rows + 1}-) differ from the ones "
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

        if ex.kind == "local":
            if total is not None:  # no pool to start for work that one process finishes alone
                left = total - summary.rows
                summary.workers = max(1, min(summary.workers, -(-left // o.chunk_rows)))
            run_local(to_do(), settings, summary.workers, on_result, scorer)
        else:
            summary.workers = run_ray(to_do(), settings, ex.workers, ex.address, on_result)
        summary.seconds = time.perf_counter() - started
        if not summary.rows and any(s.kind in ("jsonl", "lines") and has_text(s.path) for s in sources):
            # every non-blank line is a row, read or not; should a reader ever drop one, this run
            # must not end in "0 rows" and success
            raise BatchError(
                f"{', '.join(s.name for s in sources)}: no rows read from input that is not empty; "
                "this is a bug in tenor batch, please report it with the input."
            )
        summary.model_versions = ordered_versions(settings.model_versions, used)
        schema = output_schema(
            attrs,
            o.spans,
            scorer.model_version,
            nullable=settings.has_companions,
            model_versions=summary.model_versions,
        )
        staging.merge(n_chunks, fmt, schema, skipped_path(out))
    except BaseException:
        staging.close()
        raise
    staging.remove()
    summary.skipped_file = skipped_path(out) if summary.skipped else None
    return summary
