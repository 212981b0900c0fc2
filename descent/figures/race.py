"""Every optimizer's path on one contour plot, from the same start, with a shared step slider.

When the inputs hold a learning-rate search (several runs per optimizer), each optimizer is shown
at the run :func:`descent.compare.best_per_optimizer` picks, and its legend entry says which rate
won and how many steps it needed.
"""

from __future__ import annotations

import plotly.graph_objects as go

from descent.compare import Outcome, best_per_optimizer
from descent.figures import at_step, step_control
from descent.figures.plane import axes, background, wide_range
from descent.figures.theme import base_layout, f32, optimizer_styles
from descent.surfaces import get_surface


def legend_label(outcome, name: str, searched: bool, tolerance: float) -> str:
    """The legend entry of optimizer ``name``'s run: its rate when searched, and its fate."""
    run = outcome.run
    label = f"{name}, η = {outcome.lr:g}" if searched else name
    t = run.trajectory
    if t.diverged:
        return f"{label}: diverges at step {t.diverged_step}"
    if not run.surface.minima:  # nothing to converge to (a saddle): say when it escapes
        if t.left_domain_step >= 0:
            return f"{label}: leaves the plot at step {t.left_domain_step}"
        return f"{label}: still in the plot after {t.steps} steps"
    if t.left_domain_step >= 0:
        label = f"{label} (leaves the plot at step {t.left_domain_step})"
    if outcome.steps_to_tolerance is None:
        return label
    return f"{label}: within {tolerance:g} from step {outcome.steps_to_tolerance}"


def build(recipe: dict, runs: list) -> tuple[go.Figure, list[dict]]:
    surface = get_surface(recipe["surface"])
    tolerance = recipe["tolerance"]
    if surface.minima:
        best = best_per_optimizer(runs, tolerance)
    else:
        best = {r.recipe["optimizer"]: Outcome(r, None, float("nan"), float("nan")) for r in runs}
    searched = len(best) < len(runs)
    fixed = background(surface, runs[0].trajectory.params[0], log_levels=wide_range(surface))
    steps = max(o.run.trajectory.steps for o in best.values())
    styles = optimizer_styles(runs)
    paths, heads = [], []
    for i, (name, outcome) in enumerate(best.items()):
        p = outcome.run.trajectory.params
        style = styles[name]
        label = legend_label(outcome, style.label, searched, tolerance)
        paths.append(go.Scatter(
            x=f32(p[:, 0]), y=f32(p[:, 1]), mode="lines", name=label,
            line={"color": style.colour, "width": 2}, legendgroup=str(i),
        ))  # fmt: skip
        heads.append(go.Scatter(
            x=at_step(p[:, 0], steps), y=at_step(p[:, 1], steps), mode="markers", showlegend=False,
            legendgroup=str(i), name=style.label,
            marker={"color": style.colour, "symbol": style.marker, "size": 11,
                    "line": {"width": 1.5, "color": "#333"}},
        ))  # fmt: skip
    fig = go.Figure(fixed + paths + heads)
    fig.update_layout(base_layout(height=560, **axes(surface)))
    n_fixed, n = len(fixed), len(best)
    return fig, [step_control(n_fixed, n, steps)]
