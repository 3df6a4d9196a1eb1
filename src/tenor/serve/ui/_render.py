"""Jinja2, with autoescaping on for every template: each string from a page or a reviewer is
untrusted and is escaped where it is shown, attribute values included."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["render"]


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,  # a misspelt variable is an error, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda x: f"{100 * x:.0f}%"
    env.filters["day"] = lambda s: (s or "")[:10]
    env.filters["two"] = lambda x: f"{x:.2f}"
    return env


def render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)
