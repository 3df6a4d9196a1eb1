"""`tenor analyze --report FILE.html`: one self-contained HTML file (inline CSS and SVG, no
scripts, no external assets). Every string from a page goes through `html.escape`, attribute
values included: a page is untrusted input."""

from __future__ import annotations

from html import escape
from typing import Any

from ._view import ThreadNode, highlight_segments, thread_tree

ATTRS = ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT", "SEXUALLY_EXPLICIT")

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem;color:#222}
h1{font-size:1.5rem;margin:.2rem 0}.meta{color:#666;font-size:.85rem}.warn{background:#fff4d6;padding:.3rem .6rem;border-left:4px solid #e0a800}
article p{margin:.5rem 0}ul.thread{list-style:none;padding-left:0}ul.thread ul{list-style:none;padding-left:1.6rem;border-left:2px solid #e3e3e3}
.comment{margin:.6rem 0;padding:.5rem .7rem;border:1px solid #ddd;border-radius:6px}.comment.flag{border-color:#c0392b;background:#fdf3f2}
.author{font-weight:600}.anon{color:#888;font-style:italic}.reply{color:#666;font-size:.8rem}.err{color:#a00;font-size:.85rem}
mark{background:#f9c6c0;padding:0 1px;border-radius:2px}.bars{display:grid;grid-template-columns:9rem 1fr 3rem;gap:1px 6px;font-size:.75rem;margin-top:.4rem;max-width:28rem}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}
"""


def _bar(value: float, threshold: float | None) -> str:
    width = 160
    fill = "#c0392b" if threshold is not None and value >= threshold else "#4a7ab5"
    tick = "" if threshold is None else f'<line x1="{threshold * width:.1f}" y1="0" x2="{threshold * width:.1f}" y2="10" stroke="#333"/>'
    return (
        f'<svg width="{width}" height="10" role="img" aria-label="{value:.2f}"><rect width="{width}" height="10" fill="#eee"/>'
        f'<rect width="{value * width:.1f}" height="10" fill="{fill}"/>{tick}</svg>'
    )


def _highlight(text: str, spans: dict[str, list[dict[str, Any]]]) -> str:
    """The comment with the words that carry its scores marked; overlapping spans merged."""
    html = "".join(f"<mark>{escape(piece)}</mark>" if marked else escape(piece) for piece, marked in highlight_segments(text, spans))
    return html.replace("\n\n", "</p><p>").replace("\n", "<br>")


def _comment(c: dict[str, Any], thresholds: dict[str, float], flagged: set[str]) -> str:
    author = f'<span class="author">{escape(c["author"])}</span>' if c["author"] else '<span class="anon">anonymous</span>'
    reply = ""
    if c["parent"]:
        evidence = "; ".join(f'{e["kind"]}: {e["text"]}' if e["text"] else e["kind"] for e in c["reply_evidence"])
        reply = f' <span class="reply" title="{escape(evidence)}">↳ reply to {escape(c["parent"])}</span>'
    body = f'<p>{_highlight(c["text"], c["spans"])}</p>'
    if c["error"]:
        bars = f'<div class="err">not scored: {escape(c["error"]["message"])}</div>'
    else:
        rows = [
            f"<span>{escape(a)}</span>{_bar(c['scores'][a], thresholds.get(a))}<span>{c['scores'][a]:.2f}</span>"
            for a in ATTRS if a in c["scores"]
        ]  # fmt: skip
        bars = f'<div class="bars">{"".join(rows)}</div>'
    css = "comment flag" if c["id"] in flagged else "comment"
    return f'<div class="{css}" id="{escape("comment-" + c["id"])}"><div>{author} <span class="meta">#{escape(c["id"])}</span>{reply}</div>{body}{bars}</div>'


def _thread(comments: list[dict[str, Any]], thresholds: dict[str, float], flagged: set[str]) -> str:
    def render(nodes: list[ThreadNode]) -> str:
        items = [f"<li>{_comment(n.comment, thresholds, flagged)}{render(n.replies)}</li>" for n in nodes]
        return f'<ul class="thread">{"".join(items)}</ul>' if items else ""

    return render(thread_tree(comments, key=lambda c: c["id"], parent=lambda c: c["parent"]))


def _page(data: dict[str, Any], thresholds: dict[str, float]) -> str:
    flagged = {item["id"] for item in data["needs_review"]}
    by_id = {c["id"]: c for c in data["comments"]}
    review = "".join(
        f'<tr><td><a href="#{escape("comment-" + it["id"])}">#{escape(it["id"])}</a></td><td>{escape(by_id[it["id"]]["author"] or "anonymous")}</td>'
        f'<td>{escape(it["attribute"])}</td><td>{it["score"]:.2f}</td><td>{escape(", ".join(it["over"]))}</td></tr>'
        for it in data["needs_review"]
    )
    article = "".join(f"<p>{escape(p['text'])}</p>" for p in data["article"]["paragraphs"])
    warnings = "".join(f'<p class="warn">{escape(w)}</p>' for w in data["warnings"])
    return (
        f'<section><h1>{escape(data["title"] or "(no title)")}</h1>'
        f'<div class="meta">{escape(data["dateline"] or "no dateline")} · {escape(data["source"])} · {escape(data["format"])} · model {escape(data["model_version"])}</div>'
        f"{warnings}<article>{article}</article>"
        f'<h2>Needs review ({len(data["needs_review"])})</h2>'
        + (f"<table><tr><th>comment</th><th>author</th><th>attribute</th><th>score</th><th>over threshold</th></tr>{review}</table>" if review else "<p>Nothing over an operating threshold.</p>")
        + f'<h2>Thread ({len(data["comments"])} comments)</h2>{_thread(data["comments"], thresholds, flagged)}</section>'
    )


def render_report(pages: list[dict[str, Any]], thresholds: dict[str, float]) -> str:
    """The whole report for the `tenor analyze --json` objects of one run."""
    body = "<hr>".join(_page(p, thresholds) for p in pages) or "<p>No pages.</p>"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        f"<title>tenor analyze report</title><style>{_CSS}</style></head><body>{body}</body></html>\n"
    )
