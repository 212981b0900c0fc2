"""Seeded two-class toy datasets in the plane: moons, circles, XOR, a spiral and two blobs."""

from __future__ import annotations

import math

import numpy as np

DATASETS = ("moons", "circles", "xor", "spiral", "blobs")
TRAIN_SHARE = 0.8  # the first 80 % of a (shuffled) dataset trains, the rest tests


def train_size(samples: int) -> int:
    return int(round(samples * TRAIN_SHARE))


def make_dataset(name: str, samples: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(X [samples, 2], y [samples] in {0, 1})``, half of each class, shuffled."""
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    rng = np.random.default_rng(seed)
    n0 = samples // 2
    n1 = samples - n0
    if name == "moons":
        t0, t1 = rng.uniform(0, math.pi, n0), rng.uniform(0, math.pi, n1)
        a = np.stack([np.cos(t0), np.sin(t0)], 1)
        b = np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], 1)
        x = np.concatenate([a, b]) - [0.5, 0.25]
    elif name == "circles":
        t0, t1 = rng.uniform(0, 2 * math.pi, n0), rng.uniform(0, 2 * math.pi, n1)
        a = 1.0 * np.stack([np.cos(t0), np.sin(t0)], 1)
        b = 0.45 * np.stack([np.cos(t1), np.sin(t1)], 1)
        x = np.concatenate([a, b])
    elif name == "xor":  # class 0 in the quadrants where x1 x2 > 0, class 1 where it is < 0
        a = rng.uniform(0.1, 1.1, (n0, 2)) * rng.choice([-1.0, 1.0], (n0, 1))
        b = rng.uniform(0.1, 1.1, (n1, 2)) * rng.choice([-1.0, 1.0], (n1, 1)) * [1.0, -1.0]
        x = np.concatenate([a, b])
    elif name == "spiral":
        r0, r1 = rng.uniform(0.1, 1, n0), rng.uniform(0.1, 1, n1)
        a = np.stack([r0 * np.cos(3 * math.pi * r0), r0 * np.sin(3 * math.pi * r0)], 1)
        b = -np.stack([r1 * np.cos(3 * math.pi * r1), r1 * np.sin(3 * math.pi * r1)], 1)
        x = np.concatenate([a, b])
    else:  # blobs
        x = np.concatenate([rng.normal([-0.6, -0.4], 0.35, (n0, 2)), rng.normal([0.6, 0.4], 0.35, (n1, 2))])
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    x = x + noise * rng.standard_normal(x.shape)
    return _shuffle(x, y, rng)


def _shuffle(x: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    order = rng.permutation(len(y))
    return x[order], y[order]
