"""A network: a tiny MLP trained on a toy dataset with a real torch optimizer, its curves per
epoch and its weights and gradients at the recorded epochs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from descent.arrays import load_npz, npz_bytes
from descent.datasets import DATASETS, train_size
from descent.kinds import Checked, Kind
from descent.optim import OPTIMIZERS

ACTIVATIONS = ("relu", "sigmoid", "tanh")  # descent.networks builds them (and imports torch)
LOSSES = ("bce", "mse")  # descent.networks.LOSSES: cross-entropy on a logit, or squared error
FIELDS = {"dataset", "samples", "noise", "seed", "hidden", "activation", "optimizer", "hyperparameters",
          "epochs", "record", "batch", "schedule", "loss"}  # fmt: skip


def training_steps(recipe: dict[str, Any]) -> int:
    """Optimizer steps in the whole training: epochs times batches per epoch (the last batch of
    an epoch may be short, as a ``DataLoader`` draws them)."""
    n_train = train_size(recipe["samples"])
    return recipe["epochs"] * -(-n_train // recipe.get("batch", n_train))


@dataclass(frozen=True)
class NetworkRun:
    """A tiny network's training: curves per epoch, weights and gradients at recorded epochs."""

    id: str
    recipe: dict[str, Any]
    arrays: dict[str, np.ndarray]

    @property
    def layers(self) -> int:
        """Number of linear layers (one more than the hidden layers)."""
        return len(self.recipe["hidden"]) + 1

    @property
    def widths(self) -> list[int]:
        """Neurons per layer, input and output included."""
        return [2, *self.recipe["hidden"], 1]

    def to_arrays(self) -> dict[str, np.ndarray]:
        return dict(self.arrays)


def network_recipe(spec, where: str, value: dict) -> dict[str, Any]:
    """The fields of a network, shared by every kind that trains one."""
    dataset = spec.string(value, where, "dataset")
    if dataset not in DATASETS:
        spec.fail(f"{where}.dataset", f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    noise = spec.present(value, where, "noise")
    if not spec.is_number(noise) or not 0 <= noise <= 1:
        spec.fail(f"{where}.noise", f"must be a number from 0 to 1, got {noise!r}")
    hidden = spec.present(value, where, "hidden")
    if (
        not isinstance(hidden, list)
        or not hidden
        or not all(isinstance(w, int) and not isinstance(w, bool) and 1 <= w <= 256 for w in hidden)
    ):
        spec.fail(f"{where}.hidden", f"must be a non-empty list of widths from 1 to 256, got {hidden!r}")
    activation = spec.string(value, where, "activation")
    if activation not in ACTIVATIONS:
        spec.fail(
            f"{where}.activation", f"unknown activation {activation!r}; known: {', '.join(ACTIVATIONS)}"
        )
    optimizer, hp = spec.optimizer(value, where, matrices=True)
    if OPTIMIZERS[optimizer].matrices_only and len(hidden) < 2:
        spec.fail(
            f"{where}.hidden",
            f"{OPTIMIZERS[optimizer].label} steps the weight matrices between hidden layers: give it "
            f"at least two hidden layers, got {hidden!r}",
        )
    epochs = spec.integer(value, where, "epochs", 0, spec.MAX_STEPS)
    record = spec.present(value, where, "record")
    if (
        not isinstance(record, list)
        or not record
        or not all(isinstance(e, int) and not isinstance(e, bool) and 0 <= e <= epochs for e in record)
    ):
        spec.fail(f"{where}.record", f"must be a non-empty list of epochs 0 to {epochs}, got {record!r}")
    recipe = {
        "dataset": dataset,
        "samples": spec.integer(value, where, "samples", 10, 100_000),
        "noise": float(noise),
        "seed": spec.integer(value, where, "seed", 0, 2**31 - 1),
        "hidden": list(hidden),
        "activation": activation,
        "optimizer": optimizer,
        "hyperparameters": hp,
        "epochs": epochs,
        "record": sorted(set(record)),
    }
    # Minibatches, a schedule and a loss other than cross-entropy only when asked for: a
    # full-batch, constant-rate, cross-entropy recipe is written as before, so its key does not change.
    if "loss" in value:
        loss = spec.string(value, where, "loss")
        if loss not in LOSSES:
            spec.fail(f"{where}.loss", f"unknown loss {loss!r}; known: {', '.join(LOSSES)}")
        recipe["loss"] = loss
    if "batch" in value:
        recipe["batch"] = spec.integer(value, where, "batch", 1, train_size(recipe["samples"]))
    if "schedule" in value:
        recipe["schedule"] = spec.schedule(value, where, max(training_steps(recipe), 2))
    return recipe


def check(spec, where: str, value: dict) -> Checked:
    spec.known_fields(value, where, FIELDS)
    return Checked(network_recipe(spec, where, value))


def produce(planned, inputs) -> dict[str, bytes]:
    from descent.networks import train  # torch: only where a network is trained

    return {"network.npz": npz_bytes(train(planned.spec.recipe).arrays)}


def load(artifact_id: str, recipe: dict[str, Any], entry) -> NetworkRun:
    arrays = load_npz(entry.file("network.npz"))
    return NetworkRun(artifact_id, recipe, {k: np.asarray(v) for k, v in arrays.items()})


KIND = Kind(
    "network", "networks", check=check, produce=produce, load=load, versions=("numpy", "torch"), cost=2
)
