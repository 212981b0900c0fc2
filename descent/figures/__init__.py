"""Interactive figures: Plotly JSON built from stored data (trajectories, surfaces, networks).

A builder reads, never computes: it gets its inputs as stored and may evaluate a surface's
``value`` to draw it. The JSON is a Plotly figure (arrays as float32 binary) plus a ``controls`` list that the
site's script turns into a learning-rate selector, a step slider and the like.

Every array is carried once: a step slider's marker of the current step names the path it
follows and holds only its point at the default step (the site's script takes the rest from the
path).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
import plotly.graph_objects as go

from descent.figures.theme import f32

if TYPE_CHECKING:
    from descent.kinds.trajectory import TrajectoryRun


def figure_json(fig: go.Figure, controls: list[dict[str, Any]]) -> bytes:
    """Plotly's JSON of ``fig`` (validated by plotly.py) with the controls added; deterministic."""
    data = json.loads(fig.to_json())
    data["layout"].pop("template", None)
    data["controls"] = controls
    return json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def run_label(run: TrajectoryRun, label: str | None = None) -> str:
    """``label`` (default ``η = 0.1``) with the fate of the run when it is not an ordinary one."""
    if label is None:
        label = f"η = {run.recipe['hyperparameters']['lr']:g}"
    t = run.trajectory
    if t.diverged:
        return f"{label} (diverges at step {t.diverged_step})"
    if t.left_domain_step >= 0:
        return f"{label} (leaves the plot at step {t.left_domain_step})"
    return label


def step_control(first_path: int, paths: int, steps: int) -> dict:
    """A step slider for ``paths`` path traces from index ``first_path``, each followed by as many
    marker traces showing only the current step (made with :func:`at_step`): "follows" names the
    path each marker takes its points from."""
    return {
        "type": "step",
        "label": "Step",
        "max": steps,
        "default": steps,
        "upto": list(range(first_path, first_path + paths)),
        "at": list(range(first_path + paths, first_path + 2 * paths)),
        "follows": list(range(first_path, first_path + paths)),
    }


def at_step(values, step: int) -> np.ndarray:
    """A step marker's coordinate at ``step``: one point, or none once its path has ended."""
    return f32(np.asarray(values)[step : step + 1])
