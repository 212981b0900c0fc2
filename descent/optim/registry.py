"""The course's optimizers, one entry each, in teaching order.

An entry holds everything about its optimizer: hyperparameters (defaults, valid values, symbols,
slider ranges), the ``torch.optim`` class and arguments (the production backend), the state torch
holds before the first step, the update rule written out in numpy (the reference backend), the
Optax form (the cross-framework check) and how every page draws it (label, colour, marker).

To add an optimizer: write its entry below (its rule beside it), its rule in the browser engine
(``docs/javascripts/playground/engine.js``) and its rows in the tests' tables. The figures, videos
and the playground find it here.

The reference rules follow the algorithms as ``torch.optim`` documents them (momentum's buffer
starts as the first gradient; Adam divides by ``sqrt(v / (1 - beta2^t)) + eps``), so they agree
with torch to rounding error; each returns a new state and never mutates its inputs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from descent.optim.protocol import Hyperparameter, Interval, OptaxForm, OptimizerEntry, OptimizerState

OPTIMIZERS: dict[str, OptimizerEntry] = {}  # name -> entry, in the order they are written below


def _register(entry: OptimizerEntry) -> None:
    OPTIMIZERS[entry.name] = entry


# Valid values (what torch.optim accepts) and the hyperparameters several optimizers share.
POSITIVE = Interval(0.0, open=(True, True))
NON_NEGATIVE = Interval(0.0)
UNIT = Interval(0.0, 1.0)  # [0, 1)
OPEN_UNIT = Interval(0.0, 1.0, open=(True, True))

LR = Hyperparameter(None, POSITIVE, "η", "Learning rate", (1e-4, 10.0), "log")
MOMENTUM = Hyperparameter(0.9, UNIT, "β", "Momentum", (0.0, 0.99))
BETA1 = Hyperparameter(0.9, UNIT, "β₁", "First-moment decay", (0.0, 0.99))
BETA2 = Hyperparameter(0.999, UNIT, "β₂", "Second-moment decay", (0.5, 0.9999), "log1m")
EPS = Hyperparameter(1e-8, POSITIVE, "ε", "Epsilon", (1e-10, 1e-2), "log")


def _no_state(params: np.ndarray, hp: Mapping[str, float]) -> OptimizerState:
    return {}


def _zeros(*names: str) -> Callable[[np.ndarray, Mapping[str, float]], OptimizerState]:
    """A step count of 0 and the named buffers at 0, as torch creates them before its first update."""

    def initial(params: np.ndarray, hp: Mapping[str, float]) -> OptimizerState:
        return {"step": np.array(0.0), **{name: np.zeros_like(params, dtype=np.float64) for name in names}}

    return initial


# ---------------------------------------------------------------- SGD, heavy ball, Nesterov


def _sgd(g, state, hp, p):
    return -hp["lr"] * g, {}


def _momentum(g, state, hp, p, nesterov=False):
    mu = hp["momentum"]
    if "momentum_buffer" in state:
        buf = mu * state["momentum_buffer"] + (1 - hp.get("dampening", 0.0)) * g
    else:  # torch's first buffer is the gradient itself, whatever the dampening
        buf = g.copy()
    direction = g + mu * buf if nesterov else buf
    return -hp["lr"] * direction, {"momentum_buffer": buf}


def _momentum_optax(optax, hp, nesterov=False):
    if hp.get("dampening", 0.0):
        raise NotImplementedError("Optax's momentum has no dampening")
    # Optax's trace starts at zero, so its first value is the gradient, as torch's buffer is.
    return optax.sgd(hp["lr"], momentum=hp["momentum"], nesterov=nesterov)


_register(
    OptimizerEntry(
        name="sgd",
        label="SGD",
        colour="#878f99",
        marker="circle",
        hyperparameters={"lr": LR},
        torch_class="SGD",
        torch_kwargs=lambda h: {"lr": h["lr"], "momentum": 0.0},
        initial_state=_no_state,  # plain SGD keeps no state
        reference=_sgd,
        optax=OptaxForm(lambda optax, h: optax.sgd(h["lr"])),
    )
)
_register(
    OptimizerEntry(
        name="momentum",
        label="Momentum",
        colour="#e8710a",
        marker="square",
        hyperparameters={
            "lr": LR,
            "momentum": MOMENTUM,
            "dampening": Hyperparameter(0.0, UNIT, "τ", "Dampening"),
        },
        torch_class="SGD",
        torch_kwargs=lambda h: {"lr": h["lr"], "momentum": h["momentum"], "dampening": h["dampening"]},
        # torch makes momentum_buffer in the first step, as a copy of that step's gradient: before
        # it there is no buffer (a zero buffer would be wrong with dampening).
        initial_state=_no_state,
        reference=_momentum,
        optax=OptaxForm(_momentum_optax),
    )
)
_register(
    OptimizerEntry(
        name="nesterov",
        label="Nesterov",
        colour="#a05ce0",
        marker="triangle-up",
        # torch.optim.SGD refuses Nesterov without momentum: beta = 0 is plain SGD.
        hyperparameters={"lr": LR, "momentum": Hyperparameter(0.9, OPEN_UNIT, "β", "Momentum", (0.0, 0.99))},
        torch_class="SGD",
        torch_kwargs=lambda h: {"lr": h["lr"], "momentum": h["momentum"], "nesterov": True},
        initial_state=_no_state,  # as for momentum: the buffer is made from the first gradient
        reference=lambda g, state, hp, p: _momentum(g, state, hp, p, nesterov=True),
        optax=OptaxForm(lambda optax, h: _momentum_optax(optax, h, nesterov=True)),
    )
)


# ---------------------------------------------------------------- AdaGrad, RMSprop


def _adagrad(g, state, hp, p):
    step = state["step"] + 1
    total = state["sum"] + g * g
    clr = hp["lr"] / (1 + (step - 1) * hp["lr_decay"])
    return -clr * g / (np.sqrt(total) + hp["eps"]), {"step": step, "sum": total}


def _adagrad_initial(params, hp):
    return {
        "step": np.array(0.0),
        "sum": np.full_like(params, hp["initial_accumulator_value"], dtype=np.float64),
    }


def _adagrad_optax(optax, hp):
    if hp["lr_decay"]:
        raise NotImplementedError("Optax's adagrad has no lr_decay")
    # Optax adds ε inside the square root, torch outside: equal only as ε -> 0.
    return optax.adagrad(hp["lr"], initial_accumulator_value=hp["initial_accumulator_value"], eps=hp["eps"])


def _rmsprop(g, state, hp, p):
    alpha = hp["alpha"]
    sq = alpha * state["square_avg"] + (1 - alpha) * g * g
    return -hp["lr"] * g / (np.sqrt(sq) + hp["eps"]), {"step": state["step"] + 1, "square_avg": sq}


_register(
    OptimizerEntry(
        name="adagrad",
        label="AdaGrad",
        colour="#a87a4e",
        marker="diamond",
        hyperparameters={
            "lr": LR,
            "lr_decay": Hyperparameter(0.0, NON_NEGATIVE, "δ", "Learning-rate decay"),
            "initial_accumulator_value": Hyperparameter(0.0, NON_NEGATIVE, "s₀", "Initial accumulator"),
            "eps": Hyperparameter(1e-10, POSITIVE, "ε", "Epsilon", (1e-10, 1e-2), "log"),
        },
        torch_class="Adagrad",
        torch_kwargs=lambda h: dict(h),
        initial_state=_adagrad_initial,  # torch.optim.Adagrad makes its state when it is made
        reference=_adagrad,
        optax=OptaxForm(_adagrad_optax, renames={"sum_of_squares": "sum"}),
    )
)
_register(
    OptimizerEntry(
        name="rmsprop",
        label="RMSprop",
        colour="#13a3a3",
        marker="triangle-down",
        hyperparameters={
            "lr": LR,
            "alpha": Hyperparameter(0.99, UNIT, "α", "Smoothing constant"),
            "eps": EPS,
        },
        torch_class="RMSprop",
        torch_kwargs=lambda h: dict(h),
        initial_state=_zeros("square_avg"),
        reference=_rmsprop,
        # Optax's defaults differ (decay 0.9, ε inside the root): every one is given.
        optax=OptaxForm(
            lambda optax, h: optax.rmsprop(
                h["lr"], decay=h["alpha"], eps=h["eps"], eps_in_sqrt=False, initial_scale=0.0
            ),
            renames={"nu": "square_avg"},
        ),
    )
)


# ---------------------------------------------------------------- Adam, AdamW


def _adam(g, state, hp, p):
    b1, b2, lr = hp["beta1"], hp["beta2"], hp["lr"]
    step = state["step"] + 1
    # m moves a fraction (1 - beta1) of the way to g; written as torch writes it (lerp), so the
    # two backends round alike.
    m = _lerp(state["exp_avg"], g, 1 - b1)
    v = b2 * state["exp_avg_sq"] + (1 - b2) * g * g
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


def _adam_kwargs(h: Mapping[str, float]) -> dict[str, Any]:
    return {"lr": h["lr"], "betas": (h["beta1"], h["beta2"]), "eps": h["eps"]}


_register(
    OptimizerEntry(
        name="adam",
        label="Adam",
        colour="#e0489e",
        marker="pentagon",
        hyperparameters={"lr": LR, "beta1": BETA1, "beta2": BETA2, "eps": EPS},
        torch_class="Adam",
        torch_kwargs=_adam_kwargs,
        initial_state=_zeros("exp_avg", "exp_avg_sq"),
        reference=_adam,
        optax=OptaxForm(
            lambda optax, h: optax.adam(h["lr"], b1=h["beta1"], b2=h["beta2"], eps=h["eps"], eps_root=0.0)
        ),
    )
)
_register(
    OptimizerEntry(
        name="adamw",
        label="AdamW",
        colour="#4a86e8",
        marker="cross",
        hyperparameters={
            "lr": LR,
            "beta1": BETA1,
            "beta2": BETA2,
            "eps": EPS,
            "weight_decay": Hyperparameter(0.01, NON_NEGATIVE, "λ", "Weight decay"),
        },
        torch_class="AdamW",
        torch_kwargs=lambda h: {**_adam_kwargs(h), "weight_decay": h["weight_decay"]},
        initial_state=_zeros("exp_avg", "exp_avg_sq"),
        reference=_adam,
        optax=OptaxForm(
            lambda optax, h: optax.adamw(
                h["lr"],
                b1=h["beta1"],
                b2=h["beta2"],
                eps=h["eps"],
                eps_root=0.0,
                weight_decay=h["weight_decay"],
            )
        ),
    )
)


# ---------------------------------------------------------------- NAdam, RAdam (torch.optim)


def _coupled_decay(g, p, hp):
    """The gradient with L2 weight decay added, as NAdam and RAdam do by default."""
    return g + hp["weight_decay"] * p if hp["weight_decay"] else g


def _nadam(g, state, hp, p):
    b1, b2, lr, psi = hp["beta1"], hp["beta2"], hp["lr"], hp["momentum_decay"]
    step = state["step"] + 1
    g = _coupled_decay(g, p, hp)
    bias2 = 1 - b2**step
    # Dozat's momentum schedule: mu_t grows towards beta1 as 0.96^(t psi) decays.
    mu = b1 * (1.0 - 0.5 * (0.96 ** (step * psi)))
    mu_next = b1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * psi)))
    # torch keeps the running product in its scalar dtype (float32): it rounds as torch's does.
    mu_product = np.float32(np.float32(state["mu_product"]) * np.float32(mu))
    m = _lerp(state["exp_avg"], g, 1 - b1)
    v = b2 * state["exp_avg_sq"] + (1 - b2) * g * g
    denom = np.sqrt(v / bias2) + hp["eps"]
    mu_product_next = float(mu_product) * mu_next
    # Two addcdiv steps, the gradient's part then the momentum's, as torch takes them.
    moved = p + (-lr * (1.0 - mu) / (1.0 - float(mu_product))) * g / denom
    moved = moved + ((-lr * mu_next) / (1.0 - mu_product_next)) * m / denom
    new_state = {"step": step, "mu_product": np.array(float(mu_product)), "exp_avg": m, "exp_avg_sq": v}
    return moved - p, new_state


def _radam(g, state, hp, p):
    b1, b2, lr = hp["beta1"], hp["beta2"], hp["lr"]
    step = state["step"] + 1
    g = _coupled_decay(g, p, hp)
    m = _lerp(state["exp_avg"], g, 1 - b1)
    v = b2 * state["exp_avg_sq"] + (1 - b2) * g * g
    bias1, bias2 = 1 - b1**step, 1 - b2**step
    corrected = m / bias1
    # The variance of the adaptive rate is only finite once the approximated SMA's length rho_t
    # exceeds 4; torch rectifies from rho_t > 5 and takes plain momentum steps before.
    rho_inf = 2 / (1 - b2) - 1
    rho_t = rho_inf - 2 * step * (b2**step) / bias2
    if rho_t > 5.0:
        rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
        adaptive = (bias2**0.5) / (np.sqrt(v) + hp["eps"])
        updates = -(corrected * lr * adaptive * rect)
    else:
        updates = -(corrected * lr)
    return updates, {"step": step, "exp_avg": m, "exp_avg_sq": v}


def _nadam_kwargs(h: Mapping[str, float]) -> dict[str, Any]:
    return {**_adam_kwargs(h), "weight_decay": h["weight_decay"], "momentum_decay": h["momentum_decay"]}


# L2 weight decay added to the gradient (torch's default for NAdam and RAdam; 0 by default).
COUPLED_DECAY = Hyperparameter(0.0, NON_NEGATIVE, "λ", "Weight decay")

_register(
    OptimizerEntry(
        name="nadam",
        label="NAdam",
        colour="#d50b52",
        marker="x",
        hyperparameters={
            "lr": LR,
            "beta1": BETA1,
            "beta2": BETA2,
            "eps": EPS,
            "weight_decay": COUPLED_DECAY,
            "momentum_decay": Hyperparameter(4e-3, NON_NEGATIVE, "ψ", "Momentum decay"),
        },
        torch_class="NAdam",
        torch_kwargs=_nadam_kwargs,
        initial_state=lambda params, hp: {
            **_zeros("exp_avg", "exp_avg_sq")(params, hp),
            "mu_product": np.array(1.0),
        },
        reference=_nadam,
        optax="Optax's nadam has no momentum schedule (mu_t, psi): it is not torch's NAdam",
        scalar_state=("mu_product",),
    )
)
_register(
    OptimizerEntry(
        name="radam",
        label="RAdam",
        colour="#bf4922",
        marker="hexagon",
        hyperparameters={"lr": LR, "beta1": BETA1, "beta2": BETA2, "eps": EPS, "weight_decay": COUPLED_DECAY},
        torch_class="RAdam",
        torch_kwargs=lambda h: {**_adam_kwargs(h), "weight_decay": h["weight_decay"]},
        initial_state=_zeros("exp_avg", "exp_avg_sq"),
        reference=_radam,
        optax=OptaxForm(
            lambda optax, h: (
                _without_decay(h, "RAdam")
                or optax.radam(
                    h["lr"], b1=h["beta1"], b2=h["beta2"], eps=h["eps"], eps_root=0.0, threshold=5.0
                )
            )
        ),
    )
)


def _without_decay(h: Mapping[str, float], label: str) -> None:
    if h["weight_decay"]:
        raise NotImplementedError(f"Optax's {label} has no L2 weight decay of its own")


# ---------------------------------------------------------------- Adafactor (torch.optim)

DTYPE_EPS = float(np.finfo(np.float64).eps)  # torch's eps1 (None): the parameters' dtype's epsilon


def _adafactor(g, state, hp, p):
    lr, d, eps1 = hp["lr"], hp["d"], DTYPE_EPS
    step = state["step"] + 1
    one_minus_beta2 = float(step) ** hp["beta2_decay"]
    # A relative step: lr (capped at 1/sqrt(t)) times the parameters' RMS, at least eps2.
    rho = min(lr, 1 / (float(step) ** 0.5))
    alpha = max(hp["eps2"], float(np.linalg.norm(p)) / (p.size**0.5)) * rho
    decayed = p * (1 - lr * hp["weight_decay"]) if hp["weight_decay"] else p
    new_state = {"step": step}
    if g.ndim > 1:
        # A matrix keeps one number per row and one per column (m + n, not m n): the second
        # moment's estimate is their outer product over their mean.
        row_mean = np.linalg.norm(g, axis=-1, keepdims=True) ** 2 / g.shape[-1]
        col_mean = np.linalg.norm(g, axis=-2, keepdims=True) ** 2 / g.shape[-2]
        row = _lerp(state["row_var"], row_mean, one_minus_beta2)
        col = _lerp(state["col_var"], col_mean, one_minus_beta2)
        estimate = (row @ col) / np.maximum(row.mean(axis=-2, keepdims=True), eps1)
        new_state.update(row_var=row, col_var=col)
    else:
        estimate = _lerp(state["variance"], g * g, one_minus_beta2)
        new_state["variance"] = estimate
    update = (1 / np.sqrt(np.maximum(estimate, eps1 * eps1))) * g
    denom = max(1.0, float(np.linalg.norm(update)) / ((update.size**0.5) * d))
    return decayed + (-alpha / denom) * update - p, new_state


def _adafactor_initial(params: np.ndarray, hp: Mapping[str, float]) -> OptimizerState:
    if params.ndim > 1:
        rows = np.zeros((*params.shape[:-1], 1))
        cols = np.zeros((*params.shape[:-2], 1, params.shape[-1]))
        return {"step": np.array(0.0), "row_var": rows, "col_var": cols}
    return {"step": np.array(0.0), "variance": np.zeros_like(params, dtype=np.float64)}


_register(
    OptimizerEntry(
        name="adafactor",
        label="Adafactor",
        colour="#777240",
        marker="triangle-left",
        hyperparameters={
            "lr": LR,
            "beta2_decay": Hyperparameter(
                -0.8, Interval(-math.inf, 0.0, open=(True, False)), "c", "Second-moment decay exponent"
            ),
            "eps2": Hyperparameter(1e-3, NON_NEGATIVE, "ε₂", "Smallest parameter scale"),
            "d": Hyperparameter(1.0, Interval(1.0), "d", "Update clipping threshold"),
            "weight_decay": COUPLED_DECAY,
        },
        torch_class="Adafactor",
        torch_kwargs=lambda h: {
            "lr": h["lr"],
            "beta2_decay": h["beta2_decay"],
            "eps": (None, h["eps2"]),
            "d": h["d"],
            "weight_decay": h["weight_decay"],
        },
        initial_state=_adafactor_initial,
        reference=_adafactor,
        optax="Optax's adafactor is another algorithm (its own factoring threshold, momentum, clipping)",
    )
)


# ---------------------------------------------------------------- Muon (torch.optim)

MUON_NS = (3.4445, -4.7750, 2.0315)  # torch's quintic Newton–Schulz coefficients, 5 steps
MUON_NS_STEPS = 5
MUON_ONLY_MATRICES = (
    "Muon orthogonalizes a weight matrix's update; a point on a surface is a vector, which it "
    "cannot step (torch.optim.Muon refuses parameters that are not 2-D)"
)


def newton_schulz(matrix: np.ndarray, steps: int = MUON_NS_STEPS, eps: float = 1e-7) -> np.ndarray:
    """Muon's orthogonalization of ``matrix`` (its singular values pushed towards 1) by torch's
    quintic iteration, in float64 (torch runs it in bfloat16)."""
    a, b, c = MUON_NS
    x = matrix.T if matrix.shape[0] > matrix.shape[1] else matrix
    x = x / max(float(np.linalg.norm(x)), eps)
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * gram @ gram) @ x
    return x.T if matrix.shape[0] > matrix.shape[1] else x


def _muon(g, state, hp, p):
    if g.ndim != 2:
        raise ValueError(MUON_ONLY_MATRICES)
    mu, lr = hp["momentum"], hp["lr"]
    buf = _lerp(state["momentum_buffer"], g, 1 - mu)
    direction = _lerp(g, buf, mu)  # Nesterov, torch's default
    rows, cols = p.shape
    adjusted = lr * math.sqrt(max(1, rows / cols))
    moved = p * (1 - lr * hp["weight_decay"]) - adjusted * newton_schulz(direction, eps=hp["eps"])
    return moved - p, {"momentum_buffer": buf}


_register(
    OptimizerEntry(
        name="muon",
        label="Muon",
        colour="#47856c",
        marker="triangle-right",
        hyperparameters={
            "lr": LR,
            "momentum": Hyperparameter(0.95, UNIT, "β", "Momentum", (0.0, 0.99)),
            "weight_decay": Hyperparameter(0.1, NON_NEGATIVE, "λ", "Weight decay"),
            "eps": Hyperparameter(1e-7, POSITIVE, "ε", "Epsilon", (1e-10, 1e-2), "log"),
            # The other parameters (first and last layer, biases) go to AdamW, as torch says.
            # Ranged like η: a tuning study searches it (the playground has no Muon to slide).
            "adamw_lr": Hyperparameter(
                1e-3, POSITIVE, "η′", "AdamW's learning rate (other parameters)", (1e-4, 10.0), "log"
            ),
        },
        torch_class="Muon",
        torch_kwargs=lambda h: {
            "lr": h["lr"],
            "momentum": h["momentum"],
            "weight_decay": h["weight_decay"],
            "eps": h["eps"],
        },
        # torch makes its buffer at 0 in the first step (no step count): the same numbers.
        initial_state=lambda params, hp: {"momentum_buffer": np.zeros_like(params, dtype=np.float64)},
        reference=_muon,
        optax="Optax's muon is another recipe (its own scaling and an Adam for other parameters)",
        matrices_only=MUON_ONLY_MATRICES,
    )
)


# ---------------------------------------------------------------- Lion, Schedule-Free AdamW (Optax)


def _optax_in_torch(name: str) -> Callable[..., Any]:
    """A ``torch.optim.Optimizer`` that steps each parameter with entry ``name``'s Optax form."""

    def make(params, **hp):
        from descent.optim.optax_torch import OptaxOptimizer

        return OptaxOptimizer(params, OPTIMIZERS[name], hp)

    make.__name__ = f"OptaxOptimizer[{name}]"
    return make


def _lion(g, state, hp, p):
    b1, b2 = hp["b1"], hp["b2"]
    m = state["exp_avg"]
    # The sign of a blend of the momentum and the gradient: every coordinate moves by lr.
    direction = np.sign((1.0 - b1) * g + b1 * m)
    if hp["weight_decay"]:
        direction = direction + hp["weight_decay"] * p
    new_m = (1 - b2) * g + b2 * m
    return (-hp["lr"]) * direction, {"step": state["step"] + 1, "exp_avg": new_m}


def schedule_free_eval_point(y: np.ndarray, z: np.ndarray, beta: float) -> np.ndarray:
    """Schedule-Free's evaluation point x from the gradient point y (the parameters) and z, as
    ``optax.contrib.schedule_free_eval_params`` computes it: y = (1 − β) z + β x. (XLA divides
    an array by a scalar as a product with its reciprocal: so does this.)"""
    return (y - (1.0 - beta) * z) * (1 / beta)


def _schedule_free_adamw(g, state, hp, p):
    beta, b2, lr = hp["beta"], hp["beta2"], hp["lr"]
    # The base step: RMSprop with bias correction, weight decay at y, times -lr.
    step = state["step"] + 1
    nu = (1 - b2) * (g * g) + b2 * state["exp_avg_sq"]
    base = (1 / (np.sqrt(nu * (1 / (1 - b2**step))) + hp["eps"])) * g
    if hp["weight_decay"]:
        base = base + hp["weight_decay"] * p
    base = (-lr) * base
    # z takes the base steps; x averages the z's, weighted by the largest rate so far to a power;
    # the gradient is taken at y, between them.
    max_lr = max(float(state["max_lr"]), lr)
    weight = max_lr ** hp["weight_lr_power"]
    total = float(state["weight_sum"]) + weight
    ck = weight / total if total else 0.0
    z = state["z"] + base
    x = (1.0 - ck) * schedule_free_eval_point(p, state["z"], beta) + ck * z
    y = beta * x + (1.0 - beta) * z
    updates = y - p
    new_state = {
        "step": step,
        "exp_avg_sq": nu,
        "z": z,
        "weight_sum": np.array(total),
        "step_count": state["step_count"] + 1,
        "max_lr": np.array(max_lr),
    }
    return updates, {**new_state, **_schedule_free_x(new_state, p + updates, hp)}


def _schedule_free_x(state, params, hp):
    return {"x": schedule_free_eval_point(params, state["z"], hp["beta"])}


def _schedule_free_initial(params: np.ndarray, hp: Mapping[str, float]) -> OptimizerState:
    return {
        "step": np.array(0.0),
        "exp_avg_sq": np.zeros_like(params, dtype=np.float64),
        "z": params.astype(np.float64, copy=True),
        "weight_sum": np.array(0.0),
        "step_count": np.array(1.0),
        "max_lr": np.array(0.0),
        "x": params.astype(np.float64, copy=True),
    }


_register(
    OptimizerEntry(
        name="lion",
        label="Lion",
        colour="#b88f14",
        marker="diamond-tall",
        hyperparameters={
            "lr": LR,
            "b1": Hyperparameter(0.9, UNIT, "β₁", "Gradient's blend with momentum"),
            "b2": Hyperparameter(0.99, UNIT, "β₂", "Momentum decay"),
            "weight_decay": Hyperparameter(1e-3, NON_NEGATIVE, "λ", "Weight decay"),
        },
        torch_class=_optax_in_torch("lion"),
        torch_kwargs=lambda h: dict(h),
        initial_state=_zeros("exp_avg"),
        reference=_lion,
        optax=OptaxForm(
            lambda optax, h: optax.lion(h["lr"], b1=h["b1"], b2=h["b2"], weight_decay=h["weight_decay"])
        ),
        production="optax",
    )
)
_register(
    OptimizerEntry(
        name="schedule_free_adamw",
        label="Schedule-Free AdamW",
        colour="#169dca",
        marker="octagon",
        hyperparameters={
            "lr": LR,
            "beta": Hyperparameter(0.9, OPEN_UNIT, "β", "Interpolation towards the average x"),
            "beta2": BETA2,
            "eps": EPS,
            "weight_decay": Hyperparameter(0.0, NON_NEGATIVE, "λ", "Weight decay"),
            "weight_lr_power": Hyperparameter(2.0, NON_NEGATIVE, "r", "Power of the rate in the average"),
        },
        torch_class=_optax_in_torch("schedule_free_adamw"),
        torch_kwargs=lambda h: dict(h),
        initial_state=_schedule_free_initial,
        reference=_schedule_free_adamw,
        optax=OptaxForm(
            lambda optax, h: optax.contrib.schedule_free_adamw(
                h["lr"],
                b1=h["beta"],
                b2=h["beta2"],
                eps=h["eps"],
                weight_decay=h["weight_decay"],
                weight_lr_power=h["weight_lr_power"],
            ),
            renames={"nu": "exp_avg_sq"},
            fixed=frozenset({"b1"}),
            derived=_schedule_free_x,
        ),
        production="optax",
    )
)


# ---------------------------------------------------------------- names, values and looks


class HyperparameterError(ValueError):
    """An optimizer's name or hyperparameters that cannot be used; ``key`` names the bad
    hyperparameter (``None``: the optimizer itself), so a lesson spec error points at its field."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key


def resolve_hyperparameters(name: str, given: Mapping[str, Any]) -> dict[str, float]:
    """All hyperparameters of optimizer ``name``, defaults filled in, each checked; raises
    :class:`HyperparameterError`."""
    if name not in OPTIMIZERS:
        raise HyperparameterError(f"unknown optimizer {name!r}; known: {', '.join(OPTIMIZERS)}")
    return check_values(name, OPTIMIZERS[name].hyperparameters, given)


def check_values(
    owner: str, parameters: Mapping[str, Hyperparameter], given: Mapping[str, Any]
) -> dict[str, float]:
    """``given`` values of ``owner``'s ``parameters`` (an optimizer's, a schedule's), defaults
    filled in, each checked; raises :class:`HyperparameterError` naming the bad one."""
    unknown = sorted(set(given) - set(parameters))
    if unknown:
        known = ", ".join(parameters) or "none"
        raise HyperparameterError(
            f"{owner}: unknown hyperparameter {unknown[0]!r}; known: {known}", unknown[0]
        )
    resolved: dict[str, float] = {}
    for key, hp in parameters.items():
        value = given.get(key, hp.default)
        if value is None:
            raise HyperparameterError(f"{owner}: missing hyperparameter {key!r} ({hp.meaning})", key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise HyperparameterError(f"{owner}: hyperparameter {key!r} must be a number, got {value!r}", key)
        if float(value) not in hp.valid:
            raise HyperparameterError(
                f"{owner}: hyperparameter {key!r} must be {hp.meaning}, got {value!r}", key
            )
        resolved[key] = float(value)
    return resolved


@dataclass(frozen=True)
class Style:
    """How runs of one optimizer are drawn: legend label, colour and Plotly marker symbol."""

    label: str
    colour: str
    marker: str


# Colours no course optimizer has, clear of red, yellow and green and readable on every
# background (tests/test_registry.py measures it): one's own optimizers take them in turn, with
# these markers, and figures draw series that are not optimizers (networks, activations) in them.
OTHER_COLOURS = ["#2e748a", "#6367a1", "#a989b8", "#995c72"]
GUEST_MARKERS = ["star", "hexagram", "star-square", "hourglass"]


def style_of(name: str, guest: int = 0) -> Style:
    """The look of optimizer ``name``: its entry's, or for a name outside the registry (one's own
    optimizer, named by its label) that name with the ``guest``-th other colour and marker."""
    if name in OPTIMIZERS:
        entry = OPTIMIZERS[name]
        return Style(entry.label, entry.colour, entry.marker)
    return Style(name, OTHER_COLOURS[guest % len(OTHER_COLOURS)], GUEST_MARKERS[guest % len(GUEST_MARKERS)])


def own_entry(optimizer: Callable[..., Any], label: str | None = None) -> OptimizerEntry:
    """An entry for one's own optimizer: a ``torch.optim.Optimizer`` subclass (called with the
    hyperparameters as keyword arguments) or a factory ``params -> torch.optim.Optimizer`` (called
    with the parameters alone; its hyperparameters only describe it). Only the torch backend runs
    it; figures draw it under ``label``, in one of the other colours."""
    if not callable(optimizer):
        raise TypeError(
            f"an optimizer is a registry name, a torch.optim.Optimizer class or a factory, got {optimizer!r}"
        )
    name = label or getattr(optimizer, "__name__", "")
    if not name or name.startswith("<"):
        raise ValueError(
            "give your optimizer a label: make_optimizer(factory, hyperparameters, label='My SGD')"
        )
    taken = {n.casefold() for e in OPTIMIZERS.values() for n in (e.name, e.label)}
    if name.casefold() in taken:
        raise ValueError(f"{name!r} is a course optimizer's name; give your own optimizer another label")
    is_class = isinstance(optimizer, type)
    style = style_of(name)
    return OptimizerEntry(
        name=name,
        label=name,
        colour=style.colour,
        marker=style.marker,
        hyperparameters={},
        torch_class=optimizer,
        torch_kwargs=(lambda h: dict(h)) if is_class else (lambda h: {}),
        initial_state=None,
        reference=None,
        optax=f"{name} is a torch optimizer of your own: it has no Optax form",
    )
