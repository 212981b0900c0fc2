"""Contour plot of a surface with one optimizer path per input run, selectors to choose the run
and a step slider.

The selectors are the fields in which the runs differ (the optimizer, the learning rate, β, ...):
one field gives a plain select; several give a ``grid`` control, one select per field, whose
combination picks the run.
"""

from __future__ import annotations

import plotly.graph_objects as go

from descent.figures import at_step, run_label, step_control
from descent.figures.plane import axes, background, wide_range
from descent.figures.theme import POSITION, base_layout, f32, optimizer_styles
from descent.optim import style_of
from descent.surfaces import get_surface

# How a varying field is named on its selector.
FIELD_LABELS = {
    "optimizer": "Optimizer",
    "lr": "Learning rate",
    "momentum": "β (momentum)",
    "beta1": "β₁",
    "beta2": "β₂",
    "eps": "ε",
    "weight_decay": "Weight decay",
    "alpha": "α",
}


def run_fields(run) -> dict:
    return {"optimizer": run.recipe["optimizer"], **run.recipe["hyperparameters"]}


def varying_fields(runs: list) -> list[str]:
    """The fields that differ among the runs, the slowest-changing (in input order) first."""
    rows = [run_fields(r) for r in runs]
    shared = [k for k in rows[0] if all(k in row for row in rows)]  # e.g. Nesterov has no dampening
    varying = [k for k in shared if len({row[k] for row in rows}) > 1]

    def stride(key: str) -> int:
        n = 1
        while n < len(rows) and rows[n].get(key) == rows[0].get(key):
            n += 1
        return n

    return sorted(varying, key=lambda k: -stride(k))


def option_label(field: str, value) -> str:
    if field == "optimizer":
        return style_of(value).label
    return f"{value:g}"


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    surface = get_surface(recipe["surface"])
    fixed = background(surface, runs[0].trajectory.params[0], log_levels=wide_range(surface))
    steps = max(r.trajectory.steps for r in runs)
    styles = optimizer_styles(runs)  # each path in its optimizer's colour, one path shown at a time
    paths, heads = [], []
    for i, run in enumerate(runs):
        p = run.trajectory.params
        colour = styles[run.recipe["optimizer"]].colour
        shown = i == recipe["default"]
        paths.append(go.Scatter(
            x=f32(p[:, 0]), y=f32(p[:, 1]), mode="lines+markers", name=describe(run, runs),
            line={"color": colour, "width": 2}, marker={"size": 5, "color": colour}, visible=shown,
        ))  # fmt: skip
        heads.append(go.Scatter(
            x=at_step(p[:, 0], steps), y=at_step(p[:, 1], steps), mode="markers", name="current step",
            showlegend=False,
            marker={"color": POSITION, "size": 12, "line": {"width": 1.5, "color": "#333"}}, visible=shown,
        ))  # fmt: skip
    fig = go.Figure(fixed + paths + heads)
    fig.update_layout(base_layout(**axes(surface)))
    n_fixed, n = len(fixed), len(runs)
    step = step_control(n_fixed, n, steps)
    fields = varying_fields(runs) or ["lr"]
    if len(fields) == 1:
        choose = {
            "type": "select",
            "label": FIELD_LABELS.get(fields[0], fields[0]),
            "default": recipe["default"],
            "options": [
                {"label": run_label(r), "visible": [True] * n_fixed + [j == i for j in range(n)] * 2}
                for i, r in enumerate(runs)
            ],
        }
        return fig, [choose, step]
    return fig, [grid_control(recipe, runs, fields, n_fixed), step]


def grid_control(recipe: dict, runs: list, fields: list[str], n_fixed: int) -> dict:
    """One select per field; ``runs`` maps each combination of option indices ("i,j,k") to the
    traces of its run. A combination that was not run shows no path."""
    n = len(runs)
    values = {f: list(dict.fromkeys(run_fields(r)[f] for r in runs)) for f in fields}
    combos = {}
    for i, r in enumerate(runs):
        key = ",".join(str(values[f].index(run_fields(r)[f])) for f in fields)
        combos[key] = i
    default = runs[recipe["default"]]
    return {
        "type": "grid",
        "dims": [
            {
                "label": FIELD_LABELS.get(f, f),
                "options": [option_label(f, v) for v in values[f]],
                "default": values[f].index(run_fields(default)[f]),
            }
            for f in fields
        ],
        "fixed": list(range(n_fixed)),
        "traces": [[n_fixed + i, n_fixed + n + i] for i in range(n)],
        "combos": combos,
    }


def describe(run, runs: list) -> str:
    """The legend entry of a run: the values of the fields that vary, and its fate."""
    fields = varying_fields(runs)
    if fields in ([], ["lr"]):
        return run_label(run)
    parts = [f"{FIELD_LABELS.get(f, f)} = {option_label(f, run_fields(run)[f])}" for f in fields]
    return run_label(run, ", ".join(p.replace("Optimizer = ", "") for p in parts))
