"""The one look at the held-out test sets for a shipped model's card, from `tenor eval`'s code.

    python benchmarks/heldout.py [--model en-2026.11.0] [--shared ../shared]

Writes benchmarks/results/heldout-<version>.json and replaces the "Held-out numbers" section
of the model's MODEL_CARD.md (re-writing SHA256SUMS, since the card is checksummed too).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tenor import Scorer
from tenor._artifact import write_checksums
from tenor.evaluate import run_eval
from tenor.evaluate.sets import GATED

SECTION = "## Held-out numbers"


def evaluate(model: str | None, dirs: list[Path]) -> dict:
    """The card's numbers, from the same code as `tenor eval` (its gated sets)."""
    data = run_eval(model, dirs, set_names=list(GATED), measure_speed=False, command="python benchmarks/heldout.py")
    j, o = data["sets"]["jigsaw2018"]["tenor"], data["sets"]["olid"]["tenor"]
    s, b = data["sets"]["toxic_spans"]["tenor"], data["sets"]["identity_templates"]["tenor"]
    olid = o["attributes"]["TOXICITY"]
    return {
        "model_version": data["model_version"],
        "jigsaw2018_test_with_text": {"n": j["n"], **j["attributes"], "mean_roc_auc": j["mean_roc_auc"]},
        "olid_test_a": {k: olid[k] for k in ("n", "positives", "threshold", "macro_f1", "roc_auc")},
        "toxic_spans_test": {"n": s["n"], "span_f1": s["span_f1"]},
        "identity_templates": {"n": b["n"], **b["bias"]},
    }


def card_section(r: dict) -> str:
    j, o, s, b = r["jigsaw2018_test_with_text"], r["olid_test_a"], r["toxic_spans_test"], r["identity_templates"]
    lines = [
        SECTION,
        "",
        "Measured once, after every choice above was made on train folds (`python benchmarks/heldout.py`).",
        "",
        f"**Jigsaw 2018 test rows with text** ({j['n']} comments; AUC with bootstrap 95% interval):",
        "",
        "| attribute | positives | ROC-AUC | 95% CI | macro-F1 @ threshold | ECE |",
        "|---|---|---|---|---|---|",
    ]
    for attr in ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT"):
        m = j[attr]
        lines.append(f"| {attr} | {m['positives']} | {m['roc_auc']} | {m['ci95'][0]}-{m['ci95'][1]} | {m['macro_f1']} | {m['ece']} |")
    lines += [
        "",
        f"Mean ROC-AUC over the six labels: **{j['mean_roc_auc']}**.",
        "",
        f"**OLID test A** ({o['n']} tweets, {o['positives']} offensive), TOXICITY at its shipped threshold "
        f"{o['threshold']}: macro-F1 **{o['macro_f1']}**, ROC-AUC {o['roc_auc']}.",
        "",
        f"**SemEval-2021 toxic spans test** ({s['n']} posts): span F1 **{s['span_f1']}**.",
        "",
        f"**Identity templates** (bias_madlibs_77k, {b['n']} sentences): TOXICITY ROC-AUC {b['overall_auc']}; "
        f"worst identity term by BPSN AUC: `{b['worst_bpsn']['term']}` with **{b['worst_bpsn']['bpsn_auc']}** "
        f"(subgroup AUC {b['worst_bpsn']['subgroup_auc']}, BNSP AUC {b['worst_bpsn']['bnsp_auc']}).",
        "",
        "Against the bar set for the default model:",
        "",
        "| measure | bar | measured | met |",
        "|---|---|---|---|",
    ]
    for name, bar, value, higher in (
        ("Jigsaw TOXICITY ROC-AUC", 0.963, j["TOXICITY"]["roc_auc"], True),
        ("Jigsaw mean ROC-AUC (6 labels)", 0.975, j["mean_roc_auc"], True),
        ("OLID test A macro-F1 (TOXICITY)", 0.77, o["macro_f1"], True),
        ("toxic spans test span F1", 0.62, s["span_f1"], True),
        ("worst identity term BPSN AUC", 0.90, b["worst_bpsn"]["bpsn_auc"], True),
        ("Jigsaw TOXICITY ECE", 0.05, j["TOXICITY"]["ece"], False),
    ):
        met = value >= bar if higher else value <= bar
        lines.append(f"| {name} | {'>=' if higher else '<='} {bar} | {value} | {'yes' if met else '**no**'} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared")
    parser.add_argument("--card-only", action="store_true", help="rewrite the card from the saved results; score nothing")
    args = parser.parse_args()
    scorer = Scorer(args.model)
    out = Path(__file__).parent / "results" / f"heldout-{scorer.model_version}.json"
    if args.card_only:
        result = json.loads(out.read_text(encoding="utf-8"))
    else:
        dirs = [args.shared / d for d in ("data", "data2", "data3") if (args.shared / d).is_dir()]
        result = evaluate(args.model, dirs)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    card_path = scorer.model.path / "MODEL_CARD.md"
    card = card_path.read_text(encoding="utf-8")
    head, _, tail = card.partition(SECTION)
    rest = tail.split("\n## ", 1)
    after = ("\n## " + rest[1]) if len(rest) > 1 else ""
    if not tail:
        head, after = card.split("## Known limitations", 1)[0], "## Known limitations" + card.split("## Known limitations", 1)[1]
    card_path.write_text(head + card_section(result) + "\n" + after.lstrip("\n"), encoding="utf-8")
    write_checksums(scorer.model.path)
    print(json.dumps({k: v for k, v in result.items() if k != "identity_templates"}, indent=2))
    print("worst BPSN:", result["identity_templates"]["worst_bpsn"])


if __name__ == "__main__":
    main()
