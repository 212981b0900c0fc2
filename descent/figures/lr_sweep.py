"""Learning-rate sweep: the final loss and the steps needed to reach a tolerance, against the
learning rate (log scales), one line per optimizer. Diverged runs are drawn as such (a cross at
the top of the plot), never dropped or clipped silently."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures.theme import base_layout, f32, optimizer_styles
from descent.optim import OPTIMIZERS

# Losses below this are drawn on this line: a log axis cannot show 0, and an optimizer that
# reached 1e-40 has converged as far as any reader can see.
LOSS_FLOOR = 1e-30


def steps_to_tolerance(loss: np.ndarray, tolerance: float) -> int | None:
    """The first step at which the loss is at most ``tolerance``, or ``None``."""
    hits = np.flatnonzero(loss <= tolerance)
    return int(hits[0]) if hits.size else None


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    tolerance = recipe["tolerance"]
    by_optimizer: dict[str, list] = defaultdict(list)
    for run in runs:
        by_optimizer[run.recipe["optimizer"]].append(run)
    fig = make_subplots(
        rows=1, cols=2, horizontal_spacing=0.12,
        subplot_titles=("loss after the last step", f"steps until L ≤ {tolerance:g}"),
    )  # fmt: skip
    top_loss = max(float(np.max(r.trajectory.loss)) for r in runs)
    styles = optimizer_styles(runs)
    order = list(OPTIMIZERS) + list(styles)  # the course's in teaching order, then one's own
    for i, (name, group) in enumerate(sorted(by_optimizer.items(), key=lambda kv: order.index(kv[0]))):
        group.sort(key=lambda r: r.recipe["hyperparameters"]["lr"])
        colour, title = styles[name].colour, styles[name].label
        ok = [r for r in group if not r.trajectory.diverged]
        lrs = [r.recipe["hyperparameters"]["lr"] for r in ok]
        final = [max(float(r.trajectory.loss[-1]), LOSS_FLOOR) for r in ok]
        reached = [
            (r.recipe["hyperparameters"]["lr"], steps_to_tolerance(r.trajectory.loss, tolerance)) for r in ok
        ]
        reached = [(lr, s) for lr, s in reached if s is not None]
        style = {"color": colour}
        marker = {**style, "symbol": styles[name].marker, "size": 6}
        fig.add_trace(go.Scatter(
            x=f32(lrs), y=np.asarray(final, dtype=np.float64), mode="lines+markers", name=title,
            legendgroup=name, line=style, marker=marker,
            hovertemplate=f"{title}<br>η=%{{x:.3g}}<br>final L=%{{y:.3g}}<extra></extra>",
        ), row=1, col=1)  # fmt: skip
        fig.add_trace(go.Scatter(
            x=f32([lr for lr, _ in reached]), y=f32([s for _, s in reached]), mode="lines+markers",
            name=title, legendgroup=name, showlegend=False, line=style, marker=marker,
            hovertemplate=f"{title}<br>η=%{{x:.3g}}<br>%{{y}} steps<extra></extra>",
        ), row=1, col=2)  # fmt: skip
        diverged = [r for r in group if r.trajectory.diverged]
        if diverged:
            fig.add_trace(go.Scatter(
                x=f32([r.recipe["hyperparameters"]["lr"] for r in diverged]),
                # One row of crosses per optimizer, above every finite loss, so none hides another.
                y=np.full(len(diverged), top_loss * 10.0 ** (2 + i)),
                mode="markers", name=f"{title}: diverged",
                legendgroup=name, showlegend=False, marker={**style, "symbol": "x", "size": 9},
                customdata=[r.trajectory.diverged_step for r in diverged],
                hovertemplate=f"{title}<br>η=%{{x:.3g}}<br>diverged at step %{{customdata}}<extra></extra>",
            ), row=1, col=1)  # fmt: skip
    fig.update_xaxes(type="log", title_text="learning rate η", dtick=1, exponentformat="power")
    fig.update_yaxes(type="log", title_text="L", row=1, col=1, dtick=5, exponentformat="power")
    fig.update_yaxes(type="log", title_text="steps", row=1, col=2, dtick=1)
    fig.update_layout(base_layout(hovermode="closest", margin={"l": 60, "r": 20, "t": 110, "b": 50}))
    fig.update_layout(legend={"y": 1.18})  # above the subplot titles
    return fig, []
