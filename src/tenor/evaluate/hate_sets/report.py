"""The hate-speech sets' section of docs/evaluation.md."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._format import fmt
from .run import SET_NAME

__all__ = ["markdown_table", "section"]


def _threshold(m: Mapping[str, Any]) -> str:
    return "–" if m.get("threshold") is None else f"{m['threshold']:g}"


def markdown_table(report: Mapping[str, Any]) -> str:
    """The report as Markdown: one row per set and attribute (rows, positives, ROC-AUC with its
    interval, macro-F1 at the model's threshold, the threshold, ECE), skipped ones with their
    reason, then issue 18's bar."""
    lines = [
        "| set | attribute | n | positives | ROC-AUC (95% CI) | macro-F1 | threshold | ECE |",
        "|---|---|---:|---:|---|---:|---:|---:|",
    ]
    for name, entry in report["sets"].items():
        if "skipped" in entry:
            lines.append(f"| {name} | – | – | – | skipped: {entry['skipped']} | – | – | – |")
            continue
        for attribute, m in entry["attributes"].items():
            if "skipped" in m:
                lines.append(
                    f"| {name} | {attribute} | {m['n']} | {m['positives']} | skipped: {m['skipped']} | – | – | – |"
                )
            else:
                lines.append(
                    f"| {name} | {attribute} | {m['n']} | {m['positives']} | {fmt(m)} | {fmt(m, 'macro_f1')}"
                    f" | {_threshold(m)} | {fmt(m, 'ece')} |"
                )
    checks = []
    for c in report["bar"]["checks"]:
        verdict = {True: "met", False: "not met", None: "not measured"}[c["passed"]]
        value = "–" if c["roc_auc"] is None else f"{c['roc_auc']:.4f}"
        checks.append(
            f"{c['set']} {c['attribute']} ROC-AUC >= {c['roc_auc_at_least']:.2f}: {value} ({verdict})"
        )
    lines += ["", f"Model {report['model_version']}. Issue 18's bar: " + "; ".join(checks) + "."]
    refused = {name: e["refused"] for name, e in report["sets"].items() if e.get("refused")}
    if refused:
        lines.append(
            "Texts the scorer refused (scored 0): "
            + ", ".join(f"{k} in {n}" for n, k in refused.items())
            + "."
        )
    return "\n".join(lines)


def section(data: Mapping[str, Any]) -> list[str]:
    """Its section of docs/evaluation.md, from a whole eval.json."""
    report = data[SET_NAME]
    lines = ["", f"## {SET_NAME}", "", f"{report['description'][0].upper()}{report['description'][1:]}.", ""]
    for name, entry in report["sets"].items():
        if "description" in entry:
            lines.append(f"- {name}: {entry['description']}.")
    return [*lines, "", markdown_table(report)]
