"""`tenor eval` as a library call: run the sets, assemble eval.json, write the results."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._errors import ModelError, ModelNotFoundError, TenorError
from .._scorer import Scorer
from . import gate, multilingual, techniques
from .predictors import TenorPredictor, comments_per_sec_per_core
from .report import markdown, reliability_svg, write_json
from .run import MIN_POSITIVES_TO_COMPARE, evaluate, floors
from .sets import GATED, LOADERS, EvalDataError, file_sha256, load_sets


class FloorsLoweredError(TenorError):
    """A new eval.json would lower a committed floor."""


@dataclass
class PeerPredictor:
    """A peer from tenor.evaluate.peers behind the Predictor interface; 0.5 is its threshold."""

    peer: Any
    name: str = field(init=False)
    version: str = field(init=False)
    attributes: tuple[str, ...] = field(init=False)
    thresholds: dict[str, float] = field(init=False)

    def __post_init__(self) -> None:
        self.name = self.peer.spec.name
        self.version = self.peer.version
        self.attributes = tuple(self.peer.spec.attributes)
        self.thresholds = {a: 0.5 for a in self.attributes}

    def predict(self, texts: list[str]) -> dict[str, np.ndarray]:
        return {a: np.asarray(v, dtype=float) for a, v in self.peer.predict(texts).items()}


def _relative(path: Path) -> str:
    parts = path.resolve().parts
    for i, part in enumerate(parts):
        if part in ("data", "data2", "data3"):
            return "/".join(parts[i:])  # the path under ../shared, the same on every machine
    return str(path)


def run_eval(
    model: str | Path | None,
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
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """`set_names` None: every set, "techniques" included when its dev split is staged and the
    multilingual tier's set where its test file is staged and its encoder installed (else each is
    skipped with a logged reason); "multilingual" in `set_names` runs both the English model's
    baseline on that file and the tier. `multilingual_set` True/False adds/leaves out the tier
    whatever `set_names` says. `techniques_model`, `multilingual_model`: a version, folder or
    loaded model."""
    technique_root, table_names = _plan(dirs, set_names, log)
    # loaded before the long toxicity sets, so that a missing technique model fails at once
    technique_model = techniques.load_model(techniques_model) if technique_root is not None else None
    wanted = (set_names is None or multilingual.SET_NAME in set_names) if multilingual_set is None else multilingual_set
    tier, tier_path = _plan_multilingual(dirs, multilingual_model, log) if wanted else (None, None)
    # the English sets and the speed are the English model's alone: declared "en" either way, but a
    # Jigsaw test comment that detection would route to the tier must not slow the speed pass
    scorer = Scorer(model, multilingual=False)
    sets = load_sets(dirs, table_names) if table_names != [] else []
    predictors = []
    peer_info = {}
    if peers:
        from .peers import PEERS, ensure_peer

        for name in peers:
            predictor = PeerPredictor(ensure_peer(name, peers_dir, log=log))
            predictors.append(predictor)
            peer_info[name] = {"version": predictor.version, "requirement": PEERS[name].requirement, "note": PEERS[name].note}
    log(f"evaluating {scorer.model_version} on {len(sets)} sets" + (f" beside {', '.join(peers)}" if peers else ""))
    result = evaluate(TenorPredictor(scorer), sets, predictors, bootstrap=bootstrap, log=log)
    technique_files: list[Path] = []
    if technique_root is not None:
        result["techniques"], technique_files = techniques.run_techniques(technique_model, technique_root, bootstrap=bootstrap, log=log)
    tier_files: list[Path] = []
    if tier is not None and tier_path is not None:
        result["multilingual"], tier_files = multilingual.run_multilingual(scorer.model, tier, tier_path, bootstrap=bootstrap, log=log)
    speed, speed_conditions = None, None
    jigsaw = next((s for s in sets if s.name == "jigsaw2018"), None)
    if measure_speed and jigsaw is not None:
        speed, speed_conditions = _speed(scorer, jigsaw.texts, log)
    return {
        "model_version": scorer.model_version,
        "command": command,
        "floors": floors(result, speed),
        "speed_conditions": speed_conditions,
        "gate": {"tolerance": gate.TOLERANCE, "lower_is_better": sorted(gate.LOWER_IS_BETTER)},
        "min_positives_to_compare": MIN_POSITIVES_TO_COMPARE,
        "data_files": {_relative(p): file_sha256(p) for p in [*(p for s in sets for p in s.files), *technique_files, *tier_files]},
        "peers": peer_info,
        **result,
    }


def _plan(dirs: list[Path], names: list[str] | None, log: Callable[[str], None]) -> tuple[Path | None, list[str] | None]:
    """Where the technique corpus is (None: leave the set out) and the toxicity sets to load."""
    if names is not None:
        unknown = sorted(set(names) - set(LOADERS) - {techniques.SET_NAME})
        if unknown:
            raise EvalDataError(f"unknown eval set(s) {', '.join(unknown)}; choose from {', '.join([*LOADERS, techniques.SET_NAME])}")
    root = techniques.find_root(dirs)
    wanted = names is None or techniques.SET_NAME in names
    if wanted and root is None:
        if names is not None:
            raise EvalDataError(f"{techniques.missing_reason(dirs)}: pass --data with the folder that holds it.")
        log(f"  {techniques.SET_NAME}: skipped ({techniques.missing_reason(dirs)})")
    table = None if names is None else [n for n in names if n != techniques.SET_NAME]
    return (root if wanted else None), table


def _plan_multilingual(dirs: list[Path], model: Any, log: Callable[[str], None]) -> tuple[Any, Path | None]:
    """The tier and its test file, or (None, None) with a logged reason when the file is not
    staged or the encoder cannot run here. A model that is named but not found is an error."""
    path = multilingual.find_file(dirs)
    if path is None:
        log(f"  {multilingual.LOG_NAME}: skipped ({multilingual.missing_reason(dirs)})")
        return None, None
    tier = multilingual.load_model(model)
    reason = multilingual.unavailable_reason(tier)
    if reason is not None:
        log(f"  {multilingual.LOG_NAME}: skipped ({reason})")
        return None, None
    return tier, path


def _speed(scorer: Scorer, texts: list[str], log: Callable[[str], None]) -> tuple[float, dict[str, Any]]:
    log("  speed: all attributes and spans, one core")
    load_before = os.getloadavg()[0]
    speed = comments_per_sec_per_core(scorer, texts)
    # another busy process on a 2-core machine shows up here, not in the number itself
    conditions = {"texts": len(texts), "load_average_1min_before": round(load_before, 2),
                  "load_average_1min_after": round(os.getloadavg()[0], 2)}
    return speed, conditions


def run_gate(
    model: str | Path | None, dirs: list[Path], log: Callable[[str], None] = print, *, techniques_model: Any = None,
    multilingual_model: Any = None,
) -> dict[str, Any]:
    """The subset CI recomputes: the gated sets and the techniques set where its dev split is
    staged (a few seconds), the multilingual tier's set where its test file is staged and its
    encoder installed (minutes: every row is encoded), no bootstrap, no peers, plus speed. Without
    a technique model or the encoder, those floors go unmeasured: `violations` fails them only
    where the committed eval.json holds them."""
    names = list(GATED)
    if techniques.find_root(dirs) is None:
        log(f"  {techniques.SET_NAME}: skipped ({techniques.missing_reason(dirs)})")
    else:
        try:
            techniques_model = techniques.load_model(techniques_model)
            names.append(techniques.SET_NAME)
        except ModelNotFoundError as error:
            log(f"  {techniques.SET_NAME}: skipped ({error})")
    try:
        multilingual_model = multilingual.load_model(multilingual_model)
    except ModelError as error:
        log(f"  {multilingual.LOG_NAME}: skipped ({error})")
        multilingual_model = None
    return run_eval(model, dirs, set_names=names, bootstrap=False, command="tenor eval --gate",
                    techniques_model=techniques_model, multilingual_model=multilingual_model,
                    multilingual_set=multilingual_model is not None, log=log)


def _committed(out_dir: Path) -> dict[str, Any]:
    """The committed eval.json that a partial re-measurement updates."""
    current = out_dir / "eval.json"
    if not current.is_file():
        raise TenorError(f"{current} not found: run `tenor eval` first.")
    return json.loads(current.read_text(encoding="utf-8"))


def remeasure_speed(model: str | Path | None, dirs: list[Path], out_dir: Path, docs_dir: Path | None, log: Callable[[str], None] = print) -> float:
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
    write_results(data, out_dir, docs_dir)
    return float(data["floors"]["comments_per_sec_per_core"])


def _replace_part(
    data: dict[str, Any], name: str, part: dict[str, Any], floor_keys: tuple[str, ...], files: list[Path], stale: str,
) -> dict[str, Any]:
    """`data` (a committed eval.json) with its `name` entry, that entry's floors and its data files
    (those under the folder `stale`, from an earlier run, dropped) replaced by a new measurement."""
    data[name] = part
    measured = floors({"sets": {}, name: part}, None)
    data["floors"] = {**data["floors"], **{k: measured[k] for k in floor_keys}}
    data["gate"] = {"tolerance": gate.TOLERANCE, "lower_is_better": sorted(gate.LOWER_IS_BETTER)}
    data["data_files"] = {k: v for k, v in data["data_files"].items() if not k.startswith(stale)}
    data["data_files"].update({_relative(p): file_sha256(p) for p in files})
    return data


def remeasure_techniques(
    techniques_model: Any, dirs: list[Path], out_dir: Path, docs_dir: Path | None, *, bootstrap: bool = True,
    lower_floors: str | None = None, log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Measure only the techniques set and put it into the committed eval.json, leaving every other
    number as it is: a new technique model need not re-run the toxicity sets and peers (25 minutes)."""
    data = _committed(out_dir)
    root = techniques.find_root(dirs)
    if root is None:
        raise EvalDataError(f"{techniques.missing_reason(dirs)}: pass --data with the folder that holds it.")
    part, files = techniques.run_techniques(techniques_model, root, bootstrap=bootstrap, log=log)
    _replace_part(data, "techniques", part, gate.TECHNIQUE_FLOORS, files, f"{_relative(root)}/")
    write_results(data, out_dir, docs_dir, lower_floors=lower_floors)
    return data


def remeasure_multilingual(
    multilingual_model: Any, dirs: list[Path], out_dir: Path, docs_dir: Path | None, *, bootstrap: bool = True,
    lower_floors: str | None = None, log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Measure only the multilingual tier's set and put it into the committed eval.json, leaving
    every other number as it is (the English sets and peers need not run again)."""
    data = _committed(out_dir)
    path = multilingual.find_file(dirs)
    if path is None:
        raise EvalDataError(f"{multilingual.missing_reason(dirs)}: pass --data with the folder that holds it.")
    tier = multilingual.load_model(multilingual_model)
    reason = multilingual.unavailable_reason(tier)
    if reason is not None:
        raise ModelError(f"cannot measure the multilingual tier: {reason}.")
    part, files = multilingual.run_multilingual(None, tier, path, bootstrap=bootstrap, log=log)
    _replace_part(data, "multilingual", part, gate.MULTILINGUAL_FLOORS, files, f"{_relative(path)}")
    write_results(data, out_dir, docs_dir, lower_floors=lower_floors)
    return data


def write_results(data: dict[str, Any], out_dir: Path, docs_dir: Path | None, *, lower_floors: str | None = None) -> list[Path]:
    """eval.json (+ a copy per model version) and, with docs_dir, evaluation.md + reliability.svg.
    Refuses to lower a committed floor unless `lower_floors` gives the reason."""
    current = out_dir / "eval.json"
    if current.is_file():
        previous = gate.floors_of(current)
        drops = gate.lowered(data["floors"], previous)
        if drops and not lower_floors:
            raise FloorsLoweredError(
                "this run would lower committed floors: " + "; ".join(drops)
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
                reliability_svg(bins, f"TOXICITY reliability, Jigsaw 2018 test ({data['model_version']})"), encoding="utf-8"
            )
        written += [docs_dir / "evaluation.md", docs_dir / "reliability.svg"]
    return written


__all__ = [
    "FloorsLoweredError", "remeasure_multilingual", "remeasure_speed", "remeasure_techniques", "run_eval", "run_gate",
    "write_results",
]  # fmt: skip
