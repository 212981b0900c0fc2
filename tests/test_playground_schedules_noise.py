"""The page's engine with a learning-rate schedule and seeded gradient noise against torch.optim
with torch's own lr_scheduler and the same noise: every optimizer, every schedule, with and
without noise, on the playground's surfaces, run by Node on the engine the page bundles; and the
races with a schedule and noise that the playground's page describes."""

from __future__ import annotations

import numpy as np
import pytest
from page_modules import evaluate

from descent.optim import OPTIMIZERS
from descent.optim.schedules import SCHEDULES, resolve_schedule
from descent.playground import departure, scheduled_noisy_run, surface_json
from descent.surfaces import get_surface
from descent.trajectory import ESCAPE_WIDTHS
from lessons.playground import SURFACES

STEPS = 120
RATE = {
    "sgd": 0.01,
    "momentum": 0.005,
    "nesterov": 0.005,
    "adagrad": 0.3,
    "rmsprop": 0.01,
    "adam": 0.05,
    "adamw": 0.05,
    "nadam": 0.05,
    "radam": 0.05,
    "adafactor": 0.05,
    "lion": 0.01,
    "schedule_free_adamw": 0.05,
}
# Rosenbrock's slopes at the start are ~1,000 (RAdam's first steps are plain momentum steps).
STEEP = {"sgd": 2e-4, "momentum": 1e-4, "nesterov": 1e-4, "radam": 2e-4}
# Every optimizer that steps a point (Muon steps matrices: the playground lists it, runs it not).
ON_POINTS = [name for name, entry in OPTIMIZERS.items() if not entry.matrices_only]
SURFACE_NAMES = ["bowl", "rosenbrock"]


def rate(surface, optimizer):
    return STEEP.get(optimizer, RATE[optimizer]) if surface == "rosenbrock" else RATE[optimizer]


def settings():
    for surface in SURFACE_NAMES:
        for optimizer in ON_POINTS:
            for schedule in SCHEDULES:
                for sigma in (0.0, 0.5):
                    yield {
                        "surface": surface,
                        "start": SURFACES[surface],
                        "optimizer": optimizer,
                        "hyperparameters": {
                            k: (rate(surface, optimizer) if k == "lr" else hp.default)
                            for k, hp in OPTIMIZERS[optimizer].hyperparameters.items()
                        },
                        "schedule": schedule,
                        "sigma": sigma,
                        "seed": 3,
                    }


CASES = list(settings())


@pytest.fixture(scope="module")
def page_runs():
    jobs = [
        {
            **c,
            "surface_json": surface_json(c["surface"], c["start"], 8),
            "schedule_hp": resolve_schedule(c["schedule"], {}, STEPS),
        }
        for c in CASES
    ]
    return evaluate(
        {"playground/engine.js": ["run"], "playground/schedules.js": ["rates"]},
        {"jobs": jobs, "steps": STEPS, "escape": ESCAPE_WIDTHS},
        """data.jobs.map((j) => run(j.surface_json, j.optimizer, j.hyperparameters, j.start, data.steps,
          data.escape, { rates: rates(j.schedule, j.hyperparameters.lr, data.steps, j.schedule_hp),
          noise: j.sigma ? { sigma: j.sigma, seed: j.seed } : null }).params)""",
    )


def test_the_settings_cover_every_optimizer_and_schedule():
    assert {c["optimizer"] for c in CASES} == set(ON_POINTS) == set(RATE)
    assert {c["schedule"] for c in CASES} == set(SCHEDULES)


@pytest.mark.parametrize(
    "k",
    range(len(CASES)),
    ids=[f"{c['surface']}-{c['optimizer']}-{c['schedule']}-{c['sigma']}" for c in CASES],
)
def test_the_page_follows_torch_with_a_schedule_and_noise(page_runs, k):
    case = CASES[k]
    torch = scheduled_noisy_run(case, STEPS, (case["schedule"], {}), case["sigma"], case["seed"])
    page = np.array(page_runs[k])
    assert len(page) == len(torch)  # the same steps, stopped at the same one
    assert departure(page, torch) == -1  # within 1e-9 of torch's, relative, at every step


def test_noise_and_schedule_change_the_path():
    base = {**CASES[0], "optimizer": "sgd"}
    plain = scheduled_noisy_run(base, STEPS)
    noisy = scheduled_noisy_run(base, STEPS, sigma=0.5, seed=3)
    cosine = scheduled_noisy_run(base, STEPS, ("cosine", {}))
    assert not np.allclose(plain, noisy) and not np.allclose(plain, cosine)


# The races docs/playground.md describes.
ROSENBROCK_MOMENTUM = {
    "surface": "rosenbrock",
    "start": [-1.5, 2.5],
    "optimizer": "momentum",
    "hyperparameters": {"lr": 0.002},
}


def test_warmup_lets_momentum_take_a_rate_that_throws_it_off_rosenbrock_at_once():
    constant = scheduled_noisy_run(ROSENBROCK_MOMENTUM, 1000)
    assert len(constant) - 1 < 10  # runs off within ten steps
    warm = scheduled_noisy_run(ROSENBROCK_MOMENTUM, 1000, ("warmup_cosine", {}))
    assert len(warm) == 1001
    x, y = warm[100]  # the end of the warmup (a tenth of the race): on the valley's floor, y = x²
    assert abs(y - x * x) < 0.05 and x < 0
    assert get_surface("rosenbrock").value(warm[500]) < 1e-3


@pytest.mark.slow
def test_noise_keeps_sgd_at_a_constant_rate_jittering_and_a_cosine_lets_it_settle():
    # The bowl (a = b = 1), η = 0.1, σ = 5: at a constant rate each coordinate's stationary variance
    # is ησ²/(4(1 − η)), the loss's mean twice that.
    bowl = get_surface("bowl")
    assert bowl.params == {"a": 1.0, "b": 1.0}
    setting = {"surface": "bowl", "start": [-2.5, 2.0], "optimizer": "sgd", "hyperparameters": {"lr": 0.1}}
    final = {
        schedule: np.mean(
            [
                bowl.value(scheduled_noisy_run(setting, 500, (schedule, {}), 5.0, seed)[-1])
                for seed in range(100)
            ]
        )
        for schedule in ("constant", "cosine")
    }
    stationary = 0.1 * 5.0**2 / (2 * (1 - 0.1))
    assert abs(final["constant"] - stationary) < 0.2 * stationary, final
    assert round(final["constant"], 1) == 1.3 and round(final["cosine"], 2) == 0.08, final  # as the page says
