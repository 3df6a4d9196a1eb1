"""tenor.evaluate: metrics, set readers, the report, and the floor rules of the CI gate.
Hermetic: the readers run on small files written here; ../shared is not needed."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from tenor.evaluate import FloorsLoweredError, check_history, metrics, violations, write_results
from tenor.evaluate.gate import FLOOR_KEYS, floors
from tenor.evaluate.ngram import identity_bias
from tenor.evaluate.report import reliability_svg
from tenor.evaluate.sets import EvalDataError, load_sets

FLOORS = {
    "jigsaw_toxicity_auc": 0.95,
    "jigsaw_mean_auc": 0.97,
    "olid_macro_f1": 0.75,
    "toxic_spans_f1": 0.63,
    "worst_bpsn_auc": 0.99,
    "jigsaw_ece": 0.04,
    "comments_per_sec_per_core": 1200.0,
}


# --- metrics ---------------------------------------------------------------------------------


def test_fast_auc_matches_sklearn() -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 500)
    p = rng.random(500).round(2)  # ties on purpose
    assert metrics._fast_auc(y, metrics.rankdata(p)) == pytest.approx(roc_auc_score(y, p), abs=1e-12)


def test_bootstrap_interval_is_deterministic_and_brackets_the_auc() -> None:
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 300)
    p = y * 0.3 + rng.random(300)
    a = metrics.bootstrap_auc_ci(y, p, n=200)
    assert a is not None and a == metrics.bootstrap_auc_ci(y, p, n=200)
    assert a[0] < roc_auc_score(y, p) < a[1]
    assert metrics.bootstrap_auc_ci(np.zeros(5, dtype=int), np.arange(5.0)) is None


def test_ece_and_reliability() -> None:
    p = np.array([0.05, 0.05, 0.95, 0.95])
    assert metrics.ece(p, np.array([0, 0, 1, 1])) == pytest.approx(0.05)
    assert metrics.ece(p, np.array([1, 1, 0, 0])) == pytest.approx(0.95)
    assert [b["bin"] for b in metrics.reliability(p, np.array([0, 0, 1, 1]))] == [0, 9]
    assert metrics.reliability(np.array([1.0]), np.array([1]))[0]["bin"] == 9  # p = 1 falls in the last bin


def test_span_f1_follows_semeval_2021() -> None:
    assert metrics.span_f1(set(), frozenset()) == 1.0
    assert metrics.span_f1({1}, frozenset()) == 0.0
    assert metrics.span_f1({1, 2}, frozenset({2, 3})) == pytest.approx(0.5)


def test_paired_difference_of_a_model_with_itself_is_zero() -> None:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 200)
    p = rng.random(200)
    assert metrics.paired_bootstrap_diff(y, p, p, n=50) == (0.0, 0.0, 0.0)


def test_identity_bias_finds_the_worst_term() -> None:
    texts = [f"i am {t} {w}" for t in ("gay", "tall") for w in ["and happy"] * 20 + ["and hateful"] * 20]
    y = np.array(([0] * 20 + [1] * 20) * 2)
    # benign "gay" sentences outscore toxic background ones: BPSN collapses, subgroup AUC does not
    p = np.array([0.85] * 20 + [0.9] * 20 + [0.1] * 20 + [0.8] * 20)
    bias = identity_bias(texts, y, p)
    assert set(bias["per_term"]) == {"gay"}  # "tall" is no identity term
    assert bias["worst_bpsn"] == {"term": "gay", "subgroup_auc": 1.0, "bpsn_auc": 0.0, "bnsp_auc": 1.0}


# --- set readers -----------------------------------------------------------------------------


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture()
def data_root(tmp_path: Path) -> Path:
    labels = "toxic,severe_toxic,obscene,threat,insult,identity_hate"
    _write(tmp_path, "data2/jigsaw_toxic_2018_union/test/test_scored_with_text.csv",
           f'id,comment_text,{labels}\na,"you idiot",1,0,0,0,1,0\nb,"thanks, friend",0,0,0,0,0,0\n')
    _write(tmp_path, "data3/jigsaw_toxic_2018_more/test/test_scored_with_text_more.csv",
           f'id,comment_text,{labels}\nc,"i will hurt you",1,0,0,1,0,0\n')
    _write(tmp_path, "data/olid/test/testset-levela.tsv", 'id\ttweet\n1\t@USER you are "great"\n2\t@USER shut up\n')
    _write(tmp_path, "data/olid/test/labels-levela.csv", "id,label\n1,NOT\n2,OFF\n")
    _write(tmp_path, "data2/ruddit/ruddit_with_text.csv",
           "comment_id,post_id,offensiveness_score,post_title,comment_body\nx,p,0.4,t,rude words\ny,p,-0.2,t,[deleted]\nz,p,-0.5,t,kind words\n")
    _write(tmp_path, "data3/jigsaw_multilingual_2020/test/test_ids_0-5999_with_labels.csv",
           "id,content,lang,toxic\n0,hola amigo,es,0\n1,idiota,es,1\n2,ciao,it,0\n")
    return tmp_path


def test_readers_map_labels_onto_attributes(data_root: Path) -> None:
    dirs = [data_root / d for d in ("data", "data2", "data3")]
    jig, olid, ruddit, multi = load_sets(dirs, ["jigsaw2018", "olid", "ruddit", "multilingual"])
    assert jig.texts == ["you idiot", "thanks, friend", "i will hurt you"]
    assert jig.labels["INSULT"].tolist() == [1, 0, 0] and jig.labels["THREAT"].tolist() == [0, 0, 1]
    assert olid.texts == ['@USER you are "great"', "@USER shut up"]  # quotes kept: read with QUOTE_NONE
    assert olid.labels["TOXICITY"].tolist() == [0, 1]
    assert ruddit.texts == ["rude words", "kind words"]  # [deleted] bodies are dropped
    assert ruddit.labels["TOXICITY"].tolist() == [1, 0]
    assert multi.groups["lang"].tolist() == ["es", "es", "it"]


def test_missing_set_and_unknown_name_are_clear_errors(data_root: Path) -> None:
    dirs = [data_root / "data"]
    with pytest.raises(EvalDataError, match="toxic_spans/test/tsd_test.csv not found.*--data"):
        load_sets(dirs, ["toxic_spans"])
    with pytest.raises(EvalDataError, match="unknown eval set.*nope"):
        load_sets(dirs, ["nope"])


# --- the gate --------------------------------------------------------------------------------


def test_gate_passes_within_tolerance_and_fails_beyond() -> None:
    assert violations(FLOORS, FLOORS) == []
    near = {**FLOORS, "jigsaw_toxicity_auc": 0.9485, "jigsaw_ece": 0.044, "comments_per_sec_per_core": 950.0}
    assert violations(near, FLOORS) == []
    worse = {**FLOORS, "jigsaw_toxicity_auc": 0.94, "jigsaw_ece": 0.06, "comments_per_sec_per_core": 800.0}
    broken = {line.split(":")[0] for line in violations(worse, FLOORS)}
    assert broken == {"jigsaw_toxicity_auc", "jigsaw_ece", "comments_per_sec_per_core"}
    assert violations({**FLOORS, "olid_macro_f1": None}, FLOORS) == ["olid_macro_f1: not measured (committed floor 0.75)"]


def _data(floor_values: dict[str, float]) -> dict:
    return {
        "model_version": "test-1",
        "command": "tenor eval",
        "floors": floor_values,
        "gate": {"tolerance": {k: 0.01 for k in FLOOR_KEYS}, "lower_is_better": ["jigsaw_ece"]},
        "min_positives_to_compare": 150,
        "peers": {},
        "sets": {
            "jigsaw2018": {
                "tenor": {
                    "n": 2,
                    "description": "<b>set</b>",
                    "attributes": {"TOXICITY": {"n": 2, "positives": 1, "roc_auc": 1.0, "ci95": [1.0, 1.0], "macro_f1": 1.0, "ece": 0.1}},
                    "reliability_TOXICITY": [{"bin": 0, "n": 1, "mean_predicted": 0.05, "observed": 0.0}],
                }
            },
            "toxic_spans": {"tenor": {"n": 2, "description": "spans", "span_f1": 0.6}},
        },
    }


def test_writing_results_refuses_to_lower_a_floor_without_a_reason(tmp_path: Path) -> None:
    write_results(_data(FLOORS), tmp_path, tmp_path / "docs")
    assert json.loads((tmp_path / "eval-test-1.json").read_text())["floors"] == FLOORS
    lower = {**FLOORS, "olid_macro_f1": 0.70}
    with pytest.raises(FloorsLoweredError, match="olid_macro_f1.*--lower-floors"):
        write_results(_data(lower), tmp_path, None)
    write_results(_data(lower), tmp_path, None, lower_floors="new OLID mapping")
    saved = json.loads((tmp_path / "eval.json").read_text())
    assert saved["floors_lowered"] == {"reason": "new OLID mapping", "previous": FLOORS}


def test_report_markdown_and_svg(tmp_path: Path) -> None:
    write_results(_data(FLOORS), tmp_path, tmp_path)
    md = (tmp_path / "evaluation.md").read_text()
    assert "| `olid_macro_f1` | 0.75 | -0.01 |" in md and "tenor span F1: **0.6**" in md
    svg = reliability_svg([{"bin": 3, "n": 5, "mean_predicted": 0.33, "observed": 0.4}], "<script>alert(1)</script>")
    root = ET.fromstring(svg)  # well-formed, and the title is text, not markup
    assert all(e.tag.split("}")[-1] != "script" for e in root.iter())
    assert "&lt;script&gt;" in svg


def test_floors_read_from_a_run() -> None:
    run = {"sets": {"jigsaw2018": {"tenor": {"attributes": {"TOXICITY": {"roc_auc": 0.9, "ece": 0.03}}, "mean_roc_auc": 0.95}}}}
    got = floors(run, 1234.56)
    assert got["jigsaw_toxicity_auc"] == 0.9 and got["jigsaw_mean_auc"] == 0.95 and got["comments_per_sec_per_core"] == 1234.6
    assert got["olid_macro_f1"] is None


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True, capture_output=True)


def test_history_check_needs_a_reason_in_the_commit_that_lowers_a_floor(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks/results/eval.json"
    path.parent.mkdir(parents=True)
    _git(tmp_path, "init", "-q")
    path.write_text(json.dumps({"floors": FLOORS}))
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "first floors")
    assert check_history(tmp_path) == []
    path.write_text(json.dumps({"floors": {**FLOORS, "comments_per_sec_per_core": 500.0}}))
    _git(tmp_path, "commit", "-qam", "slower machine")
    assert check_history(tmp_path) == []  # speed follows the machine: no reason needed
    path.write_text(json.dumps({"floors": {**FLOORS, "worst_bpsn_auc": 0.9}}))
    _git(tmp_path, "commit", "-qam", "retrain")
    assert "without a 'Lower-floors: <reason>' line" in check_history(tmp_path)[0]
    _git(tmp_path, "commit", "-q", "--amend", "-m", "retrain\n\nLower-floors: new identity data trades BPSN for recall")
    assert check_history(tmp_path) == []


def test_the_fast_engine_is_measured_beside_the_default_with_floors_of_its_own(
    data_root: Path, tiny_model: object
) -> None:
    """Issue 18: the n-gram engine stays as `fast`, gated on the same sets under its own floors."""
    from tenor.evaluate import run_eval
    import dataclasses

    from tenor.evaluate.gate import FAST_FLOORS, FLOOR_KEYS, TOLERANCE, violations

    from .conftest import make_tiny_model

    dirs = [data_root / "data", data_root / "data2", data_root / "data3"]
    result = run_eval(tiny_model, dirs, set_names=["olid"], bootstrap=False, measure_speed=False,
                      fast_model=dataclasses.replace(make_tiny_model(seed=1), version="test-1"), log=lambda _: None)  # fmt: skip
    fast = result["fast"]
    assert fast["model_version"] == "test-1" != result["model_version"]
    assert fast["sets"]["olid"]["tenor"]["n"] == result["sets"]["olid"]["tenor"]["n"] == 2
    floors = result["floors"]
    assert floors["fast_olid_macro_f1"] == fast["sets"]["olid"]["tenor"]["attributes"]["TOXICITY"]["macro_f1"]
    assert floors["fast_jigsaw_toxicity_auc"] is None  # not measured in this run
    assert set(FAST_FLOORS) <= set(FLOOR_KEYS) and all(key in TOLERANCE for key in FAST_FLOORS)
    worse = {**floors, "fast_olid_macro_f1": floors["fast_olid_macro_f1"] - 0.01}
    assert [v.split(":")[0] for v in violations(worse, floors)] == ["fast_olid_macro_f1"]
    same = run_eval(tiny_model, dirs, set_names=["olid"], bootstrap=False, measure_speed=False,
                    fast_model=tiny_model, log=lambda _: None)  # fmt: skip
    assert "fast" not in same  # the default is the fast engine itself: nothing beside it
