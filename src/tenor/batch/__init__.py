"""`tenor batch`: score millions of comments from files, resumably, on one machine or a Ray cluster.

    summary = run_batch(["comments.jsonl"], "scores.parquet", BatchOptions(attributes=["TOXICITY"]),
                        ExecutorOptions(workers=2))
    summary.rows, summary.scored, summary.skipped   # every row is scored or listed with its reason

Stages, one module each: `_inputs` (files -> numbered rows), `_work` (a chunk of rows -> a
Parquet part, the same on every executor), `_executors` (a local process pool, or Ray Data),
`_staging` (finished chunks kept beside OUT until the merge), `_run` (the whole, resumable).
"""

from __future__ import annotations

from ._executors import EXECUTORS, ExecutorOptions, default_workers
from ._inputs import STDIN, Row, input_kind
from ._run import (
    DEFAULT_CHUNK_ROWS,
    OUTPUT_FORMATS,
    STDOUT,
    BatchOptions,
    BatchSummary,
    check_stdio,
    run_batch,
    skipped_path,
)
from ._staging import staging_dir

__all__ = [
    "DEFAULT_CHUNK_ROWS", "EXECUTORS", "OUTPUT_FORMATS", "STDIN", "STDOUT", "BatchOptions", "BatchSummary",
    "ExecutorOptions", "Row", "check_stdio", "default_workers", "input_kind", "run_batch", "skipped_path", "staging_dir",
]  # fmt: skip
