"""Score every comment of a page with the engine and rank the ones that need a reviewer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .._errors import LanguageNotSupportedError, TenorError
from .._scorer import Scorer, Span
from ._page import Page

if TYPE_CHECKING:
    from ..techniques import ArticleTechniques, TechniqueFinder


@dataclass(frozen=True)
class CommentScores:
    """One comment's scores: only the attributes its model scores in its language (a comment
    the multilingual tier scored has TOXICITY alone), never a filler value for the others."""

    scores: dict[str, float] = field(default_factory=dict)
    spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)
    error: str | None = None  # why the comment could not be scored (empty, too long, language)
    error_type: str | None = None
    model_version: str | None = None  # the model that scored it (None: not scored)
    # the language(s) no model here scores, when that is why it was not scored: such a comment
    # was not checked, which is not the same as checked and fine (issue 19)
    unscored_languages: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """ "checked", "not_checked" (no model here scores its language) or "error"."""
        if self.error is None:
            return "checked"
        return "not_checked" if self.unscored_languages else "error"


@dataclass(frozen=True)
class ReviewItem:
    comment_id: str
    attribute: str  # the attribute furthest over its operating threshold
    score: float
    threshold: float
    over: tuple[str, ...]  # every attribute at or over its threshold


@dataclass
class AnalyzedPage:
    page: Page
    model_version: str  # the English comment model's (the run's first model)
    comments: list[CommentScores]  # parallel to page.comments
    needs_review: list[ReviewItem]
    techniques: ArticleTechniques | None = None  # None: no technique model given, empty article, or it failed
    warnings: list[str] = field(
        default_factory=list
    )  # found while analyzing; the page's own stay on the page
    model_versions: tuple[str, ...] = ()  # every model that scored a comment of this page, the scorer's order


def review_list(
    page: Page,
    scored: list[CommentScores],
    thresholds: Mapping[str, float],
    by_model: Mapping[str, Mapping[str, float]] | None = None,
) -> list[ReviewItem]:
    """Comments with any attribute at or over its shipped operating threshold, most severe
    first: ranked by how far the worst attribute sits over its threshold (as a share of the
    distance to 1), so a THREAT at 0.5 (threshold 0.16) outranks an INSULT at 0.5 (0.29).
    `by_model`: the thresholds of each model version (Scorer.thresholds_by_model), for comments scored by
    a model other than the one `thresholds` belong to (Scorer.thresholds_by_model)."""
    ranked = []
    for position, (comment, s) in enumerate(zip(page.comments, scored)):
        limits = (by_model or {}).get(s.model_version or "", thresholds)

        def margin(attribute: str, value: float, limits: Mapping[str, float] = limits) -> float:
            return (value - limits[attribute]) / max(1e-9, 1 - limits[attribute])

        over = sorted(a for a, v in s.scores.items() if a in limits and v >= limits[a])
        if over:
            worst = max(over, key=lambda a: (margin(a, s.scores[a]), a))
            item = ReviewItem(comment.id, worst, s.scores[worst], limits[worst], tuple(over))
            ranked.append((-margin(worst, s.scores[worst]), position, item))
    return [item for *_, item in sorted(ranked, key=lambda r: r[:2])]


def article_techniques(
    page: Page, model: TechniqueFinder, languages: list[str] | None = None
) -> tuple[ArticleTechniques | None, list[str]]:
    """The persuasion techniques of the page's article, and a warning when the model refused it.
    The article is a side dish: an article the model cannot read (too long, another language)
    must not cost the page its comment scores."""
    if not page.article.text.strip():
        return None, []
    paragraphs = [(p.start, p.end) for p in page.article.paragraphs] or None
    try:
        return model.find(page.article.text, paragraphs=paragraphs, languages=languages), []
    except TenorError as e:
        return None, [f"persuasion techniques were not looked for in the article: {e}"]


def _cli_neutral(error: Exception | None) -> str:
    """The message without the HTTP API's advice (`languages` in the request body): a page is read
    by the CLI, the service and the UI alike, each of which says how to act in its own terms."""
    if isinstance(error, LanguageNotSupportedError):
        return f"not checked: no model here scores {error.attribute} in {', '.join(error.languages)}"
    return str(error)


def not_checked_counts(scored: list[CommentScores]) -> dict[str, int]:
    """Language -> comments not checked because no model here scores it."""
    counts: dict[str, int] = {}
    for s in scored:
        if s.status == "not_checked":
            key = ", ".join(s.unscored_languages)
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def analyze_page(
    page: Page,
    scorer: Scorer,
    attributes: list[str] | None = None,
    languages: list[str] | None = None,
    techniques: TechniqueFinder | None = None,
) -> AnalyzedPage:
    """Every comment scored (attributes and spans); a comment that cannot be scored keeps its
    error and the rest of the page goes on. With a technique model, the article's persuasion
    techniques too.

    `attributes` None: every attribute the comment's model scores in its language (a Spanish
    comment gets the multilingual tier's TOXICITY alone); named attributes must all support the
    comment's language, else the comment gets a LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE error."""
    results = scorer.score_batch(
        [c.text for c in page.comments], attributes=attributes, spans=True, languages=languages
    )
    scored = []
    for r in results:
        if r.ok:
            scored.append(CommentScores(
                {a: s.value for a, s in r.scores.items()}, {a: s.spans for a, s in r.scores.items()},
                model_version=r.model_version,
            ))  # fmt: skip
        else:
            unscored = r.error.languages if isinstance(r.error, LanguageNotSupportedError) else ()
            scored.append(CommentScores(
                error=_cli_neutral(r.error), error_type=getattr(r.error, "error_type", None),
                unscored_languages=tuple(unscored),
            ))  # fmt: skip
    by_model = scorer.thresholds_by_model
    used = {s.model_version for s in scored if s.model_version is not None}
    versions = tuple(v for v in scorer.model_versions if v in used) + tuple(
        sorted(used - set(scorer.model_versions))
    )
    found, warnings = (
        article_techniques(page, techniques, languages) if techniques is not None else (None, [])
    )
    review = review_list(page, scored, by_model[scorer.model_version], by_model)
    return AnalyzedPage(page, scorer.model_version, scored, review, found, warnings, versions)
