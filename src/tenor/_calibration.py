"""The one sigmoid and the one Platt step every model applies to its logits (training fits the
Platt slope and offset with tenor.train's `platt`; scoring applies them here)."""

from __future__ import annotations

import numpy as np

__all__ = ["calibrated", "sigmoid"]


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def calibrated(logits: np.ndarray, calibration: np.ndarray) -> np.ndarray:
    """Probabilities from logits (..., n_attributes) and a Platt step (n_attributes, 2): slope, offset."""
    return sigmoid(calibration[:, 0] * logits + calibration[:, 1])
