"""`tenor train --transformer`: the fine-tuned MiniLM engine (tenor.engines.transformer), from
every usable English train split in ../shared/data*, mapped onto tenor's eight attributes with
per-attribute masks (`run` in run.py: corpus, resumable fine-tuning, ONNX export, calibration).

    from tenor.train.transformer import ATTRIBUTES, load_corpus
    corpus = load_corpus(["../shared/data", "../shared/data2", "../shared/data3", "../shared/data4"])
    corpus.texts, corpus.targets (float32, NaN = masked), corpus.weights, corpus.report

See corpus.py for the pipeline, sources*.py for each dataset's mapping and terms, overlap.py for
the evaluation texts that are removed.
"""

from __future__ import annotations

from .corpus import Corpus, load_corpus
from .overlap import EXTRA_EVAL_FILES, collect_eval_texts, match_keys, merge_key
from .run import run
from .schema import ATTRIBUTES, CALL_FOR_VIOLENCE, DEHUMANIZATION, SOURCES, TERMS_CLASSES, Source
from .sources import TERMS, select

__all__ = [
    "ATTRIBUTES",
    "CALL_FOR_VIOLENCE",
    "DEHUMANIZATION",
    "EXTRA_EVAL_FILES",
    "SOURCES",
    "TERMS",
    "TERMS_CLASSES",
    "Corpus",
    "Source",
    "collect_eval_texts",
    "load_corpus",
    "match_keys",
    "merge_key",
    "run",
    "select",
]
