"""Produce a trajectory: run the recipe's optimizer (torch backend) on its surface."""

from __future__ import annotations

from typing import Any

from descent.arrays import npz_bytes
from descent.optim import make_optimizer
from descent.surfaces import get_surface
from descent.trajectory import record


def produce(recipe: dict[str, Any]) -> dict[str, bytes]:
    surface = get_surface(recipe["surface"])
    optimizer = make_optimizer(recipe["optimizer"], recipe["hyperparameters"], backend="torch")
    run = record(surface, optimizer, recipe["start"], recipe["steps"])
    return {"trajectory.npz": npz_bytes(run.to_arrays())}
