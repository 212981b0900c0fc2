"""The cloud of minibatch gradients at one point: each batch size's draws around the full gradient,
and their total variance against batch size beside the sampling formula
σ²(B) = σ₁² (N − B) / (B (N − 1)), with the measurement's sampling error."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures.theme import MINIMUM, base_layout, f32, ramp_colour


def total_variance(g: np.ndarray) -> tuple[float, float]:
    """The total variance of draws ``g`` [draws, 2] (unbiased) and its standard error, from the
    spread of the squared deviations (no assumption on the draws' distribution)."""
    squared = np.sum((g - g.mean(0)) ** 2, axis=1) * len(g) / (len(g) - 1)
    return float(squared.mean()), float(squared.std(ddof=1) / np.sqrt(len(g)))


def formula(sample_variance: float, n: int, batch) -> np.ndarray:
    b = np.asarray(batch, dtype=np.float64)
    return sample_variance * (n - b) / (b * (n - 1))


def build(recipe: dict, clouds: list) -> tuple[go.Figure, list[dict]]:
    (cloud,) = clouds
    n, batches, full = len(cloud.x), cloud.batches, cloud.gradient
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.12)
    angle = np.linspace(0, 2 * np.pi, 73)
    for i, b in reversed(list(enumerate(batches))):  # the widest cloud underneath
        g, colour = cloud.gradients[i], ramp_colour(i, len(batches))
        fig.add_trace(go.Scatter(
            x=f32(g[:, 0]), y=f32(g[:, 1]), mode="markers", name=f"B = {b}", legendgroup=str(b),
            marker={"color": colour, "size": 4, "opacity": 0.5},
            hovertemplate=f"B = {b}<br>g = (%{{x:.3f}}, %{{y:.3f}})<extra></extra>",
        ), row=1, col=1)  # fmt: skip
        radius = np.sqrt(formula(float(cloud.sample_variance), n, b))  # the formula's rms distance
        fig.add_trace(go.Scatter(
            x=f32(full[0] + radius * np.cos(angle)), y=f32(full[1] + radius * np.sin(angle)), mode="lines",
            name=f"rms radius from the formula, B = {b}", legendgroup=str(b), showlegend=False,
            line={"color": colour, "width": 2, "dash": "dash"}, hoverinfo="skip",
        ), row=1, col=1)  # fmt: skip
    fig.add_trace(go.Scatter(
        x=f32(full[:1]), y=f32(full[1:]), mode="markers", name="full gradient",
        marker={"color": MINIMUM, "size": 13, "symbol": "x", "line": {"width": 1, "color": "#333"}},
    ), row=1, col=1)  # fmt: skip
    measured = [total_variance(g) for g in cloud.gradients]
    fig.add_trace(go.Scatter(
        x=f32(batches), y=f32([m for m, _ in measured]), mode="markers", name="measured (±2 standard errors)",
        error_y={"type": "data", "array": f32([2 * e for _, e in measured]), "visible": True},
        marker={"color": "#444", "size": 9},
        hovertemplate="B = %{x}<br>measured %{y:.4g}<extra></extra>",
    ), row=1, col=2)  # fmt: skip
    b = np.geomspace(batches[0], batches[-1], 60)
    fig.add_trace(go.Scatter(
        x=f32(b), y=f32(formula(float(cloud.sample_variance), n, b)), mode="lines",
        name="σ₁² (N − B) / (B (N − 1))", line={"color": "#c0392b", "width": 2},
        hovertemplate="B = %{x:.0f}<br>formula %{y:.4g}<extra></extra>",
    ), row=1, col=2)  # fmt: skip
    fig.update_layout(base_layout(height=520))
    fig.update_xaxes(title_text="∂L/∂w₁ of a minibatch", row=1, col=1)
    fig.update_yaxes(title_text="∂L/∂w₂", scaleanchor="x", row=1, col=1)
    fig.update_xaxes(type="log", title_text="batch size B", row=1, col=2)
    title = "total variance of the minibatch gradient"
    fig.update_yaxes(type="log", title_text=title, exponentformat="power", row=1, col=2)
    return fig, []
