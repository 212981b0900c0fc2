"""Steps to a target against batch size, as the batch scaling stored them: each batch size at its
best rate of the search (the mean over seeds of the first step at the target), the fit
S(B) = S_min (1 + B_crit / B) of McCandlish et al. (2018), the measured gradient noise scale, and
the whole search as a heatmap."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures.theme import base_layout, f32


def build(recipe: dict, inputs: list) -> tuple[go.Figure, list[dict]]:
    (scaling,) = inputs
    batches, rates = scaling["batches"], scaling["rates"]
    steps, best_rate = scaling["fewest_steps"], scaling["best_rates"]
    s_min, b_crit = float(scaling["s_min"]), float(scaling["b_crit"])
    b_noise = float(scaling["noise_scale_target"])
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.14)
    fig.add_trace(go.Scatter(
        x=f32(batches), y=f32(steps), mode="lines+markers", name="fewest steps (mean of the seeds)",
        marker={"size": 9, "color": "#1f5fa8"}, line={"color": "#1f5fa8", "width": 2},
        text=[f"{r:g}" for r in best_rate],
        hovertemplate="B = %{x}<br>%{y:.1f} steps at η = %{text}<extra></extra>",
    ), row=1, col=1)  # fmt: skip
    b = np.geomspace(batches[0], batches[-1], 80)
    fig.add_trace(go.Scatter(
        x=f32(b), y=f32(s_min * (1 + b_crit / b)), mode="lines",
        name=f"S_min (1 + B_crit / B): S_min = {s_min:.2f}, B_crit = {b_crit:.1f}",
        line={"color": "#c0392b", "width": 2, "dash": "dash"}, hoverinfo="skip",
    ), row=1, col=1)  # fmt: skip
    top = float(steps.max()) * 1.3
    for x, name, colour in ((b_noise, f"B_noise at the target = {b_noise:.1f}", "#2e9e44"),
                            (b_crit, f"B_crit = {b_crit:.1f}", "#c0392b")):  # fmt: skip
        fig.add_trace(go.Scatter(
            x=[x, x], y=[float(steps.min()) / 1.3, top], mode="lines", name=name,
            line={"color": colour, "width": 1.5, "dash": "dot"}, hoverinfo="skip",
        ), row=1, col=1)  # fmt: skip
    mean = scaling["mean_steps"]
    shown = np.where(np.isfinite(mean), np.log10(np.where(np.isfinite(mean), mean, 1)), np.nan)
    fig.add_trace(go.Heatmap(
        x=[str(r) for r in rates], y=[str(v) for v in batches], z=shown, colorscale="Blues",
        reversescale=True, showscale=False, name="the search",
        text=[[("not reached" if not np.isfinite(v) else f"{v:.1f}") for v in row] for row in mean],
        hovertemplate="B = %{y}, η = %{x}<br>mean steps %{text}<extra></extra>",
    ), row=1, col=2)  # fmt: skip
    fig.update_layout(base_layout(height=520))
    fig.update_xaxes(type="log", title_text="batch size B", row=1, col=1)
    fig.update_yaxes(type="log", title_text="steps to the target", row=1, col=1)
    fig.update_xaxes(title_text="learning rate (blank: never reached)", type="category", row=1, col=2)
    fig.update_yaxes(title_text="B", type="category", row=1, col=2)
    return fig, []
