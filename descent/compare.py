"""Fair comparisons: each optimizer at the learning rate a stated search found best for it.

The search budget is the set of runs a lesson declares (every optimizer over the same grid of
learning rates, from the same start, for the same number of steps). The rule that picks among them
is fixed here and stated on the page, so figures and videos pick the same runs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from descent.trajectory import TrajectoryRun


@dataclass(frozen=True)
class Outcome:
    """How one run did: steps until the loss gap fell to the tolerance for good, and where it ended."""

    run: TrajectoryRun
    steps_to_tolerance: int | None  # None: not within the tolerance at the end of the run
    final_gap: float  # L - L* at the last recorded step (inf if the run diverged)
    final_distance: float  # distance from the global minimum at the last recorded step

    @property
    def lr(self) -> float:
        return self.run.recipe["hyperparameters"]["lr"]


RULE = (
    "fewest steps until L − L* ≤ tolerance for the rest of the run; runs that do not end there rank "
    "after those that do, "
    "by their final L − L*; diverged runs rank last; ties go to the smaller learning rate"
)


def loss_gap(run: TrajectoryRun) -> np.ndarray:
    """``L(w_t) - L*`` per recorded step, L* the global minimum's value."""
    return run.trajectory.loss - run.surface.global_minimum.value


def distance(run: TrajectoryRun) -> np.ndarray:
    """``|w_t - w*|`` per recorded step, w* the global minimum."""
    return np.linalg.norm(run.trajectory.params - np.array(run.surface.global_minimum.point), axis=-1)


def outcome(run: TrajectoryRun, tolerance: float) -> Outcome:
    return Outcome(run, steps_to_tolerance(run, tolerance), final_gap(run), float(distance(run)[-1]))


def steps_to_tolerance(run: TrajectoryRun, tolerance: float) -> int | None:
    """The first step from which L − L* stays within ``tolerance`` to the end of the run
    (a run that merely passes through the tolerance on its way elsewhere does not count)."""
    if run.trajectory.diverged:
        return None
    outside = np.nonzero(loss_gap(run) > tolerance)[0]
    if len(outside) == 0:
        return 0
    last = int(outside[-1])
    return None if last == run.trajectory.steps else last + 1


def final_gap(run: TrajectoryRun) -> float:
    return math.inf if run.trajectory.diverged else float(loss_gap(run)[-1])


def rank_key(o: Outcome) -> tuple:
    if o.steps_to_tolerance is not None:
        return (0, o.steps_to_tolerance, o.lr)
    return (1, o.final_gap, o.lr)


def best_per_optimizer(runs: list[TrajectoryRun], tolerance: float) -> dict[str, Outcome]:
    """For each optimizer among ``runs`` (in order of first appearance), its best run by :data:`RULE`."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for run in runs:
        groups[run.recipe["optimizer"]].append(outcome(run, tolerance))
    return {name: min(outcomes, key=rank_key) for name, outcomes in groups.items()}


def search_budget(runs: list[TrajectoryRun]) -> dict:
    """What the search tried, as a page states it: learning rates, steps and start per optimizer."""
    rates = sorted({r.recipe["hyperparameters"]["lr"] for r in runs})
    return {
        "optimizers": list(dict.fromkeys(r.recipe["optimizer"] for r in runs)),
        "learning_rates": rates,
        "runs": len(runs),
        "steps": max(r.recipe["steps"] for r in runs),
        "start": runs[0].recipe["start"],
    }
