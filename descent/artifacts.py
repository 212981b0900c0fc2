"""Read built artifacts by id: how scenes and figure builders get their data.

Renderers never compute: they ask for ``load_trajectory("gradient-descent/parabola")`` (or
``load_surface``, ``load_network``, ``load_landscape``) and get what the build stored. The plan
gives the id's key; the store verifies the entry. Inside a build, a video may read only the
inputs its spec declares (``DESCENT_INPUTS``), so a scene cannot depend on data its key does not
cover.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from descent.arrays import load_npz
from descent.plan import Plan, make_plan, store_root
from descent.store import ArtifactStore, DamagedEntry, Entry
from descent.surfaces import CriticalPoint, Surface, get_surface
from descent.trajectory import Trajectory, TrajectoryRun


class ArtifactMissing(LookupError):
    """The artifact is not in the store (not built yet, or damaged)."""


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


@dataclass(frozen=True)
class NetworkRun:
    """A tiny network's training: curves per epoch, weights and gradients at recorded epochs."""

    id: str
    recipe: dict[str, Any]
    arrays: dict[str, np.ndarray]

    @property
    def layers(self) -> int:
        """Number of linear layers (one more than the hidden layers)."""
        return len(self.recipe["hidden"]) + 1

    @property
    def widths(self) -> list[int]:
        """Neurons per layer, input and output included."""
        return [2, *self.recipe["hidden"], 1]

    def to_arrays(self) -> dict[str, np.ndarray]:
        return dict(self.arrays)


@dataclass(frozen=True)
class LandscapeRun:
    """A trained network's loss planes, decision grids and path projections at recorded epochs."""

    id: str
    recipe: dict[str, Any]
    arrays: dict[str, np.ndarray]

    def to_arrays(self) -> dict[str, np.ndarray]:
        return dict(self.arrays)


Data = TrajectoryRun | SampledSurface | NetworkRun | LandscapeRun


@cache
def _plan() -> Plan:
    import lessons

    return make_plan(lessons.ALL)


def load(kind: str, artifact_id: str) -> Data:
    """The stored ``kind`` artifact ``artifact_id`` (``"<lesson>/<name>"``)."""
    allowed = os.environ.get("DESCENT_INPUTS")
    if allowed is not None and f"{kind}:{artifact_id}" not in allowed.split(","):
        raise ArtifactMissing(
            f"{kind} {artifact_id!r} is not among this video's declared inputs ({allowed}); "
            "add it to the video's 'inputs' in its lesson spec"
        )
    planned = _plan().get(kind, artifact_id)
    try:
        entry = ArtifactStore(store_root()).get(kind, planned.key)
    except DamagedEntry as e:
        raise ArtifactMissing(f"{kind} {artifact_id!r} is damaged ({e}); rebuild it") from None
    if entry is None:
        raise ArtifactMissing(
            f"{kind} {artifact_id!r} is not built yet: run python build_assets.py --only '{artifact_id}'"
        )
    return from_entry(kind, planned.spec.id, planned.spec.recipe, entry)


def load_trajectory(artifact_id: str) -> TrajectoryRun:
    return load("trajectory", artifact_id)


def load_surface(artifact_id: str) -> SampledSurface:
    return load("surface", artifact_id)


def load_network(artifact_id: str) -> NetworkRun:
    return load("network", artifact_id)


def load_landscape(artifact_id: str) -> LandscapeRun:
    return load("landscape", artifact_id)


def from_entry(kind: str, artifact_id: str, recipe: dict[str, Any], entry: Entry) -> Data:
    arrays = load_npz(entry.file(f"{kind}.npz"))
    if kind == "trajectory":
        surface = get_surface(recipe["surface"])
        return TrajectoryRun(artifact_id, recipe, surface, Trajectory.from_arrays(arrays))
    if kind == "surface":
        return SampledSurface.from_arrays(artifact_id, recipe, arrays)
    if kind == "network":
        return NetworkRun(artifact_id, recipe, {k: np.asarray(v) for k, v in arrays.items()})
    if kind == "landscape":
        return LandscapeRun(artifact_id, recipe, {k: np.asarray(v) for k, v in arrays.items()})
    raise ValueError(f"no data of kind {kind!r}")
