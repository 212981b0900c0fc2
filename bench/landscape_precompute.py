#!/usr/bin/env python3
"""The visualizer's precompute: the whole of it through the real pipeline, and batched plane
evaluation against a per-point loop on the same planes.

1. Builds every landscape the visualizer reads (every model x dataset x recorded epoch x zoom)
   into a fresh store with ``build_assets.py``, on all cores, and reports the wall clock.
2. On one core, evaluates the same loss planes twice, batched (``torch.func.functional_call``
   under ``torch.vmap``, as the build does) and one point at a time (write the weights into the
   model, evaluate, repeat: the method of the original loss-landscape code), checks that the
   values agree and reports the ratio. By default the planes are those of the trained weights
   (the last recorded epoch) at every zoom of every model on every dataset; ``--epochs all``
   takes every recorded epoch, the whole precompute (slow: the loop takes tens of minutes).
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


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


def batched_against_loop(every_epoch: bool) -> dict:
    import torch

    from descent import landscape as ls
    from descent.lesson_spec import read_lesson
    from lessons import landscapes

    torch.set_num_threads(1)
    recipes = [
        a.recipe
        for a in read_lesson(landscapes).artifacts
        if a.kind == "landscape" and a.id.split("/")[1] in landscapes.EXPLORER
    ]
    totals = {"planes": 0, "points": 0, "batched": 0.0, "loop": 0.0, "max_diff": 0.0}
    for n, recipe in enumerate(recipes, 1):
        s = ls.slicing(recipe)
        weights = s.weights if every_epoch else s.weights[-1:]
        for w in weights:
            for coords in s.coords:
                t0 = time.perf_counter()
                batched = ls.loss_plane(s.model, w, s.d1, s.d2, coords, s.x, s.y)
                t1 = time.perf_counter()
                looped = ls.loss_plane_loop(s.model, w, s.d1, s.d2, coords, s.x, s.y)
                t2 = time.perf_counter()
                totals["batched"] += t1 - t0
                totals["loop"] += t2 - t1
                totals["planes"] += 1
                totals["points"] += batched.size
                totals["max_diff"] = max(totals["max_diff"], float(abs(batched - looped).max()))
        done = f"batched {totals['batched']:.1f} s, loop {totals['loop']:.1f} s so far"
        print(f"  {n}/{len(recipes)} {recipe['dataset']} {recipe['hidden']}: {done}", file=sys.stderr)
    return totals


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "--jobs", type=int, default=os.cpu_count(), help="workers for the whole build (default: cores)"
    )
    p.add_argument("--epochs", choices=["last", "all"], default="last",
                   help="planes compared with the loop: the trained weights', or every epoch's")  # fmt: skip
    p.add_argument("--skip-build", action="store_true", help="only the batched-against-loop comparison")
    args = p.parse_args()

    if not args.skip_build:
        seconds, row = whole_precompute(args.jobs)
        print(f"whole precompute, {args.jobs} workers: {seconds:.1f} s wall clock")
        print(f"  closing table: {row}")
    t = batched_against_loop(args.epochs == "all")
    ratio = t["loop"] / t["batched"]
    print(
        f"{t['planes']} planes, {t['points']} grid points, one core: batched {t['batched']:.1f} s, "
        f"per-point loop {t['loop']:.1f} s, loop / batched = {ratio:.1f}x, "
        f"largest difference {t['max_diff']:.1e}"
    )
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    cells = [time.strftime("%Y-%m-%d"), machine, args.epochs, t["planes"], f"{t['batched']:.1f}",
             f"{t['loop']:.1f}", f"{ratio:.1f}x", f"{t['max_diff']:.0e}"]  # fmt: skip
    print("table row: | " + " | ".join(map(str, cells)) + " |")


if __name__ == "__main__":
    main()
