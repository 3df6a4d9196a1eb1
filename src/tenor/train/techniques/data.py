"""The technique model's training rows: the SemEval-2023 train split (tenor.datasets.techniques)
cut into sentences, each carrying every technique whose gold span overlaps it, beside its
labelled paragraph rows and the gold labels the out-of-fold report is measured against."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..._text import trim
from ...datasets.techniques import TechniqueCorpus
from ...techniques._inventory import TECHNIQUES
from ...techniques._model import Units, article_units

__all__ = ["TechniqueData", "build_data", "data_root"]


@dataclass
class TechniqueData:
    article_ids: list[str]
    units: dict[str, Units]  # article -> its labelled paragraph rows cut into sentences
    rows: dict[str, list[int]]  # article -> the 1-based line number of each unit paragraph
    sentence_labels: np.ndarray  # (n_sentences, len(TECHNIQUES)) 0/1, articles in order
    sentence_article: np.ndarray  # article index of each sentence
    paragraph_texts: list[str]
    paragraph_labels: np.ndarray  # (n_paragraphs, len(TECHNIQUES)) 0/1
    paragraph_article: np.ndarray
    gold_paragraphs: dict[tuple[str, int], frozenset[str]]
    gold_spans: list[tuple[str, str, int, int]]

    @property
    def sentence_texts(self) -> list[str]:
        return [t for a in self.article_ids for t in self.units[a].texts]


def _overlaps(b: int, e: int, sb: int, se: int) -> bool:
    return min(e, se) - max(b, sb) >= min(3, se - sb)


def _label_row(techniques: Iterable[str]) -> np.ndarray:
    row = np.zeros(len(TECHNIQUES))
    for t in techniques:
        row[TECHNIQUES.index(t)] = 1
    return row


def build_data(corpus: TechniqueCorpus) -> TechniqueData:
    spans_of: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for s in corpus.spans:
        spans_of[s.article].append((s.technique, s.begin, s.end))
    lines_of: dict[str, list[int]] = defaultdict(list)
    for article_id, line in sorted(corpus.paragraphs):
        lines_of[article_id].append(line)
    ids = sorted(corpus.articles)
    units, rows = {}, {}
    labels, owner, p_texts, p_labels, p_owner = [], [], [], [], []
    for i, a in enumerate(ids):
        article = corpus.articles[a]
        rows[a] = [line for line in lines_of[a] if article.line(line).strip()]
        offsets = [trim(article.text, *article.lines[line - 1]) for line in rows[a]]
        p_texts += [article.text[b:e] for b, e in offsets]
        p_labels += [_label_row(corpus.paragraphs[(a, line)]) for line in rows[a]]
        p_owner += [i] * len(offsets)
        units[a] = article_units(article.text, offsets)
        for sb, se in units[a].sentences:
            labels.append(_label_row(t for t, b, e in spans_of[a] if _overlaps(b, e, sb, se)))
            owner.append(i)
    return TechniqueData(
        article_ids=ids, units=units, rows=rows,
        sentence_labels=np.array(labels), sentence_article=np.array(owner),
        paragraph_texts=p_texts, paragraph_labels=np.array(p_labels), paragraph_article=np.array(p_owner),
        gold_paragraphs={(a, line): corpus.paragraphs[(a, line)] for a in ids for line in rows[a]},
        gold_spans=[(s.article, s.technique, s.begin, s.end) for s in corpus.spans],
    )  # fmt: skip


def data_root(data_dirs: list[Path]) -> Path | None:
    for d in data_dirs:
        if (d / "semeval2023_task3_en" / "train").is_dir():
            return d / "semeval2023_task3_en"
    return None
