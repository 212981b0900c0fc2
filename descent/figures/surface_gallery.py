"""A rotatable 3-D view of sampled surfaces, one at a time, with the critical points the engine
found on each: minima, saddles and maxima, by the eigenvalues of the Hessian."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from descent.figures.theme import MINIMUM, SURFACE_SCALE, f32, surface_layout

KINDS = {  # kind -> (legend name, colour, marker symbol)
    "minimum": ("minimum", MINIMUM, "diamond"),
    "saddle": ("saddle point", "#f28e2b", "square"),
    "maximum": ("maximum", "#e4572e", "circle"),
    "degenerate": ("degenerate critical point", "#8e8e8e", "x"),
}


def build(recipe: dict, surfaces: list) -> tuple[go.Figure, list[dict]]:
    traces, groups = [], []
    for i, s in enumerate(surfaces):
        shown = i == recipe["default"]
        lift = 0.01 * float(np.ptp(s.z))  # markers sit just above the surface
        members = [len(traces)]
        traces.append(go.Surface(
            x=f32(s.xs), y=f32(s.ys), z=f32(s.z), name=s.surface.title, colorscale=SURFACE_SCALE,
            showscale=False, opacity=0.92, visible=shown,
            contours={"z": {"show": True, "usecolormap": True, "project": {"z": True}}},
            hovertemplate="w₁=%{x:.2f}<br>w₂=%{y:.2f}<br>L=%{z:.3g}<extra></extra>",
        ))  # fmt: skip
        for kind, (name, colour, symbol) in KINDS.items():
            points = [c for c in s.critical_points if c.kind == kind]
            if not points:
                continue
            members.append(len(traces))
            traces.append(go.Scatter3d(
                x=f32([c.point[0] for c in points]), y=f32([c.point[1] for c in points]),
                z=f32([c.value + lift for c in points]), mode="markers", name=f"{name} ({len(points)})",
                marker={"color": colour, "size": 5, "symbol": symbol}, visible=shown,
                customdata=np.array([[c.value, *c.eigenvalues] for c in points], dtype=np.float32),
                hovertemplate=(f"{name}<br>w = (%{{x:.3f}}, %{{y:.3f}})<br>L = %{{customdata[0]:.4g}}"
                               "<br>Hessian eigenvalues %{customdata[1]:.3g}, %{customdata[2]:.3g}"
                               "<extra></extra>"),
            ))  # fmt: skip
        groups.append(members)
    fig = go.Figure(traces)
    fig.update_layout(surface_layout())
    n = len(traces)
    options = []
    for s, members in zip(surfaces, groups, strict=True):
        options.append({"label": s.surface.title, "visible": [j in members for j in range(n)]})
    return fig, [{"type": "select", "label": "Surface", "default": recipe["default"], "options": options}]
