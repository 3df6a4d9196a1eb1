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

import numpy as np

from ._identity import IDENTITY_BIGRAMS, IDENTITY_TERMS, IDENTITY_TOKEN
from ._text import Token, normal_forms, tokenize

__all__ = ["DocFeatures", "Featurizer", "doc_keys", "word_forms"]

CHAR_NGRAMS = (2, 3, 4, 5)
MAX_CHARGRAM_TOKEN = 30  # longer tokens (URLs, key-mashing) add noise, not signal
NO_OWNER = -1


def _key(s: str) -> int:
    return zlib.crc32(s.encode("utf-8"))


@lru_cache(maxsize=200_000)
def _word_keys(lower: str, is_word: bool) -> np.ndarray:
    if not is_word:
        return np.array([_key("p:" + lower)], dtype=np.uint32)
    if lower == IDENTITY_TOKEN:
        return np.array([_key("w:" + lower)], dtype=np.uint32)
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
    parts = [_word_keys(f, t.is_word) for f, t in zip(forms, tokens)]
    lengths = [len(p) for p in parts]
    words = [i for i, t in enumerate(tokens) if t.is_word]
    bigram_keys = [_key("b:" + forms[a] + " " + forms[b]) for a, b in zip(words, words[1:])]
    shape = _shape_keys(text, tokens)
    keys = np.concatenate(
        [*parts, np.array(bigram_keys + bigram_keys + shape, dtype=np.uint32)]
    )
    owners = np.concatenate(
        [
            np.repeat(np.arange(len(tokens), dtype=np.int64), lengths),
            np.array(words[:-1] + words[1:] + [NO_OWNER] * len(shape), dtype=np.int64),
        ]
    )
    shares = np.ones(len(keys))
    n_word_keys = sum(lengths)
    shares[n_word_keys : n_word_keys + 2 * len(bigram_keys)] = 0.5
    return keys, owners, shares


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

    @property
    def n_features(self) -> int:
        return len(self.vocabulary)

    def features(self, text: str, tokens: list[Token] | None = None) -> DocFeatures:
        if tokens is None:
            tokens = tokenize(text)
        keys, owners, shares = doc_keys(text, tokens)
        pos = np.searchsorted(self.vocabulary, keys)
        pos[pos == len(self.vocabulary)] = 0
        found = self.vocabulary[pos] == keys
        index, owner, share = pos[found], owners[found], shares[found]
        unique, inverse = np.unique(index, return_inverse=True)
        counts = np.bincount(inverse, weights=share)
        x = self.idf[unique] * (1.0 + np.log(counts))
        norm = float(np.sqrt(np.dot(x, x))) or 1.0
        x /= norm
        value = x[inverse] * share / counts[inverse]
        return DocFeatures(tokens, index, owner, value, (share == 1.0) & (owner >= 0), unique, x)
