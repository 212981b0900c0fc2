"""The production backend: each update is one real ``torch.optim`` step.

To stay pure, an update loads the state it was given into an optimizer, steps once, and reads the
new state back *after* ``step()`` (torch creates its buffers during the step). When it is given
back the very state it returned last, the live optimizer already holds that state, so only the
parameters are copied in: the same numbers, without rebuilding the optimizer at every step.
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

    live: dict = {"state": None}  # the optimizer of the last update and the state it returned

    def update(grads: np.ndarray, state: OptimizerState, params: np.ndarray):
        if state and state is live["state"]:
            p, opt = live["p"], live["opt"]
            with torch.no_grad():
                p.copy_(torch.as_tensor(np.asarray(params, dtype=np.float64)))
        else:
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
        live.update(state=new_state, p=p, opt=opt)
        updates = p.detach().numpy() - np.asarray(params, dtype=np.float64)
        return updates, new_state

    return init, update


def warm_up() -> None:
    """Take one throwaway step: torch's first ``step()`` in a process spends seconds on lazy
    imports, which forked build workers then inherit instead of repeating."""
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    p.grad = torch.ones(1, dtype=torch.float64)
    torch.optim.Adam([p]).step()
