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
    return {"data.npz": npz_bytes(arrays), "recipe.json": recipe_json(planned, [p for p, _ in inputs])}


def recipe_json(planned: Planned, inputs: list[Planned]) -> bytes:
    """The recipe, key, code fingerprint and versions of ``planned`` and of each of its inputs."""
    recipe = {**planned.provenance(), "inputs": [p.provenance() for p in inputs]}
    return (json.dumps(recipe, indent=2, sort_keys=True, allow_nan=False) + "\n").encode()
