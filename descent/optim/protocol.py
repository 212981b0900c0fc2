"""The optimizer protocol and the factory that picks a backend."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

# Buffers by the names torch.optim gives them ("step", "exp_avg", ...), as float64 arrays.
OptimizerState = dict[str, np.ndarray]


@dataclass(frozen=True)
class Optimizer:
    """A pure optimizer: ``init`` makes the state, ``update`` returns updates and a new state.

    Neither function mutates its arguments.
    """

    name: str
    backend: str
    hyperparameters: Mapping[str, float]
    init: Callable[[np.ndarray], OptimizerState]
    update: Callable[[np.ndarray, OptimizerState, np.ndarray], tuple[np.ndarray, OptimizerState]]


def make_optimizer(name: str, hyperparameters: Mapping[str, Any], backend: str = "torch") -> Optimizer:
    """Optimizer ``name`` with ``hyperparameters`` (defaults filled in) on ``backend``."""
    from descent.optim import reference, torch_backend
    from descent.optim.rules import resolve_hyperparameters

    def optax_build(name, hp):  # imported only when asked for: JAX is an optional extra
        from descent.optim import optax_backend

        return optax_backend.build(name, hp)

    backends = {"torch": torch_backend.build, "reference": reference.build, "optax": optax_build}
    if backend not in backends:
        raise ValueError(f"unknown backend {backend!r}; known: {', '.join(backends)}")
    resolved = resolve_hyperparameters(name, hyperparameters)
    init, update = backends[backend](name, resolved)
    return Optimizer(name, backend, resolved, init, update)
