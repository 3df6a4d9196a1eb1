"""Hashed word, character and bigram features, with an owner token for every occurrence.

A text becomes a sublinear TF-IDF vector over a fixed vocabulary of 32-bit feature keys,
L2-normalised. Because every feature occurrence remembers which token produced it, a linear
head's logit splits exactly into per-token contributions: that is what spans are built from.
Keys are CRC-32 of a prefixed string, so they are the same on every machine and Python.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np

from ._identity import IDENTITY_BIGRAMS, IDENTITY_TERMS, IDENTITY_TOKEN
from ._text import Token, normal_forms, tokenize

__all__ = ["DocFeatures", "Featurizer", "doc_keys", "token_sparse", "word_forms"]

CHAR_NGRAMS = (2, 3, 4, 5)
MAX_CHARGRAM_TOKEN = 30  # longer tokens (URLs, key-mashing) add noise, not signal
NO_OWNER = -1


def _key(s: str) -> int:
    return zlib.crc32(s.encode("utf-8"))


# Identity mentions get features of their own ("i:" and "ib:" keys) that training hands to the
# IDENTITY_ATTACK head only; every other head is blind to them (see tenor._identity).
IDENTITY_KEY = _key("i:" + IDENTITY_TOKEN)


@lru_cache(maxsize=200_000)
def _word_keys(lower: str, is_word: bool) -> np.ndarray:
    if not is_word:
        return np.array([_key("p:" + lower)], dtype=np.uint32)
    if lower == IDENTITY_TOKEN:
        return np.array([IDENTITY_KEY], dtype=np.uint32)
    keys = [_key("w:" + lower)]
    for form in normal_forms(lower):
        keys.append(_key("w:" + form))
    padded = " " + lower[:MAX_CHARGRAM_TOKEN] + " "
    grams = {padded[i : i + n] for n in CHAR_NGRAMS for i in range(len(padded) - n + 1)}
    keys.extend(_key("c:" + g) for g in sorted(grams))
    return np.array(keys, dtype=np.uint32)


def word_forms(tokens: list[Token]) -> list[str]:
    """Lower-cased token texts with identity terms replaced by the identity token."""
    lowers = [t.text.lower() for t in tokens]
    out = [IDENTITY_TOKEN if w in IDENTITY_TERMS else w for w in lowers]
    for i in range(len(lowers) - 1):
        if (lowers[i], lowers[i + 1]) in IDENTITY_BIGRAMS:
            out[i] = out[i + 1] = IDENTITY_TOKEN
    return out


def _bigrams(tokens: list[Token], forms: list[str]) -> tuple[list[tuple[int, int]], list[int], list[bool]]:
    """Adjacent word pairs, their keys, and whether each involves an identity term."""
    words = [i for i, t in enumerate(tokens) if t.is_word]
    pairs = list(pairwise(words))
    identity = [IDENTITY_TOKEN in (forms[a], forms[b]) for a, b in pairs]
    keys = [_key(("ib:" if i else "b:") + forms[a] + " " + forms[b]) for (a, b), i in zip(pairs, identity)]
    return pairs, keys, identity


def identity_keys(text: str) -> np.ndarray:
    """The keys of a text's identity features (the ones only IDENTITY_ATTACK may use)."""
    tokens = tokenize(text)
    forms = word_forms(tokens)
    _, keys, identity = _bigrams(tokens, forms)
    found = [k for k, i in zip(keys, identity) if i]
    if IDENTITY_TOKEN in forms:
        found.append(IDENTITY_KEY)
    return np.array(found, dtype=np.uint32)


def _shape_keys(text: str, tokens: list[Token]) -> list[int]:
    letters = [c for c in text if c.isalpha()]
    keys = []
    if len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        keys.append(_key("d:shouting"))
    n = len(tokens)
    keys.append(_key("d:len" + ("1" if n < 8 else "2" if n < 30 else "3" if n < 120 else "4")))
    return keys


def doc_keys(text: str, tokens: list[Token] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every feature occurrence of a text: (keys, owner token index, share).

    A word bigram belongs half to each of its two tokens; document-shape features belong to
    no token (owner -1)."""
    if tokens is None:
        tokens = tokenize(text)
    forms = word_forms(tokens)
    pairs, bigram_keys, _ = _bigrams(tokens, forms)
    return _layout(
        [_word_keys(f, t.is_word) for f, t in zip(forms, tokens)],
        pairs,
        np.array(bigram_keys, dtype=np.uint32),
        np.array(_shape_keys(text, tokens), dtype=np.uint32),
    )


def _layout(
    parts: list[np.ndarray], pairs: list[tuple[int, int]], pair_ids: np.ndarray, doc_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ids, owner token, share) of every occurrence, in one order that training and scoring
    share: each token's own features, bigrams owned half by their left and half by their right
    token, then whole-text features (owner -1)."""
    lengths = [len(p) for p in parts]
    ids = np.concatenate([*parts, pair_ids, pair_ids, doc_ids])
    owners = np.concatenate(
        [
            np.repeat(np.arange(len(parts), dtype=np.int64), lengths),
            np.array([a for a, _ in pairs] + [b for _, b in pairs], dtype=np.int64),
            np.full(len(doc_ids), NO_OWNER, dtype=np.int64),
        ]
    )
    shares = np.ones(len(ids))
    n_own = sum(lengths)
    shares[n_own : n_own + 2 * len(pairs)] = 0.5
    return ids, owners, shares


@dataclass(frozen=True, slots=True)
class DocFeatures:
    tokens: list[Token]
    index: np.ndarray  # vocabulary index of each kept occurrence
    owner: np.ndarray  # token index of each kept occurrence (-1: the whole text)
    value: np.ndarray  # its share of the normalised feature value
    own: np.ndarray  # True where the occurrence is the token's own feature (not a bigram)
    unique_index: np.ndarray  # the text's feature vector, sparse: indices...
    unique_value: np.ndarray  # ...and values (L2 norm 1)


class Featurizer:
    """Maps texts onto a fixed vocabulary with IDF weights (both learned by training)."""

    def __init__(self, vocabulary: np.ndarray, idf: np.ndarray) -> None:
        if vocabulary.dtype != np.uint32 or np.any(np.diff(vocabulary.astype(np.int64)) <= 0):
            raise ValueError("vocabulary must be strictly increasing uint32 keys")
        self.vocabulary = vocabulary
        self.idf = idf.astype(np.float64)
        # per-featuriser cache: comment streams repeat the same few thousand words
        self._cached_token_index = lru_cache(maxsize=200_000)(self._token_index)

    @property
    def n_features(self) -> int:
        return len(self.vocabulary)

    def _lookup(self, keys: np.ndarray) -> np.ndarray:
        """Vocabulary positions of `keys`, -1 where a key is not in the vocabulary."""
        pos = np.searchsorted(self.vocabulary, keys)
        pos[pos == len(self.vocabulary)] = 0
        return np.where(self.vocabulary[pos] == keys, pos, -1)

    def _token_index(self, form: str, is_word: bool) -> np.ndarray:
        found = self._lookup(_word_keys(form, is_word))
        return found[found >= 0]

    def features(self, text: str, tokens: list[Token] | None = None) -> DocFeatures:
        if tokens is None:
            tokens = tokenize(text)
        forms = word_forms(tokens)
        pairs, bigram_keys, _ = _bigrams(tokens, forms)
        shape = _shape_keys(text, tokens)
        extra = self._lookup(np.array(bigram_keys + shape, dtype=np.uint32))
        pair_ids, shape_ids = extra[: len(bigram_keys)], extra[len(bigram_keys) :]
        known = pair_ids >= 0
        index, owner, share = _layout(
            [self._cached_token_index(f, t.is_word) for f, t in zip(forms, tokens)],
            [p for p, k in zip(pairs, known) if k],
            pair_ids[known],
            shape_ids[shape_ids >= 0],
        )
        unique, inverse = np.unique(index, return_inverse=True)
        counts = np.bincount(inverse, weights=share)
        x = self.idf[unique] * (1.0 + np.log(counts))
        norm = float(np.sqrt(np.dot(x, x))) or 1.0
        x /= norm
        value = x[inverse] * share / counts[inverse]
        return DocFeatures(tokens, index, owner, value, (share == 1.0) & (owner >= 0), unique, x)


def token_sparse(doc: DocFeatures, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each token's own features (its word and character n-grams; no bigrams), IDF-weighted
    and L2-normalised per token: (token index, vocabulary index, value) triples."""
    owner, index = doc.owner[doc.own], doc.index[doc.own]
    v = idf[index]
    norms = np.sqrt(np.bincount(owner, weights=v**2, minlength=len(doc.tokens)))
    return owner, index, v / np.where(norms[owner] > 0, norms[owner], 1.0)
