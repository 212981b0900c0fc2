"""Lesson: the optimizers of today. Plain data: each new optimizer on the elongated bowl, a tiny
network's first steps under each (its updates and its state, read from the optimizer), and Muon
(on the hidden weight matrices, AdamW on the rest) against AdamW alone on a tiny network.

NAdam, RAdam, Adafactor and Muon run in torch.optim; Lion and Schedule-Free AdamW in Optax (torch
has neither), stepped inside a torch optimizer. Muon steps matrices only: it has no run on the
surface, whose parameter is a point.
"""

POINT_OPTIMIZERS = ["adam", "nadam", "radam", "adafactor", "lion", "schedule_free_adamw"]
SURFACE = "elongated_bowl"
START = [-2.5, 1.5]
SURFACE_STEPS = 150
SURFACE_LR = 0.05
# Without weight decay Lion's step is exactly ±η in every coordinate; Optax's default decays.
NO_DECAY = {"lion": {"weight_decay": 0.0}}

# A tiny network of the visualizer's family, its first steps under each optimizer.
NETWORK = {
    "dataset": "moons",
    "samples": 300,
    "noise": 0.1,
    "seed": 0,
    "hidden": [32, 32],
    "activation": "tanh",
    "record": [0],
}
STEP_RUNS = {
    "adamw": {"lr": 0.01},
    "lion": {"lr": 0.001, "weight_decay": 0.0},
    "muon": {"lr": 0.02},
    "adafactor": {"lr": 0.01},
    "schedule_free_adamw": {"lr": 0.01},
}
STEPS = 50

# Muon where it applies: the same network trained to 200 full-batch steps by AdamW alone and by
# Muon (hidden matrix) + AdamW (the rest), each at a small grid of rates (Muon's rate times the rest's
# AdamW rate). Each is drawn at its best rate: the fewest steps after which the training loss stays
# below TARGET to the end, ties going to the lower final loss.
COMPARED = {**{k: v for k, v in NETWORK.items() if k != "record"}, "epochs": 200, "record": [0, 200]}
ADAMW_RATES = [0.01, 0.03, 0.1, 0.3]
MUON_RATES = [0.03, 0.1, 0.3, 1.0, 3.0]
TARGET = 0.01


def slug(name: str) -> str:
    return name.replace("_", "-")


COMPARED_RUNS = {
    f"adamw-{lr:g}": {**COMPARED, "optimizer": "adamw", "hyperparameters": {"lr": lr}} for lr in ADAMW_RATES
} | {
    f"muon-{lr:g}-adamw-{rest:g}": {
        **COMPARED,
        "optimizer": "muon",
        "hyperparameters": {"lr": lr, "adamw_lr": rest},
    }
    for lr in MUON_RATES
    for rest in ADAMW_RATES
}


LESSON = {
    "slug": "optimizers-today",
    "title": "The optimizers of today",
    "page": "lessons/optimizers-today.md",
    "trajectories": {
        f"bowl-{slug(name)}": {
            "surface": SURFACE,
            "optimizer": name,
            "hyperparameters": {"lr": SURFACE_LR, **NO_DECAY.get(name, {})},
            "start": START,
            "steps": SURFACE_STEPS,
        }
        for name in POINT_OPTIMIZERS
    },
    "optimizer_steps": {
        f"steps-{slug(name)}": {**NETWORK, "optimizer": name, "hyperparameters": hp, "epochs": STEPS}
        for name, hp in STEP_RUNS.items()
    },
    "networks": COMPARED_RUNS,
    "figures": {
        "paths": {
            "title": "Adam, NAdam, RAdam, Adafactor, Lion and Schedule-Free AdamW on the elongated bowl "
            f"(η = {SURFACE_LR})",
            "builder": "race",
            "surface": SURFACE,
            "inputs": [f"bowl-{slug(name)}" for name in POINT_OPTIMIZERS],
            "tolerance": 1e-6,
        },
        "update-sizes": {
            "title": "How far each step moves each weight of a tiny network, in units of the learning rate",
            "builder": "update_sizes",
            "inputs": [f"steps-{slug(name)}" for name in STEP_RUNS],
        },
        "muon-spectrum": {
            "title": "Singular values of Muon's update of the hidden weight matrix, against its momentum's",
            "builder": "muon_spectrum",
            "inputs": ["steps-muon"],
        },
        "schedule-free": {
            "title": "Schedule-Free AdamW: the iterates z, the gradient point y and the average x",
            "builder": "schedule_free_average",
            "inputs": ["steps-schedule-free-adamw"],
        },
        "muon-vs-adamw": {
            "title": f"Muon + AdamW against AdamW alone on a tiny network, each at its best rate (loss {TARGET:g})",
            "builder": "grid_best",
            "inputs": list(COMPARED_RUNS),
            "tolerance": TARGET,
        },
    },
    "videos": {
        "today": {
            "title": "Four of today's optimizers, from their own runs: Lion's signs, Muon's "
            "orthogonal updates, Adafactor's factored moment, Schedule-Free's three points",
            "scene": "todays_optimizers.py",
            "class": "TodaysOptimizers",
            "inputs": [
                "bowl-adam",
                "bowl-lion",
                "bowl-schedule-free-adamw",
                "steps-adamw",
                "steps-lion",
                "steps-muon",
                "steps-adafactor",
            ],
            # The optimizers the video teaches, in its order (Adam and AdamW are there to compare).
            "settings": {"featured": ["lion", "muon", "adafactor", "schedule_free_adamw"]},
        },
    },
}
