"""The page view's persuasion techniques (/ui/pages/N): the article with a colour per technique,
overlapping spans, a legend with counts, per-paragraph chips and the technique model's version;
hostile text stays text; pages stored without techniques render as before with a note; uploads
go through the app's technique model."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("jinja2")
pytest.importorskip("multipart")

from tenor import Scorer  # noqa: E402
from tenor.analyze import analyze_page, analyzed_to_dict, parse_pages  # noqa: E402
from tenor.serve.ui import _auth  # noqa: E402
from tenor.serve.ui._techniques import technique_view  # noqa: E402
from tenor.techniques import TECHNIQUE_DESCRIPTIONS, TECHNIQUES  # noqa: E402

from .ui_helpers import IMG, SCRIPT, UI, FakeTechniques, assert_ui_headers, jsonl, make_ui  # noqa: E402

CSS = Path(__file__).resolve().parents[1] / "src" / "tenor" / "serve" / "ui" / "static" / "tenor.css"
ARTICLE = "Our brave nation will never surrender to these corrupt elites.\n\nEveryone knows they lie.\n\nThe vote is on Tuesday."
PAGE = jsonl([("c1", "Ann", "Great article.")], title="Vote", text=ARTICLE)


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_auth, "_N", 2**8)


@pytest.fixture
def fake() -> FakeTechniques:
    return FakeTechniques()


@pytest.fixture
def ui(scorer: Scorer, tmp_path: Path, fake: FakeTechniques) -> Iterator[UI]:
    for ui in make_ui(scorer, tmp_path, techniques=fake):
        assert ui.login().status_code == 303
        yield ui


def upload(ui: UI, data: bytes, name: str = "page.jsonl") -> int:
    r = ui.post("/ui/pages", {"community": "default"}, files={"file": (name, data)})
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def marks(html: str) -> list[tuple[str, str, str]]:
    """(class, title, text) of every technique mark, in order."""
    return re.findall(r'<mark class="(tq [^"]*)" title="([^"]*)">([^<]*)</mark>', html)


def test_uploaded_page_is_analyzed_with_the_apps_technique_model(ui: UI, fake: FakeTechniques) -> None:
    page_id = upload(ui, PAGE)
    assert fake.calls == [(ARTICLE, [(0, 62), (64, 88), (90, 113)])]  # the reader's paragraphs
    assert ui.store.page(page_id)["techniques"]["model_version"] == "techniques-test-0"
    r = ui.get(f"/ui/pages/{page_id}")
    assert r.status_code == 200
    assert_ui_headers(r)
    html = r.text
    assert "technique model techniques-test-0" in html
    flag, loaded, name = (f"t{TECHNIQUES.index(t)}" for t in ("Flag_Waving", "Loaded_Language", "Name_Calling-Labeling"))
    popularity = f"t{TECHNIQUES.index('Appeal_to_Popularity')}"
    # "corrupt" is under two spans: the more confident colours it, the other underlines it
    assert marks(html) == [
        (f"tq {flag}", "Flag-waving 0.88", "Our brave nation"),
        (f"tq {name} also o{loaded[1:]}", "Name calling or labelling 0.91 · Loaded language 0.73", "corrupt"),
        (f"tq {name}", "Name calling or labelling 0.91", " elites"),
        (f"tq {popularity}", "Appeal to popularity 0.64", "Everyone knows"),
    ]
    assert ">Our brave nation</mark> will never surrender to these <mark" in html  # the text between, unchanged
    # chips: the first paragraph's three techniques, most confident first; none on the third
    chips = re.findall(r'<span class="chip (t\d+)" title="[^"]*">([^<]*)</span>', html)
    assert chips == [(name, "Name calling or labelling 0.91"), (flag, "Flag-waving 0.88"), (loaded, "Loaded language 0.73"),
                     (popularity, "Appeal to popularity 0.64")]  # fmt: skip
    assert html.count('<div class="para">') == 3 and "The vote is on Tuesday." in html
    # the legend: inventory order, label, counts, description
    legend = re.findall(r'<li id="legend-([^"]+)"><span class="swatch (t\d+)"></span> <strong>([^<]+)</strong> <span class="meta">([^<]+)</span>', html)
    assert [(t, c, label) for t, c, label, _ in legend] == [
        ("Appeal_to_Popularity", popularity, "Appeal to popularity"), ("Flag_Waving", flag, "Flag-waving"),
        ("Loaded_Language", loaded, "Loaded language"), ("Name_Calling-Labeling", name, "Name calling or labelling"),
    ]  # fmt: skip
    assert legend[2][3] == f"1 span, 1 paragraph · {TECHNIQUE_DESCRIPTIONS['Loaded_Language']}".replace("'", "&#39;")
    assert "4 spans · 2 of 3 paragraphs labelled" in html
    assert 'id="techniques-missing"' not in html


def test_hostile_text_and_stored_values_stay_text(ui: UI, scorer: Scorer) -> None:
    article = f"{SCRIPT} corrupt elites {IMG}\n\nEveryone knows {SCRIPT}"
    page_id = upload(ui, jsonl([("c1", "Ann", "ok")], title=f"T {SCRIPT}", text=article))
    html = ui.get(f"/ui/pages/{page_id}").text
    assert "<script>" not in html and "<img" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark" in html
    # a stored row with a technique name outside the inventory (a hand-edited or hostile row)
    data = analyzed_to_dict(analyze_page(parse_pages(PAGE, "p.jsonl", "jsonl")[0], scorer, techniques=FakeTechniques()))
    data["techniques"]["spans"][0]["technique"] = IMG
    data["techniques"]["paragraphs"][0]["techniques"][0]["technique"] = f'x" class="{SCRIPT}'
    data["techniques"]["model_version"] = SCRIPT
    html = ui.get(f"/ui/pages/{ui.store.add_page(data)}").text
    assert "<script>" not in html and "<img" not in html
    assert 'class="tq tx"' in html and 'class="chip tx"' in html and 'class="swatch tx"' in html  # grey, not an injected class
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt; 0.88" in html  # the raw name, escaped, in the mark's title


def test_page_stored_without_techniques_renders_as_before_with_a_note(scorer: Scorer, tmp_path: Path) -> None:
    for ui in make_ui(scorer, tmp_path):  # an app without a technique model: uploads get none
        assert ui.login().status_code == 303
        page_id = upload(ui, PAGE)
        assert ui.store.page(page_id)["techniques"] is None
        html = ui.get(f"/ui/pages/{page_id}").text
        assert 'id="techniques-missing"' in html and 'id="technique-legend"' not in html and '<mark class="tq' not in html
        assert "<p>Our brave nation will never surrender to these corrupt elites.</p>" in html
        assert "Article (3 paragraphs)" in html


def test_an_article_without_techniques_says_so(ui: UI) -> None:
    page_id = upload(ui, jsonl([("c1", "Ann", "ok")], title="Quiet", text="The vote is on Tuesday.\n\nIt starts at noon."))
    html = ui.get(f"/ui/pages/{page_id}").text
    assert 'id="no-techniques"' in html and "0 spans · 0 of 2 paragraphs labelled" in html and '<mark class="tq' not in html


def test_every_technique_has_a_colour() -> None:
    css = CSS.read_text(encoding="utf-8")
    for i in range(len(TECHNIQUES)):
        assert f".t{i}{{--c:" in css and f".o{i}{{--o:" in css
    assert ".tx{" in css and ".ox{" in css


def view(text: str, spans: list[tuple[int, int, str, float]], paragraphs: list[tuple[int, int]]) -> Any:
    stored = {"model_version": "m", "spans": [{"begin": b, "end": e, "technique": t, "confidence": c} for b, e, t, c in spans],
              "paragraphs": [{"begin": b, "end": e, "techniques": []} for b, e in paragraphs]}  # fmt: skip
    return technique_view(text, stored)


def pieces(v: Any) -> list[list[tuple[str, tuple[str, ...]]]]:
    return [[(p.text, tuple(h.technique for h in p.hits)) for p in para.pieces] for para in v.paragraphs]


def test_view_overlaps_clipping_and_bad_offsets() -> None:
    text = "aaaa bbbb\ncccc"
    v = view(text, [(0, 9, "Doubt", 0.5), (5, 9, "Slogans", 0.9), (5, 14, "Repetition", 0.6), (0, 4, "Doubt", 0.7),
                    (3, 99, "Red_Herring", 0.9), (-1, 2, "Red_Herring", 0.9)], [(0, 9), (10, 14)])  # fmt: skip
    assert pieces(v) == [
        [("aaaa", ("Doubt",)), (" ", ("Doubt",)), ("bbbb", ("Slogans", "Repetition", "Doubt"))],
        [("cccc", ("Repetition",))],  # the span crossing the paragraph break shows on both sides
    ]
    assert v.paragraphs[0].pieces[0].title == "Doubt 0.70"  # two spans of one technique: the more confident
    assert [(e.hit.technique, e.spans) for e in v.legend] == [("Slogans", 1), ("Repetition", 1), ("Doubt", 2)]
    assert v.span_count == 4  # the out-of-range ones are left out
    assert technique_view(text, None) is None


def test_view_without_paragraphs_still_shows_the_spans() -> None:
    assert pieces(view("ab cd", [(3, 5, "Doubt", 0.5)], [])) == [[("ab ", ()), ("cd", ("Doubt",))]]
    assert view("ab", [], [(0, 2), (1, 3)]).paragraphs[0].pieces[0].text == "ab"  # (1, 3) is past the text
