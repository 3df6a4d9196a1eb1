"""The folder beside OUT where a run keeps finished chunks until all are done.

A chunk is finished when its marker exists: the part is written and renamed into place first,
then the marker, each atomically, so a run killed at any instant leaves either a finished chunk
or none (a stray part without its marker is scored again and overwritten). The same command run
again continues from the markers; `merge` then writes OUT from the parts in chunk order.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .._errors import BatchError
from ._work import ChunkResult

__all__ = ["ROW_GROUP_ROWS", "Staging", "staging_dir"]

ROW_GROUP_ROWS = 65_536  # OUT's row groups, the same whatever the chunk size or executor
_MANIFEST = "manifest.json"


def staging_dir(out: Path) -> Path:
    return out.with_name(out.name + ".tenor-batch")


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [key for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]


class Staging:
    """Open with the run's manifest; holds an exclusive lock until closed."""

    def __init__(
        self, out: Path, manifest: dict[str, Any], *, restart: bool = False, overwrite: bool = False
    ) -> None:
        self.out = out
        self.dir = staging_dir(out)
        self.chunks = self.dir / "chunks"
        existed = self.dir.exists()
        if not existed and out.exists() and not overwrite:
            raise BatchError(
                f"{out} already exists; pass --overwrite to replace it, or choose another --out."
            )
        self.dir.mkdir(parents=True, exist_ok=True)
        self._lock: BinaryIO = open(self.dir / "lock", "wb")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise BatchError(
                f"another tenor batch is writing {out} (it holds {self.dir / 'lock'}); wait for it or stop it."
            ) from None
        try:
            if existed and restart:
                shutil.rmtree(self.chunks, ignore_errors=True)
                (self.dir / _MANIFEST).unlink(missing_ok=True)
            self.resumed = self._check_manifest(manifest)
            self.chunks.mkdir(exist_ok=True)
            for stray in self.chunks.glob(".*.tmp"):  # a write that a kill interrupted
                stray.unlink()
        except BaseException:
            self.close()
            raise

    def _check_manifest(self, manifest: dict[str, Any]) -> bool:
        path = self.dir / _MANIFEST
        if not path.exists():
            _write_atomic(path, json.dumps(manifest, indent=2, sort_keys=True).encode())
            return False
        old = json.loads(path.read_text(encoding="utf-8"))
        changed = _differences(old, manifest)
        if changed:
            raise BatchError(
                f"{self.dir} holds a run of {self.out} started with other settings or inputs "
                f"(differs in: {', '.join(changed)}). Rerun with the same inputs and options to continue it, "
                "or pass --restart to discard its finished chunks."
            )
        return True

    def _marker(self, index: int) -> Path:
        return self.chunks / f"{index:09d}.json"

    def _part(self, index: int) -> Path:
        return self.chunks / f"{index:09d}.parquet"

    def finished(self) -> dict[int, dict[str, Any]]:
        """index -> marker of every finished chunk."""
        out = {}
        for path in self.chunks.glob("*.json"):
            if path.stem.isdigit() and self._part(int(path.stem)).exists():
                out[int(path.stem)] = json.loads(path.read_text(encoding="utf-8"))
        return out

    def commit(self, result: ChunkResult) -> dict[str, Any]:
        marker = {
            "fingerprint": result.fingerprint, "rows": result.rows, "scored": result.scored,
            "skipped": list(result.skipped), "model_versions": list(result.model_versions),
        }  # fmt: skip
        _write_atomic(self._part(result.index), result.part)
        _write_atomic(self._marker(result.index), json.dumps(marker, ensure_ascii=False).encode("utf-8"))
        return marker

    def _tables(self, n_chunks: int) -> Iterator[Any]:
        import pyarrow.parquet as pq

        for index in range(n_chunks):
            yield pq.read_table(self._part(index))

    def merge(self, n_chunks: int, fmt: str, schema: Any, skipped_path: Path) -> None:
        """Write OUT (and the skipped-rows list) from the finished chunks, atomically."""
        missing = [i for i in range(n_chunks) if not self._marker(i).exists() or not self._part(i).exists()]
        if missing:
            raise BatchError(f"chunks {missing[:5]} of {self.out} are not finished; rerun the same command.")
        tmp = self.out.with_name(f".{self.out.name}.{os.getpid()}.tmp")
        if fmt == "parquet":
            self._merge_parquet(n_chunks, schema, tmp)
        else:
            self._merge_jsonl(n_chunks, tmp)
        os.replace(tmp, self.out)
        skipped = [
            entry
            for i in range(n_chunks)
            for entry in json.loads(self._marker(i).read_text(encoding="utf-8"))["skipped"]
        ]
        if skipped:
            lines = "".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n" for e in skipped)
            _write_atomic(skipped_path, lines.encode("utf-8"))
        else:
            skipped_path.unlink(missing_ok=True)
        _fsync_dir(self.out.parent)

    def _merge_parquet(self, n_chunks: int, schema: Any, tmp: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pending: list[Any] = []
        held = 0
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            for table in self._tables(n_chunks):
                pending.append(table)
                held += table.num_rows
                while held >= ROW_GROUP_ROWS:
                    whole = pa.concat_tables(pending)
                    writer.write_table(whole.slice(0, ROW_GROUP_ROWS), row_group_size=ROW_GROUP_ROWS)
                    rest = whole.slice(ROW_GROUP_ROWS)
                    pending, held = [rest], rest.num_rows
            if held or not n_chunks:
                writer.write_table(
                    pa.concat_tables(pending) if pending else schema.empty_table(),
                    row_group_size=ROW_GROUP_ROWS,
                )
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())

    def _merge_jsonl(self, n_chunks: int, tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            for table in self._tables(n_chunks):
                for record in table.to_pylist():
                    if "spans" in record:
                        record["spans"] = json.loads(record["spans"])
                    f.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
            f.flush()
            os.fsync(f.fileno())

    def remove(self) -> None:
        """After a successful merge: the finished chunks have served their purpose."""
        self.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def close(self) -> None:
        if not self._lock.closed:
            self._lock.close()
