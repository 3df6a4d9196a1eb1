"""The transformer's runtime: an onnxruntime session and a fast tokenizer, loaded on first use.

onnxruntime and tokenizers are plain wheels (no torch). One session per engine, run with one
intra-op thread per call: the engine's parallelism is several calls at once (windows of a batch
on `threads` threads, or concurrent requests in `tenor serve`), which onnxruntime allows on one
session (its run() is thread-safe and releases the GIL) with the weights loaded once. A window
scored by one thread scores the same whatever else runs, so scores do not depend on `threads`.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any

import numpy as np

from ..._errors import ModelError
from ..._machine import usable_cores

__all__ = ["Runtime", "parallel_calls", "runtime_available"]

RUNTIME_PACKAGES = ("onnxruntime", "tokenizers")


def runtime_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in RUNTIME_PACKAGES)


def parallel_calls(threads: int | None) -> int:
    """How many windows an engine with `threads` scores at once (None: one per usable core)."""
    return max(1, threads) if threads is not None else usable_cores()


class Runtime:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def _load(self) -> None:
        if not runtime_available():
            raise ModelError(
                "The transformer engine needs onnxruntime and tokenizers: pip install tenor (they are core dependencies)."
            )
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # a 128-token window gains little from more; calls run side by side
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(self.folder / "model.onnx"), sess_options=options, providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        self._tokenizer = tokenizer

    def tokenize(self, texts: list[str]) -> list[Any]:
        """The tokenizers Encoding of each text, without special tokens, truncation or padding."""
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    self._load()
        return list(self._tokenizer.encode_batch(texts, add_special_tokens=False))

    def run(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(logits [batch, n_attributes], token_logits [batch, tokens]) as float64."""
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._load()
        logits, token_logits = self._session.run(
            ["logits", "token_logits"], {"input_ids": input_ids, "attention_mask": attention_mask}
        )
        return np.asarray(logits, dtype=np.float64), np.asarray(token_logits, dtype=np.float64)
