"""The comment model's part of docs/evaluation.md: one table per held-out set, tenor beside every peer."""

from __future__ import annotations

from typing import Any

from .._format import fmt

__all__ = ["ATTRS", "sets_section"]

ATTRS = ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT")


def sets_section(data: dict[str, Any]) -> list[str]:
    """Per set: tenor's numbers beside the peers', comparisons, bias, languages, reliability."""
    runners = ["tenor", *data.get("peers", {})]
    lines: list[str] = []
    for set_name, entry in data["sets"].items():
        t = entry["tenor"]
        lines += ["", f"## {set_name}", "", f"{t['description']}; {t['n']} texts.", ""]
        if "span_f1" in t:
            lines.append(f"tenor span F1: **{t['span_f1']}** (peers give no spans).")
            continue
        attrs = [a for a in ATTRS if a in t.get("attributes", {})]
        if not attrs:
            continue
        lines += [
            "| attribute | positives | " + " | ".join(runners) + " | tenor macro-F1 | tenor ECE |",
            "|---" * (len(runners) + 4) + "|",
        ]
        for a in attrs:
            cells = [fmt(entry.get(r, {}).get("attributes", {}).get(a)) for r in runners]
            m = t["attributes"][a]
            lines.append(
                f"| {a} | {m['positives']} | "
                + " | ".join(cells)
                + f" | {fmt(m, 'macro_f1')} | {fmt(m, 'ece')} |"
            )
        marks = t.get("marks_below_threshold")
        if marks and marks.get("below_every_threshold"):
            lines += [
                "",
                (
                    f"Comments under every operating threshold that still show marked words: {marks['with_marks']} of "
                    f"{marks['below_every_threshold']} (goal: none; a mark says which words carry a score over its threshold)."
                ),
            ]
        if "mean_roc_auc" in t:
            lines += [
                "",
                f"Mean ROC-AUC over the six labels: tenor **{t['mean_roc_auc']}**"
                + "".join(
                    f", {r} {entry[r]['mean_roc_auc']}"
                    for r in runners[1:]
                    if entry.get(r, {}).get("mean_roc_auc") is not None
                )
                + ".",
            ]
        for peer, comp in entry.get("comparisons", {}).items():
            for a, c in comp.items():
                lines.append(
                    f"- tenor minus {peer}, {a} AUC: {c['auc_difference']:+.4f} (95% CI {c['ci95'][0]:+.4f} to {c['ci95'][1]:+.4f})"
                )
        if "bias" in t:
            w = t["bias"]["worst_bpsn"]
            lines += [
                "",
                f"Worst identity term by BPSN AUC: `{w['term']}` {w['bpsn_auc']} (subgroup {w['subgroup_auc']}, BNSP {w['bnsp_auc']}).",
            ]
            lines += ["", "| term | subgroup AUC | BPSN AUC | BNSP AUC |", "|---|---|---|---|"]
            for term, m in t["bias"]["per_term"].items():
                lines.append(f"| {term} | {m['subgroup_auc']} | {m['bpsn_auc']} | {m['bnsp_auc']} |")
        if "by_lang" in t:
            lines += [
                "",
                "| language | positives | " + " | ".join(runners) + " |",
                "|---" * (len(runners) + 2) + "|",
            ]
            for lang, m in t["by_lang"].items():
                cells = [fmt(entry.get(r, {}).get("by_lang", {}).get(lang)) for r in runners]
                lines.append(f"| {lang} | {m['positives']} | " + " | ".join(cells) + " |")
        if "spearman" in t:
            lines += [
                "",
                "Spearman correlation with the offensiveness score: "
                + ", ".join(
                    f"{r} {entry[r]['spearman']['TOXICITY']}"
                    for r in runners
                    if entry.get(r, {}).get("spearman")
                ),
            ]
        if "reliability_TOXICITY" in t:
            lines += ["", "![reliability of TOXICITY on the Jigsaw test rows](reliability.svg)"]
    return lines
