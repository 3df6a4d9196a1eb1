"""`tenor score` and `tenor train`, driven through click with a tiny in-memory model."""

from __future__ import annotations

import importlib.abc
import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

import tenor.cli._score as score_module
from tenor import ModelNotFoundError, Scorer, TrainingDataError
from tenor.cli import main

ALL = ["TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"]
GERMAN = "Das ist ein sehr langer deutscher Satz, der eindeutig erkannt werden sollte."


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch, scorer: Scorer) -> list[str | None]:
    """Every `tenor score` gets the tiny scorer; returns the --model values it was asked for."""
    asked: list[str | None] = []

    def load(model: str | None, multilingual: str | bool | None = None) -> Scorer:
        asked.append(model)
        return scorer

    monkeypatch.setattr(score_module, "_load_scorer", load)
    return asked


def run(args: list[str], input: bytes | str | None = None) -> Result:
    return CliRunner().invoke(main, args, input=input, prog_name="tenor")


def json_lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def rows(result: Result) -> list[str]:
    """Table rows after the header."""
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["LINE", "TOXIC"]
    return lines[1:]


# --- input sources ----------------------------------------------------------------------------


def test_text_argument(loaded: list[str | None], scorer: Scorer) -> None:
    result = run(["score", "you are an idiot"])
    assert result.exit_code == 0, result.output
    [row] = rows(result)
    cells = row.split()
    expected = scorer.score("you are an idiot")
    assert cells[0] == "1"
    assert cells[1:7] == [f"{expected[a]:.3f}" for a in ALL]
    assert row.endswith("you are an idiot")
    assert loaded == [None]


def test_file(loaded: list[str | None], tmp_path: Path) -> None:
    path = tmp_path / "comments.txt"
    path.write_text("first comment here\n\nsecond one\n", encoding="utf-8")
    result = run(["score", "--file", str(path)])
    assert result.exit_code == 0, result.output
    assert [r.split()[0] for r in rows(result)] == ["1", "3"]  # blank line 2 skipped, numbers kept


def test_missing_file_is_a_usage_error(loaded: list[str | None], tmp_path: Path) -> None:
    result = run(["score", "--file", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


@pytest.mark.parametrize("args", [["score"], ["score", "--file", "-"]], ids=["implicit", "dash"])
def test_stdin_plain_lines(loaded: list[str | None], args: list[str]) -> None:
    result = run(args, input="one comment\r\nanother comment\n")
    assert result.exit_code == 0, result.output
    assert [r.split()[-2:] for r in rows(result)] == [["one", "comment"], ["another", "comment"]]


def test_stdin_jsonl_is_detected(loaded: list[str | None]) -> None:
    lines = ['{"text": "first comment", "id": 7}', '{"text": "second comment", "clientToken": "c-2"}']
    result = run(["score", "--json"], input="\n".join(lines))
    assert result.exit_code == 0, result.output
    first, second = json_lines(result)
    assert "clientToken" not in first
    assert second["clientToken"] == "c-2"
    table = run(["score"], input="\n".join(lines))
    assert [r.split()[-2:] for r in rows(table)] == [["first", "comment"], ["second", "comment"]]


def test_json_echoes_each_inputs_id_or_line_across_blank_lines(loaded: list[str | None]) -> None:
    """Output joins back to input: a JSONL "id" is echoed as given; without one, the line number,
    blank lines counted (issue 19); errors carry it too."""
    lines = ['{"text": "first comment", "id": "c-17"}', "", '{"text": "second comment"}', '{"id": 9, "text": 3}']
    result = run(["score", "--json"], input="\n".join(lines))
    first, second, broken = json_lines(result)
    assert (first["id"], first["line"]) == ("c-17", 1)
    assert (second["id"], second["line"]) == (3, 3)
    assert (broken["id"], broken["line"]) == (9, 4) and "error" in broken
    plain = run(["score", "--json"], input="one comment\n\n\nanother comment\n")
    assert [(b["id"], b["line"]) for b in json_lines(plain)] == [(1, 1), (4, 4)]


def test_a_text_line_that_starts_with_a_brace_stays_text(loaded: list[str | None]) -> None:
    result = run(["score"], input="{sarcasm} great idea {/sarcasm}\nplain line\n")
    assert result.exit_code == 0, result.output
    assert rows(result)[0].endswith("{sarcasm} great idea {/sarcasm}")


def test_text_and_file_together_is_a_usage_error(loaded: list[str | None]) -> None:
    result = run(["score", "hello", "--file", "-"])
    assert result.exit_code == 2
    assert "give TEXT or --file, not both" in result.output


# --- JSON output ------------------------------------------------------------------------------


def test_json_is_one_perspective_response_per_line(loaded: list[str | None], scorer: Scorer) -> None:
    texts = ["you are an idiot", "thanks for the article 😀"]
    result = run(["score", "--json", "--attributes", "insult,Toxicity"], input="\n".join(texts))
    assert result.exit_code == 0, result.output
    bodies = json_lines(result)
    assert len(bodies) == 2
    for text, body in zip(texts, bodies):
        assert list(body) == ["attributeScores", "languages", "detectedLanguages", "modelVersion", "id", "line"]
        assert list(body["attributeScores"]) == ["INSULT", "TOXICITY"]
        expected = scorer.score(text)
        for attribute, scores in body["attributeScores"].items():
            assert scores["summaryScore"] == {"value": expected[attribute], "type": "PROBABILITY"}
            assert scores["spanScores"] == [
                {"begin": 0, "end": len(text.encode("utf-16-le")) // 2, "score": scores["summaryScore"]}
            ]
        assert body["languages"] == body["detectedLanguages"] == ["en"]
        assert body["modelVersion"] == "test-0"
    assert "\n" not in result.stdout.rstrip("\n").split("\n")[0]  # compact: one object, one line


def test_json_with_spans_has_sentence_spans(loaded: list[str | None]) -> None:
    result = run(["score", "--json", "--spans", "-a", "TOXICITY", "What kind of idiot name is foo? Sorry, I like your name."])
    assert result.exit_code == 0, result.output
    [body] = json_lines(result)
    spans = body["attributeScores"]["TOXICITY"]["spanScores"]
    assert [(s["begin"], s["end"]) for s in spans] == [(0, 31), (32, 56)]


# --- failures per line ------------------------------------------------------------------------


def test_a_failing_line_among_good_ones(loaded: list[str | None]) -> None:
    data = b"good comment one\n" + GERMAN.encode() + b"\n\xff\xfe broken bytes\ngood comment two\n"
    result = run(["score", "--json"], input=data)
    assert result.exit_code == 1
    good1, german, broken, good2 = json_lines(result)
    assert "attributeScores" in good1 and "attributeScores" in good2
    assert german["error"]["message"] == "Attribute TOXICITY does not support request languages: de"
    assert german["error"]["details"][0]["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert broken["error"]["message"] == "line 3: not valid UTF-8 (byte 0xff at byte 1); save the input as UTF-8."
    assert result.stderr == "error: 2 of 4 inputs could not be scored; see their lines.\n"


def test_a_failing_line_in_the_table(loaded: list[str | None], scorer: Scorer) -> None:
    result = run(["score"], input=f"fine here\n{GERMAN}\n")
    assert result.exit_code == 1
    # the languages TOXICITY is scored in: en, and the multilingual tier's when it is attached
    supported = ", ".join(scorer.attribute_languages["TOXICITY"])
    assert rows(result)[1] == (
        f"    2 error: Attribute TOXICITY does not support request languages: de (detected; TOXICITY "
        f"supports {supported}). If the text is in fact en, pass --languages en."
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "ok", ', "line 2: invalid JSON (Expecting property name enclosed in double quotes: line 1 column 16 (char 15)); expected an object like {\"text\": \"...\"}."),
        ('{"body": "no text field"}', 'line 2: the JSON object has no "text" field.'),
        ('{"text": 42}', 'line 2: the JSON object has a "text" that is int, not a string.'),
        ('{"text": "\\udc80 half an emoji"}', "line 2: contains an unpaired UTF-16 surrogate (\\udc80 at character 1), which is not text; fix the escape sequence in the input."),
    ],
    ids=["broken-json", "no-text", "text-not-string", "lone-surrogate"],
)
def test_a_bad_jsonl_line_gets_its_own_error(loaded: list[str | None], line: str, message: str) -> None:
    data = "\n".join(['{"text": "first"}', line, '{"text": "third"}'])
    result = run(["score", "--json"], input=data)
    assert result.exit_code == 1
    first, bad, third = json_lines(result)
    assert bad["error"]["message"] == message
    assert bad["error"]["details"][0]["errorType"] == "INVALID_REQUEST"
    assert "attributeScores" in first and "attributeScores" in third


def test_an_item_that_crashes_the_model_does_not_sink_its_chunk(
    loaded: list[str | None], scorer: Scorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Scorer.score_batch

    def flaky(self: Scorer, texts: list[str], **kwargs: Any) -> Any:
        if "crash me" in texts:
            raise RuntimeError("model blew up")
        return real(self, texts, **kwargs)

    monkeypatch.setattr(Scorer, "score_batch", flaky)
    result = run(["score", "--json"], input="before\ncrash me\nafter\n")
    assert result.exit_code == 1
    before, crashed, after = json_lines(result)
    assert crashed["error"]["code"] == 500
    assert "attributeScores" in before and "attributeScores" in after


def test_input_is_scored_in_chunks_in_order(
    loaded: list[str | None], scorer: Scorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = Scorer.score_batch

    def counting(self: Scorer, texts: list[str], **kwargs: Any) -> Any:
        calls.append(len(texts))
        return real(self, texts, **kwargs)

    monkeypatch.setattr(Scorer, "score_batch", counting)
    monkeypatch.setattr(score_module, "CHUNK", 2)
    texts = [f"comment number {i}" for i in range(5)]
    result = run(["score", "--json"], input="\n".join(texts))
    assert result.exit_code == 0, result.output
    assert calls == [2, 2, 1]
    expected = [scorer.score(t)["TOXICITY"] for t in texts]
    assert [b["attributeScores"]["TOXICITY"]["summaryScore"]["value"] for b in json_lines(result)] == expected


# --- options ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--attributes", "TOXICITY,FOO"], "Unknown requested attribute: FOO. This model scores: " + ", ".join(ALL)),
        (["--attributes", "sexually_explicit"], "SEXUALLY_EXPLICIT is a Perspective attribute that model test-0 does not score"),
        (["--attributes", " , "], "give at least one attribute"),
        (["--languages", "en,de"], "de: model test-0 supports en"),  # then the multilingual tier's, when attached
    ],
    ids=["unknown-attribute", "unsupported-attribute", "no-attribute", "unsupported-language"],
)
def test_bad_options_are_usage_errors(loaded: list[str | None], args: list[str], message: str) -> None:
    result = run(["score", *args, "some text"])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_attributes_pick_the_columns(loaded: list[str | None]) -> None:
    result = run(["score", "-a", "threat,insult", "some text"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split() == ["LINE", "THREAT", "INSULT", "TEXT"]


def test_languages_skip_rejection_by_detection(loaded: list[str | None]) -> None:
    result = run(["score", "--json", "--languages", "en-US"], input=GERMAN)
    assert result.exit_code == 0, result.output
    [body] = json_lines(result)
    assert body["languages"] == ["en-US"]  # requested codes are echoed as given, like Perspective
    assert body["detectedLanguages"] == ["de"]


def test_spans_show_the_marked_words(loaded: list[str | None], scorer: Scorer) -> None:
    text = "What kind of idiot name is foo? Sorry, I like your name."
    result = run(["score", "--spans", "-a", "TOXICITY", text])
    assert result.exit_code == 0, result.output
    spans = scorer.score(text, attributes=["TOXICITY"], spans=True).scores["TOXICITY"].spans
    marked = ", ".join(f'"{text[s.begin:s.end]}"' for s in spans) if spans else None
    expected = f"      TOXICITY: {marked}" if marked else "      marked: nothing"
    assert rows(result)[1] == expected


def test_model_option_is_passed_to_the_loader(loaded: list[str | None]) -> None:
    assert run(["score", "--model", "some/folder", "hi there"]).exit_code == 0
    assert loaded == ["some/folder"]


def test_a_missing_model_is_a_clean_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(model: str | None, multilingual: str | bool | None = None) -> Scorer:
        raise ModelNotFoundError("No model 'nope': give a folder made by `tenor train`.")

    monkeypatch.setattr(score_module, "_load_scorer", missing)
    result = run(["score", "--model", "nope", "hi"])
    assert result.exit_code == 1
    assert result.output == "Error: No model 'nope': give a folder made by `tenor train`.\n"


def test_every_command_has_help() -> None:
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        assert command.help, name
        assert run([name, "--help"]).exit_code == 0


def test_python_dash_m_tenor() -> None:
    done = subprocess.run([sys.executable, "-m", "tenor", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "score" in done.stdout and "train" in done.stdout


# --- train ------------------------------------------------------------------------------------


@pytest.fixture
def fake_train(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_run(data_dirs: list[Path], out_dir: Path, *, version: str, seed: int, quick: bool) -> Path:
        calls.append({"data_dirs": data_dirs, "out_dir": out_dir, "version": version, "seed": seed, "quick": quick})
        if version == "bad-data":
            raise TrainingDataError("data/x/train.csv has no 'text' column.")
        return out_dir

    module = types.ModuleType("tenor.train.ngram")  # the comment model's trainer (tenor.train.TRAINERS)
    module.run = fake_run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tenor.train.ngram", module)
    return calls


def test_train_defaults(fake_train: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (tmp_path / "shared" / "data").mkdir(parents=True)
    (tmp_path / "shared" / "data3").mkdir()
    repo.mkdir()
    monkeypatch.chdir(repo)
    result = run(["train"])
    assert result.exit_code == 0, result.output
    [call] = fake_train
    assert call["data_dirs"] == [Path("../shared/data"), Path("../shared/data3")]
    assert call["out_dir"] == Path("models/en-2026.11.0")
    assert (call["version"], call["seed"], call["quick"]) == ("en-2026.11.0", 0, False)
    assert result.output == "model en-2026.11.0 written to models/en-2026.11.0\n"


def test_train_in_a_checkout_writes_into_the_package(
    fake_train: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "src" / "tenor").mkdir(parents=True)
    (tmp_path / "src" / "tenor" / "__init__.py").write_text("")
    (tmp_path / "pyproject.toml").write_text("")
    data = tmp_path / "d"
    data.mkdir()
    monkeypatch.chdir(tmp_path)
    result = run(["train", "--data", str(data), "--version", "en-9", "--seed", "3", "--quick"])
    assert result.exit_code == 0, result.output
    assert fake_train == [
        {"data_dirs": [data], "out_dir": Path("src/tenor/models/en-9"), "version": "en-9", "seed": 3, "quick": True}
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--version", "../escape"], 2, "use letters, digits"),
        (["--version", "bad-data"], 1, "Error: data/x/train.csv has no 'text' column."),
    ],
    ids=["bad-version", "training-data-error"],
)
def test_train_errors(
    fake_train: list[dict[str, Any]], tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    result = run(["train", "--data", str(tmp_path), *args])
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output


def test_train_without_data(fake_train: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(["train"])
    assert result.exit_code == 2
    assert "no training data found at ../shared/data*: pass --data PATH." in result.output


class _NoSklearn(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "tenor.train":
            raise ModuleNotFoundError("No module named 'sklearn'", name="sklearn")


def test_train_without_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "tenor.train", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoSklearn(), *sys.meta_path])
    result = run(["train", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == "Error: training needs sklearn, which is not installed: pip install 'tenor[train]'\n"


def test_no_input_on_a_terminal_is_a_usage_error(loaded: list[str | None], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(score_module, "_stdin_is_tty", lambda: True)
    result = run(["score"])
    assert result.exit_code == 2
    assert "give TEXT, --file PATH, or pipe texts to stdin." in result.output


def test_empty_input_warns(loaded: list[str | None]) -> None:
    result = run(["score", "--json"], input="\n\n")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "warning: no input lines to score.\n"


def test_table_cells_hold_no_control_characters(loaded: list[str | None]) -> None:
    result = run(["score"], input='{"text": "\\u001b[2Jcleared\\nsecond line"}\n')
    assert result.exit_code == 0, result.output
    [row] = rows(result)
    assert "\x1b" not in row
    assert row.endswith("[2Jcleared second line")


def test_a_byte_order_mark_is_not_part_of_the_first_text(loaded: list[str | None]) -> None:
    result = run(["score", "--json"], input='\ufeff{"text": "hello there"}\n'.encode())
    assert result.exit_code == 0, result.output
    assert "attributeScores" in json_lines(result)[0]
