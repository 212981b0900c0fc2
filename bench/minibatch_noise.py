#!/usr/bin/env python3
"""What minibatch noise does on the course's regression made of samples, measured before a lesson
states it: the stationary spread of SGD's iterates against η / B, the steps to a target loss
against the batch size (each at its best rate from a grid), and the gradient noise scale
B_noise = tr(Σ) / |G|² (McCandlish et al. 2018) where the runs start.

Every run is ``descent.regression.minibatch_run``: ``torch.optim.SGD`` on one seeded
``DataLoader`` batch per step. Prints tables; nothing is stored.

    .venv/bin/python bench/minibatch_noise.py
    .venv/bin/python bench/minibatch_noise.py --x-mean 2    # off-centre points: ill-conditioned
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from descent.regression import Regression, minibatch_run  # noqa: E402


def sgd(problem, start, lr, batch, steps, seed, indices=None):
    return minibatch_run(problem, start, "sgd", {"lr": lr}, batch, steps, seed, indices=indices)


def independent_batches(n, batch, steps, seed):
    """Each step's batch a fresh uniform draw of ``batch`` distinct samples, independent of the
    others (the sampling formula's setting), instead of a DataLoader's shuffled epochs."""
    generator = torch.Generator().manual_seed(seed)
    return np.stack([torch.randperm(n, generator=generator)[:batch].numpy() for _ in range(steps)])


def stationary_spread(problem, rates, batches, burn, steps, seed, independent):
    """Mean squared distance of the iterates from the minimum, after ``burn`` steps started there."""
    best = problem.minimum()
    rows = []
    for lr in rates:
        for batch in batches:
            drawn = independent_batches(problem.n, batch, burn + steps, seed) if independent else None
            run = sgd(problem, best, lr, batch, burn + steps, seed, drawn)
            tail = run.params[burn + 1 :]
            rows.append((lr, batch, float(np.mean(np.sum((tail - best) ** 2, axis=1)))))
    return rows


def slope(rows, n):
    """Least-squares slope of log spread against log(η/B · (N − B)/(N − 1)), and its R²."""
    x = np.log([lr / b * (n - b) / (n - 1) for lr, b, _ in rows])
    y = np.log([s for _, _, s in rows])
    a, c = np.polyfit(x, y, 1)
    r2 = 1 - np.sum((y - (a * x + c)) ** 2) / np.sum((y - y.mean()) ** 2)
    return float(a), float(r2)


def steps_to_target(problem, start, rates, batches, cap, seeds, share):
    """For each B: the fewest steps (median over seeds) to bring the excess loss under ``share``
    of the start's, over the rate grid, and the rate that did it."""
    floor = problem.loss(problem.minimum())
    target = share * (problem.loss(np.array(start)) - floor)
    out = []
    for batch in batches:
        best = (math.inf, None)
        for lr in rates:
            hits = []
            for seed in range(seeds):
                excess = sgd(problem, start, lr, batch, cap, seed).loss - floor
                below = np.nonzero(excess <= target)[0]
                hits.append(int(below[0]) if len(below) else math.inf)
            steps = float(np.median(hits))
            if steps < best[0]:
                best = (steps, lr)
        out.append((batch, *best))
    return out


def noise_scale(problem, w) -> float:
    g = problem.gradient(w)
    return problem.gradient_noise(w) / float(g @ g)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=256, help="samples in the regression (default 256)")
    parser.add_argument(
        "--seeds", type=int, default=3, help="runs per setting for steps to target (default 3)"
    )
    parser.add_argument("--x-mean", type=float, default=0.0, help="centre of the points' x (default 0)")
    args = parser.parse_args()
    t0 = time.perf_counter()
    problem = Regression.make(n=args.points, seed=0, x_mean=args.x_mean)
    n = problem.n
    low, high = np.linalg.eigvalsh(problem.hessian())
    start = [-1.0, 2.0]
    print(
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, N = {n}, x_mean = {args.x_mean:g}, "
        f"minimum {problem.minimum().round(4)}, Hessian eigenvalues {low:.3g} and {high:.3g}"
    )

    for independent, how in ((False, "a DataLoader's shuffled epochs"), (True, "independent batches")):
        rows = stationary_spread(problem, [0.01, 0.03, 0.1], [1, 4, 16, 64], 500, 10_000, 1, independent)
        print(f"\n{how}:\n| η | B | mean |w − w*|² after 500 steps, over 10,000 |\n| --- | --- | --- |")
        for lr, b, spread in rows:
            print(f"| {lr:g} | {b} | {spread:.3g} |")
        a, r2 = slope(rows, n)
        print(f"slope of log spread against log(η/B · (N−B)/(N−1)): {a:.3f} (R² {r2:.4f})")

    rates = np.geomspace(0.003, 1.5, 14)
    batches = [b for b in (1, 2, 4, 8, 16, 32, 64, 128, 256) if b <= n]
    with np.errstate(over="ignore", invalid="ignore"):  # the largest rates diverge: no hit
        table = steps_to_target(problem, start, rates, batches, cap=3000, seeds=args.seeds, share=1e-3)
    print("\n| B | steps to 0.1 % of the start's excess loss (median) | best η | samples seen |")
    print("| --- | --- | --- | --- |")
    for b, steps, lr in table:
        seen = "" if math.isinf(steps) else f"{steps * b:.0f}"
        print(f"| {b} | {steps:g} | {lr if lr is None else f'{lr:.3g}'} | {seen} |")
    print(f"\nB_noise = tr(Σ)/|G|² at the start {start}: {noise_scale(problem, np.array(start)):.3g}")
    for share in (0.1, 0.01):
        w = problem.minimum() + math.sqrt(share) * (np.array(start) - problem.minimum())
        print(f"B_noise where the excess loss is {share:g} of the start's: {noise_scale(problem, w):.3g}")
    print(f"\n{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
