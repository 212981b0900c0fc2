#!/usr/bin/env python3
"""The visualizer's precompute: the whole of it through the real pipeline, then the ways of
evaluating a loss plane against each other on the same planes.

1. Builds every landscape the visualizer reads (every model x dataset x recorded epoch x zoom)
   into a fresh store with ``build_assets.py``, on all cores, and reports the wall clock.
2. On one core, evaluates the same loss planes four ways, one after the other for each plane:
   - ``loss_plane``, as the build does (the plane's weights are affine in its coordinates: the
     first layer's products are shared across the grid, the rest are batched matrix products);
   - ``loss_plane_vmap``, the method before it (``torch.func.functional_call`` under
     ``torch.vmap``);
   - the per-point loop (write the weights into the model, evaluate, repeat: the method of the
     original loss-landscape code);
   - the floor: nothing but a plain batched matrix product of every layer's shapes over the
     same chunks of grid points, on random numbers (the same multiply-adds, none of the rest).
   It checks that the values agree and reports the ratios. By default the planes are those of the
   trained weights (the last recorded epoch) at every zoom of every model on every dataset;
   ``--epochs all`` takes every recorded epoch, the whole precompute (slow: the loop takes tens of
   minutes).
3. With ``--recipe``, times ``landscape_arrays`` (train, then slice every recorded epoch) for one
   of the visualizer's recipes as the build runs it, and with its planes through the method before
   (the fastest of ``--repeats`` runs of each, taken in turn).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

METHODS = ("new", "vmap", "loop", "floor")
PAIRS = ("new-loop", "vmap-loop", "new-vmap")  # whose values are compared: largest |a - b| and |a - b| / b


def whole_precompute(jobs: int) -> tuple[float, str]:
    with tempfile.TemporaryDirectory(prefix="descent-bench-") as tmp:
        cmd = [sys.executable, "build_assets.py", "--only", "landscape:landscapes/*", "--jobs", str(jobs),
               "--no-publish"]  # fmt: skip
        t0 = time.perf_counter()
        done = subprocess.run(
            cmd, cwd=ROOT, env={**os.environ, "DESCENT_STORE": tmp}, capture_output=True, text=True
        )
        seconds = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stderr}")
    return seconds, next(line for line in done.stderr.splitlines() if line.startswith("landscape"))


def visualizer_recipes() -> dict[str, dict]:
    from descent.lesson_spec import read_lesson
    from lessons import landscapes

    return {
        a.id.split("/")[1]: a.recipe
        for a in read_lesson(landscapes).artifacts
        if a.kind == "landscape" and a.id.split("/")[1] in landscapes.EXPLORER
    }


def matrix_shapes(model) -> list[tuple[int, int]]:
    """``(w_in, w_out)`` of each linear layer: the product per grid point is ``[n, w_in] @ [w_in, w_out]``."""
    import torch

    return [(m.in_features, m.out_features) for m in model if isinstance(m, torch.nn.Linear)]


def floor(shapes: list[tuple[int, int]], n: int, points: int, chunk: int, dtype) -> float:
    """Seconds for plain batched products ``[m, n, w_in] @ [m, w_in, w_out]`` of every layer over
    ``points`` grid points in chunks of ``chunk``: the multiply-adds of a plane and nothing else."""
    import torch

    g = torch.Generator().manual_seed(0)
    operands = [
        (
            torch.randn(chunk, n, a, generator=g, dtype=dtype),
            torch.randn(chunk, a, b, generator=g, dtype=dtype),
        )
        for a, b in shapes
    ]
    t0 = time.perf_counter()
    for start in range(0, points, chunk):
        m = min(chunk, points - start)
        for h, w in operands:
            torch.bmm(h[:m], w[:m])
    return time.perf_counter() - t0


def methods_on_planes(every_epoch: bool) -> dict:
    import numpy as np
    import torch

    from descent import landscape as ls

    torch.set_num_threads(1)
    recipes = visualizer_recipes()
    planes = {"new": ls.loss_plane, "vmap": ls.loss_plane_vmap, "loop": ls.loss_plane_loop}
    totals = {"planes": 0, "points": 0, "flop": 0, **{m: 0.0 for m in METHODS}}
    diffs = {f"{pair}{kind}": 0.0 for pair in PAIRS for kind in ("", " rel")}
    for n, (name, recipe) in enumerate(recipes.items(), 1):
        s = ls.slicing(recipe)
        shapes = matrix_shapes(s.model)
        samples = len(s.x)
        chunk = max(1, ls.CHUNK_ELEMENTS // (samples * max(b for _, b in shapes)))  # as loss_plane's
        for w in s.weights if every_epoch else s.weights[-1:]:
            for coords in s.coords:
                z, seconds = {}, {}
                for method, plane in planes.items():
                    t0 = time.perf_counter()
                    z[method] = plane(s.model, w, s.d1, s.d2, coords, s.x, s.y)
                    seconds[method] = time.perf_counter() - t0
                points = len(coords) ** 2
                seconds["floor"] = floor(shapes, samples, points, chunk, s.x.dtype)
                for method in METHODS:
                    totals[method] += seconds[method]
                totals["planes"] += 1
                totals["points"] += points
                totals["flop"] += 2 * points * samples * sum(a * b for a, b in shapes)
                for pair in PAIRS:
                    a, b = pair.split("-")
                    difference = np.abs(z[a] - z[b])
                    diffs[pair] = max(diffs[pair], float(difference.max()))
                    diffs[f"{pair} rel"] = max(diffs[f"{pair} rel"], float((difference / z[b]).max()))
        so_far = ", ".join(f"{m} {totals[m]:.1f} s" for m in METHODS)
        print(f"  {n}/{len(recipes)} {name}: {so_far} so far", file=sys.stderr)
    return {**totals, **diffs}


def one_landscape(name: str, repeats: int) -> tuple[float, float, float]:
    """Seconds of ``landscape_arrays`` for one recipe as built, and with its planes evaluated by the
    method before (``loss_plane_vmap``; the 81-point interpolation line is left as built), the
    fastest of ``repeats`` runs of each, taken in turn; and the largest difference between the
    two ways' planes."""
    import numpy as np
    import torch

    from descent import landscape as ls

    torch.set_num_threads(1)
    recipe = visualizer_recipes()[name]
    seconds: dict[str, list[float]] = {"after": [], "before": []}
    for _ in range(repeats):
        t0 = time.perf_counter()
        after = ls.landscape_arrays(recipe)
        t1 = time.perf_counter()
        with mock.patch.object(ls, "loss_plane", ls.loss_plane_vmap):
            before = ls.landscape_arrays(recipe)
        t2 = time.perf_counter()
        seconds["after"].append(t1 - t0)
        seconds["before"].append(t2 - t1)
    difference = float(np.abs(after["plane.loss"] - before["plane.loss"]).max())
    return min(seconds["after"]), min(seconds["before"]), difference


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "--jobs", type=int, default=os.cpu_count(), help="workers for the whole build (default: cores)"
    )
    p.add_argument("--epochs", choices=["last", "all"], default="last",
                   help="planes compared: the trained weights', or every epoch's")  # fmt: skip
    p.add_argument("--skip-build", action="store_true", help="only the comparison on the same planes")
    p.add_argument("--recipe", metavar="NAME",
                   help="also time landscape_arrays for one visualizer recipe (e.g. moons-3x32)")  # fmt: skip
    p.add_argument("--repeats", type=int, default=3,
                   help="runs of each way for --recipe, in turn; the fastest counts")  # fmt: skip
    args = p.parse_args()

    if not args.skip_build:
        seconds, row = whole_precompute(args.jobs)
        print(f"whole precompute, {args.jobs} workers: {seconds:.1f} s wall clock")
        print(f"  closing table: {row}")
    t = methods_on_planes(args.epochs == "all")
    gflops = {m: t["flop"] / t[m] / 1e9 for m in METHODS}
    size = f"{t['planes']} planes, {t['points']} grid points, {t['flop'] / 1e9:.1f} GFLOP of products"
    print(f"{size}, one core:")
    for m in METHODS:
        print(f"  {m:5s} {t[m]:7.2f} s  {gflops[m]:6.1f} GFLOP/s")
    print(
        f"loop / new = {t['loop'] / t['new']:.1f}x, vmap / new = {t['vmap'] / t['new']:.1f}x, "
        f"loop / vmap = {t['loop'] / t['vmap']:.1f}x, new / floor = {t['new'] / t['floor']:.1f}x"
    )
    for pair in PAIRS:
        print(f"largest difference {pair}: {t[pair]:.1e} (relative {t[pair + ' rel']:.1e})")
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    cells = [time.strftime("%Y-%m-%d"), machine, args.epochs, t["planes"],
             *(f"{t[m]:.2f}" for m in ("loop", "vmap", "new", "floor")),
             f"{t['loop'] / t['new']:.1f}x", f"{t['vmap'] / t['new']:.1f}x", f"{t['new'] / t['floor']:.1f}x",
             f"{t['new-loop']:.0e}", f"{t['new-vmap']:.0e}"]  # fmt: skip
    print("table row: | " + " | ".join(map(str, cells)) + " |")
    if args.recipe:
        after, before, diff = one_landscape(args.recipe, args.repeats)
        print(
            f"landscape_arrays({args.recipe}), one core, fastest of {args.repeats}: {after:.2f} s as built, "
            f"{before:.2f} s with the "
            f"planes through loss_plane_vmap ({before / after:.2f}x); planes differ by at most {diff:.1e}"
        )


if __name__ == "__main__":
    main()
