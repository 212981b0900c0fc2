"""Lesson 6: stochastic gradients and batch size. Plain data: a regression made of samples, minibatch
SGD on it at several batch sizes and rates, the cloud of minibatch gradients at one point, a search
of steps to a target against batch size, and a tiny network trained full-batch and in minibatches."""

from descent.regression import Regression

# 256 points around the line y = 2x - 1 (x ~ N(0, 1), noise 0.5): the loss is a round bowl.
PROBLEM = {"points": 256, "seed": 0}
N = PROBLEM["points"]
START = [-1.0, 2.0]
MINIMUM = [round(float(v), 9) for v in Regression.make(N, PROBLEM["seed"]).minimum()]
BATCHES = [1, 4, 16, 64, N]
# Independent draws of distinct samples every step: the setting of the sampling formula.
SAMPLING = "independent"

# The noisy ball: SGD started at the minimum, at three rates and four batch sizes, long enough to
# average the spread over thousands of steps after a burn-in of BURN.
SPREAD_RATES = [0.01, 0.03, 0.1]
SPREAD_BATCHES = [1, 4, 16, 64]
SPREAD_STEPS = 3000
BURN = 500  # the figure and the page read this


def _sgd(batch, lr, steps, start, seed=0):
    return {
        "problem": PROBLEM,
        "optimizer": "sgd",
        "hyperparameters": {"lr": lr},
        "start": start,
        "batch": batch,
        "steps": steps,
        "seed": seed,
        "sampling": SAMPLING,
    }


# A tiny network of the visualizer's family (two layers of 16 tanh units on the moons), plain SGD
# at one rate: the whole training set per step, and batches of 64, 16 and 4.
NETWORK = {
    "dataset": "moons",
    "samples": 300,
    "noise": 0.1,
    "seed": 0,
    "hidden": [16, 16],
    "activation": "tanh",
    "optimizer": "sgd",
    "hyperparameters": {"lr": 0.1},
    "epochs": 60,
    "record": [0, 60],
}
NETWORK_BATCHES = [64, 16, 4]

LESSON = {
    "slug": "stochastic",
    "title": "Stochastic gradients and batch size",
    "page": "lessons/stochastic.md",
    "minibatch_runs": {
        **{f"b{b}": _sgd(b, 0.2, 200, START) for b in BATCHES},
        **{
            f"spread-{lr:g}-b{b}": _sgd(b, lr, SPREAD_STEPS, MINIMUM)
            for lr in SPREAD_RATES
            for b in SPREAD_BATCHES
        },
    },
    "gradient_clouds": {
        # Off the line from the start to the minimum, 0.58 of the start's distance from it, where the
        # gradient and its noise are of a size.
        "cloud": {
            "problem": PROBLEM,
            "point": [-0.25, 0.0],
            "batches": [1, 4, 16, 64],
            "draws": 1000,
            "seed": 0,
        },
    },
    "batch_scalings": {
        # Each batch size at its best rate of 12, log-spaced from 0.01 to 1.5; the mean over 5 seeds
        # of the first step within 0.1 % of the start's loss above the minimum (near the noise floor).
        "scaling": {
            "problem": PROBLEM,
            "start": START,
            "batches": [1, 2, 4, 8, 16, 32, 64, 128, N],
            "rates": [round(0.01 * (150 ** (i / 11)), 4) for i in range(12)],
            "seeds": 5,
            "share": 1e-3,
            "cap": 1000,
        },
    },
    "networks": {
        "net-full": NETWORK,
        **{f"net-b{b}": {**NETWORK, "batch": b} for b in NETWORK_BATCHES},
    },
    "figures": {
        "paths": {
            "title": "Minibatch SGD at η = 0.2 with batches of 1, 4, 16, 64 and all 256 points",
            "builder": "minibatch_paths",
            "inputs": [f"b{b}" for b in BATCHES],
        },
        "cloud": {
            "title": "Minibatch gradients at one point, 1,000 draws per batch size",
            "builder": "gradient_cloud",
            "inputs": ["cloud"],
        },
        "ball": {
            "title": "The spread of the iterates around the minimum against η / B",
            "builder": "noise_ball",
            "inputs": [f"spread-{lr:g}-b{b}" for lr in SPREAD_RATES for b in SPREAD_BATCHES],
        },
        "scaling": {
            "title": "Steps to the target against batch size, each at its best learning rate",
            "builder": "batch_scaling",
            "inputs": ["scaling"],
        },
        "network": {
            "title": "A tiny network trained by SGD on the whole training set and on minibatches",
            "builder": "training_curves",
            "inputs": ["net-full", *[f"net-b{b}" for b in NETWORK_BATCHES]],
        },
    },
    "videos": {
        "stochastic": {
            "title": "Every minibatch has its own surface: the steps SGD takes, and the cloud of gradients",
            "scene": "stochastic_gradients.py",
            "class": "StochasticGradients",
            "inputs": ["b1", "b16", f"b{N}", "cloud"],
        },
    },
}
