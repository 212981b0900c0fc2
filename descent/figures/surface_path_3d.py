"""A rotatable 3-D surface with the optimizer's path on it and a step slider."""

from __future__ import annotations

import plotly.graph_objects as go

from descent.figures import at_step, run_label
from descent.figures.theme import MINIMUM, POSITION, SURFACE_SCALE, f32, optimizer_styles, surface_layout
from descent.surfaces import get_surface

GRID = 60


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    surface = get_surface(recipe["surface"])
    (x0, x1), (y0, y1) = surface.domain
    xs, ys, z = surface.sample(GRID)
    run = runs[recipe["default"]]
    p = run.trajectory.params
    lift = 0.01 * float(z.max() - z.min())  # keep the path visible just above the surface
    path_z = run.trajectory.loss + lift
    minimum = surface.global_minimum
    steps = run.trajectory.steps
    colour = optimizer_styles([run])[run.recipe["optimizer"]].colour
    fig = go.Figure([
        go.Surface(
            x=f32(xs), y=f32(ys), z=f32(z), name="L(w)", colorscale=SURFACE_SCALE, showscale=False,
            opacity=0.9, contours={"z": {"show": True, "usecolormap": True, "project": {"z": True}}},
            hovertemplate="w₁=%{x:.2f}<br>w₂=%{y:.2f}<br>L=%{z:.3g}<extra></extra>",
        ),
        go.Scatter3d(
            x=[minimum.point[0]], y=[minimum.point[1]], z=[minimum.value + lift], mode="markers",
            name="minimum", marker={"color": MINIMUM, "size": 6, "symbol": "diamond"},
        ),
        go.Scatter3d(
            x=f32(p[:, 0]), y=f32(p[:, 1]), z=f32(path_z), mode="lines+markers", name=run_label(run),
            line={"color": colour, "width": 5}, marker={"size": 3, "color": colour},
        ),
        go.Scatter3d(
            x=at_step(p[:, 0], steps), y=at_step(p[:, 1], steps), z=at_step(path_z, steps),
            mode="markers", name="current step", marker={"color": POSITION, "size": 7},
        ),
    ])  # fmt: skip
    fig.update_layout(surface_layout())
    return fig, [{"type": "step", "label": "Step", "max": steps, "default": steps,
                  "upto": [2], "at": [3], "follows": [2]}]  # fmt: skip
