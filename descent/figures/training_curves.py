"""Tiny networks trained on one dataset with different batch sizes: the training and test loss per
epoch, and the training loss against optimizer steps (an epoch of batches of B is N/B steps)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures.theme import base_layout, f32, ramp_colour


def batch_label(net) -> str:
    n_train = len(net.arrays["y_train"])
    b = net.recipe.get("batch", n_train)
    return f"whole training set ({n_train})" if b == n_train else f"batches of {b}"


def build(recipe: dict, nets: list) -> tuple[go.Figure, list[dict]]:
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12)
    for i, net in enumerate(nets):
        a, colour, label = net.arrays, ramp_colour(i, len(nets)), batch_label(net)
        epochs = len(a["loss_train"]) - 1
        per_epoch = len(a["rates"]) // max(epochs, 1)
        fig.add_trace(go.Scatter(
            y=f32(a["loss_train"]), mode="lines", name=label, legendgroup=label,
            line={"color": colour, "width": 2},
            hovertemplate=f"{label}<br>epoch %{{x}}<br>training loss %{{y:.4f}}<extra></extra>",
        ), row=1, col=1)  # fmt: skip
        fig.add_trace(go.Scatter(
            y=f32(a["loss_test"]), mode="lines", name=f"{label}, test", legendgroup=label, showlegend=False,
            line={"color": colour, "width": 1.5, "dash": "dot"},
            hovertemplate=f"{label}<br>epoch %{{x}}<br>test loss %{{y:.4f}}<extra></extra>",
        ), row=1, col=1)  # fmt: skip
        fig.add_trace(go.Scatter(
            x=f32(np.arange(epochs + 1) * per_epoch), y=f32(a["loss_train"]), mode="lines",
            name=f"{label}, per step", legendgroup=label, showlegend=False,
            line={"color": colour, "width": 2},
            hovertemplate=f"{label}<br>step %{{x}}<br>training loss %{{y:.4f}}<extra></extra>",
        ), row=1, col=2)  # fmt: skip
    fig.update_layout(base_layout(height=460))
    fig.update_xaxes(title_text="epoch (solid: training loss, dotted: test loss)", row=1, col=1)
    fig.update_yaxes(
        type="log", title_text="loss (binary cross-entropy)", exponentformat="power", row=1, col=1
    )
    fig.update_xaxes(type="log", title_text="optimizer steps", row=1, col=2)
    fig.update_yaxes(type="log", title_text="training loss", exponentformat="power", row=1, col=2)
    return fig, []
