"""Score results from the multilingual tier: every text of a batch (and its sentences, when
spans were asked for) in one encoder call."""

from __future__ import annotations

from collections.abc import Sequence

from .._results import AttributeScore, ScoreResult, Span
from .._text import sentences
from ._model import MultilingualModel

__all__ = ["score_on_tier"]

# (text, attributes to score, languages used, languages detected)
TierItem = tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def score_on_tier(
    tier: MultilingualModel, items: Sequence[TierItem], *, with_spans: bool = False, with_sentences: bool = False
) -> list[ScoreResult]:
    """One ScoreResult per item. The tier has no word-level attribution, so its spans are the
    sentences scoring at or over its threshold; `with_sentences` gives every sentence's score
    (Perspective's spanAnnotations). Raises ModelError when the encoder cannot be loaded."""
    texts = [text for text, _, _, _ in items]
    bounds = [sentences(text) if with_spans or with_sentences else [] for text in texts]
    # a one-sentence text is its own sentence: not encoded twice
    sentence_texts = [text[b:e] for text, bs in zip(texts, bounds) if len(bs) > 1 for b, e in bs]
    probs = tier.probabilities(texts + sentence_texts)
    out, row = [], len(texts)
    for (text, wanted, used, detected), whole, bs in zip(items, probs[: len(texts)], bounds):
        if len(bs) > 1:
            sentence_probs = probs[row : row + len(bs)]
            row += len(bs)
        else:
            sentence_probs = whole[None, :].repeat(len(bs), axis=0)
        scores = {}
        for a in wanted:
            k = tier.attributes.index(a)
            per_sentence = tuple(Span(b, e, round(float(p[k]), 6)) for (b, e), p in zip(bs, sentence_probs))
            scores[a] = AttributeScore(
                a,
                round(float(whole[k]), 6),
                tuple(s for s in per_sentence if s.score >= tier.thresholds[a]) if with_spans else (),
                per_sentence if with_sentences else (),
            )
        out.append(ScoreResult(text, tier.version, scores, used, detected))
    return out
