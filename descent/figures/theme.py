"""The look shared by every figure. Colours that depend on the light/dark palette are left to
the site's script, which applies them for the reader's scheme."""

from __future__ import annotations

import numpy as np

POSITION = "#f5c518"  # yellow: where the optimizer is
MINIMUM = "#2e9e44"  # green: the minimum
START = "#8e8e8e"
PATH_COLOURS = ["#e4572e", "#4c78a8", "#9c6ade", "#17a2b8", "#f28e2b", "#b07aa1", "#6b8e23"]
SURFACE_SCALE = [[0.0, "#1d3a5f"], [0.5, "#3f7cac"], [1.0, "#d6e6f2"]]


def base_layout(**extra) -> dict:
    """Transparent, untitled (the page's caption names the figure), legend below the plot."""
    return {
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 50, "r": 20, "t": 40, "b": 45},
        "showlegend": True,
        # Above the plot: below it, the legend collides with the x-axis title on phones.
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        **extra,
    }


def f32(values) -> np.ndarray:
    """Arrays travel as float32 binary: half the bytes, and precision enough to draw."""
    return np.asarray(values, dtype=np.float32)


def surface_layout() -> dict:
    """Layout of a rotatable 3-D surface: labelled axes, a camera from the front-right, a cube."""
    return base_layout(
        margin={"l": 0, "r": 0, "t": 50, "b": 0},
        scene={
            "xaxis": {"title": {"text": "w₁"}},
            "yaxis": {"title": {"text": "w₂"}},
            "zaxis": {"title": {"text": "L"}},
            "camera": {"eye": {"x": 1.5, "y": -1.5, "z": 1.0}},
            "aspectmode": "cube",
        },
    )
