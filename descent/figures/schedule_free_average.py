"""Schedule-Free AdamW on a network, read from its state after every step: the iterates z (which
take the base optimizer's steps), the evaluation point x (their running average) and the gradient
point y = (1 − β) z + β x (the parameters), for the weights that x moves most."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from descent.figures.theme import base_layout, f32, series_colour

SHOWN = 2  # weights drawn


def most_moved(run, count: int = SHOWN) -> np.ndarray:
    """The coordinates whose x ends farthest from where it started, farthest first."""
    moved = np.abs(run["state.x"][-1] - run["weights"][0])
    return np.argsort(-moved, kind="stable")[:count]


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    run = runs[recipe["default"]]
    steps = np.arange(len(run["weights"]))
    fig = go.Figure()
    series = [
        ("z (iterates)", lambda i: run["state.z"][:, i], {"width": 1, "dash": "dot"}),
        ("y (parameters, where the gradient is taken)", lambda i: run["weights"][1:, i], {"width": 1.5}),
        ("x (average of the z: evaluate here)", lambda i: run["state.x"][:, i], {"width": 3}),
    ]
    for k, coordinate in enumerate(most_moved(run)):
        start = run["weights"][0, coordinate]
        for name, values, line in series:
            fig.add_trace(go.Scatter(
                x=f32(steps), y=f32(np.concatenate([[start], values(coordinate)])), mode="lines",
                name=f"{name}, weight {coordinate}", legendgroup=str(coordinate),
                line={"color": series_colour(k), **line},
            ))  # fmt: skip
    fig.update_xaxes(title_text="step t")
    fig.update_yaxes(title_text="weight")
    fig.update_layout(base_layout(height=460))
    return fig, []
