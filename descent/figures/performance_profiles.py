"""Performance profiles (Dolan & Moré 2002) of the tuning studies, full tuning beside
learning-rate-only tuning: for each optimizer, the share of the problems it applies to on which its
score is within a factor τ of the best optimizer's, by the rule of ``descent.tuning``."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures.theme import base_layout, f32
from descent.figures.tuning_problems import optimizer_order, score_table
from descent.optim import style_of
from descent.tuning import MODES, performance_profile, profile_taus

TITLES = {"full": "every ranged hyperparameter tuned", "lr": "learning rate only"}


def build(recipe: dict, inputs: list) -> tuple[go.Figure, list[dict]]:
    optimizers = optimizer_order(inputs)
    tables = {mode: score_table(inputs, mode, optimizers) for mode in MODES}
    top = max(float(profile_taus(t)[-1]) for t in tables.values())
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06)
    guests = [n for n in optimizers if style_of(n).label == n]
    for col, mode in enumerate(MODES, start=1):
        table = tables[mode]
        taus = np.unique(np.concatenate([profile_taus(table), [top]]))
        profile = performance_profile(table, taus)
        for o, name in enumerate(optimizers):
            style = style_of(name, guests.index(name) if name in guests else 0)
            applies = int((~np.isnan(table[:, o])).sum())
            note = "" if applies == len(inputs) else f" (applies to {applies} of {len(inputs)} problems)"
            fig.add_trace(go.Scatter(
                x=f32(taus), y=f32(profile[o]), mode="lines+markers", line_shape="hv",
                name=style.label + note, legendgroup=name, showlegend=col == 1,
                line={"color": style.colour, "width": 2},
                marker={"color": style.colour, "symbol": style.marker, "size": 7, "maxdisplayed": 12},
                hovertemplate=f"{style.label}<br>τ = %{{x:.2f}}: within τ of the best on "
                "%{y:.0%} of its problems<extra></extra>",
            ), row=1, col=col)  # fmt: skip
        fig.update_xaxes(
            type="log", range=[0.0, float(np.log10(top))], row=1, col=col,
            title_text=f"τ (steps over the best optimizer's): {TITLES[mode]}",
        )  # fmt: skip
    fig.update_yaxes(title_text="share of problems within τ of the best", range=[-0.03, 1.03], row=1, col=1)
    fig.update_layout(base_layout(height=500))
    return fig, []
