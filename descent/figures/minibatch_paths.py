"""Minibatch runs on one regression: the full loss's contours with one run's path at a time (a
selector for the batch size, a step slider), and every run's loss above the minimum per step."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures import at_step, step_control
from descent.figures.theme import MINIMUM, POSITION, START, base_layout, f32, ramp_colour

GRID = 120
GAP_FLOOR = 1e-12  # a log axis cannot show 0


def bounds(runs: list, best: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """A square around every path and the minimum, with a margin."""
    points = np.vstack([r.params for r in runs] + [best[None]])
    centre = (points.max(0) + points.min(0)) / 2
    half = 0.6 * float(np.max(points.max(0) - points.min(0))) + 0.1
    return (centre[0] - half, centre[0] + half), (centre[1] - half, centre[1] + half)


def batch_label(run) -> str:
    b, n = run.recipe["batch"], run.problem.n
    return f"all {n} points" if b == n else f"B = {b}"


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    problem = runs[0].problem
    best = problem.minimum()
    floor = problem.loss(best)
    (a0, a1), (b0, b1) = box = bounds(runs, best)
    z = problem.surface(box, GRID)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.1)
    fixed = [
        go.Contour(
            x=f32(np.linspace(a0, a1, GRID)), y=f32(np.linspace(b0, b1, GRID)), z=f32(z), name="L(w)",
            ncontours=20, showscale=False, colorscale="Blues", reversescale=True, opacity=0.85,
            contours={"coloring": "heatmap", "showlines": True}, line={"width": 0.6},
            hovertemplate="w₁=%{x:.2f}<br>w₂=%{y:.2f}<br>L=%{z:.3g}<extra></extra>",
        ),
        go.Scatter(x=f32(best[:1]), y=f32(best[1:]), mode="markers", name="minimum of the full loss",
                   marker={"color": MINIMUM, "size": 13, "symbol": "star"}),
        go.Scatter(x=f32(runs[0].params[:1, 0]), y=f32(runs[0].params[:1, 1]), mode="markers", name="start",
                   marker={"color": START, "size": 10, "symbol": "circle-open", "line": {"width": 2}}),
    ]  # fmt: skip
    for trace in fixed:
        fig.add_trace(trace, row=1, col=1)
    for i, run in enumerate(runs):  # every run's loss above the minimum, always shown
        fig.add_trace(go.Scatter(
            y=f32(np.maximum(run.loss - floor, GAP_FLOOR)), mode="lines", name=batch_label(run),
            line={"color": ramp_colour(i, len(runs)), "width": 1.5}, legendgroup=str(i),
            hovertemplate=f"{batch_label(run)}<br>step %{{x}}<br>L − L* = %{{y:.3g}}<extra></extra>",
        ), row=1, col=2)  # fmt: skip
    n_fixed, n = len(fixed) + len(runs), len(runs)
    steps = max(len(r.params) - 1 for r in runs)
    default = recipe["default"]
    for i, run in enumerate(runs):
        p, colour = run.params, ramp_colour(i, len(runs))
        fig.add_trace(go.Scatter(
            x=f32(p[:, 0]), y=f32(p[:, 1]), mode="lines+markers", name=f"path, {batch_label(run)}",
            line={"color": colour, "width": 1.5}, marker={"size": 4, "color": colour},
            visible=i == default, showlegend=False,
        ), row=1, col=1)  # fmt: skip
    for i, run in enumerate(runs):
        p = run.params
        fig.add_trace(go.Scatter(
            x=at_step(p[:, 0], steps), y=at_step(p[:, 1], steps), mode="markers", name="current step",
            showlegend=False, visible=i == default,
            marker={"color": POSITION, "size": 12, "line": {"width": 1.5, "color": "#333"}},
        ), row=1, col=1)  # fmt: skip
    layout = base_layout(height=520)
    fig.update_layout(layout)
    fig.update_xaxes(title_text="w₁ (slope)", range=[a0, a1], constrain="domain", row=1, col=1)
    fig.update_yaxes(title_text="w₂ (intercept)", range=[b0, b1], scaleanchor="x", row=1, col=1)
    fig.update_xaxes(title_text="step", row=1, col=2)
    fig.update_yaxes(type="log", title_text="L − L* (full loss above its minimum)", exponentformat="power",
                     row=1, col=2)  # fmt: skip
    choose = {
        "type": "select",
        "label": "Batch size",
        "default": default,
        "options": [
            {"label": batch_label(r), "visible": [True] * n_fixed + [j == i for j in range(n)] * 2}
            for i, r in enumerate(runs)
        ],
    }
    return fig, [choose, step_control(n_fixed, n, steps)]
