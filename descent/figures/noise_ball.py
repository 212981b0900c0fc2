"""The noisy ball: SGD started at the minimum of a regression, at several rates and batch sizes;
the mean squared distance of its iterates from the minimum against η/B · (N − B)/(N − 1), on
log axes, with the least-squares line (its slope is what the lesson states)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from descent.figures.theme import base_layout, f32, ramp_colour

BURN_SHARE = 6  # the first sixth of every run is left out: it starts at the minimum, the ball forms


def spread(run) -> float:
    """Mean |w − w*|² over the run after its first sixth."""
    burn = (len(run.params) - 1) // BURN_SHARE
    tail = run.params[burn + 1 :] - run.problem.minimum()
    return float(np.mean(np.sum(tail**2, axis=1)))


def noise_level(run) -> float:
    """η/B · (N − B)/(N − 1): the rate times the sampling formula's factor."""
    lr, b, n = run.recipe["hyperparameters"]["lr"], run.recipe["batch"], run.problem.n
    return lr / b * (n - b) / (n - 1)


def fit(runs: list) -> tuple[float, float]:
    """Slope and intercept of log spread against log noise level, least squares."""
    x = np.log([noise_level(r) for r in runs])
    y = np.log([spread(r) for r in runs])
    slope, intercept = np.polyfit(x, y, 1)
    return float(slope), float(intercept)


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    batches = sorted({r.recipe["batch"] for r in runs})
    rates = sorted({r.recipe["hyperparameters"]["lr"] for r in runs})
    symbols = ["circle", "square", "diamond", "triangle-up", "cross"]
    fig = go.Figure()

    def symbol(run) -> str:
        return symbols[rates.index(run.recipe["hyperparameters"]["lr"]) % len(symbols)]

    for i, b in enumerate(batches):
        group = [r for r in runs if r.recipe["batch"] == b]
        fig.add_trace(go.Scatter(
            x=f32([noise_level(r) for r in group]), y=f32([spread(r) for r in group]), mode="markers",
            name=f"B = {b}", marker={
                "color": ramp_colour(i, len(batches)), "size": 11,
                "symbol": [symbol(r) for r in group],
            },
            text=[f"η = {r.recipe['hyperparameters']['lr']:g}" for r in group],
            hovertemplate=f"B = {b}, %{{text}}<br>η/B·(N−B)/(N−1) = %{{x:.3g}}<br>mean |w − w*|² = %{{y:.3g}}"
            "<extra></extra>",
        ))  # fmt: skip
    for k, lr in enumerate(rates):  # the legend's key to the marker shapes
        fig.add_trace(go.Scatter(
            x=[], y=[], mode="markers", name=f"η = {lr:g}",
            marker={"color": "#8e8e8e", "size": 10, "symbol": symbols[k % len(symbols)]},
        ))  # fmt: skip
    slope, intercept = fit(runs)
    x = np.geomspace(min(noise_level(r) for r in runs), max(noise_level(r) for r in runs), 20)
    fig.add_trace(go.Scatter(
        x=f32(x), y=f32(np.exp(intercept) * x**slope), mode="lines", name=f"fit: slope {slope:.3f}",
        line={"color": "#c0392b", "width": 2, "dash": "dash"}, hoverinfo="skip",
    ))  # fmt: skip
    layout = base_layout(height=480)
    layout["xaxis"] = {
        "type": "log",
        "title": {"text": "η / B · (N − B) / (N − 1)"},
        "exponentformat": "power",
    }
    layout["yaxis"] = {"type": "log", "title": {"text": "mean |w − w*|² after the first sixth"},
                       "exponentformat": "power"}  # fmt: skip
    fig.update_layout(layout)
    return fig, []
