"""The multilingual model's section of docs/evaluation.md."""

from __future__ import annotations

from typing import Any

from .._format import fmt, pct

__all__ = ["multilingual_section", "section"]


def section(data: dict[str, Any]) -> list[str]:
    """The section from a whole eval.json, beside the English model's baseline on the same file."""
    return multilingual_section(data["multilingual"], data["sets"].get("multilingual", {}).get("tenor", {}))


def multilingual_section(t: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """The multilingual tier on the Jigsaw multilingual test rows (eval.json's "multilingual"),
    beside the English model's numbers on the same rows where the run has them (`baseline`)."""
    bar = t["bar"]["roc_auc"]
    trained = t.get("in_language_training_rows", {})
    pooled = t["pooled"]
    interval = (
        " with a bootstrap 95% interval (1,000 resamples of the rows within each language, seed 0)"
        if pooled.get("ci95")
        else ""
    )
    lines = [
        "",
        "## multilingual tier",
        "",
        f"{t['attribute']} from the multilingual tier, model **{t['model_version']}** (encoder {t['encoder']}), on the",
        f"{t['description']}: {t['n']} rows, {t['positives']} toxic, every row through `tenor.Scorer` with",
        f"`languages=[lang]`. ROC-AUC{interval}; macro-F1 at the tier's operating",
        f"threshold ({pooled.get('threshold')}); ECE over 10 bins.",
        f"The bar (issue 10): ROC-AUC >= {bar} in every language; **{t['languages_meeting_bar']} of {len(t['languages'])}** meet it.",
        "The test file is used for measuring only, never to choose anything (`tenor eval --multilingual-only`",
        "re-measures this section alone). The last column is the English model on the same rows, scored as",
        "English (the `multilingual` set above).",
        "",
        "| language | rows | toxic | in-language training rows | ROC-AUC | bar | meets bar | macro-F1 | ECE | English model as English |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    by_lang = baseline.get("by_lang", {})
    for lang, m in t["languages"].items():
        rows = f"{trained[lang]:,}" if trained.get(lang) else "0 (zero-shot)"
        meets = "–" if m["meets_bar"] is None else ("yes" if m["meets_bar"] else "**no**")
        lines.append(
            f"| {lang} | {m['n']} | {m['positives']} | {rows} | {fmt(m)} | >= {bar} | {meets} | {fmt(m, 'macro_f1')}"
            f" | {fmt(m, 'ece')} | {fmt(by_lang.get(lang))} |"
        )
    english = baseline.get("attributes", {}).get(t["attribute"])
    lines.append(
        f"| pooled | {pooled['n']} | {pooled['positives']} | {sum(trained.values()):,} | {fmt(pooled)} | – | – |"
        f" {fmt(pooled, 'macro_f1')} | {fmt(pooled, 'ece')} | {fmt(english)} |"
    )
    refused = t.get("refused") or {}
    lines += [
        "",
        "Rows the scorer refused (counted as 0): "
        + (", ".join(f"{k} {v}" for k, v in refused.items()) if refused else "none")
        + ".",
    ]
    if t.get("sample"):
        lines += ["", f"**Debug sample** ({t['sample']} rows per language and label): not a reported number."]
    r = t.get("routing")
    if r:
        lines += [
            "",
            "For information, routing: had the rows' languages not been declared, language detection would send",
            f"**{pct(r['right_language'])}** of them to the tier in their own language. Rule: {r['rule']}.",
            "",
            "| language | to the tier, own language | to English (scored by the English model) | to another tier language | refused (unsupported language) |",
            "|---|---|---|---|---|",
        ]
        for lang, m in r["per_language"].items():
            lines.append(
                f"| {lang} | {pct(m['right_language'])} | {pct(m['english'])} | {pct(m['other_tier_language'])} | {pct(m['unsupported'])} |"
            )
    return lines
