"""A sampled surface: a 2-D test surface's values on a grid, and the critical points the engine
finds on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from descent.arrays import load_npz, npz_bytes
from descent.kinds import Checked, Kind
from descent.surfaces import CriticalPoint, Surface, get_surface


@dataclass(frozen=True)
class SampledSurface:
    """A surface sampled on a grid, with the critical points the engine found on it."""

    id: str
    recipe: dict[str, Any]
    surface: Surface
    xs: np.ndarray  # [grid]
    ys: np.ndarray  # [grid]
    z: np.ndarray  # [grid, grid]: z[j, i] is the loss at (xs[i], ys[j])
    critical_points: tuple[CriticalPoint, ...]

    def to_arrays(self) -> dict[str, np.ndarray]:
        cps = self.critical_points
        return {
            "xs": self.xs,
            "ys": self.ys,
            "z": self.z,
            "critical.point": np.array([c.point for c in cps]).reshape(len(cps), 2),
            "critical.value": np.array([c.value for c in cps]),
            "critical.kind": np.array([c.kind for c in cps], dtype="U10"),
            "critical.eigenvalues": np.array([c.eigenvalues for c in cps]).reshape(len(cps), 2),
        }

    @classmethod
    def from_arrays(cls, artifact_id: str, recipe: dict[str, Any], a) -> SampledSurface:
        cps = tuple(
            CriticalPoint(tuple(map(float, p)), float(v), str(k), tuple(map(float, e)))
            for p, v, k, e in zip(
                a["critical.point"], a["critical.value"], a["critical.kind"], a["critical.eigenvalues"],
                strict=True,
            )
        )  # fmt: skip
        surface = get_surface(recipe["surface"])
        return cls(artifact_id, recipe, surface, a["xs"], a["ys"], a["z"], cps)


def check(spec, where: str, value: dict) -> Checked:
    spec.known_fields(value, where, {"surface", "grid"})
    surface = spec.surface_name(value, where)
    if get_surface(surface).dim != 2:
        spec.fail(f"{where}.surface", f"{surface!r} is not a surface over a plane; a sampled surface needs 2")
    return Checked({"surface": surface, "grid": spec.integer(value, where, "grid", 8, 400)})


def produce(planned, inputs) -> dict[str, bytes]:
    recipe = planned.spec.recipe
    surface = get_surface(recipe["surface"])
    xs, ys, z = surface.sample(recipe["grid"])
    sampled = SampledSurface("", recipe, surface, xs, ys, z, surface.critical_points)
    return {"surface.npz": npz_bytes(sampled.to_arrays())}


def load(artifact_id: str, recipe: dict[str, Any], entry) -> SampledSurface:
    return SampledSurface.from_arrays(artifact_id, recipe, load_npz(entry.file("surface.npz")))


KIND = Kind("surface", "surfaces", check=check, produce=produce, load=load, versions=("numpy",), cost=1)
