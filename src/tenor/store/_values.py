"""How values go into and come out of the store's columns: one place for every table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _clean(value: str | None) -> str | None:
    # JSON may carry a lone surrogate, which neither database can encode: keep the rest of the
    # string. PostgreSQL text cannot hold NUL either: both backends store U+FFFD in its place.
    if value is None:
        return None
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace").replace("\x00", "\ufffd")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=True, sort_keys=True)


def _decode(
    names: list[str], rows: list[tuple[Any, ...]], json_columns: Sequence[str]
) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        item = dict(zip(names, row))
        for key in json_columns:
            item[key] = None if item[key] is None else json.loads(item[key])
        out.append(item)
    return out
