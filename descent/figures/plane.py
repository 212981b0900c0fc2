"""The parameter plane every 2-D figure draws on: the surface's contours, its global minimum and
the start, with labelled axes over the surface's domain."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from descent.figures.theme import MINIMUM, START, f32
from descent.surfaces import Surface

GRID = 140


def background(surface: Surface, start, log_levels: bool = False) -> list[go.BaseTraceType]:
    """Contours (of ``log10(1 + L - L*)`` when the surface spans many orders of magnitude), the
    minima the engine found (the global one as a star) and the start."""
    xs, ys, z = surface.sample(GRID)
    shown = z
    hover = "w₁=%{x:.2f}<br>w₂=%{y:.2f}<br>L=%{z:.3g}<extra></extra>"
    if log_levels:
        shown = np.log10(1.0 + z - surface.global_minimum.value)
        hover = "w₁=%{x:.2f}<br>w₂=%{y:.2f}<br>log₁₀(1 + L − L*)=%{z:.2f}<extra></extra>"
    minima = surface.minima
    return [
        go.Contour(
            x=f32(xs), y=f32(ys), z=f32(shown), name="L(w)", ncontours=24, showscale=False,
            colorscale="Blues", reversescale=True, opacity=0.85,
            contours={"coloring": "heatmap", "showlines": True},
            line={"width": 0.6}, hovertemplate=hover,
        ),
        go.Scatter(
            x=f32([m.point[0] for m in minima]), y=f32([m.point[1] for m in minima]),
            mode="markers", name="minimum" if len(minima) == 1 else "minima",
            marker={"color": MINIMUM, "size": [13 if i == 0 else 8 for i in range(len(minima))],
                    "symbol": "star"},
        ),
        go.Scatter(
            x=f32([start[0]]), y=f32([start[1]]), mode="markers", name="start",
            marker={"color": START, "size": 10, "symbol": "circle-open", "line": {"width": 2}},
        ),
    ]  # fmt: skip


def axes(surface: Surface) -> dict:
    (x0, x1), (y0, y1) = surface.domain
    return {
        "xaxis": {"title": {"text": "w₁"}, "range": [x0, x1], "constrain": "domain"},
        "yaxis": {"title": {"text": "w₂"}, "range": [y0, y1], "scaleanchor": "x"},
    }


def wide_range(surface: Surface) -> bool:
    """Whether the loss spans so many decades over the domain that linear contour levels would
    crowd into the rim (Rosenbrock's valley disappears otherwise)."""
    if not surface.minima:
        return False
    xs, ys, z = surface.sample(40)
    spread = float(z.max() - surface.global_minimum.value)
    return spread > 200
