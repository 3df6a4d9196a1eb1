"""tenor's functional test suite (tenor.evaluate.functional): the packaged cases are well formed,
and evaluate_functional / markdown_table run on the tiny random model of conftest (scores are
meaningless there: only the shape of the report is checked)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tenor import Scorer
from tenor.evaluate.functional import (
    ACCURACY_BAR,
    EXPECT_ATTRIBUTES,
    FUNCTIONALITIES,
    FUNCTIONALITY_BAR,
    Case,
    evaluate_functional,
    find_suite,
    load_model,
    load_suite,
    markdown_table,
    measure,
    section,
    suite_files,
    unavailable_reason,
)  # fmt: skip

HATECHECK_CODES = {
    "derog_neg_emote_h", "derog_neg_attrib_h", "derog_dehum_h", "derog_impl_h", "threat_dir_h", "threat_norm_h",
    "slur_h", "slur_homonym_nh", "slur_reclaimed_nh", "profanity_h", "profanity_nh", "ref_subs_clause_h",
    "ref_subs_sent_h", "negate_pos_h", "negate_neg_nh", "phrase_question_h", "phrase_opinion_h", "ident_neutral_nh",
    "ident_pos_nh", "counter_quote_nh", "counter_ref_nh", "target_obj_nh", "target_indiv_nh", "target_group_nh",
    "spell_char_swap_h", "spell_char_del_h", "spell_space_del_h", "spell_space_add_h", "spell_leet_h",
}  # fmt: skip
MIN_CASES = 20


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return load_suite()


def test_suite_files_parse_as_json_lines() -> None:
    files = suite_files()
    assert files and all(f.suffix == ".jsonl" for f in files)
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            assert line.strip(), f"{file.name}:{number} is blank"
            row = json.loads(line)
            assert isinstance(row, dict)
            assert set(row) <= {"id", "functionality", "text", "target", "hateful", "expect"}, (
                file.name,
                number,
            )


def test_every_case_has_its_fields(cases: list[Case]) -> None:
    assert len(cases) >= 1000
    for case in cases:
        assert re.fullmatch(r"[FT]\d{2}-\d{3}", case.id), case.id
        assert case.functionality in FUNCTIONALITIES, case.functionality
        assert case.text.strip() == case.text and case.text, case.id
        assert case.target.strip(), case.id
        assert isinstance(case.hateful, bool)
        for attribute, value in case.expect.items():
            assert attribute in EXPECT_ATTRIBUTES, (case.id, attribute)
            assert isinstance(value, bool)


def test_the_taxonomy_is_covered(cases: list[Case]) -> None:
    present = {case.functionality for case in cases}
    assert HATECHECK_CODES <= present
    assert present == set(FUNCTIONALITIES)
    tenor_own = {f for f in present if f.startswith("tenor_")}
    assert len(tenor_own) >= 7


def test_every_functionality_has_enough_cases(cases: list[Case]) -> None:
    counts = Counter(case.functionality for case in cases)
    thin = {name: n for name, n in counts.items() if n < MIN_CASES}
    assert not thin, thin


def test_ids_and_texts_are_unique(cases: list[Case]) -> None:
    ids = Counter(case.id for case in cases)
    assert not [i for i, n in ids.items() if n > 1]
    texts = Counter(case.text.casefold() for case in cases)
    assert not [t for t, n in texts.items() if n > 1]


def test_ids_number_each_functionality(cases: list[Case]) -> None:
    """One id prefix per functionality, so an id names its functionality."""
    prefixes: dict[str, set[str]] = {}
    for case in cases:
        prefixes.setdefault(case.id.split("-")[0], set()).add(case.functionality)
    assert all(len(names) == 1 for names in prefixes.values()), prefixes


def test_labels_follow_the_functionality_suffix(cases: list[Case]) -> None:
    for case in cases:
        if case.functionality.endswith("_h"):
            assert case.hateful is True, case.id
        elif case.functionality.endswith("_nh"):
            assert case.hateful is False, case.id
        else:  # tenor's calls for violence against non-protected targets: violent, but no identity attack
            assert case.functionality == "tenor_cfv_nonprotected" and case.hateful is False, case.id
            assert case.expect.get("CALL_FOR_VIOLENCE") is True, case.id


def test_expectations_follow_the_functionality(cases: list[Case]) -> None:
    def expected(name: str, attribute: str) -> set[object]:
        return {case.expect.get(attribute) for case in cases if case.functionality == name}

    for name in ("derog_dehum_h", "tenor_dehum_disease_h", "tenor_dehum_vermin_h"):
        assert expected(name, "DEHUMANIZATION") == {True}, name
    for name in ("threat_dir_h", "tenor_veiled_threat_h"):
        assert expected(name, "THREAT") == {True}, name
    for name in ("threat_norm_h", "tenor_cfv_state_h", "tenor_cfv_nonprotected"):
        assert expected(name, "CALL_FOR_VIOLENCE") == {True}, name
    for name in ("ident_neutral_nh", "ident_pos_nh", "tenor_identity_benign_nh", "tenor_news_neutral_nh"):
        for attribute in EXPECT_ATTRIBUTES:
            assert expected(name, attribute) == {False}, (name, attribute)


def test_templated_functionalities_span_several_targets(cases: list[Case]) -> None:
    targets: dict[str, set[str]] = {}
    for case in cases:
        if case.hateful:
            targets.setdefault(case.functionality, set()).add(case.target)
    assert all(len(t) >= 6 for t in targets.values()), {k: len(v) for k, v in targets.items() if len(v) < 6}


def test_load_suite_reads_a_file_or_folder_and_rejects_bad_lines(tmp_path: Path) -> None:
    good = {"id": "X01-001", "functionality": "ident_pos_nh", "text": "I like my neighbours.", "target": "none",
            "hateful": False}  # fmt: skip
    (tmp_path / "a.jsonl").write_text(json.dumps(good) + "\n\n", encoding="utf-8")
    assert load_suite(tmp_path / "a.jsonl") == [
        Case("X01-001", "ident_pos_nh", "I like my neighbours.", "none", False)
    ]
    assert len(load_suite(tmp_path)) == 1
    (tmp_path / "b.jsonl").write_text(json.dumps(good) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Repeated case id"):
        load_suite(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**good, "hateful": "no"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="hateful"):
        load_suite(bad)
    bad.write_text(json.dumps({k: v for k, v in good.items() if k != "target"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing target"):
        load_suite(bad)


def test_evaluate_functional_reports_every_functionality(scorer: Scorer, cases: list[Case]) -> None:
    report = evaluate_functional(scorer)
    json.dumps(report)  # serialisable
    assert {"set", "model_version", "attribute", "threshold", "attributes", "not_scored", "overall",
            "functionalities", "by_target", "bar"} <= set(report)  # fmt: skip
    assert report["attribute"] == "IDENTITY_ATTACK" and report["threshold"] == 0.5
    assert report["model_version"] == "test-0"
    # the tiny model scores TOXICITY and THREAT; DEHUMANIZATION and CALL_FOR_VIOLENCE are stated but not scored
    assert report["attributes"] == ["IDENTITY_ATTACK", "TOXICITY", "THREAT"]
    assert report["not_scored"] == ["DEHUMANIZATION", "CALL_FOR_VIOLENCE"]

    overall = report["overall"]
    assert overall["n"] == len(cases)
    assert overall["n_hateful"] == sum(case.hateful for case in cases)
    assert 0.0 <= overall["accuracy"] <= 1.0 and 0.0 <= overall["auc"] <= 1.0
    assert set(overall["expect"]) == {"TOXICITY", "THREAT"}

    counts = Counter(case.functionality for case in cases)
    assert set(report["functionalities"]) == set(counts)
    for name, entry in report["functionalities"].items():
        assert set(entry) == {"n", "hateful", "accuracy", "mean_score", "expect"}
        assert entry["n"] == counts[name]
        assert entry["hateful"] is (not name.endswith("_nh") and name != "tenor_cfv_nonprotected")
        assert 0.0 <= entry["accuracy"] <= 1.0 and 0.0 <= entry["mean_score"] <= 1.0
        assert set(entry["expect"]) <= {"TOXICITY", "THREAT"}
        for block in entry["expect"].values():
            assert block["n"] >= 1 and 0.0 <= block["accuracy"] <= 1.0
        assert entry["accuracy"] == round(entry["accuracy"], 4)

    bar = report["bar"]
    assert bar["accuracy"] == ACCURACY_BAR and bar["functionality"] == FUNCTIONALITY_BAR
    below = sorted(n for n, e in report["functionalities"].items() if e["accuracy"] < FUNCTIONALITY_BAR)
    assert bar["below"] == below
    assert bar["passed"] is (overall["accuracy"] >= ACCURACY_BAR and not below)


def test_accuracy_follows_the_threshold(scorer: Scorer) -> None:
    """At threshold 0 everything reads as hateful, above 1 nothing does."""
    cases = load_suite()
    share = sum(case.hateful for case in cases) / len(cases)
    assert evaluate_functional(scorer, threshold=0.0)["overall"]["accuracy"] == round(share, 4)
    assert evaluate_functional(scorer, threshold=1.01)["overall"]["accuracy"] == round(1 - share, 4)


def test_evaluate_functional_on_given_cases(scorer: Scorer) -> None:
    cases = [
        Case("A-1", "ident_pos_nh", "Great article, thanks.", "none", False, {"TOXICITY": False}),
        Case("A-2", "derog_neg_emote_h", "I hate them all.", "x", True),
    ]
    report = evaluate_functional(scorer, cases=cases)
    assert report["overall"]["n"] == 2 and set(report["functionalities"]) == {
        "ident_pos_nh",
        "derog_neg_emote_h",
    }
    assert report["attributes"] == ["IDENTITY_ATTACK", "TOXICITY"] and report["not_scored"] == []
    assert report["functionalities"]["derog_neg_emote_h"]["expect"] == {}
    with pytest.raises(ValueError, match="no cases"):
        evaluate_functional(scorer, cases=[])


def test_markdown_table(scorer: Scorer) -> None:
    report = evaluate_functional(scorer)
    table = markdown_table(report)
    lines = table.splitlines()
    assert lines[0].startswith(
        "| Functionality | gold | n | IDENTITY_ATTACK acc | mean score | TOXICITY acc | THREAT acc"
    )
    rows = [line for line in lines if line.startswith("| `")]
    assert len(rows) == len(report["functionalities"])
    assert any(line.startswith("| **overall**") for line in lines)
    assert "ROC-AUC" in table and "test-0" in table
    assert "DEHUMANIZATION" in table  # named as not scored by this model


def test_registry_interface_measures_the_comment_model(tiny_model: object) -> None:
    """What `tenor eval` calls once the suite is registered: the packaged suite is always found, and
    the run's comment model is measured when no model of its own is named."""
    found = find_suite([])
    assert found is not None and sorted(found.glob("*.jsonl")) == suite_files()
    assert load_model(None) is None and unavailable_reason(None) is None
    logged: list[str] = []
    entry, files = measure(None, found, comment_model=tiny_model, log=logged.append)
    assert files == [] and re.fullmatch(r"[0-9a-f]{64}", entry["suite_sha256"])
    assert entry["model_version"] == "test-0" and entry["overall"]["n"] == len(load_suite())
    assert logged and "IDENTITY_ATTACK accuracy" in logged[0]
    lines = section({"functional": entry})
    assert "## functional" in lines and any("| **overall**" in line for line in lines)
