"""Loss landscapes of a tiny network, after Li et al. (2018), "Visualizing the Loss Landscape of
Neural Nets": the loss on a plane through the weights, spanned by two filter-normalized random
directions, and the decision function on a grid over the input plane.

Grids are evaluated in batches: ``torch.func.functional_call`` under ``torch.vmap`` runs one
forward pass for a whole chunk of weight vectors, instead of setting the weights and evaluating
one grid point at a time (:func:`loss_plane_loop`, the method of the original code, kept as the
reference the batched version is tested and benchmarked against).
"""

from __future__ import annotations

import numpy as np
import torch
from torch.func import functional_call

Params = dict[str, torch.Tensor]
CHUNK = 1024  # weight vectors per batched forward pass: bounds memory, keeps the batch large


def parameters(model: torch.nn.Module) -> Params:
    """The model's parameters by name, detached (the point of weight space a plane goes through)."""
    return {name: p.detach().clone() for name, p in model.named_parameters()}


def filter_normalize(direction: Params, weights: Params) -> Params:
    """Rescale each filter of ``direction`` to the norm of the matching filter of ``weights``.

    A filter of a linear layer is one row of its weight matrix (the weights into one neuron).
    Biases and other 1-D parameters get zero, as in Li et al.: without this the plane's scale
    would depend on how each layer happens to be scaled, and two networks (or two layers) could
    not be compared on one axis.
    """
    out = {}
    for name, d in direction.items():
        w = weights[name]
        if d.dim() <= 1:
            out[name] = torch.zeros_like(d)
            continue
        d_rows = d.reshape(d.shape[0], -1)
        w_rows = w.reshape(w.shape[0], -1)
        scale = w_rows.norm(dim=1, keepdim=True) / (d_rows.norm(dim=1, keepdim=True) + 1e-10)
        out[name] = (d_rows * scale).reshape(d.shape)
    return out


def random_direction(weights: Params, generator: torch.Generator) -> Params:
    """A Gaussian direction shaped like ``weights``, filter-normalized to them."""
    raw = {
        name: torch.randn(w.shape, generator=generator, dtype=w.dtype) for name, w in sorted(weights.items())
    }
    return filter_normalize(raw, weights)


def flatten(params: Params) -> torch.Tensor:
    return torch.cat([params[name].reshape(-1) for name in sorted(params)])


def unflatten(vectors: torch.Tensor, like: Params) -> Params:
    """``[..., n]`` flat vectors back to named parameters with a leading batch shape."""
    out, i = {}, 0
    for name in sorted(like):
        size = like[name].numel()
        out[name] = vectors[..., i : i + size].reshape(*vectors.shape[:-1], *like[name].shape)
        i += size
    return out


def bce_loss(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy over the last axis (logits ``[..., n]``, labels ``[n]``)."""
    return torch.nn.functional.binary_cross_entropy_with_logits(
        logits, y.expand_as(logits), reduction="none"
    ).mean(-1)


def batched_losses(model: torch.nn.Module, flat: torch.Tensor, x: torch.Tensor, y: torch.Tensor,
                   like: Params, chunk: int = CHUNK) -> torch.Tensor:  # fmt: skip
    """The loss on ``(x, y)`` for each weight vector in ``flat [m, n]``: one vmapped forward per chunk."""

    def loss_at(p: Params) -> torch.Tensor:
        return bce_loss(functional_call(model, p, (x,))[:, 0], y)

    batched = torch.vmap(loss_at)
    with torch.no_grad():
        return torch.cat([batched(unflatten(flat[i : i + chunk], like)) for i in range(0, len(flat), chunk)])


def plane_points(
    center: torch.Tensor, d1: torch.Tensor, d2: torch.Tensor, coords: np.ndarray
) -> torch.Tensor:
    """Weight vectors ``center + a d1 + b d2`` for every ``(a, b)`` of the grid ``coords x coords``,
    row-major with ``b`` slow: point ``[j * len(coords) + i]`` is ``(a_i, b_j)``."""
    c = torch.as_tensor(coords, dtype=center.dtype)
    b, a = torch.meshgrid(c, c, indexing="ij")
    return center + a.reshape(-1, 1) * d1 + b.reshape(-1, 1) * d2


def loss_plane(model: torch.nn.Module, center: Params, d1: Params, d2: Params, coords: np.ndarray,
               x: torch.Tensor, y: torch.Tensor) -> np.ndarray:  # fmt: skip
    """``z[j, i]``: the loss at ``center + coords[i] d1 + coords[j] d2``, evaluated in batches."""
    flat = plane_points(flatten(center), flatten(d1), flatten(d2), coords)
    z = batched_losses(model, flat, x, y, center)
    return z.reshape(len(coords), len(coords)).numpy()


def loss_plane_loop(model: torch.nn.Module, center: Params, d1: Params, d2: Params, coords: np.ndarray,
                    x: torch.Tensor, y: torch.Tensor) -> np.ndarray:  # fmt: skip
    """The same plane one point at a time: write the weights into the model, evaluate, repeat.

    This is how the original loss-landscape code works; it is here as the reference for the
    batched evaluation and for the benchmark, not for building.
    """
    z = np.empty((len(coords), len(coords)))
    named = dict(model.named_parameters())
    with torch.no_grad():
        for j, b in enumerate(coords):
            for i, a in enumerate(coords):
                for name, p in named.items():
                    p.copy_(center[name] + a * d1[name] + b * d2[name])
                z[j, i] = float(bce_loss(model(x)[:, 0], y))
        for name, p in named.items():
            p.copy_(center[name])
    return z


def decision_grid(model: torch.nn.Module, weights: Params, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """``p[j, i]``: the model's probability of class 1 at the input ``(xs[i], ys[j])``."""
    gx, gy = np.meshgrid(xs, ys)
    points = torch.as_tensor(np.stack([gx.ravel(), gy.ravel()], 1), dtype=next(iter(weights.values())).dtype)
    with torch.no_grad():
        logits = functional_call(model, weights, (points,))[:, 0]
    return torch.sigmoid(logits).reshape(len(ys), len(xs)).numpy()


def project(path: torch.Tensor, center: torch.Tensor, d1: torch.Tensor, d2: torch.Tensor):
    """Least-squares coordinates ``(a, b)`` of each ``path [k, n] - center`` in the plane, and the
    share of each offset's length that the plane misses (``|residual| / |offset|``, 0 on the plane).

    The two directions are nearly but not exactly orthogonal, so this solves the 2x2 normal
    equations rather than taking dot products. (In float64, and not with ``lstsq``, whose threaded
    LAPACK can differ in the last bit from run to run.)
    """
    basis = torch.stack([d1, d2], 1).double()  # [n, 2]
    offsets = (path - center).double()
    coords = torch.linalg.solve(basis.T @ basis, basis.T @ offsets.T).T  # [k, 2]
    residual = (offsets - coords @ basis.T).norm(dim=1)
    length = offsets.norm(dim=1)
    share = torch.where(length > 0, residual / length.clamp_min(1e-300), torch.zeros_like(length))
    return coords.numpy(), share.numpy()
