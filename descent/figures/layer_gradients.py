"""Vanishing gradients: the norm of ``∂L/∂W`` per layer of deep networks that differ only in
their activation, on a log scale, at each recorded epoch; and their training losses."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures.theme import base_layout, f32, series_colour


def build(recipe: dict, networks: list) -> tuple[go.Figure, list[dict]]:
    fig = make_subplots(rows=1, cols=2, column_widths=[0.58, 0.42], horizontal_spacing=0.13)
    epochs = [int(e) for e in networks[0].arrays["record_epochs"]]
    default = 0  # at initialisation, before training has changed anything
    per_epoch: list[list[int]] = [[] for _ in epochs]
    for k, net in enumerate(networks):
        colour = series_colour(k)
        name = net.recipe["activation"]
        layers = np.arange(1, net.layers + 1)
        for r in range(len(epochs)):
            norms = [np.linalg.norm(net.arrays[f"layer{l}.weight_grad"][r]) for l in range(net.layers)]
            per_epoch[r].append(len(fig.data))
            fig.add_trace(go.Scatter(
                x=f32(layers), y=np.array(norms), mode="lines+markers", name=name, legendgroup=name,
                line={"color": colour, "width": 2}, marker={"size": 8, "color": colour},
                visible=r == default,
                hovertemplate=f"{name}<br>layer %{{x}}<br>‖∂L/∂W‖ = %{{y:.3g}}<extra></extra>",
            ), row=1, col=1)  # fmt: skip
        loss = net.arrays["loss_train"]
        fig.add_trace(go.Scatter(
            x=f32(np.arange(len(loss))), y=f32(loss), mode="lines", name=f"{name} loss", legendgroup=name,
            showlegend=False, line={"color": colour, "width": 2},
        ), row=1, col=2)  # fmt: skip
    fig.update_xaxes(title_text="layer (input side → output side)", dtick=1, row=1, col=1)
    fig.update_yaxes(title_text="‖∂L/∂W‖", type="log", exponentformat="power", row=1, col=1)
    fig.update_xaxes(title_text="epoch", row=1, col=2)
    fig.update_yaxes(title_text="training loss", row=1, col=2)
    fig.update_layout(base_layout(height=440))
    n = len(fig.data)
    always = [j for j in range(n) if not any(j in m for m in per_epoch)]
    options = [
        {"label": f"epoch {e}", "visible": [j in members or j in always for j in range(n)]}
        for e, members in zip(epochs, per_epoch, strict=True)
    ]
    return fig, [{"type": "select", "label": "Backward pass at", "default": default, "options": options}]
