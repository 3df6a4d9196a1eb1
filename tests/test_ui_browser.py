"""The review UI in a real browser: Playwright (Python) driving Debian's chromium by its path (no
browser download), against a real `tenor serve` app on uvicorn.

The issue's bar: a reviewer signs in, uploads a raw dump page, sees its thread with highlights,
clears the review queue; the decisions are in the database and in the export. And XSS payloads
in titles, author names and comment text stay inert: no script runs.

TENOR_UPDATE_SCREENSHOTS=1 rewrites the screenshots under docs/ (README shows them).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (the dev group installs it)")
uvicorn = pytest.importorskip("uvicorn", reason="tenor serve needs the serve extra, not installed")

from tenor import Scorer
from tenor.serve import create_app
from tenor.serve.ui._auth import hash_password
from tenor.techniques import load_technique_model

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (Debian package `chromium`; .ci/run installs it)")
PASSWORD = "correct horse battery"
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'

XSS_PAGE = "\n".join(
    json.dumps(row)
    for row in [
        {"page": "p1", "kind": "article", "title": f"Harbour news {XSS}", "text": f"The bridge reopened. {XSS}"},
        {"page": "p1", "id": "c1", "author": f"mallory {XSS}", "text": f"You are an idiot and a liar. {XSS}"},
        {"page": "p1", "id": "c2", "parent": "c1", "author": "javascript:alert(1)", "text": "Shut up, you stupid troll. <b>bold</b>"},
        {"page": "p1", "id": "c3\"><svg onload=window.__xss=3>", "author": "ok", "text": "Thanks for the careful reporting."},
    ]
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    """A real uvicorn server on a free port with a fresh SQLite database and one reviewer."""
    db = tmp_path_factory.mktemp("ui") / "tenor.db"
    app = create_app(Scorer(), db_path=str(db), techniques=load_technique_model())
    store = app.state.store
    store.add_reviewer("alice", hash_password(PASSWORD))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _sign_in(page: object, base: str) -> None:
    page.goto(f"{base}/ui/queue")  # type: ignore[attr-defined]
    assert "/ui/login" in page.url  # type: ignore[attr-defined]
    page.fill("input[name=username]", "alice")  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}/ui/queue")  # type: ignore[attr-defined]


def _upload(page: object, base: str, path: Path, community: str = "default") -> int:
    page.goto(f"{base}/ui/")  # type: ignore[attr-defined]
    page.set_input_files("#page-file", str(path))  # type: ignore[attr-defined]
    page.fill("input[name=community]", community)  # type: ignore[attr-defined]
    page.click("form.upload button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}/ui/pages/*")  # type: ignore[attr-defined]
    return int(page.url.rsplit("/", 1)[1])  # type: ignore[attr-defined]


def test_reviewer_uploads_a_raw_dump_sees_highlights_and_clears_the_queue(server: tuple[str, object], browser: object, tmp_path: Path) -> None:
    base, store = server
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]  # reading and deciding need no script
    page = context.new_page()
    _sign_in(page, base)
    # this community's moderators want more in their queue: a lower TOXICITY threshold
    page.goto(f"{base}/ui/thresholds?community=strict")
    page.fill("input[name=TOXICITY]", "0.1")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{base}/ui/thresholds?community=strict")
    assert page.input_value("input[name=TOXICITY]") == "0.1"
    page_id = _upload(page, base, ROOT / "examples" / "page.txt", community="strict")

    assert page.inner_text("h1") == "Council Approves New Waste Collection Schedule"
    assert page.locator("ul.thread ul.thread article.comment").count() >= 1  # replies nest under their parent
    marks = page.locator("article.comment mark")
    assert marks.count() >= 2 and "morons" in " ".join(marks.all_inner_texts())
    assert page.locator("span.reply[title]").count() >= 1  # reply evidence, shown on hover
    assert page.locator("meter").count() >= 6
    legend = page.locator("#technique-legend")  # the article's persuasion techniques, from the shipped model
    assert legend.is_visible() and "technique model techniques-en-" in legend.inner_text()

    page.goto(f"{base}/ui/queue?page={page_id}")
    queued = page.locator("ol.queue > li").count()
    assert queued >= 2
    for n in range(queued):
        item = page.locator("ol.queue > li").first
        item.locator("input[name=note]").fill(f"note {n}")
        item.locator(f"button[value={('reject', 'approve', 'flag')[n % 3]}]").click()
        page.wait_for_load_state()
    assert page.locator("#queue-empty").is_visible()

    decisions = [d for d in store.decisions() if d["page_id"] == page_id]  # type: ignore[attr-defined]
    assert len(decisions) == queued and {d["reviewer"] for d in decisions} == {"alice"}
    assert [d["note"] for d in decisions] == [f"note {n}" for n in range(queued)]
    exported_csv = list(csv.DictReader(io.StringIO(context.request.get(f"{base}/ui/decisions.csv").text())))
    exported_json = context.request.get(f"{base}/ui/decisions.json").json()
    assert {int(r["id"]) for r in exported_csv} >= {d["id"] for d in decisions}
    assert {r["id"] for r in exported_json} >= {d["id"] for d in decisions}
    assert any(s["client_token"] and s["client_token"].startswith("tenor-ui-decision:") for s in store.suggestions())  # type: ignore[attr-defined]
    context.close()


def test_xss_payloads_in_titles_authors_and_comments_stay_inert(server: tuple[str, object], browser: object, tmp_path: Path) -> None:
    base, _ = server
    context = browser.new_context()  # script on: a payload that got through would run
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _sign_in(page, base)
    source = tmp_path / "xss.jsonl"
    source.write_text(XSS_PAGE, encoding="utf-8")
    page_id = _upload(page, base, source)
    assert XSS in page.inner_text("h1")  # shown as text, not markup
    for url in (f"/ui/pages/{page_id}", "/ui/", f"/ui/queue?page={page_id}&status=all"):
        page.goto(base + url)
        assert page.evaluate("window.__xss") is None, url
        assert page.locator("main img, main script, main svg, main b").count() == 0, url
    page.goto(f"{base}/ui/queue?page={page_id}")
    if page.locator("ol.queue > li").count():
        page.locator("ol.queue > li").first.locator("input[name=note]").fill(XSS)
        page.locator("ol.queue > li").first.locator("button[value=flag]").click()
        page.goto(f"{base}/ui/decisions")
        assert page.evaluate("window.__xss") is None
        assert page.locator("main img, main script").count() == 0
    assert dialogs == []
    context.close()


def test_screenshots_of_the_main_views(server: tuple[str, object], browser: object, tmp_path: Path) -> None:
    base, _ = server
    target = ROOT / "docs" if os.environ.get("TENOR_UPDATE_SCREENSHOTS") == "1" else tmp_path
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    _sign_in(page, base)
    page_id = _upload(page, base, ROOT / "examples" / "page.txt", community="screenshots")
    page.screenshot(path=str(target / "ui-page.png"), full_page=True)
    page.goto(f"{base}/ui/queue?page={page_id}")
    page.screenshot(path=str(target / "ui-queue.png"), full_page=True)
    page.goto(f"{base}/ui/")
    page.screenshot(path=str(target / "ui-pages.png"))
    for name in ("ui-page.png", "ui-queue.png", "ui-pages.png"):
        assert (target / name).stat().st_size > 10_000
    context.close()
