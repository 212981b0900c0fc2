"""Loss planes side by side: for each input landscape, the loss on its plane at the largest zoom
radius, around the trained weights (the last recorded epoch), on one shared colour scale."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures.landscape_labels import network_label
from descent.figures.theme import POSITION, base_layout, f32


def build(recipe: dict, landscapes: list) -> tuple[go.Figure, list[dict]]:
    cols = 2 if len(landscapes) > 1 else 1
    rows = math.ceil(len(landscapes) / cols)
    titles = [
        f"{network_label(r.recipe)}, {'filter-normalized' if r.recipe['normalization'] == 'filter' else ''}"
        .rstrip(", ")
        for r in landscapes
    ]  # fmt: skip
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.12,
                        vertical_spacing=0.16)  # fmt: skip
    planes = [np.log10(np.maximum(r.arrays["plane.loss"][-1, -1], 1e-6)) for r in landscapes]
    low, high = min(p.min() for p in planes), max(p.max() for p in planes)
    for k, (run, z) in enumerate(zip(landscapes, planes, strict=True)):
        row, col = k // cols + 1, k % cols + 1
        coords = run.arrays["plane.coords"][-1]
        fig.add_trace(go.Contour(
            x=f32(coords), y=f32(coords), z=f32(z), zmin=low, zmax=high, ncontours=24,
            colorscale="Viridis", showscale=k == 0,
            colorbar={"title": {"text": "log₁₀ loss", "side": "right"}, "len": 0.9},
            hovertemplate="a = %{x:.2f}<br>b = %{y:.2f}<br>log₁₀ loss %{z:.2f}<extra></extra>",
            showlegend=False,
        ), row=row, col=col)  # fmt: skip
        fig.add_trace(go.Scatter(
            x=[0.0], y=[0.0], mode="markers", name="trained weights", showlegend=k == 0,
            marker={"color": POSITION, "size": 10, "line": {"color": "black", "width": 1}},
            hovertemplate="trained weights<extra></extra>",
        ), row=row, col=col)  # fmt: skip
        fig.update_xaxes(title_text="a (direction 1)", row=row, col=col)
        fig.update_yaxes(title_text="b (direction 2)", row=row, col=col)
    fig.update_layout(base_layout(height=380 * rows + 80))
    return fig, []
