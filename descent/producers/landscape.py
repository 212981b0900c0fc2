"""Produce a network's loss landscape: train it, then evaluate at every recorded epoch the loss on a
plane through its weights (at each zoom radius) and its decision function over the input plane.

The two directions are drawn once per recipe (``directions_seed``) and normalized to the trained
weights, so every epoch is sliced along the same plane and the pictures can be compared. With
``rescale``, the planes go through the rescaled weights; the training record (``layer*``
arrays) stays the network as it was trained.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from descent import landscape as ls
from descent.arrays import npz_bytes
from descent.networks import make_mlp, train

INTERPOLATION = np.linspace(-0.5, 1.5, 81)  # from before the initial weights to past the trained ones


def produce(recipe: dict[str, Any]) -> dict[str, bytes]:
    return {"landscape.npz": npz_bytes(landscape_arrays(recipe))}


@dataclass(frozen=True)
class Slicing:
    """A trained network ready to be sliced: its record, weights per recorded epoch, the plane's
    two directions and the grid coordinates of each zoom radius."""

    arrays: dict[str, np.ndarray]
    model: torch.nn.Sequential  # float32; its own parameters are not used (functional calls)
    weights: list[ls.Params]
    d1: ls.Params
    d2: ls.Params
    x: torch.Tensor
    y: torch.Tensor
    coords: np.ndarray  # [zoom, grid]


def slicing(recipe: dict[str, Any]) -> Slicing:
    arrays = dict(train(recipe).arrays)
    # Planes are evaluated in float32: 2-3x faster than float64, and far finer than a picture needs.
    model = make_mlp(recipe["hidden"], recipe["activation"], recipe["seed"]).float()
    weights = [recorded_weights(arrays, k, model) for k in range(len(arrays["record_epochs"]))]
    if recipe["rescale"] != 1.0:
        weights = [rescaled(w, recipe["rescale"]) for w in weights]
    generator = torch.Generator().manual_seed(recipe["directions_seed"])
    d1, d2 = (direction(weights[-1], generator, recipe["normalization"]) for _ in range(2))
    x = torch.tensor(arrays["x_train"], dtype=torch.float32)
    y = torch.tensor(arrays["y_train"], dtype=torch.float32)
    coords = np.stack([r * np.linspace(-1, 1, recipe["grid"]) for r in recipe["radii"]])
    return Slicing(arrays, model, weights, d1, d2, x, y, coords)


def landscape_arrays(recipe: dict[str, Any]) -> dict[str, np.ndarray]:
    s = slicing(recipe)
    arrays, model, weights, d1, d2, x, y = s.arrays, s.model, s.weights, s.d1, s.d2, s.x, s.y
    epochs = [int(e) for e in arrays["record_epochs"]]
    final = weights[-1]
    planes = np.stack([[ls.loss_plane(model, w, d1, d2, c, x, y) for c in s.coords] for w in weights])

    lim = float(np.ceil((np.abs(np.concatenate([arrays["x_train"], arrays["x_test"]])).max() + 0.25) * 4) / 4)
    bxs = np.linspace(-lim, lim, recipe["boundary_grid"])
    boundary = np.stack([ls.decision_grid(model, w, bxs, bxs) for w in weights])

    path = torch.stack([ls.flatten(w) for w in weights])
    flat1, flat2 = ls.flatten(d1), ls.flatten(d2)
    projected = [ls.project(path, path[k], flat1, flat2) for k in range(len(epochs))]

    first, last = path[0], path[-1]
    line = first + torch.as_tensor(INTERPOLATION, dtype=torch.float32)[:, None] * (last - first)
    interp = ls.batched_losses(model, line, x, y, final).numpy()

    arrays.update(
        {
            "plane.radii": np.array(recipe["radii"], dtype=np.float64),
            "plane.coords": s.coords,
            "plane.loss": planes.astype(np.float32),
            "direction1": flat1.numpy(),
            "direction2": flat2.numpy(),
            "path.coords": np.stack([c for c, _ in projected]).astype(np.float32),
            "path.error": np.stack([e for _, e in projected]).astype(np.float32),
            "boundary.xs": bxs,
            "boundary.ys": bxs,
            "boundary.prob": boundary.astype(np.float32),
            "interpolation.alpha": INTERPOLATION,
            "interpolation.loss": interp.astype(np.float32),
        }
    )
    return arrays


def recorded_weights(arrays: dict[str, np.ndarray], k: int, model: torch.nn.Sequential) -> ls.Params:
    """The float32 parameters of recorded epoch ``k``, named as ``model`` names them."""
    out = {}
    linear = [i for i, m in enumerate(model) if isinstance(m, torch.nn.Linear)]
    for layer, index in enumerate(linear):
        for part in ("weight", "bias"):
            out[f"{index}.{part}"] = torch.tensor(arrays[f"layer{layer}.{part}"][k], dtype=torch.float32)
    return out


def rescaled(weights: ls.Params, factor: float) -> ls.Params:
    """The same function with other weights: the first layer (weights and bias) times ``factor``,
    the second layer's weights divided by it. For ReLU networks this changes nothing the network
    computes, which is what makes it a test of a landscape picture."""
    names = sorted({n.split(".")[0] for n in weights}, key=int)
    out = dict(weights)
    out[f"{names[0]}.weight"] = weights[f"{names[0]}.weight"] * factor
    out[f"{names[0]}.bias"] = weights[f"{names[0]}.bias"] * factor
    out[f"{names[1]}.weight"] = weights[f"{names[1]}.weight"] / factor
    return out


def direction(weights: ls.Params, generator: torch.Generator, normalization: str) -> ls.Params:
    if normalization == "filter":
        return ls.random_direction(weights, generator)
    # Plain Gaussian directions of unit norm overall: what filter normalization is compared with.
    raw = {n: torch.randn(w.shape, generator=generator, dtype=w.dtype) for n, w in sorted(weights.items())}
    norm = ls.flatten(raw).norm()
    return {n: d / norm for n, d in raw.items()}
