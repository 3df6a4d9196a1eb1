"""Rows to score from JSONL, CSV, Parquet and page files, in one deterministic order.

Every input becomes a stream of `Row`s numbered from 1 across all inputs. A row that cannot be
read (broken JSON, no text, bad UTF-8, a page file that does not parse) is still a row: it
carries its error and is reported as skipped, so chunk boundaries, and therefore resumption,
do not depend on what happened to be readable.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from .._errors import BatchError, PageFormatError

__all__ = [
    "ROW_KINDS", "STDIN", "STDIN_LABEL", "Row", "RowSource", "count_rows", "has_text", "input_kind", "iter_rows",
    "plan_inputs", "spool_stdin",
]  # fmt: skip

STDIN = "-"  # as an input: the comments come on stdin
STDIN_LABEL = "<stdin>"  # what rows and messages call it

ROW_KINDS = ("jsonl", "csv", "parquet", "lines")  # anything else is read as a page file by tenor.analyze
_SUFFIXES = {
    ".txt": "lines",  # one comment per line, as `tenor score --file` reads it, unless it reads as a page
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_CSV_FIELD_LIMIT = (
    64 * 1024 * 1024
)  # a comment is at most 20 KB; a bigger field is still read, then rejected as too long


@dataclass(frozen=True, slots=True)
class Row:
    """One comment to score: `id` as a string, `where` locates it for people (file:line)."""

    id: str
    text: str | None
    where: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RowSource:
    path: Path
    kind: str  # "jsonl", "csv", "parquet", "lines" or "pages"
    label: str | None = None  # what rows and messages call it, when not its path ("<stdin>")

    @property
    def name(self) -> str:
        return self.label or str(self.path)


def input_kind(path: Path, pages: bool = False) -> str:
    if pages:
        return "pages"
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    kind = _SUFFIXES.get(suffixes[-1] if suffixes else "", "pages")
    return "pages" if kind == "lines" and _reads_as_page(path) else kind


_SNIFF_BYTES = 256 * 1024


def _reads_as_page(path: Path) -> bool:
    """A .txt whose start reads as a scraped page with comments (tenor analyze's raw dump, like
    examples/page.txt) is a page; any other .txt is one comment per line."""
    from ..analyze import parse_pages

    try:
        with _open_binary(path) as stream:
            head = stream.read(_SNIFF_BYTES)
        return any(page.comments for page in parse_pages(head, str(path), "raw"))
    except (PageFormatError, OSError, ValueError):
        return False


def _open_binary(path: Path) -> IO[bytes]:
    if path.suffix.lower() == ".gz":
        return cast(
            IO[bytes], gzip.open(path, "rb")
        )  # a GzipFile reads as a binary file; typeshed does not say so
    return open(path, "rb")


def _id_value(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return str(value)


def _csv_dialect(path: Path) -> str:
    return "excel-tab" if ".tsv" in [s.lower() for s in path.suffixes] else "excel"


@contextmanager
def _csv_text(path: Path) -> Iterator[IO[str]]:
    """The file as text for the csv module: BOM dropped, bad bytes kept as surrogates (so one bad
    row is reported, not the file), newlines left to csv."""
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    with (
        _open_binary(path) as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="") as text,
    ):
        yield text


def _csv_header(path: Path) -> list[str]:
    with _csv_text(path) as text:
        return next(csv.reader(text, dialect=_csv_dialect(path)), [])


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def plan_inputs(
    files: list[Path],
    text_column: str,
    id_column: str | None,
    pages: bool,
    labels: Mapping[Path, str] | None = None,
) -> list[RowSource]:
    """Each file with its kind (and its label, from `labels`, where messages should not name its
    path); a table without the text (or the asked-for id) column is an error now, before hours of
    scoring, not a million skipped rows later."""
    sources = []
    for path in files:
        kind = input_kind(path, pages)
        shown = (labels or {}).get(path, str(path))
        if kind in ("csv", "parquet"):
            try:
                columns = _csv_header(path) if kind == "csv" else _parquet_columns(path)
            except (OSError, ValueError) as e:
                raise BatchError(
                    f"{shown}: cannot read its header ({e}); fix or remove the file and rerun."
                ) from e
            for wanted, option in ((text_column, "--text-column"), (id_column, "--id-column")):
                if wanted is not None and wanted not in columns:
                    raise BatchError(
                        f"{shown} has no column {wanted!r} (it has: {', '.join(columns[:20]) or 'none'}); "
                        f"name the right one with {option}."
                    )
        sources.append(RowSource(path, kind, (labels or {}).get(path)))
    return sources


_SPOOL_BLOCK = 1024 * 1024
# what stdin holds (sniffed from its start) -> the suffix its copy gets, so it is read as a file of
# that kind would be: JSONL, CSV, a page file, or (".txt") one comment per line unless a page dump
_SNIFFED_SUFFIXES = {"csv": ".csv", "html": ".html", "disqus": ".xml", "warc": ".warc"}


def _stdin_suffix(head: bytes) -> str:
    from ..analyze._detect import detect_format

    head = head.removeprefix(codecs.BOM_UTF8)
    first = next((line for line in head.split(b"\n") if line.strip()), None)
    if first is None:
        return ".txt"  # blank: no rows
    try:
        if isinstance(json.loads(first), dict):
            return ".jsonl"
    except ValueError:  # not JSON (or not UTF-8): not JSONL, unless cut off by the sniff
        if first.lstrip().startswith(b"{") and len(head) >= _SNIFF_BYTES and b"\n" not in head.lstrip()[:-1]:
            return ".jsonl"
    return _SNIFFED_SUFFIXES.get(detect_format("stdin", head), ".txt")


def spool_stdin(stream: BinaryIO, folder: Path, pages: bool) -> tuple[Path, dict[str, Any]]:
    """Copy `stream` into `folder` and name the copy for what it holds (see _stdin_suffix; with
    `pages`, no suffix: every page reader sniffs it), so the file readers read it. A copy, not the
    stream itself: the readers need to look at its start before reading it, the progress bar to
    count its rows, and a resumed run to know that the same bytes came again. Returns the copy
    and what the run's manifest records of it (size and SHA-256, never a path)."""
    part = folder / "stdin.part"
    digest = hashlib.sha256()
    size = 0
    with open(part, "wb") as f:
        while block := stream.read(_SPOOL_BLOCK):
            f.write(block)
            digest.update(block)
            size += len(block)
    with open(part, "rb") as f:
        head = f.read(_SNIFF_BYTES)
    path = part.with_name("stdin" + ("" if pages else _stdin_suffix(head)))
    part.rename(path)
    return path, {"path": STDIN_LABEL, "size": size, "sha256": digest.hexdigest()}


def has_text(path: Path) -> bool:
    """Whether a file holds anything but whitespace (an empty input makes an empty output)."""
    with _open_binary(path) as stream:
        return any(block.strip() for block in iter(lambda: stream.read(_SPOOL_BLOCK), b""))


class _Numbering:
    """Row numbers run on across files: the id of a row whose input has none."""

    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def _check_text(value: Any, column: str) -> tuple[str | None, str | None]:
    if isinstance(value, str):
        if _has_surrogate(value):
            return (
                None,
                "the text is not valid Unicode (an unpaired surrogate or undecodable bytes); save the input as UTF-8",
            )
        return value, None
    if value is None:
        return None, f"no {column!r} field"
    return None, f"the {column!r} field is {type(value).__name__}, not a string"


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _jsonl_rows(
    source: RowSource, text_column: str, id_column: str | None, numbering: _Numbering
) -> Iterator[Row]:
    with _open_binary(source.path) as stream:
        for line_number, raw in enumerate(stream, start=1):
            if line_number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            if not raw.strip():
                continue
            number = numbering.next()
            where = f"{source.name}:{line_number}"
            try:
                value = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as e:
                yield _not_utf8(number, where, e)
                continue
            except ValueError as e:
                yield Row(str(number), None, where, f"invalid JSON ({e})")
                continue
            if not isinstance(value, dict):
                yield Row(str(number), None, where, f"expected a JSON object, got {type(value).__name__}")
                continue
            row_id = _id_value(value.get(id_column or "id"))
            if row_id is None and id_column is not None:
                yield Row(str(number), None, where, f"no {id_column!r} field (--id-column)")
                continue
            text, error = _check_text(value.get(text_column), text_column)
            yield Row(row_id or str(number), text, where, error)


def _csv_rows(
    source: RowSource, text_column: str, id_column: str | None, numbering: _Numbering
) -> Iterator[Row]:
    path = source.path
    with _csv_text(path) as text_stream:
        reader = csv.DictReader(text_stream, dialect=_csv_dialect(path))
        id_key = id_column or ("id" if "id" in (reader.fieldnames or ()) else None)
        try:
            for record in reader:
                number = numbering.next()
                where = f"{source.name}:{reader.line_num}"
                row_id = _id_value(record.get(id_key)) if id_key else None
                if row_id is None and id_column is not None:
                    yield Row(str(number), None, where, f"empty {id_column!r} (--id-column)")
                    continue
                text, error = _check_text(record.get(text_column), text_column)
                if row_id is not None and _has_surrogate(row_id):
                    row_id = row_id.encode("utf-8", "replace").decode("utf-8")
                yield Row(row_id or str(number), text, where, error)
        except csv.Error as e:
            raise BatchError(
                f"{source.name}, line {reader.line_num}: not valid CSV ({e}); fix the file and rerun."
            ) from e


def _parquet_rows(
    path: Path, text_column: str, id_column: str | None, numbering: _Numbering
) -> Iterator[Row]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    id_key = id_column or ("id" if "id" in parquet.schema_arrow.names else None)
    columns = [text_column] + ([id_key] if id_key and id_key != text_column else [])
    row_in_file = 0
    for batch in parquet.iter_batches(columns=columns, batch_size=8192):
        texts = batch.column(text_column).to_pylist()
        ids = batch.column(id_key).to_pylist() if id_key else [None] * len(texts)
        for value, raw_id in zip(texts, ids):
            row_in_file += 1
            number = numbering.next()
            where = f"{path}:row {row_in_file}"
            row_id = _id_value(raw_id)
            if row_id is None and id_column is not None:
                yield Row(str(number), None, where, f"null {id_column!r} (--id-column)")
                continue
            text, error = _check_text(value, text_column)
            yield Row(row_id or str(number), text, where, error)


def _line_rows(source: RowSource, numbering: _Numbering) -> Iterator[Row]:
    """A .txt file: each non-blank line is one comment, its id the running row number."""
    with _open_binary(source.path) as stream:
        for line_number, raw in enumerate(stream, start=1):
            if line_number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            raw = raw.rstrip(b"\r\n")
            if not raw.strip():
                continue
            number = numbering.next()
            where = f"{source.name}:{line_number}"
            try:
                yield Row(str(number), raw.decode("utf-8"), where)
            except UnicodeDecodeError as e:
                yield _not_utf8(number, where, e)


def _not_utf8(number: int, where: str, error: UnicodeDecodeError) -> Row:
    """The skipped row of a line that is not UTF-8, with the byte where it stops being so."""
    return Row(
        str(number),
        None,
        where,
        f"not valid UTF-8 (byte {error.start + 1} of the line); save the input as UTF-8",
    )


def _page_rows(source: RowSource, numbering: _Numbering) -> Iterator[Row]:
    from ..analyze import read_pages

    path, name = str(source.path), source.name
    try:
        pages = read_pages(source.path)
    except (PageFormatError, OSError) as e:
        # One pseudo-row for the whole file: reported, counted, and stable across reruns.
        yield Row(name, None, name, f"page file not read: {str(e).replace(path, name)}")
        return
    if not any(page.comments for page in pages):
        # a file with content and no comment found is reported, never "0 rows" and exit 0
        yield Row(name, None, name, "no comments found in this page file (a file of one comment per "
                  "line should end in .txt; JSONL in .jsonl, CSV in .csv)")  # fmt: skip
        return
    for page in pages:
        # a page's source is its file, plus #record inside a WARC or multi-page export
        shown = name + page.source[len(path) :] if page.source.startswith(path) else page.source
        for comment in page.comments:
            numbering.next()
            yield Row(f"{shown}#{comment.id}", comment.text, f"{shown}#{comment.id}")


def iter_rows(
    sources: list[RowSource], text_column: str = "text", id_column: str | None = None
) -> Iterator[Row]:
    """Every row of every source, in order."""
    numbering = _Numbering()
    for source in sources:
        if source.kind == "jsonl":
            yield from _jsonl_rows(source, text_column, id_column, numbering)
        elif source.kind == "csv":
            yield from _csv_rows(source, text_column, id_column, numbering)
        elif source.kind == "parquet":
            yield from _parquet_rows(source.path, text_column, id_column, numbering)
        elif source.kind == "lines":
            yield from _line_rows(source, numbering)
        else:
            yield from _page_rows(source, numbering)


def count_rows(sources: list[RowSource]) -> int | None:
    """How many rows there are, for the progress bar's ETA; None when a page file is among the
    inputs (counting its comments means parsing it twice)."""
    total = 0
    for source in sources:
        if source.kind == "pages":
            return None
        if source.kind == "parquet":
            import pyarrow.parquet as pq

            total += pq.ParquetFile(source.path).metadata.num_rows
        elif source.kind in ("jsonl", "lines"):
            with _open_binary(source.path) as stream:
                total += sum(1 for line in stream if line.strip())
        else:
            with _csv_text(source.path) as text_stream:
                try:
                    total += max(
                        0, sum(1 for r in csv.reader(text_stream, dialect=_csv_dialect(source.path)) if r) - 1
                    )
                except csv.Error:
                    return None  # reading it for real reports where
    return total
