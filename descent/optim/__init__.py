"""Optimizers under one protocol: ``init(params) -> state`` and
``update(grads, state, params) -> (updates, new_state)``, with ``new_params = params + updates``.

Two backends implement every optimizer: ``torch`` (the production one, a real ``torch.optim``
step) and ``reference`` (numpy, written from the update rules). They share names, hyperparameters
and the names of state buffers (``exp_avg``, ``momentum_buffer`` ...), so trajectories from either
can be compared entry by entry.
"""

from descent.optim.protocol import Optimizer, OptimizerState, make_optimizer
from descent.optim.rules import OPTIMIZERS, OptimizerRule, Style, resolve_hyperparameters, style_of

__all__ = [
    "OPTIMIZERS",
    "Optimizer",
    "OptimizerRule",
    "OptimizerState",
    "Style",
    "make_optimizer",
    "resolve_hyperparameters",
    "style_of",
]
