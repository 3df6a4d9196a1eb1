"""The review UI of `tenor serve` (/ui) over HTTP, no browser: sign-in, sessions, CSRF, page
upload and server import, escaping and security headers, decisions, export, thresholds."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("jinja2")
pytest.importorskip("multipart")

from tenor import Scorer
from tenor.serve.ui import _auth
from tenor.serve.ui._export import COLUMNS

from .ui_helpers import IMG, INSULTS, PAGE, PW, SCRIPT, UI, assert_ui_headers, jsonl, make_ui, nesting


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    # the same code with a small work factor: hashes a test makes cost microseconds, not 40 ms
    monkeypatch.setattr(_auth, "_N", 2**8)


@pytest.fixture
def ui(scorer: Scorer, tmp_path: Path) -> Iterator[UI]:
    yield from make_ui(scorer, tmp_path)


@pytest.fixture
def signed_in(ui: UI) -> UI:
    assert ui.login().status_code == 303
    return ui


@pytest.fixture(scope="module")
def shipped() -> Scorer:
    # a real shipped model whose answers on these texts the UI tests pin: the fast (n-gram) engine;
    # the default engine's own behaviour is tested in test_scorer.py and the eval suites
    return Scorer("fast")


@pytest.fixture
def real(shipped: Scorer, tmp_path: Path) -> Iterator[UI]:
    for ui in make_ui(shipped, tmp_path):
        assert ui.login().status_code == 303
        yield ui


# --- signing in ------------------------------------------------------------------------------

GUARDED = ["/ui/", "/ui/queue?status=all&page=1", "/ui/pages/1", "/ui/decisions", "/ui/decisions.csv",
           "/ui/decisions.json", "/ui/thresholds?community=c2"]  # fmt: skip


@pytest.mark.parametrize("path", GUARDED)
@pytest.mark.parametrize("cookie", [None, "not-a-session"])
def test_pages_need_a_session(ui: UI, path: str, cookie: str | None) -> None:
    headers = {"cookie": f"tenor_session={cookie}"} if cookie else {}
    r = ui.get(path, headers=headers)
    assert r.status_code == 303
    assert r.headers["location"] == "/ui/login?" + urlencode({"next": path})
    assert_ui_headers(r)


@pytest.mark.parametrize("path", ["/ui/pages", "/ui/comments/1/decision", "/ui/thresholds"])
def test_forms_without_a_session_go_to_login_and_back_to_their_page(ui: UI, path: str) -> None:
    r = ui.post(path, {"action": "approve"}, headers={"referer": "http://testserver/ui/queue?page=2"})
    assert (r.status_code, r.headers["location"]) == (303, "/ui/login?" + urlencode({"next": "/ui/queue?page=2"}))
    for referer in ("https://evil.example/ui/queue", ""):  # another site's page, or none: the pages list
        r = ui.post(path, headers={"referer": referer})
        assert r.headers["location"] == "/ui/login?" + urlencode({"next": "/ui/"})
    assert ui.tables()["review_decisions"] == [] and ui.tables()["pages"] == []


def test_login_page_and_stylesheet_are_open(ui: UI) -> None:
    r = ui.get("/ui/login")
    assert r.status_code == 200 and 'name="password"' in r.text and ui.cookies.get("tenor_login_csrf")
    assert_ui_headers(r)
    css = ui.get("/ui/static/tenor.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert_ui_headers(css, page=False)
    assert ui.get("/ui").headers["location"] == "/ui/"


def _login_error(ui: UI, name: str, password: str) -> str:
    r = ui.login(name, password)
    assert r.status_code == 401 and "tenor_session" not in ui.cookies
    assert '<p class="error" role="alert">Wrong user name or password.</p>' in r.text
    return re.sub(r'name="csrf" value="[^"]*"', "", r.text)


def test_wrong_password_and_unknown_name_answer_alike(ui: UI, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _login_error(ui, "ann", "not the password") == _login_error(ui, "nobody", PW) == _login_error(ui, "", PW)
    calls = []
    scrypt = _auth.hashlib.scrypt
    monkeypatch.setattr(_auth.hashlib, "scrypt", lambda *a, **k: calls.append(1) or scrypt(*a, **k))
    for name in ("nobody", "ann"):  # one scrypt each: timing does not tell known names apart
        calls.clear()
        _login_error(ui, name, "wrong password")
        assert len(calls) == 1, name
    assert ui.tables()["reviewer_sessions"] == []


def test_disabled_reviewer_cannot_sign_in(ui: UI) -> None:
    ui.store.set_reviewer("ann", disabled=True)
    _login_error(ui, "ann", PW)
    ui.store.set_reviewer("ann", disabled=False)
    assert ui.login().status_code == 303


@pytest.mark.parametrize("cookie, field", [(None, "tok"), ("tok", None), ("tok", "other"), (None, None)])
def test_login_needs_the_double_submit_token(ui: UI, cookie: str | None, field: str | None) -> None:
    headers = {"cookie": f"tenor_login_csrf={cookie}"} if cookie else {}
    r = ui.post("/ui/login", {"username": "ann", "password": PW}, csrf=field, headers=headers)
    assert r.status_code == 403 and "Form expired" in r.text
    assert ui.tables()["reviewer_sessions"] == []


@pytest.mark.parametrize("next_, expected", [
    ("/ui/decisions?x=1", "/ui/decisions?x=1"), ("", "/ui/queue"), ("//evil.com", "/ui/queue"),
    ("https://evil.com", "/ui/queue"), ("/ui\\evil", "/ui/queue"), ("/ui/\\\\evil.com", "/ui/queue"),
    ("javascript:alert(1)", "/ui/queue"), ("/uievil", "/ui/queue"), ("//ui/", "/ui/queue"),
])  # fmt: skip
def test_next_is_followed_only_inside_the_ui(ui: UI, next_: str, expected: str) -> None:
    assert f'name="next" value="{expected}"' in ui.get("/ui/login", params={"next": next_}).text
    r = ui.login(next=next_)
    assert (r.status_code, r.headers["location"]) == (303, expected)


# --- sessions --------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_session_cookie_flags_and_only_its_hash_stored(scorer: Scorer, tmp_path: Path, scheme: str) -> None:
    for ui in make_ui(scorer, tmp_path, base_url=f"{scheme}://testserver"):
        r = ui.login()
        (cookie,) = [h for h in r.headers.get_list("set-cookie") if h.startswith("tenor_session=")]
        flags = {part.strip().lower() for part in cookie.split(";")}
        assert {"httponly", "samesite=strict", "path=/ui"} <= flags
        assert ("secure" in flags) == (scheme == "https")
        token = ui.cookies["tenor_session"]
        (row,) = ui.tables()["reviewer_sessions"]
        assert hashlib.sha256(token.encode()).hexdigest() in row
        assert token not in repr(ui.tables())


def test_logout_ends_the_session(signed_in: UI) -> None:
    ui = signed_in
    token = ui.cookies["tenor_session"]
    r = ui.post("/ui/logout")
    assert (r.status_code, r.headers["location"]) == (303, "/ui/login")
    assert "tenor_session" not in ui.cookies and ui.tables()["reviewer_sessions"] == []
    assert ui.get("/ui/queue", headers={"cookie": f"tenor_session={token}"}).status_code == 303


@pytest.mark.parametrize("change", [{"password_hash": _auth.hash_password("a new password")}, {"disabled": True}])
def test_new_password_or_disabling_ends_sessions(signed_in: UI, change: dict[str, Any]) -> None:
    assert signed_in.get("/ui/queue").status_code == 200
    signed_in.store.set_reviewer("ann", **change)
    assert signed_in.get("/ui/queue").status_code == 303


def test_expired_session_is_signed_out(ui: UI) -> None:
    ui.store.add_session(_auth.hash_token("old"), 1, "csrf", "2000-01-01T00:00:00+00:00")
    assert ui.get("/ui/", headers={"cookie": "tenor_session=old"}).status_code == 303


# --- CSRF ------------------------------------------------------------------------------------


@pytest.mark.parametrize("csrf", [None, "", "wrong", "other-session"])
@pytest.mark.parametrize("form", ["decision", "upload", "thresholds", "logout"])
def test_forms_without_this_sessions_token_change_nothing(signed_in: UI, form: str, csrf: str | None) -> None:
    ui = signed_in
    comment = ui.ids(ui.seed(INSULTS))["a1"]
    ui.store.add_session(_auth.hash_token("other"), 1, "other-session", _auth.session_expiry())
    before = ui.tables()
    sent = csrf
    if form == "decision":
        r = ui.post(f"/ui/comments/{comment}/decision", {"action": "reject", "attribute": "TOXICITY"}, csrf=sent)
    elif form == "upload":
        r = ui.post("/ui/pages", {"community": "x"}, csrf=sent, files={"file": ("page.txt", PAGE.read_bytes())})
    elif form == "thresholds":
        r = ui.post("/ui/thresholds", {"community": "default", "TOXICITY": "0.9"}, csrf=sent)
    else:
        r = ui.post("/ui/logout", csrf=sent)
    assert r.status_code == 403 and "Form expired" in r.text
    assert_ui_headers(r)
    assert ui.tables() == before
    assert ui.get("/ui/queue").status_code == 200  # still signed in


# --- pages: upload and server import ----------------------------------------------------------


def test_a_comment_no_model_scores_shows_as_not_checked(signed_in: UI) -> None:
    """Issue 19: not checked (its language) is shown as such, not as an error nor as fine."""
    german = "Das ist ein sehr langer deutscher Satz, der eindeutig als Deutsch erkannt werden sollte."
    page = jsonl([("en", "Ann", "Great article, thanks for the careful reporting."), ("de", "Hans", german)])
    r = signed_in.post("/ui/pages", {"community": "default"}, files={"file": ("p.jsonl", page, "application/jsonl")})
    assert r.status_code == 303
    html = signed_in.get(r.headers["location"]).text
    assert "not checked (language de)" in html and "not scored:" not in html


def test_upload_shows_article_thread_meters_and_marks(real: UI) -> None:
    r = real.post("/ui/pages", {"community": "default"}, files={"file": ("page.txt", PAGE.read_bytes(), "text/plain")})
    assert (r.status_code, r.headers["location"]) == (303, "/ui/pages/1")
    html = real.get("/ui/pages/1").text
    assert "<h1>Council Approves New Waste Collection Schedule</h1>" in html
    assert "<p>The city council voted 7-2 on Thursday" in html
    # c3 answers c2, c6 answers c3: a <ul class="thread"> in the <li> of each parent
    assert nesting(html) == {"comment-c1": 1, "comment-c2": 1, "comment-c3": 2, "comment-c4": 1, "comment-c5": 1,
                             "comment-c6": 3}  # fmt: skip
    assert html.count("<meter ") == 6 * 6
    assert re.search(r'<mark class="m[1-4]">morons</mark>', html) and re.search(r'<mark class="m[1-4]">idiots</mark>', html)
    assert 'href="/ui/pages/1"' in real.get("/ui/").text


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "is empty"), ("blank.txt", b" \n\n ", "is empty"),
    ("x.bin", b"\x89PNG\r\n\x1a\n\x00\xff", "not valid utf-8"), ("x.jsonl", b"{not json", "malformed JSON"),
])  # fmt: skip
def test_bad_upload_is_400_with_a_message(signed_in: UI, name: str, data: bytes, message: str) -> None:
    r = signed_in.post("/ui/pages", files={"file": (name, data)})
    assert r.status_code == 400 and message in r.text and 'role="alert"' in r.text
    assert signed_in.store.pages() == []


def test_upload_without_file_or_path_is_400(signed_in: UI) -> None:
    r = signed_in.post("/ui/pages", {"community": "default"})
    assert r.status_code == 400 and "choose a page file" in r.text


def test_server_import_is_off_without_import_dirs(signed_in: UI) -> None:
    r = signed_in.post("/ui/pages", {"path": str(PAGE)})
    assert r.status_code == 400 and "importing files from the server is off" in r.text
    assert signed_in.store.pages() == [] and "or a file on the server" not in signed_in.get("/ui/").text


@pytest.fixture
def importer(scorer: Scorer, tmp_path: Path) -> Iterator[UI]:
    allowed = tmp_path / "allowed"
    (allowed / "sub").mkdir(parents=True)
    for path in (allowed / "page.txt", allowed / "sub" / "p.txt", tmp_path / "secret.txt"):
        path.write_bytes(PAGE.read_bytes())
    (allowed / "link.txt").symlink_to(tmp_path / "secret.txt")
    (allowed / "up").symlink_to(tmp_path, target_is_directory=True)
    for ui in make_ui(scorer, tmp_path, import_dirs=[allowed]):
        assert ui.login().status_code == 303
        yield ui


@pytest.mark.parametrize("raw", ["../secret.txt", "sub/../../secret.txt", "{tmp}/secret.txt", "link.txt", "up/secret.txt",
                                 "/etc/passwd", "sub", "missing.txt", "{tmp}/allowed/../secret.txt"])  # fmt: skip
def test_server_import_refuses_paths_outside_the_allowed_folder(importer: UI, tmp_path: Path, raw: str) -> None:
    r = importer.post("/ui/pages", {"path": raw.format(tmp=tmp_path)})
    assert r.status_code == 400 and "is not a file inside" in r.text
    assert importer.store.pages() == []


@pytest.mark.parametrize("raw", ["page.txt", "sub/p.txt", "sub/../page.txt", "{tmp}/allowed/sub/p.txt"])
def test_server_import_inside_the_allowed_folder(importer: UI, tmp_path: Path, raw: str) -> None:
    r = importer.post("/ui/pages", {"path": raw.format(tmp=tmp_path), "community": "c9"})
    assert (r.status_code, r.headers["location"]) == (303, "/ui/pages/1")
    (page,) = importer.store.pages()
    assert page["community"] == "c9" and page["source"].startswith(str((tmp_path / "allowed").resolve()))


# --- escaping and headers --------------------------------------------------------------------


def test_injected_markup_is_inert_everywhere(real: UI) -> None:
    page = jsonl([("c1" + IMG, SCRIPT, "You are a complete idiot and a moron. " + SCRIPT),
                  ("c2", "javascript:alert(1)", "Shut up, idiots. " + IMG)],
                 title=SCRIPT + IMG, url="javascript:alert(1)", dateline=IMG, text="Body " + SCRIPT)  # fmt: skip
    r = real.post("/ui/pages", {"community": "c" + SCRIPT}, files={"file": ("x.jsonl", page)})
    assert r.status_code == 303
    comment = real.ids(1)["c1" + IMG]
    r = real.post(f"/ui/comments/{comment}/decision", {"action": "flag", "attribute": "TOXICITY", "note": SCRIPT + IMG})
    assert r.status_code == 303
    for url in ["/ui/", "/ui/pages/1", "/ui/queue?status=all", "/ui/decisions", "/ui/thresholds?community=" + quote(SCRIPT)]:
        r = real.get(url)
        assert r.status_code == 200, url
        assert_ui_headers(r)
        assert "<script" not in r.text.lower() and "<img" not in r.text.lower(), url
        assert 'href="javascript:' not in r.text.lower(), url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text, url
        if "thresholds" not in url:
            assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in r.text, url


def test_every_ui_answer_has_the_security_headers(signed_in: UI) -> None:
    ui = signed_in
    answers = [ui.get("/ui/"), ui.get("/ui/queue"), ui.get("/ui/pages/99"), ui.get("/ui/decisions.csv"),
               ui.get("/ui/decisions.json"), ui.post("/ui/thresholds", csrf="bad"), ui.get("/ui/nowhere")]  # fmt: skip
    assert [r.status_code for r in answers] == [200, 200, 404, 200, 200, 403, 404]
    assert "There is no page 99." in answers[2].text
    for r in answers:
        assert_ui_headers(r)
    assert "content-security-policy" not in ui.get("/healthz").headers


# --- decisions -------------------------------------------------------------------------------


@pytest.mark.parametrize("action, label", [("approve", 0.0), ("reject", 1.0), ("flag", None)])
def test_decision_is_stored_and_leaves_the_open_queue(real: UI, shipped: Scorer, action: str, label: float | None) -> None:
    ids = real.ids(real.seed(INSULTS))
    flagged = [ids["a1"], ids["a2"], ids["a3"]]
    assert sorted(real.queue()) == flagged
    form = {"action": action, "attribute": "insult", "note": "rude", "next": "/ui/queue?page=1"}
    r = real.post(f"/ui/comments/{ids['a2']}/decision", form)
    assert (r.status_code, r.headers["location"]) == (303, "/ui/queue?page=1")
    (d,) = real.store.decisions()
    score = real.store.page_comment(ids["a2"])["attribute_scores"]["INSULT"]
    assert (d["action"], d["reviewer"], d["attribute"], d["note"]) == (action, "ann", "INSULT", "rude")
    assert d["comment_id"] == ids["a2"]
    assert d["score"] == pytest.approx(score) and d["model_version"] == shipped.model_version
    assert sorted(real.queue()) == [ids["a1"], ids["a3"]]
    assert sorted(real.queue("status=all")) == flagged
    assert real.queue("status=flagged") == ([ids["a2"]] if action == "flag" else [])
    assert real.queue("status=decided") == ([] if action == "flag" else [ids["a2"]])
    if label is None:
        assert real.store.suggestions() == [] and d["suggestion_id"] is None
    else:
        (s,) = real.store.suggestions()
        assert s["attribute_scores"] == {"INSULT": {"summaryScore": {"value": label}}}
        assert (d["suggestion_id"], s["comment_text"], s["community_id"]) == (s["id"], "Shut up, idiots.", "default")
    assert f'class="badge {action}">{action} by ann: rude' in real.get("/ui/pages/1").text


@pytest.mark.parametrize("comment, action", [("a1", "delete"), ("a1", ""), (999, "approve")])
def test_unknown_action_or_comment_is_400(signed_in: UI, comment: Any, action: str) -> None:
    cid = signed_in.ids(signed_in.seed(INSULTS)).get(comment, comment)
    r = signed_in.post(f"/ui/comments/{cid}/decision", {"action": action, "attribute": "TOXICITY"})
    assert r.status_code == 400 and "Unknown comment or action." in r.text
    assert signed_in.store.decisions() == [] and signed_in.store.suggestions() == []


def test_decision_next_stays_inside_the_ui(signed_in: UI) -> None:
    cid = signed_in.ids(signed_in.seed(INSULTS))["a1"]
    r = signed_in.post(f"/ui/comments/{cid}/decision", {"action": "flag", "next": "//evil.com/x"})
    assert r.headers["location"] == "/ui/queue" and signed_in.store.decisions()[0]["attribute"] is None


# --- export ----------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1 agreed", "-2 for that", "@SUM(A1:A2)"]


def test_export_csv_neutralises_formulas_and_json_matches(signed_in: UI) -> None:
    ui = signed_in
    ids = ui.ids(ui.seed(jsonl([(f"f{i}", "=cmd", text) for i, text in enumerate(FORMULAS)])))
    for i, text in enumerate(FORMULAS):
        form = {"action": "approve", "attribute": "TOXICITY", "note": text}
        assert ui.post(f"/ui/comments/{ids[f'f{i}']}/decision", form).status_code == 303
    r = ui.get("/ui/decisions.csv")
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    header, *rows = list(csv.reader(io.StringIO(r.text)))
    assert header == list(COLUMNS) and len(rows) == len(FORMULAS)
    col = {name: i for i, name in enumerate(header)}
    for row, text in zip(rows, FORMULAS):
        assert (row[col["comment_text"]], row[col["note"]], row[col["author"]]) == ("'" + text, "'" + text, "'=cmd")
        assert (row[col["action"]], row[col["reviewer"]], row[col["page_id"]]) == ("approve", "ann", "1")
    exported = ui.get("/ui/decisions.json").json()
    assert exported == ui.store.decisions()
    assert [d["id"] for d in exported] == [int(row[col["id"]]) for row in rows]
    assert [d["comment_text"] for d in exported] == FORMULAS  # JSON is data: no apostrophes


# --- thresholds and queue filters ------------------------------------------------------------


def test_community_threshold_replaces_the_models(real: UI, shipped: Scorer) -> None:
    silly = jsonl([("s1", None, "What a silly argument.")])
    in_default, in_c2 = real.ids(real.seed(silly))["s1"], real.ids(real.seed(silly, community="c2"))["s1"]
    scores = real.store.page_comment(in_c2)["attribute_scores"]
    model = shipped.thresholds
    assert model["TOXICITY"] <= scores["TOXICITY"] < 0.99  # over the model's threshold only for TOXICITY
    assert [a for a, v in scores.items() if v >= model[a]] == ["TOXICITY"]
    assert sorted(real.queue()) == [in_default, in_c2]
    r = real.post("/ui/thresholds", {"community": "c2", "TOXICITY": "0.99"})
    assert (r.status_code, r.headers["location"]) == (303, "/ui/thresholds?community=c2")
    assert real.store.thresholds("c2") == {"TOXICITY": 0.99} and real.store.thresholds("default") == {}
    assert real.queue() == [in_default]
    assert 'name="TOXICITY" size="5" value="0.99"' in real.get("/ui/thresholds?community=c2").text
    real.post("/ui/thresholds", {"community": "c2", "TOXICITY": ""})
    assert real.store.thresholds("c2") == {} and sorted(real.queue()) == [in_default, in_c2]


@pytest.mark.parametrize("bad", ["1.5", "-1", "abc", "nan", "inf"])
def test_out_of_range_threshold_counts_as_empty(signed_in: UI, bad: str) -> None:
    signed_in.post("/ui/thresholds", {"community": "c2", "TOXICITY": "0.99"})
    r = signed_in.post("/ui/thresholds", {"community": "c2", "TOXICITY": bad, "INSULT": "0.4"})
    assert r.status_code == 303 and signed_in.store.thresholds("c2") == {"INSULT": 0.4}


def test_thresholds_for_an_odd_community_name(signed_in: UI) -> None:
    for _ in range(2):  # setting it again replaces it (the name is stored cleaned: NUL -> U+FFFD)
        assert signed_in.post("/ui/thresholds", {"community": "a\x00b", "TOXICITY": "0.7"}).status_code == 303
    assert signed_in.store.thresholds("a\x00b") == {"TOXICITY": 0.7}


def test_queue_filters_from_the_query(real: UI) -> None:
    insults, dump = real.ids(real.seed(INSULTS)), real.ids(real.seed(PAGE.read_bytes(), name="page.txt"))
    scores = {c["id"]: max(c["attribute_scores"].values()) for c in real.store.review_candidates()}
    everything = real.queue()
    assert sorted(everything) == sorted([insults["a1"], insults["a2"], insults["a3"], dump["c4"]])
    assert everything == sorted(everything, key=lambda i: (-scores[i], i))
    assert real.queue("page=2") == [dump["c4"]]
    assert real.queue("author=" + quote("anonymous COWARD .")) == [dump["c4"]]
    assert real.queue("author=bob") == [insults["a2"]]
    assert real.queue("attribute=threat") == []
    assert real.queue("attribute=insult&threshold=0.0") == real.queue("threshold=0&attribute=INSULT")
    assert len(real.queue("threshold=0")) == 10  # every scored comment
    assert real.queue("threshold=abc&status=bogus&page=x") == everything
    assert real.queue("until=2000-01-01") == [] and real.queue("since=2999-01-01") == []
    assert real.queue("since=2000-01-01&until=2999-12-31") == everything
