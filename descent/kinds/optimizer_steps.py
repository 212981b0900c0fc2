"""Optimizer steps on a network: a tiny network trained for a few steps as a network artifact is,
keeping what a lesson needs to see how the optimizer moves each parameter: the weights after every
step (an update is the difference of two rows) and every state buffer the optimizer holds after
every step, with how many numbers it holds for each parameter (a factored second moment holds
fewer than its parameter has).

Parameters and buffers are flattened in the order of the parameters' sorted names, as
``descent.networks.Training.steps`` orders them."""

from __future__ import annotations

from typing import Any

import numpy as np

from descent.arrays import StoredArrays, load_npz, npz_bytes
from descent.kinds import Checked, Kind
from descent.kinds.network import FIELDS, network_recipe


def check(spec, where: str, value: dict) -> Checked:
    """A network's fields; ``epochs`` is the number of steps (full-batch unless ``batch``)."""
    spec.known_fields(value, where, FIELDS)
    recipe = network_recipe(spec, where, value)
    if recipe["epochs"] > 1000:
        spec.fail(f"{where}.epochs", f"at most 1000 steps are kept, got {recipe['epochs']}")
    return Checked(recipe)


def produce(planned, inputs) -> dict[str, bytes]:
    import torch  # only where a network is trained

    from descent.networks import train

    buffers: dict[str, list[np.ndarray]] = {}  # buffer name -> one flat row per step
    sizes: dict[str, list[int]] = {}  # buffer name -> numbers held for each parameter
    shapes: list[tuple[int, ...]] = []

    def keep_state(step, states, parameters):
        if not shapes:
            shapes.extend(tuple(p.shape) for p in parameters)
        held = {}
        for i, state in enumerate(states):
            for name, value in state.items():
                if torch.is_tensor(value):
                    held.setdefault(name, {})[i] = value.detach().double().reshape(-1).numpy().copy()
        for name, by_index in held.items():
            if name not in sizes:
                sizes[name] = [by_index[i].size if i in by_index else 0 for i in range(len(parameters))]
            buffers.setdefault(name, []).append(np.concatenate([by_index[i] for i in sorted(by_index)]))

    training = train(planned.spec.recipe, record_steps=True, observe=keep_state)
    arrays = training.arrays
    out = {
        **{k: arrays[k] for k in ("x_train", "y_train", "loss_train", "rates")},
        "weights": training.steps,
        # Each parameter's shape as (rows, columns), a vector as (n, 1), and its number of axes.
        "parameter_shapes": np.array([(s + (1,))[:2] if len(s) == 1 else s for s in shapes], dtype=np.int64),
        "parameter_ndim": np.array([len(s) for s in shapes], dtype=np.int64),
    }
    for name, rows in buffers.items():
        out[f"state.{name}"] = np.stack(rows)
        out[f"state_size.{name}"] = np.array(sizes[name], dtype=np.int64)
    return {"steps.npz": npz_bytes(out)}


def load(artifact_id: str, recipe: dict[str, Any], entry) -> StoredArrays:
    return StoredArrays(load_npz(entry.file("steps.npz")), recipe)


KIND = Kind(
    "optimizer_steps", "optimizer_steps", check=check, produce=produce, load=load,
    versions=("numpy", "torch"), cost=1,
)  # fmt: skip
