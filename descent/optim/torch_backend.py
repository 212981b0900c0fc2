"""The production backend: each update is one real ``torch.optim`` step.

To stay pure, an update loads the state it was given into an optimizer, steps once, and reads the
new state back *after* ``step()`` (torch creates most buffers during the step). When it is given
back the very state it returned last, the live optimizer already holds that state, so only the
parameters are copied in: the same numbers, without rebuilding the optimizer at every step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

from descent.optim.protocol import OptimizerEntry, OptimizerState


def torch_optimizer(entry: OptimizerEntry, params, hp: Mapping[str, Any]) -> torch.optim.Optimizer:
    """The entry's ``torch.optim`` optimizer over ``params`` with hyperparameters ``hp``."""
    make = (
        getattr(torch.optim, entry.torch_class) if isinstance(entry.torch_class, str) else entry.torch_class
    )
    optimizer = make(params, **entry.torch_kwargs(hp))
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"{entry.label}: expected a torch.optim.Optimizer, got {type(optimizer).__name__}")
    return optimizer


def model_optimizers(entry: OptimizerEntry, model: torch.nn.Module, hp: Mapping[str, Any]):
    """The optimizers that train ``model`` with ``entry``: one over all its parameters; for an
    optimizer of weight matrices (Muon), that one over the hidden layers' weight matrices and AdamW
    over every other parameter (the first and last layer, the biases), as torch's documentation
    of ``torch.optim.Muon`` says. Step each of them after every backward pass."""
    if not entry.matrices_only:
        return [torch_optimizer(entry, model.parameters(), hp)]
    from descent.optim.registry import OPTIMIZERS, resolve_hyperparameters

    layers = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    hidden = [layer.weight for layer in layers[1:-1]]
    if not hidden:
        raise ValueError(
            f"{entry.label} steps the weight matrices between hidden layers: a network with "
            f"{len(layers)} linear layer(s) has none; give it at least two hidden layers"
        )
    chosen = {id(w) for w in hidden}
    others = [q for q in model.parameters() if id(q) not in chosen]
    adamw = OPTIMIZERS["adamw"]
    return [
        torch_optimizer(entry, hidden, hp),
        torch_optimizer(adamw, others, resolve_hyperparameters("adamw", {"lr": hp["adamw_lr"]})),
    ]


def build(entry: OptimizerEntry, hp: Mapping[str, Any]):
    def make(params: np.ndarray) -> tuple[torch.nn.Parameter, torch.optim.Optimizer]:
        p = torch.nn.Parameter(torch.tensor(params, dtype=torch.float64))
        return p, torch_optimizer(entry, [p], hp)

    def init(params: np.ndarray) -> OptimizerState:
        if entry.initial_state is not None:
            return entry.initial_state(np.asarray(params, dtype=np.float64), hp)
        p, opt = make(np.asarray(params, dtype=np.float64))  # one's own class: what it makes when made
        return read_state(opt, p)

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
                for key in entry.scalar_state:  # loading made it float64; torch makes it its scalar dtype
                    opt.state[p][key] = opt.state[p][key].to(scalar_dtype())
        p.grad = torch.tensor(grads, dtype=torch.float64)
        opt.step()
        new_state = read_state(opt, p)
        live.update(state=new_state, p=p, opt=opt)
        updates = p.detach().numpy() - np.asarray(params, dtype=np.float64)
        return updates, new_state

    return init, update


def scalar_dtype() -> torch.dtype:
    """The dtype torch.optim keeps scalar buffers in (``step``, NAdam's ``mu_product``)."""
    return torch.float64 if torch.get_default_dtype() == torch.float64 else torch.float32


def read_state(opt: torch.optim.Optimizer, p: torch.Tensor) -> OptimizerState:
    """The optimizer's buffers for ``p`` as float64 arrays, under torch's names."""
    return {
        k: v.detach().numpy().astype(np.float64, copy=True)
        for k, v in opt.state[p].items()
        if isinstance(v, torch.Tensor)
    }


def warm_up() -> None:
    """Take one throwaway step: torch's first ``step()`` in a process spends seconds on lazy
    imports, which forked build workers then inherit instead of repeating."""
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    p.grad = torch.ones(1, dtype=torch.float64)
    torch.optim.Adam([p]).step()
