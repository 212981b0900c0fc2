"""Contour plot of a surface with one gradient-descent path per input run, a selector to choose
the run (e.g. the learning rate) and a step slider."""

from __future__ import annotations

import plotly.graph_objects as go

from descent.figures import run_label
from descent.figures.theme import MINIMUM, PATH_COLOURS, POSITION, START, base_layout, f32
from descent.surfaces import get_surface

GRID = 160


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    surface = get_surface(recipe["surface"])
    (x0, x1), (y0, y1) = surface.domain
    xs, ys, z = surface.sample(GRID)
    fixed = [
        go.Contour(
            x=f32(xs), y=f32(ys), z=f32(z), name="L(w)", ncontours=24, showscale=False,
            colorscale="Blues", reversescale=True, opacity=0.85,
            contours={"coloring": "heatmap", "showlines": True},
            line={"width": 0.6}, hovertemplate="w₁=%{x:.2f}<br>w₂=%{y:.2f}<br>L=%{z:.3g}<extra></extra>",
        ),
        go.Scatter(
            x=f32([m.point[0] for m in surface.minima]), y=f32([m.point[1] for m in surface.minima]),
            mode="markers", name="minimum", marker={"color": MINIMUM, "size": 13, "symbol": "star"},
        ),
        go.Scatter(
            x=f32([runs[0].trajectory.params[0, 0]]), y=f32([runs[0].trajectory.params[0, 1]]),
            mode="markers", name="start", marker={"color": START, "size": 10, "symbol": "circle-open",
                                                   "line": {"width": 2}},
        ),
    ]  # fmt: skip
    paths, heads = [], []
    for i, run in enumerate(runs):
        p = run.trajectory.params
        colour = PATH_COLOURS[i % len(PATH_COLOURS)]
        paths.append(go.Scatter(
            x=f32(p[:, 0]), y=f32(p[:, 1]), mode="lines+markers", name=run_label(run),
            line={"color": colour, "width": 2}, marker={"size": 5, "color": colour},
            visible=i == recipe["default"],
        ))  # fmt: skip
        heads.append(go.Scatter(
            x=f32(p[:, 0]), y=f32(p[:, 1]), mode="markers", name="current step", showlegend=False,
            marker={"color": POSITION, "size": 12, "line": {"width": 1.5, "color": "#333"}},
            visible=i == recipe["default"],
        ))  # fmt: skip
    fig = go.Figure(fixed + paths + heads)
    fig.update_layout(base_layout(
        xaxis={"title": {"text": "w₁"}, "range": [x0, x1], "constrain": "domain"},
        yaxis={"title": {"text": "w₂"}, "range": [y0, y1], "scaleanchor": "x"},
    ))  # fmt: skip
    n_fixed, n = len(fixed), len(runs)
    steps = max(r.trajectory.steps for r in runs)
    controls = [
        {
            "type": "select",
            "label": "Learning rate",
            "default": recipe["default"],
            "options": [
                {
                    "label": run_label(r),
                    "visible": [True] * n_fixed + [j == i for j in range(n)] * 2,
                }
                for i, r in enumerate(runs)
            ],
        },
        {
            "type": "step",
            "label": "Step",
            "max": steps,
            "default": steps,
            "upto": list(range(n_fixed, n_fixed + n)),
            "at": list(range(n_fixed + n, n_fixed + 2 * n)),
        },
    ]
    return fig, controls
