"""Optax optimizers as ``torch.optim`` optimizers, for the entries torch has none of (Lion,
Schedule-Free AdamW).

Each parameter tensor is stepped by its entry's Optax transform in float64, with the rate its
group holds at that step (so a ``torch.optim.lr_scheduler`` drives it as it drives torch's own),
and its state is kept in ``self.state[p]`` under the registry's names, as tensors: it saves, loads
and reads like any torch optimizer's. Whatever makes a torch optimizer from an entry (the
trajectory kind, network training, the regression runs, the playground's reference runs) runs
these without knowing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

from descent.optim import optax_backend
from descent.optim.protocol import OptimizerEntry


class OptaxOptimizer(torch.optim.Optimizer):
    """``entry``'s Optax form, stepping each parameter as a torch optimizer would."""

    def __init__(self, params, entry: OptimizerEntry, hyperparameters: Mapping[str, Any]):
        if isinstance(entry.optax, str):
            raise NotImplementedError(entry.optax)
        hp = {key: float(value) for key, value in hyperparameters.items()}
        # Every hyperparameter is a group default, so a parameter group may set its own (many
        # trials stepped together, one group each).
        super().__init__(params, hp)
        self.entry = entry
        self._keys = tuple(hp)
        self._steppers: dict[int, tuple] = {}  # group index -> its Optax step and hyperparameters

    def _stepper(self, index: int, group: dict):
        if index not in self._steppers:
            hp = {key: float(group[key]) for key in self._keys}
            self._steppers[index] = (optax_backend.stepper(self.entry, hp), hp)
        return self._steppers[index]

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for index, group in enumerate(self.param_groups):
            lr = float(group["lr"])
            step, hp = self._stepper(index, group)
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:  # made at the first step, as torch makes its buffers
                    start = p.detach().to(torch.float64).numpy()
                    state.update(_tensors(self.entry.initial_state(start, {**hp, "lr": lr})))
                params = p.detach().to(torch.float64).numpy()
                grads = p.grad.detach().to(torch.float64).numpy()
                named = {key: value.detach().numpy() for key, value in state.items()}
                updates, new_state = step(grads, named, params, lr)
                # optax.apply_updates: p + u, in the parameters' dtype.
                p.add_(torch.from_numpy(np.array(updates)).to(p.dtype))
                state.clear()
                state.update(_tensors(new_state))
        return loss


def _tensors(state: Mapping[str, np.ndarray]) -> dict[str, torch.Tensor]:
    return {key: torch.tensor(np.asarray(value, dtype=np.float64)) for key, value in state.items()}
