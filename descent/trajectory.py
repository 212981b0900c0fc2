"""Run an optimizer on a surface and keep every step.

A :class:`Trajectory` holds, for step ``i``, the parameters before (``params[i]``) and after
(``params[i + 1]``), the gradient, the update, the loss, the step size and the optimizer state.
Divergence is data: the run stops at the first step whose parameters are not finite or lie far
outside the surface's domain, and the step is marked, so nothing downstream ever sees a NaN.

:func:`record_run` also keeps the recipe a figure reads (surface, optimizer, hyperparameters,
start, steps), so one's own runs, of one's own optimizer too, go straight into the course's figure
builders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from descent.optim import Optimizer
from descent.surfaces import Surface, get_surface

# A run has diverged once it is this many domain widths away from the domain: far enough that
# nothing plotted can show it, near enough that every value is still finite.
ESCAPE_WIDTHS = 1000.0


@dataclass(frozen=True)
class Trajectory:
    """Every step of one optimizer run (arrays are float64, indexed by step)."""

    params: np.ndarray  # [n + 1, dim]: before step 0, ..., after step n - 1
    loss: np.ndarray  # [n + 1]
    grads: np.ndarray  # [n, dim]: gradient at params[i]
    updates: np.ndarray  # [n, dim]: params[i + 1] - params[i]
    step_size: np.ndarray  # [n]: Euclidean length of updates[i]
    state: dict[str, np.ndarray] = field(default_factory=dict)  # name -> [n, ...] after step i
    diverged_step: int = -1  # the step that diverged (not recorded), or -1
    left_domain_step: int = -1  # the first step that ended outside the domain, or -1

    @property
    def steps(self) -> int:
        return len(self.updates)

    @property
    def diverged(self) -> bool:
        return self.diverged_step >= 0

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Flat arrays for ``np.savez``; :func:`from_arrays` reads them back."""
        arrays = {
            "params": self.params,
            "loss": self.loss,
            "grads": self.grads,
            "updates": self.updates,
            "step_size": self.step_size,
            "diverged_step": np.array(self.diverged_step),
            "left_domain_step": np.array(self.left_domain_step),
        }
        arrays.update({f"state.{k}": v for k, v in self.state.items()})
        return arrays

    @classmethod
    def from_arrays(cls, arrays) -> Trajectory:
        return cls(
            params=np.asarray(arrays["params"]),
            loss=np.asarray(arrays["loss"]),
            grads=np.asarray(arrays["grads"]),
            updates=np.asarray(arrays["updates"]),
            step_size=np.asarray(arrays["step_size"]),
            state={k[6:]: np.asarray(arrays[k]) for k in arrays if k.startswith("state.")},
            diverged_step=int(arrays["diverged_step"]),
            left_domain_step=int(arrays["left_domain_step"]),
        )


def ends_run(surface: Surface, x: np.ndarray, loss: float) -> bool:
    """Whether a run stops before point ``x`` (its loss ``loss``): not finite, or more than
    ``ESCAPE_WIDTHS`` domain widths from the domain's centre."""
    widths = np.array([b - a for a, b in surface.domain])
    centre = np.array([(a + b) / 2 for a, b in surface.domain])
    far = np.any(np.abs(x - centre) > ESCAPE_WIDTHS * widths)
    return bool(not (np.all(np.isfinite(x)) and np.isfinite(loss)) or far)


def record(surface: Surface, optimizer: Optimizer, start, steps: int) -> Trajectory:
    """Take ``steps`` steps of ``optimizer`` on ``surface`` from ``start``, recording each one."""
    x = np.array(start, dtype=np.float64)
    if x.shape != (surface.dim,):
        raise ValueError(f"start must have {surface.dim} coordinates, got {list(np.shape(start))}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")

    params, losses, grads, updates, states = [x], [float(surface.value(x))], [], [], []
    state = optimizer.init(x)
    diverged_step = left_domain_step = -1
    for i in range(steps):
        g = surface.grad(x)
        u, state = optimizer.update(g, state, x)
        new_x = x + u
        loss = float(surface.value(new_x))
        if ends_run(surface, new_x, loss):
            diverged_step = i
            break
        if left_domain_step < 0 and not surface.contains(new_x):
            left_domain_step = i
        grads.append(g)
        updates.append(u)
        states.append(state)
        params.append(new_x)
        losses.append(loss)
        x = new_x

    dim = surface.dim
    update_array = np.array(updates).reshape(-1, dim)
    return Trajectory(
        params=np.array(params),
        loss=np.array(losses),
        grads=np.array(grads).reshape(-1, dim),
        updates=update_array,
        step_size=np.linalg.norm(update_array, axis=-1),
        state={k: np.array([s[k] for s in states]) for k in (states[-1] if states else {})},
        diverged_step=diverged_step,
        left_domain_step=left_domain_step,
    )


@dataclass(frozen=True)
class TrajectoryRun:
    """A recorded optimizer run with the recipe and surface it came from."""

    id: str
    recipe: dict[str, Any]
    surface: Surface
    trajectory: Trajectory

    def to_arrays(self) -> dict[str, np.ndarray]:
        return self.trajectory.to_arrays()


def record_run(surface: Surface | str, optimizer: Optimizer, start, steps: int) -> TrajectoryRun:
    """:func:`record`, kept with its recipe as the figure builders read it.

    The recipe names the optimizer: a course optimizer's name, or one's own optimizer's label,
    which figures print in a colour no course optimizer has.
    """
    s = get_surface(surface) if isinstance(surface, str) else surface
    recipe = {
        "surface": s.name,
        "optimizer": optimizer.name,
        "hyperparameters": dict(optimizer.hyperparameters),
        "start": [float(x) for x in start],
        "steps": steps,
    }
    trajectory = record(s, optimizer, start, steps)
    return TrajectoryRun(f"{s.name}/{optimizer.name}", recipe, s, trajectory)
