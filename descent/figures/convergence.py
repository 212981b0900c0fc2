"""Convergence analysis: the loss gap ``L − L*`` and the distance to the minimum per step, on log
scales, for each optimizer's best run of a search, and a table of steps to the tolerance."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.compare import RULE, best_per_optimizer, distance, loss_gap, search_budget
from descent.figures.theme import base_layout, f32, optimizer_styles

# A log axis cannot show 0: values below these floors are drawn on them (and said so in hover).
GAP_FLOOR = 1e-30
DISTANCE_FLOOR = 1e-16
F32_MAX = float(np.finfo(np.float32).max)  # values travel as float32


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    tolerance = recipe["tolerance"]
    best = best_per_optimizer(runs, tolerance)
    searched = len(best) < len(runs)
    fig = make_subplots(
        rows=2, cols=2, row_heights=[0.62, 0.38], vertical_spacing=0.12, horizontal_spacing=0.12,
        specs=[[{"type": "xy"}, {"type": "xy"}], [{"type": "table", "colspan": 2}, None]],
    )  # fmt: skip
    steps_max = max(o.run.trajectory.steps for o in best.values())
    styles = optimizer_styles(runs)
    for name, outcome in best.items():
        colour, title = styles[name].colour, styles[name].label
        for col, values, floor in [
            (1, loss_gap(outcome.run), GAP_FLOOR),
            (2, distance(outcome.run), DISTANCE_FLOOR),
        ]:
            # x is the step, which plotly counts itself (x0 = 0, dx = 1): no array to carry.
            fig.add_trace(go.Scatter(
                y=f32(np.clip(values, floor, F32_MAX)), mode="lines", name=title, legendgroup=name,
                showlegend=col == 1, line={"color": colour, "width": 2},
                hovertemplate=f"{title}<br>step %{{x}}<br>%{{y:.3g}}<extra></extra>",
            ), row=1, col=col)  # fmt: skip
    fig.add_trace(go.Scatter(
        x=[0, steps_max], y=[tolerance, tolerance], mode="lines", name=f"tolerance {tolerance:g}",
        line={"color": "#8e8e8e", "dash": "dash", "width": 1.5},
    ), row=1, col=1)  # fmt: skip
    header = ["optimizer", "learning rate", f"steps to L − L* ≤ {tolerance:g}"]
    header += ["final L − L*", "final |w − w*|"]
    rows = [
        [styles[n].label for n in best],
        [f"{o.lr:g}" for o in best.values()],
        ["not reached" if o.steps_to_tolerance is None else str(o.steps_to_tolerance) for o in best.values()],
        ["diverged" if not np.isfinite(o.final_gap) else f"{o.final_gap:.2e}" for o in best.values()],
        [f"{o.final_distance:.2e}" for o in best.values()],
    ]
    fig.add_trace(go.Table(
        header={"values": header, "align": "left"}, cells={"values": rows, "align": "left"},
    ), row=2, col=1)  # fmt: skip
    for col in (1, 2):
        fig.update_xaxes(title_text="step", row=1, col=col)
    fig.update_yaxes(
        type="log", title_text="L − L* (loss above the minimum)", exponentformat="power", row=1, col=1
    )
    fig.update_yaxes(type="log", title_text="|w − w*| (distance to it)", exponentformat="power", row=1, col=2)
    layout = base_layout(height=760, margin={"l": 60, "r": 20, "t": 70, "b": 20})
    if searched:
        budget = search_budget(runs)
        rates = budget["learning_rates"]
        layout["meta"] = {
            "search": f"{len(rates)} learning rates from {rates[0]:g} to {rates[-1]:g} per optimizer, "
            f"{budget['steps']} steps from {budget['start']}; best by {RULE}"
        }
    fig.update_layout(layout)
    return fig, []
