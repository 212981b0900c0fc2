"""What each optimizer is: its hyperparameters, their defaults and valid ranges, and how they map
to ``torch.optim``. Both backends read this table, so there is one list of optimizers."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Hyperparameter:
    """A named hyperparameter, its default (``None``: required) and the test for a valid value."""

    default: float | None
    valid: Callable[[float], bool]
    meaning: str


def _positive(x: float) -> bool:
    return math.isfinite(x) and x > 0


def _non_negative(x: float) -> bool:
    return math.isfinite(x) and x >= 0


def _unit(x: float) -> bool:
    return math.isfinite(x) and 0 <= x < 1


def _open_unit(x: float) -> bool:
    return math.isfinite(x) and 0 < x < 1


LR = Hyperparameter(None, _positive, "a finite number > 0")
EPS = Hyperparameter(1e-8, _positive, "a finite number > 0")


@dataclass(frozen=True)
class OptimizerRule:
    """One optimizer: its hyperparameters and the ``torch.optim`` class and arguments it maps to."""

    name: str
    title: str
    hyperparameters: Mapping[str, Hyperparameter]
    torch_class: str
    torch_kwargs: Callable[[Mapping[str, float]], dict[str, Any]]


OPTIMIZERS: dict[str, OptimizerRule] = {
    rule.name: rule
    for rule in [
        OptimizerRule("sgd", "SGD", {"lr": LR}, "SGD", lambda h: {"lr": h["lr"], "momentum": 0.0}),
        OptimizerRule(
            "momentum",
            "Momentum",
            {
                "lr": LR,
                "momentum": Hyperparameter(0.9, _unit, "a number in [0, 1)"),
                "dampening": Hyperparameter(0.0, _unit, "a number in [0, 1)"),
            },
            "SGD",
            lambda h: {"lr": h["lr"], "momentum": h["momentum"], "dampening": h["dampening"]},
        ),
        OptimizerRule(
            "nesterov",
            "Nesterov",
            # torch.optim.SGD refuses Nesterov without momentum: beta = 0 is plain SGD.
            {"lr": LR, "momentum": Hyperparameter(0.9, _open_unit, "a number in (0, 1)")},
            "SGD",
            lambda h: {"lr": h["lr"], "momentum": h["momentum"], "nesterov": True},
        ),
        OptimizerRule(
            "adagrad",
            "AdaGrad",
            {
                "lr": LR,
                "lr_decay": Hyperparameter(0.0, _non_negative, "a finite number >= 0"),
                "initial_accumulator_value": Hyperparameter(0.0, _non_negative, "a finite number >= 0"),
                "eps": Hyperparameter(1e-10, _positive, "a finite number > 0"),
            },
            "Adagrad",
            lambda h: dict(h),
        ),
        OptimizerRule(
            "rmsprop",
            "RMSprop",
            {"lr": LR, "alpha": Hyperparameter(0.99, _unit, "a number in [0, 1)"), "eps": EPS},
            "RMSprop",
            lambda h: dict(h),
        ),
        OptimizerRule(
            "adam",
            "Adam",
            {
                "lr": LR,
                "beta1": Hyperparameter(0.9, _unit, "a number in [0, 1)"),
                "beta2": Hyperparameter(0.999, _unit, "a number in [0, 1)"),
                "eps": EPS,
            },
            "Adam",
            lambda h: {"lr": h["lr"], "betas": (h["beta1"], h["beta2"]), "eps": h["eps"]},
        ),
        OptimizerRule(
            "adamw",
            "AdamW",
            {
                "lr": LR,
                "beta1": Hyperparameter(0.9, _unit, "a number in [0, 1)"),
                "beta2": Hyperparameter(0.999, _unit, "a number in [0, 1)"),
                "eps": EPS,
                "weight_decay": Hyperparameter(0.01, _non_negative, "a finite number >= 0"),
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
