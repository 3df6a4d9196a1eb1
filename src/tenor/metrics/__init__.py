"""Measures shared by training and evaluation: one definition each, so that what training
chooses a threshold or a span rule by is what `tenor eval` reports.

    tenor.metrics.spans       the SemEval-2021 toxic-spans F1 of one post (character offsets)
    tenor.metrics.techniques  the SemEval-2023 paragraph F1 and the SemEval-2020 span F1 of
                              persuasion techniques

Pure Python: no extra is needed. tenor.train and tenor.evaluate both import from here and never
from each other (tests/test_train_layout.py checks it).
"""
