"""Loss planes side by side: for each input landscape, the loss on its plane around the trained
weights (the last recorded epoch), on one shared linear colour scale, so that a flat minimum
looks flat and a sharp one sharp. When the planes have several zoom radii, a select picks one
(the middle one first)."""

from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures.landscape_labels import network_label
from descent.figures.theme import POSITION, base_layout, f32


def panel_title(recipe: dict) -> str:
    network, _, rest = network_label(recipe).partition(", first layer")
    network = network.removesuffix(", plain directions")
    scaling = f"first layer{rest.removesuffix(', plain directions')} · " if rest else ""
    directions = "filter-normalized" if recipe["normalization"] == "filter" else "plain directions"
    return f"{network}<br>{scaling}{directions}"


def build(recipe: dict, landscapes: list) -> tuple[go.Figure, list[dict]]:
    cols = 2 if len(landscapes) > 1 else 1
    rows = math.ceil(len(landscapes) / cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[panel_title(r.recipe) for r in landscapes],
                        horizontal_spacing=0.14, vertical_spacing=0.2)  # fmt: skip
    fig.update_annotations(font_size=12)
    zooms = {len(r.recipe["radii"]) for r in landscapes}
    if len(zooms) != 1:
        raise ValueError("loss_planes: every input needs the same number of zoom radii")
    n_zooms = zooms.pop()
    default = n_zooms // 2
    per_zoom: list[list[int]] = [[] for _ in range(n_zooms)]
    for z in range(n_zooms):
        planes = [r.arrays["plane.loss"][-1, z] for r in landscapes]
        high = max(float(p.max()) for p in planes)
        for k, (run, plane) in enumerate(zip(landscapes, planes, strict=True)):
            coords = run.arrays["plane.coords"][z]
            per_zoom[z].append(len(fig.data))
            fig.add_trace(go.Contour(
                x=f32(coords), y=f32(coords), z=f32(plane), zmin=0.0, zmax=high, ncontours=20,
                colorscale="Viridis", showscale=k == 0, visible=z == default,
                colorbar={"title": {"text": "training loss", "side": "right"}, "len": 0.9},
                hovertemplate="a = %{x:.2f}<br>b = %{y:.2f}<br>loss %{z:.3g}<extra></extra>",
            ), row=k // cols + 1, col=k % cols + 1)  # fmt: skip
    for k in range(len(landscapes)):
        row, col = k // cols + 1, k % cols + 1
        fig.add_trace(go.Scatter(
            x=[0.0], y=[0.0], mode="markers", name="trained weights", showlegend=False,
            marker={"color": POSITION, "size": 10, "line": {"color": "black", "width": 1}},
            hovertemplate="trained weights<extra></extra>",
        ), row=row, col=col)  # fmt: skip
        fig.update_xaxes(title_text="a (direction 1)", row=row, col=col)
        fig.update_yaxes(title_text="b (direction 2)", row=row, col=col)
    fig.update_layout(base_layout(height=400 * rows + 80, showlegend=False))  # the caption names the dot
    if n_zooms == 1:
        return fig, []
    n = len(fig.data)
    markers = set(range(n - len(landscapes), n))
    radii = landscapes[0].recipe["radii"]
    options = [
        {"label": f"{r:g}", "visible": [j in members or j in markers for j in range(n)]}
        for r, members in zip(radii, per_zoom, strict=True)
    ]
    return fig, [{"type": "select", "label": "Zoom (a, b up to)", "default": default, "options": options}]
