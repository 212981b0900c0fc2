"""Learning-rate schedules: torch's schedulers, the reference written from torch's recurrences, and
Optax's schedules give the same rate at every step; the rates have the shape each schedule is
defined by."""

from __future__ import annotations

import math

import pytest
from page_modules import evaluate

from descent.optim import HyperparameterError
from descent.optim.schedules import SCHEDULES, optax_rates, reference_rates, resolve_schedule, torch_rates

# Settings off the defaults too, and run lengths from the shortest (2 steps) to one that leaves
# every boundary off a whole step.
SETTINGS = {
    "constant": [{}],
    "step": [{}, {"gamma": 0.1, "period": 0.3}, {"gamma": 1.0, "period": 0.999}],
    "exponential": [{}, {"final": 0.5}, {"final": 1.0}],
    "cosine": [{}, {"floor": 0.1}],
    "warmup_cosine": [{}, {"warmup": 0.5, "start": 0.2, "floor": 0.05}, {"warmup": 0.99, "start": 1.0}],
    "one_cycle": [{}, {"pct_start": 0.5, "div_factor": 10.0, "final_div_factor": 100.0}],
}
CASES = [
    (name, hp, lr, steps)
    for name, settings in SETTINGS.items()
    for hp in settings
    for lr, steps in ((0.1, 2), (0.1, 7), (3e-4, 100), (2.5, 333))
    if not (name == "one_cycle" and hp.get("pct_start", 0.3) * steps <= 1)  # no rise: a spec error
]


def test_every_schedule_is_checked():
    assert set(SETTINGS) == set(SCHEDULES)


@pytest.mark.parametrize(("name", "hp", "lr", "steps"), CASES)
def test_the_reference_gives_torchs_rates_exactly(name, hp, lr, steps):
    torch, reference = torch_rates(name, lr, steps, hp), reference_rates(name, lr, steps, hp)
    assert len(torch) == steps
    assert reference == torch  # the same operations on the same floats, step after step


@pytest.mark.parametrize(("name", "hp", "lr", "steps"), CASES)
def test_optax_gives_torchs_rates_where_it_expresses_the_schedule(name, hp, lr, steps):
    pytest.importorskip("optax")
    torch = torch_rates(name, lr, steps, hp)
    try:
        optax = optax_rates(name, lr, steps, hp)
    except NotImplementedError as reason:
        assert name == "one_cycle" and "whole steps" in str(reason)
        return
    assert optax == pytest.approx(torch, rel=1e-12, abs=0)


def test_optax_expresses_one_cycle_when_its_rise_ends_on_a_whole_step():
    pytest.importorskip("optax")
    assert optax_rates("one_cycle", 0.1, 100) == pytest.approx(torch_rates("one_cycle", 0.1, 100), rel=1e-12)
    with pytest.raises(NotImplementedError):
        optax_rates("one_cycle", 0.1, 333)  # 0.3 * 333 - 1 = 98.9


LR = 0.2


def rates(name, steps, **hp):
    return torch_rates(name, LR, steps, hp)


# What each schedule is, from its definition: (rates, step, the rate there as a share of η).
DEFINED = [
    ("constant", rates("constant", 50), 49, 1.0),
    ("step, before the first drop", rates("step", 100, gamma=0.5, period=0.25), 24, 1.0),
    ("step, the first drop", rates("step", 100, gamma=0.5, period=0.25), 25, 0.5),
    ("step, after three drops", rates("step", 100, gamma=0.5, period=0.25), 99, 0.125),
    ("exponential, half way", rates("exponential", 101, final=0.01), 50, 0.1),
    ("exponential, the last step", rates("exponential", 101, final=0.01), 100, 0.01),
    ("cosine, half way", rates("cosine", 100), 50, 0.5),
    ("cosine with a floor, half way", rates("cosine", 100, floor=0.2), 50, 0.6),
    ("warmup, the first step", rates("warmup_cosine", 100, warmup=0.1, start=0.01), 0, 0.01),
    ("warmup, half way up", rates("warmup_cosine", 100, warmup=0.1, start=0.01), 5, 0.01 + 0.99 * 0.5),
    ("warmup, the peak", rates("warmup_cosine", 100, warmup=0.1, start=0.01), 10, 1.0),
    ("warmup, then half way down", rates("warmup_cosine", 100, warmup=0.1, start=0.01), 55, 0.5),
    ("one-cycle, the first step", rates("one_cycle", 100, pct_start=0.3), 0, 1 / 25),
    ("one-cycle, the peak", rates("one_cycle", 100, pct_start=0.3), 29, 1.0),
    ("one-cycle, the last step", rates("one_cycle", 100, pct_start=0.3), 99, 1 / 25 / 1e4),
]


@pytest.mark.parametrize(("what", "values", "step", "share"), DEFINED, ids=[d[0] for d in DEFINED])
def test_rates_have_the_shape_the_schedule_is_defined_by(what, values, step, share):
    assert values[step] == pytest.approx(LR * share, rel=1e-12)


@pytest.mark.parametrize(
    ("name", "steps", "peak"), [("cosine", 100, 0), ("warmup_cosine", 100, 10), ("one_cycle", 100, 29)]
)
def test_rates_rise_to_their_peak_then_only_fall(name, steps, peak):
    values = rates(name, steps)
    assert max(values) == values[peak]
    assert all(a < b for a, b in zip(values[:peak], values[1 : peak + 1], strict=True))
    assert all(a > b for a, b in zip(values[peak:-1], values[peak + 1 :], strict=True))
    assert all(math.isfinite(v) and v > 0 for v in values)


@pytest.mark.parametrize(
    ("name", "given", "steps", "key", "words"),
    [
        ("warmup", {}, 10, None, "unknown schedule 'warmup'; known: constant, step"),
        ("step", {"gamma": 0.0}, 10, "gamma", "must be a number in (0, 1]"),
        ("step", {"gamma": "half"}, 10, "gamma", "must be a number"),
        ("warmup_cosine", {"warmup": 1.0}, 10, "warmup", "must be a number in (0, 1)"),
        ("one_cycle", {"div_factor": 0.5}, 10, "div_factor", "must be a finite number >= 1"),
        ("cosine", {"eta_min": 0.0}, 10, "eta_min", "unknown hyperparameter 'eta_min'; known: floor"),
        ("constant", {"floor": 0.0}, 10, "floor", "known: none"),
        ("cosine", {}, 1, None, "at least 2 steps"),
        ("one_cycle", {"pct_start": 0.5}, 2, "pct_start", "must exceed 1"),
    ],
)
def test_bad_settings_name_the_schedule_and_the_parameter(name, given, steps, key, words):
    with pytest.raises(HyperparameterError) as error:
        resolve_schedule(name, given, steps)
    assert error.value.key == key
    assert words in str(error.value)


def test_every_entry_says_what_it_is():
    for name, entry in SCHEDULES.items():
        assert entry.name == name and entry.label
        assert all(hp.symbol and hp.label and hp.default is not None for hp in entry.parameters.values())
        assert callable(entry.optax) or entry.optax
    colours = [entry.colour for entry in SCHEDULES.values()]
    assert len(set(colours)) == len(colours), "figures and videos tell schedules apart by colour"


def test_the_pages_schedules_give_torchs_rates():
    """Exactly where only +, −, ×, ÷ are used; within 1e-12 where the page's cos or power may
    differ from the C library's in the last bit."""
    cases = [(name, resolve_schedule(name, hp, steps), lr, steps) for name, hp, lr, steps in CASES]
    page = evaluate(
        {"playground/schedules.js": ["rates", "NAMES"]},
        cases,
        "{ names: NAMES, rates: data.map(([name, hp, lr, steps]) => rates(name, lr, steps, hp)) }",
    )
    assert page["names"] == list(SCHEDULES)
    for (name, hp, lr, steps), values in zip(cases, page["rates"], strict=True):
        torch = torch_rates(name, lr, steps, hp)
        if name in ("constant", "step"):
            assert values == torch, (name, hp, steps)
        else:
            assert values == pytest.approx(torch, rel=1e-12, abs=0), (name, hp, steps)
