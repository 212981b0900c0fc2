"""The 1-D view of a landscape: the loss on the straight line from a network's initial weights
(α = 0) to its trained weights (α = 1), and a little beyond both, for each input network."""

from __future__ import annotations

import plotly.graph_objects as go

from descent.figures.landscape_labels import network_label
from descent.figures.theme import base_layout, f32, series_colour


def build(recipe: dict, landscapes: list) -> tuple[go.Figure, list[dict]]:
    fig = go.Figure()
    for k, run in enumerate(landscapes):
        a = run.arrays
        colour = series_colour(k)
        label = network_label(run.recipe)
        fig.add_trace(go.Scatter(
            x=f32(a["interpolation.alpha"]), y=f32(a["interpolation.loss"]), mode="lines", name=label,
            line={"color": colour, "width": 2},
            hovertemplate=f"{label}<br>α = %{{x:.2f}}<br>loss %{{y:.3g}}<extra></extra>",
        ))  # fmt: skip
    for alpha, text in ((0, "initial weights"), (1, "trained weights")):
        fig.add_vline(x=alpha, line={"dash": "dot", "width": 1}, annotation_text=text)
    fig.update_xaxes(title_text="α: weights (1 − α) θ₀ + α θ_trained")
    fig.update_yaxes(title_text="training loss (log scale)", type="log", exponentformat="power")
    fig.update_layout(base_layout(height=440))
    return fig, []
