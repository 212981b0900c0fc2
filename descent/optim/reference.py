"""The reference backend: an entry's update rule, written out in numpy (``OptimizerEntry.reference``).

The rules agree with ``torch.optim`` to rounding error (tests/test_optim.py holds them to it); they
run without torch, ten times faster, for notebooks and sensitivity measurements.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from descent.optim.protocol import OptimizerEntry, OptimizerState


def build(entry: OptimizerEntry, hp: Mapping[str, float]):
    rule, initial = entry.reference, entry.initial_state
    if rule is None or initial is None:
        raise ValueError(f"{entry.label} has no reference rule; run it on the torch backend")

    def init(params: np.ndarray) -> OptimizerState:
        return initial(np.asarray(params, dtype=np.float64), hp)

    def update(grads: np.ndarray, state: OptimizerState, params: np.ndarray):
        g = np.asarray(grads, dtype=np.float64)
        p = np.asarray(params, dtype=np.float64)
        return rule(g, state, hp, p)

    return init, update
