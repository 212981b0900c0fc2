"""The optimizer playground's data: its 2-D surfaces with their default starts, the optimizers and
their hyperparameters from the registry, and the torch.optim runs its in-page optimizers are
checked against (``descent.playground``)."""

from __future__ import annotations

import json
import math

from descent.downloads import recipe_json
from descent.kinds import Checked, Kind
from descent.optim import OPTIMIZERS
from descent.surfaces import get_surface


def check(spec, where: str, v: dict) -> Checked:
    """``surfaces`` (name -> default start), ``grid`` (points per side drawn), ``initial``
    (where sliders start for hyperparameters without a default), and the settings whose
    torch.optim trajectories the page is checked against (``reference``, ``steps`` each)."""
    spec.known_fields(v, where, {"title", "surfaces", "grid", "initial", "steps", "reference"})
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
    steps = spec.integer(v, where, "steps", 1, spec.MAX_STEPS)
    reference = spec.present(v, where, "reference")
    if not isinstance(reference, list):
        spec.fail(f"{where}.reference", "must be a list of settings")
    settings = []
    for i, setting in enumerate(reference):
        here = f"{where}.reference[{i}]"
        spec.mapping(setting, here)
        spec.known_fields(setting, here, {"surface", "optimizer", "hyperparameters", "start"})
        if spec.surface_name(setting, here) not in starts:
            spec.fail(f"{here}.surface", "not one of the playground's surfaces")
        optimizer, resolved = spec.optimizer(setting, here)
        start = spec.point(setting, here, "start", 2)
        settings.append({"surface": setting["surface"], "optimizer": optimizer,
                         "hyperparameters": resolved, "start": start})  # fmt: skip
    recipe = {"title": title, "surfaces": starts, "grid": grid, "steps": steps, "reference": settings}
    if initial:
        recipe["initial"] = {key: float(value) for key, value in initial.items()}
    return Checked(recipe, title=title)


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
