"""The optimizer protocol, and the types a registry entry is made of. Types only: this module
imports no backend and no entry, so every other module of the package can import it.

An optimizer is two pure functions: ``init(params) -> state`` and
``update(grads, state, params) -> (updates, new_state)``, with ``new_params = params + updates``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Buffers by the names torch.optim gives them ("step", "exp_avg", ...), as float64 arrays.
OptimizerState = dict[str, np.ndarray]

# An update rule written out in numpy: (grads, state, hyperparameters, params) -> (updates, state).
Rule = Callable[
    [np.ndarray, OptimizerState, Mapping[str, float], np.ndarray], tuple[np.ndarray, OptimizerState]
]


@dataclass(frozen=True)
class Interval:
    """The finite numbers from ``low`` to ``high``; ``open`` says which ends are left out."""

    low: float
    high: float = math.inf
    open: tuple[bool, bool] = (False, True)

    def __contains__(self, x: float) -> bool:
        above = x > self.low if self.open[0] else x >= self.low
        below = x < self.high if self.open[1] else x <= self.high
        return math.isfinite(x) and above and below

    @property
    def meaning(self) -> str:
        """What a valid value is, as an error message says it: "a number in [0, 1)"."""
        if math.isinf(self.high):
            return f"a finite number {'>' if self.open[0] else '>='} {self.low:g}"
        if math.isinf(self.low):
            return f"a finite number {'<' if self.open[1] else '<='} {self.high:g}"
        left, right = "(" if self.open[0] else "[", ")" if self.open[1] else "]"
        return f"a number in {left}{self.low:g}, {self.high:g}{right}"


@dataclass(frozen=True)
class Hyperparameter:
    """One hyperparameter: its default (``None``: required), the values torch accepts, how pages
    write it (``symbol`` "β₁", ``label`` "First-moment decay"), and where a slider or a search may
    move it: ``range`` (None: not tuned) on ``scale`` ("log", "linear", or "log1m": log(1 − x))."""

    default: float | None
    valid: Interval
    symbol: str
    label: str
    range: tuple[float, float] | None = None
    scale: str = "linear"

    @property
    def meaning(self) -> str:
        return self.valid.meaning


@dataclass(frozen=True)
class OptaxForm:
    """How Optax builds an optimizer: ``build(optax, hyperparameters)`` returns its gradient
    transformation (or raises ``NotImplementedError`` for settings Optax cannot express), and
    ``renames`` maps Optax state leaves to torch's buffer names where they differ from the usual."""

    build: Callable[[Any, Mapping[str, float]], Any]
    renames: Mapping[str, str] = field(default_factory=dict)
    # Leaves that are constants of the hyperparameters, not state (Schedule-Free keeps its b1
    # there): left out of the named state, a fresh ``init`` supplies them.
    fixed: frozenset[str] = frozenset()
    # Buffers a lesson reads that Optax computes on demand (Schedule-Free's evaluation point x):
    # ``derived(new_state, new_params, hyperparameters)`` returns them, kept beside the state.
    derived: Callable[[OptimizerState, np.ndarray, Mapping[str, float]], OptimizerState] | None = None


@dataclass(frozen=True)
class OptimizerEntry:
    """Everything about one optimizer, read by every backend, figure, video and page.

    ``torch_class`` is a ``torch.optim`` class name (or, for an optimizer of one's own, the class
    or a factory ``params -> torch.optim.Optimizer``), called with ``torch_kwargs(hyperparameters)``.
    ``initial_state`` is the state torch holds before the first step, under torch's names (``None``:
    whatever the torch class builds when it is made). ``reference`` is the update rule in numpy
    (``None``: there is none). ``optax`` is the Optax form, or the reason there is none.

    ``production`` names the library whose numbers the course publishes: ``"torch"``, or
    ``"optax"`` where torch has no such optimizer (its ``torch_class`` then steps each parameter
    with the Optax form, so that everything that makes a torch optimizer runs it alike).
    ``scalar_state`` names buffers torch keeps in its scalar dtype (float32 unless the default
    dtype is float64), as it keeps ``step``. ``matrices_only``, where set, says why the optimizer
    cannot step a vector (the playground's points): it steps weight matrices only.
    """

    name: str
    label: str
    colour: str
    marker: str
    hyperparameters: Mapping[str, Hyperparameter]
    torch_class: str | Callable[..., Any]
    torch_kwargs: Callable[[Mapping[str, Any]], dict[str, Any]]
    initial_state: Callable[[np.ndarray, Mapping[str, Any]], OptimizerState] | None
    reference: Rule | None
    optax: OptaxForm | str
    production: str = "torch"
    scalar_state: tuple[str, ...] = ()
    matrices_only: str | None = None


@dataclass(frozen=True)
class Optimizer:
    """A pure optimizer: ``init`` makes the state, ``update`` returns updates and a new state.

    Neither function mutates its arguments. ``label`` is what legends print.
    """

    name: str
    backend: str
    hyperparameters: Mapping[str, Any]
    init: Callable[[np.ndarray], OptimizerState]
    update: Callable[[np.ndarray, OptimizerState, np.ndarray], tuple[np.ndarray, OptimizerState]]
    label: str = ""


@dataclass(frozen=True)
class ScheduleEntry:
    """Everything about one learning-rate schedule over a run of ``steps`` steps at rate ``lr``.

    ``torch(lr_scheduler, optimizer, steps, hp)`` makes the ``torch.optim.lr_scheduler`` runs use
    (given the module, so that reading the registry loads no torch); ``reference(lr, steps, hp)``
    gives the rate of every step from torch's own recurrences in Python floats; ``optax(optax, lr,
    steps, hp)`` returns Optax's schedule (step -> rate) for the same rates, or the entry holds the
    reason there is none. ``parameters`` are the schedule's own hyperparameters; ``misfit(steps,
    hp)``, where given, says why a run of ``steps`` steps cannot take them (as ``(key, why)``).
    ``colour`` draws the schedule wherever runs differ by their schedule (figures and videos).
    """

    name: str
    label: str
    parameters: Mapping[str, Hyperparameter]
    torch: Callable[[Any, Any, int, Mapping[str, float]], Any]
    reference: Callable[[float, int, Mapping[str, float]], list[float]]
    optax: Callable[[Any, float, int, Mapping[str, float]], Callable[[Any], Any]] | str
    misfit: Callable[[int, Mapping[str, float]], tuple[str, str] | None] | None = None
    colour: str = "#8e8e8e"
