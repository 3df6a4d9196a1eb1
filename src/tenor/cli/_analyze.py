"""`tenor analyze`: page files in, one scored thread per page out (a thin shell over tenor.analyze)."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .._errors import MissingDependencyError, PageFormatError, TenorError
from ..store import SuggestionStore
from . import _score
from ._progress import progress
from ._score import _attributes, _languages, _multilingual, multilingual_options

if TYPE_CHECKING:
    from ..analyze._score import TechniqueFinder

__all__ = ["analyze"]

_ANALYZE_EXTRAS = frozenset({"selectolax", "trafilatura", "warcio", "defusedxml"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # terminal escapes have no place in a summary line


def _clean(text: str | None, width: int | None = 70) -> str:
    """One line, no terminal escapes; cut to `width` (None: whole, as warnings are)."""
    text = _CONTROL.sub(" ", (text or "").replace("\n", " "))
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def _load_techniques(model: str | None) -> TechniqueFinder:
    """The only place the CLI loads the technique model; tests replace it to inject a fake."""
    from ..techniques import load_technique_model

    return load_technique_model() if model is None else load_technique_model(model)


def _techniques_line(found: dict | None) -> str | None:
    from ..techniques import TECHNIQUE_LABELS

    if found is None:
        return None
    head = f"  techniques ({_clean(found['model_version'], 40)}):"
    labelled = sum(bool(p["techniques"]) for p in found["paragraphs"])
    if not found["spans"] and not labelled:
        return f"{head} none found in the article"
    counts = Counter(s["technique"] for s in found["spans"])
    listed = ", ".join(f"{TECHNIQUE_LABELS.get(t, t)} ×{n}" for t, n in counts.most_common(6)) or "no spans"
    more = f", {len(counts) - 6} more" if len(counts) > 6 else ""
    return (
        f"{head} {_clean(listed + more, 160)}; {labelled} of {len(found['paragraphs'])} paragraphs labelled"
    )


def _summary(data: dict) -> None:
    click.echo(
        f"{data['source']}  [{data['format']}]  {_clean(data['title']) or '(no title)'}  {data['dateline'] or ''}"
    )
    n = len(data["comments"])
    replies = sum(c["parent"] is not None for c in data["comments"])
    click.echo(
        f"  {len(data['article']['paragraphs'])} article paragraphs, {n} comments ({replies} replies), {len(data['needs_review'])} need review"
    )
    by_model = Counter(c["model_version"] for c in data["comments"] if c.get("model_version"))
    if set(by_model) - {data["model_version"]}:  # some comments were scored by the multilingual tier
        counts = ", ".join(
            f"{_clean(v, 40)} {n}"
            for v, n in sorted(by_model.items(), key=lambda kv: kv[0] != data["model_version"])
        )
        click.echo(f"  comments scored by model: {counts}")
    unchecked = data.get("not_checked") or {}
    if unchecked:
        listed = ", ".join(f"{_clean(lang, 20)} {n}" for lang, n in unchecked.items())
        total = sum(unchecked.values())
        click.echo(
            f"  {total} comment{'' if total == 1 else 's'} not checked (language: {listed}): no installed model scores "
            "that language; `--languages en` scores them as English anyway"
        )
    techniques = _techniques_line(data["techniques"])
    if techniques:
        click.echo(techniques)
    for w in data["warnings"]:
        click.echo(f"  warning: {_clean(w, None)}")  # never cut: the end often says what to do
    by_id = {c["id"]: c for c in data["comments"]}
    for item in data["needs_review"][:10]:
        c = by_id[item["id"]]
        click.echo(
            f"  {item['attribute']:16} {item['score']:.2f}  {item['id']:>6}  {_clean(c['author'], 16) or '(anonymous)':16}  {_clean(c['text'], 60)}"
        )


def _count(totals: Counter[str], data: dict) -> None:
    totals["pages"] += 1
    totals["comments"] += len(data["comments"])
    totals["need review"] += len(data["needs_review"])
    totals["not checked"] += sum((data.get("not_checked") or {}).values())
    totals["warnings"] += len(data["warnings"])


def _totals_line(totals: Counter[str], files: int, failed: int) -> str:
    """The last line of a run over many files: what it read and found, in all."""
    return (
        f"{files} file{'' if files == 1 else 's'} ({failed} unreadable): {totals['pages']} pages, "
        f"{totals['comments']} comments, {totals['need review']} need review, "
        f"{totals['not checked']} not checked, {totals['warnings']} warnings"
    )


def _stdin_pages(fmt: str | None) -> list:
    from ..analyze import MAX_FILE_BYTES, parse_pages
    from ..analyze._detect import detect_format

    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise PageFormatError(
            "<stdin>", f"is over the {MAX_FILE_BYTES:,}-byte limit for one page; split it first"
        )
    if not data.strip():
        raise PageFormatError(
            "<stdin>", "is empty: pipe a page (raw dump, HTML, Disqus XML, WARC, JSONL or CSV)"
        )
    return parse_pages(data, "<stdin>", fmt or detect_format("stdin", data[:65536]))


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["raw", "html", "disqus", "warc", "jsonl", "csv"]),
    default=None,
    help="Read every input as this format [default: detected per file].",
)
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per page per line (docs/analyze.schema.json)."
)
@click.option(
    "-a", "--attributes", default=None, help="Comma-separated attributes [default: all the model scores]."
)
@click.option(
    "--languages", default=None, help="Skip language detection: score comments as these languages (e.g. en)."
)
@click.option("--model", default=None, help="A model version or folder [default: the shipped model].")
@multilingual_options
@click.option("--no-techniques", is_flag=True, help="Do not look for persuasion techniques in the article.")
@click.option(
    "--techniques-model",
    default=None,
    metavar="TEXT",
    help="A technique model version or folder [default: the shipped technique model].",
)
@click.option(
    "--db",
    default="tenor.db",
    show_default=True,
    help="Store every analyzed page here, the database `tenor serve --db` uses (SQLite file or postgresql:// URL); "
    "a page analyzed again is updated, not added twice.",
)
@click.option("--no-store", is_flag=True, help="Do not write the results to the database.")
@click.option(
    "--community",
    default="default",
    show_default=True,
    help="The community the pages belong to in the database (the review UI's thresholds are per community).",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write a self-contained HTML report of every page (no scripts, no external assets).",
)
def analyze(
    inputs: tuple[str, ...],
    fmt: str | None,
    as_json: bool,
    attributes: str | None,
    languages: str | None,
    model: str | None,
    no_multilingual: bool,
    multilingual_model: str | None,
    no_techniques: bool,
    techniques_model: str | None,
    db: str,
    no_store: bool,
    community: str,
    report: Path | None,
) -> None:
    """Read page files (raw text dump, HTML, Disqus XML, WARC, JSONL, CSV; files, directories or
    globs), rebuild each thread, score every comment and list the ones that need review, and find
    the persuasion techniques in each article.

    Comments in es, fr, it, pt, ru or tr are scored by the multilingual tier (when the
    `multilingual` extra is installed): TOXICITY only, each comment with its model version."""
    from ..analyze import analyze_page, analyzed_to_dict, expand_inputs, read_pages

    if no_techniques and techniques_model is not None:
        raise click.UsageError("--no-techniques and --techniques-model contradict each other: give one.")
    # looked up at call time: tests inject a tiny model there
    scorer = _score._load_scorer(model, multilingual=_multilingual(no_multilingual, multilingual_model))
    # loaded before any file is read: a missing technique model is an error now, not after an hour of pages
    finder = None if no_techniques else _load_techniques(techniques_model)
    # None: every attribute each comment's model scores in its language (a Spanish comment: TOXICITY)
    attrs = list(_attributes(scorer, attributes)) if attributes is not None else None
    langs = _languages(scorer, languages)
    # "-": the page comes on stdin (read once, format detected from its bytes, named "<stdin>")
    named = [item for item in inputs if item != "-"]
    files: list[Path | None] = [None] if "-" in inputs else []
    files += expand_inputs(named) if named else []
    store = None if no_store else SuggestionStore(db)
    failed = 0
    reported: list[dict] = []
    totals: Counter[str] = Counter()
    try:
        with progress("analyzing", "files", total=len(files), quiet=len(files) < 2) as update:
            for done, path in enumerate(files):
                if update is not None:
                    update(done, len(files))
                try:
                    pages = read_pages(path, fmt) if path is not None else _stdin_pages(fmt)
                except MissingDependencyError as e:  # every page of its kind would fail alike: stop
                    raise click.ClickException(str(e)) from None
                except ModuleNotFoundError as e:
                    if (e.name or "").split(".")[0] in _ANALYZE_EXTRAS:
                        raise click.ClickException(
                            f"reading {path} needs {e.name}: pip install 'tenor[analyze]'"
                        ) from None
                    raise
                except (TenorError, OSError) as e:
                    failed += 1
                    click.echo(f"\nerror: {e}", err=True)
                    continue
                for page in pages:
                    data = analyzed_to_dict(analyze_page(page, scorer, attrs, langs, techniques=finder))
                    _count(totals, data)
                    if store is not None:
                        store.add_page(data, community=community)
                    if report is not None:
                        reported.append(data)
                    if as_json:
                        click.echo(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
                    else:
                        _summary(data)
            if update is not None:
                update(len(files), len(files))
    finally:
        if store is not None:
            store.close()
    if report is not None:
        from ..analyze._report import render_report

        report.write_text(
            render_report(reported, scorer.thresholds, scorer.thresholds_by_model), encoding="utf-8"
        )
        click.echo(f"wrote {report}", err=True)
    if len(files) > 1 or failed:
        click.echo(_totals_line(totals, len(files), failed), err=True)
    if failed:
        raise click.ClickException(
            f"{failed} of {len(files)} files could not be read (see above); the others were analyzed"
        )
