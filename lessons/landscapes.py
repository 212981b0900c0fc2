"""Lesson 8: loss landscapes of real networks, and the visualizer's data. Plain data."""

from descent.datasets import DATASETS

EPOCHS = 200
# Dense early, where the weights move most, so the slider shows training as it happens.
RECORD = [0, 1, 2, 3, 4, 6, 8, 10, 13, 16, 20, 25, 30, 40, 50, 65, 80, 100, 130, 160, 200]
TRAINING = {
    "samples": 300,
    "noise": 0.1,
    "seed": 0,
    "activation": "tanh",
    "optimizer": "adam",
    "hyperparameters": {"lr": 0.03},
    "epochs": EPOCHS,
}
PLANE = {"radii": [0.1, 0.3, 1.0], "grid": 31, "boundary_grid": 50, "directions_seed": 1}
LAYERS = (1, 2, 3)
WIDTHS = (4, 8, 16, 32)

# The visualizer's second training: minibatches of 16 (a DataLoader shuffling the training set,
# seeded by the recipe's seed: 15 steps per epoch), SGD with heavy-ball momentum 0.9, the same
# epochs and recorded epochs. One setting for every model and dataset, chosen once on the default
# model (moons, 2 x 8) by its training loss at epoch 200 over rates 0.01, 0.03, 0.1 and 0.3 with
# momentum 0.9: 0.0081, 0.0011, 0.0002 and 0.00004, against 0.0016 for full-batch Adam (every run
# reaches 100 % test accuracy). At 0.03 the two runs end at about the same loss, so what differs
# between them is how they got there; the larger rates would also end lower, mixing the two.
MINIBATCH = {"optimizer": "momentum", "hyperparameters": {"lr": 0.03, "momentum": 0.9}, "batch": 16}


def explorer(suffix: str = "", **training) -> dict[str, dict]:
    """Every model of the visualizer on every dataset: "<dataset>-<layers>x<width><suffix>"."""
    return {
        f"{dataset}-{layers}x{width}{suffix}": {
            **TRAINING,
            **training,
            **PLANE,
            "dataset": dataset,
            "hidden": [width] * layers,
            "record": RECORD,
        }
        for dataset in DATASETS
        for layers in LAYERS
        for width in WIDTHS
    }


# Full-batch Adam (the lesson's figures read these), then the same networks on minibatches.
EXPLORER = {**explorer(), **explorer("-sgd", **MINIBATCH)}

# Why filter normalization: a ReLU network and the same function with its first layer's weights
# ten times larger (and the second's ten times smaller), each sliced with plain and with
# filter-normalized directions.
RELU = {**TRAINING, "dataset": "moons", "activation": "relu", "hidden": [16, 16], "record": [0, EPOCHS]}
NORMALIZATION = {
    f"relu{'-rescaled' if rescale != 1 else ''}-{normalization}": {
        **RELU,
        "radii": [1.0] if normalization == "filter" else [3.0],
        "grid": 41,
        "boundary_grid": 8,
        "directions_seed": 1,
        "normalization": normalization,
        "rescale": rescale,
    }
    for normalization in ("none", "filter")
    for rescale in (1.0, 10.0)
}

LESSON = {
    "slug": "landscapes",
    "title": "Loss landscapes of real networks",
    "page": "lessons/landscapes.md",
    "landscapes": {**EXPLORER, **NORMALIZATION},
    "figures": {
        "interpolation": {
            "title": "The loss on the straight line from the initial weights (α = 0) to the trained ones (α = 1)",
            "builder": "interpolation",
            "inputs": ["moons-1x4", "moons-3x32", "spiral-1x4", "spiral-3x32"],
        },
        "normalization": {
            "title": "One function, two weight scalings: the loss plane without and with filter normalization "
            "(yellow: the trained weights)",
            "builder": "loss_planes",
            "inputs": ["relu-none", "relu-rescaled-none", "relu-filter", "relu-rescaled-filter"],
        },
        "width": {
            "title": "The trained minima of a narrow and a wide network on the same data (yellow: the weights)",
            "builder": "loss_planes",
            "inputs": ["moons-1x4", "moons-3x32", "spiral-1x4", "spiral-3x32"],
        },
    },
    "videos": {
        "landscapes": {
            "title": "Slicing a network's loss: a line, a plane, training, and why directions are normalized",
            "scene": "loss_landscapes.py",
            "class": "LossLandscapes",
            "inputs": ["moons-2x8", *NORMALIZATION],
        },
    },
    "visualizers": {
        "explorer": {
            "title": "Loss landscape and decision boundary",
            "inputs": list(EXPLORER),
            "default": "moons/2x8/adam",
        },
    },
}
