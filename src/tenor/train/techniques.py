"""Training the persuasion-technique model (SemEval-2023 Task 3 subtask 3, English train only).

Sentences are the unit: every labelled paragraph row of the train split is cut into sentences
(tenor.techniques._segment) and a sentence carries each technique whose gold span overlaps it.
First stage: one class-balanced logistic head per technique on hashed TF-IDF sentence features.
Second stage: per technique, a logistic head over the first-stage logits of the sentence, its
neighbours and its article (tenor.techniques._context), fitted on out-of-fold first-stage logits
so it learns how the first stage behaves on unseen text. The operating threshold and the span
rule are chosen on out-of-fold predictions too. Folds group sentences by article; the dev split
is never read here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from .._features import DocFeatures, Featurizer
from .._spans import token_sparse
from .._text import trim
from ..evaluate.technique_metrics import paragraph_f1, span_f1_by_technique
from ..techniques._context import context_features
from ..techniques._inventory import TECHNIQUES
from ..techniques._model import Units, article_units, second_stage, span_in_sentence
from .features import build_vocabulary, doc_matrix, featurize
from .techniques_data import TechniqueCorpus

__all__ = ["TechniqueConfig", "TechniqueData", "build_data", "cross_validate", "fit_final"]

ALPHAS = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0)  # span rule grid; 0 = the whole sentence
MIN_POSITIVES = 10  # a technique with fewer positive training sentences gets no head


@dataclass(frozen=True)
class TechniqueConfig:
    C: float = 2.0  # 5-fold CV on train: sentence micro-F1 0.312 (C=0.5), 0.318 (1), 0.320 (2)
    context_C: float = 1.0
    max_features: int = 1 << 17
    min_df: int = 2
    folds: int = 5
    with_paragraph_rows: bool = True  # also train the first stage on whole paragraphs
    per_technique_threshold: bool = False
    nb: bool = False  # NB-LR: features scaled by their naive Bayes log-count ratio before the fit


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


def _nb_ratio(X: sparse.csr_matrix, y: np.ndarray, smoothing: float = 1.0) -> np.ndarray:
    """Naive Bayes log-count ratio per feature (Wang and Manning 2012): how much likelier a
    feature is in positive than in negative rows. Scaling the features by it before the logistic
    fit (NB-LR) keeps the model linear in the original features: coef = w * r."""
    pos = np.asarray(X[y == 1].sum(axis=0)).ravel() + smoothing
    neg = np.asarray(X[y == 0].sum(axis=0)).ravel() + smoothing
    return np.log(pos / pos.sum()) - np.log(neg / neg.sum())


def _fit_first(X: sparse.csr_matrix, Y: np.ndarray, C: float, nb: bool = False) -> tuple[np.ndarray, np.ndarray]:
    coef = np.zeros((X.shape[1], Y.shape[1]))
    intercept = np.zeros(Y.shape[1])
    for k in range(Y.shape[1]):
        lr = LogisticRegression(C=C, solver="liblinear", class_weight="balanced", max_iter=1000, tol=1e-5, random_state=0)
        if nb:
            r = _nb_ratio(X, Y[:, k])
            lr.fit(X @ sparse.diags(r), Y[:, k])
            coef[:, k], intercept[k] = lr.coef_[0] * r, lr.intercept_[0]
        else:
            lr.fit(X, Y[:, k])
            coef[:, k], intercept[k] = lr.coef_[0], lr.intercept_[0]
    return coef, intercept


def _fit_context(F: np.ndarray, Y: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
    coef = np.zeros((Y.shape[1], F.shape[2]))
    intercept = np.zeros(Y.shape[1])
    for k in range(Y.shape[1]):
        lr = LogisticRegression(C=C, max_iter=2000, tol=1e-6)
        lr.fit(F[:, k, :], Y[:, k])
        coef[k], intercept[k] = lr.coef_[0], lr.intercept_[0]
    return coef, intercept


def _context(data: TechniqueData, logits: np.ndarray, tmax: np.ndarray, docs: list[DocFeatures]) -> np.ndarray:
    blocks, start = [], 0
    for a in data.article_ids:
        u = data.units[a]
        n = len(u.texts)
        first = int(u.paragraph_of[0]) if n else 0
        tokens = [d.tokens for d in docs[start : start + n]]
        blocks.append(context_features(logits[start : start + n], tmax[start : start + n], u.paragraph_of, tokens, first))
        start += n
    return np.concatenate(blocks)


@dataclass(frozen=True)
class TokenRows:
    """Every token of every sentence featurised on its own (the runtime `token_max` inputs)."""

    matrix: sparse.csr_matrix  # (n_tokens, n_features)
    sentence: np.ndarray  # sentence index of each row, non-decreasing


def token_rows(featurizer: Featurizer, docs: list[DocFeatures]) -> TokenRows:
    rows, cols, vals, owners, base = [], [], [], [], 0
    for i, doc in enumerate(docs):
        owner, index, value = token_sparse(doc, featurizer.idf)
        tokens = np.unique(owner)
        local = np.searchsorted(tokens, owner)
        rows.append(local + base)
        cols.append(index)
        vals.append(value)
        owners.append(np.full(len(tokens), i))
        base += len(tokens)
    matrix = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(base, featurizer.n_features))
    return TokenRows(matrix, np.concatenate(owners))


def _token_max(tokens: TokenRows, coef: np.ndarray, sentences: np.ndarray, n_sentences: int) -> np.ndarray:
    """token_max for the given sentences (a boolean mask over all of them); zeros elsewhere."""
    out = np.zeros((n_sentences, coef.shape[1]))
    rows = sentences[tokens.sentence]
    if rows.any():
        scores = tokens.matrix[rows] @ coef
        owner = tokens.sentence[rows]
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        out[owner[starts]] = np.maximum.reduceat(scores, starts, axis=0)
    return out


def _micro(Y: np.ndarray, P: np.ndarray) -> float:
    tp = float((Y * P).sum())
    return 2 * tp / (Y.sum() + P.sum()) if Y.sum() + P.sum() else 1.0


def _threshold(Y: np.ndarray, probs: np.ndarray, per_technique: bool) -> np.ndarray:
    grid = np.round(np.arange(0.05, 0.95, 0.01), 2)
    best = grid[int(np.argmax([_micro(Y, probs >= t) for t in grid]))]
    out = np.full(Y.shape[1], best)
    if per_technique:
        for k in range(Y.shape[1]):
            if Y[:, k].sum() >= 50:
                out[k] = grid[int(np.argmax([_micro(Y[:, k : k + 1], probs[:, k : k + 1] >= t) for t in grid]))]
    return out


@dataclass(frozen=True)
class Featurized:
    """Everything training reads off the texts, computed once: the featuriser fitted on them,
    each sentence's features (kept for spans and context), the sentence and paragraph matrices,
    and the per-token rows of `token_max`."""

    featurizer: Featurizer
    docs: list[DocFeatures]
    X: sparse.csr_matrix
    XP: sparse.csr_matrix
    tokens: TokenRows


def featurize_data(data: TechniqueData, config: TechniqueConfig) -> Featurized:
    texts = data.sentence_texts
    vocab, idf = build_vocabulary(texts + (data.paragraph_texts if config.with_paragraph_rows else []),
                                  min_df=config.min_df, max_features=config.max_features)
    featurizer = Featurizer(vocab, idf)
    docs = [featurizer.features(t) for t in texts]
    return Featurized(
        featurizer, docs, doc_matrix(docs, featurizer.n_features), featurize(featurizer, data.paragraph_texts),
        token_rows(featurizer, docs),
    )


@dataclass
class CVResult:
    techniques: tuple[str, ...]
    probs: np.ndarray  # out-of-fold second-stage probabilities per sentence
    thresholds: np.ndarray
    span_alpha: np.ndarray
    report: dict[str, Any]
    features: Featurized
    first_logits: np.ndarray
    token_max: np.ndarray


def cross_validate(data: TechniqueData, config: TechniqueConfig, log: Callable[[str], None] = print) -> CVResult:
    features = featurize_data(data, config)
    X, XP, docs = features.X, features.XP, features.docs
    kept = [k for k in range(len(TECHNIQUES)) if data.sentence_labels[:, k].sum() >= MIN_POSITIVES]
    names = tuple(TECHNIQUES[k] for k in kept)
    Y, YP = data.sentence_labels[:, kept], data.paragraph_labels[:, kept]
    article_fold = np.zeros(len(data.article_ids), dtype=int)
    articles = np.arange(len(data.article_ids))
    for f, (_, test) in enumerate(GroupKFold(n_splits=config.folds).split(articles, groups=articles)):
        article_fold[test] = f
    fold, pfold = article_fold[data.sentence_article], article_fold[data.paragraph_article]
    oof = np.zeros(Y.shape)
    tmax = np.zeros(Y.shape)
    coefs = []
    for f in range(config.folds):
        train = fold != f
        Xtr, Ytr = X[train], Y[train]
        if config.with_paragraph_rows:
            Xtr, Ytr = sparse.vstack([Xtr, XP[pfold != f]], format="csr"), np.vstack([Ytr, YP[pfold != f]])
        coef, intercept = _fit_first(Xtr, Ytr, config.C, config.nb)
        oof[~train] = X[~train] @ coef + intercept
        tmax += _token_max(features.tokens, coef, ~train, len(docs))
        coefs.append(coef)
        log(f"  first stage, fold {f + 1}/{config.folds}")
    F = _context(data, oof, tmax, docs)
    probs = np.zeros(Y.shape)
    for f in range(config.folds):
        train = fold != f
        c, i = _fit_context(F[train], Y[train], config.context_C)
        probs[~train] = second_stage(F[~train], c, i)
    thresholds = _threshold(Y, probs, config.per_technique_threshold)
    span_alpha = _choose_alpha(data, docs, names, probs, thresholds, coefs, fold)
    report = _report(data, docs, names, probs, thresholds, span_alpha, coefs, fold)
    log(f"  out-of-fold: sentence micro-F1 {report['sentence']['micro_f1']:.4f}, "
        f"paragraph micro-F1 {report['paragraph']['micro_f1']:.4f}, span F1 {report['span']['all']['f1']:.4f}")
    return CVResult(names, probs, thresholds, span_alpha, report, features, oof, tmax)


def _predicted_spans(data, docs, names, probs, thresholds, coefs, fold, alphas) -> list[tuple[str, str, int, int]]:  # type: ignore[no-untyped-def]
    out, start = [], 0
    for a in data.article_ids:
        u = data.units[a]
        for i, (b, _e) in enumerate(u.sentences):
            row = start + i
            for k in np.flatnonzero(probs[row] >= thresholds):
                found = span_in_sentence(docs[row], coefs[fold[row]][:, k], float(alphas[k]))
                if found:
                    out.append((a, names[k], b + found[0], b + found[1]))
        start += len(u.texts)
    return out


def _choose_alpha(data, docs, names, probs, thresholds, coefs, fold) -> np.ndarray:  # type: ignore[no-untyped-def]
    best = np.zeros(len(names))
    scores = []
    for alpha in ALPHAS:
        spans = _predicted_spans(data, docs, names, probs, thresholds, coefs, fold, np.full(len(names), alpha))
        scores.append(span_f1_by_technique(data.gold_spans, spans, names))
    for k, name in enumerate(names):
        best[k] = ALPHAS[int(np.argmax([s["per_technique"][name]["f1"] for s in scores]))]
    return best


def _report(data, docs, names, probs, thresholds, span_alpha, coefs, fold) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    predicted_rows: dict[tuple[str, int], set[str]] = {}
    sentence_gold, sentence_pred = {}, {}
    start = 0
    for a in data.article_ids:
        u = data.units[a]
        for i in range(len(u.texts)):
            row = start + i
            labels = {names[k] for k in np.flatnonzero(probs[row] >= thresholds)}
            sentence_pred[(a, i)] = labels
            sentence_gold[(a, i)] = {TECHNIQUES[k] for k in np.flatnonzero(data.sentence_labels[row])}
            predicted_rows.setdefault((a, data.rows[a][int(u.paragraph_of[i])]), set()).update(labels)
        start += len(u.texts)
    spans = _predicted_spans(data, docs, names, probs, thresholds, coefs, fold, span_alpha)
    para = paragraph_f1(data.gold_paragraphs, predicted_rows, TECHNIQUES)
    sent = paragraph_f1(sentence_gold, sentence_pred, TECHNIQUES)
    return {
        "sentence": {k: sent[k] for k in ("micro_f1", "macro_f1", "macro_present", "rows")},
        "paragraph": {k: para[k] for k in ("micro_f1", "macro_f1", "macro_present", "rows")},
        "span": span_f1_by_technique(data.gold_spans, spans, names),
        "per_technique_sentence_f1": {t: round(sent["per_technique"][t]["f1"], 4) for t in names},
    }


def fit_final(data: TechniqueData, config: TechniqueConfig, cv: CVResult) -> dict[str, np.ndarray]:
    """Heads on all of train; the second stage on the out-of-fold first-stage logits."""
    kept = [TECHNIQUES.index(t) for t in cv.techniques]
    features = cv.features
    X, Y = features.X, data.sentence_labels[:, kept]
    if config.with_paragraph_rows:
        X = sparse.vstack([X, features.XP], format="csr")
        Y = np.vstack([Y, data.paragraph_labels[:, kept]])
    coef, intercept = _fit_first(X, Y, config.C, config.nb)
    context = _context(data, cv.first_logits, cv.token_max, features.docs)
    ctx_coef, ctx_intercept = _fit_context(context, data.sentence_labels[:, kept], config.context_C)
    return {
        "vocabulary": features.featurizer.vocabulary,
        "idf": features.featurizer.idf.astype(np.float32),
        "coef": coef.astype(np.float32),
        "intercept": intercept,
        "ctx_coef": ctx_coef,
        "ctx_intercept": ctx_intercept,
    }


def data_root(data_dirs: list[Path]) -> Path | None:
    for d in data_dirs:
        if (d / "semeval2023_task3_en" / "train").is_dir():
            return d / "semeval2023_task3_en"
    return None
