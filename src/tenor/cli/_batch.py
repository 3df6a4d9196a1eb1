"""`tenor batch`: files of comments in, one scored row per comment out (a thin shell over tenor.batch)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from . import _score
from ._extras import requires_extra
from ._progress import progress
from ._score import _attributes, _languages, _multilingual, multilingual_options

__all__ = ["batch"]

_BATCH_EXTRAS = frozenset({"pyarrow"})
_RAY_EXTRAS = frozenset({"ray"})
_REASONS = {
    "COMMENT_EMPTY": "empty text",
    "COMMENT_TOO_LONG": "text over the size limit",
    "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE": "language not supported",
    "UNREADABLE_ROW": "unreadable row",
    "SCORING_FAILED": "scoring failed",
}


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return (
        f"{hours}h{minutes:02d}m{secs:02d}s"
        if hours
        else f"{minutes}m{secs:02d}s"
        if minutes
        else f"{seconds:.1f}s"
    )


@contextmanager
def _interrupted(out: str, from_stdin: bool) -> Iterator[None]:
    try:
        yield
    except KeyboardInterrupt:
        if out == "-":
            message = "nothing was written: a run that writes to stdout keeps no chunks; run it again from the start."
        elif from_stdin:
            message = (
                f"the finished chunks are kept; pipe the same input into the same command to continue {out}."
            )
        else:
            message = f"the finished chunks are kept; run the same command again to continue {out}."
        click.echo(f"\ninterrupted: {message}", err=True)
        raise SystemExit(130) from None


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin.isatty()
    except ValueError:  # a closed stdin cannot be read either; reading reports it
        return False


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    "-o",
    required=True,
    help="The output file: Parquet, or JSONL when it ends in .jsonl (or --format); - for JSONL on stdout.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet", "jsonl"]),
    default=None,
    help="Output format [default: from --out's suffix, else parquet].",
)
@click.option(
    "--text-column", default="text", show_default=True, help="The field or column that holds the comment."
)
@click.option(
    "--id-column",
    default=None,
    help='The field or column that holds each row\'s id [default: "id" where present, else the row number].',
)
@click.option(
    "-a", "--attributes", default=None, help="Comma-separated attributes [default: all the model scores]."
)
@click.option("--spans", is_flag=True, help="Add a `spans` column: the words that carry each score, as JSON.")
@click.option(
    "--languages", default=None, help="Skip language detection: score every row as these languages (e.g. en)."
)
@click.option("--model", default=None, help="A model version or folder [default: the shipped model].")
@multilingual_options
@click.option(
    "--pages",
    is_flag=True,
    help="Read every input as page files (tenor analyze's readers), one row per comment.",
)
@click.option(
    "--engine",
    "executor",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Score on this machine's cores, or on Ray.",
)
@click.option(
    "--address",
    default=None,
    help="With --engine ray: the cluster to join (auto, ray://head:10001) [default: start Ray here].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes or Ray actors [default: one per core].",
)
@click.option(
    "--chunk-rows",
    type=click.IntRange(min=1),
    default=None,
    help="Rows per unit of work, the most a kill can cost [default: 2048].",
)
@click.option(
    "--restart",
    is_flag=True,
    help="Discard the finished chunks of an earlier, interrupted run of OUT and start over (not with --out -).",
)
@click.option("--overwrite", is_flag=True, help="Replace OUT if it exists (not with --out -).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def batch(
    inputs: tuple[str, ...],
    out: str,
    fmt: str | None,
    text_column: str,
    id_column: str | None,
    attributes: str | None,
    spans: bool,
    languages: str | None,
    model: str | None,
    no_multilingual: bool,
    multilingual_model: str | None,
    pages: bool,
    executor: str,
    address: str | None,
    workers: int | None,
    chunk_rows: int | None,
    restart: bool,
    overwrite: bool,
    quiet: bool,
) -> None:
    """Score every comment in INPUTS (JSONL, CSV, Parquet, optionally gzipped; page files; directories
    and globs of them) into OUT, one row per comment: id, one column per attribute, model_version,
    text_sha256. Killed at any point, the same command continues where it stopped.

    Rows that cannot be scored (empty, too long, unreadable) are counted in the summary and listed
    with their reason in OUT.skipped.jsonl; they do not change the exit status.

    Rows in es, fr, it, pt, ru or tr are scored by the multilingual tier (when the `multilingual`
    extra is installed): TOXICITY only, the other attribute columns null, and the tier's
    model_version.

    INPUTS "-" (alone) reads stdin: JSONL when its first non-blank line is a JSON object, CSV,
    HTML, Disqus XML or WARC when it starts as one (any page file with --pages), else one comment
    per line. Killed, it continues when the same input is piped into the same command again.
    --out - writes JSONL to stdout when every row is done, and lists the skipped rows on stderr
    with the summary and progress; it keeps nothing on disk and cannot be resumed.
    """
    from ..batch import DEFAULT_CHUNK_ROWS, BatchOptions, ExecutorOptions, check_stdio

    if address is not None and executor != "ray":
        raise click.UsageError("--address needs --engine ray.")
    # before the model loads: a combination of "-" and options that cannot work fails at once
    check_stdio(inputs, out, BatchOptions(format=fmt, restart=restart, overwrite=overwrite))
    if "-" in inputs and (sys.stdin is None or _stdin_is_tty()):
        raise click.UsageError(
            "- reads the comments from stdin, which is a terminal (or closed): pipe them in (… | tenor batch - ...)."
        )
    setting = _multilingual(no_multilingual, multilingual_model)
    scorer = _score._load_scorer(
        model, multilingual=setting
    )  # looked up at call time: tests inject a model there
    # None: the model's attributes, each row scored on those its language supports
    attrs = _attributes(scorer, attributes) if attributes is not None else None
    langs = _languages(scorer, languages)
    with (
        requires_extra("batch", _BATCH_EXTRAS, "tenor batch"),
        requires_extra("ray", _RAY_EXTRAS, "tenor batch --engine ray"),
    ):
        import pyarrow  # noqa: F401  (chunks are Arrow tables: missing, say so before the display starts)

        from ..batch import run_batch

        options = BatchOptions(
            text_column=text_column, id_column=id_column, attributes=attrs, spans=spans, languages=langs, model=model,
            multilingual=setting, format=fmt, pages=pages, chunk_rows=chunk_rows or DEFAULT_CHUNK_ROWS, restart=restart,
            overwrite=overwrite,
        )  # fmt: skip
        where = ExecutorOptions(executor, workers=workers, address=address)
        with progress("scoring", "rows", quiet=quiet) as update, _interrupted(out, "-" in inputs):
            # "-": run_batch reads sys.stdin and writes sys.stdout as they are at the call
            summary = run_batch(inputs, out, options, where, scorer=scorer, progress=update)
    for entry in summary.skipped_rows:  # --out -: no OUT.skipped.jsonl, so they are listed here
        click.echo(f"skipped {json.dumps(entry, ensure_ascii=False, separators=(',', ':'))}", err=True)
    done_now = summary.rows - summary.resumed_rows
    click.echo(
        f"{summary.rows:,} rows: {summary.scored:,} scored, {sum(summary.skipped.values()):,} skipped; "
        f"{done_now:,} this run in {_duration(summary.seconds)} ({summary.rate:,.0f} rows/s, "
        f"{summary.executor}, {summary.workers} worker{'s' if summary.workers != 1 else ''})",
        err=True,
    )
    if summary.resumed_rows:
        click.echo(f"resumed: {summary.resumed_rows:,} rows were finished by an earlier run", err=True)
    for reason, count in sorted(summary.skipped.items()):
        click.echo(f"skipped {count:,}: {_REASONS.get(reason, reason)} ({reason})", err=True)
    if summary.skipped_file is not None:
        click.echo(f"skipped rows and reasons: {summary.skipped_file}", err=True)
    versions = summary.model_versions or (summary.model_version,)
    models = f"model{'s' if len(versions) > 1 else ''} {', '.join(versions)}"
    written = "stdout" if str(summary.out) == "-" else summary.out
    click.echo(f"wrote {written} ({summary.format}, {models})", err=True)
