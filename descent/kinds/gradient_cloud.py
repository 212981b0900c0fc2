"""A gradient cloud: at one point of a regression's plane, many minibatch gradients for each batch
size, each batch an independent draw of distinct samples; stored with the samples, the full
gradient and the spread one sample's gradient has (σ₁², the trace of its covariance). Loaded as a
:class:`GradientCloud`."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from descent.arrays import load_npz, npz_bytes
from descent.kinds import Checked, Kind
from descent.kinds.minibatch import batch_sizes, problem_of, problem_recipe
from descent.regression import gradient_cloud


@dataclass(frozen=True)
class GradientCloud:
    """The samples (``x``, ``y``), the ``point``, the batch sizes (``batches``), the minibatch
    ``gradients`` [batch sizes, draws, 2], the full ``gradient`` there and σ₁²
    (``sample_variance``, the trace of one sample's gradient covariance)."""

    x: np.ndarray
    y: np.ndarray
    point: np.ndarray
    batches: np.ndarray
    gradients: np.ndarray
    gradient: np.ndarray
    sample_variance: float

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The stored arrays, by field name (what a reader downloads)."""
        return {f.name: np.asarray(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_arrays(cls, a) -> GradientCloud:
        return cls(
            **{f.name: np.asarray(a[f.name]) for f in fields(cls) if f.name != "sample_variance"},
            sample_variance=float(a["sample_variance"]),
        )


def check(spec, where: str, value: dict) -> Checked:
    """``problem`` (as a minibatch run's), ``point``, ``batches`` (batch sizes from 1 to the
    points), ``draws`` (gradients per batch size) and ``seed``."""
    spec.known_fields(value, where, {"problem", "point", "batches", "draws", "seed"})
    problem = problem_recipe(spec, where, value)
    sizes = batch_sizes(spec, where, value, problem["points"])
    recipe = {
        "problem": problem,
        "point": spec.point(value, where, "point", 2),
        "batches": sizes,
        "draws": spec.integer(value, where, "draws", 2, 100_000),
        "seed": spec.integer(value, where, "seed", 0, 2**31 - 1),
    }
    return Checked(recipe)


def produce(planned, inputs) -> dict[str, bytes]:
    recipe = planned.spec.recipe
    problem = problem_of(recipe)
    w = np.array(recipe["point"])
    clouds = [
        gradient_cloud(problem, w, batch, recipe["draws"], recipe["seed"] + i)
        for i, batch in enumerate(recipe["batches"])
    ]  # each batch size its own stream of draws
    arrays = {
        "x": problem.x,
        "y": problem.y,
        "point": w,
        "batches": np.array(recipe["batches"], dtype=np.int64),
        "gradients": np.stack(clouds),  # [batch sizes, draws, 2]
        "gradient": problem.gradient(w),
        "sample_variance": np.array(problem.gradient_noise(w)),
    }
    return {"cloud.npz": npz_bytes(arrays)}


def load(artifact_id: str, recipe: dict[str, Any], entry) -> GradientCloud:
    return GradientCloud.from_arrays(load_npz(entry.file("cloud.npz")))


KIND = Kind(
    "gradient_cloud", "gradient_clouds", check=check, produce=produce, load=load, versions=("numpy", "torch")
)
