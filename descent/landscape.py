"""Loss landscapes of a tiny network, after Li et al. (2018), "Visualizing the Loss Landscape of
Neural Nets": the loss on a plane through the weights, spanned by two filter-normalized random
directions, and the decision function on a grid over the input plane.

A plane's weights are affine in its two coordinates, ``W = C + a D1 + b D2`` in every layer, and
:func:`affine_losses` uses that: the first layer's products with the data are made once for the
centre and each direction and combined per grid point, and the later layers run as batched
matrix products over chunks of grid points. Two slower methods are kept as references that this
one is tested and benchmarked against: :func:`loss_plane_loop` sets the weights and evaluates one
grid point at a time (the method of the original code), and :func:`loss_plane_vmap` runs
``torch.func.functional_call`` under ``torch.vmap`` on a chunk of weight vectors (this module's
method before).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch.func import functional_call

from descent.networks import make_mlp, train

Params = dict[str, torch.Tensor]
CHUNK = 1024  # weight vectors per vmapped forward pass: bounds memory, keeps the batch large
# Hidden activations (points x samples x units) per chunk of :func:`affine_losses`: 1 MB in float32,
# so that a layer's input and output stay in a core's cache between one operation and the next.
# Measured here, anything from 2**17 to 2**22 is within a few per cent; below that the time per
# operation (not per number) starts to count.
CHUNK_ELEMENTS = 2**18
# The elementwise activations, applied in place: one pass over the chunk, no new tensor.
IN_PLACE = {torch.nn.ReLU: torch.relu_, torch.nn.Tanh: torch.tanh_, torch.nn.Sigmoid: torch.sigmoid_}


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


def mlp_layers(model: torch.nn.Sequential) -> list[tuple[str, Any]]:
    """``(name, activation)`` for each linear layer of an MLP (as :func:`make_mlp` builds it): the
    prefix of its parameters' names, and the in-place activation that follows it (or ``None``)."""
    layers: list[tuple[str, Any]] = []
    for index, module in enumerate(model):
        if isinstance(module, torch.nn.Linear) and module.bias is not None:
            layers.append((str(index), None))
        elif type(module) in IN_PLACE and layers and layers[-1][1] is None:
            layers[-1] = (layers[-1][0], IN_PLACE[type(module)])
        else:
            known = ", ".join(t.__name__ for t in IN_PLACE)
            raise ValueError(f"expected linear layers with biases, each followed by one of {known}; "
                             f"got {module!r} at {index}")  # fmt: skip
    return layers


def affine_losses(model: torch.nn.Sequential, center: Params, directions: list[Params],
                  coefficients: torch.Tensor, x: torch.Tensor, y: torch.Tensor,
                  chunk: int | None = None) -> torch.Tensor:  # fmt: skip
    """The loss on ``(x, y)`` at the weights ``center + sum_k coefficients[:, k] directions[k]``, for
    each row of ``coefficients [m, k]``: every point of a plane (``k = 2``) or a line (``k = 1``).

    Every layer's weights and bias are the same affine function of the coefficients, so each is
    stacked once as ``[centre, direction 1, ...]`` and a chunk of points gets its own with one
    small product ``[1, c_1, ...] @ stack``. The first layer goes further: its pre-activations
    ``x W^T + b`` are affine in the coefficients too, so they are computed once per stacked term
    (a few products with the data in all) and each chunk's are again one product with the
    coefficients, where a forward pass per point would multiply the data by its weights every
    time. The later layers are batched matrix products ``[m, n, w] @ [m, w, w']``, the one cost
    that grows with the width squared. ``chunk`` (points per chunk) defaults to what keeps
    :data:`CHUNK_ELEMENTS` activations at a time.
    """
    layers = mlp_layers(model)
    terms = [center, *directions]
    ones = torch.ones(len(coefficients), 1, dtype=x.dtype)
    weights_of = torch.cat([ones, coefficients.to(x.dtype)], 1)  # [m, 1 + k]: how much of each term
    name, first_activation = layers[0]
    first = torch.stack([x @ t[f"{name}.weight"].T + t[f"{name}.bias"] for t in terms])  # [1 + k, n, w]
    later = [
        (
            torch.stack([t[f"{name}.weight"].T for t in terms]).flatten(1),  # [1 + k, w * w']
            torch.stack([t[f"{name}.bias"] for t in terms]),  # [1 + k, w']
            tuple(center[f"{name}.weight"].T.shape),
            activation,
        )
        for name, activation in layers[1:]
    ]
    n, widest = len(x), max(center[f"{name}.weight"].shape[0] for name, _ in layers)
    if chunk is None:
        chunk = max(1, CHUNK_ELEMENTS // (n * widest))
    losses = torch.empty(len(weights_of), dtype=x.dtype)
    with torch.no_grad():
        for start in range(0, len(weights_of), chunk):
            c = weights_of[start : start + chunk]
            h = (c @ first.flatten(1)).view(len(c), n, -1)
            if first_activation is not None:
                first_activation(h)
            for weight, bias, shape, activation in later:
                h = torch.bmm(h, (c @ weight).view(len(c), *shape)).add_((c @ bias)[:, None, :])
                if activation is not None:
                    activation(h)
            losses[start : start + chunk] = bce_loss(h[..., 0], y)
    return losses


def plane_coefficients(coords: np.ndarray, dtype: torch.dtype) -> torch.Tensor:
    """``(a, b)`` for every point of the grid ``coords x coords``, row-major with ``b`` slow: row
    ``j * len(coords) + i`` is ``(a_i, b_j)``, the order of :func:`plane_points`."""
    c = torch.as_tensor(coords, dtype=dtype)
    b, a = torch.meshgrid(c, c, indexing="ij")
    return torch.stack([a.reshape(-1), b.reshape(-1)], 1)


def loss_plane(model: torch.nn.Sequential, center: Params, d1: Params, d2: Params, coords: np.ndarray,
               x: torch.Tensor, y: torch.Tensor, chunk: int | None = None) -> np.ndarray:  # fmt: skip
    """``z[j, i]``: the loss at ``center + coords[i] d1 + coords[j] d2`` (:func:`affine_losses`)."""
    coefficients = plane_coefficients(coords, x.dtype)
    z = affine_losses(model, center, [d1, d2], coefficients, x, y, chunk)
    return z.reshape(len(coords), len(coords)).numpy()


def loss_plane_vmap(model: torch.nn.Module, center: Params, d1: Params, d2: Params, coords: np.ndarray,
                    x: torch.Tensor, y: torch.Tensor) -> np.ndarray:  # fmt: skip
    """The same plane as :func:`loss_plane`, through one vmapped forward pass per chunk of weight
    vectors: how it was evaluated before, kept as a reference for the tests and the benchmark."""
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


# ---------- a landscape artifact: train, then slice every recorded epoch ----------

INTERPOLATION = np.linspace(-0.5, 1.5, 81)  # from before the initial weights to past the trained ones


@dataclass(frozen=True)
class Slicing:
    """A trained network ready to be sliced: its record, weights per recorded epoch, the plane's
    two directions and the grid coordinates of each zoom radius."""

    arrays: dict[str, np.ndarray]
    steps: np.ndarray | None  # [steps + 1, n] flat weights after every step (minibatch runs), or None
    model: torch.nn.Sequential  # float32; its own parameters are not used (functional calls)
    weights: list[Params]
    d1: Params
    d2: Params
    x: torch.Tensor
    y: torch.Tensor
    coords: np.ndarray  # [zoom, grid]


def slicing(recipe: dict[str, Any]) -> Slicing:
    # A minibatch run takes many steps between two recorded epochs: keep every one, to draw them.
    training = train(recipe, record_steps=recipe.get("batch") is not None)
    arrays = dict(training.arrays)
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
    steps = training.steps
    if steps is not None and recipe["rescale"] != 1.0:  # a scaling per parameter: linear in the weights
        steps = flatten(rescaled(unflatten(torch.as_tensor(steps), weights[0]), recipe["rescale"])).numpy()
    return Slicing(arrays, steps, model, weights, d1, d2, x, y, coords)


def landscape_arrays(recipe: dict[str, Any]) -> dict[str, np.ndarray]:
    s = slicing(recipe)
    arrays, model, weights, d1, d2, x, y = s.arrays, s.model, s.weights, s.d1, s.d2, s.x, s.y
    epochs = [int(e) for e in arrays["record_epochs"]]
    planes = np.stack([[loss_plane(model, w, d1, d2, c, x, y) for c in s.coords] for w in weights])

    lim = float(np.ceil((np.abs(np.concatenate([arrays["x_train"], arrays["x_test"]])).max() + 0.25) * 4) / 4)
    bxs = np.linspace(-lim, lim, recipe["boundary_grid"])
    boundary = np.stack([decision_grid(model, w, bxs, bxs) for w in weights])

    path = torch.stack([flatten(w) for w in weights])
    flat1, flat2 = flatten(d1), flatten(d2)
    projected = [project(path, path[k], flat1, flat2) for k in range(len(epochs))]

    # The straight line from the initial to the trained weights, affine in alpha as a plane is; in
    # float64 (81 points cost nothing), because its ends are compared with the training's losses,
    # and a trained network's loss can be small enough for float32 to miss its fourth digit.
    first = {name: w.double() for name, w in weights[0].items()}
    towards = {name: weights[-1][name].double() - first[name] for name in first}
    alpha = torch.as_tensor(INTERPOLATION, dtype=torch.float64)[:, None]
    model64 = copy.deepcopy(model).double()
    interp = affine_losses(model64, first, [towards], alpha, x.double(), y.double()).numpy()

    if s.steps is not None:
        arrays.update(step_path(s.steps, path, flat1, flat2))
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


def step_path(
    steps: np.ndarray, path: torch.Tensor, d1: torch.Tensor, d2: torch.Tensor
) -> dict[str, np.ndarray]:
    """Every step's weights on the plane, in one frame for every epoch's plane.

    The directions are the same for every epoch and the projection is linear in the centre, so
    the coordinates of step ``s`` on epoch ``e``'s plane are ``steps.coords[s] - steps.origin[e]``:
    both relative to the first step's weights, the second those of the recorded epochs themselves
    (the weights the per-epoch path projects). Steps are projected as float32, as the recorded
    weights are, so at a recorded epoch's step the two agree but for rounding.
    """
    flat = torch.as_tensor(steps).float()
    start = flat[0]
    coords, _ = project(flat, start, d1, d2)
    origin, _ = project(path, start, d1, d2)
    return {
        "steps.coords": coords.astype(np.float32),  # [steps + 1, 2]
        "steps.origin": origin.astype(np.float32),  # [recorded epoch, 2]
    }


def recorded_weights(arrays: dict[str, np.ndarray], k: int, model: torch.nn.Sequential) -> Params:
    """The float32 parameters of recorded epoch ``k``, named as ``model`` names them."""
    out = {}
    linear = [i for i, m in enumerate(model) if isinstance(m, torch.nn.Linear)]
    for layer, index in enumerate(linear):
        for part in ("weight", "bias"):
            out[f"{index}.{part}"] = torch.tensor(arrays[f"layer{layer}.{part}"][k], dtype=torch.float32)
    return out


def rescaled(weights: Params, factor: float) -> Params:
    """The same function with other weights: the first layer (weights and bias) times ``factor``,
    the second layer's weights divided by it. For ReLU networks this changes nothing the network
    computes, which is what makes it a test of a landscape picture."""
    names = sorted({n.split(".")[0] for n in weights}, key=int)
    out = dict(weights)
    out[f"{names[0]}.weight"] = weights[f"{names[0]}.weight"] * factor
    out[f"{names[0]}.bias"] = weights[f"{names[0]}.bias"] * factor
    out[f"{names[1]}.weight"] = weights[f"{names[1]}.weight"] / factor
    return out


def direction(weights: Params, generator: torch.Generator, normalization: str) -> Params:
    if normalization == "filter":
        return random_direction(weights, generator)
    # Plain Gaussian directions of unit norm overall: what filter normalization is compared with.
    raw = {n: torch.randn(w.shape, generator=generator, dtype=w.dtype) for n, w in sorted(weights.items())}
    norm = flatten(raw).norm()
    return {n: d / norm for n, d in raw.items()}
