"""`tenor batch -` (comments on stdin) and `--out -` (JSONL rows on stdout), issue 19: what is
sniffed from stdin, what resumes and what cannot, and that input with content never ends in
"0 rows" and success."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

pytest.importorskip("pyarrow", reason="tenor batch needs the batch extra: pip install 'tenor[batch]'")

from click.testing import CliRunner

from tenor import Scorer
from tenor._errors import BatchError
from tenor.batch import BatchOptions, ExecutorOptions, run_batch, skipped_path, staging_dir
from tenor.cli import _batch as batch_module
from tenor.cli import main

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "You are a complete idiot and everyone knows it.",
    "Great article, thanks for the careful reporting.",
]


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer(multilingual=False)


def jsonl(records: list[dict[str, object]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")


def many(n: int) -> list[dict[str, object]]:
    return [{"id": f"c{i}", "text": f"{TEXTS[i % 2]} ({i})"} for i in range(n)]


def rows_of(stdout: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines()]


def batch(args: list[str], data: bytes) -> object:
    return CliRunner().invoke(main, ["batch", *args, "-a", "toxicity", "-q"], input=data)


# -- what stdin holds ------------------------------------------------------------------------------


def test_jsonl_in_rows_out_and_nothing_but_rows_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = batch(["-", "--out", "-"], jsonl([*many(3), {"id": "e", "text": ""}]))
    assert result.exit_code == 0, result.stderr
    rows = rows_of(result.stdout_bytes)
    assert [r["id"] for r in rows] == ["c0", "c1", "c2"] and all(0 <= r["TOXICITY"] <= 1 for r in rows)
    assert "4 rows: 3 scored, 1 skipped" in result.stderr and "wrote stdout (jsonl" in result.stderr
    skipped = [
        json.loads(line.removeprefix("skipped "))
        for line in result.stderr.splitlines()
        if line.startswith("skipped {")
    ]
    assert skipped == [
        {"id": "e", "where": "<stdin>:4", "reason": "COMMENT_EMPTY", "message": skipped[0]["message"]}
    ]
    assert list(tmp_path.iterdir()) == []  # --out - keeps nothing on disk


def test_one_comment_per_line(tmp_path: Path) -> None:
    result = batch(["-", "-o", "-"], "\ufeffYou idiot\n\n  \nnice day {not json}\n".encode())
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in rows_of(result.stdout_bytes)] == ["1", "2"]


def test_a_first_line_that_is_not_an_object_means_lines(tmp_path: Path) -> None:
    """Only a JSON object on the first non-blank line makes stdin JSONL: a line of JSON that is a
    string or a number is a comment like any other."""
    result = batch(["-", "-o", "-"], b'\n"quoted"\n{"text": "an object later"}\n')
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in rows_of(result.stdout_bytes)] == ["1", "2"]


def test_csv_and_a_page_dump_on_stdin_are_read_as_files_of_their_kind(tmp_path: Path) -> None:
    csv_result = batch(["-", "-o", "-"], b"id,text\nx1,You idiot\nx2,Nice one\n")
    assert csv_result.exit_code == 0, csv_result.stderr
    assert [r["id"] for r in rows_of(csv_result.stdout_bytes)] == ["x1", "x2"]
    page = (ROOT / "examples" / "page.txt").read_bytes()
    page_result = batch(["-", "-o", "-"], page)
    assert page_result.exit_code == 0, page_result.stderr
    ids = [r["id"] for r in rows_of(page_result.stdout_bytes)]
    assert ids and all(i.startswith("<stdin>#") for i in ids)  # named for stdin, not for a temporary file
    assert batch(["-", "-o", "-", "--pages"], page).stdout_bytes == page_result.stdout_bytes


def test_a_csv_on_stdin_without_the_text_column_says_which_option(tmp_path: Path) -> None:
    result = batch(["-", "-o", "-"], b"id,comment\n1,You idiot\n")
    assert (
        result.exit_code == 1
        and "<stdin> has no column 'text'" in result.stderr
        and "--text-column" in result.stderr
    )


@pytest.mark.parametrize(
    "data",
    [b"x", b"{not json", b'{"no_text": 1}\n', b"\xff\xfe\x00garbage\x00\n", "hello".encode("utf-16"), b"[1, 2]\n",
     b"<html><body><p>An article and no comments.</p></body></html>", b"\x00\x00\x00"],
    ids=["one-char", "broken-json", "object-without-text", "bad-utf8", "utf-16", "json-array", "html-no-comments", "nul-bytes"],
)  # fmt: skip
def test_stdin_with_content_never_ends_in_zero_rows_and_success(data: bytes) -> None:
    result = batch(["-", "-o", "-"], data)
    assert (
        result.exit_code != 0 or " 0 rows" not in result.stderr and not result.stderr.startswith("0 rows")
    ), result.stderr


def test_an_empty_stdin_is_an_empty_output(tmp_path: Path) -> None:
    """As an empty file is: nothing to score, nothing written, success."""
    result = batch(["-", "-o", "-"], b"\n \n")
    assert result.exit_code == 0 and result.stdout_bytes == b"" and "0 rows: 0 scored" in result.stderr
    out = tmp_path / "out.parquet"
    assert batch(["-", "-o", str(out)], b"").exit_code == 0 and out.exists()


# -- files in, stdout out; stdin in, a file out -------------------------------------------------------


def test_files_to_stdout_are_the_rows_the_jsonl_file_holds(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl(many(5)))
    to_file = batch([str(source), "-o", str(tmp_path / "out.jsonl")], b"")
    to_stdout = batch([str(source), "-o", "-"], b"")
    assert to_file.exit_code == to_stdout.exit_code == 0
    assert to_stdout.stdout_bytes == (tmp_path / "out.jsonl").read_bytes() and to_file.stdout_bytes == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_the_library_takes_the_streams(scorer: Scorer) -> None:
    sink = io.BytesIO()
    summary = run_batch(["-"], "-", BatchOptions(attributes=["TOXICITY"]), scorer=scorer,
                        stdin=io.BytesIO(jsonl([*many(2), {"id": "bad", "text": 5}])), stdout=sink)  # fmt: skip
    assert [r["id"] for r in rows_of(sink.getvalue())] == ["c0", "c1"]
    assert (summary.rows, summary.scored, str(summary.out), summary.skipped_file) == (3, 2, "-", None)
    assert [(s["id"], s["reason"]) for s in summary.skipped_rows] == [("bad", "UNREADABLE_ROW")]


def test_stdin_to_a_file_resumes_when_the_same_bytes_come_again(tmp_path: Path, scorer: Scorer) -> None:
    data = jsonl(many(200))
    whole = tmp_path / "whole.parquet"
    run_batch(["-"], whole, BatchOptions(chunk_rows=50), scorer=scorer, stdin=io.BytesIO(data))
    out = tmp_path / "out.parquet"

    class Interrupt(Exception):
        pass

    def stop(done: int, total: int | None) -> None:
        assert total == 200  # stdin's copy is counted, so the progress bar has an ETA
        if done >= 100:
            raise Interrupt

    with pytest.raises(Interrupt):
        run_batch(["-"], out, BatchOptions(chunk_rows=50), ExecutorOptions(workers=1), scorer=scorer,
                  progress=stop, stdin=io.BytesIO(data))  # fmt: skip
    assert not out.exists() and staging_dir(out).is_dir()
    other = jsonl(many(200)[::-1])
    with pytest.raises(BatchError, match=r"differs in: inputs.*--restart"):
        run_batch(["-"], out, BatchOptions(chunk_rows=50), scorer=scorer, stdin=io.BytesIO(other))
    summary = run_batch(["-"], out, BatchOptions(chunk_rows=50), scorer=scorer, stdin=io.BytesIO(data))
    assert summary.resumed_rows == 100 and summary.rows == 200 and out.read_bytes() == whole.read_bytes()
    assert not staging_dir(out).exists() and not skipped_path(out).exists()
    restarted = run_batch(["-"], out, BatchOptions(chunk_rows=50, overwrite=True, restart=True), scorer=scorer,
                          stdin=io.BytesIO(other))  # fmt: skip
    assert restarted.resumed_rows == 0 and restarted.rows == 200


# -- combinations that cannot work ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-", "other.jsonl", "-o", "x.parquet"], "- (stdin) must be the only input"),
        (["-", "-", "-o", "x.parquet"], "- (stdin) must be the only input"),
        (["-", "-o", "-", "--format", "parquet"], "--out - writes JSONL to stdout, not parquet"),
        (["-", "-o", "-", "--restart"], "--restart has nothing to discard"),
        (["-", "-o", "-", "--overwrite"], "--overwrite replaces a file"),
    ],
)
def test_combinations_that_cannot_work_fail_before_reading(
    args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tenor.cli import _score

    def no_model(*_: object, **__: object) -> Scorer:
        raise AssertionError("the model must not load for a run that cannot work")

    monkeypatch.setattr(_score, "_load_scorer", no_model)
    result = batch(args, b'{"text": "hi"}\n')
    assert result.exit_code == 1 and message in result.stderr and result.stdout_bytes == b""


def test_a_terminal_on_stdin_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_module, "_stdin_is_tty", lambda: True)
    result = batch(["-", "-o", "-"], b"")
    assert result.exit_code == 2 and "pipe them in" in result.stderr


def test_the_help_says_what_dash_means() -> None:
    text = " ".join(CliRunner().invoke(main, ["batch", "--help"]).output.split())
    assert (
        "- for JSONL on stdout" in text
        and 'INPUTS "-" (alone) reads stdin' in text
        and "cannot be resumed" in text
    )
