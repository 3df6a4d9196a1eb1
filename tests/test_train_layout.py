"""The shape of tenor.train and tenor.evaluate: one package per model with a registry each,
neither importing the other, one Platt fit and one sigmoid."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sklearn", reason="tenor.train and tenor.evaluate need the `train` / `eval` extra")

import tenor
from tenor._artifact import NGRAM_KIND
from tenor.evaluate import EVALUATIONS, FLOOR_KEYS
from tenor.train import TRAINERS

SRC = Path(tenor.__file__).parent

# Every module of one package, imported in a fresh interpreter; prints the tenor modules loaded. A
# module whose optional third-party package is not installed here (torch, ...) is left out.
_IMPORT_ALL = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for info in pkgutil.walk_packages(package.__path__, sys.argv[1] + ".", onerror=lambda name: None):
    try:
        importlib.import_module(info.name)
    except ModuleNotFoundError as error:
        if (error.name or "tenor").split(".")[0] == "tenor":
            raise
print(json.dumps(sorted(m for m in sys.modules if m.startswith("tenor."))))
"""


def _loaded_by(package: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _IMPORT_ALL, package], capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout))


@pytest.mark.parametrize(("package", "other"), [("tenor.train", "tenor.evaluate"), ("tenor.evaluate", "tenor.train")])
def test_train_and_evaluate_do_not_import_each_other(package: str, other: str) -> None:
    loaded = _loaded_by(package)
    assert any(m.startswith(package + ".") for m in loaded)
    assert [m for m in loaded if m == other or m.startswith(other + ".")] == []


def test_one_package_per_model_and_a_registry_that_knows_them() -> None:
    assert set(TRAINERS) == {NGRAM_KIND, "techniques", "multilingual", "transformer"}
    for kind, trainer in TRAINERS.items():
        assert trainer.kind == kind and "train" in trainer.extras
        assert (SRC / "train" / trainer.package / "run.py").is_file()
        assert callable(trainer.load())
    # every shipped comment engine has a trainer: the default (transformer) and the fast one (n-gram)
    assert TRAINERS["transformer"].default_version == tenor.DEFAULT_MODEL
    assert TRAINERS[NGRAM_KIND].default_version == tenor.engines.FAST_MODEL
    # a model package with a `run` is one `tenor train` can reach
    assert {p.name for p in (SRC / "train").iterdir() if (p / "run.py").is_file()} == {t.package for t in TRAINERS.values()}
    assert {p.name for p in (SRC / "evaluate").iterdir() if (p / "__init__.py").is_file()} == {"ngram", *EVALUATIONS}
    assert [k for k in FLOOR_KEYS if k.startswith(("techniques_", "multilingual_"))] == [
        key for evaluation in EVALUATIONS.values() for key in evaluation.floors
    ]


def test_one_platt_fit_and_one_sigmoid() -> None:
    """Only tenor._calibration computes a sigmoid, and only tenor.train.calibration fits Platt."""
    for path in [*(SRC / "train").rglob("*.py"), *(SRC / "evaluate").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "np.exp(" not in text, path
        if path != SRC / "train" / "calibration.py":
            assert not re.search(r"LogisticRegression\(C=1e6", text), path


def test_every_module_is_small() -> None:
    for path in [*(SRC / "train").rglob("*.py"), *(SRC / "evaluate").rglob("*.py")]:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path
