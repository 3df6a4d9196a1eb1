"""How docs/evaluation.md writes a number: shared by every section of the report."""

from __future__ import annotations

from typing import Any

__all__ = ["fmt", "num", "pct"]


def fmt(m: dict[str, Any] | None, key: str = "roc_auc") -> str:
    if not m or m.get(key) is None:
        return "–"
    text = f"{m[key]:.4f}"
    if key == "roc_auc" and m.get("ci95"):
        text += f" ({m['ci95'][0]:.3f}-{m['ci95'][1]:.3f})"
    return text


def num(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def pct(share: float) -> str:
    return f"{100 * share:.1f}%"
