"""`tenor analyze --json`: one JSON object per page (schema: docs/analyze.schema.json)."""

from __future__ import annotations

from typing import Any

from ._page import page_to_dict
from ._score import AnalyzedPage, not_checked_counts

# 2: `techniques`; 3: each comment's `model_version`, the page's `model_versions`; 4: each comment's
# `status` (checked / not_checked / error) and `not_checked_languages`, the page's `not_checked`
SCHEMA_VERSION = 4


def analyzed_to_dict(ap: AnalyzedPage) -> dict[str, Any]:
    out = page_to_dict(ap.page)
    for comment, s in zip(out["comments"], ap.comments):  # type: ignore[call-overload]
        comment["scores"] = {a: round(v, 6) for a, v in s.scores.items()}
        comment["spans"] = {
            a: [{"begin": x.begin, "end": x.end, "score": round(x.score, 6)} for x in spans]
            for a, spans in s.spans.items()
        }
        comment["error"] = None if s.error is None else {"type": s.error_type, "message": s.error}
        if s.unscored_languages:  # kept with the error, so the database and the UI tell it apart too
            comment["error"]["languages"] = list(s.unscored_languages)
        comment["model_version"] = s.model_version
        comment["status"] = s.status
        comment["not_checked_languages"] = list(s.unscored_languages)
    out["needs_review"] = [
        {
            "id": it.comment_id,
            "attribute": it.attribute,
            "score": round(it.score, 6),
            "threshold": it.threshold,
            "over": list(it.over),
        }
        for it in ap.needs_review
    ]
    out["warnings"] = [*out["warnings"], *ap.warnings]  # type: ignore[misc]
    out["techniques"] = None if ap.techniques is None else ap.techniques.to_dict()
    out["model_version"] = ap.model_version
    out["model_versions"] = list(ap.model_versions)
    out["not_checked"] = not_checked_counts(ap.comments)
    out["schema_version"] = SCHEMA_VERSION
    return out
