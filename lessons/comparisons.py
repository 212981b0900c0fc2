"""Lesson 6: pathological cases and fair comparisons. Plain data.

Two searches. The pathological cases are drawn from a learning-rate grid: 12 rates spaced evenly on
a log scale from 1e-3 to about 3.2, default values for every other hyperparameter, the same start
and the same number of steps; the race figures and the video show each optimizer at its best rate
by the rule in ``descent.compare``.

The comparison itself follows the protocol of ``descent.tuning``: on every problem each optimizer
gets TRIALS quasi-random trials in each of the STUDIES, over every hyperparameter the registry gives
a range (and again over the learning rate alone), scored by the median over the studies of its
fastest trial's steps to the problem's target.
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


# The tuning protocol: trials per optimizer in each study, and one seed per study.
TRIALS = 20
STUDIES = [0, 1, 2]
# Every surface of CASES, from the same start with the same step budget, to a target loss. The
# targets sit just above each global minimum's loss (0 on all of them); Rosenbrock's is looser, so
# that 1000 steps can reach it, and Rastrigin's asks only for the global minimum's well (every
# other minimum lies above 0.99).
TARGETS = {"rosenbrock": 1e-2, "rastrigin": 0.5, "plateau": 1e-6, "ravine": 1e-6, "rotated_ravine": 1e-6}
# Tiny networks of the visualizer's family (300 samples, noise 0.1, tanh), trained full-batch:
# name -> (dataset, hidden widths, steps, target training loss).
NETWORK_PROBLEMS = {
    "moons-2x8": ("moons", [8, 8], 100, 0.01),
    "circles-1x8": ("circles", [8], 100, 0.05),
    "xor-2x8": ("xor", [8, 8], 100, 0.05),
}
# Optimizers that do not apply to a kind of problem, with the reason the figures show:
# {optimizer: {"surface" or "network": reason}}.
NOT_APPLICABLE = {
    "muon": {"surface": "Muon orthogonalises the update of a weight matrix; a surface's point is a vector"},
}


def tuning(problem: dict, steps: int, target: float, kind: str) -> dict:
    skip = {o: why[kind] for o, why in NOT_APPLICABLE.items() if o in OPTIMIZERS and kind in why}
    return {
        "problem": problem,
        "steps": steps,
        "target": target,
        "optimizers": OPTIMIZERS,
        "trials": TRIALS,
        "seeds": STUDIES,
        **({"skip": skip} if skip else {}),
    }


TUNINGS = {
    **{
        f"tuning-{slug(surface)}": tuning(
            {"surface": surface, "start": start}, steps, TARGETS[surface], "surface"
        )
        for surface, (start, steps) in CASES.items()
    },
    **{
        f"tuning-{name}": tuning(
            {
                "network": {
                    "dataset": dataset,
                    "samples": 300,
                    "noise": 0.1,
                    "seed": 0,
                    "hidden": hidden,
                    "activation": "tanh",
                }
            },
            steps,
            target,
            "network",
        )  # fmt: skip
        for name, (dataset, hidden, steps, target) in NETWORK_PROBLEMS.items()
    },
}

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
    "tunings": TUNINGS,
    "figures": {
        "profiles": {
            "title": "Performance profiles: for each optimizer, the share of the problems on which its "
            "score is within a factor τ of the best, tuned fully (left) and by learning rate only (right)",
            "builder": "performance_profiles",
            "inputs": list(TUNINGS),
        },
        "scores": {
            "title": "Every problem's scores: the median over three studies of the fastest trial's steps "
            "to the target, full tuning (top) and learning rate only (bottom)",
            "builder": "tuning_scores",
            "inputs": list(TUNINGS),
        },
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
