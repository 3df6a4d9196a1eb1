"""A real `tenor batch` run killed with SIGKILL part-way, twice, then run again to the end:
no row lost, none duplicated, and the output is byte-identical to an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pq = pytest.importorskip("pyarrow.parquet", reason="tenor batch needs the batch extra: pip install 'tenor[batch]'")

from tenor.batch import BatchOptions, ExecutorOptions, run_batch, skipped_path, staging_dir

TEXTS = [
    "You are a complete idiot and everyone knows it.",
    "Great article, thanks for the careful reporting.",
    "Shut up, you stupid troll. Nobody cares.",
    "I will find you and hurt you.",
]
ROWS, CHUNK = 6000, 100


def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(c) for t in tasks for c in (t / "children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError):
        return []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _finished_chunks(out: Path) -> int:
    return len(list((staging_dir(out) / "chunks").glob("*.json"))) if (staging_dir(out) / "chunks").exists() else 0


def _command(source: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "tenor", "batch", str(source), "--out", str(out), "--workers", "2",
            "--chunk-rows", str(CHUNK), "-a", "TOXICITY,INSULT", "--spans", "-q"]  # fmt: skip


def _kill_after(source: Path, out: Path, chunks: int) -> None:
    """Start the run, SIGKILL its driver (only the driver: its workers must go on their own) once
    `chunks` chunks are finished, and check that nothing of it survives."""
    process = subprocess.Popen(_command(source, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _finished_chunks(out) < chunks:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.02)
    workers = _children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()  # type: ignore[union-attr]
    assert process.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 30
    while any(_alive(w) for w in workers):
        assert time.monotonic() < deadline, "pool workers outlived their killed driver"
        time.sleep(0.1)


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to follow the worker processes")
def test_sigkill_part_way_then_resume_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    source = tmp_path / "comments.jsonl"
    lines = [json.dumps({"id": f"c{i}", "text": f"{TEXTS[i % 4]} #{i}"}) for i in range(ROWS)]
    lines[17] = json.dumps({"id": "c17", "text": ""})  # one skipped row, listed once
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reference = tmp_path / "reference.parquet"
    run_batch([str(source)], reference, BatchOptions(attributes=["TOXICITY", "INSULT"], spans=True, chunk_rows=CHUNK), ExecutorOptions(workers=1))

    out = tmp_path / "scores.parquet"
    _kill_after(source, out, chunks=8)
    first = _finished_chunks(out)
    assert not out.exists() and 8 <= first < ROWS // CHUNK
    _kill_after(source, out, chunks=first + 15)  # the second run resumes, and is killed in turn
    assert not out.exists() and _finished_chunks(out) < ROWS // CHUNK

    finished = subprocess.run(_command(source, out), check=False, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert "resumed:" in finished.stderr and f"{ROWS:,} rows: {ROWS - 1:,} scored, 1 skipped" in finished.stderr
    ids = pq.read_table(out, columns=["id"]).column("id").to_pylist()
    assert len(ids) == len(set(ids)) == ROWS - 1  # 0 lost, 0 duplicated
    assert ids == [f"c{i}" for i in range(ROWS) if i != 17]
    assert out.read_bytes() == reference.read_bytes()
    assert skipped_path(out).read_bytes() == skipped_path(reference).read_bytes()
    assert not staging_dir(out).exists()
    assert sorted(os.listdir(tmp_path)) == sorted([
        "comments.jsonl", "reference.parquet", "reference.parquet.skipped.jsonl", "scores.parquet", "scores.parquet.skipped.jsonl",
    ])  # fmt: skip
