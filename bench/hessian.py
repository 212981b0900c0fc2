#!/usr/bin/env python3
"""The sharpness of a network's training loss two ways, measured in one run: Lanczos on
Hessian-vector products (``descent.curvature.top_eigenvalue``) against forming the full Hessian
with ``torch.func.hessian`` and diagonalizing it, on the visualizer's family of networks (1 to 3
hidden layers of 4 to 32 tanh units) at their initial weights, on the moons (240 training points).

Prints, per network, the parameters, the seconds of each way (the fastest of ``--repeats``), their
ratio and the two eigenvalues' relative difference, and a row per network for bench/README.md.
"""

from __future__ import annotations

import argparse
import platform
import time

import torch

from descent.curvature import flat_loss, flat_parameters, full_hessian, top_eigenvalue
from descent.datasets import make_dataset, train_size
from descent.networks import make_mlp


def fastest(fn, repeats: int) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--steps", type=int, default=40, help="Lanczos steps (default 40)")
    p.add_argument("--repeats", type=int, default=3, help="timings per way, the fastest kept (default 3)")
    args = p.parse_args()
    torch.set_num_threads(1)
    x, y = make_dataset("moons", 300, 0.1, seed=0)
    n = train_size(len(y))
    xt, yt = torch.tensor(x[:n]), torch.tensor(y[:n])

    def bce(logits, target):
        return torch.nn.functional.binary_cross_entropy_with_logits(logits[:, 0], target)

    print(f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, one thread, {args.steps} Lanczos steps")
    print("| network | parameters | Lanczos (s) | full Hessian (s) | full / Lanczos | relative difference |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for layers in (1, 2, 3):
        for width in (4, 8, 16, 32):
            model = make_mlp([width] * layers, "tanh", seed=0)
            f = flat_loss(model, xt, yt, bce)
            theta = flat_parameters(model)
            t_lanczos, top = fastest(lambda f=f, t=theta: top_eigenvalue(f, t, args.steps), args.repeats)
            t_full, exact = fastest(
                lambda f=f, t=theta: float(torch.linalg.eigvalsh(full_hessian(f, t))[-1]), args.repeats
            )
            print(
                f"| {layers} x {width} | {theta.numel()} | {t_lanczos:.3f} | {t_full:.3f} "
                f"| {t_full / t_lanczos:.1f}x | {abs(top - exact) / abs(exact):.1e} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
