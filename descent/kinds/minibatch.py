"""A minibatch run: an optimizer of the registry on a regression made of samples, one seeded batch
per step, its rate set by a schedule of the registry; stored with the samples, so that a reader
can replay it from its recorded batches. Loaded as a :class:`descent.regression.MinibatchRun`."""

from __future__ import annotations

from typing import Any

import numpy as np

from descent.arrays import load_npz, npz_bytes
from descent.kinds import Checked, Kind
from descent.regression import SAMPLINGS, MinibatchRun, Regression, minibatch_run

PROBLEM_DEFAULTS = {"slope": 2.0, "intercept": -1.0, "noise": 0.5, "x_mean": 0.0}
MAX_POINTS = 100_000


def problem_recipe(spec, where: str, value: dict) -> dict[str, Any]:
    """``value["problem"]``: the regression's points, seed and shape, defaults written out."""
    problem = spec.present(value, where, "problem")
    spec.mapping(problem, f"{where}.problem")
    spec.known_fields(problem, f"{where}.problem", {"points", "seed", *PROBLEM_DEFAULTS})
    shape = {
        "points": spec.integer(problem, f"{where}.problem", "points", 2, MAX_POINTS),
        "seed": spec.integer(problem, f"{where}.problem", "seed", 0, 2**31 - 1),
    }
    for key, default in PROBLEM_DEFAULTS.items():
        x = problem.get(key, default)
        if not spec.is_number(x) or not np.isfinite(x) or (key == "noise" and x < 0):
            spec.fail(
                f"{where}.problem.{key}",
                f"must be a finite number{' >= 0' if key == 'noise' else ''}, got {x!r}",
            )
        shape[key] = float(x)
    return shape


def batch_sizes(spec, where: str, value: dict, points: int) -> list[int]:
    """``value["batches"]``: distinct batch sizes from 1 to ``points``, in increasing order."""
    sizes = spec.present(value, where, "batches")
    if (
        not isinstance(sizes, list)
        or not sizes
        or not all(isinstance(b, int) and not isinstance(b, bool) and 1 <= b <= points for b in sizes)
        or len(set(sizes)) != len(sizes)
    ):
        spec.fail(f"{where}.batches", f"must be distinct batch sizes from 1 to {points}, got {sizes!r}")
    return sorted(sizes)


def check(spec, where: str, value: dict) -> Checked:
    spec.known_fields(
        value,
        where,
        {
            "problem",
            "optimizer",
            "hyperparameters",
            "start",
            "batch",
            "steps",
            "seed",
            "schedule",
            "sampling",
        },
    )
    shape = problem_recipe(spec, where, value)
    points = shape["points"]
    optimizer, hyperparameters = spec.optimizer(value, where)
    steps = spec.integer(value, where, "steps", 2, spec.MAX_STEPS)
    recipe = {
        "problem": shape,
        "optimizer": optimizer,
        "hyperparameters": hyperparameters,
        "start": spec.point(value, where, "start", 2),
        "batch": spec.integer(value, where, "batch", 1, points),
        "steps": steps,
        "seed": spec.integer(value, where, "seed", 0, 2**31 - 1),
        "schedule": spec.schedule(value, where, steps),
        "sampling": value.get("sampling", "epochs"),
    }
    if recipe["sampling"] not in SAMPLINGS:
        spec.fail(f"{where}.sampling", f"must be one of {', '.join(SAMPLINGS)}, got {recipe['sampling']!r}")
    return Checked(recipe)


def problem_of(recipe: dict[str, Any]) -> Regression:
    p = recipe["problem"]
    return Regression.make(p["points"], p["seed"], p["slope"], p["intercept"], p["noise"], p["x_mean"])


def produce(planned, inputs) -> dict[str, bytes]:
    recipe = planned.spec.recipe
    problem = problem_of(recipe)
    schedule = dict(recipe["schedule"])
    run = minibatch_run(
        problem,
        recipe["start"],
        recipe["optimizer"],
        recipe["hyperparameters"],
        recipe["batch"],
        recipe["steps"],
        recipe["seed"],
        schedule=schedule.pop("name"),
        schedule_parameters=schedule,
        sampling=recipe["sampling"],
    )
    return {"run.npz": npz_bytes(run.to_arrays())}


def load(artifact_id: str, recipe: dict[str, Any], entry) -> MinibatchRun:
    return MinibatchRun.from_arrays(load_npz(entry.file("run.npz")), recipe)


KIND = Kind(
    "minibatch", "minibatch_runs", check=check, produce=produce, load=load, versions=("numpy", "torch")
)
