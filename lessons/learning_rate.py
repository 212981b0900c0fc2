"""Lesson 3: the learning rate. Plain data: which runs the lesson needs, with which parameters."""

# On L(w) = w^2 the curvature is lambda = 2, so gradient descent multiplies w by (1 - 2 lr):
# it converges for lr < 2 / lambda = 1 and diverges above. One run on each side of every regime.
PARABOLA_RATES = {"too-small": 0.02, "just-right": 0.3, "too-large": 0.9, "diverging": 1.05}

# The sweep: learning rates spaced evenly on a log scale, every optimizer, on the elongated bowl.
SWEEP_RATES = [round(10 ** (-3 + 3.5 * i / 24), 6) for i in range(25)]  # 1e-3 ... ~3.2
SWEEP_OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"]

LESSON = {
    "slug": "learning-rate",
    "title": "The learning rate",
    "page": "lessons/learning-rate.md",
    "trajectories": {
        **{
            f"parabola-{name}": {
                "surface": "parabola",
                "optimizer": "sgd",
                "hyperparameters": {"lr": lr},
                "start": [1.8],
                "steps": 15,
            }
            for name, lr in PARABOLA_RATES.items()
        },
        **{
            f"sweep-{optimizer}-{lr}": {
                "surface": "elongated_bowl",
                "optimizer": optimizer,
                "hyperparameters": {"lr": lr},
                "start": [-2.5, 1.2],
                "steps": 200,
            }
            for optimizer in SWEEP_OPTIMIZERS
            for lr in SWEEP_RATES
        },
    },
    "videos": {
        "comparison": {
            "title": "Too small, just right, too large: gradient descent on L(w) = w² at four learning rates",
            "scene": "learning_rate_comparison.py",
            "class": "LearningRateComparison",
            "inputs": [
                "parabola-too-small",
                "parabola-just-right",
                "parabola-too-large",
                "parabola-diverging",
            ],
        }
    },
    "figures": {
        "sweep": {
            "title": "Learning-rate sweep on the elongated bowl: final loss and steps to L ≤ 1e-6",
            "builder": "lr_sweep",
            "surface": "elongated_bowl",
            "inputs": [f"sweep-{optimizer}-{lr}" for optimizer in SWEEP_OPTIMIZERS for lr in SWEEP_RATES],
            "tolerance": 1e-6,
        },
    },
}
