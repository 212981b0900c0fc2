"""A trajectory: an optimizer run on a test surface with its production backend (torch.optim; for
Lion and Schedule-Free AdamW, Optax's update inside a torch optimizer), every step recorded."""

from __future__ import annotations

from typing import Any

from descent.arrays import load_npz, npz_bytes
from descent.kinds import Checked, Kind
from descent.optim import make_optimizer
from descent.surfaces import get_surface
from descent.trajectory import Trajectory, TrajectoryRun, record


def check(spec, where: str, t: dict) -> Checked:
    spec.known_fields(t, where, {"surface", "optimizer", "hyperparameters", "start", "steps"})
    surface = spec.surface_name(t, where)
    optimizer, hyperparameters = spec.optimizer(t, where)
    start = spec.point(t, where, "start", get_surface(surface).dim)
    steps = spec.integer(t, where, "steps", 0, spec.MAX_STEPS)
    recipe = {
        "surface": surface,
        "optimizer": optimizer,
        "hyperparameters": hyperparameters,
        "start": start,
        "steps": steps,
    }
    return Checked(recipe)


def produce(planned, inputs) -> dict[str, bytes]:
    recipe = planned.spec.recipe
    optimizer = make_optimizer(recipe["optimizer"], recipe["hyperparameters"], backend="torch")
    run = record(get_surface(recipe["surface"]), optimizer, recipe["start"], recipe["steps"])
    return {"trajectory.npz": npz_bytes(run.to_arrays())}


def load(artifact_id: str, recipe: dict[str, Any], entry) -> TrajectoryRun:
    arrays = load_npz(entry.file("trajectory.npz"))
    return TrajectoryRun(artifact_id, recipe, get_surface(recipe["surface"]), Trajectory.from_arrays(arrays))


KIND = Kind(
    "trajectory",
    "trajectories",
    check=check,
    produce=produce,
    load=load,
    versions=("numpy", "torch"),
    cost=1,
)
