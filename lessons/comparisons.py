"""Lesson 6: pathological cases and fair comparisons. Plain data: the search every comparison
draws from.

The search budget is the same for every optimizer: 12 learning rates spaced evenly on a log scale
from 1e-3 to about 3.2, default values for every other hyperparameter, the same start and the same
number of steps. Figures and the video then show each optimizer at its best rate by the rule in
``descent.compare``.
"""

OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"]
RATES = [round(10 ** (-3 + 3.5 * i / 11), 6) for i in range(12)]
TOLERANCE = 1e-6

# surface -> (start, steps). The ravine and its 45-degree turn are one bowl seen two ways.
CASES = {
    "rosenbrock": ([-1.5, 2.5], 1000),
    "rastrigin": ([2.3, 1.7], 300),
    "plateau": ([3.2, 2.4], 300),
    "ravine": ([-2.5, 1.5], 300),
    "rotated_ravine": ([-2.5, 1.5], 300),
}
NAMES = {
    "rosenbrock": "Rosenbrock's valley",
    "rastrigin": "Rastrigin's function",
    "plateau": "the plateau",
    "ravine": "the ravine",
    "rotated_ravine": "the rotated ravine",
}
# The saddle has no minimum to converge to: every optimizer at one rate, to see who escapes.
SADDLE_START = [1.4, 0.001]


def slug(surface: str) -> str:
    return surface.replace("_", "-")


def search(surface: str) -> list[str]:
    return [f"{slug(surface)}-{opt}-{lr}" for opt in OPTIMIZERS for lr in RATES]


LESSON = {
    "slug": "comparisons",
    "title": "Pathological cases and fair comparisons",
    "page": "lessons/comparisons.md",
    "trajectories": {
        **{
            f"{slug(surface)}-{opt}-{lr}": {
                "surface": surface,
                "optimizer": opt,
                "hyperparameters": {"lr": lr},
                "start": start,
                "steps": steps,
            }
            for surface, (start, steps) in CASES.items()
            for opt in OPTIMIZERS
            for lr in RATES
        },
        **{
            f"saddle-{opt}": {
                "surface": "saddle",
                "optimizer": opt,
                "hyperparameters": {"lr": 0.01},
                "start": SADDLE_START,
                "steps": 300,
            }
            for opt in OPTIMIZERS
        },
    },
    "figures": {
        **{
            f"race-{slug(surface)}": {
                "title": f"Every optimizer at its best learning rate from the search, on {NAMES[surface]}",
                "builder": "race",
                "surface": surface,
                "inputs": search(surface),
                "tolerance": TOLERANCE,
            }
            for surface in CASES
        },
        **{
            f"convergence-{slug(surface)}": {
                "title": f"Convergence on {NAMES[surface]}: L − L* and distance to w* per step (log scale), and steps to tolerance",
                "builder": "convergence",
                "surface": surface,
                "inputs": search(surface),
                "tolerance": TOLERANCE,
            }
            for surface in CASES
        },
        "race-saddle": {
            "title": "Escaping a saddle point: every optimizer at learning rate 0.01 from just off the ridge",
            "builder": "race",
            "surface": "saddle",
            "inputs": [f"saddle-{opt}" for opt in OPTIMIZERS],
            "tolerance": TOLERANCE,
        },
    },
    "videos": {
        "race": {
            "title": "Seven optimizers race from the same start, each at its best learning rate",
            "scene": "optimizer_race.py",
            "class": "OptimizerRace",
            "inputs": [*search("rosenbrock"), *search("ravine"), *search("rotated_ravine")],
            # The optimizers whose paths the video draws on the two ravines.
            "settings": {
                "tolerance": TOLERANCE,
                "ravine_paths": ["sgd", "momentum", "adagrad", "rmsprop", "adam"],
            },
        },
    },
}
