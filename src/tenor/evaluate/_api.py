"""`tenor eval` as a library call: run the sets, assemble eval.json, write the results.

Every run measures the comment model on the held-out toxicity sets (tenor.evaluate.ngram), then each
model of the registry (tenor.evaluate.EVALUATIONS) on its own set, where that set is staged and the
model can run here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._errors import ModelError, TenorError
from .._machine import cpu_model
from .._scorer import Scorer
from ..engines import FAST_MODEL
from . import gate
from ._registry import EVALUATIONS, ModelEvaluation
from .ngram.predictors import PeerPredictor, TenorPredictor, comments_per_sec_per_core
from .ngram.run import MIN_POSITIVES_TO_COMPARE, evaluate
from .report import markdown, reliability_svg, write_json
from .sets import GATED, LOADERS, EvalDataError, file_sha256, load_sets

__all__ = [
    "FloorsLoweredError", "remeasure", "remeasure_speed", "run_eval",
    "run_gate", "write_results",
]  # fmt: skip

Log = Callable[[str], None]


class FloorsLoweredError(TenorError):
    """A new eval.json would lower a committed floor."""


def _relative(path: Path) -> str:
    parts = path.resolve().parts
    for i, part in enumerate(parts):
        if part in ("data", "data2", "data3", "data4", "data5"):
            return "/".join(parts[i:])  # the path under ../shared, the same on every machine
    return str(path)


def run_eval(
    model: str | Path | object | None,
    dirs: list[Path],
    *,
    set_names: list[str] | None = None,
    peers: list[str] | None = None,
    peers_dir: Path | None = None,
    bootstrap: bool = True,
    measure_speed: bool = True,
    command: str = "tenor eval",
    techniques_model: Any = None,
    multilingual_model: Any = None,
    multilingual_set: bool | None = None,
    fast_model: str | Path | object | bool | None = None,
    log: Log = print,
) -> dict[str, Any]:
    """`fast_model`: the `fast` engine measured beside the default on the gated sets (None: the
    shipped one; False: not measured; never when `model` is that engine itself). `set_names` None: every set, and each registered model's set (EVALUATIONS: "techniques",
    "multilingual") where its data is staged and its model can run here (else each is skipped with
    a logged reason); "multilingual" in `set_names` runs both the English model's baseline on that
    file and the multilingual model. `multilingual_set` True/False adds/leaves out the multilingual
    model whatever `set_names` says. `techniques_model`, `multilingual_model`: a version, folder or
    loaded model."""
    models = {"techniques": techniques_model, "multilingual": multilingual_model}
    include = {"multilingual": multilingual_set}
    table_names = _check_names(set_names)
    planned = []  # loaded before the long toxicity sets, so that a missing model fails at once
    for evaluation in EVALUATIONS.values():
        plan = _plan_model(
            evaluation, dirs, set_names, models.get(evaluation.name), include.get(evaluation.name), log
        )
        if plan is not None:
            planned.append(plan)
    # the English sets and the speed are the English model's alone: declared "en" either way, but a
    # Jigsaw test comment that detection would route to a companion must not slow the speed pass
    scorer = Scorer(model, multilingual=False)
    sets = load_sets(dirs, table_names) if table_names != [] else []
    predictors = []
    peer_info = {}
    if peers:
        from .peers import PEERS, ensure_peer

        for name in peers:
            predictor = PeerPredictor(ensure_peer(name, peers_dir, log=log))
            predictors.append(predictor)
            peer_info[name] = {
                "version": predictor.version,
                "requirement": PEERS[name].requirement,
                "note": PEERS[name].note,
            }
    log(
        f"evaluating {scorer.model_version} on {len(sets)} sets"
        + (f" beside {', '.join(peers)}" if peers else "")
    )
    result = evaluate(TenorPredictor(scorer), sets, predictors, bootstrap=bootstrap, log=log)
    fast = _fast_engine(scorer, sets, fast_model, bootstrap=bootstrap, measure_speed=measure_speed, log=log)
    if fast is not None:
        result["fast"] = fast
    files = [p for s in sets for p in s.files]
    for evaluation, loaded, found in planned:
        result[evaluation.name], read = evaluation.measure(
            loaded, found, comment_model=scorer.default_engine, bootstrap=bootstrap, log=log
        )
        files += read
    speed, speed_conditions = None, None
    jigsaw = next((s for s in sets if s.name == "jigsaw2018"), None)
    if measure_speed and jigsaw is not None:
        speed, speed_conditions = _speed(scorer, jigsaw.texts, log)
    return {
        "model_version": scorer.model_version,
        "command": command,
        "floors": gate.floors(result, speed),
        "speed_conditions": speed_conditions,
        "gate": {"tolerance": gate.TOLERANCE, "lower_is_better": sorted(gate.LOWER_IS_BETTER)},
        "min_positives_to_compare": MIN_POSITIVES_TO_COMPARE,
        "data_files": {_relative(p): file_sha256(p) for p in files},
        "peers": peer_info,
        **result,
    }


def _fast_engine(
    scorer: Scorer, sets: list[Any], model: Any, *, bootstrap: bool, measure_speed: bool, log: Log
) -> dict[str, Any] | None:
    """The `fast` engine's numbers on the gated sets of this run, beside the default engine's."""
    gated = [s for s in sets if s.name in GATED]
    if model is False or not gated:
        return None
    fast = Scorer(FAST_MODEL if model is None or model is True else model, multilingual=False)
    if fast.model_version == scorer.model_version:
        return None
    log(f"the fast engine {fast.model_version} on {', '.join(s.name for s in gated)}")
    measured = evaluate(TenorPredictor(fast), gated, [], bootstrap=bootstrap, log=log)
    jigsaw = next((s for s in gated if s.name == "jigsaw2018"), None)
    speed = _speed(fast, jigsaw.texts, log)[0] if measure_speed and jigsaw is not None else None
    return {
        "model_version": fast.model_version,
        "comments_per_sec_per_core": None if speed is None else round(speed, 1),
        **measured,
    }


def _check_names(names: list[str] | None) -> list[str] | None:
    """The toxicity sets to load (None: all), after refusing unknown set names."""
    if names is None:
        return None
    own = [e.name for e in EVALUATIONS.values() if e.own_set]
    unknown = sorted(set(names) - set(LOADERS) - set(own))
    if unknown:
        raise EvalDataError(
            f"unknown eval set(s) {', '.join(unknown)}; choose from {', '.join([*LOADERS, *own])}"
        )
    return [n for n in names if n not in own]


def _plan_model(
    evaluation: ModelEvaluation,
    dirs: list[Path],
    names: list[str] | None,
    model: Any,
    include: bool | None,
    log: Log,
) -> tuple[ModelEvaluation, Any, Path] | None:
    """(the evaluation, its loaded model, its data) when this run measures it, or None: not asked
    for, or skipped with a logged reason (data not staged, the model cannot run here). Data asked
    for by its own set name but not staged, and a model named but not found, are errors."""
    wanted = (names is None or evaluation.name in names) if include is None else include
    if not wanted:
        return None
    found = evaluation.find(dirs)
    if found is None:
        if names is not None and evaluation.own_set and evaluation.name in names:
            raise EvalDataError(
                f"{evaluation.missing_reason(dirs)}: pass --data with the folder that holds it."
            )
        log(f"  {evaluation.log_name}: skipped ({evaluation.missing_reason(dirs)})")
        return None
    loaded = evaluation.load_model(model)
    reason = evaluation.unavailable_reason(loaded)
    if reason is not None:
        log(f"  {evaluation.log_name}: skipped ({reason})")
        return None
    return evaluation, loaded, found


def _speed(scorer: Scorer, texts: list[str], log: Log) -> tuple[float, dict[str, Any]]:
    log("  speed: all attributes and spans, one core")
    load_before = os.getloadavg()[0]
    speed = comments_per_sec_per_core(scorer, texts)
    # another busy process on a 2-core machine shows up here, not in the number itself
    conditions = {
        "texts": len(texts),
        "cpu": cpu_model(),  # floors measured on one machine type do not hold on another
        "load_average_1min_before": round(load_before, 2),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
    }
    return speed, conditions


def run_gate(
    model: str | Path | object | None,
    dirs: list[Path],
    log: Log = print,
    *,
    techniques_model: Any = None,
    multilingual_model: Any = None,
) -> dict[str, Any]:
    """The subset CI recomputes: the gated sets and each registered model's set where its data is
    staged (the techniques set: a few seconds; the multilingual set where its encoder is installed:
    minutes, every row is encoded), no bootstrap, no peers, plus speed. A model that is not found
    (or, for the multilingual model, cannot load) leaves its floors unmeasured: `violations` fails
    them only where the committed eval.json holds them."""
    models: dict[str, Any] = {"techniques": techniques_model, "multilingual": multilingual_model}
    names = list(GATED)
    for evaluation in EVALUATIONS.values():
        models[evaluation.name] = _gate_model(evaluation, dirs, models.get(evaluation.name), log)
        if models[evaluation.name] is not None and evaluation.own_set:
            names.append(evaluation.name)
    return run_eval(
        model,
        dirs,
        set_names=names,
        bootstrap=False,
        command="tenor eval --gate",
        techniques_model=models["techniques"],
        multilingual_model=models["multilingual"],
        multilingual_set=models["multilingual"] is not None,
        log=log,
    )


def _gate_model(evaluation: ModelEvaluation, dirs: list[Path], model: Any, log: Log) -> Any:
    """The loaded model the gate measures, or None (skipped with a logged reason)."""
    if evaluation.find(dirs) is None:
        log(f"  {evaluation.log_name}: skipped ({evaluation.missing_reason(dirs)})")
        return None
    try:
        return evaluation.load_model(model)
    except evaluation.gate_skips as error:
        log(f"  {evaluation.log_name}: skipped ({error})")
        return None


def _committed(out_dir: Path) -> dict[str, Any]:
    """The committed eval.json that a partial re-measurement updates."""
    current = out_dir / "eval.json"
    if not current.is_file():
        raise TenorError(f"{current} not found: run `tenor eval` first.")
    return json.loads(current.read_text(encoding="utf-8"))


def remeasure_speed(
    model: str | Path | None, dirs: list[Path], out_dir: Path, docs_dir: Path | None, log: Log = print
) -> float:
    """Measure comments/s per core again and put it into the committed eval.json, leaving every
    other number as it is: speed depends on how busy the machine was, the quality numbers do not."""
    data = _committed(out_dir)
    scorer = Scorer(model, multilingual=False)
    if scorer.model_version != data["model_version"]:
        raise TenorError(
            f"{out_dir / 'eval.json'} is for {data['model_version']}, not {scorer.model_version}: run `tenor eval` for the new model."
        )
    (jigsaw,) = load_sets(dirs, ["jigsaw2018"])
    speed, data["speed_conditions"] = _speed(scorer, jigsaw.texts, log)
    data["floors"]["comments_per_sec_per_core"] = round(speed, 1)
    fast = data.get("fast")
    if fast is not None and "fast_comments_per_sec_per_core" in data["floors"]:
        # the fast engine's rate is a floor too, measured in the same quiet moment
        fast_scorer = Scorer(fast["model_version"], multilingual=False)
        fast["comments_per_sec_per_core"] = round(_speed(fast_scorer, jigsaw.texts, log)[0], 1)
        data["floors"]["fast_comments_per_sec_per_core"] = fast["comments_per_sec_per_core"]
    write_results(data, out_dir, docs_dir)
    return float(data["floors"]["comments_per_sec_per_core"])


def _replace_part(
    data: dict[str, Any],
    name: str,
    part: dict[str, Any],
    floor_keys: tuple[str, ...],
    files: list[Path],
    stale: str,
) -> dict[str, Any]:
    """`data` (a committed eval.json) with its `name` entry, that entry's floors and its data files
    (those under the folder `stale`, from an earlier run, dropped) replaced by a new measurement."""
    data[name] = part
    measured = gate.floors({"sets": {}, name: part}, None)
    data["floors"] = {**data["floors"], **{k: measured[k] for k in floor_keys}}
    data["gate"] = {"tolerance": gate.TOLERANCE, "lower_is_better": sorted(gate.LOWER_IS_BETTER)}
    data["data_files"] = {k: v for k, v in data["data_files"].items() if not k.startswith(stale)}
    data["data_files"].update({_relative(p): file_sha256(p) for p in files})
    return data


def remeasure(
    name: str,
    model: Any,
    dirs: list[Path],
    out_dir: Path,
    docs_dir: Path | None,
    *,
    bootstrap: bool = True,
    lower_floors: str | None = None,
    log: Log = print,
) -> dict[str, Any]:
    """Measure only the set of the registered model `name` (EVALUATIONS) and put it into the
    committed eval.json, leaving every other number as it is: a new technique or multilingual model
    need not re-run the toxicity sets and peers (25 minutes)."""
    evaluation = EVALUATIONS[name]
    data = _committed(out_dir)
    found = evaluation.find(dirs)
    if found is None:
        raise EvalDataError(f"{evaluation.missing_reason(dirs)}: pass --data with the folder that holds it.")
    loaded = evaluation.load_model(model)
    reason = evaluation.unavailable_reason(loaded)
    if reason is not None:
        raise ModelError(f"cannot measure the {evaluation.log_name}: {reason}.")
    part, files = evaluation.measure(loaded, found, comment_model=None, bootstrap=bootstrap, log=log)
    stale = _relative(found) + ("/" if found.is_dir() else "")  # a corpus folder, or a test file
    _replace_part(data, name, part, tuple(evaluation.floors), files, stale)
    write_results(data, out_dir, docs_dir, lower_floors=lower_floors)
    return data


def write_results(
    data: dict[str, Any], out_dir: Path, docs_dir: Path | None, *, lower_floors: str | None = None
) -> list[Path]:
    """eval.json (+ a copy per model version) and, with docs_dir, evaluation.md + reliability.svg.
    Refuses to lower a committed floor unless `lower_floors` gives the reason."""
    current = out_dir / "eval.json"
    if current.is_file():
        previous = gate.floors_of(current)
        drops = gate.lowered(data["floors"], previous)
        if drops and not lower_floors:
            raise FloorsLoweredError(
                "this run would lower committed floors: "
                + "; ".join(drops)
                + ". If that is intended, pass --lower-floors 'REASON' and put a 'Lower-floors: REASON' line in the commit message."
            )
        if drops:
            data["floors_lowered"] = {"reason": lower_floors, "previous": previous}
    written = [current, out_dir / f"eval-{data['model_version']}.json"]
    for path in written:
        write_json(path, data)
    if docs_dir is not None:
        docs_dir.mkdir(parents=True, exist_ok=True)
        (docs_dir / "evaluation.md").write_text(markdown(data), encoding="utf-8")
        bins = data["sets"].get("jigsaw2018", {}).get("tenor", {}).get("reliability_TOXICITY")
        if bins:
            (docs_dir / "reliability.svg").write_text(
                reliability_svg(bins, f"TOXICITY reliability, Jigsaw 2018 test ({data['model_version']})"),
                encoding="utf-8",
            )
        written += [docs_dir / "evaluation.md", docs_dir / "reliability.svg"]
    return written
