"""Networks trained by a few optimizers, each at a small grid of rates: every run's training loss,
each optimizer's best run drawn bold. The best is the run with the fewest steps after which the
training loss stays below the figure's ``tolerance`` (the target) to the end, ties going to the
lower final loss; a run that does not end below it ranks after every run that does. (Reaching the
target once is not enough: a rate too large reaches it early and leaves it again.)"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from descent.figures.theme import base_layout, f32, optimizer_styles


def steps_to(loss: np.ndarray, target: float) -> int | None:
    """The step (epoch) from which ``loss`` stays below ``target`` to the end, or None."""
    loss = np.asarray(loss)
    above = np.flatnonzero(loss >= target)
    first = int(above[-1]) + 1 if above.size else 0
    return first if first < len(loss) else None


def rank(net, target: float) -> tuple[float, float]:
    reached = steps_to(net.arrays["loss_train"], target)
    return (np.inf if reached is None else reached, float(net.arrays["loss_train"][-1]))


def best_by_optimizer(nets: list, target: float) -> dict[str, object]:
    """Each optimizer's best run among ``nets`` by the rule above, in order of first appearance."""
    best: dict[str, object] = {}
    for net in nets:
        name = net.recipe["optimizer"]
        if name not in best or rank(net, target) < rank(best[name], target):
            best[name] = net
    return best


def rates_label(net) -> str:
    hp = net.recipe["hyperparameters"]
    if "adamw_lr" in hp:
        return f"η = {hp['lr']:g}, the rest AdamW η = {hp['adamw_lr']:g}"
    return f"η = {hp['lr']:g}"


def build(recipe: dict, nets: list) -> tuple[go.Figure, list[dict]]:
    target = recipe["tolerance"]
    styles = optimizer_styles(nets)
    best = best_by_optimizer(nets, target)
    fig = go.Figure()
    for net in sorted(nets, key=lambda n: n is best[n.recipe["optimizer"]]):  # best drawn on top
        style = styles[net.recipe["optimizer"]]
        chosen = net is best[net.recipe["optimizer"]]
        reached = steps_to(net.arrays["loss_train"], target)
        fate = f"below {target:g} from step {reached}" if reached is not None else f"ends above {target:g}"
        label = f"{style.label}, {rates_label(net)}"
        fig.add_trace(go.Scatter(
            y=f32(net.arrays["loss_train"]), mode="lines", name=f"{label} ({fate})" if chosen else label,
            legendgroup=style.label, showlegend=chosen, opacity=1.0 if chosen else 0.3,
            line={"color": style.colour, "width": 3 if chosen else 1},
            hovertemplate=f"{label}<br>step %{{x}}<br>training loss %{{y:.2e}}<extra></extra>",
        ))  # fmt: skip
    fig.add_hline(y=target, line={"dash": "dot", "width": 1, "color": "#8e8e8e"})
    fig.update_xaxes(title_text="full-batch step")
    fig.update_yaxes(type="log", title_text="training loss (binary cross-entropy)", exponentformat="power")
    fig.update_layout(base_layout(height=460))
    return fig, []
