"""A sharpness run: a tiny network trained as a network artifact is (full-batch unless it names a
``batch``), and every ``every`` optimizer steps the top eigenvalue of its training loss's Hessian,
by Lanczos on Hessian-vector products (``descent.curvature``). Stored with the weights at every
measured step and the dataset's recipe, so that anyone can compute the sharpness again."""

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

    from descent.curvature import flat_loss, top_eigenvalue
    from descent.networks import make_mlp, train

    recipe = planned.spec.recipe
    training = train(recipe, record_steps=True)
    arrays = training.arrays
    model = make_mlp(recipe["hidden"], recipe["activation"], recipe["seed"])
    x, y = torch.tensor(arrays["x_train"]), torch.tensor(arrays["y_train"])

    def bce(logits, target):  # the loss training minimizes (BCEWithLogitsLoss, the mean)
        return torch.nn.functional.binary_cross_entropy_with_logits(logits[:, 0], target)

    f = flat_loss(model, x, y, bce)
    measured = np.arange(0, len(training.steps), recipe["every"])
    weights = training.steps[measured]
    sharpness = [top_eigenvalue(f, torch.tensor(w), recipe["lanczos"]) for w in weights]
    out = {
        **{k: arrays[k] for k in ("x_train", "y_train", "loss_train", "acc_train", "rates", "batch_loss")},
        "measured_steps": measured.astype(np.int64),
        "weights": weights,
        "sharpness": np.array(sharpness),
    }
    return {"sharpness.npz": npz_bytes(out)}


def load(artifact_id: str, recipe: dict[str, Any], entry) -> StoredArrays:
    return StoredArrays(load_npz(entry.file("sharpness.npz")), recipe)


KIND = Kind(
    "sharpness", "sharpness_runs", check=check, produce=produce, load=load,
    versions=("numpy", "torch"), cost=1,
)  # fmt: skip
