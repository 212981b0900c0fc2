"""Byte-reproducible ``.npz`` files.

``np.savez`` stamps each member with the current time, so two identical builds would differ.
This writes the same format with a fixed timestamp and sorted members; ``np.load`` reads it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

_EPOCH = (1980, 1, 1, 0, 0, 0)


def npz_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """The ``.npz`` encoding of ``arrays``, identical for identical input."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, member.getvalue())
    return buffer.getvalue()


def load_npz(path: Path | str) -> dict[str, np.ndarray]:
    """All arrays of an ``.npz`` file, loaded eagerly and without pickles."""
    with np.load(path, allow_pickle=False) as z:
        return {name: z[name] for name in z.files}


class StoredArrays(dict):
    """Named arrays as a kind stored them, with the recipe they were made from; read like a dict,
    and downloaded as they are (:meth:`to_arrays`)."""

    def __init__(self, arrays: Mapping[str, np.ndarray], recipe: Mapping | None = None):
        super().__init__(arrays)
        self.recipe = dict(recipe or {})

    def to_arrays(self) -> dict[str, np.ndarray]:
        return dict(self)
