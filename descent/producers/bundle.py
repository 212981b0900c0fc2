"""The downloads every published figure and video offers: its data (.npz) and recipe (.json)."""

from __future__ import annotations

import json

from descent.arrays import npz_bytes
from descent.artifacts import Data
from descent.plan import Planned


def downloads(planned: Planned, inputs: list[tuple[Planned, Data]]) -> dict[str, bytes]:
    """``data.npz`` holds every input's arrays as ``<input name>.<array>``; ``recipe.json`` says
    how to make it again: the recipe, key, code fingerprint and versions, with those of each input."""
    arrays = {}
    for input_planned, run in inputs:
        name = input_planned.spec.id.split("/", 1)[1]
        arrays.update({f"{name}.{k}": v for k, v in run.to_arrays().items()})
    recipe = {**planned.provenance(), "inputs": [p.provenance() for p, _ in inputs]}
    return {
        "data.npz": npz_bytes(arrays),
        "recipe.json": (json.dumps(recipe, indent=2, sort_keys=True, allow_nan=False) + "\n").encode(),
    }
