"""Steps to a target against batch size: plain SGD on a regression, for each batch size at each
rate of a stated grid and several seeds, the first step whose full loss reaches the target; each
batch size's fewest (mean over seeds, best rate) and the fit S_min (1 + B_crit / B) to them; and
the gradient noise scale B_noise = tr(Σ)/|G|² at the start and where the target is reached
(McCandlish et al. 2018). Stored with the table of every run's steps, so the search is visible."""

from __future__ import annotations

from typing import Any

import numpy as np

from descent.arrays import StoredArrays, load_npz, npz_bytes
from descent.kinds import Checked, Kind
from descent.kinds.minibatch import batch_sizes, problem_of, problem_recipe
from descent.regression import critical_batch, fewest_steps, noise_scale, steps_to_target


def check(spec, where: str, value: dict) -> Checked:
    """``problem``, ``start``, ``batches`` (batch sizes), ``rates`` (the search grid), ``seeds``
    (runs per setting), ``share`` (the target: this share of the start's loss above the
    minimum) and ``cap`` (steps at most per run)."""
    spec.known_fields(value, where, {"problem", "start", "batches", "rates", "seeds", "share", "cap"})
    problem = problem_recipe(spec, where, value)
    sizes = batch_sizes(spec, where, value, problem["points"])
    rates = spec.present(value, where, "rates")
    if (
        not isinstance(rates, list)
        or not rates
        or not all(spec.is_number(r) and 0 < r < np.inf for r in rates)
    ):
        spec.fail(f"{where}.rates", f"must be a non-empty list of finite rates > 0, got {rates!r}")
    share = spec.positive(value, where, "share")
    if share >= 1:
        spec.fail(f"{where}.share", f"must be below 1 (a share of the start's excess loss), got {share!r}")
    recipe = {
        "problem": problem,
        "start": spec.point(value, where, "start", 2),
        "batches": sizes,
        "rates": sorted(float(r) for r in rates),
        "seeds": spec.integer(value, where, "seeds", 1, 100),
        "share": share,
        "cap": spec.integer(value, where, "cap", 1, spec.MAX_STEPS),
    }
    return Checked(recipe)


def produce(planned, inputs) -> dict[str, bytes]:
    r = planned.spec.recipe
    problem = problem_of(r)
    start, best = np.array(r["start"]), problem.minimum()
    floor = problem.loss(best)
    target = floor + r["share"] * (problem.loss(start) - floor)
    steps = np.stack(
        [steps_to_target(problem, start, b, r["rates"], r["seeds"], target, r["cap"]) for b in r["batches"]]
    )  # [batch sizes, rates, seeds]
    # On the straight line to the minimum, the loss above it grows as the distance squared: the
    # point at the target's share of the start's excess is sqrt(share) of the way out.
    at_target = best + np.sqrt(r["share"]) * (start - best)
    mean, fewest, best_rates = fewest_steps(r["rates"], steps)
    s_min, b_crit = critical_batch(r["batches"], fewest)
    arrays = {
        "x": problem.x,
        "y": problem.y,
        "batches": np.array(r["batches"], dtype=np.int64),
        "rates": np.array(r["rates"]),
        "steps": steps,
        "mean_steps": mean,
        "fewest_steps": fewest,
        "best_rates": best_rates,
        "s_min": np.array(s_min),
        "b_crit": np.array(b_crit),
        "target": np.array(target),
        "minimum_loss": np.array(floor),
        "noise_scale_start": np.array(noise_scale(problem, start)),
        "noise_scale_target": np.array(noise_scale(problem, at_target)),
    }
    return {"scaling.npz": npz_bytes(arrays)}


def load(artifact_id: str, recipe: dict[str, Any], entry) -> StoredArrays:
    return StoredArrays(load_npz(entry.file("scaling.npz")), recipe)


KIND = Kind(
    "batch_scaling", "batch_scalings", check=check, produce=produce, load=load,
    versions=("numpy", "torch"), cost=1,
)  # fmt: skip
