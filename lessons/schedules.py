"""Lesson 7: learning-rate schedules and warmup. Plain data: minibatch SGD on the noisy regression
under each schedule of the registry, and a tiny network trained by Adam at a grid of peak rates
with and without warmup."""

from lessons.stochastic import NETWORK, START, _sgd

SCHEDULES = ["constant", "step", "exponential", "cosine", "warmup_cosine", "one_cycle"]
STEPS = 300
LR = 0.5
BATCH = 4
SEEDS = [0, 1, 2]

# Peak rates for the warmup search: 16 log-spaced from 0.01 to 30. A rate "trains" when the
# training loss ends below a tenth of where it started (the page also reports the stricter reading,
# a loss that never rises above its start).
PEAKS = [round(0.01 * 3000 ** (i / 15), 5) for i in range(16)]
WARMUP = {"name": "warmup_cosine", "warmup": 0.1}
NO_WARMUP = {"name": "cosine"}
# The previous lesson's tiny network (two layers of 16 tanh units on the moons), with Adam on the
# whole training set for 100 epochs.
NETWORK = {**NETWORK, "optimizer": "adam", "epochs": 100, "record": [0, 100]}


def _run(schedule, seed):
    return {**_sgd(BATCH, LR, STEPS, START, seed), "schedule": {"name": schedule}}


def _network(peak, schedule):
    return {**NETWORK, "hyperparameters": {"lr": peak}, "schedule": schedule}


LESSON = {
    "slug": "schedules",
    "title": "Learning-rate schedules and warmup",
    "page": "lessons/schedules.md",
    "minibatch_runs": {
        f"{name.replace('_', '-')}-s{seed}": _run(name, seed) for name in SCHEDULES for seed in SEEDS
    },
    "networks": {
        **{f"warmup-{i}": _network(peak, WARMUP) for i, peak in enumerate(PEAKS)},
        **{f"cosine-{i}": _network(peak, NO_WARMUP) for i, peak in enumerate(PEAKS)},
    },
    "figures": {
        "schedules": {
            "title": f"Six schedules from torch.optim.lr_scheduler on minibatch SGD (η = {LR}, batches of {BATCH})",
            "builder": "schedule_runs",
            "inputs": [f"{name.replace('_', '-')}-s{seed}" for name in SCHEDULES for seed in SEEDS],
        },
        "warmup": {
            "title": "Adam on a tiny network: where the loss ends, against the peak learning rate, "
            "with and without warmup",
            "builder": "warmup_search",
            "inputs": [f"cosine-{i}" for i in range(len(PEAKS))] + [f"warmup-{i}" for i in range(len(PEAKS))],
        },
    },
    "videos": {
        "schedules": {
            "title": "A constant rate stalls at the noise floor; a decaying one goes below it",
            "scene": "lr_schedules.py",
            "class": "LearningRateSchedules",
            "inputs": [f"{name.replace('_', '-')}-s0" for name in SCHEDULES],
        },
    },
}
