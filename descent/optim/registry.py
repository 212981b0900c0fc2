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
