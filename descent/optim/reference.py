"""The reference backend: every optimizer written out from its update rule in numpy.

The rules follow the algorithms as ``torch.optim`` documents them (e.g. momentum's buffer starts as
the first gradient; Adam divides by ``sqrt(v / (1 - beta2^t)) + eps``), so the two backends must
agree to rounding error. Each function returns a new state and never mutates its inputs.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from descent.optim.protocol import OptimizerState


def build(name: str, hp: Mapping[str, float]):
    rule = _RULES[name]

    def init(params: np.ndarray) -> OptimizerState:
        return {}

    def update(grads: np.ndarray, state: OptimizerState, params: np.ndarray):
        g = np.asarray(grads, dtype=np.float64)
        p = np.asarray(params, dtype=np.float64)
        return rule(g, state, hp, p)

    return init, update


def _sgd(g, state, hp, p):
    return -hp["lr"] * g, {}


def _momentum(g, state, hp, p, nesterov=False):
    mu = hp["momentum"]
    if "momentum_buffer" in state:
        buf = mu * state["momentum_buffer"] + (1 - hp.get("dampening", 0.0)) * g
    else:
        buf = g.copy()
    direction = g + mu * buf if nesterov else buf
    return -hp["lr"] * direction, {"momentum_buffer": buf}


def _adagrad(g, state, hp, p):
    step = state.get("step", np.array(0.0)) + 1
    total = state.get("sum", np.full_like(g, hp["initial_accumulator_value"])) + g * g
    clr = hp["lr"] / (1 + (step - 1) * hp["lr_decay"])
    return -clr * g / (np.sqrt(total) + hp["eps"]), {"step": step, "sum": total}


def _rmsprop(g, state, hp, p):
    step = state.get("step", np.array(0.0)) + 1
    alpha = hp["alpha"]
    sq = alpha * state.get("square_avg", np.zeros_like(g)) + (1 - alpha) * g * g
    return -hp["lr"] * g / (np.sqrt(sq) + hp["eps"]), {"step": step, "square_avg": sq}


def _adam(g, state, hp, p):
    b1, b2, lr = hp["beta1"], hp["beta2"], hp["lr"]
    step = state.get("step", np.array(0.0)) + 1
    # m moves a fraction (1 - beta1) of the way to g; written as torch writes it (lerp), so the
    # two backends round alike.
    m_prev = state.get("exp_avg", np.zeros_like(g))
    m = _lerp(m_prev, g, 1 - b1)
    v = b2 * state.get("exp_avg_sq", np.zeros_like(g)) + (1 - b2) * g * g
    bias1 = 1 - b1**step
    bias2 = 1 - b2**step
    adam_step = -(lr / bias1) * m / (np.sqrt(v) / np.sqrt(bias2) + hp["eps"])
    # AdamW decays the weights directly, apart from the gradient (Loshchilov & Hutter, 2019).
    updates = adam_step - lr * hp.get("weight_decay", 0.0) * p
    return updates, {"step": step, "exp_avg": m, "exp_avg_sq": v}


def _lerp(start, end, weight):
    """``start + weight * (end - start)``, evaluated as torch's CPU ``lerp`` does."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


_RULES = {
    "sgd": _sgd,
    "momentum": _momentum,
    "nesterov": lambda g, state, hp, p: _momentum(g, state, hp, p, nesterov=True),
    "adagrad": _adagrad,
    "rmsprop": _rmsprop,
    "adam": _adam,
    "adamw": _adam,
}
