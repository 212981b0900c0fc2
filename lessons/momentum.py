"""Lesson 4: momentum. Plain data: which runs the lesson needs, with which parameters."""

ELONGATED_START = [-2.5, 1.2]
ROSENBROCK_START = [-1.5, 2.5]

# The grid behind the interactive figure: heavy ball and Nesterov, each beta, each learning rate.
# On x^2 + 10 y^2 (curvatures 2 and 20) heavy ball is stable for lr < 2 (1 + beta) / 20.
METHODS = ["momentum", "nesterov"]
BETAS = [0.5, 0.8, 0.9, 0.95, 0.99]  # beta = 0 is plain gradient descent (lesson 2)
VIDEO_BETAS = [0.0, 0.5, 0.9, 0.99]
RATES = [0.003, 0.01, 0.03, 0.09]


def _run(surface, optimizer, hp, start, steps):
    return {"surface": surface, "optimizer": optimizer, "hyperparameters": hp, "start": start, "steps": steps}


LESSON = {
    "slug": "momentum",
    "title": "Momentum",
    "page": "lessons/momentum.md",
    "trajectories": {
        # Plain gradient descent zig-zags across the narrow direction: the gradients the EMA smooths.
        "zigzag": _run("elongated_bowl", "sgd", {"lr": 0.09}, ELONGATED_START, 40),
        "elongated-sgd": _run("elongated_bowl", "sgd", {"lr": 0.03}, ELONGATED_START, 100),
        "elongated-momentum": _run(
            "elongated_bowl", "momentum", {"lr": 0.03, "momentum": 0.8}, ELONGATED_START, 100
        ),
        "elongated-nesterov": _run(
            "elongated_bowl", "nesterov", {"lr": 0.03, "momentum": 0.8}, ELONGATED_START, 100
        ),
        "rosenbrock-sgd": _run("rosenbrock", "sgd", {"lr": 0.001}, ROSENBROCK_START, 1500),
        "rosenbrock-momentum": _run(
            "rosenbrock", "momentum", {"lr": 0.001, "momentum": 0.9}, ROSENBROCK_START, 1500
        ),
        "rosenbrock-nesterov": _run(
            "rosenbrock", "nesterov", {"lr": 0.001, "momentum": 0.9}, ROSENBROCK_START, 1500
        ),
        **{
            f"beta-{beta}": _run(
                "elongated_bowl", "momentum", {"lr": 0.01, "momentum": beta}, ELONGATED_START, 150
            )
            for beta in VIDEO_BETAS
        },
        **{
            f"grid-{method}-{beta}-{lr}": _run(
                "elongated_bowl", method, {"lr": lr, "momentum": beta}, ELONGATED_START, 150
            )
            for method in METHODS
            for beta in BETAS
            for lr in RATES
        },
    },
    "figures": {
        "beta-lr": {
            "title": "Heavy ball or Nesterov, β and the learning rate, on the elongated bowl",
            "builder": "contour_paths",
            "surface": "elongated_bowl",
            "inputs": [f"grid-{m}-{b}-{lr}" for m in METHODS for b in BETAS for lr in RATES],
            "default": (METHODS.index("momentum") * len(BETAS) + BETAS.index(0.9)) * len(RATES)
            + RATES.index(0.03),
        },
        "rosenbrock": {
            "title": "Gradient descent, heavy ball and Nesterov in Rosenbrock's valley (same learning rate)",
            "builder": "race",
            "surface": "rosenbrock",
            "inputs": ["rosenbrock-sgd", "rosenbrock-momentum", "rosenbrock-nesterov"],
            "tolerance": 1e-6,
        },
        "rosenbrock-convergence": {
            "title": "Loss and distance to the minimum per step (log scale)",
            "builder": "convergence",
            "surface": "rosenbrock",
            "inputs": ["rosenbrock-sgd", "rosenbrock-momentum", "rosenbrock-nesterov"],
            "tolerance": 1e-6,
        },
    },
    "videos": {
        "momentum": {
            "title": "Exponential moving averages, then heavy ball and Nesterov momentum",
            "scene": "momentum.py",
            "class": "Momentum",
            "inputs": [
                "zigzag",
                "elongated-sgd",
                "elongated-momentum",
                "elongated-nesterov",
                "rosenbrock-sgd",
                "rosenbrock-momentum",
                "rosenbrock-nesterov",
                *[f"beta-{b}" for b in VIDEO_BETAS],
            ],
        },
    },
}
