"""`tenor batch` with the local engine: readers, output shape, determinism, resumption, errors.

These run the shipped model (it loads in a fraction of a second) so the scores are real; the
kill-and-resume test with a real SIGKILL is in test_batch_kill.py, the Ray engine in
test_batch_ray.py.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow", reason="tenor batch needs the batch extra: pip install 'tenor[batch]'")
pq = pytest.importorskip("pyarrow.parquet")

from click.testing import CliRunner

from tenor import Scorer
from tenor._errors import BatchError
from tenor.batch import BatchOptions, ExecutorOptions, run_batch, skipped_path, staging_dir
from tenor.cli import main

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "You are a complete idiot and everyone knows it.",
    "Great article, thanks for the careful reporting.",
    "Shut up, you stupid troll. Nobody cares.",
    "I will find you and hurt you.",
    "The council meeting is on Tuesday at noon.",
    "What kind of idiot name is foo? Sorry, I like your name.",
]


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer()


def write_jsonl(path: Path, records: Sequence[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def many(n: int) -> list[dict[str, str]]:
    return [{"id": f"c{i}", "text": f"{TEXTS[i % len(TEXTS)]} ({i})"} for i in range(n)]


def read_out(path: Path) -> list[dict[str, object]]:
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return pq.read_table(path).to_pylist()


def skipped(out: Path) -> list[dict[str, str]]:
    path = skipped_path(out)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# -- output shape ------------------------------------------------------------------------------


def test_parquet_columns_values_and_model_version(tmp_path: Path, scorer: Scorer) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": i, "text": t} for i, t in enumerate(TEXTS)])
    out = tmp_path / "scores.parquet"
    summary = run_batch([str(source)], out, BatchOptions(attributes=["toxicity", "INSULT"]), scorer=scorer)
    table = pq.read_table(out)
    assert table.schema.names == ["id", "TOXICITY", "INSULT", "model_version", "text_sha256"]
    assert table.schema.field("id").type == pa.string()
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == [str(i) for i in range(len(TEXTS))]  # integer ids become strings
    for row, text in zip(rows, TEXTS):
        expected = scorer.score(text, attributes=["TOXICITY", "INSULT"])
        assert row["TOXICITY"] == expected["TOXICITY"] and row["INSULT"] == expected["INSULT"]
        assert row["model_version"] == scorer.model_version
        assert row["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert summary.rows == summary.scored == len(TEXTS) and not summary.skipped
    assert not staging_dir(out).exists() and not skipped_path(out).exists()


def test_row_numbers_are_ids_where_the_input_has_none_and_they_run_on_across_files(tmp_path: Path, scorer: Scorer) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [{"text": TEXTS[0]}, {"text": TEXTS[1]}])
    b = write_jsonl(tmp_path / "b.jsonl", [{"text": TEXTS[2]}])
    out = tmp_path / "out.jsonl"
    run_batch([str(a), str(b)], out, BatchOptions(attributes=["TOXICITY"]), scorer=scorer)
    assert [r["id"] for r in read_out(out)] == ["1", "2", "3"]


def test_jsonl_output_with_spans_as_json(tmp_path: Path, scorer: Scorer) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": "x", "text": TEXTS[0]}])
    out = tmp_path / "out.jsonl"
    run_batch([str(source)], out, BatchOptions(attributes=["INSULT"], spans=True), scorer=scorer)
    (row,) = read_out(out)
    assert list(row) == ["id", "INSULT", "spans", "model_version", "text_sha256"]
    expected = scorer.score(TEXTS[0], attributes=["INSULT"], spans=True).scores["INSULT"].spans
    assert row["spans"] == {"INSULT": [{"begin": s.begin, "end": s.end, "score": s.score} for s in expected]}
    assert expected  # the insult is marked
    parquet = tmp_path / "out.parquet"
    run_batch([str(source)], parquet, BatchOptions(attributes=["INSULT"], spans=True), scorer=scorer)
    assert json.loads(pq.read_table(parquet).column("spans")[0].as_py()) == row["spans"]


# -- readers -----------------------------------------------------------------------------------


def test_rows_that_cannot_be_scored_are_listed_with_reasons_never_dropped(tmp_path: Path, scorer: Scorer) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b'{"id": "ok", "text": "You are an idiot."}\n'
        b'{"id": "empty", "text": "   "}\n'
        b"{broken json\n"
        b"\n"  # a blank line is no row
        b'["not", "an", "object"]\n'
        b'{"id": "notext"}\n'
        b'{"id": "num", "text": 42}\n'
        b'{"id": "bad-utf8", "text": "caf\xe9"}\n'
        b'{"id": "long", "text": "' + b"a " * 15000 + b'"}\n'
        b'{"id": "ok2", "text": "Thanks for the careful reporting."}\n'
    )
    out = tmp_path / "out.parquet"
    summary = run_batch([str(source)], out, BatchOptions(attributes=["TOXICITY"]), scorer=scorer)
    assert [r["id"] for r in read_out(out)] == ["ok", "ok2"]
    listed = skipped(out)
    assert [(e["id"], e["reason"]) for e in listed] == [
        ("empty", "COMMENT_EMPTY"),
        ("3", "UNREADABLE_ROW"),
        ("4", "UNREADABLE_ROW"),  # ids are row numbers (a blank line is no row); `where` has the line
        ("notext", "UNREADABLE_ROW"),
        ("num", "UNREADABLE_ROW"),
        ("7", "UNREADABLE_ROW"),
        ("long", "COMMENT_TOO_LONG"),
    ]
    assert listed[1]["where"].endswith("in.jsonl:3") and "invalid JSON" in listed[1]["message"]
    assert listed[2]["where"].endswith("in.jsonl:5")
    assert "no 'text' field" in listed[3]["message"] and "UTF-8" in listed[5]["message"]
    assert summary.rows == 9 and summary.scored == 2
    assert summary.skipped == {"COMMENT_EMPTY": 1, "UNREADABLE_ROW": 5, "COMMENT_TOO_LONG": 1}
    assert summary.skipped_file == skipped_path(out)


def test_csv_tsv_gzip_and_parquet_inputs_give_the_same_scores(tmp_path: Path, scorer: Scorer) -> None:
    records = [{"comment_id": f"k{i}", "body": t} for i, t in enumerate(TEXTS)]
    records[1]["body"] = 'A quoted, multi-line\n"comment" here.'
    with open(tmp_path / "in.csv", "w", newline="", encoding="utf-8-sig") as f:  # with a BOM
        writer = csv.DictWriter(f, ["comment_id", "body"])
        writer.writeheader()
        writer.writerows(records)
    with open(tmp_path / "in.tsv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, ["comment_id", "body"], dialect="excel-tab")
        writer.writeheader()
        writer.writerows(records)
    with gzip.open(tmp_path / "in.jsonl.gz", "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in records)
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "in.parquet")
    outputs = []
    for name in ("in.csv", "in.tsv", "in.jsonl.gz", "in.parquet"):
        out = tmp_path / f"{name}.out.jsonl"
        run_batch([str(tmp_path / name)], out, BatchOptions(text_column="body", id_column="comment_id"), scorer=scorer)
        outputs.append(out.read_bytes())
    assert len(set(outputs)) == 1
    assert [r["id"] for r in read_out(tmp_path / "in.csv.out.jsonl")] == [f"k{i}" for i in range(len(TEXTS))]


def test_a_table_without_the_text_column_fails_before_scoring(tmp_path: Path, scorer: Scorer) -> None:
    (tmp_path / "in.csv").write_text("id,comment\n1,hello\n", encoding="utf-8")
    with pytest.raises(BatchError, match=r"no column 'text' \(it has: id, comment\); name the right one with --text-column"):
        run_batch([str(tmp_path / "in.csv")], tmp_path / "out.parquet", scorer=scorer)
    assert not staging_dir(tmp_path / "out.parquet").exists()


def test_page_files_become_one_row_per_comment(tmp_path: Path, scorer: Scorer) -> None:
    out = tmp_path / "out.jsonl"
    summary = run_batch([str(ROOT / "examples" / "page.txt")], out, BatchOptions(attributes=["TOXICITY"]), scorer=scorer)
    rows = read_out(out)
    assert rows and summary.rows == len(rows) + sum(summary.skipped.values())
    assert all(str(r["id"]).startswith(str(ROOT / "examples" / "page.txt") + "#") for r in rows)
    (tmp_path / "broken.xml").write_bytes(b'<?xml version="1.0"?><disqus xmlns="http://disqus.com"><thread')
    out2 = tmp_path / "out2.jsonl"
    run_batch([str(tmp_path / "broken.xml")], out2, scorer=scorer)
    (entry,) = skipped(out2)
    assert entry["reason"] == "UNREADABLE_ROW" and "page file not read" in entry["message"] and "broken XML" in entry["message"]


def test_a_txt_of_comments_is_one_row_per_line_and_a_page_without_comments_is_reported(
    tmp_path: Path, scorer: Scorer
) -> None:
    """Issue 19: a one-comment-per-line .txt (as `tenor score --file` reads) is scored line by line,
    while a .txt page dump stays a page; a file with content and no comments is never "0 rows"."""
    out = tmp_path / "out.jsonl"
    summary = run_batch([str(ROOT / "examples" / "comments.txt")], out, BatchOptions(attributes=["TOXICITY"]), scorer=scorer)
    lines = [line for line in (ROOT / "examples" / "comments.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = read_out(out)
    assert summary.rows == len(rows) == len(lines) and [r["id"] for r in rows] == [str(i) for i in range(1, len(lines) + 1)]
    (tmp_path / "empty-thread.html").write_text("<html><body><article><p>" + "Just an article. " * 30 + "</p></article></body></html>")
    out2 = tmp_path / "out2.jsonl"
    run_batch([str(tmp_path / "empty-thread.html")], out2, scorer=scorer)
    (entry,) = skipped(out2)
    assert "no comments found in this page file" in entry["message"]


def test_directories_and_globs_skip_the_runs_own_output(tmp_path: Path, scorer: Scorer) -> None:
    write_jsonl(tmp_path / "a.jsonl", many(3))
    write_jsonl(tmp_path / "b.jsonl", many(2))
    out = tmp_path / "scores.jsonl"
    assert run_batch([str(tmp_path)], out, scorer=scorer).rows == 5
    assert run_batch([str(tmp_path / "*.jsonl")], out, BatchOptions(overwrite=True), scorer=scorer).rows == 5  # not its own output


def test_an_empty_input_gives_an_empty_output_with_the_schema(tmp_path: Path, scorer: Scorer) -> None:
    (tmp_path / "in.jsonl").write_text("", encoding="utf-8")
    out = tmp_path / "out.parquet"
    summary = run_batch([str(tmp_path / "in.jsonl")], out, BatchOptions(attributes=["THREAT"]), scorer=scorer)
    assert summary.rows == 0
    table = pq.read_table(out)
    assert table.num_rows == 0 and table.schema.names == ["id", "THREAT", "model_version", "text_sha256"]


# -- determinism -------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_output_bytes_do_not_depend_on_workers_or_chunk_size(tmp_path: Path, scorer: Scorer, suffix: str) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", many(700) + [{"id": "e", "text": ""}])
    outputs = []
    for workers, chunk_rows in ((1, 2048), (2, 64), (1, 7)):
        out = tmp_path / f"w{workers}-c{chunk_rows}{suffix}"
        run_batch([str(source)], out, BatchOptions(chunk_rows=chunk_rows, spans=True), ExecutorOptions(workers=workers), scorer=scorer)
        outputs.append((out.read_bytes(), skipped_path(out).read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]


# -- resumption --------------------------------------------------------------------------------


class Interrupt(Exception):
    pass


def interrupted_run(source: Path, out: Path, scorer: Scorer, after_rows: int) -> None:
    def progress(done: int, total: int | None) -> None:
        if done >= after_rows:
            raise Interrupt

    with pytest.raises(Interrupt):
        # one worker: chunks finish in order, so "the first N rows" are the finished ones
        run_batch([str(source)], out, BatchOptions(chunk_rows=50), ExecutorOptions(workers=1), scorer=scorer, progress=progress)


def test_an_interrupted_run_continues_where_it_stopped(tmp_path: Path, scorer: Scorer) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", many(400))
    whole = tmp_path / "whole.parquet"
    run_batch([str(source)], whole, BatchOptions(chunk_rows=50), scorer=scorer)
    out = tmp_path / "out.parquet"
    interrupted_run(source, out, scorer, after_rows=150)
    assert not out.exists() and len(list((staging_dir(out) / "chunks").glob("*.json"))) == 3
    summary = run_batch([str(source)], out, BatchOptions(chunk_rows=50), scorer=scorer)
    assert summary.resumed_rows == 150 and summary.rows == 400 and summary.scored == 400
    assert out.read_bytes() == whole.read_bytes()
    assert not staging_dir(out).exists()


def test_resuming_with_other_options_is_refused_and_restart_discards(tmp_path: Path, scorer: Scorer) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", many(200))
    out = tmp_path / "out.parquet"
    interrupted_run(source, out, scorer, after_rows=50)
    with pytest.raises(BatchError, match=r"differs in: attributes(, attributes_named)?\).*--restart"):
        run_batch([str(source)], out, BatchOptions(chunk_rows=50, attributes=["TOXICITY"]), scorer=scorer)
    summary = run_batch([str(source)], out, BatchOptions(chunk_rows=50, attributes=["TOXICITY"], restart=True), scorer=scorer)
    assert summary.resumed_rows == 0 and pq.read_table(out).schema.names[1:2] == ["TOXICITY"]


def test_an_input_changed_under_a_resumable_run_is_detected(tmp_path: Path, scorer: Scorer) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", many(200))
    out = tmp_path / "out.parquet"
    interrupted_run(source, out, scorer, after_rows=100)
    write_jsonl(source, many(200)[::-1])  # same size and rows, another order
    with pytest.raises(BatchError, match="differs in: inputs|the input changed"):
        run_batch([str(source)], out, BatchOptions(chunk_rows=50), scorer=scorer)


def test_a_changed_input_with_the_same_size_and_time_is_caught_by_the_chunk_fingerprints(tmp_path: Path, scorer: Scorer) -> None:
    import os

    source = write_jsonl(tmp_path / "in.jsonl", many(200))
    stat = source.stat()
    out = tmp_path / "out.parquet"
    interrupted_run(source, out, scorer, after_rows=100)
    records = many(200)
    for i in range(0, 200, 2):  # every chunk changes; the file keeps its size
        records[i]["text"], records[i + 1]["text"] = records[i + 1]["text"], records[i]["text"]
    write_jsonl(source, records)
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(BatchError, match=r"chunk 0 .* the input changed\. Pass --restart"):
        run_batch([str(source)], out, BatchOptions(chunk_rows=50), scorer=scorer)


def test_an_existing_output_is_not_replaced_without_overwrite(tmp_path: Path, scorer: Scorer) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", many(3))
    out = tmp_path / "out.parquet"
    out.write_bytes(b"precious")
    with pytest.raises(BatchError, match="already exists; pass --overwrite"):
        run_batch([str(source)], out, scorer=scorer)
    assert out.read_bytes() == b"precious"
    run_batch([str(source)], out, BatchOptions(overwrite=True), scorer=scorer)
    assert pq.read_table(out).num_rows == 3


def test_two_runs_on_one_output_do_not_interleave(tmp_path: Path, scorer: Scorer) -> None:
    from tenor.batch._staging import Staging

    source = write_jsonl(tmp_path / "in.jsonl", many(3))
    out = tmp_path / "out.parquet"
    holder = Staging(out, {"run": 1})
    try:
        with pytest.raises(BatchError, match="another tenor batch is writing"):
            run_batch([str(source)], out, scorer=scorer)
    finally:
        holder.remove()


# -- command line ------------------------------------------------------------------------------


def test_cli_summary_and_skipped_reasons(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", many(5) + [{"id": "e", "text": ""}])
    out = tmp_path / "out.parquet"
    result = CliRunner().invoke(main, ["batch", str(source), "--out", str(out), "-a", "toxicity", "-q"])
    assert result.exit_code == 0, result.output
    assert "6 rows: 5 scored, 1 skipped" in result.stderr
    assert "skipped 1: empty text (COMMENT_EMPTY)" in result.stderr
    assert f"skipped rows and reasons: {skipped_path(out)}" in result.stderr
    assert pq.read_table(out).num_rows == 5


def test_cli_errors_are_one_line_with_what_to_do(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", many(2))
    runner = CliRunner()
    bad_attr = runner.invoke(main, ["batch", str(source), "--out", str(tmp_path / "o.parquet"), "-a", "nope"])
    assert bad_attr.exit_code == 2 and "NOPE" in bad_attr.stderr
    no_ray = runner.invoke(main, ["batch", str(source), "--out", str(tmp_path / "o.parquet"), "--address", "auto"])
    assert no_ray.exit_code == 2 and "--address needs --engine ray" in no_ray.stderr
    missing = runner.invoke(main, ["batch", str(tmp_path / "nothing*.jsonl"), "--out", str(tmp_path / "o.parquet")])
    assert missing.exit_code == 1 and "no such file" in missing.stderr
    (tmp_path / "o.parquet").write_bytes(b"x")
    exists = runner.invoke(main, ["batch", str(source), "--out", str(tmp_path / "o.parquet")])
    assert exists.exit_code == 1 and "--overwrite" in exists.stderr
