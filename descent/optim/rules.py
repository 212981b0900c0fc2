"""What each optimizer is: its hyperparameters, their defaults and valid ranges, and how they map
to ``torch.optim``. Both backends read this table, so there is one list of optimizers."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Hyperparameter:
    """A named hyperparameter, its default (``None``: required), the test for a valid value, how it
    is written (``symbol``, ``label``) and where a slider or a search may move it (``range``, on
    ``scale``: "log", "linear", or "log1m" for log(1 - x)); ``range`` is None when not tunable."""

    default: float | None
    valid: Callable[[float], bool]
    meaning: str
    symbol: str = ""
    label: str = ""
    range: tuple[float, float] | None = None
    scale: str = "linear"


def _positive(x: float) -> bool:
    return math.isfinite(x) and x > 0


def _non_negative(x: float) -> bool:
    return math.isfinite(x) and x >= 0


def _unit(x: float) -> bool:
    return math.isfinite(x) and 0 <= x < 1


def _open_unit(x: float) -> bool:
    return math.isfinite(x) and 0 < x < 1


LR = Hyperparameter(None, _positive, "a finite number > 0", "η", "Learning rate", (1e-4, 10.0), "log")
EPS = Hyperparameter(1e-8, _positive, "a finite number > 0", "ε", "Epsilon", (1e-10, 1e-2), "log")
MOMENTUM = Hyperparameter(0.9, _unit, "a number in [0, 1)", "β", "Momentum", (0.0, 0.99), "linear")
BETA1 = Hyperparameter(0.9, _unit, "a number in [0, 1)", "β₁", "First-moment decay", (0.0, 0.99), "linear")
BETA2 = Hyperparameter(
    0.999, _unit, "a number in [0, 1)", "β₂", "Second-moment decay", (0.5, 0.9999), "log1m"
)


@dataclass(frozen=True)
class OptimizerRule:
    """One optimizer: its hyperparameters and the ``torch.optim`` class and arguments it maps to."""

    name: str
    label: str
    colour: str
    marker: str
    hyperparameters: Mapping[str, Hyperparameter]
    torch_class: str
    torch_kwargs: Callable[[Mapping[str, float]], dict[str, Any]]

    @property
    def title(self) -> str:
        """The old name of ``label``."""
        return self.label


OPTIMIZERS: dict[str, OptimizerRule] = {
    rule.name: rule
    for rule in [
        OptimizerRule(
            "sgd", "SGD", "#878f99", "circle", {"lr": LR}, "SGD", lambda h: {"lr": h["lr"], "momentum": 0.0}
        ),
        OptimizerRule(
            "momentum",
            "Momentum",
            "#e8710a",
            "square",
            {
                "lr": LR,
                "momentum": MOMENTUM,
                "dampening": Hyperparameter(0.0, _unit, "a number in [0, 1)", "τ", "Dampening"),
            },
            "SGD",
            lambda h: {"lr": h["lr"], "momentum": h["momentum"], "dampening": h["dampening"]},
        ),
        OptimizerRule(
            "nesterov",
            "Nesterov",
            "#a05ce0",
            "triangle-up",
            # torch.optim.SGD refuses Nesterov without momentum: beta = 0 is plain SGD.
            {
                "lr": LR,
                "momentum": Hyperparameter(
                    0.9, _open_unit, "a number in (0, 1)", "β", "Momentum", (0.0, 0.99)
                ),
            },
            "SGD",
            lambda h: {"lr": h["lr"], "momentum": h["momentum"], "nesterov": True},
        ),
        OptimizerRule(
            "adagrad",
            "AdaGrad",
            "#a87a4e",
            "diamond",
            {
                "lr": LR,
                "lr_decay": Hyperparameter(
                    0.0, _non_negative, "a finite number >= 0", "δ", "Learning-rate decay"
                ),
                "initial_accumulator_value": Hyperparameter(
                    0.0, _non_negative, "a finite number >= 0", "s₀", "Initial accumulator"
                ),
                "eps": Hyperparameter(
                    1e-10, _positive, "a finite number > 0", "ε", "Epsilon", (1e-10, 1e-2), "log"
                ),
            },
            "Adagrad",
            lambda h: dict(h),
        ),
        OptimizerRule(
            "rmsprop",
            "RMSprop",
            "#13a3a3",
            "triangle-down",
            {
                "lr": LR,
                "alpha": Hyperparameter(0.99, _unit, "a number in [0, 1)", "α", "Smoothing constant"),
                "eps": EPS,
            },
            "RMSprop",
            lambda h: dict(h),
        ),
        OptimizerRule(
            "adam",
            "Adam",
            "#e0489e",
            "pentagon",
            {"lr": LR, "beta1": BETA1, "beta2": BETA2, "eps": EPS},
            "Adam",
            lambda h: {"lr": h["lr"], "betas": (h["beta1"], h["beta2"]), "eps": h["eps"]},
        ),
        OptimizerRule(
            "adamw",
            "AdamW",
            "#4a86e8",
            "cross",
            {
                "lr": LR,
                "beta1": BETA1,
                "beta2": BETA2,
                "eps": EPS,
                "weight_decay": Hyperparameter(
                    0.01, _non_negative, "a finite number >= 0", "λ", "Weight decay"
                ),
            },
            "AdamW",
            lambda h: {
                "lr": h["lr"],
                "betas": (h["beta1"], h["beta2"]),
                "eps": h["eps"],
                "weight_decay": h["weight_decay"],
            },
        ),
    ]
}

# Runs of optimizers outside the registry (a user's own torch.optim class) still draw: they take
# these colours and markers in turn, none of them an optimizer's, red, yellow or green.
GUEST_COLOURS = ["#5c6bc0", "#b5489a", "#2f8fb0", "#8d7b3a"]
GUEST_MARKERS = ["star", "hexagram", "star-square", "hourglass"]


@dataclass(frozen=True)
class Style:
    label: str
    colour: str
    marker: str


def style_of(name: str, label: str | None = None, index: int = 0) -> Style:
    """How runs of optimizer ``name`` are drawn; a name outside the registry gets ``label`` (or its
    name) and the ``index``-th guest colour and marker."""
    if name in OPTIMIZERS:
        rule = OPTIMIZERS[name]
        return Style(rule.label, rule.colour, rule.marker)
    return Style(
        label or name, GUEST_COLOURS[index % len(GUEST_COLOURS)], GUEST_MARKERS[index % len(GUEST_MARKERS)]
    )


def resolve_hyperparameters(name: str, given: Mapping[str, Any]) -> dict[str, float]:
    """All hyperparameters of optimizer ``name``, defaults filled in, each checked.

    Raises ``ValueError`` naming the offending field, so a lesson spec error points at its cause.
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; known: {', '.join(OPTIMIZERS)}")
    rule = OPTIMIZERS[name]
    unknown = sorted(set(given) - set(rule.hyperparameters))
    if unknown:
        raise ValueError(
            f"{name}: unknown hyperparameter {unknown[0]!r}; known: {', '.join(rule.hyperparameters)}"
        )
    resolved: dict[str, float] = {}
    for key, hp in rule.hyperparameters.items():
        value = given.get(key, hp.default)
        if value is None:
            raise ValueError(f"{name}: missing hyperparameter {key!r} ({hp.meaning})")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{name}: hyperparameter {key!r} must be a number, got {value!r}")
        if not hp.valid(float(value)):
            raise ValueError(f"{name}: hyperparameter {key!r} must be {hp.meaning}, got {value!r}")
        resolved[key] = float(value)
    return resolved
