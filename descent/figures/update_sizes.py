"""How far each optimizer step moves each weight of a network, in units of its learning rate: for
every coordinate and every step, |Δw| / η, read from the weights stored after every step.

Lion's step is η·sign(·): every value is exactly 1 (without weight decay). Adam's spread over
decades. For Muon each weight is measured against the rate of the optimizer that steps it (Muon's
for the hidden matrices, which hold its momentum buffer; AdamW's for the rest).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from descent.figures.theme import base_layout, f32
from descent.optim import style_of

DECADES = (-5.0, 1.0)  # the histogram's range of log10(|Δw| / η)
BINS_PER_DECADE = 10


def parameter_slices(run) -> list[slice]:
    """Each parameter's coordinates in a stored row (parameters in sorted-name order)."""
    sizes = [int(rows * cols) for rows, cols in run["parameter_shapes"]]
    ends = np.cumsum(sizes)
    return [slice(int(end - size), int(end)) for size, end in zip(sizes, ends, strict=True)]


def rates(run) -> np.ndarray:
    """The learning rate of every coordinate: Muon's on the parameters that hold its momentum
    buffer, the rest's AdamW rate on the others; otherwise the one rate of the run."""
    hp = run.recipe["hyperparameters"]
    n = run["weights"].shape[1]
    if "state_size.momentum_buffer" not in run or "adamw_lr" not in hp:
        return np.full(n, hp["lr"])
    out = np.full(n, hp["adamw_lr"])
    for held, where in zip(run["state_size.momentum_buffer"], parameter_slices(run), strict=True):
        if held:
            out[where] = hp["lr"]
    return out


def relative_steps(run) -> np.ndarray:
    """|Δw| / η for every step (rows) and coordinate (columns)."""
    return np.abs(np.diff(run["weights"], axis=0)) / rates(run)


def log_histogram(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The share of ``values`` in each bin of log10 over :data:`DECADES`, the bins' edges, and
    the share that is exactly 0 (a weight the step left where it was)."""
    values = np.ravel(values)
    # Bins centred on the powers of ten and their tenths: a step of exactly η, rounded to either
    # side of 1, falls in one bin.
    half = 0.5 / BINS_PER_DECADE
    edges = np.linspace(
        DECADES[0] - half, DECADES[1] + half, int((DECADES[1] - DECADES[0]) * BINS_PER_DECADE) + 2
    )
    moved = values[values > 0]
    clipped = np.clip(np.log10(moved), edges[0], edges[-1] - 1e-12)
    counts, _ = np.histogram(clipped, bins=edges)
    return counts / values.size, edges, float(np.mean(values == 0))


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    fig = go.Figure()
    for run in runs:
        style = style_of(run.recipe["optimizer"])
        share, edges, _ = log_histogram(relative_steps(run))
        centres = 10 ** ((edges[:-1] + edges[1:]) / 2)
        fig.add_trace(go.Scatter(
            x=f32(centres), y=f32(share), mode="lines+markers", name=style.label,
            line={"color": style.colour, "width": 2, "shape": "hvh"},
            marker={"symbol": style.marker, "size": 6, "color": style.colour},
            hovertemplate=f"{style.label}<br>|Δw| / η ≈ %{{x:.2g}}<br>share %{{y:.3f}}<extra></extra>",
        ))  # fmt: skip
    fig.update_xaxes(type="log", title_text="|Δw| / η: each weight's step, in units of its learning rate",
                     exponentformat="power")  # fmt: skip
    fig.update_yaxes(title_text=f"share of weights × steps (bins of 1/{BINS_PER_DECADE} decade)")
    fig.update_layout(base_layout(height=440))
    return fig, []
