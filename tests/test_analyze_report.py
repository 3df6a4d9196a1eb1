"""The HTML report: self-contained, and every string from a page escaped. A report full of XSS
payloads (in the page, and in what a technique model returns) is loaded in headless Chromium
(Debian's package) to prove no script ran."""

from __future__ import annotations

import re

import shutil
import subprocess
from pathlib import Path

import pytest

from tenor import Scorer
from tenor.analyze import Article, Comment, Page, analyze_page, analyzed_to_dict
from tenor.analyze._report import render_report

# Each payload, if it ever ran, would leave a mark on <body> that Chromium's dumped DOM shows.
PAYLOADS = (
    "<script>document.body.setAttribute('data-xss','script')</script>",
    "<img src=x onerror=\"document.body.setAttribute('data-xss','img')\">",
    "\"><svg onload=\"document.body.setAttribute('data-xss','svg')\">",
    "'><iframe srcdoc=\"<script>parent.document.body.setAttribute('data-xss','iframe')</script>\">",
    "javascript:document.body.setAttribute('data-xss','href')",
    "</textarea></style></title><script>document.body.setAttribute('data-xss','breakout')</script>",
)


def _hostile_page() -> Page:
    comments = [
        Comment.from_paragraphs(f"c{i}\"'><b>", payload, [f"idiot {payload}", payload], parent=None)
        for i, payload in enumerate(PAYLOADS)
    ]
    comments[1].parent = comments[0].id
    return Page(
        source=PAYLOADS[0], format="raw", title=PAYLOADS[1], dateline=PAYLOADS[2],
        article=Article.from_paragraphs(list(PAYLOADS)), comments=comments, warnings=[PAYLOADS[3]],
    )


@pytest.fixture(scope="module")
def report(scorer: Scorer) -> str:
    from tests.test_analyze_techniques import HostileTechniqueModel

    # the article's technique highlights, chips and legend run over the payloads too
    data = analyzed_to_dict(analyze_page(_hostile_page(), scorer, techniques=HostileTechniqueModel()))
    return render_report([data], scorer.thresholds)


def test_report_is_self_contained_and_escapes_everything(report: str) -> None:
    lower = report.lower()
    assert "<script" not in lower and "<img" not in lower and "<iframe" not in lower and "<svg onload" not in lower
    assert "http://" not in report and "https://" not in report  # no external assets
    assert "&lt;script&gt;" in report and "&quot;&gt;&lt;svg onload=" in report
    assert "default-src 'none'" in report  # and a CSP that would stop scripts anyway


def test_no_script_runs_in_chromium(report: str, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium not installed (Debian package `chromium`; .ci/run installs it)")
    # Strip the CSP so the test proves escaping alone keeps the payloads inert.
    page = tmp_path / "report.html"
    page.write_text(report.replace("default-src 'none'", "default-src *"), encoding="utf-8")
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=2000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout
    assert "<body" in dom and "Thread (6 comments)" in dom
    assert "data-xss" not in dom.split("<body", 1)[1].split(">", 1)[0]
    assert len(re.findall(r'<mark class="m[1-4]">', dom)) >= 6  # the spans were highlighted (as markup of ours, not theirs)
    assert dom.count('<mark class="tq"') >= len(PAYLOADS) and 'class="chip"' in dom  # and the article's techniques
    assert "<iframe" not in dom and "<svg onload" not in dom


def test_a_report_of_many_pages_opens_with_an_index_and_keeps_anchors_apart(scorer: Scorer) -> None:
    """Issue 19: `--report` over many pages writes an index (linked, with counts), and the
    comment anchors of one page never capture another page's links (both have a comment c1)."""
    pages = []
    for title in ("First <page>", "Second page"):
        comments = [Comment.from_paragraphs("c1", "ann", ["You are an idiot."], parent=None)]
        page = Page(source=f"{title}.txt", format="raw", title=title, dateline=None,
                    article=Article.from_paragraphs(["Text."]), comments=comments, warnings=[])  # fmt: skip
        pages.append(analyzed_to_dict(analyze_page(page, scorer)))
    html = render_report(pages, scorer.thresholds)
    nav = html.split("<nav>", 1)[1].split("</nav>", 1)[0]
    assert "2 pages" in nav and '<a href="#p1-page">First &lt;page&gt;</a>' in nav and 'href="#p2-page"' in nav
    assert html.count('id="p1-comment-c1"') == 1 and html.count('id="p2-comment-c1"') == 1
    assert 'href="#p2-comment-c1"' in html and 'id="comment-c1"' not in html
    assert "None" not in re.sub(r"<[^>]+>", "", html)  # no Python None in what a reader sees
    single = render_report(pages[:1], scorer.thresholds)
    assert "<nav>" not in single and 'id="comment-c1"' in single
