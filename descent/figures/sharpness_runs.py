"""Sharpness runs: the top eigenvalue of the training loss's Hessian against steps (for Adam, of
the preconditioned Hessian P⁻¹H), each run with its optimizer's stability threshold as a dashed
line in its colour, and the training loss below; one optimizer at a time, chosen by a select."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures.theme import base_layout, f32, ramp_colour
from descent.optim import OPTIMIZERS
from descent.stability import preconditioned, stability_threshold

# How the page names each threshold.
THRESHOLD_NAMES = {"sgd": "2/η", "momentum": "(2 + 2β)/η", "adam": "(2 + 2β₁)/((1 − β₁)η)"}


def curvature(run) -> np.ndarray:
    """What the run's threshold applies to: the sharpness, or for Adam the preconditioned one."""
    key = "preconditioned_sharpness" if preconditioned(run.recipe["optimizer"]) else "sharpness"
    return np.asarray(run[key])


def loss_name(run) -> str:
    return {"bce": "cross-entropy", "mse": "squared error"}[run.recipe.get("loss", "bce")]


def threshold(run) -> float:
    return stability_threshold(run.recipe["optimizer"], run.recipe["hyperparameters"])


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    groups: dict[str, list] = {}
    for run in runs:
        groups.setdefault(run.recipe["optimizer"], []).append(run)
    fig = make_subplots(rows=2, cols=1, row_heights=[0.6, 0.4], vertical_spacing=0.1, shared_xaxes=True)
    members: list[list[int]] = []
    for name, group in groups.items():
        first = len(fig.data)
        group = sorted(group, key=lambda r: (r.recipe["hyperparameters"]["lr"], loss_name(r)))
        losses = {loss_name(r) for r in group}
        for i, run in enumerate(group):
            colour, lr = ramp_colour(i, len(group)), run.recipe["hyperparameters"]["lr"]
            edge = threshold(run)
            label = f"η = {lr:g}" + (f", {loss_name(run)}" if len(losses) > 1 else "")
            steps, values = np.asarray(run["measured_steps"]), curvature(run)
            shown = np.isfinite(values)  # Adam has no preconditioner before its first step
            what = "λ_max(P⁻¹H)" if preconditioned(name) else "sharpness λ_max"
            # Where a group mixes losses, cross-entropy runs are dotted (another objective).
            dash = "dot" if len(losses) > 1 and loss_name(run) == "cross-entropy" else "solid"
            rule = f"{THRESHOLD_NAMES[name]} = {edge:.4g}"
            fig.add_trace(go.Scatter(
                x=f32(steps[shown]), y=f32(values[shown]), mode="lines", name=f"{label} ({rule})",
                legendgroup=label, line={"color": colour, "width": 2, "dash": dash},
                hovertemplate=f"{label}<br>step %{{x}}<br>{what} = %{{y:.4g}}<extra></extra>",
            ), row=1, col=1)  # fmt: skip
            fig.add_trace(go.Scatter(
                x=[0, int(steps[-1])], y=[edge, edge], mode="lines", legendgroup=label, showlegend=False,
                name=rule, line={"color": colour, "width": 1.5, "dash": "dash"},
                hovertemplate=f"{label}: {rule}<extra></extra>",
            ), row=1, col=1)  # fmt: skip
            fig.add_trace(go.Scatter(
                y=f32(run["loss_train"]), mode="lines", name=f"{label}, loss", legendgroup=label,
                showlegend=False, line={"color": colour, "width": 1.5, "dash": dash},
                hovertemplate=f"{label}<br>step %{{x}}<br>training loss %{{y:.4g}}<extra></extra>",
            ), row=2, col=1)  # fmt: skip
        members.append(list(range(first, len(fig.data))))
    n = len(fig.data)
    fig.update_layout(base_layout(height=620, margin={"l": 70, "r": 20, "t": 40, "b": 45}))
    # Linear: one optimizer is shown at a time, and its runs' sharpness spans one order of magnitude.
    fig.update_yaxes(
        title_text="sharpness (Adam: of P⁻¹H); dashed: threshold", rangemode="tozero", row=1, col=1
    )
    fig.update_yaxes(type="log", dtick=1, title_text="training loss", exponentformat="power", row=2, col=1)
    fig.update_xaxes(title_text="step (full batch)", row=2, col=1)
    options = [
        {"label": OPTIMIZERS[name].label if name != "sgd" else "Gradient descent",
         "visible": [j in group for j in range(n)]}
        for name, group in zip(groups, members, strict=True)
    ]  # fmt: skip
    for trace in fig.data:  # the first optimizer's runs until the reader chooses
        trace.visible = False
    for j in members[0]:
        fig.data[j].visible = True
    return fig, [{"type": "select", "label": "Optimizer", "default": 0, "options": options}]
