"""A landscape: a network trained as a network artifact is, then, at every recorded epoch, the loss
on a plane through its weights (at each zoom radius) and its decision function over the input
plane (``descent.landscape``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from descent.arrays import load_npz, npz_bytes
from descent.kinds import Checked, Kind
from descent.kinds.network import FIELDS, network_recipe

PLANE_FIELDS = {"radii", "grid", "boundary_grid", "directions_seed", "normalization", "rescale"}


@dataclass(frozen=True)
class LandscapeRun:
    """A trained network's loss planes, decision grids and path projections at recorded epochs."""

    id: str
    recipe: dict[str, Any]
    arrays: dict[str, np.ndarray]

    def to_arrays(self) -> dict[str, np.ndarray]:
        return dict(self.arrays)


def check(spec, where: str, value: dict) -> Checked:
    """The network's fields, and ``radii`` (zoom radii of the plane), ``grid`` and
    ``boundary_grid`` (points per side), ``directions_seed``, optionally ``normalization``
    (``filter``, the default, or ``none``) and ``rescale``."""
    spec.known_fields(value, where, FIELDS | PLANE_FIELDS)
    recipe = network_recipe(spec, where, value)
    radii = spec.present(value, where, "radii")
    if (
        not isinstance(radii, list)
        or not radii
        or not all(spec.is_number(r) and np.isfinite(r) and r > 0 for r in radii)
    ):
        spec.fail(f"{where}.radii", f"must be a non-empty list of finite numbers > 0, got {radii!r}")
    grid = spec.integer(value, where, "grid", 3, 201)
    if grid % 2 == 0:
        spec.fail(f"{where}.grid", f"must be odd, so that the grid has the weights at its centre; got {grid}")
    normalization = value.get("normalization", "filter")
    if normalization not in ("filter", "none"):
        spec.fail(f"{where}.normalization", f"must be 'filter' or 'none', got {normalization!r}")
    rescale = spec.positive(value, where, "rescale") if "rescale" in value else 1.0
    if rescale != 1 and recipe["activation"] != "relu":
        spec.fail(f"{where}.rescale", "rescaling keeps the function only for ReLU networks")
    recipe.update(
        {
            "radii": [float(r) for r in radii],
            "grid": grid,
            "boundary_grid": spec.integer(value, where, "boundary_grid", 8, 400),
            "directions_seed": spec.integer(value, where, "directions_seed", 0, 2**31 - 1),
            "normalization": normalization,
            "rescale": rescale,
        }
    )
    return Checked(recipe)


def produce(planned, inputs) -> dict[str, bytes]:
    from descent.landscape import landscape_arrays  # torch: only where planes are evaluated

    return {"landscape.npz": npz_bytes(landscape_arrays(planned.spec.recipe))}


def load(artifact_id: str, recipe: dict[str, Any], entry) -> LandscapeRun:
    arrays = load_npz(entry.file("landscape.npz"))
    return LandscapeRun(artifact_id, recipe, {k: np.asarray(v) for k, v in arrays.items()})


KIND = Kind(
    "landscape", "landscapes", check=check, produce=produce, load=load, versions=("numpy", "torch"), cost=2
)
