"""A tuning study on one problem, by the protocol of ``descent.tuning``: for each optimizer and
each study seed, the same number of quasi-random trials from its search space (every ranged
hyperparameter, and again the learning rate alone), each run for the problem's step budget; stored
with every trial's hyperparameters, steps to the target and final loss, the search spaces, the seeds
and the scores, so that anyone can recompute the scores from the trials.

A problem is a surface from a start, or a tiny MLP of the visualizer's family trained full-batch
from its seeded initial weights (the same for every trial). An optimizer that does not apply to the
problem is named in ``skip`` with the reason; it gets no trials and a NaN score.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from descent.arrays import StoredArrays, load_npz, npz_bytes
from descent.datasets import DATASETS
from descent.kinds import Checked, Kind
from descent.optim.registry import OPTIMIZERS
from descent.tuning import MODES, SearchSpace, draw_trials, first_at_target, median_score, search_space

ACTIVATIONS = ("relu", "sigmoid", "tanh")  # descent.networks builds them (and imports torch)
NETWORK_FIELDS = {"dataset", "samples", "noise", "seed", "hidden", "activation"}


def check(spec, where: str, value: dict) -> Checked:
    """``problem`` (``{"surface", "start"}`` or ``{"network": {dataset, samples, noise, seed, hidden,
    activation}}``), ``steps`` (the budget of every trial), ``target`` (a loss), ``optimizers``,
    ``trials`` (per optimizer and study), ``seeds`` (one study each) and ``skip`` (optimizer ->
    why it does not apply to this problem)."""
    spec.known_fields(value, where, {"problem", "steps", "target", "optimizers", "trials", "seeds", "skip"})
    problem = problem_recipe(spec, f"{where}.problem", spec.present(value, where, "problem"))
    steps = spec.integer(value, where, "steps", 1, spec.MAX_STEPS)
    target = spec.present(value, where, "target")
    if not spec.is_number(target) or not np.isfinite(target):
        spec.fail(f"{where}.target", f"must be a finite loss, got {target!r}")
    if "surface" in problem:
        from descent.surfaces import get_surface

        start_loss = float(get_surface(problem["surface"]).value(np.array(problem["start"])))
        if not target < start_loss:
            spec.fail(
                f"{where}.target", f"must lie below the loss at the start ({start_loss:g}), got {target!r}"
            )
    optimizers = spec.present(value, where, "optimizers")
    if not isinstance(optimizers, list) or not optimizers or len(set(optimizers)) != len(optimizers):
        spec.fail(f"{where}.optimizers", f"must be a non-empty list of distinct names, got {optimizers!r}")
    for name in optimizers:
        if name not in OPTIMIZERS:
            spec.fail(f"{where}.optimizers", f"unknown optimizer {name!r}; known: {', '.join(OPTIMIZERS)}")
    seeds = spec.present(value, where, "seeds")
    if (
        not isinstance(seeds, list)
        or not seeds
        or len(set(seeds)) != len(seeds)
        or not all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s < 2**31 for s in seeds)
    ):
        spec.fail(f"{where}.seeds", f"must be a non-empty list of distinct seeds, got {seeds!r}")
    skip = value.get("skip", {})
    spec.mapping(skip, f"{where}.skip")
    for name, reason in skip.items():
        if name not in optimizers:
            spec.fail(f"{where}.skip.{name}", "names no optimizer of this study")
        if not isinstance(reason, str) or not reason:
            spec.fail(f"{where}.skip.{name}", f"must say why the optimizer does not apply, got {reason!r}")
    if len(skip) == len(optimizers):
        spec.fail(f"{where}.skip", "leaves no optimizer to tune")
    space = {}
    for mode in MODES:
        space[mode] = {}
        for name in optimizers:
            try:
                space[mode][name] = search_space(OPTIMIZERS[name].hyperparameters, mode).to_recipe()
            except ValueError as e:
                spec.fail(f"{where}.optimizers", f"{name}: {e}")
    recipe = {
        "problem": problem,
        "steps": steps,
        "target": float(target),
        "optimizers": list(optimizers),
        "trials": spec.integer(value, where, "trials", 1, 1000),
        "seeds": list(seeds),
        "skip": dict(skip),
        "space": space,
    }
    return Checked(recipe)


def problem_recipe(spec, where: str, problem: Any) -> dict[str, Any]:
    spec.mapping(problem, where)
    if "surface" in problem:
        spec.known_fields(problem, where, {"surface", "start"})
        name = spec.surface_name(problem, where)
        return {"surface": name, "start": spec.point(problem, where, "start", spec.surface_dim(name))}
    spec.known_fields(problem, where, {"network"})
    net = spec.present(problem, where, "network")
    at = f"{where}.network"
    spec.mapping(net, at)
    spec.known_fields(net, at, NETWORK_FIELDS)
    dataset = spec.string(net, at, "dataset")
    if dataset not in DATASETS:
        spec.fail(f"{at}.dataset", f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    noise = spec.present(net, at, "noise")
    if not spec.is_number(noise) or not 0 <= noise <= 1:
        spec.fail(f"{at}.noise", f"must be a number from 0 to 1, got {noise!r}")
    hidden = spec.present(net, at, "hidden")
    if (
        not isinstance(hidden, list)
        or not hidden
        or not all(isinstance(w, int) and not isinstance(w, bool) and 1 <= w <= 64 for w in hidden)
    ):
        spec.fail(f"{at}.hidden", f"must be a non-empty list of widths from 1 to 64, got {hidden!r}")
    activation = spec.string(net, at, "activation")
    if activation not in ACTIVATIONS:
        spec.fail(f"{at}.activation", f"unknown activation {activation!r}; known: {', '.join(ACTIVATIONS)}")
    return {
        "network": {
            "dataset": dataset,
            "samples": spec.integer(net, at, "samples", 10, 5000),
            "noise": float(noise),
            "seed": spec.integer(net, at, "seed", 0, 2**31 - 1),
            "hidden": list(hidden),
            "activation": activation,
        }
    }


def settings_of(recipe: dict, mode: str, name: str) -> list[list[dict[str, float]]]:
    """Every study's trials (``[studies][trials]``) of optimizer ``name`` in ``mode``."""
    space = SearchSpace.from_recipe(recipe["space"][mode][name])
    return [draw_trials(space, recipe["trials"], seed) for seed in recipe["seeds"]]


def produce(planned, inputs) -> dict[str, bytes]:
    from descent.trials import losses_on  # torch: only where trials run

    r = planned.spec.recipe
    studies, count = len(r["seeds"]), r["trials"]
    arrays: dict[str, np.ndarray] = {
        "optimizers": np.array(r["optimizers"]),
        "applies": np.array([name not in r["skip"] for name in r["optimizers"]]),
        "seeds": np.array(r["seeds"], dtype=np.int64),
        "target": np.array(r["target"]),
    }
    for mode in MODES:
        arrays[f"{mode}.scores"] = np.full(len(r["optimizers"]), np.nan)
    for o, name in enumerate(r["optimizers"]):
        if name in r["skip"]:
            continue
        # Both modes' trials of all studies in one batch: one step() moves them all.
        drawn = {mode: settings_of(r, mode, name) for mode in MODES}
        flat = [hp for mode in MODES for study in drawn[mode] for hp in study]
        losses = losses_on(r["problem"], OPTIMIZERS[name], flat, r["steps"])
        if "network" in r["problem"] and not (losses[:, 0] > r["target"]).all():
            raise ValueError(f"target {r['target']} is not below the network's loss at the start")
        steps = first_at_target(losses, r["target"])
        keys = list(OPTIMIZERS[name].hyperparameters)
        for m, mode in enumerate(MODES):
            part = slice(m * studies * count, (m + 1) * studies * count)
            table = np.array([[hp[k] for k in keys] for study in drawn[mode] for hp in study])
            arrays[f"{mode}.{name}.names"] = np.array(keys)
            arrays[f"{mode}.{name}.hyperparameters"] = table.reshape(studies, count, len(keys))
            arrays[f"{mode}.{name}.steps"] = steps[part].reshape(studies, count)
            arrays[f"{mode}.{name}.final_loss"] = losses[part, -1].reshape(studies, count)
            arrays[f"{mode}.scores"][o] = median_score(arrays[f"{mode}.{name}.steps"])
    if "network" in r["problem"]:
        arrays["start_loss"] = np.array(losses[0, 0])
    else:
        from descent.surfaces import get_surface

        arrays["start_loss"] = np.array(
            float(get_surface(r["problem"]["surface"]).value(np.array(r["problem"]["start"])))
        )
    return {"tuning.npz": npz_bytes(arrays)}


def load(artifact_id: str, recipe: dict[str, Any], entry) -> StoredArrays:
    return StoredArrays(load_npz(entry.file("tuning.npz")), recipe)


KIND = Kind(
    "tuning", "tunings", check=check, produce=produce, load=load,
    versions=("numpy", "torch"), cost=2,
)  # fmt: skip
