"""The unit of work of both engines: one chunk of rows in, one Parquet part out.

A chunk is scored the same way wherever it runs (this process, a pool worker, a Ray actor), and
its part is made by the same code, so every engine and every worker count writes the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from .._errors import BatchError, InputError
from .._scorer import Scorer, ScoreResult
from ._inputs import Row

__all__ = ["Chunk", "ChunkResult", "ChunkScorer", "ScoreSettings", "fingerprint", "output_schema"]


@dataclass(frozen=True, slots=True)
class ScoreSettings:
    model: str | None  # a shipped version or a model folder, as every worker must load it
    model_version: str  # what the driver loaded: a worker that loads anything else refuses to work
    attributes: tuple[str, ...]
    spans: bool
    languages: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Chunk:
    index: int
    rows: tuple[Row, ...]
    fingerprint: str


@dataclass(frozen=True, slots=True)
class ChunkResult:
    index: int
    fingerprint: str
    part: bytes  # a Parquet file holding the chunk's scored rows, in input order
    rows: int  # rows in the chunk, scored or not
    scored: int
    skipped: tuple[dict[str, str], ...]  # {"id", "where", "reason", "message"} for every row not scored


def fingerprint(rows: tuple[Row, ...]) -> str:
    """What a chunk was made of: a resumed run checks that its input still says the same."""
    digest = hashlib.sha256()
    for row in rows:
        for part in (row.id, row.text if row.text is not None else "\x00" + (row.error or "")):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
    return digest.hexdigest()


def output_schema(attributes: tuple[str, ...], spans: bool, model_version: str):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    fields = [pa.field("id", pa.string(), nullable=False)]
    fields += [pa.field(a, pa.float64(), nullable=False) for a in attributes]
    if spans:
        fields.append(pa.field("spans", pa.string(), nullable=False))
    fields += [pa.field("model_version", pa.string(), nullable=False), pa.field("text_sha256", pa.string(), nullable=False)]
    return pa.schema(fields, metadata={"tenor.model_version": model_version})


def _spans_json(result: ScoreResult) -> str:
    spans = {
        name: [{"begin": s.begin, "end": s.end, "score": s.score} for s in score.spans]
        for name, score in result.scores.items()
    }
    return json.dumps(spans, ensure_ascii=False, separators=(",", ":"))


def _skip(row: Row, reason: str, message: str) -> dict[str, str]:
    return {"id": row.id, "where": row.where, "reason": reason, "message": message}


class ChunkScorer:
    """Loads the model once, then scores chunk after chunk."""

    def __init__(self, settings: ScoreSettings, scorer: Scorer | None = None) -> None:
        self.settings = settings
        self.scorer = scorer or Scorer(settings.model)
        if self.scorer.model_version != settings.model_version:
            raise BatchError(
                f"this worker loaded model {self.scorer.model_version}, but the run uses {settings.model_version}: "
                "install the same tenor version and model on every node."
            )
        self.schema = output_schema(settings.attributes, settings.spans, settings.model_version)

    def _results(self, texts: list[str]) -> list[ScoreResult | Exception]:
        s = self.settings
        try:
            return list(self.scorer.score_batch(texts, attributes=s.attributes, spans=s.spans, languages=s.languages))
        except Exception:  # noqa: BLE001 - one text that crashes the model must not sink its chunk
            out: list[ScoreResult | Exception] = []
            for text in texts:
                try:
                    out.extend(self.scorer.score_batch([text], attributes=s.attributes, spans=s.spans, languages=s.languages))
                except Exception as e:  # noqa: BLE001 - reported as a skipped row with its reason
                    out.append(e)
            return out

    def __call__(self, chunk: Chunk) -> ChunkResult:
        import pyarrow as pa
        import pyarrow.parquet as pq

        readable = [row for row in chunk.rows if row.error is None]
        results = dict(zip((id(row) for row in readable), self._results([row.text or "" for row in readable])))
        columns: dict[str, list[object]] = {name: [] for name in self.schema.names}
        skipped = []
        for row in chunk.rows:
            if row.error is not None:
                skipped.append(_skip(row, "UNREADABLE_ROW", row.error))
                continue
            result = results[id(row)]
            if isinstance(result, Exception):
                skipped.append(_skip(row, "SCORING_FAILED", f"{type(result).__name__}: {result}"))
                continue
            if result.error is not None:
                error = result.error
                skipped.append(_skip(row, error.error_type if isinstance(error, InputError) else "INVALID_REQUEST", str(error)))
                continue
            columns["id"].append(row.id)
            for name in self.settings.attributes:
                columns[name].append(result[name])
            if self.settings.spans:
                columns["spans"].append(_spans_json(result))
            columns["model_version"].append(result.model_version)
            columns["text_sha256"].append(hashlib.sha256((row.text or "").encode("utf-8")).hexdigest())
        table = pa.table(columns, schema=self.schema)
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        return ChunkResult(chunk.index, chunk.fingerprint, sink.getvalue().to_pybytes(), len(chunk.rows), table.num_rows, tuple(skipped))
