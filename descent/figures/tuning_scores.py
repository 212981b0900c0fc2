"""Each problem's scores from the tuning studies, as a table: for each optimizer, the median over
the studies of its fastest trial's steps to the target, full tuning above and learning-rate-only
tuning below; "not reached" where the median is infinite, "does not apply" where the optimizer
was not run, with the reason the study gives."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures.performance_profiles import TITLES
from descent.figures.theme import base_layout
from descent.figures.tuning_problems import optimizer_order, problem_name, score_table
from descent.optim import style_of
from descent.tuning import MODES, ratios


def cell(score: float, reason: str | None) -> str:
    if reason is not None:
        return "does not apply"
    return "not reached" if np.isinf(score) else f"{score:.0f}"


def build(recipe: dict, inputs: list) -> tuple[go.Figure, list[dict]]:
    optimizers = optimizer_order(inputs)
    problems = [f"{problem_name(s.recipe)}<br>L ≤ {float(s['target']):g}" for s in inputs]
    labels = [style_of(n).label for n in optimizers]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=[TITLES[m] for m in MODES])  # fmt: skip
    for row, mode in enumerate(MODES, start=1):
        table = score_table(inputs, mode, optimizers)
        r = ratios(table)
        # Colour: the ratio to the best (log2), capped; not reached is the far end, n/a blank.
        capped = np.minimum(np.nan_to_num(r, nan=1.0, posinf=64.0), 64.0)
        shade = np.where(np.isnan(r), np.nan, np.log2(capped))
        reasons = [[s.recipe["skip"].get(n) for s in inputs] for n in optimizers]
        text = [
            [cell(table[p, o], reasons[o][p]) for p in range(len(inputs))] for o in range(len(optimizers))
        ]
        why = [[reasons[o][p] or "" for p in range(len(inputs))] for o in range(len(optimizers))]
        fig.add_trace(go.Heatmap(
            x=problems, y=labels, z=[[None if np.isnan(v) else float(v) for v in row_] for row_ in shade.T],
            zmin=0.0, zmax=6.0, colorscale="Blues", reversescale=True, showscale=False,
            text=text, texttemplate="%{text}", customdata=why, name=TITLES[mode],
            hovertemplate="%{y} on %{x}<br>%{text}<br>%{customdata}<extra></extra>",
            xgap=2, ygap=2,
        ), row=row, col=1)  # fmt: skip
        fig.update_yaxes(title_text="optimizer", title_standoff=4, autorange="reversed", row=row, col=1)
    fig.update_xaxes(title_text="problem and its target loss", title_standoff=14, row=2, col=1)
    layout = base_layout(height=760)
    fig.update_layout({**layout, "margin": {**layout["margin"], "l": 110, "b": 80}, "showlegend": False})
    return fig, []
