"""Lesson 11: curvature during training. Plain data: a tiny network trained by full-batch gradient
descent at four learning rates, by heavy-ball momentum at two and by Adam at three, with the top
eigenvalue of its training loss's Hessian (for Adam also of the preconditioned Hessian) every 40
steps.

The network is the visualizer's family: two layers of 32 tanh units, on the circles (300 points,
noise 0.1, seed 0; 240 train). The loss is the squared error of the output against the labels 0
and 1; one more run trains the same network with cross-entropy, where the sharpness falls as the
logits grow and no edge of stability shows.
"""

NETWORK = {
    "dataset": "circles",
    "samples": 300,
    "noise": 0.1,
    "seed": 0,
    "hidden": [32, 32],
    "activation": "tanh",
    "loss": "mse",
    "epochs": 4000,  # full-batch: one step an epoch
    "record": [0, 4000],
    "every": 40,
    "lanczos": 20,
}
RUNS = {
    "gd": ("sgd", [0.05, 0.1, 0.2, 0.25], {}),
    "momentum": ("momentum", [0.15, 0.2], {"momentum": 0.9}),
    "adam": ("adam", [0.003, 0.01, 0.03], {}),
}


def run_id(family: str, lr: float) -> str:
    return f"{family}-{lr:g}"


CROSS_ENTROPY = "gd-0.2-cross-entropy"  # gradient descent at 0.2 on the same network, cross-entropy
IDS = [run_id(family, lr) for family, (_, rates, _) in RUNS.items() for lr in rates] + [CROSS_ENTROPY]

LESSON = {
    "slug": "curvature",
    "title": "Curvature during training",
    "page": "lessons/curvature.md",
    "sharpness_runs": {
        run_id(family, lr): {**NETWORK, "optimizer": optimizer, "hyperparameters": {"lr": lr, **extra}}
        for family, (optimizer, rates, extra) in RUNS.items()
        for lr in rates
    }
    | {CROSS_ENTROPY: {**NETWORK, "loss": "bce", "optimizer": "sgd", "hyperparameters": {"lr": 0.2}}},
    "figures": {
        "sharpness": {
            "title": "The sharpness of a tiny network's loss during training, against each optimizer's "
            "stability threshold",
            "builder": "sharpness_runs",
            "inputs": IDS,
        },
    },
    "videos": {
        "edge-of-stability": {
            "title": "The sharpness rises until it meets the optimizer's stability threshold, and stays at "
            "its edge",
            "scene": "edge_of_stability.py",
            "class": "EdgeOfStability",
            "inputs": ["gd-0.05", "gd-0.1", "gd-0.2", "momentum-0.2", "adam-0.01"],
        },
    },
}
