"""A sharpness run: a tiny network trained as a network artifact is (full-batch unless it names a
``batch``), and every ``every`` optimizer steps the top eigenvalue of its training loss's Hessian,
by Lanczos on Hessian-vector products (``descent.curvature``). For Adam also the preconditioned
sharpness λ_max(P⁻¹H) (``descent.stability``), from its second moments at that step. Stored with
the weights (and Adam's second moments) at every measured step and the dataset's recipe, so that
anyone can compute the sharpness again."""

from __future__ import annotations

from typing import Any

import numpy as np

from descent.arrays import StoredArrays, load_npz, npz_bytes
from descent.kinds import Checked, Kind
from descent.kinds.network import FIELDS, network_recipe, training_steps


def check(spec, where: str, value: dict) -> Checked:
    """The network's fields, ``every`` (steps between measurements) and ``lanczos`` (Lanczos steps
    per measurement)."""
    spec.known_fields(value, where, FIELDS | {"every", "lanczos"})
    recipe = network_recipe(spec, where, value)
    steps = training_steps(recipe)
    recipe["every"] = spec.integer(value, where, "every", 1, max(steps, 1))
    recipe["lanczos"] = spec.integer(value, where, "lanczos", 2, 500)
    return Checked(recipe)


def produce(planned, inputs) -> dict[str, bytes]:
    import torch  # only where a network is trained

    from descent.curvature import flat_loss, preconditioned_top_eigenvalue, top_eigenvalue
    from descent.networks import loss_of, make_mlp, train
    from descent.stability import adam_preconditioner, preconditioned

    recipe = planned.spec.recipe
    every, lanczos = recipe["every"], recipe["lanczos"]
    # Adam's second moments at every measured step (its preconditioner; flat, sorted names).
    moments: dict[int, np.ndarray] = {}

    def keep_moments(step, states, parameters):
        if step % every == 0:
            moments[step] = np.concatenate([s["exp_avg_sq"].detach().reshape(-1).numpy() for s in states])

    adam = preconditioned(recipe["optimizer"])
    training = train(recipe, record_steps=True, observe=keep_moments if adam else None)
    arrays = training.arrays
    model = make_mlp(recipe["hidden"], recipe["activation"], recipe["seed"])
    x, y = torch.tensor(arrays["x_train"]), torch.tensor(arrays["y_train"])
    f = flat_loss(model, x, y, loss_of(recipe)[0])  # the loss training minimizes
    measured = np.arange(0, len(training.steps), every)
    weights = training.steps[measured]
    out = {
        **{k: arrays[k] for k in ("x_train", "y_train", "loss_train", "acc_train", "rates", "batch_loss")},
        "measured_steps": measured.astype(np.int64),
        "weights": weights,
        "sharpness": np.array([top_eigenvalue(f, torch.tensor(w), lanczos) for w in weights]),
    }
    if adam:
        # Before the first step Adam has no preconditioner: NaN there.
        v = np.stack([moments.get(int(k), np.full(weights.shape[1], np.nan)) for k in measured])
        hp = recipe["hyperparameters"]
        out["exp_avg_sq"] = v
        out["preconditioned_sharpness"] = np.array(
            [
                preconditioned_top_eigenvalue(
                    f, torch.tensor(w), torch.tensor(adam_preconditioner(v_k, int(k), hp)), lanczos
                )
                if k > 0
                else np.nan
                for k, w, v_k in zip(measured, weights, v, strict=True)
            ]
        )
    return {"sharpness.npz": npz_bytes(out)}


def load(artifact_id: str, recipe: dict[str, Any], entry) -> StoredArrays:
    return StoredArrays(load_npz(entry.file("sharpness.npz")), recipe)


KIND = Kind(
    "sharpness", "sharpness_runs", check=check, produce=produce, load=load,
    versions=("numpy", "torch"), cost=1,
)  # fmt: skip
