"""An optimizer's state per step, as the optimizer itself stored it after each step.

For Adam and AdamW: the first moment ``m`` (``exp_avg``) beside the raw gradients, the second
moment ``v`` (``exp_avg_sq``) beside the squared gradients, and both bias-corrected
(``m / (1 − β₁ᵗ)``, ``v / (1 − β₂ᵗ)``, ``t`` the optimizer's own step count). For any other
optimizer, each per-parameter state buffer.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from descent.figures.theme import SERIES, base_layout, f32

COORDINATES = ("w₁", "w₂")


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    run = runs[recipe["default"]]
    t = run.trajectory
    state = t.state
    steps = np.arange(1, t.steps + 1)  # state after step i is the state at t = i + 1
    if "exp_avg" in state:
        hp = run.recipe["hyperparameters"]
        count = state["step"].reshape(t.steps)
        correct1 = 1 - hp["beta1"] ** count
        correct2 = 1 - hp["beta2"] ** count
        panels = [
            ("first moment m", "first moment m", [
                ("g", t.grads, "markers"), ("m", state["exp_avg"], "lines"),
                ("m̂ = m / (1 − β₁ᵗ)", state["exp_avg"] / correct1[:, None], "dash"),
            ]),
            ("second moment v", "second moment v", [
                ("g²", t.grads**2, "markers"), ("v", state["exp_avg_sq"], "lines"),
                ("v̂ = v / (1 − β₂ᵗ)", state["exp_avg_sq"] / correct2[:, None], "dash"),
            ]),
        ]  # fmt: skip
    else:
        buffers = [k for k, v in state.items() if v.shape == t.grads.shape]
        panels = [(k, k, [(k, state[k], "lines")]) for k in buffers]
    fig = make_subplots(rows=len(panels), cols=1, shared_xaxes=True, vertical_spacing=0.08)
    for row, (_, axis_title, series) in enumerate(panels, start=1):
        for coordinate, colour in enumerate(SERIES[:2]):  # one colour per coordinate
            for name, values, style in series:
                trace = {
                    "x": f32(steps),
                    "y": values[:, coordinate],  # float64: moments span many decades
                    "name": f"{name} ({COORDINATES[coordinate]})",
                    "legendgroup": f"{row}-{name}",
                }
                if style == "markers":
                    trace |= {"mode": "markers", "marker": {"color": colour, "size": 5, "opacity": 0.6}}
                else:
                    trace |= {
                        "mode": "lines",
                        "line": {"color": colour, "width": 2, "dash": "dash" if style == "dash" else "solid"},
                    }
                fig.add_trace(go.Scatter(**trace), row=row, col=1)
        log = axis_title.endswith(" v")
        fig.update_yaxes(title_text=axis_title, type="log" if log else "linear",
                         exponentformat="power", row=row, col=1)  # fmt: skip
    fig.update_xaxes(title_text="step t", row=len(panels), col=1)
    fig.update_layout(base_layout(height=680))
    return fig, []
