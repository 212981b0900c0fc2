"""Muon's update of each hidden weight matrix against the momentum it orthogonalizes: the singular
values of both at every step, read from the weights and the momentum buffer stored after every
step.

torch.optim.Muon steps W ← W (1 − ηλ) − η √max(1, m/n) · NS(D), with NS five quintic
Newton–Schulz iterations and D the Nesterov blend of the gradient g and the buffer B
(B ← B + (1 − μ)(g − B), D = g + μ(B − g)). So the update NS(D) is recovered from two rows of weights,
and D from two rows of the buffer: g = (B_t − μ B_{t−1}) / (1 − μ).
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from descent.figures.theme import base_layout, f32, series_colour
from descent.figures.update_sizes import parameter_slices
from descent.optim import style_of
from descent.optim.registry import MUON_NS, MUON_NS_STEPS

BAND = (0.67, 1.21)  # where NS maps singular values above SMALLEST (tests/test_optim.py measures it)
SMALLEST = 2e-3  # of the momentum's Frobenius norm


def muon_matrices(run) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each matrix Muon steps: its updates NS(D) ``[steps, m, n]`` and the directions D it
    orthogonalized ``[steps, m, n]``."""
    hp = run.recipe["hyperparameters"]
    lr, decay, mu = hp["lr"], hp["weight_decay"], hp["momentum"]
    out = []
    buffers = iter(parameter_slices_held(run))
    for held, where, (rows, cols) in zip(
        run["state_size.momentum_buffer"], parameter_slices(run), run["parameter_shapes"], strict=True
    ):
        if not held:
            continue
        shape = (int(rows), int(cols))
        w = run["weights"][:, where].reshape(-1, *shape)
        scale = lr * math.sqrt(max(1.0, rows / cols))  # torch's "original" rate adjustment
        updates = (w[:-1] * (1 - lr * decay) - w[1:]) / scale
        b = run["state.momentum_buffer"][:, next(buffers)].reshape(-1, *shape)
        before = np.concatenate([np.zeros((1, *shape)), b[:-1]])  # the buffer starts at 0
        g = (b - mu * before) / (1 - mu)
        out.append((updates, g + mu * (b - g)))
    return out


def parameter_slices_held(run) -> list[slice]:
    """Where each held momentum buffer lies in a stored buffer row (only Muon's matrices hold one)."""
    sizes = [int(s) for s in run["state_size.momentum_buffer"] if s]
    ends = np.cumsum(sizes)
    return [slice(int(end - size), int(end)) for size, end in zip(sizes, ends, strict=True)]


def spectra(run) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each Muon matrix, per step: the update's singular values and the direction's over its
    Frobenius norm, both in decreasing order ``[steps, min(m, n)]``."""
    out = []
    for updates, directions in muon_matrices(run):
        s_update = np.linalg.svd(updates, compute_uv=False)
        s_direction = np.linalg.svd(directions, compute_uv=False)
        out.append((s_update, s_direction / np.linalg.norm(directions, axis=(1, 2))[:, None]))
    return out


def newton_schulz_curve(x: np.ndarray) -> np.ndarray:
    """Where five quintic iterations take a singular value x of the normalized matrix, in exact
    arithmetic (torch rounds to bfloat16)."""
    a, b, c = MUON_NS
    for _ in range(MUON_NS_STEPS):
        x = a * x + b * x**3 + c * x**5
    return x


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    run = runs[recipe["default"]]
    style = style_of("muon")
    fig = go.Figure()
    x = np.logspace(-5, 0, 400)
    fig.add_hrect(y0=BAND[0], y1=BAND[1], line_width=0, fillcolor=style.colour, opacity=0.12)
    fig.add_vline(x=SMALLEST, line={"dash": "dot", "width": 1, "color": "#8e8e8e"})
    fig.add_trace(go.Scatter(
        x=f32(x), y=f32(newton_schulz_curve(x)), mode="lines", name="five Newton–Schulz steps (exact)",
        line={"color": "#8e8e8e", "width": 1.5},
    ))  # fmt: skip
    for k, (s_update, s_direction) in enumerate(spectra(run)):
        steps = np.repeat(np.arange(1, len(s_update) + 1), s_update.shape[1])
        fig.add_trace(go.Scatter(
            x=f32(s_direction.ravel()), y=f32(s_update.ravel()), mode="markers",
            name=f"matrix {k + 1}, each step's singular values" if k else "each step's singular values",
            marker={"symbol": style.marker, "size": 6, "color": style.colour if k == 0 else series_colour(k),
                    "opacity": 0.6},
            customdata=f32(steps),
            hovertemplate="step %{customdata}<br>σ(D) / ‖D‖ = %{x:.3g}<br>σ(update) = %{y:.3f}"
            "<extra></extra>",
        ))  # fmt: skip
    fig.update_xaxes(type="log", range=[-5, 0.1], exponentformat="power",
                     title_text="singular value of the momentum D, over its norm ‖D‖_F")  # fmt: skip
    fig.update_yaxes(type="log", exponentformat="power", title_text="singular value of Muon's update")
    fig.update_layout(base_layout(height=460))
    return fig, []
