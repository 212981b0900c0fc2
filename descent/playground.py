"""The optimizer playground's data: the browser's copy of the surfaces and optimizers, and the
PyTorch trajectories its in-page optimizers are checked against.

``playground.json`` carries, for every 2-D surface the playground offers, its formula's family
and constants, domain, default start, minima and how many points per side to draw; for every
optimizer its label, colour, marker and hyperparameters (read from ``descent.optim.OPTIMIZERS``).
The numbers come from the engine itself, so the page has no second copy of them. The page's engine
samples the grid it draws from the formula (a few kilobytes of data instead of 0.4 MB); the tests
hold its samples to ``Surface.sample``'s.

It also carries the learning-rate schedules the page offers (each with its label and its
parameters' defaults, read from ``descent.optim.schedules.SCHEDULES``), the race lengths a schedule
may span, and the range of the gradient noise's σ.

``reference.json`` carries real ``torch.optim`` trajectories (``descent.trajectory.record`` with
the torch backend) at every setting the lessons run on those surfaces, and at settings with a
schedule (spanning the ``steps`` recorded) and seeded gradient noise (``scheduled_noisy_run``:
torch's ``lr_scheduler`` and ``descent.noise``). Each setting also says how sensitive it is to
rounding: the step at which the engine's numpy reference optimizer, started one unit in the last
place away, departs from its own trajectory from the true start by more than ``TOLERANCE`` (-1 if
it never does within the steps). On a chaotic run no two correct
implementations can agree for long after that step. (The numpy backend measures this as torch
would, at a tenth of the cost: it is a property of the setting, not of the implementation. A
setting with a schedule or noise is measured with torch itself, which alone runs those.)
"""

from __future__ import annotations

import base64

import numpy as np

from descent.optim import OPTIMIZERS, make_optimizer, resolve_hyperparameters
from descent.optim.schedules import SCHEDULES
from descent.surfaces import get_surface
from descent.trajectory import ESCAPE_WIDTHS, ends_run, record

# 2: a surface's grid is its number of points per side, no longer its values;
# 3: an optimizer carries its label, colour, marker and each hyperparameter's symbol, label and range;
# 4: the schedules offered (label, parameters), the race lengths, the gradient noise's range; a
#    reference run says its schedule, noise and seed.
FORMAT = 4
TOLERANCE = 1e-9


def surface_json(name: str, start: list[float], grid: int) -> dict:
    s = get_surface(name)
    if s.dim != 2:
        raise ValueError(f"the playground draws 2-D surfaces; {name!r} has {s.dim} dimension(s)")
    return {
        "name": s.name,
        "title": s.title,
        "latex": s.latex,
        "family": s.family,
        "params": s.params,
        "domain": [list(d) for d in s.domain],
        "start": list(start),
        "grid": grid,
        "minima": [list(c.point) for c in s.minima],
    }


def optimizers_json() -> list[dict]:
    """Every optimizer as the page shows and drives it: its label, colour and marker, and each
    hyperparameter's default, meaning, symbol, label and slider range (``None``: no slider). One
    that cannot step a point (Muon steps weight matrices) says why (``unavailable``): the page
    lists it with that reason and does not run it."""
    return [
        {
            **_unavailable(entry),
            "name": entry.name,
            "label": entry.label,
            "colour": entry.colour,
            "marker": entry.marker,
            "hyperparameters": {
                key: {
                    "default": hp.default,
                    "meaning": hp.meaning,
                    "symbol": hp.symbol,
                    "label": hp.label,
                    "range": list(hp.range) if hp.range else None,
                    "scale": hp.scale,
                }
                for key, hp in entry.hyperparameters.items()
            },
        }
        for entry in OPTIMIZERS.values()
    ]


def _unavailable(entry) -> dict:
    return {"unavailable": entry.matrices_only} if entry.matrices_only else {}


def schedules_json(names: list[str]) -> list[dict]:
    """The schedules ``names`` as the page offers them: each one's label, and its parameters'
    defaults (the page runs every schedule at its defaults), meanings, symbols and labels."""
    return [
        {
            "name": name,
            "label": SCHEDULES[name].label,
            "parameters": {
                key: {"default": hp.default, "meaning": hp.meaning, "symbol": hp.symbol, "label": hp.label}
                for key, hp in SCHEDULES[name].parameters.items()
            },
        }
        for name in names
    ]


def departure(a: np.ndarray, b: np.ndarray, tolerance: float = TOLERANCE) -> int:
    """The first step at which points ``a[k]`` and ``b[k]`` differ by more than ``tolerance``
    relative to the larger coordinate of ``b[k]``, or -1 (over the steps both have)."""
    n = min(len(a), len(b))
    diff = np.max(np.abs(a[:n] - b[:n]), axis=-1)
    scale = np.max(np.abs(b[:n]), axis=-1)
    bad = np.nonzero(diff > tolerance * scale)[0]
    return int(bad[0]) if len(bad) else -1


def reference_run(setting: dict, steps: int) -> dict:
    """The torch trajectory of ``setting`` over ``steps`` steps, with the steps at which it
    diverged and left the plotted domain, and how sensitive it is to rounding. A setting may name
    a ``schedule`` (spanning the ``steps``, at its default parameters) and gradient noise
    (``sigma``, ``seed``)."""
    surface = get_surface(setting["surface"])
    hp = resolve_hyperparameters(setting["optimizer"], setting["hyperparameters"])
    schedule, sigma, seed = (
        setting.get("schedule", "constant"),
        setting.get("sigma", 0.0),
        setting.get("seed", 0),
    )
    nudged_start = np.nextafter(np.array(setting["start"], dtype=np.float64), np.inf)
    if schedule == "constant" and sigma == 0:
        run = record(surface, make_optimizer(setting["optimizer"], hp), setting["start"], steps)
        params, diverged_step, left_domain_step = run.params, run.diverged_step, run.left_domain_step
        same = record(surface, make_optimizer(setting["optimizer"], hp, "reference"), setting["start"], steps)
        nudged = record(surface, make_optimizer(setting["optimizer"], hp, "reference"), nudged_start, steps)
        sensitive_from = departure(nudged.params, same.params)
    else:
        run_of = lambda start: scheduled_noisy_run(  # noqa: E731
            {**setting, "hyperparameters": hp, "start": list(start)}, steps, (schedule, {}), sigma, seed
        )
        params = run_of(setting["start"])
        diverged_step = len(params) - 1 if len(params) - 1 < steps else -1
        outside = [k for k in range(1, len(params)) if not surface.contains(params[k])]
        left_domain_step = outside[0] - 1 if outside else -1
        sensitive_from = departure(run_of(nudged_start), params)
    return {
        **setting,
        "hyperparameters": hp,
        "schedule": schedule,
        "sigma": float(sigma),
        "seed": int(seed),
        "params": base64.b64encode(params.astype("<f8").tobytes()).decode(),
        "diverged_step": diverged_step,
        "left_domain_step": left_domain_step,
        "sensitive_from": sensitive_from,
    }


def scheduled_noisy_run(
    setting: dict,
    steps: int,
    schedule: tuple[str, dict] = ("constant", {}),
    sigma: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """The points of ``setting`` run by its ``torch.optim`` optimizer with its rate set by a
    ``torch.optim.lr_scheduler`` of the schedules' registry and ``sigma`` times the shared seeded
    deviate (``descent.noise``) added to each gradient coordinate: what the page replays with
    the same settings. Stops before the first point that is not finite or escapes, as runs do."""
    import torch

    from descent.noise import gaussian
    from descent.optim.schedules import torch_scheduler
    from descent.optim.torch_backend import torch_optimizer

    surface = get_surface(setting["surface"])
    hp = resolve_hyperparameters(setting["optimizer"], setting["hyperparameters"])
    w = torch.nn.Parameter(torch.tensor(setting["start"], dtype=torch.float64))
    optimizer = torch_optimizer(OPTIMIZERS[setting["optimizer"]], [w], hp)
    scheduler = torch_scheduler(optimizer, *schedule, steps)
    points = [w.detach().numpy().copy()]
    for k in range(steps):
        g = surface.grad(points[-1])
        w.grad = torch.tensor(g + sigma * np.array([gaussian(seed, k, i) for i in range(len(g))]))
        optimizer.step()
        scheduler.step()
        x = w.detach().numpy().copy()
        if ends_run(surface, x, float(surface.value(x))):
            break
        points.append(x)
    return np.array(points)


def playground_json(recipe: dict) -> dict:
    """What the page draws from: the surfaces, the optimizers and where the sliders start, the
    schedules and race lengths it offers and the range of its gradient noise."""
    return {
        "format": FORMAT,
        "title": recipe["title"],
        "surfaces": [surface_json(name, start, recipe["grid"]) for name, start in recipe["surfaces"].items()],
        "optimizers": optimizers_json(),
        "initial": recipe.get("initial", {}),
        "schedules": schedules_json(recipe["schedules"]),
        "lengths": list(recipe["lengths"]),
        "noise": {"range": list(recipe["noise"])},
        "escape_widths": ESCAPE_WIDTHS,
    }


def reference_json(recipe: dict) -> dict:
    """The torch.optim runs the page's optimizers are checked against."""
    return {
        "format": FORMAT,
        "steps": recipe["steps"],
        "tolerance": TOLERANCE,
        "runs": [reference_run(s, recipe["steps"]) for s in recipe["reference"]],
    }
