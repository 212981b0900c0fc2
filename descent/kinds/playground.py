"""The optimizer playground's data: its 2-D surfaces with their default starts, the optimizers and
their hyperparameters from the registry, the learning-rate schedules, race lengths and gradient
noise it offers, and the torch.optim runs its in-page optimizers are checked against
(``descent.playground``)."""

from __future__ import annotations

import json
import math

from descent.downloads import recipe_json
from descent.kinds import Checked, Kind
from descent.optim import OPTIMIZERS, HyperparameterError
from descent.optim.schedules import SCHEDULES, resolve_schedule
from descent.surfaces import get_surface

MAX_SEED = 2**32 - 1  # the noise's seed is a 32-bit word (descent.noise)


def check(spec, where: str, v: dict) -> Checked:
    """``surfaces`` (name -> default start), ``grid`` (points per side drawn), ``initial``
    (where sliders start for hyperparameters without a default), ``schedules`` (the names of the
    registry's schedules the page offers, the first its default), ``lengths`` (the race lengths
    a schedule may span, the longest the default), ``noise`` (the range of the gradient noise's
    σ above 0), and the settings whose torch.optim trajectories the page is checked against
    (``reference``, ``steps`` each, one of the lengths; a setting may add a ``schedule`` of those
    offered, ``sigma`` and ``seed``)."""
    spec.known_fields(
        v,
        where,
        {"title", "surfaces", "grid", "initial", "schedules", "lengths", "noise", "steps", "reference"},
    )
    title = spec.string(v, where, "title")
    surfaces = spec.present(v, where, "surfaces")
    spec.mapping(surfaces, f"{where}.surfaces")
    starts = {}
    for name in surfaces:
        spec.surface_name({"surface": name}, f"{where}.surfaces")
        if get_surface(name).dim != 2:
            spec.fail(f"{where}.surfaces.{name}", "the playground draws 2-D surfaces only")
        starts[name] = spec.point(surfaces, f"{where}.surfaces", name, 2)
    grid = spec.integer(v, where, "grid", 8, 400)
    initial = v.get("initial", {})
    spec.mapping(initial, f"{where}.initial")
    known = {key for rule in OPTIMIZERS.values() for key in rule.hyperparameters}
    for key, value in initial.items():
        if key not in known:
            spec.fail(f"{where}.initial.{key}", f"no optimizer has a hyperparameter {key!r}")
        if not spec.is_number(value) or not math.isfinite(value):
            spec.fail(f"{where}.initial.{key}", f"must be a finite number, got {value!r}")
    lengths = _lengths(spec, v, where)
    schedules = _schedules(spec, v, where, lengths)
    noise = _noise(spec, v, where)
    steps = spec.integer(v, where, "steps", 1, spec.MAX_STEPS)
    if steps not in lengths:
        spec.fail(
            f"{where}.steps", f"must be one of the lengths, so that the page can replay it; got {steps}"
        )
    reference = spec.present(v, where, "reference")
    if not isinstance(reference, list):
        spec.fail(f"{where}.reference", "must be a list of settings")
    settings = []
    for i, setting in enumerate(reference):
        here = f"{where}.reference[{i}]"
        spec.mapping(setting, here)
        spec.known_fields(
            setting, here, {"surface", "optimizer", "hyperparameters", "start", "schedule", "sigma", "seed"}
        )
        if spec.surface_name(setting, here) not in starts:
            spec.fail(f"{here}.surface", "not one of the playground's surfaces")
        optimizer, resolved = spec.optimizer(setting, here)
        start = spec.point(setting, here, "start", 2)
        checked = {
            "surface": setting["surface"],
            "optimizer": optimizer,
            "hyperparameters": resolved,
            "start": start,
        }
        schedule = setting.get("schedule", "constant")
        if schedule not in schedules:
            spec.fail(
                f"{here}.schedule",
                f"not one of the schedules offered ({', '.join(schedules)}), got {schedule!r}",
            )
        sigma = setting.get("sigma", 0.0)
        if not spec.is_number(sigma) or not (sigma == 0 or noise[0] <= sigma <= noise[1]):
            spec.fail(
                f"{here}.sigma", f"must be 0 or a number from {noise[0]:g} to {noise[1]:g}, got {sigma!r}"
            )
        seed = setting.get("seed", 0)
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
            spec.fail(f"{here}.seed", f"must be a whole number from 0 to {MAX_SEED}, got {seed!r}")
        if schedule != "constant" or sigma != 0:  # a plain setting's recipe says nothing of either
            checked.update(schedule=schedule, sigma=float(sigma), seed=seed)
        settings.append(checked)
    recipe = {
        "title": title,
        "surfaces": starts,
        "grid": grid,
        "schedules": schedules,
        "lengths": lengths,
        "noise": noise,
        "steps": steps,
        "reference": settings,
    }
    if initial:
        recipe["initial"] = {key: float(value) for key, value in initial.items()}
    return Checked(recipe, title=title)


def _lengths(spec, v: dict, where: str) -> list[int]:
    lengths = spec.present(v, where, "lengths")
    if (
        not isinstance(lengths, list)
        or not lengths
        or not all(
            isinstance(n, int) and not isinstance(n, bool) and 2 <= n <= spec.MAX_STEPS for n in lengths
        )
        or lengths != sorted(set(lengths))
    ):
        spec.fail(
            f"{where}.lengths",
            f"must be whole numbers from 2 to {spec.MAX_STEPS}, ascending, got {lengths!r}",
        )
    return lengths


def _schedules(spec, v: dict, where: str, lengths: list[int]) -> list[str]:
    """The schedules offered, each of which must fit every race length at its defaults."""
    names = spec.present(v, where, "schedules")
    if not isinstance(names, list) or not names or len(set(map(str, names))) != len(names):
        spec.fail(f"{where}.schedules", f"must be a list of distinct schedule names, got {names!r}")
    for i, name in enumerate(names):
        if name not in SCHEDULES:
            spec.fail(f"{where}.schedules[{i}]", f"unknown schedule {name!r}; known: {', '.join(SCHEDULES)}")
        for steps in lengths:
            try:
                resolve_schedule(name, {}, steps)
            except HyperparameterError as e:
                spec.fail(f"{where}.schedules[{i}]", f"does not fit a race of {steps} steps: {e}")
    return list(names)


def _noise(spec, v: dict, where: str) -> list[float]:
    noise = spec.present(v, where, "noise")
    if (
        not isinstance(noise, list | tuple)
        or len(noise) != 2
        or not all(spec.is_number(x) and math.isfinite(x) for x in noise)
        or not 0 < noise[0] < noise[1]
    ):
        spec.fail(f"{where}.noise", f"must be the range [low, high] of σ, 0 < low < high, got {noise!r}")
    return [float(x) for x in noise]


def produce(planned, inputs) -> dict[str, bytes]:
    from descent.playground import playground_json, reference_json

    recipe = planned.spec.recipe
    dump = lambda value: (json.dumps(value, separators=(",", ":")) + "\n").encode()  # noqa: E731
    return {
        "playground.json": dump(playground_json(recipe)),
        "reference.json": dump(reference_json(recipe)),
        "recipe.json": recipe_json(planned, []),
    }


KIND = Kind(
    "playground",
    "playgrounds",
    check=check,
    produce=produce,
    versions=("numpy", "torch"),
    published=True,
    cost=2,
)
