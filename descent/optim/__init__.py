"""Optimizers under one protocol: ``init(params) -> state`` and
``update(grads, state, params) -> (updates, new_state)``, with ``new_params = params + updates``.

Each optimizer is one entry of :data:`OPTIMIZERS` (``descent/optim/registry.py``), which three
backends read: ``torch`` (the production one, a real ``torch.optim`` step; for Lion and
Schedule-Free AdamW, which torch has not, a torch optimizer that steps with Optax's update),
``reference`` (numpy, written from the update rule) and ``optax`` (optional). They share names,
hyperparameters and the names of state buffers (``exp_avg``, ``momentum_buffer`` ...), so
trajectories from any of them compare entry by entry. One's own ``torch.optim`` optimizer runs
through the same protocol: ``make_optimizer(MyAdam, {"lr": 1e-3}, label="My Adam")``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from descent.optim import reference
from descent.optim.protocol import Hyperparameter, Optimizer, OptimizerEntry, OptimizerState
from descent.optim.registry import (
    OPTIMIZERS,
    OTHER_COLOURS,
    HyperparameterError,
    Style,
    own_entry,
    resolve_hyperparameters,
    style_of,
)


# The torch and Optax backends are imported when an optimizer is made on them, so that reading
# the registry (figures, videos, specs) loads neither torch nor JAX (an optional extra).
def _torch_build(entry, hp):
    from descent.optim import torch_backend

    return torch_backend.build(entry, hp)


def _optax_build(entry, hp):
    from descent.optim import optax_backend

    return optax_backend.build(entry, hp)


def model_optimizers(name: str, hyperparameters: Mapping[str, Any], model) -> list:
    """The ``torch.optim`` optimizers that train ``model`` with course optimizer ``name`` (its
    hyperparameters checked, defaults filled in): one, or for Muon, Muon over the hidden layers'
    weight matrices and AdamW over the other parameters."""
    from descent.optim import torch_backend

    hp = resolve_hyperparameters(name, hyperparameters)  # an unknown name fails here, naming it
    return torch_backend.model_optimizers(OPTIMIZERS[name], model, hp)


BACKENDS = {"torch": _torch_build, "reference": reference.build, "optax": _optax_build}


def make_optimizer(
    optimizer: str | Callable[..., Any],
    hyperparameters: Mapping[str, Any],
    backend: str = "torch",
    *,
    label: str | None = None,
) -> Optimizer:
    """Optimizer ``optimizer`` with ``hyperparameters`` on ``backend``.

    ``optimizer`` is a course optimizer's name (its hyperparameters are checked and their defaults
    filled in), or one's own ``torch.optim.Optimizer`` subclass (given the hyperparameters as
    keyword arguments) or factory ``params -> torch.optim.Optimizer`` (which sets its own; the
    hyperparameters then only describe it), named ``label`` in figures; those run on the torch
    backend only.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; known: {', '.join(BACKENDS)}")
    if isinstance(optimizer, str):
        entry = OPTIMIZERS.get(optimizer)
        resolved = resolve_hyperparameters(optimizer, hyperparameters)
    else:
        entry = own_entry(optimizer, label)
        resolved = dict(hyperparameters)
    init, update = BACKENDS[backend](entry, resolved)
    return Optimizer(entry.name, backend, resolved, init, update, entry.label)


__all__ = [
    "BACKENDS",
    "OPTIMIZERS",
    "OTHER_COLOURS",
    "Hyperparameter",
    "Optimizer",
    "OptimizerEntry",
    "OptimizerState",
    "Style",
    "make_optimizer",
    "model_optimizers",
    "HyperparameterError",
    "resolve_hyperparameters",
    "style_of",
]
