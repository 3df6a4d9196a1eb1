"""Friendly errors for commands whose packages come with an optional extra."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click


@contextmanager
def requires_extra(extra: str, packages: frozenset[str], doing: str) -> Iterator[None]:
    """Turn a missing package of `extra` into "install tenor[extra]"; any other import error
    is a real bug and propagates."""
    try:
        yield
    except ModuleNotFoundError as e:
        if (e.name or "").split(".")[0] in packages:
            raise click.ClickException(
                f"{doing} needs {e.name}, which is not installed: pip install 'tenor[{extra}]'"
            ) from None
        raise
