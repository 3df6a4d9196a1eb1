"""tenor.analyze's own parts: scoring a page, the review list, the --json shape (validated
against docs/analyze.schema.json), the store rows and input expansion. The readers have their
own tests (test_analyze_raw.py, test_analyze_readers.py)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tenor import Scorer
from tenor._errors import PageFormatError
from tenor.analyze import Article, Comment, Page, analyze_page, analyzed_to_dict, expand_inputs
from tenor.analyze._score import CommentScores, review_list
from tenor.store import SuggestionStore

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "docs" / "analyze.schema.json").read_text())


def _page() -> Page:
    return Page(
        source="x.txt",
        format="raw",
        title="Bridge <b>reopens</b>",
        dateline="MARCH 2024",
        article=Article.from_paragraphs(["The council confirmed it.", "Engineers replaced cables."]),
        comments=[
            Comment.from_paragraphs("c1", None, ["Great news, finally!!"]),
            Comment.from_paragraphs("c2", "Jane Doe", ["You are a complete idiot.", "Shut up."]),
            Comment.from_paragraphs("c3", "j0hn_q .", ["   "]),  # blank: cannot be scored
        ],
    )


def test_every_comment_is_scored_and_a_bad_one_keeps_its_error(scorer: Scorer) -> None:
    ap = analyze_page(_page(), scorer)
    assert ap.model_version == scorer.model_version
    assert set(ap.comments[0].scores) == set(scorer.attributes) and ap.comments[0].error is None
    assert ap.comments[1].spans.keys() == ap.comments[1].scores.keys()
    assert ap.comments[2].scores == {} and ap.comments[2].error_type == "COMMENT_EMPTY"


GERMAN = "Das ist ein sehr langer deutscher Satz, der eindeutig als Deutsch erkannt werden sollte."


def test_a_comment_in_a_language_no_model_scores_is_not_checked_not_fine(
    tiny_model: object, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 19: unscored comments are counted and named per language in the JSON and the CLI
    summary, in CLI terms (no request-body advice), distinct from checked-and-fine and from errors."""
    from click.testing import CliRunner

    from tenor.cli import _analyze as analyze_module
    from tenor.cli import _score as score_module
    from tenor.cli import main
    from tests.test_analyze_techniques import FakeTechniqueModel

    english_only = Scorer(tiny_model, multilingual=False)
    page = _page()
    page.comments.append(Comment.from_paragraphs("c4", "Hans", [GERMAN]))
    data = analyzed_to_dict(analyze_page(page, english_only))
    jsonschema.validate(data, SCHEMA)
    statuses = {c["id"]: (c["status"], c["not_checked_languages"]) for c in data["comments"]}
    assert statuses == {"c1": ("checked", []), "c2": ("checked", []), "c3": ("error", []), "c4": ("not_checked", ["de"])}
    assert data["not_checked"] == {"de": 1}
    german = data["comments"][3]
    assert german["scores"] == {} and "languages" not in german["error"]["message"]  # no HTTP advice
    from tenor.analyze._report import render_report

    html = render_report([data], english_only.thresholds)
    assert "not checked (language de)" in html and "1 comment not checked" in html

    monkeypatch.setattr(score_module, "_load_scorer", lambda model, multilingual=None: english_only)
    monkeypatch.setattr(analyze_module, "_load_techniques", lambda model: FakeTechniqueModel())
    dump = tmp_path / "page.jsonl"
    dump.write_text(json.dumps({"id": "1", "text": "Nice article, thanks."}) + "\n" + json.dumps({"id": "2", "text": GERMAN}) + "\n")
    result = CliRunner().invoke(main, ["analyze", str(dump), "--no-store"])
    assert result.exit_code == 0, result.output
    assert "1 comment not checked (language: de 1)" in result.stdout and "--languages en" in result.stdout


def test_review_list_ranks_by_distance_over_the_threshold() -> None:
    page = _page()
    scored = [
        CommentScores({"INSULT": 0.50, "THREAT": 0.05}),  # INSULT over 0.29 by 0.21 of 0.71
        CommentScores({"INSULT": 0.10, "THREAT": 0.50}),  # THREAT over 0.16 by 0.34 of 0.84: worse
        CommentScores({"INSULT": 0.20, "THREAT": 0.10}),  # under both: not listed
    ]
    items = review_list(page, scored, {"INSULT": 0.29, "THREAT": 0.16})
    assert [(i.comment_id, i.attribute) for i in items] == [("c2", "THREAT"), ("c1", "INSULT")]


def test_review_list_judges_each_comment_by_its_own_models_thresholds() -> None:
    page = _page()
    scored = [
        CommentScores({"TOXICITY": 0.30, "INSULT": 0.20}, model_version="en"),  # under the English 0.36
        CommentScores({"TOXICITY": 0.30}, model_version="tier"),  # over the tier's 0.28; no INSULT at all
        CommentScores(error="empty", error_type="COMMENT_EMPTY"),
    ]
    by_model = {"en": {"TOXICITY": 0.36, "INSULT": 0.29}, "tier": {"TOXICITY": 0.28}}
    (item,) = review_list(page, scored, by_model["en"], by_model)
    assert (item.comment_id, item.attribute, item.threshold, item.over) == ("c2", "TOXICITY", 0.28, ("TOXICITY",))


def test_json_output_matches_the_documented_schema(scorer: Scorer) -> None:
    data = analyzed_to_dict(analyze_page(_page(), scorer))
    jsonschema.validate(data, SCHEMA)
    assert data["title"] == "Bridge <b>reopens</b>" and data["comments"][1]["author"] == "Jane Doe"
    assert data["comments"][2]["error"]["type"] == "COMMENT_EMPTY"
    assert all(0 <= v <= 1 for c in data["comments"] for v in c["scores"].values())
    for c in data["comments"]:
        for p in c["paragraphs"]:
            assert c["text"][p["start"] : p["end"]] == p["text"]
        for spans in c["spans"].values():
            assert all(0 <= s["begin"] < s["end"] <= len(c["text"]) for s in spans)


def test_analyzed_page_goes_into_the_store(scorer: Scorer, tmp_path: Path) -> None:
    store = SuggestionStore(str(tmp_path / "t.db"))
    try:
        page_id = store.add_page(analyzed_to_dict(analyze_page(_page(), scorer)))
        assert [c["comment_key"] for c in store.page_comments(page_id)] == ["c1", "c2", "c3"]
        assert store.pages()[0]["model_version"] == scorer.model_version
    finally:
        store.close()


def test_inputs_expand_files_directories_and_globs(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/one.txt", "a/two.html", "a/.hidden.txt", "a/expected.json", "three.jsonl"):
        (tmp_path / name).write_text("x")
    got = expand_inputs([str(tmp_path / "a"), str(tmp_path / "*.jsonl"), str(tmp_path / "three.jsonl")])
    assert [p.name for p in got] == ["one.txt", "two.html", "three.jsonl"]
    with pytest.raises(PageFormatError, match="nothing.txt: no such file"):
        expand_inputs([str(tmp_path / "nothing.txt")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(PageFormatError, match="empty: holds no page files"):
        expand_inputs([str(tmp_path / "empty")])


# --- the command line ------------------------------------------------------------------------

GOLDEN = Path(__file__).resolve().parent / "golden" / "analyze"


@pytest.fixture
def tiny_cli(monkeypatch: pytest.MonkeyPatch, scorer: Scorer) -> None:
    from tenor.cli import _analyze as analyze_module
    from tenor.cli import _score as score_module
    from tests.test_analyze_techniques import FakeTechniqueModel

    monkeypatch.setattr(score_module, "_load_scorer", lambda model, multilingual=None: scorer)
    monkeypatch.setattr(analyze_module, "_load_techniques", lambda model: FakeTechniqueModel())


def test_cli_writes_json_report_and_store_and_goes_on_after_a_bad_file(tiny_cli: None, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tenor.cli import main

    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"id": "1", "text": "fine"}\n{"id": "2", "text": \n', encoding="utf-8")
    db, report = tmp_path / "t.db", tmp_path / "report.html"
    args = ["analyze", str(GOLDEN / "raw" / "product_example.txt"), str(bad), str(GOLDEN / "jsonl" / "threads.jsonl"),
            "--json", "--db", str(db), "--report", str(report), "--community", "news-desk"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "1 of 3 files could not be read" in result.stderr
    assert "broken.jsonl" in result.stderr and "line 2" in result.stderr
    pages = [json.loads(line) for line in result.stdout.splitlines()]
    for page in pages:
        jsonschema.validate(page, SCHEMA)
    example = pages[0]
    assert (example["dateline"], example["title"]) == ("MARCH 2024", "Harbour Bridge Reopens After Repairs")
    assert [c["author"] for c in example["comments"]] == [None, None, "Jane Doe", "j0hn_q ."]
    assert example["comments"][3]["parent"] == example["comments"][2]["id"]
    assert example["techniques"]["model_version"] == "techniques-fake-0"  # the article's techniques, by default
    store = SuggestionStore(str(db))
    try:
        assert len(store.pages()) == len(pages) >= 2
        assert store.pages()[0]["techniques"] == example["techniques"]
        assert {p["community"] for p in store.pages()} == {"news-desk"}  # the review UI's thresholds apply per community
    finally:
        store.close()
    html = report.read_text(encoding="utf-8")
    assert "Harbour Bridge Reopens After Repairs" in html and "j0hn_q ." in html and "techniques-fake-0" in html


def test_cli_no_store_writes_no_database(tiny_cli: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from tenor.cli import main

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["analyze", str(GOLDEN / "raw" / "product_example.txt"), "--no-store"])
    assert result.exit_code == 0, result.output
    assert "4 comments (1 replies)" in result.stdout and not (tmp_path / "tenor.db").exists()


def test_dateline_is_checked_for_every_format(tmp_path: Path) -> None:
    from tenor.analyze import read_pages

    page = tmp_path / "page.jsonl"
    page.write_text(
        '{"page": "p1", "kind": "article", "title": "Dam opens", "dateline": "12 March 2024", "text": "The dam opened on 14 June 2019."}\n'
        '{"page": "p1", "id": "1", "text": "About time."}\n',
        encoding="utf-8",
    )
    (parsed,) = read_pages(page)
    assert parsed.dateline == "12 March 2024"
    assert any("14 June 2019" in w and "12 March 2024" in w for w in parsed.warnings), parsed.warnings


def test_the_bundled_example_page_reads_as_intended() -> None:
    from tenor.analyze import read_pages

    (page,) = read_pages(Path(__file__).resolve().parents[1] / "examples" / "page.txt")
    assert (page.dateline, page.title, len(page.article.paragraphs)) == ("SEPTEMBER 2023", "Council Approves New Waste Collection Schedule", 3)
    assert [c.author for c in page.comments] == [None, "Dave R", "sue_b_1970", "Anonymous Coward .", None, "Martin fan"]
    assert [(c.parent, [e.kind for e in c.reply_evidence]) for c in page.comments if c.parent] == [("c2", ["vocative"]), ("c3", ["mention"])]


def test_a_package_missing_under_trafilatura_is_one_line_naming_it(
    tiny_cli: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """lxml >= 5.2 without lxml_html_clean (pip 23 left it out): trafilatura's import fails with an
    ImportError, not ModuleNotFoundError. tenor says which package to install, once, no traceback."""
    import importlib

    from click.testing import CliRunner

    from tenor.cli import main

    real = importlib.import_module

    def broken(name: str, package: str | None = None):  # type: ignore[no-untyped-def]
        if name == "trafilatura":
            raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean.")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", broken)
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>" + "An article paragraph. " * 20 + "</p></article></body></html>")
    result = CliRunner().invoke(main, ["analyze", str(page), "--no-store"])
    assert result.exit_code == 1
    assert "lxml_html_clean" in result.stderr and "pip install 'tenor[analyze]'" in result.stderr
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_a_page_on_stdin_is_read_with_dash(tiny_cli: None) -> None:
    """`tenor analyze -` reads one page from stdin (issue 19), format detected from its bytes."""
    from click.testing import CliRunner

    from tenor.cli import main

    page = (GOLDEN / "raw" / "product_example.txt").read_bytes()
    result = CliRunner().invoke(main, ["analyze", "-", "--no-store", "--json"], input=page)
    assert result.exit_code == 0, result.output
    [data] = [json.loads(line) for line in result.stdout.splitlines()]
    assert data["source"] == "<stdin>" and data["title"] == "Harbour Bridge Reopens After Repairs"
    empty = CliRunner().invoke(main, ["analyze", "-", "--no-store"], input=b"  \n")
    assert empty.exit_code == 1 and "<stdin>: is empty" in empty.stderr


def test_many_files_end_with_one_totals_line_and_warnings_are_never_cut(
    tiny_cli: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19, item 6: a run over many files shows its progress on stderr and ends with the
    totals; a warning is printed whole (its end often says what to do)."""
    from click.testing import CliRunner

    from tenor.cli import main

    long_warning = "comment markup " + "x" * 150 + " and what to do about it: pass --format html"
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"id": "1", "text": \n', encoding="utf-8")
    args = ["analyze", str(GOLDEN / "raw" / "product_example.txt"), str(GOLDEN / "jsonl" / "threads.jsonl"),
            str(bad), "--no-store"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    last = [line for line in result.stderr.splitlines() if line.startswith("3 files")]
    assert last and last[0].startswith("3 files (1 unreadable): ") and " comments, " in last[0]
    assert "analyzing" in result.stderr and "files" in result.stderr  # the progress display
    assert "None" not in result.stdout + result.stderr

    from tenor.cli._analyze import _summary

    page = analyzed_to_dict(
        analyze_page(
            Page(source="p.txt", format="raw", title=None, dateline=None, article=Article.from_paragraphs(["Text."]),
                 comments=[], warnings=[long_warning]),  # fmt: skip
            Scorer("fast"),
        )
    )
    printed: list[str] = []
    monkeypatch.setattr("click.echo", lambda line="", **_: printed.append(str(line)))
    _summary(page)
    assert f"  warning: {long_warning}" in printed
    assert not any("None" in line for line in printed)
