"""What a reader downloads beside a published item: its data (.npz) and its recipe (.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from descent.arrays import npz_bytes


def downloads(planned, inputs: Sequence) -> dict[str, bytes]:
    """``data.npz`` holds every input's arrays as ``<input name>.<array>``; ``recipe.json`` says
    how to make it again: the recipe, key, code fingerprint and versions, with those of each input."""
    arrays = {}
    for i in inputs:
        name = i.planned.spec.id.split("/", 1)[1]
        arrays.update({f"{name}.{k}": v for k, v in i.data.to_arrays().items()})
    return {"data.npz": npz_bytes(arrays), "recipe.json": recipe_json(planned, [i.planned for i in inputs])}


def recipe_json(planned, inputs: Sequence) -> bytes:
    """The recipe, key, code fingerprint and versions of ``planned`` and of each planned input."""
    recipe = {**planned.provenance(), "inputs": [p.provenance() for p in inputs]}
    return (json.dumps(recipe, indent=2, sort_keys=True, allow_nan=False) + "\n").encode()
