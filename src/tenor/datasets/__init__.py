"""Readers of staged corpora that both training and evaluation read: training fits on a corpus's
train split, `tenor eval` measures on its dev or test split, through the same reader.

    tenor.datasets.techniques  the SemEval-2023 Task 3 persuasion-technique corpus (English)

The toxicity datasets have a reader on each side instead (tenor.train.ngram.data maps train files
onto attributes, tenor.evaluate.sets reads test files): no file is read by both.
"""
