"""Reading README.md and docs/*.md for tests/test_docs*.py: fenced blocks, inline code, sections,
tables, and the `tenor` command lines they show, each with the file and line it came from."""

from __future__ import annotations

import importlib
import json
import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
SHELL = {"bash", "sh", "shell", "console"}


def in_ci() -> bool:
    """CI installs `.[all]` (.ci/run): there a missing extra is a failure, not a skip."""
    return any(
        os.environ.get(name, "").lower() not in ("", "0", "false", "no") for name in ("CI", "TENOR_CI")
    )


def require(module: str, extra: str | None = None, *, group: str | None = None) -> None:
    """Skip (fail under CI=1 or TENOR_CI=1) when `module`, from the `extra` extra or the `group`
    dependency group, is missing."""
    try:
        importlib.import_module(module)
    except ImportError as e:
        source = f"the `{extra}` extra, in [all]" if extra else f"the `{group}` dependency group"
        why = f"{module} is not installed ({source}): {e}"
        if in_ci():
            pytest.fail(
                f"{why}; CI installs .[all] and --group dev, so a skip here would hide a broken install"
            )
        pytest.skip(why)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@dataclass(frozen=True)
class Block:
    """A fenced code block: `line` is the line of its first content line."""

    doc: Path
    line: int
    lang: str
    text: str

    @property
    def where(self) -> str:
        return f"{rel(self.doc)}:{self.line}"


def blocks(doc: Path) -> list[Block]:
    found, lang, start, body = [], None, 0, []
    for number, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("```"):
            if lang is None:
                lang, start, body = line.strip()[3:].strip(), number + 1, []
            else:
                found.append(Block(doc, start, lang, "\n".join(body)))
                lang = None
        elif lang is not None:
            body.append(line)
    return found


def prose(doc: Path) -> str:
    """The file with every fenced block's lines blanked (line numbers stay right)."""
    lines, inside = doc.read_text(encoding="utf-8").splitlines(), False
    for i, line in enumerate(lines):
        fence = line.lstrip().startswith("```")
        if fence or inside:
            lines[i] = ""
        inside ^= fence
    return "\n".join(lines)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def inline_code(doc: Path) -> Iterator[tuple[int, str]]:
    """(line, content) of every `code span` outside fenced blocks; a span may wrap a line."""
    text = prose(doc)
    for m in re.finditer(r"(?<!`)`([^`]+)`(?!`)", text):
        yield line_of(text, m.start()), " ".join(m.group(1).split())


def section(doc: Path, heading: str) -> tuple[int, str]:
    """(first line, text) under the heading named `heading` up to the next heading of its level or above."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"(#+) (.*)", line)
        if m and m.group(2).strip() == heading:
            level, end = len(m.group(1)), len(lines)
            for j in range(i + 1, len(lines)):
                n = re.match(r"(#+) ", lines[j])
                if n and len(n.group(1)) <= level:
                    end = j
                    break
            return i + 2, "\n".join(lines[i + 1 : end])
    raise AssertionError(f"{rel(doc)}: no heading {heading!r}")


def tables(text: str, first_line: int = 1) -> list[tuple[int, list[str], list[tuple[int, list[str]]]]]:
    """Markdown tables in `text`: (line, header cells, [(line, row cells)])."""
    found: list[tuple[int, list[str], list[tuple[int, list[str]]]]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines) - 1:
        if lines[i].startswith("|") and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[i + 1].strip()):
            header, rows, j = _cells(lines[i]), [], i + 2
            while j < len(lines) and lines[j].startswith("|"):
                rows.append((first_line + j, _cells(lines[j])))
                j += 1
            found.append((first_line + i, header, rows))
            i = j
        else:
            i += 1
    return found


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


# -- command lines -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """A `tenor ...` command shown in a doc: `argv` is what follows the program name; `stdin` the
    file a `<` redirection reads; `inline` for a `code span` in prose (may leave out arguments)."""

    where: str
    source: str
    argv: tuple[str, ...]
    stdin: str | None = None
    inline: bool = False

    def __str__(self) -> str:
        return f"{self.where}: `{self.source}`"


_OPERATORS = {"&&", "||", "|", ";", "&"}
_REDIRECTS = {">", ">>", "<", "2>", "&>", ">&"}


def shell_commands(line: str) -> list[tuple[list[str], str | None]]:
    """A shell line as simple commands: (words without redirections, the file `<` reads)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    out, words, stdin, tokens = [], [], None, list(lexer)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _OPERATORS:
            out.append((words, stdin))
            words, stdin = [], None
        elif token in _REDIRECTS:
            if token == "<" and i + 1 < len(tokens):
                stdin = tokens[i + 1]
            i += 1
        else:
            words.append(token)
        i += 1
    out.append((words, stdin))
    return [(w, s) for w, s in out if w]


def tenor_argv(words: list[str]) -> list[str] | None:
    """The arguments after `tenor` (`.venv/bin/tenor`, `python -m tenor`, under sudo), else None."""
    words = list(words)
    while words and re.match(r"[A-Za-z_][A-Za-z0-9_]*=", words[0]):
        words.pop(0)  # FOO=bar tenor ...
    if words and words[0] == "sudo":
        words.pop(0)
        while words and words[0].startswith("-"):
            if words.pop(0) in ("-u", "-g"):
                words.pop(0)
    if not words:
        return None
    program = words[0]
    if program == "tenor" or program.endswith("/tenor"):
        return words[1:]
    if re.fullmatch(r"(.*/)?python(3(\.\d+)?)?", program) and words[1:3] == ["-m", "tenor"]:
        return words[3:]
    return None


def _logical_lines(block: Block) -> Iterator[tuple[int, str]]:
    """Lines of a block with backslash continuations joined, each with its first line's number."""
    pending, start = "", 0
    for offset, line in enumerate(block.text.splitlines()):
        if not pending:
            start = block.line + offset
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        yield start, pending + line
        pending = ""
    if pending:
        yield start, pending


def fenced_commands() -> list[Command]:
    """Every `tenor` command in a shell block, a systemd ExecStart= line or a container's args."""
    found = []
    for doc in DOCS:
        for block in blocks(doc):
            if block.lang in SHELL or block.lang == "ini":
                for number, line in _logical_lines(block):
                    if block.lang == "ini":
                        if not line.startswith("ExecStart="):
                            continue
                        line = line.removeprefix("ExecStart=")
                    for words, stdin in shell_commands(line):
                        argv = tenor_argv(words)
                        if argv is not None:
                            source = " ".join(line.split("#")[0].split())
                            found.append(Command(f"{rel(doc)}:{number}", source, tuple(argv), stdin))
            elif block.lang == "yaml":
                for m in re.finditer(r"args:\s*(\[[^\]]*\])", block.text):
                    number = block.line + block.text.count("\n", 0, m.start())
                    args = json.loads(m.group(1))
                    found.append(Command(f"{rel(doc)}:{number}", "args: " + m.group(1), tuple(args)))
    return found


def inline_commands() -> list[Command]:
    """Every `code span` in prose that is a `tenor` command with a subcommand."""
    found = []
    for doc in DOCS:
        for number, code in inline_code(doc):
            try:
                commands = shell_commands(code)
            except ValueError:  # not shell at all (an unbalanced quote in a JSON snippet)
                continue
            if not commands:
                continue
            argv = tenor_argv(commands[0][0])
            if argv:
                found.append(Command(f"{rel(doc)}:{number}", code, tuple(argv), commands[0][1], inline=True))
    return found
