"""Persuasion techniques in `tenor analyze`: the article's techniques in the --json shape (checked
against docs/analyze.schema.json), the warning path, the HTML report's highlights, legend and
chips, the store columns (migration 6) and the CLI flags. A fake technique model keeps every
test but the last hermetic; the last runs the shipped models end to end."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import jsonschema
import pytest

from tenor import Scorer
from tenor._errors import InputError
from tenor.analyze import Article, Comment, Page, analyze_page, analyzed_to_dict
from tenor.analyze._report import TECHNIQUE_COLOURS, render_report, technique_colour
from tenor.analyze._view import layered_segments
from tenor.store import _store
from tenor.store._store import SCHEMA_VERSION, SuggestionStore
from tenor.techniques import TECHNIQUES, ArticleTechniques, ParagraphTechniques, TechniqueSpan
from tenor.techniques._inventory import UNKNOWN_TECHNIQUE_COLOURS
from tests.test_serve_store import Target, target  # noqa: F401  (the SQLite + PostgreSQL fixture)

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "analyze.schema.json").read_text())


class FakeTechniqueModel:
    """Stands in for tenor.techniques.TechniqueModel: in every paragraph, its first word is loaded
    language (0.91); the whole first paragraph is also doubt (0.62), so the two overlap."""

    version = "techniques-fake-0"

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[tuple[str, list[tuple[int, int]] | None]] = []

    def find(self, text: str, paragraphs: Sequence[tuple[int, int]] | None = None, languages: object = None) -> ArticleTechniques:
        self.calls.append((text, None if paragraphs is None else list(paragraphs)))
        if self.error is not None:
            raise self.error
        paras = list(paragraphs) if paragraphs is not None else [(0, len(text))]
        spans, rows = [], []
        for n, (b, e) in enumerate(paras):
            word_end = text.find(" ", b, e)
            spans.append(TechniqueSpan(b, e if word_end < 0 else word_end, "Loaded_Language", 0.91))
            labels: tuple[tuple[str, float], ...] = (("Loaded_Language", 0.91),)
            if n == 0:
                spans.append(TechniqueSpan(b, e, "Doubt", 0.62))
                labels += (("Doubt", 0.62),)
            rows.append(ParagraphTechniques(b, e, labels))
        spans.sort(key=lambda s: (s.begin, s.end, s.technique))
        return ArticleTechniques(self.version, tuple(spans), tuple(rows))


def _page(article: list[str] | None = None) -> Page:
    return Page(
        source="x.txt", format="raw", title="Bridge", dateline=None,
        article=Article.from_paragraphs(["Shameful council betrays us all.", "Engineers replaced cables."] if article is None else article),
        comments=[Comment.from_paragraphs("c1", None, ["Great news, finally!!"])],
    )  # fmt: skip


# --- analyze_page and the JSON shape ------------------------------------------------------------


def test_the_article_paragraphs_go_to_the_model_and_its_findings_into_the_json(scorer: Scorer) -> None:
    model = FakeTechniqueModel()
    page = _page()
    data = analyzed_to_dict(analyze_page(page, scorer, techniques=model))
    jsonschema.validate(data, SCHEMA)
    assert model.calls == [(page.article.text, [(0, 32), (34, 60)])]
    found = data["techniques"]
    assert found["model_version"] == "techniques-fake-0" and data["schema_version"] == 4
    assert found["spans"][:2] == [{"begin": 0, "end": 8, "technique": "Loaded_Language", "confidence": 0.91},
                                  {"begin": 0, "end": 32, "technique": "Doubt", "confidence": 0.62}]
    assert [p["techniques"][0]["technique"] for p in found["paragraphs"]] == ["Loaded_Language"] * 2
    assert data["comments"][0]["scores"] and data["warnings"] == []


def test_no_model_or_an_empty_article_gives_null(scorer: Scorer) -> None:
    assert analyzed_to_dict(analyze_page(_page(), scorer))["techniques"] is None
    model = FakeTechniqueModel()
    data = analyzed_to_dict(analyze_page(_page(["  ", ""]), scorer, techniques=model))
    jsonschema.validate(data, SCHEMA)
    assert data["techniques"] is None and model.calls == [] and data["warnings"] == []


def test_a_model_that_refuses_the_article_leaves_a_warning_and_the_comments(scorer: Scorer) -> None:
    page = _page()
    model = FakeTechniqueModel(InputError("The article has 900,000 characters; the technique model reads at most 200,000: split it."))
    ap = analyze_page(page, scorer, techniques=model)
    data = analyzed_to_dict(ap)
    jsonschema.validate(data, SCHEMA)
    assert data["techniques"] is None and data["comments"][0]["scores"] and data["comments"][0]["error"] is None
    (warning,) = data["warnings"]
    assert "persuasion techniques" in warning and "split it" in warning
    assert page.warnings == []  # the page itself is not changed: analyzing it twice warns once


def test_a_bug_in_the_model_is_not_swallowed(scorer: Scorer) -> None:
    with pytest.raises(ZeroDivisionError):
        analyze_page(_page(), scorer, techniques=FakeTechniqueModel(ZeroDivisionError()))


def test_the_schema_is_strict_about_techniques(scorer: Scorer) -> None:
    assert SCHEMA["$defs"]["technique"]["enum"] == list(TECHNIQUES)
    data = analyzed_to_dict(analyze_page(_page(), scorer, techniques=FakeTechniqueModel()))
    for broken in (
        lambda d: d["techniques"]["spans"][0].update(technique="Propaganda"),
        lambda d: d["techniques"]["spans"][0].update(confidence=1.5),
        lambda d: d["techniques"].update(extra=1),
        lambda d: d["techniques"]["paragraphs"][0]["techniques"][0].pop("confidence"),
        lambda d: d.pop("techniques"),
    ):
        copy = json.loads(json.dumps(data))
        broken(copy)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(copy, SCHEMA)


# --- the HTML report ----------------------------------------------------------------------------


def test_layered_segments_keep_overlapping_spans_apart() -> None:
    spans = [{"begin": 0, "end": 6}, {"begin": 3, "end": 9}, {"begin": 4, "end": 5}, {"begin": 8, "end": 99}]
    assert layered_segments("abcdefghij", spans) == [
        ("abc", (0,), ()), ("d", (0, 1), ()), ("e", (0, 1, 2), (2,)), ("f", (0, 1), (0,)), ("ghi", (1,), (1,)),
        ("j", (), ()),
    ]  # fmt: skip  (the span past the end of the text is ignored)
    assert layered_segments("abcdefghij", spans[:2], 4, 8) == [("ef", (0, 1), (0,)), ("gh", (1,), ())]
    assert layered_segments("", []) == [("", (), ())]


def _techniques_report(scorer: Scorer, page: Page, model: FakeTechniqueModel | None = None) -> str:
    data = analyzed_to_dict(analyze_page(page, scorer, techniques=model or FakeTechniqueModel()))
    return render_report([data], scorer.thresholds)


def test_report_draws_overlapping_spans_legend_chips_and_model(scorer: Scorer) -> None:
    html = _techniques_report(scorer, _page())
    loaded, doubt = technique_colour("Loaded_Language"), technique_colour("Doubt")
    assert list(TECHNIQUE_COLOURS) == list(TECHNIQUES) and len(set(TECHNIQUE_COLOURS.values())) == len(TECHNIQUES)
    # "Shameful" lies under both spans (two colour bands), the rest of the paragraph under doubt only
    both = f'<mark class="tq" style="background:linear-gradient({loaded} 0.00% 50.00%,{doubt} 50.00% 100.00%)" title="Loaded language 0.91; Doubt 0.62">Shameful</mark>'
    assert both + '<sup class="tn" title="Loaded language">1</sup>' in html
    assert f'<mark class="tq" style="background:{doubt}" title="Doubt 0.62"> council betrays us all.</mark><sup class="tn" title="Doubt">2</sup>' in html
    assert html.count(">Engineers</mark>") == 1 and "replaced cables." in html
    assert ">Loaded language</b> (2 spans): Words chosen for their emotional charge.</li>" in html
    assert ">Doubt</b> (1 span): " in html and "techniques-fake-0" in html
    assert html.count('<span class="chip"') == 3 and ">Loaded language 0.91</span>" in html and ">Doubt 0.62</span>" in html
    assert "<script" not in html.lower()


def test_report_without_techniques_says_so(scorer: Scorer) -> None:
    data = analyzed_to_dict(analyze_page(_page(), scorer))
    html = render_report([data], scorer.thresholds)
    assert "techniques not analyzed" in html and 'class="tq"' not in html and "<p>Shameful council betrays us all.</p>" in html


class HostileTechniqueModel(FakeTechniqueModel):
    """A model whose output is as untrusted as the page: unknown technique names and versions."""

    version = "<script>alert('version')</script>"

    def find(self, text: str, paragraphs: Sequence[tuple[int, int]] | None = None, languages: object = None) -> ArticleTechniques:
        found = super().find(text, paragraphs)
        odd = '"><img src=x onerror=alert(1)>'
        return ArticleTechniques(self.version, (*found.spans, TechniqueSpan(2, 9, odd, 0.5)),
                                 (*found.paragraphs[:-1], ParagraphTechniques(found.paragraphs[-1].begin, found.paragraphs[-1].end, ((odd, 0.5),))))  # fmt: skip


def test_report_escapes_hostile_article_text_and_technique_output(scorer: Scorer) -> None:
    payloads = ["<script>alert('a')</script> loaded words", "\"><svg onload=alert(1)> more", "</style><iframe src=x>"]
    html = _techniques_report(scorer, _page(payloads), HostileTechniqueModel())
    lower = html.lower()
    assert "<script" not in lower and "<img" not in lower and "<svg" not in lower.replace("<svg width", "") and "<iframe" not in lower
    assert "&lt;script&gt;" in html and "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert technique_colour('"><img src=x onerror=alert(1)>') == UNKNOWN_TECHNIQUE_COLOURS[0]  # unknown technique: grey, still listed


# --- the store ----------------------------------------------------------------------------------


def test_the_store_keeps_the_techniques(target: Target, scorer: Scorer) -> None:  # noqa: F811
    store = SuggestionStore(target.url)
    try:
        with_them = analyzed_to_dict(analyze_page(_page(), scorer, techniques=FakeTechniqueModel()))
        first = store.add_page(with_them)
        # another article: analyzing the same page again would update it (issue 19)
        second = store.add_page(analyzed_to_dict(analyze_page(_page(["Another article."]), scorer)))
        page = store.page(first)
        assert page is not None and page["techniques"] == with_them["techniques"]
        assert page["techniques_model_version"] == "techniques-fake-0"
        assert [(p["techniques"] is None, p["techniques_model_version"]) for p in store.pages()] == [(False, "techniques-fake-0"), (True, None)]
        assert store.page(second)["techniques"] is None  # type: ignore[index]
    finally:
        store.close()


def test_a_schema_5_database_upgrades_to_6(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scorer: Scorer) -> None:
    """Pages stored before techniques read back with none; new pages keep theirs."""
    db = str(tmp_path / "old.db")
    monkeypatch.setattr(_store, "SCHEMA_VERSION", 5)  # what tenor before techniques made
    SuggestionStore(db).close()
    with closing(sqlite3.connect(db)) as con, con:
        assert "techniques" not in {r[1] for r in con.execute("PRAGMA table_info(pages)")}
        old_id = con.execute("INSERT INTO pages (received_at, source, format, title, article_text, warnings, model_version)"
                             " VALUES ('2026-01-01T00:00:00+00:00', 'old.txt', 'raw', 'Bridge', 'Text.', '[]', 'm-0')").lastrowid  # fmt: skip
    monkeypatch.undo()
    new = SuggestionStore(db)
    try:
        assert new.schema_version == SCHEMA_VERSION >= 6 and [m["version"] for m in new.migrations()][:6] == [1, 2, 3, 4, 5, 6]
        page = new.page(old_id)
        assert page is not None and page["title"] == "Bridge" and (page["techniques"], page["techniques_model_version"]) == (None, None)
        new_id = new.add_page(analyzed_to_dict(analyze_page(_page(), scorer, techniques=FakeTechniqueModel())))
        assert new.page(new_id)["techniques"]["model_version"] == "techniques-fake-0"  # type: ignore[index]
    finally:
        new.close()


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, scorer: Scorer) -> list[str | None]:
    """The tiny scorer and the fake technique model; returns the technique model names asked for."""
    from tenor.cli import _analyze as analyze_module
    from tenor.cli import _score as score_module

    asked: list[str | None] = []
    monkeypatch.setattr(score_module, "_load_scorer", lambda model, multilingual=None: scorer)
    monkeypatch.setattr(analyze_module, "_load_techniques", lambda model: asked.append(model) or FakeTechniqueModel())
    return asked


def _run(args: list[str]) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from tenor.cli import main

    result = CliRunner().invoke(main, ["analyze", str(ROOT / "examples" / "page.txt"), "--no-store", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_finds_techniques_by_default_and_not_with_no_techniques(cli: list[str | None]) -> None:
    code, out, _ = _run(["--json"])
    assert code == 0 and cli == [None]
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert data["techniques"]["model_version"] == "techniques-fake-0"
    code, out, _ = _run([])
    assert code == 0 and "techniques (techniques-fake-0): Loaded language ×3, Doubt ×1; 3 of 3 paragraphs labelled" in out
    code, out, _ = _run(["--json", "--no-techniques"])
    assert code == 0 and json.loads(out)["techniques"] is None and cli == [None, None]


def test_cli_techniques_model_is_passed_on_and_conflicts_with_no_techniques(cli: list[str | None]) -> None:
    code, _, _ = _run(["--json", "--techniques-model", "some/folder"])
    assert code == 0 and cli == ["some/folder"]
    code, _, err = _run(["--no-techniques", "--techniques-model", "x"])
    assert code == 2 and "contradict" in err


def test_cli_missing_technique_model_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, scorer: Scorer, tmp_path: Path) -> None:
    from tenor.cli import _score as score_module

    monkeypatch.setattr(score_module, "_load_scorer", lambda model, multilingual=None: scorer)
    code, out, err = _run(["--techniques-model", str(tmp_path / "nowhere")])
    assert code == 1 and out == ""
    assert err.startswith("Error: ") and "nowhere" in err and "tenor train --techniques" in err


# --- end to end, the shipped models ----------------------------------------------------------------


def test_analyze_the_example_page_with_the_shipped_technique_model(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tenor.cli import main

    db = tmp_path / "t.db"
    result = CliRunner().invoke(main, ["analyze", str(ROOT / "examples" / "page.txt"), "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    found, article = data["techniques"], data["article"]
    assert found["model_version"] == "techniques-en-2026.11.0" and data["warnings"] == []
    assert [(p["begin"], p["end"]) for p in found["paragraphs"]] == [(p["start"], p["end"]) for p in article["paragraphs"]]
    for s in found["spans"]:
        assert 0 <= s["begin"] < s["end"] <= len(article["text"]) and article["text"][s["begin"] : s["end"]].strip()
    store = SuggestionStore(str(db))
    try:
        (page,) = store.pages()
        assert page["techniques"] == found and page["techniques_model_version"] == "techniques-en-2026.11.0"
    finally:
        store.close()
