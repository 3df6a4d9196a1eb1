"""`tenor analyze --report FILE.html`: one self-contained HTML file (inline CSS and SVG, no
scripts, no external assets). Every string from a page goes through `html.escape`, attribute
values included: a page is untrusted input, and so is what a technique model says about it (a
folder given to --techniques-model can name any technique)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from ..techniques import TECHNIQUE_DESCRIPTIONS, TECHNIQUE_LABELS, TECHNIQUES
from ..techniques._inventory import TECHNIQUE_COLOURS, UNKNOWN_TECHNIQUE_COLOURS
from ._view import ThreadNode, highlight_segments, layered_segments, thread_tree

ATTRS = (
    "TOXICITY",
    "SEVERE_TOXICITY",
    "IDENTITY_ATTACK",
    "INSULT",
    "PROFANITY",
    "THREAT",
    "SEXUALLY_EXPLICIT",
)

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem;color:#222}
h1{font-size:1.5rem;margin:.2rem 0}.meta{color:#666;font-size:.85rem}.warn{background:#fff4d6;padding:.3rem .6rem;border-left:4px solid #e0a800}
article p{margin:.5rem 0}ul.thread{list-style:none;padding-left:0}ul.thread ul{list-style:none;padding-left:1.6rem;border-left:2px solid #e3e3e3}
.comment{margin:.6rem 0;padding:.5rem .7rem;border:1px solid #ddd;border-radius:6px}.comment.flag{border-color:#c0392b;background:#fdf3f2}
.author{font-weight:600}.anon{color:#888;font-style:italic}.reply{color:#666;font-size:.8rem}.err{color:#a00;font-size:.85rem}
mark{background:#f9c6c0;padding:0 1px;border-radius:2px}mark.m1{background:#fdecea}mark.m2{background:#fbd3ce}mark.m3{background:#f6aaa1}mark.m4{background:#ef8377}.bars{display:grid;grid-template-columns:9rem 1fr 3rem;gap:1px 6px;font-size:.75rem;margin-top:.4rem;max-width:28rem}
mark.tq{padding:0;border-radius:0;color:inherit}sup.tn{font-size:.65rem;color:#555;margin-left:1px}
.chip,.sw{display:inline-block;font-size:.72rem;padding:0 .4rem;margin:0 .2rem;border-radius:.6rem;color:#222;border:1px solid #0002}
ul.legend{list-style:none;padding-left:0;font-size:.85rem}ul.legend li{margin:.15rem 0}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}
"""


def technique_colour(technique: str) -> str:
    """The technique's fill, the one the review UI uses too; the number after each highlight
    carries the same key for readers who cannot tell the colours apart."""
    return TECHNIQUE_COLOURS.get(technique, UNKNOWN_TECHNIQUE_COLOURS)[0]


def _label(technique: str) -> str:
    return TECHNIQUE_LABELS.get(technique, technique)


def _bar(value: float, threshold: float | None) -> str:
    width = 160
    fill = "#c0392b" if threshold is not None and value >= threshold else "#4a7ab5"
    tick = (
        ""
        if threshold is None
        else f'<line x1="{threshold * width:.1f}" y1="0" x2="{threshold * width:.1f}" y2="10" stroke="#333"/>'
    )
    return (
        f'<svg width="{width}" height="10" role="img" aria-label="{value:.2f}"><rect width="{width}" height="10" fill="#eee"/>'
        f'<rect width="{value * width:.1f}" height="10" fill="{fill}"/>{tick}</svg>'
    )


def _highlight(text: str, spans: dict[str, list[dict[str, Any]]]) -> str:
    """The comment with the words that carry its scores marked; overlapping spans merged."""
    html = "".join(
        f'<mark class="m{level}">{escape(piece)}</mark>' if level else escape(piece)
        for piece, level in highlight_segments(text, spans)
    )
    return html.replace("\n\n", "</p><p>").replace("\n", "<br>")


Thresholds = Mapping[str, float]
ByModel = Mapping[str, Thresholds]


def _comment(
    c: dict[str, Any],
    thresholds: Thresholds,
    flagged: set[str],
    by_model: ByModel,
    page_model: str | None,
    anchor: str = "",
) -> str:
    author = (
        f'<span class="author">{escape(c["author"])}</span>'
        if c["author"]
        else '<span class="anon">anonymous</span>'
    )
    reply = ""
    if c["parent"]:
        evidence = "; ".join(
            f"{e['kind']}: {e['text']}" if e["text"] else e["kind"] for e in c["reply_evidence"]
        )
        reply = f' <span class="reply" title="{escape(evidence)}">↳ reply to {escape(c["parent"])}</span>'
    body = f"<p>{_highlight(c['text'], c['spans'])}</p>"
    # a comment carries the model that scored it (analyze schema 3): its thresholds are that model's
    version = c.get("model_version")
    limits = by_model.get(version, thresholds) if version else thresholds
    scored_by = (
        f' <span class="meta model">scored by {escape(version)}</span>'
        if version and version != page_model
        else ""
    )
    if c.get("status") == "not_checked":  # no model here scores its language: not "fine"
        langs = ", ".join(c.get("not_checked_languages") or [])
        bars = f'<div class="err unchecked">not checked (language {escape(langs)})</div>'
    elif c["error"]:
        bars = f'<div class="err">not scored: {escape(c["error"]["message"])}</div>'
    else:
        # only the attributes the comment's model scores in its language: the others are not drawn
        names = [a for a in ATTRS if a in c["scores"]] + sorted(a for a in c["scores"] if a not in ATTRS)
        rows = [
            f"<span>{escape(a)}</span>{_bar(c['scores'][a], limits.get(a))}<span>{c['scores'][a]:.2f}</span>"
            for a in names
        ]  # fmt: skip
        bars = f'<div class="bars">{"".join(rows)}</div>'
    css = "comment flag" if c["id"] in flagged else "comment"
    return f'<div class="{css}" id="{escape(anchor + "comment-" + c["id"])}"><div>{author} <span class="meta">#{escape(c["id"])}</span>{reply}{scored_by}</div>{body}{bars}</div>'


def _thread(
    comments: list[dict[str, Any]],
    thresholds: Thresholds,
    flagged: set[str],
    by_model: ByModel,
    page_model: str | None,
    anchor: str = "",
) -> str:
    def render(nodes: list[ThreadNode]) -> str:
        items = [
            f"<li>{_comment(n.comment, thresholds, flagged, by_model, page_model, anchor)}{render(n.replies)}</li>"
            for n in nodes
        ]
        return f'<ul class="thread">{"".join(items)}</ul>' if items else ""

    return render(thread_tree(comments, key=lambda c: c["id"], parent=lambda c: c["parent"]))


def _legend_order(found: dict[str, Any]) -> list[str]:
    named = {s["technique"] for s in found["spans"]} | {
        t["technique"] for p in found["paragraphs"] for t in p["techniques"]
    }
    return sorted(named, key=lambda t: (TECHNIQUES.index(t) if t in TECHNIQUES else len(TECHNIQUES), t))


def _marked(
    piece: str,
    spans: list[dict[str, Any]],
    covering: tuple[int, ...],
    ending: tuple[int, ...],
    number: dict[str, int],
) -> str:
    """One piece of article text under zero or more technique spans. Overlaps are drawn as stacked
    bands, one per technique, so a nested or crossing span never hides another."""
    if not covering:
        return escape(piece)
    by_key = sorted(covering, key=lambda i: (number[spans[i]["technique"]], -spans[i]["confidence"]))
    colours = list(dict.fromkeys(technique_colour(spans[i]["technique"]) for i in by_key))
    if len(colours) == 1:
        background = colours[0]
    else:
        step = 100 / len(colours)
        background = (
            "linear-gradient("
            + ",".join(f"{c} {k * step:.2f}% {(k + 1) * step:.2f}%" for k, c in enumerate(colours))
            + ")"
        )
    title = "; ".join(f"{_label(spans[i]['technique'])} {spans[i]['confidence']:.2f}" for i in by_key)
    ends = "".join(
        f'<sup class="tn" title="{escape(_label(t))}">{number[t]}</sup>'
        for t in dict.fromkeys(
            spans[i]["technique"] for i in sorted(ending, key=lambda i: number[spans[i]["technique"]])
        )
    )
    return f'<mark class="tq" style="background:{background}" title="{escape(title)}">{escape(piece)}</mark>{ends}'


def _chips(labels: list[dict[str, Any]]) -> str:
    return "".join(
        f'<span class="chip" style="background:{technique_colour(t["technique"])}" title="{escape(TECHNIQUE_DESCRIPTIONS.get(t["technique"], ""))}">'
        f"{escape(_label(t['technique']))} {t['confidence']:.2f}</span>"
        for t in labels
    )


def _article(data: dict[str, Any]) -> str:
    """The article's paragraphs, with the technique spans highlighted and each paragraph's
    labels as chips after it, then the legend."""
    text, found = data["article"]["text"], data.get("techniques")
    paragraphs = data["article"]["paragraphs"] or (
        [{"text": text, "start": 0, "end": len(text)}] if text.strip() else []
    )
    if not found:
        return "<article>" + "".join(f"<p>{escape(p['text'])}</p>" for p in paragraphs) + "</article>"
    order = _legend_order(found)
    number = {t: n for n, t in enumerate(order, start=1)}
    spans = found["spans"]
    out = []
    for p in paragraphs:
        if text[p["start"] : p["end"]] == p["text"]:
            body = "".join(
                _marked(piece, spans, cov, end, number)
                for piece, cov, end in layered_segments(text, spans, p["start"], p["end"])
            )
        else:  # offsets that do not match the text (a foreign producer): show the words unmarked
            body = escape(p["text"])
        # a technique paragraph belongs where it begins: the model may trim or split what the reader joined
        labels = [
            t
            for q in found["paragraphs"]
            if p["start"] <= q["begin"] < max(p["end"], p["start"] + 1)
            for t in q["techniques"]
        ]
        chips = f' <span class="chips">{_chips(labels)}</span>' if labels else ""
        out.append(f"<p>{body}{chips}</p>")
    counts = {t: sum(s["technique"] == t for s in spans) for t in order}
    legend = "".join(
        f'<li><span class="sw" style="background:{technique_colour(t)}">{number[t]}</span><b>{escape(_label(t))}</b>'
        f" ({counts[t]} span{'' if counts[t] == 1 else 's'}): {escape(TECHNIQUE_DESCRIPTIONS.get(t, ''))}</li>"
        for t in order
    )
    labelled = sum(bool(q["techniques"]) for q in found["paragraphs"])
    summary = (
        f'<h2>Persuasion techniques</h2><div class="meta">model {escape(found["model_version"])} · {len(spans)} spans ·'
        f" {labelled} of {len(found['paragraphs'])} paragraphs labelled · numbers are the model's confidence, 0..1</div>"
    )
    listing = (
        f'<ul class="legend">{legend}</ul>'
        if legend
        else "<p>No persuasion technique found in the article.</p>"
    )
    return f'<article>{"".join(out)}</article><section class="techniques">{summary}{listing}</section>'


def _page(data: dict[str, Any], thresholds: Thresholds, by_model: ByModel, anchor: str = "") -> str:
    """One page's section; `anchor` prefixes its element ids where a report holds several pages
    (their comment ids repeat: c1, c2, ...)."""
    flagged = {item["id"] for item in data["needs_review"]}
    by_id = {c["id"]: c for c in data["comments"]}
    review = "".join(
        f'<tr><td><a href="#{escape(anchor + "comment-" + it["id"])}">#{escape(it["id"])}</a></td><td>{escape(by_id[it["id"]]["author"] or "anonymous")}</td>'
        f"<td>{escape(it['attribute'])}</td><td>{it['score']:.2f}</td><td>{escape(', '.join(it['over']))}</td></tr>"
        for it in data["needs_review"]
    )
    found = data.get("techniques")
    article = _article(data)
    techniques = f"techniques {escape(found['model_version'])}" if found else "techniques not analyzed"
    warnings = "".join(f'<p class="warn">{escape(w)}</p>' for w in data["warnings"])
    unchecked = data.get("not_checked") or {}
    if unchecked:  # counted where a reader looks first, not only on each comment
        listed = ", ".join(f"{escape(lang)}: {n}" for lang, n in unchecked.items())
        total = sum(unchecked.values())
        warnings += f'<p class="warn">{total} comment{"" if total == 1 else "s"} not checked: no model here scores their language ({listed}).</p>'
    versions = data.get("model_versions") or [data["model_version"]]  # before schema 3: one model per page
    models = f"model{'s' if len(versions) > 1 else ''} {escape(', '.join(versions))}"
    return (
        f'<section id="{escape(anchor + "page")}"><h1>{escape(data["title"] or "(no title)")}</h1>'
        f'<div class="meta">{escape(data["dateline"] or "no dateline")} · {escape(data["source"])} · {escape(data["format"])} · {models} · {techniques}</div>'
        f"{warnings}{article}"
        f"<h2>Needs review ({len(data['needs_review'])})</h2>"
        + (
            f"<table><tr><th>comment</th><th>author</th><th>attribute</th><th>score</th><th>over threshold</th></tr>{review}</table>"
            if review
            else "<p>Nothing over an operating threshold.</p>"
        )
        + f"<h2>Thread ({len(data['comments'])} comments)</h2>{_thread(data['comments'], thresholds, flagged, by_model, data['model_version'], anchor)}</section>"
    )


def _index(pages: list[dict[str, Any]]) -> str:
    """The table of contents of a many-page report: each page with its counts, linked."""
    rows = []
    for n, data in enumerate(pages, 1):
        unchecked = sum((data.get("not_checked") or {}).values())
        rows.append(
            f'<tr><td><a href="#p{n}-page">{escape(data["title"] or "(no title)")}</a></td>'
            f"<td>{escape(data['source'])}</td><td>{len(data['comments'])}</td>"
            f"<td>{len(data['needs_review'])}</td><td>{unchecked}</td><td>{len(data['warnings'])}</td></tr>"
        )
    return (
        f"<nav><h1>{len(pages)} pages</h1><table><tr><th>page</th><th>source</th><th>comments</th>"
        f"<th>needs review</th><th>not checked</th><th>warnings</th></tr>{''.join(rows)}</table></nav><hr>"
    )


def render_report(
    pages: list[dict[str, Any]], thresholds: Thresholds, by_model: ByModel | None = None
) -> str:
    """The whole report for the `tenor analyze --json` objects of one run. `thresholds`: the
    comment model's operating thresholds; `by_model`: each model version's
    (tenor.Scorer.thresholds_by_model), for comments another model scored."""
    if len(pages) > 1:  # an index first, each page a section of its own anchors
        sections = [_page(p, thresholds, by_model or {}, f"p{n}-") for n, p in enumerate(pages, 1)]
        body = _index(pages) + "<hr>".join(sections)
    else:
        body = "".join(_page(p, thresholds, by_model or {}) for p in pages) or "<p>No pages.</p>"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        f"<title>tenor analyze report</title><style>{_CSS}</style></head><body>{body}</body></html>\n"
    )
