"""A small lesson of trajectories and figures (no videos): fast to build, for pipeline tests."""

import types


def sgd(lr, steps=30):
    return {
        "surface": "bowl",
        "optimizer": "sgd",
        "hyperparameters": {"lr": lr},
        "start": [2, 1],
        "steps": steps,
    }


def network(**changes):
    """A tiny network's spec (moons, one hidden layer of 4, a few epochs), with ``changes``."""
    return {
        "dataset": "moons",
        "samples": 100,
        "noise": 0.1,
        "seed": 0,
        "hidden": [4],
        "activation": "relu",
        "optimizer": "adam",
        "hyperparameters": {"lr": 0.01},
        "epochs": 5,
        "record": [0, 5],
        **changes,
    }


SPEC = {
    "slug": "demo",
    "title": "Demo",
    "page": "lessons/demo.md",
    "trajectories": {
        "slow": sgd(0.05),
        "fast": sgd(0.4),
        # lr above 2/lambda_max = 1 on the bowl: diverges, and must still publish cleanly.
        "wild": sgd(1.2, steps=300),
        "adam": {
            "surface": "rosenbrock",
            "optimizer": "adam",
            "hyperparameters": {"lr": 0.05},
            "start": [-1, 2],
            "steps": 50,
        },
    },
    "figures": {
        "lr": {
            "title": "t",
            "builder": "contour_paths",
            "surface": "bowl",
            "inputs": ["slow", "fast", "wild"],
        },
        "adam3d": {"title": "t", "builder": "surface_path_3d", "surface": "rosenbrock", "inputs": ["adam"]},
    },
}


def lesson(spec):
    m = types.ModuleType("lessons.demo")
    m.__file__ = "lessons/demo.py"
    m.LESSON = spec
    return m


def planned(kind: str, recipe: dict, artifact_id: str = "test/item"):
    """A planned artifact of ``kind`` with ``recipe``, to call its producer in a test."""
    from descent.lesson_spec import ArtifactSpec
    from descent.plan import Planned

    return Planned(ArtifactSpec(kind, artifact_id, recipe), "0" * 64, "", "", (), {})
