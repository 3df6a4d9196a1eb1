"""The persuasion-technique corpus (SemEval-2023 Task 3, subtask 3, English) as staged in
../shared/data/semeval2023_task3_en: articles, paragraph labels and span labels, read strictly.

Layout (its README): `<split>/<split>-articles-subtask-3/article<ID>.txt` (title on line 1, then one
paragraph per line); `<split>-labels-subtask-3.txt` rows `article_id<TAB>line_no<TAB>techniques`
(1-based line numbers, the title is line 1, an empty third field means no technique);
`<split>-labels-subtask-3-spans/article<ID>-labels-subtask-3.txt` rows
`article_id<TAB>technique<TAB>begin<TAB>end` (character offsets into the article file, end exclusive).

The 2023 train holds the SemEval-2020 PTC train and dev articles (same texts, the 2020 labels in the
older 14-class scheme), so PTC adds no text; the 2023 `dev` split holds the gold labels of the PTC
test articles and is for evaluation only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .._errors import TrainingDataError
from ..techniques._inventory import TECHNIQUES

__all__ = [
    "TECHNIQUES", "TechniqueArticle", "TechniqueCorpus", "TechniqueSpan", "load_technique_split",
    "read_paragraph_labels", "read_span_labels",
]  # fmt: skip

# One label string in the staged train file is corrupted (its README says so); nothing else is renamed.
_REPAIRED = {"Appeal_to_Fear-Prejudi-čce": "Appeal_to_Fear-Prejudice"}


@dataclass(frozen=True)
class TechniqueArticle:
    id: str
    text: str
    lines: tuple[tuple[int, int], ...]  # (begin, end) of line n at index n - 1, code points, end exclusive

    def line(self, number: int) -> str:
        begin, end = self.lines[number - 1]
        return self.text[begin:end]


@dataclass(frozen=True)
class TechniqueSpan:
    article: str
    technique: str
    begin: int
    end: int


@dataclass(frozen=True)
class TechniqueCorpus:
    articles: Mapping[str, TechniqueArticle]
    paragraphs: Mapping[
        tuple[str, int], frozenset[str]
    ]  # (article, line number) -> techniques; every labelled row
    spans: tuple[TechniqueSpan, ...]


def _technique(name: str, where: str) -> str:
    name = _REPAIRED.get(name.strip(), name.strip())
    if name not in TECHNIQUES:
        raise TrainingDataError(
            f"{where}: unknown technique {name!r}; expected one of the SemEval-2023 names"
        )
    return name


def read_article(path: Path) -> TechniqueArticle:
    text = path.read_text(encoding="utf-8")
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line.rstrip("\r"))))
        pos += len(line) + 1
    return TechniqueArticle(path.stem.removeprefix("article"), text, tuple(lines))


def read_paragraph_labels(path: Path) -> dict[tuple[str, int], frozenset[str]]:
    out: dict[tuple[str, int], frozenset[str]] = {}
    for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not row.strip():
            continue
        fields = row.split("\t")
        if len(fields) not in (2, 3) or not fields[1].strip().isdigit():
            raise TrainingDataError(
                f"{path}, line {n}: expected article_id<TAB>line_no<TAB>techniques, got {row[:80]!r}"
            )
        names = fields[2].split(",") if len(fields) == 3 else []
        key = (fields[0].strip(), int(fields[1]))
        if key in out:
            raise TrainingDataError(f"{path}, line {n}: article {key[0]} line {key[1]} is labelled twice")
        out[key] = frozenset(_technique(t, f"{path}, line {n}") for t in names if t.strip())
    return out


def read_span_labels(folder: Path) -> list[TechniqueSpan]:
    spans = []
    for path in sorted(folder.glob("*.txt")):
        for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not row.strip():
                continue
            fields = row.split("\t")
            if len(fields) != 4 or not (fields[2].isdigit() and fields[3].isdigit()):
                raise TrainingDataError(
                    f"{path}, line {n}: expected article_id<TAB>technique<TAB>begin<TAB>end"
                )
            spans.append(
                TechniqueSpan(
                    fields[0], _technique(fields[1], f"{path}, line {n}"), int(fields[2]), int(fields[3])
                )
            )
    return spans


def load_technique_split(root: Path, split: str) -> TechniqueCorpus:
    """`root` is ../shared/data/semeval2023_task3_en; `split` "train" (to fit on) or "dev" (to measure, only)."""
    base = root / split
    articles_dir = base / f"{split}-articles-subtask-3"
    if not articles_dir.is_dir():
        raise TrainingDataError(
            f"{articles_dir} is missing: stage ../shared/data/semeval2023_task3_en (see its README)"
        )
    articles = {a.id: a for a in map(read_article, sorted(articles_dir.glob("article*.txt")))}
    paragraphs = read_paragraph_labels(base / f"{split}-labels-subtask-3.txt")
    spans = read_span_labels(base / f"{split}-labels-subtask-3-spans")
    for article, line in paragraphs:
        if article not in articles or not 1 <= line <= len(articles[article].lines):
            raise TrainingDataError(
                f"{split} labels name article {article} line {line}, which the articles do not have"
            )
    for s in spans:
        if s.article not in articles or not 0 <= s.begin < s.end <= len(articles[s.article].text):
            raise TrainingDataError(f"{split} span {s} lies outside its article")
    return TechniqueCorpus(articles, paragraphs, tuple(spans))
