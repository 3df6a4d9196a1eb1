"""The technique model's section of docs/evaluation.md."""

from __future__ import annotations

from typing import Any

from .._format import num

__all__ = ["section", "techniques_section"]


def section(data: dict[str, Any]) -> list[str]:
    """The section from a whole eval.json."""
    return techniques_section(data["techniques"])


def techniques_section(t: dict[str, Any]) -> list[str]:
    """The persuasion-technique model on the SemEval-2023 English dev split (eval.json's "techniques")."""
    p, s = t["paragraph"], t["span"]
    ci = p.get("micro_f1_ci95")
    interval = f" (95% CI {ci[0]:.4f}-{ci[1]:.4f}, 1,000 resamples of the articles, seed 0)" if ci else ""
    present = sum(1 for m in t["per_technique"].values() if m["support"])
    lines = [
        "",
        "## techniques",
        "",
        f"Persuasion techniques: technique model **{t['model_version']}** on the {t['description']}:",
        f"{t['articles']} articles, {t['rows']} paragraph rows ({t['rows_with_technique']} with a technique),",
        f"{t['gold_spans']} gold spans ({t['predicted_spans']} predicted). Every labelled row is one paragraph, asked",
        "of the model by its line offsets; dev is used for measuring only, never to choose anything",
        "(`tenor eval --techniques-only` re-measures this section alone).",
        "For scale: the best SemEval-2023 English systems scored about 0.37-0.38 paragraph micro-F1 on the",
        "2023 test set, which is not staged here, so those numbers are not directly comparable with these.",
        "",
        (
            f"- Paragraph micro-F1 (official): **{num(p['micro_f1'])}**{interval}; precision {num(p['micro_precision'])},"
            f" recall {num(p['micro_recall'])}."
        ),
        (
            f"- Paragraph macro-F1 over the {t['techniques']} techniques (official: a technique that no row has and none is"
            f" predicted scores 1): {num(p['macro_f1'])}; over the {present} techniques in the dev labels: {num(p['macro_present'])}."
        ),
        (
            f"- Span F1 (SemEval-2020 span identification, technique-agnostic): **{num(s['f1'])}** (precision"
            f" {num(s['precision'])}, recall {num(s['recall'])}); technique-aware (a span earns credit only against"
            f" gold spans of its own technique): {num(s['technique_aware']['f1'])}."
        ),
        "",
        "| technique | rows | predicted | precision | recall | F1 | gold spans | span F1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, m in t["per_technique"].items():
        lines.append(
            f"| {name} | {m['support']} | {m['predicted']} | {num(m['precision'])} | {num(m['recall'])} | {num(m['f1'])}"
            f" | {m['gold_spans']} | {num(m['span_f1']) if m['gold_spans'] or m['predicted_spans'] else '–'} |"
        )
    lines += [
        "",
        (
            "Paragraph precision (recall) is 1 for a technique never predicted (never in the labels), as in the official"
            " scorer; span F1 is – where a technique has neither gold nor predicted spans."
        ),
    ]
    return lines
