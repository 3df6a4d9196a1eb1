"""The transformer model's artifact: a fine-tuned encoder with per-attribute heads and a token
head, exported to ONNX, with its fast tokenizer.

    models/<version>/   (a model folder: tenor._artifact)
        manifest.json   kind "transformer", format, version, attributes (and which are returned by
                        default), languages, calibration, thresholds, window and span settings,
                        training summary
        weights.npz     calibration (n_attributes, 2), thresholds (n_attributes,)
        model.onnx      input_ids, attention_mask (int64, [batch, tokens]) -> logits
                        [batch, n_attributes], token_logits [batch, tokens]
        tokenizer.json  the encoder's WordPiece tokenizer (HF `tokenizers` format)
        MODEL_CARD.md
        SHA256SUMS

Runs with onnxruntime and tokenizers alone: no torch at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..._artifact import model_folder, read_artifact
from ..._errors import ModelError

__all__ = ["DEFAULT_TRANSFORMER_MODEL", "FORMAT", "KIND", "TransformerModel", "load_transformer_model"]

KIND = "transformer"
FORMAT = 1
DEFAULT_TRANSFORMER_MODEL = "en-transformer-2026.12.2"


@dataclass(frozen=True)
class TransformerModel:
    """What the artifact says; the ONNX session and tokenizer load on first use (._runtime)."""

    version: str
    path: Path
    manifest: dict[str, Any]
    attributes: tuple[str, ...]
    default_attributes: tuple[str, ...]  # returned when a request names none (Perspective's)
    languages: tuple[str, ...]
    calibration: np.ndarray  # (n_attributes, 2): slope, offset on the logit
    thresholds: Mapping[str, float]
    span_threshold: float  # token probability at or over which a word is marked
    max_tokens: int  # per window, [CLS] and [SEP] included
    stride: int  # tokens shared by consecutive windows of a long text
    cls_id: int
    sep_id: int
    pad_id: int


def load_transformer_model(name_or_path: str | Path | None = None) -> TransformerModel:
    """Load by shipped version name or folder, every checksum verified first."""
    folder = model_folder(
        DEFAULT_TRANSFORMER_MODEL if name_or_path is None else name_or_path,
        kind="transformer model",
        train_command="tenor train --transformer",
    )
    manifest, arrays = read_artifact(
        folder, kind=KIND, format=FORMAT, train_command="tenor train --transformer"
    )
    for name in ("model.onnx", "tokenizer.json"):
        if not (folder / name).is_file():
            raise ModelError(f"{folder / name} is missing: retrain with `tenor train --transformer`.")
    attrs = tuple(manifest["attributes"])
    window = manifest["window"]
    return TransformerModel(
        version=manifest["version"],
        path=folder,
        manifest=manifest,
        attributes=attrs,
        default_attributes=tuple(manifest.get("default_attributes", attrs)),
        languages=tuple(manifest["languages"]),
        calibration=arrays["calibration"].astype(np.float64),
        thresholds={a: float(t) for a, t in zip(attrs, arrays["thresholds"])},
        span_threshold=float(manifest["spans"]["threshold"]),
        max_tokens=int(window["max_tokens"]),
        stride=int(window["stride"]),
        cls_id=int(window["cls_id"]),
        sep_id=int(window["sep_id"]),
        pad_id=int(window["pad_id"]),
    )
