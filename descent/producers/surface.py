"""Produce a sampled surface: its values on a grid and the critical points the engine finds."""

from __future__ import annotations

from typing import Any

from descent.arrays import npz_bytes
from descent.artifacts import SampledSurface
from descent.surfaces import get_surface


def produce(recipe: dict[str, Any]) -> dict[str, bytes]:
    surface = get_surface(recipe["surface"])
    if surface.dim != 2:
        raise ValueError(f"surface {surface.name!r} has {surface.dim} parameters; a sampled surface needs 2")
    xs, ys, z = surface.sample(recipe["grid"])
    sampled = SampledSurface("", recipe, surface, xs, ys, z, surface.critical_points)
    return {"surface.npz": npz_bytes(sampled.to_arrays())}
