"""Writing a model folder byte-for-byte reproducibly (no timestamps, fixed ordering)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .._artifact import write_checksums

_EPOCH = (1980, 1, 1, 0, 0, 0)


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like numpy.savez_compressed, minus the wall-clock timestamps zipfile would store."""
    with zipfile.ZipFile(path, "w") as zf:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buffer.getvalue(), compresslevel=9)


def write_artifact(folder: Path, manifest: dict[str, Any], arrays: dict[str, np.ndarray], card: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_npz(folder / "weights.npz", arrays)
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    (folder / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    write_checksums(folder)
