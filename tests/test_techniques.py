"""The technique model's runtime: segmentation, finding, loading; hermetic (a tiny random model)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import tenor
from tenor._errors import InputError, LanguageNotSupportedError, ModelIntegrityError, ModelNotFoundError
from tenor._features import Featurizer, doc_keys
from tenor._text import tokenize
from tenor.techniques import (
    TECHNIQUE_DESCRIPTIONS,
    TECHNIQUE_LABELS,
    TECHNIQUES,
    TechniqueModel,
    load_technique_model,
)
from tenor.techniques._context import CONTEXT_FEATURES, context_features, repetition
from tenor.techniques._inventory import TECHNIQUE_COLOURS, UNKNOWN_TECHNIQUE_COLOURS
from tenor.techniques._segment import paragraphs_of, sentences_of
from tenor.train.artifact import write_artifact

ARTICLE = (
    "Traitors in Washington sell out the nation\n\n"
    "The corrupt elite laughed at hard-working Americans. Mr. Smith said the U.S. Senate would act.\n"
    "Nobody believes them. Nobody!\n"
)


def tiny_technique_model(folder: Path | None = None, seed: int = 0) -> TechniqueModel:
    rng = np.random.default_rng(seed)
    vocabulary = np.unique(doc_keys(ARTICLE)[0]).astype(np.uint32)
    names = ("Loaded_Language", "Name_Calling-Labeling", "Doubt")
    k, f = len(names), len(CONTEXT_FEATURES)
    return TechniqueModel(
        version="techniques-test-0", path=folder or Path("."), manifest={"languages": ["en"]},
        featurizer=Featurizer(vocabulary, np.ones(len(vocabulary))), techniques=names,
        coef=rng.normal(0, 3, (len(vocabulary), k)), intercept=np.zeros(k),
        ctx_coef=rng.normal(0, 1, (k, f)), ctx_intercept=np.zeros(k),
        thresholds=np.full(k, 0.3), span_alpha=np.array([0.5, 0.0, 1.0]),
    )  # fmt: skip


def test_inventory_has_labels_and_descriptions_for_all_23() -> None:
    assert len(TECHNIQUES) == len(set(TECHNIQUES)) == 23
    assert set(TECHNIQUE_LABELS) == set(TECHNIQUE_DESCRIPTIONS) == set(TECHNIQUES)


def test_the_ui_stylesheet_draws_each_technique_in_the_shared_colours() -> None:
    css = (Path(tenor.__file__).parent / "serve" / "ui" / "static" / "tenor.css").read_text(encoding="utf-8")
    rules = {m[0]: (m[1], m[2]) for m in re.findall(r"\.t(\d+|x)\{--c:(#[0-9a-f]{6});--d:(#[0-9a-f]{6})\}", css)}
    assert rules == {**{str(i): TECHNIQUE_COLOURS[t] for i, t in enumerate(TECHNIQUES)}, "x": UNKNOWN_TECHNIQUE_COLOURS}


def test_sentences_survive_abbreviations_initials_and_quotes() -> None:
    text = 'Mr. Smith flew to the U.S. on Monday. He said "No!" Then J. Edgar Hoover left... What? 10 came.'
    got = [text[b:e] for b, e in sentences_of(text, 0, len(text))]
    assert got == ["Mr. Smith flew to the U.S. on Monday.", 'He said "No!"', "Then J. Edgar Hoover left...", "What?", "10 came."]


def test_paragraphs_are_trimmed_non_blank_lines() -> None:
    text = "Title\n\n  First para.  \n\nSecond.\n"
    assert [text[b:e] for b, e in paragraphs_of(text)] == ["Title", "First para.", "Second."]


def test_sentences_cover_every_non_space_character() -> None:
    text = "One. Two! three? Four.\u2026 Five"
    covered = {i for b, e in sentences_of(text, 0, len(text)) for i in range(b, e)}
    assert {i for i, c in enumerate(text) if not c.isspace()} <= covered


def test_repetition_counts_other_sentences_sharing_a_content_word() -> None:
    got = repetition([tokenize(s) for s in ("Illegal aliens again.", "The aliens came.", "Nothing here.")])
    assert got[0] == pytest.approx(np.log1p(1)) and got[2] == 0.0


def test_context_features_shape_and_edges() -> None:
    logits = np.arange(6, dtype=float).reshape(3, 2)
    features = context_features(logits, logits + 1.0, np.array([0, 1, 1]), [tokenize(s) for s in ("a?", "b!", '"c"')], 0)
    assert features.shape == (3, 2, len(CONTEXT_FEATURES))
    assert features[0, 0, CONTEXT_FEATURES.index("logit_prev")] == 0.0
    assert features[2, 0, CONTEXT_FEATURES.index("logit_next")] == 0.0
    assert features[0, 0, CONTEXT_FEATURES.index("is_first_paragraph")] == 1.0
    assert features[1, 0, CONTEXT_FEATURES.index("exclamation")] == 1.0
    assert features[2, 0, CONTEXT_FEATURES.index("quoted")] == 1.0 and features[0, 0, CONTEXT_FEATURES.index("quoted")] == 0.0
    assert features[1, 1, CONTEXT_FEATURES.index("token_max")] == pytest.approx(4.0 / 4.0)


def test_find_returns_every_paragraph_and_spans_inside_the_text() -> None:
    model = tiny_technique_model()
    found = model.find(ARTICLE)
    assert [ARTICLE[p.begin : p.end] for p in found.paragraphs] == [line for line in ARTICLE.splitlines() if line]
    assert found.spans, "the random model should flag something at threshold 0.3"
    for span in found.spans:
        assert 0 <= span.begin < span.end <= len(ARTICLE)
        assert span.technique in model.techniques and 0.3 <= span.confidence <= 1.0
        assert round(span.confidence, 6) == span.confidence
        owner = [p for p in found.paragraphs if p.begin <= span.begin and span.end <= p.end]
        assert owner and span.technique in dict(owner[0].techniques)
    assert found.spans == tuple(sorted(found.spans, key=lambda s: (s.begin, s.end, s.technique)))
    data = json.loads(json.dumps(found.to_dict()))
    assert data["model_version"] == "techniques-test-0" and len(data["paragraphs"]) == len(found.paragraphs)


def test_find_is_deterministic_and_honours_given_paragraphs() -> None:
    model = tiny_technique_model()
    assert model.find(ARTICLE) == model.find(ARTICLE)
    found = model.find(ARTICLE, paragraphs=[(0, 42)])
    assert [(p.begin, p.end) for p in found.paragraphs] == [(0, 42)]
    assert all(s.end <= 42 for s in found.spans)


def test_empty_article_has_no_paragraphs() -> None:
    found = tiny_technique_model().find(" \n\n ")
    assert found.paragraphs == () and found.spans == ()


@pytest.mark.parametrize("paragraphs", [[(5, 2)], [(0, 10_000)], [(10, 20), (0, 5)], [("0", "5")], [7], [(1, 2, 3)]])
def test_bad_paragraphs_are_an_input_error(paragraphs: list[tuple[int, int]]) -> None:
    with pytest.raises(InputError, match="code-point offsets"):
        tiny_technique_model().find(ARTICLE, paragraphs=paragraphs)


def test_an_article_in_another_language_is_refused_unless_declared_english() -> None:
    spanish = (
        "El gobierno corrupto miente otra vez a los ciudadanos.\n"
        "Nadie cree ya en las promesas de los políticos de siempre, que solo buscan su propio beneficio.\n"
    )
    with pytest.raises(LanguageNotSupportedError, match="detected"):
        tiny_technique_model().find(spanish)
    with pytest.raises(LanguageNotSupportedError, match="requested"):
        tiny_technique_model().find(ARTICLE, languages=["es"])
    assert tiny_technique_model().find(spanish, languages=["en-US"]).paragraphs


def test_huge_article_is_an_input_error() -> None:
    with pytest.raises(InputError, match="split it"):
        tiny_technique_model().find("word " * 250_000)


def _write(folder: Path, model: TechniqueModel, **manifest_changes: object) -> None:
    manifest = {
        "format": 1, "kind": "techniques", "version": model.version, "techniques": list(model.techniques),
        "thresholds": dict(zip(model.techniques, model.thresholds.tolist())),
        "span_alpha": dict(zip(model.techniques, model.span_alpha.tolist())),
        "context_features": list(CONTEXT_FEATURES), **manifest_changes,
    }  # fmt: skip
    arrays = {
        "vocabulary": model.featurizer.vocabulary, "idf": model.featurizer.idf, "coef": model.coef,
        "intercept": model.intercept, "ctx_coef": model.ctx_coef, "ctx_intercept": model.ctx_intercept,
    }  # fmt: skip
    write_artifact(folder, manifest, arrays, "# card\n")


def test_a_written_model_loads_and_scores_the_same(tmp_path: Path) -> None:
    model = tiny_technique_model()
    _write(tmp_path / "m", model)
    loaded = load_technique_model(tmp_path / "m")
    assert loaded.find(ARTICLE) == model.find(ARTICLE)


def test_loading_refuses_edited_foreign_and_missing_models(tmp_path: Path) -> None:
    model = tiny_technique_model()
    _write(tmp_path / "m", model)
    shutil.copytree(tmp_path / "m", tmp_path / "edited")
    (tmp_path / "edited" / "MODEL_CARD.md").write_text("# changed\n", encoding="utf-8")
    with pytest.raises(ModelIntegrityError, match="checksum"):
        load_technique_model(tmp_path / "edited")
    _write(tmp_path / "comments", model, kind=None)
    with pytest.raises(ModelIntegrityError, match="not a technique model"):
        load_technique_model(tmp_path / "comments")
    with pytest.raises(ModelNotFoundError, match="train --techniques"):
        load_technique_model(tmp_path / "nothing-here")


SEMEVAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "semeval2023_task3_en"


@pytest.mark.shared_data
@pytest.mark.slow
def test_quick_training_writes_a_loadable_reproducible_model(tmp_path: Path) -> None:
    if not (SEMEVAL / "train").is_dir():
        pytest.skip(f"needs ../shared/data/semeval2023_task3_en/train (not found at {SEMEVAL})")
    from tenor.train.techniques import run as run_techniques

    paths = [run_techniques([SEMEVAL.parent], tmp_path / name, version="techniques-quick", quick=True, log=lambda _: None)
             for name in ("a", "b")]  # fmt: skip
    assert (paths[0] / "SHA256SUMS").read_bytes() == (paths[1] / "SHA256SUMS").read_bytes()
    model = load_technique_model(paths[0])
    manifest = json.loads((paths[0] / "manifest.json").read_text(encoding="utf-8"))
    assert "dev" not in json.dumps(manifest["training"]["settings"])
    assert set(model.techniques) <= set(TECHNIQUES) and "Loaded_Language" in model.techniques
    assert "## Persuasion techniques" in (paths[0] / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert model.find(ARTICLE).paragraphs


def test_the_shipped_technique_model_is_small_checksummed_and_described() -> None:
    model = load_technique_model()
    folder = model.path
    assert model.version == folder.name == "techniques-en-2026.11.0"
    assert sum(p.stat().st_size for p in folder.iterdir()) <= 30 * 1024 * 1024
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    for heading in ("## Persuasion techniques", "## Cross-validation on train", "## Alternatives tried",
                    "## Data and terms", "## Limits"):  # fmt: skip
        assert heading in card, heading
    assert "research use" in card.lower()
    assert set(model.techniques) <= set(TECHNIQUES) and {"Loaded_Language", "Doubt"} <= set(model.techniques)
    assert all(0.0 < t < 1.0 for t in model.thresholds)


def test_the_shipped_model_marks_a_plainly_loaded_sentence() -> None:
    text = "Traitors at the border\n\nThe corrupt, treasonous elite laughed at hard-working Americans again."
    found = load_technique_model().find(text)
    marked = {s.technique for s in found.spans}
    assert marked & {"Loaded_Language", "Name_Calling-Labeling"}, found
    assert found.model_version == "techniques-en-2026.11.0"
