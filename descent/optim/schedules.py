"""Learning-rate schedules, one entry each: how the rate of a run of ``steps`` steps moves from the
optimizer's learning rate η.

Runs use ``torch.optim.lr_scheduler`` itself, stepped once after every optimizer step, so the rate
of step ``t`` is the one torch's scheduler set after ``t`` of its steps. Each entry also writes
those rates out from torch's own recurrences in Python floats (each rate from the one before, the
way torch computes it, so they agree with torch's exactly), and gives Optax's schedule where it
expresses the same thing. Parameters are fractions of the run where they are lengths, so a
schedule fits a run of any length.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from descent.optim.protocol import Hyperparameter, Interval, ScheduleEntry
from descent.optim.registry import HyperparameterError, check_values

SCHEDULES: dict[str, ScheduleEntry] = {}

FRACTION = Interval(0.0, 1.0, open=(True, True))  # (0, 1)
FACTOR = Interval(0.0, 1.0, open=(True, False))  # (0, 1]
FLOOR = Interval(0.0, 1.0)  # [0, 1)
AT_LEAST_ONE = Interval(1.0)

GAMMA = Hyperparameter(0.5, FACTOR, "γ", "Decay factor at each drop")
PERIOD = Hyperparameter(0.25, FRACTION, "p", "Share of the run between drops")
FINAL = Hyperparameter(0.01, FACTOR, "f", "Last step's rate, as a share of η")
FLOOR_HP = Hyperparameter(0.0, FLOOR, "η_min/η", "Lowest rate, as a share of η")
WARMUP = Hyperparameter(0.1, FRACTION, "w", "Share of the run spent warming up")
START = Hyperparameter(0.01, FACTOR, "s", "First step's rate, as a share of η")
PCT_START = Hyperparameter(0.3, FRACTION, "p", "Share of the run spent rising")
DIV = Hyperparameter(25.0, AT_LEAST_ONE, "d", "Peak over first rate")
FINAL_DIV = Hyperparameter(1e4, AT_LEAST_ONE, "d_f", "First rate over last rate")


def _register(entry: ScheduleEntry) -> None:
    SCHEDULES[entry.name] = entry


def resolve_schedule(name: str, given: Mapping[str, Any], steps: int) -> dict[str, float]:
    """All parameters of schedule ``name``, defaults filled in, each checked, for a run of
    ``steps`` steps; raises :class:`HyperparameterError` naming the bad one."""
    if name not in SCHEDULES:
        raise HyperparameterError(f"unknown schedule {name!r}; known: {', '.join(SCHEDULES)}")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 2:
        raise HyperparameterError(f"schedule {name}: a run needs at least 2 steps, got {steps!r}")
    entry = SCHEDULES[name]
    hp = check_values(f"schedule {name}", entry.parameters, given)
    wrong = entry.misfit(steps, hp) if entry.misfit else None
    if wrong:
        raise HyperparameterError(f"schedule {name}: {wrong[1]}", wrong[0])
    return hp


def torch_scheduler(optimizer, name: str, given: Mapping[str, Any] | None, steps: int):
    """Schedule ``name``'s ``torch.optim.lr_scheduler`` on ``optimizer`` for a run of ``steps``
    steps, its parameters checked; step it once after every optimizer step."""
    import torch

    return SCHEDULES[name].torch(
        torch.optim.lr_scheduler, optimizer, steps, resolve_schedule(name, given or {}, steps)
    )


def torch_rates(name: str, lr: float, steps: int, given: Mapping[str, Any] | None = None) -> list[float]:
    """The rate of every step as ``torch.optim.lr_scheduler`` sets it, on a throwaway optimizer."""
    import torch

    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    scheduler = torch_scheduler(optimizer, name, given, steps)
    rates = []
    for _ in range(steps):
        rates.append(float(optimizer.param_groups[0]["lr"]))
        optimizer.step()  # no gradient: nothing moves, but torch sees the order it expects
        scheduler.step()
    return rates


def reference_rates(name: str, lr: float, steps: int, given: Mapping[str, Any] | None = None) -> list[float]:
    """The rate of every step from torch's recurrences, in Python floats."""
    return SCHEDULES[name].reference(lr, steps, resolve_schedule(name, given or {}, steps))


def optax_rates(name: str, lr: float, steps: int, given: Mapping[str, Any] | None = None) -> list[float]:
    """The rate of every step from Optax's schedule (float64); raises ``NotImplementedError`` where
    Optax does not express the schedule."""
    entry = SCHEDULES[name]
    hp = resolve_schedule(name, given or {}, steps)
    if isinstance(entry.optax, str):
        raise NotImplementedError(entry.optax)
    import jax
    import optax

    jax.config.update("jax_enable_x64", True)
    schedule = entry.optax(optax, lr, steps, hp)
    return [float(schedule(t)) for t in range(steps)]


# ---------------------------------------------------------------- lengths in steps


def _period(steps: int, hp: Mapping[str, float]) -> int:
    return max(1, round(hp["period"] * steps))


def _gamma(steps: int, hp: Mapping[str, float]) -> float:
    return hp["final"] ** (1.0 / (steps - 1))  # the last step (t = steps - 1) at final·η


def _warmup(steps: int, hp: Mapping[str, float]) -> int:
    return min(steps - 1, max(1, round(hp["warmup"] * steps)))  # at least one step of each phase


# ---------------------------------------------------------------- torch's recurrences


def _cosine_after(rate: float, base: float, eta_min: float, t_max: int, epochs: int) -> list[float]:
    """CosineAnnealingLR's rates for its epochs 1 .. ``epochs``, from ``rate`` at epoch 0: each the
    one before scaled by the ratio of consecutive cosines (torch's ``get_lr``)."""
    rates = []
    for e in range(1, epochs + 1):
        if (e - 1 - t_max) % (2 * t_max) == 0:  # past the bottom: torch climbs back by a half step
            rate = rate + (base - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
        else:
            rate = (1 + math.cos(math.pi * e / t_max)) / (1 + math.cos(math.pi * (e - 1) / t_max)) * (
                rate - eta_min
            ) + eta_min
        rates.append(rate)
    return rates


def _constant_reference(lr, steps, hp):
    return [lr * 1.0] * steps  # LambdaLR: η times the factor 1


def _step_reference(lr, steps, hp):
    every, rates = _period(steps, hp), [lr]
    for t in range(1, steps):
        rates.append(rates[-1] * hp["gamma"] if t % every == 0 else rates[-1])
    return rates


def _exponential_reference(lr, steps, hp):
    gamma, rates = _gamma(steps, hp), [lr]
    for _ in range(1, steps):
        rates.append(rates[-1] * gamma)
    return rates


def _cosine_reference(lr, steps, hp):
    return [lr, *_cosine_after(lr, lr, hp["floor"] * lr, steps, steps - 1)]


def _warmup_cosine_reference(lr, steps, hp):
    w, s, eta_min = _warmup(steps, hp), hp["start"], hp["floor"] * lr
    rates = [lr * s]  # LinearLR's first step: η · start
    for t in range(1, w):
        rates.append(rates[-1] * (1.0 + (1.0 - s) / (w * s + (t - 1) * (1.0 - s))))
    # At the milestone SequentialLR starts the cosine from its closed form at epoch 0 (η itself).
    first = eta_min + (lr - eta_min) * (1 + math.cos(math.pi * 0 / (steps - w))) / 2
    return [*rates, first, *_cosine_after(first, lr, eta_min, steps - w, steps - w - 1)]


def _one_cycle_reference(lr, steps, hp):
    initial = lr / hp["div_factor"]
    phases = [  # (last step, rate from, rate to), as OneCycleLR lays them out
        (float(hp["pct_start"] * steps) - 1, initial, lr),
        (steps - 1, lr, initial / hp["final_div_factor"]),
    ]
    rates = []
    for t in range(steps):
        start = 0.0
        for i, (end, high, low) in enumerate(phases):
            if t <= end or i == len(phases) - 1:
                pct = (t - start) / (end - start)
                rates.append(low + (high - low) / 2.0 * (math.cos(math.pi * pct) + 1))
                break
            start = end
    return rates


# ---------------------------------------------------------------- torch's schedulers


def _warmup_cosine_torch(lrs, optimizer, steps, hp):
    w = _warmup(steps, hp)
    warm = lrs.LinearLR(optimizer, start_factor=hp["start"], end_factor=1.0, total_iters=w)
    decay = lrs.CosineAnnealingLR(optimizer, T_max=steps - w, eta_min=hp["floor"] * optimizer.defaults["lr"])
    return lrs.SequentialLR(optimizer, [warm, decay], milestones=[w])


def _one_cycle_torch(lrs, optimizer, steps, hp):
    return lrs.OneCycleLR(
        optimizer,
        max_lr=optimizer.defaults["lr"],
        total_steps=steps,
        pct_start=hp["pct_start"],
        div_factor=hp["div_factor"],
        final_div_factor=hp["final_div_factor"],
        cycle_momentum=False,  # the rate only: the optimizer's momentum stays what the run set
    )


def _one_cycle_misfit(steps, hp):
    if hp["pct_start"] * steps - 1 <= 0:  # torch would divide by zero, or skip the rise
        return "pct_start", f"pct_start · steps must exceed 1 for a rise, got {hp['pct_start']:g} · {steps}"
    return None


def _one_cycle_optax(optax, lr, steps, hp):
    rise = hp["pct_start"] * steps - 1
    if abs(rise - round(rise)) > 1e-9:
        raise NotImplementedError(
            "Optax's schedules change phase on whole steps; torch's one-cycle rise ends at "
            f"pct_start·steps − 1 = {rise:g}"
        )
    div = hp["div_factor"]
    return optax.piecewise_interpolate_schedule(
        "cosine", lr / div, {round(rise): div, steps - 1: 1.0 / (div * hp["final_div_factor"])}
    )


_register(
    ScheduleEntry(
        name="constant",
        label="Constant",
        colour="#e8710a",
        parameters={},
        torch=lambda lrs, opt, steps, hp: lrs.LambdaLR(opt, lambda _: 1.0),
        reference=_constant_reference,
        optax=lambda optax, lr, steps, hp: optax.constant_schedule(lr),
    )
)
_register(
    ScheduleEntry(
        name="step",
        label="Step decay",
        colour="#4a86e8",
        parameters={"gamma": GAMMA, "period": PERIOD},
        torch=lambda lrs, opt, steps, hp: lrs.StepLR(opt, step_size=_period(steps, hp), gamma=hp["gamma"]),
        reference=_step_reference,
        optax=lambda optax, lr, steps, hp: optax.exponential_decay(
            lr, transition_steps=_period(steps, hp), decay_rate=hp["gamma"], staircase=True
        ),
    )
)
_register(
    ScheduleEntry(
        name="exponential",
        label="Exponential decay",
        colour="#13a3a3",
        parameters={"final": FINAL},
        torch=lambda lrs, opt, steps, hp: lrs.ExponentialLR(opt, gamma=_gamma(steps, hp)),
        reference=_exponential_reference,
        optax=lambda optax, lr, steps, hp: optax.exponential_decay(
            lr, transition_steps=1, decay_rate=_gamma(steps, hp)
        ),
    )
)
_register(
    ScheduleEntry(
        name="cosine",
        label="Cosine",
        colour="#e0489e",
        parameters={"floor": FLOOR_HP},
        torch=lambda lrs, opt, steps, hp: lrs.CosineAnnealingLR(
            opt, T_max=steps, eta_min=hp["floor"] * opt.defaults["lr"]
        ),
        reference=_cosine_reference,
        optax=lambda optax, lr, steps, hp: optax.cosine_decay_schedule(
            lr, decay_steps=steps, alpha=hp["floor"]
        ),
    )
)
_register(
    ScheduleEntry(
        name="warmup_cosine",
        label="Warmup, then cosine",
        colour="#b48cf0",
        parameters={"warmup": WARMUP, "start": START, "floor": FLOOR_HP},
        torch=_warmup_cosine_torch,
        reference=_warmup_cosine_reference,
        optax=lambda optax, lr, steps, hp: optax.warmup_cosine_decay_schedule(
            init_value=lr * hp["start"],
            peak_value=lr,
            warmup_steps=_warmup(steps, hp),
            decay_steps=steps,
            end_value=hp["floor"] * lr,
        ),
    )
)
_register(
    ScheduleEntry(
        name="one_cycle",
        label="One-cycle",
        colour="#a87a4e",
        parameters={"pct_start": PCT_START, "div_factor": DIV, "final_div_factor": FINAL_DIV},
        torch=_one_cycle_torch,
        reference=_one_cycle_reference,
        optax=_one_cycle_optax,
        misfit=_one_cycle_misfit,
    )
)
