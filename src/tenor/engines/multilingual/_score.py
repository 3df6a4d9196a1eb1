"""Scores from the multilingual model: every text of a batch (and its sentences, when spans
were asked for) in one encoder call."""

from __future__ import annotations

from collections.abc import Sequence

from ..._results import AttributeScore, Span
from ..._text import sentences
from ._model import MultilingualModel

__all__ = ["score_texts"]


def score_texts(
    model: MultilingualModel,
    texts: Sequence[str],
    attributes: Sequence[str],
    *,
    with_spans: bool = False,
    with_sentences: bool = False,
) -> list[dict[str, AttributeScore]]:
    """A score per attribute for each text. The model has no word-level attribution, so its spans
    are the sentences scoring at or over its threshold; `with_sentences` gives every sentence's
    score (Perspective's spanAnnotations). Raises ModelError when the encoder cannot be loaded."""
    texts = list(texts)
    bounds = [sentences(text) if with_spans or with_sentences else [] for text in texts]
    # a one-sentence text is its own sentence: not encoded twice
    sentence_texts = [text[b:e] for text, bs in zip(texts, bounds) if len(bs) > 1 for b, e in bs]
    probs = model.probabilities(texts + sentence_texts)
    out, row = [], len(texts)
    for whole, bs in zip(probs[: len(texts)], bounds):
        if len(bs) > 1:
            sentence_probs = probs[row : row + len(bs)]
            row += len(bs)
        else:
            sentence_probs = whole[None, :].repeat(len(bs), axis=0)
        scores = {}
        for a in attributes:
            k = model.attributes.index(a)
            per_sentence = tuple(Span(b, e, round(float(p[k]), 6)) for (b, e), p in zip(bs, sentence_probs))
            scores[a] = AttributeScore(
                a,
                round(float(whole[k]), 6),
                tuple(s for s in per_sentence if s.score >= model.thresholds[a]) if with_spans else (),
                per_sentence if with_sentences else (),
            )
        out.append(scores)
    return out
