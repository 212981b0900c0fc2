"""Minibatch runs under different schedules: the rate torch's scheduler set at every step, and the
full loss above the minimum per step (the mean over the seeds of each schedule), with the constant
rate's noise floor."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures.theme import base_layout, f32
from descent.optim.schedules import SCHEDULES

GAP_FLOOR = 1e-12
TAIL = 50  # the floor is the mean over the last 50 steps


def by_schedule(runs: list) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for run in runs:
        grouped.setdefault(run.recipe["schedule"]["name"], []).append(run)
    return grouped


def excess(run) -> np.ndarray:
    return run.loss - run.problem.loss(run.problem.minimum())


def final_excess(runs: list) -> float:
    """The mean over runs of the mean loss above the minimum over their last ``TAIL`` points."""
    return float(np.mean([excess(r)[-TAIL:].mean() for r in runs]))


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    grouped = by_schedule(runs)
    fig = make_subplots(rows=2, cols=1, row_heights=[0.35, 0.65], vertical_spacing=0.1, shared_xaxes=True)
    for name, group in grouped.items():
        colour, label = SCHEDULES[name].colour, SCHEDULES[name].label
        fig.add_trace(go.Scatter(
            y=f32(group[0].rates), mode="lines", name=label, legendgroup=name,
            line={"color": colour, "width": 2},
            hovertemplate=f"{label}<br>step %{{x}}<br>η = %{{y:.4g}}<extra></extra>",
        ), row=1, col=1)  # fmt: skip
        mean = np.mean([excess(r) for r in group], axis=0)
        fig.add_trace(go.Scatter(
            y=f32(np.maximum(mean, GAP_FLOOR)), mode="lines", name=f"{label}, loss", legendgroup=name,
            showlegend=False, line={"color": colour, "width": 1.5},
            hovertemplate=f"{label}<br>step %{{x}}<br>L − L* = %{{y:.3g}} (mean of {len(group)} seeds)"
            "<extra></extra>",
        ), row=2, col=1)  # fmt: skip
    if "constant" in grouped:
        floor = final_excess(grouped["constant"])
        steps = len(grouped["constant"][0].rates)
        fig.add_trace(go.Scatter(
            x=[0, steps], y=[floor, floor], mode="lines", name=f"constant rate's noise floor {floor:.3g}",
            line={"color": "#8e8e8e", "width": 1.5, "dash": "dash"}, hoverinfo="skip",
        ), row=2, col=1)  # fmt: skip
    fig.update_layout(base_layout(height=640))
    fig.update_yaxes(title_text="learning rate", row=1, col=1)
    fig.update_xaxes(title_text="step", row=2, col=1)
    fig.update_yaxes(
        type="log", title_text="L − L* (mean of the seeds)", exponentformat="power", row=2, col=1
    )
    return fig, []
