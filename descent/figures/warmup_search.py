"""The warmup search: networks trained at a grid of peak learning rates with two schedules; where
each one's training loss ends, and how high it rose, against the peak rate, with the largest peak
that trains for each schedule marked."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from descent.figures.theme import base_layout, f32
from descent.optim.schedules import SCHEDULES

TRAINED = 0.1  # a run trains when its training loss ends below a tenth of its start


def trains(net) -> bool:
    loss = net.arrays["loss_train"]
    return bool(np.all(np.isfinite(loss)) and loss[-1] < TRAINED * loss[0])


def largest_trained(nets: list) -> float | None:
    rates = [n.recipe["hyperparameters"]["lr"] for n in nets if trains(n)]
    return max(rates) if rates else None


def build(recipe: dict, nets: list) -> tuple[go.Figure, list[dict]]:
    grouped: dict[str, list] = {}
    for net in nets:
        grouped.setdefault(net.recipe["schedule"]["name"], []).append(net)
    fig = go.Figure()
    for name, group in grouped.items():
        group = sorted(group, key=lambda n: n.recipe["hyperparameters"]["lr"])
        colour, label = SCHEDULES[name].colour, SCHEDULES[name].label
        peaks = [n.recipe["hyperparameters"]["lr"] for n in group]
        final = [float(n.arrays["loss_train"][-1]) for n in group]
        highest = [float(np.max(n.arrays["loss_train"])) for n in group]
        fig.add_trace(go.Scatter(
            x=f32(peaks), y=f32(final), mode="lines+markers", name=f"{label}: final loss", legendgroup=name,
            line={"color": colour, "width": 2}, marker={"size": 8, "color": colour},
            hovertemplate=f"{label}<br>peak η = %{{x:.3g}}<br>final training loss %{{y:.3g}}<extra></extra>",
        ))  # fmt: skip
        fig.add_trace(go.Scatter(
            x=f32(peaks), y=f32(highest), mode="lines", name=f"{label}: highest loss during training",
            legendgroup=name, line={"color": colour, "width": 1.5, "dash": "dot"},
            hovertemplate=f"{label}<br>peak η = %{{x:.3g}}<br>highest training loss %{{y:.3g}}"
            "<extra></extra>",
        ))  # fmt: skip
        best = largest_trained(group)
        if best is not None:
            fig.add_trace(go.Scatter(
                x=[best, best], y=[min(final) / 2, max(highest) * 2], mode="lines", legendgroup=name,
                name=f"{label}: largest peak that trains, {best:.2g}",
                line={"color": colour, "width": 1.5, "dash": "dash"}, hoverinfo="skip",
            ))  # fmt: skip
    start = float(nets[0].arrays["loss_train"][0])
    peaks = [n.recipe["hyperparameters"]["lr"] for n in nets]
    fig.add_trace(go.Scatter(
        x=[min(peaks), max(peaks)], y=[TRAINED * start] * 2, mode="lines",
        name=f"a tenth of the initial loss ({TRAINED * start:.3f})",
        line={"color": "#8e8e8e", "width": 1, "dash": "dash"}, hoverinfo="skip",
    ))  # fmt: skip
    layout = base_layout(height=520)
    layout["xaxis"] = {"type": "log", "title": {"text": "peak learning rate"}, "exponentformat": "power"}
    layout["yaxis"] = {"type": "log", "title": {"text": "training loss"}, "exponentformat": "power"}
    fig.update_layout(layout)
    return fig, []
