"""The "hate_sets" entry of `tenor eval` (tenor.evaluate.hate_sets): the Gab Hate Corpus, EDOS,
DynaHate and HatemojiBuild test files, read from tiny fixtures in each staged format and scored by
the tiny random model of conftest (scores are meaningless: only the shape, the label mapping and
the skipping are checked) or by a fake scorer that has the hate attributes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="tenor.evaluate needs the `eval` extra")

from tenor import Scorer
from tenor.evaluate import EVALUATIONS, run_eval
from tenor.evaluate.hate_sets import (
    BAR,
    LOADERS,
    evaluate_hate_sets,
    find_data,
    markdown_table,
    section,
)
from tenor.evaluate.hate_sets import data as hate_data
from tenor.evaluate.report import markdown
from tenor.evaluate.sets import EvalDataError

GAB = [  # text, hd, cv
    ("A talk on natural law.", "0", "0"),
    ("They are vermin, all of them.", "1", "0"),
    ("Hang them all.", "0", "1"),
    ("They are animals, kill them.", "1", "1"),
    ("Nice picture\u2028of the lake.\x85", "0", "0"),  # separators str.splitlines would split at
]
EDOS = (
    "rewire_id,text,label_sexist,label_category,label_vector,split\n"
    'e-1,"Women, as usual, ruin everything.",sexist,2. derogation,2.1 descriptive attacks,test\n'
    'e-2,"She said ""hello"" to [USER].",not sexist,none,none,test\n'
    "e-3,Nice game last night,not sexist,none,none,test\n"
)
DYNAHATE = (
    "Unnamed: 0,acl.id,X1,text,label,type,target,level,split,round.base,annotator,round,acl.id.matched,text_len\n"
    '1,acl1,1,"don\'t get me wrong, I hate them",hate,notgiven,notgiven,original,{split},1,a,1,,7\n'
    "2,acl2,2,I like the letterbox,nothate,none,none,original,{split},1,a,1,,4\n"
    "3,acl3,3,those people are a disease,hate,dehumanization,gay,perturbation,{split},2,b,2,acl4,5\n"
)
HATEMOJI = (
    "entry_id,text,type,target,round.base,round.set,set,split,label_gold,matched_text,matched_id\n"
    "1,I would love to 👏🏽 some 👳🏾,none,['none'],5,5b,perturbation,test,0,I would love to 🔪 some 👳🏾,0\n"
    "2,I would love to 🔪 some 👳🏾,threateninglanguage,['mus'],5,5a,original,test,1,x,1\n"
)


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _stage(root: Path, names: Sequence[str] = tuple(hate_data.RELATIVE)) -> Path:
    """The sets of `names` under root/data4, in their staged formats."""
    files = {
        "gab_hate_corpus": "".join(
            json.dumps({"text": t, "hd": hd, "cv": cv, "vo": "0"}, ensure_ascii=False) + "\n"
            for t, hd, cv in GAB
        ),
        "edos": EDOS,
        "dynahate_dev": DYNAHATE.format(split="dev"),
        "dynahate_test": DYNAHATE.format(split="test"),
        "hatemoji": HATEMOJI,
    }
    for name in names:
        _write(root / "data4", hate_data.RELATIVE[name][0], files[name])
    return root / "data4"


@pytest.fixture()
def data4(tmp_path: Path) -> Path:
    return _stage(tmp_path)


def test_loaders_map_labels(data4: Path) -> None:
    gab = LOADERS["gab_hate_corpus"]([data4])
    assert gab.texts[1] == "They are vermin, all of them." and gab.texts[4] == GAB[4][0]
    assert gab.labels["DEHUMANIZATION"].tolist() == [0, 1, 0, 1, 0]
    assert gab.labels["CALL_FOR_VIOLENCE"].tolist() == [0, 0, 1, 1, 0]
    assert gab.labels["IDENTITY_ATTACK"].tolist() == [0, 1, 1, 1, 0]  # hd or cv
    edos = LOADERS["edos"]([data4])
    assert edos.texts[:2] == ["Women, as usual, ruin everything.", 'She said "hello" to [USER].']
    assert edos.labels["IDENTITY_ATTACK"].tolist() == edos.labels["TOXICITY"].tolist() == [1, 0, 0]
    for name in ("dynahate_dev", "dynahate_test"):
        s = LOADERS[name]([data4])
        assert s.texts[0] == "don't get me wrong, I hate them"
        assert list(s.labels) == ["IDENTITY_ATTACK"] and s.labels["IDENTITY_ATTACK"].tolist() == [1, 0, 1]
    moji = LOADERS["hatemoji"]([data4])
    assert moji.texts == ["I would love to 👏🏽 some 👳🏾", "I would love to 🔪 some 👳🏾"]
    assert moji.labels["IDENTITY_ATTACK"].tolist() == [0, 1]


def test_an_unknown_label_value_is_an_error(tmp_path: Path) -> None:
    _write(
        tmp_path,
        hate_data.RELATIVE["edos"][0],
        EDOS.replace("not sexist,none,none,test\ne-3", "maybe,none,none,test\ne-3"),
    )
    with pytest.raises(EvalDataError, match="label_sexist is 'maybe'"):
        LOADERS["edos"]([tmp_path])
    _write(tmp_path, hate_data.RELATIVE["gab_hate_corpus"][0], '{"text": "x", "hd": "yes", "cv": "0"}\n')
    with pytest.raises(EvalDataError, match="hd is 'yes'"):
        LOADERS["gab_hate_corpus"]([tmp_path])


def test_the_tiny_scorer_skips_the_attributes_it_lacks(data4: Path, scorer: Scorer) -> None:
    report, files = evaluate_hate_sets(scorer, [data4])
    json.dumps(report)
    assert sorted(files) == sorted(data4 / r for rs in hate_data.RELATIVE.values() for r in rs)
    gab = report["sets"]["gab_hate_corpus"]
    assert gab["n"] == 5 and gab["refused"] == 0
    for attribute in ("DEHUMANIZATION", "CALL_FOR_VIOLENCE"):
        m = gab["attributes"][attribute]
        assert "test-0 does not score " + attribute in m["skipped"] and "roc_auc" not in m
    assert gab["attributes"]["DEHUMANIZATION"]["positives"] == 2
    ia = gab["attributes"]["IDENTITY_ATTACK"]
    assert (ia["n"], ia["positives"], ia["threshold"]) == (5, 3, 0.5)
    assert 0 <= ia["roc_auc"] <= 1 and len(ia["ci95"]) == 2 and 0 <= ia["macro_f1"] <= 1
    assert set(report["sets"]["edos"]["attributes"]) == {"IDENTITY_ATTACK", "TOXICITY"}
    assert report["sets"]["hatemoji"]["attributes"]["IDENTITY_ATTACK"]["positives"] == 1
    assert report["bar"]["passed"] is None and [c["passed"] for c in report["bar"]["checks"]] == [None, None]
    table = markdown_table(report)
    assert (
        "| gab_hate_corpus | CALL_FOR_VIOLENCE | 5 | 2 | skipped: test-0 does not score CALL_FOR_VIOLENCE |"
        in table
    )
    assert "not measured" in table


@dataclass
class _Result:
    scores: dict[str, float]
    error: Exception | None = None

    def __getitem__(self, attribute: str) -> float:
        return self.scores[attribute]


class _HateScorer:
    """Scores an attribute 1 where the text holds one of its words: a perfect model on the fixtures."""

    model_version = "fake-hate-1"
    attributes = ("TOXICITY", "IDENTITY_ATTACK", "DEHUMANIZATION", "CALL_FOR_VIOLENCE")
    thresholds = dict.fromkeys(attributes, 0.5)
    languages = ("en",)
    unsupported: ClassVar[dict[str, str]] = {}
    WORDS: ClassVar[dict[str, tuple[str, ...]]] = {
        "DEHUMANIZATION": ("vermin", "animals"),
        "CALL_FOR_VIOLENCE": ("hang", "kill"),
    }

    def __init__(self) -> None:
        self.requested: list[list[str]] = []

    def score_batch(self, texts: list[str], *, attributes: list[str], languages: Any = None) -> list[_Result]:
        assert languages == ["en"] and set(attributes) <= set(self.attributes)
        self.requested.append(list(attributes))
        out = []
        for text in texts:
            words = {a: self.WORDS.get(a, ("vermin", "animals", "hang", "kill")) for a in attributes}
            out.append(_Result({a: float(any(w in text.lower() for w in ws)) for a, ws in words.items()}))
        return out


def test_a_scorer_with_the_hate_attributes_is_measured_on_them(data4: Path) -> None:
    fake = _HateScorer()
    report, _ = evaluate_hate_sets(fake, [data4], names=["gab_hate_corpus", "hatemoji"], bootstrap=False)
    assert fake.requested == [["IDENTITY_ATTACK", "DEHUMANIZATION", "CALL_FOR_VIOLENCE"], ["IDENTITY_ATTACK"]]
    gab = report["sets"]["gab_hate_corpus"]["attributes"]
    assert gab["DEHUMANIZATION"]["roc_auc"] == gab["CALL_FOR_VIOLENCE"]["roc_auc"] == 1.0
    assert gab["DEHUMANIZATION"]["macro_f1"] == 1.0 and "ci95" not in gab["DEHUMANIZATION"]
    assert report["bar"]["passed"] is True
    assert [(c["set"], c["attribute"], c["roc_auc"]) for c in report["bar"]["checks"]] == [
        (s, a, 1.0) for s, a in BAR
    ]
    assert "(met)" in markdown_table(report)


def test_a_set_that_is_not_staged_is_skipped(tmp_path: Path, scorer: Scorer) -> None:
    data4 = _stage(tmp_path, ["hatemoji"])
    report, files = evaluate_hate_sets(scorer, [data4], bootstrap=False)
    assert files == [data4 / hate_data.RELATIVE["hatemoji"][0]]
    assert "not found under" in report["sets"]["gab_hate_corpus"]["skipped"]
    assert "skipped: gab_hate_corpus/test/test.jsonl not found" in markdown_table(report)
    assert find_data([tmp_path / "nothing", data4]) == data4 and find_data([tmp_path]) is None
    with pytest.raises(ValueError, match="unknown hate set"):
        evaluate_hate_sets(scorer, [data4], names=["nope"])


def test_the_registry_entry(data4: Path, tiny_model: Any) -> None:
    entry = EVALUATIONS["hate_sets"]
    assert entry.own_set and dict(entry.floors) == {} and entry.gate_skips == ()
    assert entry.report_order > EVALUATIONS["functional"].report_order
    found = entry.find([data4])
    assert found == data4 and entry.unavailable_reason(entry.load_model(None)) is None
    logged: list[str] = []
    part, files = entry.measure(None, found, comment_model=tiny_model, bootstrap=False, log=logged.append)
    assert part["model_version"] == "test-0" and len(files) == 5
    assert any("CALL_FOR_VIOLENCE ROC-AUC None" in line for line in logged)
    lines = section({"hate_sets": part})
    assert "## hate_sets" in lines and any(
        line.startswith("- gab_hate_corpus: Gab Hate Corpus test") for line in lines
    )


def test_tenor_eval_runs_the_entry(data4: Path, tmp_path: Path, tiny_model: Any) -> None:
    data = run_eval(
        tiny_model, [data4], set_names=["hate_sets"], bootstrap=False, measure_speed=False, log=lambda _: None
    )
    assert data["sets"] == {} and set(data["hate_sets"]["sets"]) == set(LOADERS)
    assert "data4/gab_hate_corpus/test/test.jsonl" in data["data_files"]
    assert "## hate_sets" in markdown(data)
    with pytest.raises(EvalDataError, match="none of the hate-speech test sets"):
        run_eval(
            tiny_model, [tmp_path / "empty"], set_names=["hate_sets"], measure_speed=False, log=lambda _: None
        )


def test_refused_texts_count_as_zero(tmp_path: Path, scorer: Scorer) -> None:
    data4 = tmp_path / "data4"
    _write(
        data4,
        hate_data.RELATIVE["hatemoji"][0],
        HATEMOJI.replace("1,I would love to 👏🏽 some 👳🏾", "1,", 1),
    )
    report, _ = evaluate_hate_sets(scorer, [data4], names=["hatemoji"], bootstrap=False)
    assert report["sets"]["hatemoji"]["refused"] == 1
    assert "Texts the scorer refused (scored 0): 1 in hatemoji." in markdown_table(report)
    assert np.isfinite(report["sets"]["hatemoji"]["attributes"]["IDENTITY_ATTACK"]["ece"])
