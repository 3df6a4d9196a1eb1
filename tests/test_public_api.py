"""The public surface is exactly what `tenor.__all__` names (no accidental exports)."""

from __future__ import annotations

import tenor


def test_all_is_sorted_unique_and_resolves() -> None:
    public = [n for n in tenor.__all__ if n != "__version__"]
    assert len(set(tenor.__all__)) == len(tenor.__all__)
    for name in tenor.__all__:
        assert hasattr(tenor, name), name
    assert public == sorted(public, key=lambda n: (not n.isupper(), n))


def test_every_error_is_a_tenor_error() -> None:
    for name in tenor.__all__:
        obj = getattr(tenor, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, tenor.TenorError), name
