"""The fine-tuned transformer as an Engine (kind "transformer")."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ..._attributes import PERSPECTIVE_ATTRIBUTES
from ..._calibration import calibrated, sigmoid
from ..._results import AttributeScore, Span
from ..._text import sentences as sentence_bounds
from .._base import EngineInfo
from ._model import KIND, TransformerModel, load_transformer_model
from ._runtime import Runtime, parallel_calls
from ._windows import Window, batches, identity_only, marked_spans, windows_of

__all__ = ["BATCH_WINDOWS", "COST_MS", "TransformerEngine", "load_transformer_engine"]

COST_MS = 8.0  # rough: milliseconds per comment on one core (benchmarks/speed.py measures it)
# One window per ONNX call. The int8 graph quantises activations with a scale computed over the
# whole input tensor, so a window padded beside others scored differently (by up to 0.007) from
# the same window alone; alone, a text's score never depends on its batch. Measured no slower:
# unpadded windows waste no work (140 vs 133 comments/s on one core).
BATCH_WINDOWS = 1


class TransformerEngine:
    """Scores English text with a TransformerModel through onnxruntime."""

    def __init__(
        self, model: TransformerModel, *, threads: int | None = None, runtime: Runtime | None = None
    ) -> None:
        self.model = model
        self._threads = threads
        # `runtime`: another engine's loaded session, shared (with_threads; a forked batch worker)
        self._runtime = runtime if runtime is not None else Runtime(model.path)
        self._info = EngineInfo(
            kind=KIND,
            version=model.version,
            attributes=model.attributes,
            languages={a: model.languages for a in model.attributes},
            thresholds=dict(model.thresholds),
            span_kind="words",
            cost_ms=COST_MS,
            path=model.path,
            default_attributes=model.default_attributes,
            concurrent_calls=True,
            # Perspective attributes it does not score: declined with Perspective's own wording
            unsupported={
                a: "no training set here labels it"
                for a in PERSPECTIVE_ATTRIBUTES
                if a not in model.attributes
            },
        )

    @property
    def info(self) -> EngineInfo:
        return self._info

    @property
    def threads(self) -> int | None:
        return self._threads

    @property
    def loaded(self) -> bool:
        """Whether its onnxruntime session runs in this process."""
        return self._runtime.loaded

    def warm(self) -> None:
        self.score(
            ["This sentence only loads the model before the first request."], self.model.attributes[:1]
        )

    def with_threads(self, threads: int | None) -> TransformerEngine:
        """The same model and loaded session, `threads` windows at a time (scores do not change)."""
        if threads == self.threads:
            return self
        return TransformerEngine(self.model, threads=threads, runtime=self._runtime)

    def score(
        self, texts: Sequence[str], attributes: Sequence[str], *, spans: bool = False, sentences: bool = False
    ) -> list[dict[str, AttributeScore]]:
        texts = list(texts)
        bounds = [sentence_bounds(t) if sentences else [] for t in texts]
        # every sentence of a many-sentence text is scored as a text of its own, in the same calls
        pieces = [t[b:e] for t, bs in zip(texts, bounds) if len(bs) > 1 for b, e in bs]
        probs, token_probs, encodings = self.forward(texts + pieces)
        columns = [self.model.attributes.index(a) for a in attributes]
        out, row = [], len(texts)
        for i, text in enumerate(texts):
            bs = bounds[i]
            if len(bs) > 1:
                sentence_rows = probs[row : row + len(bs)]
                row += len(bs)
            else:
                sentence_rows = probs[i : i + 1].repeat(len(bs), axis=0)
            marks: tuple[Span, ...] = ()
            if spans:
                enc = encodings[i]
                marks = tuple(
                    Span(b, e, round(p, 6))
                    for b, e, p in marked_spans(
                        token_probs[i], enc.offsets, enc.word_ids, self.model.span_threshold
                    )
                    if not identity_only(text[b:e])
                )
            scores = {}
            for a, k in zip(attributes, columns):
                value = round(float(probs[i, k]), 6)
                over = value >= self.model.thresholds[a]
                scores[a] = AttributeScore(
                    a,
                    value,
                    marks if over else (),  # only a score over its threshold has words that carry it
                    tuple(Span(b, e, round(float(r[k]), 6)) for (b, e), r in zip(bs, sentence_rows)),
                )
            out.append(scores)
        return out

    def forward(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray], list[Any]]:
        """Calibrated probabilities (n_texts, n_attributes), unrounded, each text's token
        probabilities, and its tokenizer encoding (training calibrates on these)."""
        m = self.model
        encodings = self._runtime.tokenize(texts)
        windows: list[Window] = []
        for i, enc in enumerate(encodings):
            windows.extend(windows_of(i, enc.ids, m.max_tokens, m.stride, m.cls_id, m.sep_id))
        probs = np.zeros((len(texts), len(m.attributes)))
        token_probs = [np.zeros(len(enc.ids)) for enc in encodings]
        groups = batches(windows, BATCH_WINDOWS, m.pad_id)
        calls = min(parallel_calls(self._threads), len(groups))
        if calls > 1:  # the windows side by side, each on one thread: the same numbers, sooner
            with ThreadPoolExecutor(max_workers=calls, thread_name_prefix="tenor-onnx") as pool:
                outputs = list(pool.map(lambda g: self._runtime.run(g[1], g[2]), groups))
        else:
            outputs = [self._runtime.run(ids, mask) for _, ids, mask in groups]
        for (members, _, _), (logits, token_logits) in zip(groups, outputs):
            window_probs = calibrated(logits, m.calibration)
            window_tokens = sigmoid(token_logits)
            for row, w_index in enumerate(members):
                w = windows[w_index]
                np.maximum(probs[w.text], window_probs[row], out=probs[w.text])
                n = len(w.ids) - 2
                target = token_probs[w.text][w.start : w.start + n]
                np.maximum(target, window_tokens[row, 1 : 1 + n], out=target)
        return probs, token_probs, encodings


def load_transformer_engine(
    name_or_path: str | Path | None = None, *, threads: int | None = None
) -> TransformerEngine:
    return TransformerEngine(load_transformer_model(name_or_path), threads=threads)
