"""The fair-comparison protocol, in the spirit of AlgoPerf's external tuning: the rule only, data
in and data out (it runs nothing; ``descent.trials`` runs the trials).

- **Search space.** Every hyperparameter of an optimizer that the registry gives a ``range`` is
  searched over that range on its ``scale`` (log, linear, or log1m: log(1 − x)); every other keeps
  its default. Learning-rate-only tuning searches the learning rate alone, the rest at defaults.
- **Trials.** Each study draws the same number of trials for every optimizer, quasi-randomly: the
  first points of a scrambled Sobol sequence seeded by the study's seed, one dimension per searched
  hyperparameter, mapped onto the ranges.
- **Score.** On each problem, a trial's steps to the target is the first step whose loss is at or
  below the target (infinite if it never is within the budget, or diverges first); a study's result
  is its fastest trial; the score is the median over the studies, infinity sorting above every
  number (so with three studies the score is finite when two of them reach the target).
- **Performance profile** (Dolan & Moré 2002): on each problem, an optimizer's ratio is its score
  over the best score among the optimizers that apply there; its profile at τ is the share of the
  problems it applies to on which its ratio is at most τ. A problem no optimizer solves counts as
  unsolved for all of them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from descent.optim.protocol import Hyperparameter

SCALES = ("log", "linear", "log1m")
MODES = ("full", "lr")  # every ranged hyperparameter searched / the learning rate only


@dataclass(frozen=True)
class Dimension:
    """One searched hyperparameter: ``name`` drawn from ``[low, high]`` on ``scale``."""

    name: str
    low: float
    high: float
    scale: str

    def __post_init__(self):
        if self.scale not in SCALES:
            raise ValueError(f"{self.name}: unknown scale {self.scale!r}; known: {', '.join(SCALES)}")
        if not self.low < self.high:
            raise ValueError(f"{self.name}: the range must have low < high, got {self.low!r}, {self.high!r}")
        if self.scale == "log" and self.low <= 0:
            raise ValueError(f"{self.name}: a log range must be above 0, got low = {self.low!r}")
        if self.scale == "log1m" and self.high >= 1:
            raise ValueError(f"{self.name}: a log1m range must stay below 1, got high = {self.high!r}")

    def place(self, u: np.ndarray) -> np.ndarray:
        """Points ``u`` of [0, 1) mapped onto the range, evenly on its scale."""
        u = np.asarray(u, dtype=np.float64)
        if self.scale == "log":
            return np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        if self.scale == "log1m":  # even in log(1 - x): 0.9, 0.99, 0.999 are equally far apart
            a, b = np.log1p(-self.low), np.log1p(-self.high)
            return -np.expm1(a + u * (b - a))
        return self.low + u * (self.high - self.low)


@dataclass(frozen=True)
class SearchSpace:
    """What a tuning searches (``dimensions``) and what it holds at a fixed value (``fixed``)."""

    dimensions: tuple[Dimension, ...]
    fixed: Mapping[str, float]

    def to_recipe(self) -> dict:
        """As a recipe states it: the searched dimensions as a list, in the order of the Sobol
        sequence's dimensions (a recipe's JSON sorts the keys of a mapping)."""
        return {
            "search": [
                {"name": d.name, "low": d.low, "high": d.high, "scale": d.scale} for d in self.dimensions
            ],
            "fixed": dict(self.fixed),
        }

    @classmethod
    def from_recipe(cls, recipe: Mapping) -> SearchSpace:
        dims = tuple(Dimension(d["name"], d["low"], d["high"], d["scale"]) for d in recipe["search"])
        return cls(dims, dict(recipe["fixed"]))


def search_space(hyperparameters: Mapping[str, Hyperparameter], mode: str) -> SearchSpace:
    """The protocol's space for an optimizer's hyperparameters: in mode ``"full"`` every one with a
    ``range``, in mode ``"lr"`` the learning rate alone; the others at their defaults."""
    if mode not in MODES:
        raise ValueError(f"unknown tuning mode {mode!r}; known: {', '.join(MODES)}")
    if "lr" not in hyperparameters or hyperparameters["lr"].range is None:
        raise ValueError("the protocol tunes the learning rate: an optimizer needs an 'lr' with a range")
    dims, fixed = [], {}
    for name, hp in hyperparameters.items():
        if hp.range is not None and (mode == "full" or name == "lr"):
            dims.append(Dimension(name, float(hp.range[0]), float(hp.range[1]), hp.scale))
        else:
            if hp.default is None:
                raise ValueError(f"{name} has neither a range nor a default: the protocol cannot set it")
            fixed[name] = float(hp.default)
    return SearchSpace(tuple(dims), fixed)


def draw_trials(space: SearchSpace, trials: int, seed: int) -> list[dict[str, float]]:
    """``trials`` settings of ``space``: the first points of a scrambled Sobol sequence (seeded by
    ``seed``) placed on the searched ranges, each with the fixed values added."""
    import torch  # only where trials are drawn

    if trials < 1:
        raise ValueError(f"a study needs at least one trial, got {trials}")
    engine = torch.quasirandom.SobolEngine(len(space.dimensions), scramble=True, seed=seed)
    u = engine.draw(trials, dtype=torch.float64).numpy()
    columns = {d.name: d.place(u[:, i]) for i, d in enumerate(space.dimensions)}
    return [{**{k: float(v[t]) for k, v in columns.items()}, **space.fixed} for t in range(trials)]


def first_at_target(losses: np.ndarray, target: float) -> np.ndarray:
    """Per trial (``losses[trials, steps + 1]``, the loss before step 1 first), the first step
    count after which the loss is at or below ``target``; inf if none (NaN never counts)."""
    losses = np.asarray(losses, dtype=np.float64)
    hit = np.nan_to_num(losses, nan=np.inf) <= target
    first = np.argmax(hit, axis=-1).astype(np.float64)
    return np.where(hit.any(axis=-1), first, np.inf)


def median_score(steps: np.ndarray) -> float:
    """The score of ``steps[studies, trials]``: each study's fastest trial, then the median over the
    studies, infinity above every number (an even count takes the mean of the middle two, so
    infinite when either is)."""
    fastest = np.min(np.asarray(steps, dtype=np.float64), axis=-1)
    if np.isnan(fastest).any():
        raise ValueError("steps to the target are numbers or inf, never NaN")
    middle = np.sort(fastest)
    n = len(middle)
    if n == 0:
        raise ValueError("a score needs at least one study")
    if n % 2:
        return float(middle[n // 2])
    low, high = middle[n // 2 - 1], middle[n // 2]
    return math.inf if math.isinf(high) else float((low + high) / 2)


def ratios(scores: np.ndarray) -> np.ndarray:
    """Dolan & Moré's ratios of ``scores[problems, optimizers]`` (NaN: the optimizer does not
    apply there): each score over the problem's best; inf where the score is infinite, or where no
    optimizer reaches the target; NaN where the optimizer does not apply."""
    scores = np.asarray(scores, dtype=np.float64)
    best = np.nanmin(np.where(np.isnan(scores), np.inf, scores), axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(np.isfinite(best) & np.isfinite(scores), scores / np.where(best > 0, best, 1), np.inf)
    if np.any((best == 0) & np.isfinite(scores)):
        raise ValueError("a score of 0 steps: the target must lie below the starting loss")
    return np.where(np.isnan(scores), np.nan, r)


def performance_profile(scores: np.ndarray, taus: Sequence[float]) -> np.ndarray:
    """``profile[optimizers, taus]``: for each optimizer, the share of the problems it applies to
    (its non-NaN scores) on which its ratio to the best is at most τ."""
    r = ratios(scores)
    applies = ~np.isnan(r)
    if not applies.any(axis=0).all():
        raise ValueError("every optimizer must apply to at least one problem")
    within = np.stack([(np.nan_to_num(r, nan=np.inf) <= tau).sum(axis=0) for tau in taus], axis=1)
    return within / applies.sum(axis=0)[:, None]


def profile_taus(scores: np.ndarray, points: int = 60) -> np.ndarray:
    """τ from 1 to a little past the largest finite ratio, evenly on a log scale, with every ratio
    itself among them, so a profile drawn as steps shows each jump where it happens."""
    r = ratios(scores)
    finite = r[np.isfinite(r)]
    top = max(2.0, float(finite.max()) * 1.25) if finite.size else 2.0
    return np.unique(np.concatenate([np.geomspace(1.0, top, points), finite]))
