"""`tenor eval`: a thin shell over `tenor.evaluate`, which needs the [eval] extra."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from ._extras import requires_extra

__all__ = ["eval_command"]

_EVAL_EXTRAS = frozenset({"sklearn", "scipy", "pandas"})
_DEFAULT_DATA = ("../shared/data", "../shared/data2", "../shared/data3", "../shared/data4")
_PEERS = ("alt-profanity-check", "hatesonar", "better-profanity")


def _in_checkout() -> bool:
    return Path("pyproject.toml").is_file() and Path("src/tenor/__init__.py").is_file()


@click.command("eval")
@click.option("--model", default=None, help="A model version or folder [default: the shipped model].")
@click.option(
    "--data",
    "data_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of datasets (repeatable) [default: ../shared/data, data2, data3, data4, those that exist].",
)
@click.option(
    "--sets",
    "set_names",
    default=None,
    help="Comma-separated set names, 'techniques' for the persuasion-technique set; 'multilingual' runs the "
    "English model's baseline and the multilingual tier on the Jigsaw multilingual test file [default: every "
    "set; techniques where ../shared/data/semeval2023_task3_en/dev exists, the tier where its encoder is installed].",
)
@click.option(
    "--techniques-model",
    default=None,
    help="A technique model version or folder for the techniques set [default: the shipped one].",
)
@click.option(
    "--multilingual-model",
    default=None,
    help="A multilingual tier version or folder for the multilingual set [default: the shipped one].",
)
@click.option(
    "--peers", is_flag=True, help="Also score every set with the peers, each in its own virtual environment."
)
@click.option(
    "--peers-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the peers' virtual environments live [default: $TENOR_PEERS_DIR or ~/.cache/tenor/peers].",
)
@click.option("--no-bootstrap", is_flag=True, help="Skip the bootstrap intervals (faster).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write eval.json here [default: benchmarks/results in a checkout; nothing elsewhere].",
)
@click.option(
    "--docs",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write evaluation.md and reliability.svg here [default: docs/ in a checkout].",
)
@click.option(
    "--lower-floors",
    metavar="REASON",
    default=None,
    help="Allow this run to lower committed floors; the reason is stored in eval.json.",
)
@click.option(
    "--speed-only",
    is_flag=True,
    help="Re-measure comments/s per core on a quiet machine and update only that number in eval.json.",
)
@click.option(
    "--techniques-only",
    is_flag=True,
    help="Measure only the techniques set and update its entry and floors in eval.json, leaving the rest.",
)
@click.option(
    "--multilingual-only",
    is_flag=True,
    help="Measure only the multilingual tier on the Jigsaw multilingual test file and update its entry and "
    "floors in eval.json, leaving the rest (minutes: every row is encoded).",
)
@click.option(
    "--gate", is_flag=True, help="CI quality gate: recompute the floors on the gated sets and compare."
)
@click.option(
    "--against",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("benchmarks/results/eval.json"),
    show_default=True,
    help="The committed eval.json whose floors --gate enforces.",
)
def eval_command(
    model: str | None,
    techniques_model: str | None,
    multilingual_model: str | None,
    data_dirs: tuple[Path, ...],
    set_names: str | None,
    peers: bool,
    peers_dir: Path | None,
    no_bootstrap: bool,
    out: Path | None,
    docs: Path | None,
    lower_floors: str | None,
    speed_only: bool,
    techniques_only: bool,
    multilingual_only: bool,
    gate: bool,
    against: Path,
) -> None:
    """Measure a model on every held-out set (ROC-AUC with intervals, macro-F1, ECE, span F1,
    identity bias), optionally beside the peers, the technique model on the SemEval-2023
    English dev split and the multilingual tier per language on the Jigsaw multilingual test
    rows; write eval.json and docs/evaluation.md."""
    modes = [
        flag
        for flag, on in (
            ("--gate", gate),
            ("--speed-only", speed_only),
            ("--techniques-only", techniques_only),
            ("--multilingual-only", multilingual_only),
        )
        if on
    ]
    if len(modes) > 1:
        raise click.UsageError(f"{' and '.join(modes)} each run one kind of measurement: give one.")
    with requires_extra("eval", _EVAL_EXTRAS, "evaluation"):
        from .. import evaluate
    dirs = list(data_dirs) or [Path(p) for p in _DEFAULT_DATA if Path(p).is_dir()]
    if not dirs:
        raise click.UsageError("no held-out data found at ../shared/data*: pass --data PATH.")
    log = lambda line: click.echo(line, err=True)
    if gate:
        if not against.is_file():
            raise click.UsageError(
                f"{against} not found: run `tenor eval` once to commit floors, or pass --against."
            )
        data = evaluate.run_gate(
            model, dirs, log=log, techniques_model=techniques_model, multilingual_model=multilingual_model
        )
        committed = evaluate.gate.floors_of(against)
        problems = evaluate.violations(data["floors"], committed)
        problems += evaluate.check_history(Path("."), str(against)) if _in_checkout() else []
        click.echo(f"{'floor':28} {'committed':>10} {'measured':>10}")
        for key in evaluate.FLOOR_KEYS:
            click.echo(f"{key:28} {committed.get(key)!s:>10} {data['floors'].get(key)!s:>10}")
        if problems:
            raise click.ClickException("quality gate failed:\n  " + "\n  ".join(problems))
        click.echo("quality gate passed")
        return
    if speed_only:
        out = out or Path("benchmarks/results")
        rate = evaluate.remeasure_speed(
            model, dirs, out, docs or (Path("docs") if _in_checkout() else None), log=log
        )
        click.echo(f"comments_per_sec_per_core    {rate}")
        return
    part = (
        ("techniques", techniques_model)
        if techniques_only
        else ("multilingual", multilingual_model)
        if multilingual_only
        else None
    )
    if part is not None:  # one registered model's set re-measured into the committed eval.json
        name, part_model = part
        data = evaluate.remeasure(
            name,
            part_model,
            dirs,
            out or Path("benchmarks/results"),
            docs or (Path("docs") if _in_checkout() else None),
            bootstrap=not no_bootstrap,
            lower_floors=lower_floors,
            log=log,
        )
        for key in evaluate.EVALUATIONS[name].floors:
            click.echo(f"{key:28} {data['floors'][key]}")
        return
    names = [n.strip() for n in set_names.split(",")] if set_names else None
    command = (
        "tenor " + " ".join(shlex.quote(a) for a in sys.argv[1:])
        if sys.argv[1:2] == ["eval"]
        else "tenor eval"
    )
    data = evaluate.run_eval(
        model,
        dirs,
        set_names=names,
        peers=list(_PEERS) if peers else None,
        peers_dir=peers_dir,
        bootstrap=not no_bootstrap,
        command=command,
        techniques_model=techniques_model,
        multilingual_model=multilingual_model,
        log=log,
    )
    out = out or (Path("benchmarks/results") if _in_checkout() else None)
    docs = docs or (Path("docs") if _in_checkout() else None)
    for key, value in data["floors"].items():
        click.echo(f"{key:28} {value}")
    if out is not None:
        for path in evaluate.write_results(data, out, docs, lower_floors=lower_floors):
            log(f"wrote {path}")
