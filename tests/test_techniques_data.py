"""Groundwork of persuasion-technique detection (issue 9): the corpus reader and the two official
measures, on hand-made cases; and the staged corpus's verified counts where ../shared exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenor._errors import TrainingDataError
from tenor.datasets.techniques import TECHNIQUES, load_technique_split, read_article, read_paragraph_labels
from tenor.metrics.techniques import paragraph_f1, span_f1, span_f1_by_technique

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "semeval2023_task3_en"


def test_the_inventory_is_the_23_semeval_2023_techniques() -> None:
    assert len(TECHNIQUES) == len(set(TECHNIQUES)) == 23
    assert {"Loaded_Language", "Name_Calling-Labeling", "Appeal_to_Fear-Prejudice", "Whataboutism"} <= set(TECHNIQUES)


def test_paragraph_labels_repair_the_one_corrupted_name_and_refuse_others(tmp_path: Path) -> None:
    path = tmp_path / "labels.txt"
    path.write_text("1\t1\t\n1\t3\tDoubt,Appeal_to_Fear-Prejudi-čce\n2\t5\tLoaded_Language\n", encoding="utf-8")
    assert read_paragraph_labels(path) == {
        ("1", 1): frozenset(),
        ("1", 3): frozenset({"Doubt", "Appeal_to_Fear-Prejudice"}),
        ("2", 5): frozenset({"Loaded_Language"}),
    }
    path.write_text("1\t3\tLoaded_Languag\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match="line 1: unknown technique 'Loaded_Languag'"):
        read_paragraph_labels(path)
    path.write_text("1\t3\tDoubt\n1\t3\tDoubt\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match="labelled twice"):
        read_paragraph_labels(path)


def test_article_lines_are_located_by_offset(tmp_path: Path) -> None:
    path = tmp_path / "article42.txt"
    path.write_text("Title\n\nFirst paragraph.\r\nSecond one\n", encoding="utf-8")
    article = read_article(path)
    assert article.id == "42"
    assert [article.line(n) for n in (1, 2, 3, 4)] == ["Title", "", "First paragraph.", "Second one"]


def test_paragraph_f1_matches_hand_counts_and_the_official_zero_division() -> None:
    techniques = ("A", "B", "C")
    gold = {("x", 1): {"A"}, ("x", 2): {"A", "B"}, ("x", 3): set()}
    predicted = {("x", 1): {"A"}, ("x", 2): {"B"}, ("x", 3): {"B"}, ("y", 9): {"A"}}  # y/9 is not a gold row
    scores = paragraph_f1(gold, predicted, techniques)
    # A: tp 1, fn 1 -> 2/3; B: tp 1, fp 1 -> 2/3; C: nothing either side -> 1.0 (zero_division=1)
    assert scores["per_technique"]["A"]["f1"] == pytest.approx(2 / 3)
    assert scores["per_technique"]["B"]["f1"] == pytest.approx(2 / 3)
    assert scores["per_technique"]["C"]["f1"] == 1.0
    assert scores["micro_f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))
    assert scores["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert scores["macro_present"] == pytest.approx(2 / 3)
    assert paragraph_f1(gold, {}, techniques)["micro_f1"] == 0.0  # a missing row predicts nothing


def test_span_f1_gives_partial_credit_by_overlap() -> None:
    gold = [("a", 0, 10)]
    assert span_f1(gold, [("a", 0, 10)])["f1"] == 1.0
    half = span_f1(gold, [("a", 5, 15)])  # 5 of 10 predicted chars are right, 5 of 10 gold chars found
    assert (half["precision"], half["recall"], half["f1"]) == pytest.approx((0.5, 0.5, 0.5))
    assert span_f1(gold, [("b", 0, 10)])["f1"] == 0.0  # another article
    twice = span_f1(gold, [("a", 0, 10), ("a", 2, 8)])  # overlapping predictions merge: no double credit
    assert twice["predicted_spans"] == 1 and twice["f1"] == 1.0
    assert span_f1([], [])["f1"] == 0.0


def test_span_f1_by_technique_credits_only_the_same_technique() -> None:
    gold = [("a", "Doubt", 0, 10), ("a", "Slogans", 20, 30)]
    predicted = [("a", "Doubt", 0, 10), ("a", "Doubt", 20, 30)]
    scores = span_f1_by_technique(gold, predicted, ("Doubt", "Slogans"))
    assert scores["per_technique"]["Doubt"]["precision"] == 0.5 and scores["per_technique"]["Doubt"]["recall"] == 1.0
    assert scores["per_technique"]["Slogans"]["f1"] == 0.0
    assert scores["all"]["precision"] == 0.5 and scores["all"]["recall"] == 0.5


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/semeval2023_task3_en is absent (this test reads it)")
def test_the_staged_train_split_has_its_verified_counts() -> None:
    corpus = load_technique_split(SHARED, "train")
    assert len(corpus.articles) == 446
    assert len(corpus.paragraphs) == 9498
    assert sum(bool(t) for t in corpus.paragraphs.values()) == 3760
    assert len(corpus.spans) == 7201
    assert all(t in TECHNIQUES for labels in corpus.paragraphs.values() for t in labels)
    fear = sum("Appeal_to_Fear-Prejudice" in t for t in corpus.paragraphs.values())
    assert fear == 310  # 309 plus the one corrupted label, repaired
