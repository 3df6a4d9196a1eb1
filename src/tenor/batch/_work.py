"""The unit of work of both executors: one chunk of rows in, one Parquet part out.

A chunk is scored the same way wherever it runs (this process, a pool worker, a Ray actor), and
its part is made by the same code, so every executor and every worker count writes the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from .._artifact import models_dir
from .._attributes import MAX_TEXT_BYTES
from .._errors import BatchError, InputError
from .._scorer import Scorer, ScoreResult
from ..engines import Engine, companions, load_engine
from ._inputs import Row

__all__ = [
    "Chunk", "ChunkResult", "ChunkScorer", "ScoreSettings", "engine_source", "fingerprint", "ordered_versions",
    "output_schema", "worker_scorer",
]  # fmt: skip


def engine_source(engine: Engine) -> str | None:
    """Where a worker loads `engine` from: the version name of a model shipped in the package
    (found by name on every node), else the folder it was loaded from; None for an engine built
    in memory, which no worker can load."""
    path = engine.info.path
    if path is None:
        return None
    shipped = models_dir() / engine.info.version
    if path.resolve() == shipped.resolve():
        return engine.info.version
    return str(path)


@dataclass(frozen=True, slots=True)
class ScoreSettings:
    """What every worker needs to score as the driver does; picklable (it travels to spawned
    workers and Ray actors)."""

    engines: tuple[str | None, ...]  # the driver's engines, default first, as engine_source gives them
    model_versions: tuple[
        str, ...
    ]  # what the driver loaded (default first): a worker that loads anything else refuses to work
    attributes: tuple[str, ...]  # the output's attribute columns
    spans: bool
    languages: tuple[str, ...] | None
    # False: the model's own attributes, each row scored on those its language supports (a row
    # a companion engine scores may have TOXICITY and nulls); True: the attributes were named,
    # and a row in a language one of them does not support is skipped, as Perspective rejects it
    named_attributes: bool = True
    max_bytes: int = MAX_TEXT_BYTES

    @classmethod
    def of(
        cls,
        scorer: Scorer,
        attributes: tuple[str, ...],
        spans: bool,
        languages: Sequence[str] | None,
        *,
        named_attributes: bool,
    ) -> ScoreSettings:
        """The settings that rebuild `scorer` in a worker."""
        return cls(
            tuple(engine_source(engine) for engine in scorer.engines), scorer.model_versions, attributes, spans,
            tuple(languages) if languages else None, named_attributes=named_attributes, max_bytes=scorer.max_bytes,
        )  # fmt: skip

    @property
    def model_version(self) -> str:
        """The default engine's version (the output's `tenor.model_version`)."""
        return self.model_versions[0]

    @property
    def has_companions(self) -> bool:
        """Rows may be scored by an engine besides the default one, which may not score every
        attribute: the attribute columns are then nullable."""
        return len(self.engines) > 1


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


def output_schema(
    attributes: tuple[str, ...],
    spans: bool,
    model_version: str,
    *,
    nullable: bool = False,
    model_versions: tuple[str, ...] | None = None,
):
    """The output's columns. `nullable`: the run has companion engines, and a row one of them
    scored has TOXICITY (say) and nulls for the attributes it does not score (never a filler 0).
    `tenor.model_version` is the default engine's; `tenor.model_versions` every model that
    produced a row (set at the merge, when they are known)."""
    import pyarrow as pa

    fields = [pa.field("id", pa.string(), nullable=False)]
    fields += [pa.field(a, pa.float64(), nullable=nullable) for a in attributes]
    if spans:
        fields.append(pa.field("spans", pa.string(), nullable=False))
    fields += [
        pa.field("model_version", pa.string(), nullable=False),
        pa.field("text_sha256", pa.string(), nullable=False),
    ]
    metadata = {"tenor.model_version": model_version}
    if model_versions is not None:
        metadata["tenor.model_versions"] = ",".join(model_versions)
    return pa.schema(fields, metadata=metadata)


def ordered_versions(loaded: tuple[str, ...], used: set[str]) -> tuple[str, ...]:
    """The versions in `used`: those loaded in their order (default first), then any other sorted."""
    return tuple(v for v in loaded if v in used) + tuple(sorted(used - set(loaded)))


def _spans_json(result: ScoreResult) -> str:
    spans = {
        name: [{"begin": s.begin, "end": s.end, "score": s.score} for s in score.spans]
        for name, score in result.scores.items()
    }
    return json.dumps(spans, ensure_ascii=False, separators=(",", ":"))


def _skip(row: Row, reason: str, message: str) -> dict[str, str]:
    return {"id": row.id, "where": row.where, "reason": reason, "message": message}


def _check_runtimes(engines: Sequence[Engine]) -> None:
    """A companion engine whose runtime this worker lacks would skip every row in its languages
    (Scorer reports them unsupported): refuse to work instead, saying what to install."""
    kinds = {engine.info.kind for engine in engines[1:]}
    for companion in companions():
        if companion.kind in kinds and not companion.available():
            raise BatchError(
                f"this run scores other languages with the {companion.kind} tier, but this worker lacks its {companion.runtime}: "
                f"{companion.install_hint} on every node (or run with --no-multilingual)."
            )


def _load(source: str | None, version: str) -> Engine:
    if source is None:
        raise BatchError(
            f"this run's model {version} was built in memory, not loaded from a model folder, so a worker cannot "
            "load it: load the model from its folder, or run with one worker."
        )
    return load_engine(source)


def worker_scorer(settings: ScoreSettings, scorer: Scorer | None = None) -> Scorer:
    """A worker's scorer: the driver's `scorer`, or one loaded from the settings, every engine
    limited to one thread (a batch runs one worker per core; an engine that spread over every
    core would oversubscribe them, and scores are the same for any thread count). Engines load
    their runtimes lazily (a companion's on the first text in its languages), so a batch that
    never needs one never loads it."""
    if scorer is not None:
        return scorer.with_threads(1)
    engines = [
        _load(source, version).with_threads(1)
        for source, version in zip(settings.engines, settings.model_versions)
    ]
    _check_runtimes(engines)
    return Scorer.from_engines(engines, max_bytes=settings.max_bytes)


class ChunkScorer:
    """Loads the models once, then scores chunk after chunk."""

    def __init__(self, settings: ScoreSettings, scorer: Scorer | None = None) -> None:
        self.settings = settings
        self.scorer = worker_scorer(settings, scorer)
        if self.scorer.model_versions != settings.model_versions:
            raise BatchError(
                f"this worker loaded {' and '.join(self.scorer.model_versions)}, but the run uses "
                f"{' and '.join(settings.model_versions)}: install the same tenor version, models and extras on every node."
            )
        self.schema = output_schema(
            settings.attributes, settings.spans, settings.model_version, nullable=settings.has_companions
        )
        # what score_batch is asked for: None leaves each text the attributes its language supports
        self.request = settings.attributes if settings.named_attributes else None

    def _results(self, texts: list[str]) -> list[ScoreResult | Exception]:
        s = self.settings
        try:
            return list(
                self.scorer.score_batch(texts, attributes=self.request, spans=s.spans, languages=s.languages)
            )
        except Exception:  # noqa: BLE001 - one text that crashes the model must not sink its chunk
            out: list[ScoreResult | Exception] = []
            for text in texts:
                try:
                    out.extend(
                        self.scorer.score_batch(
                            [text], attributes=self.request, spans=s.spans, languages=s.languages
                        )
                    )
                except Exception as e:  # noqa: BLE001 - reported as a skipped row with its reason
                    out.append(e)
            return out

    def __call__(self, chunk: Chunk) -> ChunkResult:
        import pyarrow as pa
        import pyarrow.parquet as pq

        readable = [row for row in chunk.rows if row.error is None]
        results = dict(
            zip((id(row) for row in readable), self._results([row.text or "" for row in readable]))
        )
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
                skipped.append(
                    _skip(
                        row,
                        error.error_type if isinstance(error, InputError) else "INVALID_REQUEST",
                        str(error),
                    )
                )
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
        versions = ordered_versions(self.settings.model_versions, {str(v) for v in columns["model_version"]})
        return ChunkResult(
            chunk.index,
            chunk.fingerprint,
            sink.getvalue().to_pybytes(),
            len(chunk.rows),
            table.num_rows,
            tuple(skipped),
            versions,
        )
