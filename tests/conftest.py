"""Shared fixtures. Nothing here reads the shipped model or ../shared data, so the suite runs
anywhere in seconds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tenor import Model, Scorer
from tenor._features import Featurizer, doc_keys
from tenor.engines.ngram._spans import N_DENSE

ATTRIBUTES = ("TOXICITY", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "PROFANITY", "THREAT")

_VOCABULARY_TEXTS = (
    "What kind of idiot name is foo? Sorry, I like your name.",
    "You are a complete idiot and everyone knows it.",
    "Great article, thanks for the careful reporting.",
    "Shut up, you stupid troll. Nobody cares.",
    "I will find you and hurt you.",
    "The council meeting is on Tuesday at noon.",
)


def make_tiny_model(seed: int = 0) -> Model:
    """A real `tenor.Model` with random weights over a vocabulary of a few sentences: scores are
    meaningless but deterministic, and every code path (spans included) runs."""
    rng = np.random.default_rng(seed)
    vocabulary = np.unique(np.concatenate([doc_keys(t)[0] for t in _VOCABULARY_TEXTS])).astype(np.uint32)
    n_features, n_attributes = len(vocabulary), len(ATTRIBUTES)
    return Model(
        version="test-0",
        path=Path("."),
        manifest={},
        featurizer=Featurizer(vocabulary, np.ones(n_features)),
        attributes=ATTRIBUTES,
        coef=rng.normal(0.0, 2.0, (n_features, n_attributes)),
        intercept=np.zeros(n_attributes),
        calibration=np.column_stack([np.ones(n_attributes), np.zeros(n_attributes)]),
        thresholds=dict.fromkeys(ATTRIBUTES, 0.5),
        span_attributes=("TOXICITY",),
        span_coef=rng.normal(0.0, 2.0, (n_features, 1)),
        span_dense_coef=rng.normal(0.0, 1.0, (N_DENSE(n_attributes), 1)),
        span_intercept=np.zeros(1),
        span_thresholds={"TOXICITY": 0.5},
        languages=("en",),
        unsupported=("SEXUALLY_EXPLICIT",),
    )


@pytest.fixture(scope="session")
def tiny_model() -> Model:
    return make_tiny_model()


@pytest.fixture(scope="session")
def scorer(tiny_model: Model) -> Scorer:
    return Scorer(tiny_model)
