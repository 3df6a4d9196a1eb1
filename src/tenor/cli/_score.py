"""`tenor score`: score comments from an argument, a file or stdin."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

import click

from .._errors import UnknownAttributeError
from .._language import primary_subtag
from .._scorer import Scorer, ScoreResult
from ._input import Item, check_text, read_items
from ._output import Outcome, TableWriter, json_line

__all__ = ["CHUNK", "multilingual_options", "score"]

CHUNK = 256  # texts per Scorer.score_batch call: big enough to amortise, small enough to stream
F = TypeVar("F", bound=Callable[..., Any])


def _load_scorer(model: str | None, multilingual: str | bool | None = None) -> Scorer:
    """The only place the CLI builds a Scorer; tests replace it to inject a tiny model.
    `multilingual`: None attaches the shipped multilingual tier when its encoder is installed,
    False keeps to English, a name or folder attaches that tier (tenor.Scorer)."""
    return Scorer(model, multilingual=multilingual)


def multilingual_options(command: F) -> F:
    """--no-multilingual and --multilingual-model, for every command that scores comments."""
    command = click.option(
        "--multilingual-model", metavar="NAME_OR_PATH", default=None,
        help="The multilingual tier that scores comments in other languages: a shipped version or a folder from "
             "`tenor train --multilingual` [default: the shipped tier, when the `multilingual` extra is installed].",
    )(command)  # fmt: skip
    return click.option(
        "--no-multilingual", is_flag=True,
        help="English only, as before the multilingual tier: a comment confidently detected as another language is not scored.",
    )(command)  # fmt: skip


def _multilingual(no_multilingual: bool, multilingual_model: str | None) -> str | bool | None:
    """The Scorer's `multilingual` argument for the two flags."""
    if no_multilingual and multilingual_model is not None:
        raise click.UsageError("--no-multilingual and --multilingual-model contradict each other: give one.")
    return False if no_multilingual else multilingual_model


def _support(scorer: Scorer) -> str:
    """Which model scores which languages, for a usage error."""
    default = scorer.default_engine.info
    parts = [f"model {default.version} supports {', '.join(default.all_languages)}"]
    for engine in scorer.engines[1:]:
        info = engine.info
        extra = [lang for lang in info.all_languages if lang not in default.all_languages]
        only = (
            "" if set(info.attributes) >= set(scorer.attributes) else f" ({', '.join(info.attributes)} only)"
        )
        parts.append(f"{info.version} supports {', '.join(extra)}{only}")
    return "; ".join(parts)


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _attributes(scorer: Scorer, value: str | None) -> tuple[str, ...]:
    if value is None:
        return scorer.attributes
    names = _split(value)
    if not names:
        raise click.BadParameter(
            "give at least one attribute, e.g. TOXICITY,INSULT.", param_hint="--attributes"
        )
    try:
        return scorer.resolve_attributes(names)
    except UnknownAttributeError as e:
        if e.attribute in scorer.unsupported:
            raise click.BadParameter(
                f"{e.attribute} is a Perspective attribute that model {scorer.model_version} does not score; "
                f"it scores: {', '.join(scorer.attributes)}.",
                param_hint="--attributes",
            ) from None
        raise click.BadParameter(str(e), param_hint="--attributes") from None


def _languages(scorer: Scorer, value: str | None) -> list[str] | None:
    if value is None:
        return None
    codes = _split(value)
    unsupported = [c for c in codes if primary_subtag(c) not in scorer.languages]
    if not codes or unsupported:
        raise click.BadParameter(
            f"{', '.join(unsupported) or 'nothing given'}: {_support(scorer)}.", param_hint="--languages"
        )
    return codes


def _items(text: str | None, file: str | None) -> Iterator[Item]:
    if text is not None:
        bad = check_text(text, "TEXT")
        yield Item(1, None, bad) if bad is not None else Item(1, text)
        return
    if file is not None and file != "-":
        with open(file, "rb") as stream:
            yield from read_items(stream)
        return
    yield from read_items(sys.stdin.buffer)


def _score_chunk(
    scorer: Scorer,
    chunk: Sequence[Item],
    attributes: Sequence[str] | None,
    spans: bool,
    languages: Sequence[str] | None,
) -> list[Outcome]:
    """`attributes` None: what each text's model scores in its language (the multilingual tier:
    TOXICITY); named attributes must all support a text's language, else that line fails."""
    readable = [item for item in chunk if item.error is None]
    texts = [item.text or "" for item in readable]
    results: list[ScoreResult | Exception] = []
    try:
        results.extend(
            scorer.score_batch(
                texts, attributes=attributes, spans=spans, sentence_scores=spans, languages=languages
            )
        )
    except Exception:  # noqa: BLE001 - one text that crashes the model must not sink the other 255
        for text in texts:
            try:
                results.extend(
                    scorer.score_batch(
                        [text], attributes=attributes, spans=spans, sentence_scores=spans, languages=languages
                    )
                )
            except Exception as e:  # noqa: BLE001 - reported on its own line, like Perspective's 500
                results.append(e)
    by_line = dict(zip((item.line for item in readable), results))
    out = []
    for item in chunk:
        if item.error is not None:
            out.append(Outcome(item.line, item.text, error=item.error, input_id=item.input_id))
            continue
        result = by_line[item.line]
        if isinstance(result, Exception):
            out.append(Outcome(item.line, item.text, error=result, input_id=item.input_id))
        else:
            out.append(Outcome(item.line, item.text, result, result.error, item.client_token, item.input_id))
    return out


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@click.command()
@click.argument("text", required=False)
@click.option(
    "--file",
    "-f",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help='Read texts from this file, one per line (or JSONL with a "text" field); - for stdin.',
)
@click.option(
    "--attributes",
    "-a",
    metavar="A,B",
    help="Attributes to score, comma-separated [default: all the model scores].",
)
@click.option(
    "--spans", is_flag=True, help="Also score each sentence and mark the words that carry the score."
)
@click.option(
    "--languages", "-l", metavar="xx,yy", help="The texts' language(s), e.g. en [default: detected per text]."
)
@click.option(
    "--model", "-m", metavar="NAME_OR_PATH", help="A shipped model version or a folder from `tenor train`."
)
@multilingual_options
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print one Perspective API response (or error) per input line, with the input\'s "id" (JSONL) '
    'or line number as "id" and its "line".',
)
def score(
    text: str | None,
    file: str | None,
    attributes: str | None,
    spans: bool,
    languages: str | None,
    model: str | None,
    no_multilingual: bool,
    multilingual_model: str | None,
    as_json: bool,
) -> None:
    """Score TEXT, the lines of --file, or the lines of stdin.

    Input lines are plain text, or JSON objects with a "text" field (detected from the first
    lines; an optional "clientToken" is echoed with --json). Blank lines are skipped. A line
    that cannot be scored is reported on its own row and the others are still scored.

    Comments in English go to the English model; in es, fr, it, pt, ru or tr to the multilingual
    tier (when the `multilingual` extra is installed), which scores TOXICITY only: its rows leave
    the other attributes empty (without --attributes) and carry the tier's model version.

    \b
    Exit status:
      0  every input was scored
      1  at least one input could not be scored, or the model could not be loaded
      2  bad usage (unknown option, attribute or language)
    """
    if text is not None and file is not None:
        raise click.UsageError("give TEXT or --file, not both.")
    if text is None and file is None and (sys.stdin is None or _stdin_is_tty()):
        raise click.UsageError("give TEXT, --file PATH, or pipe texts to stdin.")
    scorer = _load_scorer(model, multilingual=_multilingual(no_multilingual, multilingual_model))
    attrs = _attributes(scorer, attributes)
    named = attrs if attributes is not None else None
    langs = _languages(scorer, languages)
    table = None if as_json else TableWriter(
        attrs, scorer.thresholds, scorer.languages, spans=spans,
        by_model=scorer.thresholds_by_model, attribute_languages=scorer.attribute_languages,
    )  # fmt: skip
    if table is not None:
        click.echo(table.header())
    total = failed = 0
    for chunk in _chunks(_items(text, file), CHUNK):
        lines = []
        for outcome in _score_chunk(scorer, chunk, named, spans, langs):
            total += 1
            failed += not outcome.ok
            lines.extend([json_line(outcome, attrs, spans)] if table is None else table.rows(outcome))
        click.echo("\n".join(lines))
        sys.stdout.flush()
    if total == 0:
        click.echo("warning: no input lines to score.", err=True)
    if failed:
        click.echo(f"error: {failed} of {total} inputs could not be scored; see their lines.", err=True)
        click.get_current_context().exit(1)


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin.isatty()
    except ValueError:  # a closed stdin cannot be read either; reading reports it
        return False
