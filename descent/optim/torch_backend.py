"""The production backend: each update is one real ``torch.optim`` step.

To stay pure, every update builds the optimizer afresh, loads the state it was given, steps once,
and reads the new state back *after* ``step()`` (torch creates its buffers during the step).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import torch

from descent.optim.protocol import OptimizerState
from descent.optim.rules import OPTIMIZERS


def build(name: str, hp: Mapping[str, float]):
    rule = OPTIMIZERS[name]
    cls = getattr(torch.optim, rule.torch_class)
    kwargs = rule.torch_kwargs(hp)

    def make(params: np.ndarray) -> tuple[torch.nn.Parameter, torch.optim.Optimizer]:
        p = torch.nn.Parameter(torch.tensor(params, dtype=torch.float64))
        return p, cls([p], **kwargs)

    def init(params: np.ndarray) -> OptimizerState:
        # torch.optim creates its buffers lazily in the first step(): the initial state is empty.
        return {}

    def update(grads: np.ndarray, state: OptimizerState, params: np.ndarray):
        p, opt = make(params)
        if state:
            saved = opt.state_dict()
            saved["state"] = {0: {k: torch.tensor(v) for k, v in state.items()}}
            opt.load_state_dict(saved)
        p.grad = torch.tensor(grads, dtype=torch.float64)
        opt.step()
        new_state = {
            k: v.detach().numpy().astype(np.float64, copy=True)
            for k, v in opt.state[p].items()
            if isinstance(v, torch.Tensor)
        }
        updates = p.detach().numpy() - np.asarray(params, dtype=np.float64)
        return updates, new_state

    return init, update


def warm_up() -> None:
    """Take one throwaway step: torch's first ``step()`` in a process spends seconds on lazy
    imports, which forked build workers then inherit instead of repeating."""
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    p.grad = torch.ones(1, dtype=torch.float64)
    torch.optim.Adam([p]).step()
