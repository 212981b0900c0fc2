"""The look shared by every figure. Colours that depend on the light/dark palette are left to
the site's script, which applies them for the reader's scheme.

An optimizer is drawn in its registry colour and marker wherever it appears (:func:`optimizer_styles`);
series that are not optimizers (networks, activations, coordinates) take :data:`SERIES`, colours no
optimizer has.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from descent.optim import OPTIMIZERS, OTHER_COLOURS, Style, style_of

POSITION = "#f5c518"  # yellow: where the optimizer is
MINIMUM = "#2e9e44"  # green: the minimum
START = "#8e8e8e"
SERIES = OTHER_COLOURS
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


def optimizer_styles(runs: Iterable) -> dict[str, Style]:
    """The look of each optimizer among ``runs`` (by their recipes' names, in order of first
    appearance): a course optimizer's own; one's own optimizers take the other colours in turn."""
    names = list(dict.fromkeys(run.recipe["optimizer"] for run in runs))
    guests = [n for n in names if n not in OPTIMIZERS]
    return {n: style_of(n, guests.index(n) if n in guests else 0) for n in names}


def series_colour(k: int) -> str:
    """The ``k``-th colour of a series that is not an optimizer."""
    return SERIES[k % len(SERIES)]


def ramp_colour(k: int, n: int) -> str:
    """The ``k``-th of ``n`` colours for an ordered series (batch sizes, schedules): from deep blue
    through purple to orange, clear of the yellow, green and grey that mark the position, the
    minimum and the start, and readable on the blue contours."""
    from plotly.colors import sample_colorscale

    return sample_colorscale("Plasma", [0.05 + 0.68 * (k / (n - 1) if n > 1 else 0)])[0]
