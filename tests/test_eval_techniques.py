"""The "techniques" set of `tenor eval`: the technique model on the SemEval-2023 English dev split.
Hermetic with a fake model and a tiny corpus in the staged layout; the real dev split (with an
oracle, and with the shipped model where it exists) only where ../shared is beside the checkout."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner

from tenor import Scorer
from tenor._errors import ModelNotFoundError
from tenor.cli import main
from tenor.datasets.techniques import load_technique_split
from tenor.evaluate import EVALUATIONS, _api, gate, run_eval, run_gate, violations, write_results
from tenor.evaluate.report import markdown
from tenor.evaluate.sets import EvalDataError
from tenor.evaluate.techniques import run as tech
from tenor.techniques import TECHNIQUES, ArticleTechniques, ParagraphTechniques, TechniqueSpan

SHARED_ROOT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "semeval2023_task3_en"

ARTICLES = {
    "1": "Title one\n\nThey are idiots.\nA terrible, terrible plan.\n",
    "2": "Second title\n\nWe must act now.\nNothing here.\n",
}
LABELS = "1\t1\t\n1\t3\tName_Calling-Labeling\n1\t4\tLoaded_Language,Repetition\n2\t1\t\n2\t3\tSlogans\n2\t4\t\n"


def _at(article: str, word: str, nth: int = 0) -> tuple[int, int]:
    m = [m for m in re.finditer(re.escape(word), ARTICLES[article])][nth]
    return m.start(), m.end()


GOLD_SPANS = [
    ("1", "Name_Calling-Labeling", *_at("1", "idiots")),
    ("1", "Loaded_Language", *_at("1", "terrible")),
    ("1", "Repetition", _at("1", "terrible")[0], _at("1", "terrible", 1)[1]),
    ("2", "Slogans", *_at("2", "We must act now.")),
]


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    """tmp/data/semeval2023_task3_en/dev in the staged layout."""
    dev = tmp_path / "data" / "semeval2023_task3_en" / "dev"
    (dev / "dev-articles-subtask-3").mkdir(parents=True)
    (dev / "dev-labels-subtask-3-spans").mkdir()
    for article, text in ARTICLES.items():
        (dev / "dev-articles-subtask-3" / f"article{article}.txt").write_text(text, encoding="utf-8")
        rows = [f"{a}\t{t}\t{b}\t{e}\n" for a, t, b, e in GOLD_SPANS if a == article]
        (dev / "dev-labels-subtask-3-spans" / f"article{article}-labels-subtask-3.txt").write_text("".join(rows), encoding="utf-8")
    (dev / "dev-labels-subtask-3.txt").write_text(LABELS, encoding="utf-8")
    return tmp_path / "data"


class FakeModel:
    """Keyword rules: "idiots" is name calling, every "terrible" loaded language; a paragraph's
    techniques are those of the spans inside it. Records what it was asked."""

    version = "techniques-test-0"
    rules: ClassVar[dict[str, str]] = {"idiots": "Name_Calling-Labeling", "terrible": "Loaded_Language"}

    def __init__(self) -> None:
        self.calls: list[list[tuple[int, int]]] = []

    def find(self, text: str, paragraphs: Sequence[tuple[int, int]] | None = None, languages: object = None) -> ArticleTechniques:
        self.calls.append(list(paragraphs or []))
        spans = sorted(
            (TechniqueSpan(m.start(), m.end(), technique, 0.9) for word, technique in self.rules.items() for m in re.finditer(word, text)),
            key=lambda s: (s.begin, s.end, s.technique),
        )
        rows = tuple(
            ParagraphTechniques(b, e, tuple(sorted({(s.technique, 0.9) for s in spans if b <= s.begin and s.end <= e})))
            for b, e in paragraphs or []
        )
        return ArticleTechniques(self.version, tuple(spans), rows)


def _evaluate(data_dir: Path, bootstrap: bool = True) -> dict[str, Any]:
    corpus = load_technique_split(data_dir / "semeval2023_task3_en", "dev")
    return tech.evaluate_techniques(FakeModel(), corpus, bootstrap=bootstrap)


# --- metric wiring ---------------------------------------------------------------------------


def test_paragraph_scores_follow_the_official_definition(data_dir: Path) -> None:
    result = _evaluate(data_dir)
    p = result["paragraph"]
    # gold NC, LL+Rep, Slogans; predicted NC, LL: tp 2, fp 0, fn 2
    assert (p["micro_f1"], p["micro_precision"], p["micro_recall"]) == (0.6667, 1.0, 0.5)
    assert p["macro_f1"] == round(21 / 23, 4)  # NC 1, LL 1, Rep 0, Slogans 0, the 19 absent ones 1
    assert p["macro_present"] == 0.5
    nc, rep = result["per_technique"]["Name_Calling-Labeling"], result["per_technique"]["Repetition"]
    assert (nc["support"], nc["predicted"], nc["precision"], nc["recall"], nc["f1"]) == (1, 1, 1.0, 1.0, 1.0)
    assert (rep["support"], rep["predicted"], rep["recall"], rep["f1"]) == (1, 0, 0.0, 0.0)
    assert list(result["per_technique"]) == list(TECHNIQUES)


def test_span_scores_are_semeval_2020_span_identification(data_dir: Path) -> None:
    s = _evaluate(data_dir)["span"]
    # merged gold: idiots, terrible..terrible (18 chars), the slogan; predicted: idiots, terrible, terrible
    recall = (1 + 16 / 18 + 0) / 3
    assert (s["precision"], s["recall"]) == (1.0, round(recall, 4))
    assert s["f1"] == round(2 * recall / (1 + recall), 4)
    # technique-aware: NC (1 pred, 1 gold) all right, LL 1 of 2 predicted right, Rep and Slogans missed
    assert s["technique_aware"] == {"precision": round(2 / 3, 4), "recall": 0.5, "f1": round(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5), 4)}
    ll = _evaluate(data_dir)["per_technique"]["Loaded_Language"]
    assert (ll["gold_spans"], ll["predicted_spans"], ll["span_precision"], ll["span_recall"]) == (1, 2, 0.5, 1.0)


def test_the_model_is_asked_for_exactly_the_labelled_lines(data_dir: Path) -> None:
    model = FakeModel()
    tech.evaluate_techniques(model, load_technique_split(data_dir / "semeval2023_task3_en", "dev"))
    text = ARTICLES["1"]
    first = model.calls[0]
    assert [text[b:e] for b, e in first] == ["Title one", "They are idiots.", "A terrible, terrible plan."]


def test_counts_version_and_the_bootstrap_switch(data_dir: Path) -> None:
    result = _evaluate(data_dir)
    assert {k: result[k] for k in ("model_version", "articles", "rows", "rows_with_technique", "gold_spans", "predicted_spans", "techniques")} == {
        "model_version": "techniques-test-0", "articles": 2, "rows": 6, "rows_with_technique": 3, "gold_spans": 4,
        "predicted_spans": 3, "techniques": 23,
    }  # fmt: skip
    low, high = result["paragraph"]["micro_f1_ci95"]
    assert 0.0 <= low <= high <= 1.0
    assert result == _evaluate(data_dir)  # the resamples have a fixed seed
    assert "micro_f1_ci95" not in _evaluate(data_dir, bootstrap=False)["paragraph"]


def test_micro_f1_interval_resamples_articles() -> None:
    gold = {("a", 1): frozenset({"Doubt"}), ("b", 1): frozenset({"Doubt"})}
    assert tech.micro_f1_ci(gold, {("a", 1): {"Doubt"}, ("b", 1): {"Doubt"}}) == (1.0, 1.0)
    ci = tech.micro_f1_ci(gold, {("a", 1): {"Doubt"}})  # one article right, one missed
    assert ci is not None
    low, high = ci
    assert low == 0.0 and high == 1.0


def test_a_model_that_drops_paragraphs_is_an_error(data_dir: Path) -> None:
    class Broken(FakeModel):
        def find(self, text: str, paragraphs: Sequence[tuple[int, int]] | None = None, languages: object = None) -> ArticleTechniques:
            return ArticleTechniques(self.version, (), ())

    with pytest.raises(Exception, match="returned 0 paragraphs for the 3 asked"):
        tech.evaluate_techniques(Broken(), load_technique_split(data_dir / "semeval2023_task3_en", "dev"))


# --- run_eval, run_gate and the CLI ----------------------------------------------------------


def test_run_eval_puts_the_set_beside_the_others(data_dir: Path, scorer: Scorer) -> None:
    data = run_eval(scorer.default_engine, [data_dir], set_names=["techniques"], techniques_model=FakeModel(), log=lambda _: None)
    assert data["sets"] == {} and data["techniques"]["paragraph"]["micro_f1"] == 0.6667
    assert data["floors"]["techniques_micro_f1"] == 0.6667 and data["floors"]["techniques_span_f1"] == data["techniques"]["span"]["f1"]
    assert set(data["floors"]) == set(gate.FLOOR_KEYS)
    files = data["data_files"]
    assert "data/semeval2023_task3_en/dev/dev-labels-subtask-3.txt" in files
    assert "data/semeval2023_task3_en/dev/dev-articles-subtask-3/article1.txt" in files
    assert all(len(h) == 64 for h in files.values()) and len(files) == 2 + 1 + 2


def test_the_set_is_optional_by_default_and_required_when_named(tmp_path: Path, data_dir: Path) -> None:
    logged: list[str] = []
    techniques = EVALUATIONS["techniques"]

    def plan(dirs: list[Path], names: list[str] | None) -> Path | None:
        planned = _api._plan_model(techniques, dirs, names, FakeModel(), None, logged.append)
        return None if planned is None else planned[2]

    assert plan([data_dir], None) == data_dir / "semeval2023_task3_en" and _api._check_names(None) is None
    assert plan([data_dir], ["olid"]) is None and _api._check_names(["olid", "techniques"]) == ["olid"]
    assert logged == []
    empty = tmp_path / "empty"
    empty.mkdir()
    assert plan([empty], None) is None
    assert logged == [f"  techniques: skipped (semeval2023_task3_en/dev not found under {empty})"]
    with pytest.raises(EvalDataError, match="semeval2023_task3_en/dev not found.*--data"):
        plan([empty], ["techniques"])
    with pytest.raises(EvalDataError, match="unknown eval set.*nope.*techniques"):
        _api._check_names(["nope"])


def test_run_gate_measures_the_technique_floors_fast(data_dir: Path, scorer: Scorer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_api, "GATED", ())  # the toxicity sets need ../shared
    data = run_gate(scorer.default_engine, [data_dir], log=lambda _: None, techniques_model=FakeModel())
    assert data["floors"]["techniques_micro_f1"] == 0.6667 and data["floors"]["techniques_span_f1"] is not None
    assert "micro_f1_ci95" not in data["techniques"]["paragraph"]  # no bootstrap in the gate


def test_run_gate_without_a_technique_model_leaves_its_floors_unmeasured(
    data_dir: Path, scorer: Scorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(name_or_path: Any = None) -> None:
        raise ModelNotFoundError("No technique model 'techniques-en-2026.11.0'")

    monkeypatch.setattr(_api, "GATED", ())
    monkeypatch.setattr(tech, "load_technique_model", missing)
    logged: list[str] = []
    data = run_gate(scorer.default_engine, [data_dir], log=logged.append)
    assert data["floors"]["techniques_micro_f1"] is None and "techniques" not in data
    assert "  techniques: skipped (No technique model 'techniques-en-2026.11.0')" in logged
    # so the gate fails only where a technique floor was committed
    assert violations(data["floors"], {}) == []
    assert violations(data["floors"], {"techniques_span_f1": 0.2}) == ["techniques_span_f1: not measured (committed floor 0.2)"]


def test_gate_keys_and_tolerances() -> None:
    assert {"techniques_micro_f1", "techniques_span_f1"} <= set(gate.FLOOR_KEYS) <= set(gate.TOLERANCE)
    committed = {"techniques_micro_f1": 0.40, "techniques_span_f1": 0.30}
    assert violations({"techniques_micro_f1": 0.396, "techniques_span_f1": 0.296}, committed) == []
    broken = violations({"techniques_micro_f1": 0.39, "techniques_span_f1": None}, committed)
    assert broken[0].startswith("techniques_micro_f1: 0.39 is worse") and broken[1].startswith("techniques_span_f1: not measured")
    # an eval.json committed before the technique model (keys absent or null): not gated yet
    assert violations({"techniques_micro_f1": 0.0, "techniques_span_f1": None}, {"olid_macro_f1": None}) == []
    assert gate.lowered({"techniques_micro_f1": 0.1}, {}) == []


def _fake_cli(monkeypatch: pytest.MonkeyPatch, scorer: Scorer, asked: list[Any]) -> None:
    def load(name_or_path: Any = None) -> FakeModel:
        asked.append(name_or_path)
        return FakeModel()

    monkeypatch.setattr(_api, "Scorer", lambda model, **_: scorer)
    monkeypatch.setattr(_api, "GATED", ())
    monkeypatch.setattr(tech, "load_technique_model", load)


def test_cli_writes_the_section_and_passes_the_model_option(
    tmp_path: Path, data_dir: Path, scorer: Scorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Any] = []
    _fake_cli(monkeypatch, scorer, asked)
    monkeypatch.chdir(tmp_path)
    args = ["eval", "--sets", "techniques", "--techniques-model", "my-folder", "--data", str(data_dir),
            "--out", "out", "--docs", "docs", "--no-bootstrap"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert asked == ["my-folder"]
    saved = json.loads((tmp_path / "out" / "eval.json").read_text())
    assert saved["techniques"]["model_version"] == "techniques-test-0" and saved["floors"]["techniques_micro_f1"] == 0.6667
    md = (tmp_path / "docs" / "evaluation.md").read_text()
    assert "## techniques" in md and "| Name_Calling-Labeling | 1 | 1 | 1.0000 | 1.0000 | 1.0000 | 1 | 1.0000 |" in md


def test_cli_gate_treats_absent_technique_floors_as_not_gated_yet(
    tmp_path: Path, data_dir: Path, scorer: Scorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_cli(monkeypatch, scorer, [])
    monkeypatch.chdir(tmp_path)
    committed = tmp_path / "eval.json"
    committed.write_text(json.dumps({"floors": {"olid_macro_f1": None}}))
    args = ["eval", "--gate", "--data", str(data_dir), "--against", str(committed)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "quality gate passed" in result.output and re.search(r"techniques_micro_f1\s+None\s+0.6667", result.output)
    committed.write_text(json.dumps({"floors": {"techniques_micro_f1": 0.9, "techniques_span_f1": 0.1}}))
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "quality gate failed" in result.stderr and "techniques_micro_f1: 0.6667 is worse" in result.stderr
    assert "techniques_span_f1" not in result.stderr.split("failed")[1]


def test_techniques_only_updates_the_committed_eval_json(
    tmp_path: Path, data_dir: Path, scorer: Scorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_cli(monkeypatch, scorer, [])
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    old = {
        "model_version": "en-1", "command": "tenor eval --peers", "min_positives_to_compare": 150, "peers": {}, "sets": {},
        "floors": {"olid_macro_f1": 0.75}, "gate": {"tolerance": {"olid_macro_f1": 0.005}, "lower_is_better": []},
        "data_files": {"data/olid/test/labels-levela.csv": "ab", "data/semeval2023_task3_en/dev/gone.txt": "cd"},
    }  # fmt: skip
    out.mkdir()
    (out / "eval.json").write_text(json.dumps(old))
    args = ["eval", "--techniques-only", "--data", str(data_dir), "--out", "out", "--docs", "docs"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert re.search(r"techniques_micro_f1\s+0.6667", result.output)
    new = json.loads((out / "eval.json").read_text())
    assert new["floors"] == {"olid_macro_f1": 0.75, "techniques_micro_f1": 0.6667, "techniques_span_f1": new["techniques"]["span"]["f1"]}
    assert new["command"] == "tenor eval --peers" and new["model_version"] == "en-1"
    assert "data/olid/test/labels-levela.csv" in new["data_files"] and "data/semeval2023_task3_en/dev/gone.txt" not in new["data_files"]
    assert "micro_f1_ci95" in new["techniques"]["paragraph"]
    assert "## techniques" in (tmp_path / "docs" / "evaluation.md").read_text()
    # a worse technique model may not lower the committed floor without a reason
    FakeModel.rules = {"idiots": "Name_Calling-Labeling"}
    try:
        result = CliRunner().invoke(main, args)
    finally:
        FakeModel.rules = {"idiots": "Name_Calling-Labeling", "terrible": "Loaded_Language"}
    assert result.exit_code == 1 and "techniques_micro_f1" in result.output and "--lower-floors" in result.output


def test_missing_technique_model_is_a_clear_error(data_dir: Path, scorer: Scorer) -> None:
    with pytest.raises(ModelNotFoundError, match="no-such-model"):
        run_eval(scorer.default_engine, [data_dir], set_names=["techniques"], techniques_model="no-such-model", log=lambda _: None)


# --- the report ------------------------------------------------------------------------------


def test_report_section(tmp_path: Path, data_dir: Path) -> None:
    data = {
        "model_version": "test-1", "command": "tenor eval", "min_positives_to_compare": 150, "peers": {}, "sets": {},
        "floors": {"olid_macro_f1": 0.75, "techniques_micro_f1": None},
        "gate": {"tolerance": gate.TOLERANCE, "lower_is_better": ["jigsaw_ece"]},
        "techniques": _evaluate(data_dir),
    }  # fmt: skip
    md = markdown(data)
    assert "| `techniques_micro_f1` | – (not gated yet) | -0.005 |" in md
    section = md.split("## techniques", 1)[1]
    assert "**techniques-test-0**" in section and "PTC test articles" in section and "0.37-0.38" in section
    assert "2 articles, 6 paragraph rows (3 with a technique)" in section
    assert "Paragraph micro-F1 (official): **0.6667** (95% CI" in section
    assert "over the 4 techniques in the dev labels: 0.5000" in section
    assert "| Repetition | 1 | 0 | 1.0000 | 0.0000 | 0.0000 | 1 | 0.0000 |" in section
    assert "| Appeal_to_Time | 0 | 0 | 1.0000 | 1.0000 | 1.0000 | 0 | – |" in section  # no spans either side
    assert sum(1 for line in section.splitlines() if line.startswith("| ") and not line.startswith("| technique")) == 23
    write_results(data, tmp_path / "out", tmp_path / "docs")  # writes without a reliability diagram
    assert (tmp_path / "docs" / "evaluation.md").read_text() == md
    assert "## techniques" not in markdown({k: v for k, v in data.items() if k != "techniques"})


# --- the real dev split ----------------------------------------------------------------------

needs_shared = pytest.mark.skipif(
    not (SHARED_ROOT / "dev" / "dev-articles-subtask-3").is_dir(), reason="../shared/data/semeval2023_task3_en/dev is not beside this checkout"
)


class Oracle:
    """Answers with the gold labels: every measure must come out at 1."""

    version = "oracle"

    def __init__(self, corpus: Any) -> None:
        self.corpus = corpus
        self.by_text = {a.text: a for a in corpus.articles.values()}

    def find(self, text: str, paragraphs: Sequence[tuple[int, int]] | None = None, languages: object = None) -> ArticleTechniques:
        article = self.by_text[text]
        line_of = {span: n for n, span in enumerate(article.lines, start=1)}
        rows = tuple(
            ParagraphTechniques(b, e, tuple((t, 1.0) for t in sorted(self.corpus.paragraphs[(article.id, line_of[(b, e)])])))
            for b, e in paragraphs or []
        )
        spans = tuple(TechniqueSpan(s.begin, s.end, s.technique, 1.0) for s in self.corpus.spans if s.article == article.id)
        return ArticleTechniques(self.version, spans, rows)


@pytest.mark.shared_data
@needs_shared
def test_real_dev_split_with_an_oracle() -> None:
    corpus = load_technique_split(SHARED_ROOT, "dev")
    result = tech.evaluate_techniques(Oracle(corpus), corpus, bootstrap=False)
    assert (result["articles"], result["rows"], result["rows_with_technique"], result["gold_spans"]) == (90, 3127, 1120, 1801)
    assert result["paragraph"]["micro_f1"] == result["paragraph"]["macro_f1"] == 1.0
    assert result["span"]["f1"] == result["span"]["technique_aware"]["f1"] == 1.0
    assert len(tech.files_read(SHARED_ROOT)) == 90 + 1 + 90


@pytest.mark.shared_data
@needs_shared
def test_real_dev_split_with_the_shipped_technique_model() -> None:
    try:
        model = tech.load_model(None)
    except ModelNotFoundError as error:
        pytest.skip(f"no shipped technique model yet: {error}")
    result, _ = tech.run_techniques(model, SHARED_ROOT, bootstrap=False, log=lambda _: None)
    assert result["model_version"] == model.version and result["rows"] == 3127
    assert 0.0 < result["paragraph"]["micro_f1"] < 1.0 and 0.0 < result["span"]["f1"] < 1.0
