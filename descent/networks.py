"""Tiny networks on toy datasets: an MLP, and training that keeps what a lesson shows (losses,
accuracies, and at chosen epochs the weights and a real backward pass's gradients).

Training is full-batch unless the recipe names a ``batch``: then each epoch is one pass of a
``DataLoader`` shuffling the training set with a seeded ``torch.Generator`` (the last batch may be
short). A recipe's ``schedule`` sets the rate at every step through ``torch.optim.lr_scheduler``.

Everything is float64 and seeded, so a recipe gives the same numbers on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch.utils.data import DataLoader

from descent.datasets import make_dataset, train_size
from descent.optim import model_optimizers
from descent.optim.schedules import torch_scheduler

ACTIVATIONS = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}


def _bce(outputs: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.binary_cross_entropy_with_logits(outputs[:, 0], labels)


def _mse(outputs: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    # Written out: torch.func cannot take mse_loss's second derivative forward (the Hessian).
    return torch.mean((outputs[:, 0] - labels) ** 2)


# A recipe's ``loss`` (cross-entropy unless it names one): the mean loss of the network's outputs
# ``[n, 1]`` against the labels in {0, 1}, and the output above which a point is called class 1
# (a logit for cross-entropy; a regression onto the labels for the squared error).
LOSSES = {"bce": (_bce, 0.0), "mse": (_mse, 0.5)}


def loss_of(recipe: dict):
    """The recipe's training loss, ``(outputs, labels) -> mean loss``, and its decision threshold."""
    return LOSSES[recipe.get("loss", "bce")]


def make_mlp(hidden: list[int], activation: str, seed: int) -> torch.nn.Sequential:
    """2 inputs -> ``hidden`` widths -> 1 logit, with torch's default initialisation under ``seed``."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; known: {', '.join(ACTIVATIONS)}")
    torch.manual_seed(seed)
    layers: list[torch.nn.Module] = []
    widths = [2, *hidden]
    for a, b in zip(widths[:-1], widths[1:], strict=True):
        layers += [torch.nn.Linear(a, b, dtype=torch.float64), ACTIVATIONS[activation]()]
    layers.append(torch.nn.Linear(widths[-1], 1, dtype=torch.float64))
    return torch.nn.Sequential(*layers)


def linear_layers(model: torch.nn.Sequential) -> list[torch.nn.Linear]:
    return [m for m in model if isinstance(m, torch.nn.Linear)]


@dataclass(frozen=True)
class Training:
    """A training run: per-epoch curves and, at the recorded epochs, weights and gradients.

    ``steps``, when asked for, holds the flattened weights (every parameter, in the order of their
    sorted names, as ``descent.landscape.flatten`` orders them) before the first step and after
    every optimizer step: ``[steps + 1, n]``. It is not among the arrays, which stay as they are."""

    arrays: dict[str, np.ndarray]
    steps: np.ndarray | None = None


def train(recipe: dict, record_steps: bool = False, observe=None) -> Training:
    """Train the recipe's MLP and record it (see :func:`backward_pass` for what): curves at every
    epoch, and for every optimizer step the rate it used and its batch's loss; with
    ``record_steps`` also the weights after every step (``Training.steps``). ``observe(step,
    states, parameters)``, if given, is called after every optimizer step (``step`` counts from
    1; ``parameters`` in sorted-name order, ``states`` the state torch holds for each of them),
    to read what the optimizer holds then."""
    x, y = make_dataset(recipe["dataset"], recipe["samples"], recipe["noise"], recipe["seed"])
    n_train = train_size(len(y))
    xt, yt = torch.tensor(x[:n_train]), torch.tensor(y[:n_train])
    xv, yv = torch.tensor(x[n_train:]), torch.tensor(y[n_train:])
    model = make_mlp(recipe["hidden"], recipe["activation"], recipe["seed"])
    # One optimizer, or for Muon two (Muon on the hidden matrices, AdamW on the rest); the rate
    # recorded is the first's.
    optimizers = model_optimizers(recipe["optimizer"], recipe["hyperparameters"], model)
    loss_fn, threshold = loss_of(recipe)
    batch = recipe.get("batch", n_train)
    loader = DataLoader(
        range(n_train), batch_size=batch, shuffle=batch < n_train,
        generator=torch.Generator().manual_seed(recipe["seed"]),
    )  # fmt: skip
    schedule = dict(recipe.get("schedule", {"name": "constant"}))
    steps = recipe["epochs"] * len(loader)
    name = schedule.pop("name")
    schedulers = [torch_scheduler(opt, name, schedule, steps) for opt in optimizers] if steps >= 2 else []

    curves: dict[str, list[float]] = {k: [] for k in ("loss_train", "acc_train", "loss_test", "acc_test")}
    rates: list[float] = []
    batch_loss: list[float] = []
    recorded: list[dict[str, np.ndarray]] = []
    record_at = set(recipe["record"])
    named = sorted(model.named_parameters(), key=lambda item: item[0])

    def flat_weights() -> torch.Tensor:
        return torch.cat([p.detach().reshape(-1) for _, p in named])

    after_steps = [flat_weights()] if record_steps else None
    for epoch in range(recipe["epochs"] + 1):
        with torch.no_grad():
            for split, (xs, ys) in {"train": (xt, yt), "test": (xv, yv)}.items():
                outputs = model(xs)
                curves[f"loss_{split}"].append(float(loss_fn(outputs, ys)))
                called = (outputs[:, 0] > threshold).double()
                curves[f"acc_{split}"].append(float((called == ys).double().mean()))
        if epoch in record_at:
            recorded.append(backward_pass(model, xt, yt, loss_fn))
        if epoch == recipe["epochs"]:
            break
        for index in loader:
            for opt in optimizers:
                opt.zero_grad()
            loss = loss_fn(model(xt[index]), yt[index])
            loss.backward()
            rates.append(float(optimizers[0].param_groups[0]["lr"]))
            batch_loss.append(loss.item())
            for opt in optimizers:
                opt.step()
            if observe is not None:
                parameters = [p for _, p in named]
                held = [next((o.state[p] for o in optimizers if p in o.state), {}) for p in parameters]
                observe(len(rates), held, parameters)
            if after_steps is not None:
                after_steps.append(flat_weights())
            for scheduler in schedulers:
                scheduler.step()

    arrays = {
        "x_train": x[:n_train],
        "y_train": y[:n_train],
        "x_test": x[n_train:],
        "y_test": y[n_train:],
        "record_epochs": np.array(sorted(record_at), dtype=np.int64),
        **{k: np.array(v) for k, v in curves.items()},
        "rates": np.array(rates),
        "batch_loss": np.array(batch_loss),
    }
    for key in recorded[0]:
        arrays[key] = np.stack([r[key] for r in recorded])
    return Training(arrays, None if after_steps is None else torch.stack(after_steps).numpy())


def backward_pass(
    model: torch.nn.Sequential, x: torch.Tensor, y: torch.Tensor, loss_fn=_bce
) -> dict[str, np.ndarray]:
    """One real forward and backward pass of ``loss_fn`` on the whole batch, without stepping.

    For each linear layer ``l``: ``layer{l}.weight`` and ``.bias``, their gradients
    (``.weight_grad``, ``.bias_grad``), and for each layer of neurons ``neurons{l}.grad``: the mean
    over the batch of ``|dL/dz|``, ``z`` the neuron's input (the pre-activation; for the input layer
    the data itself). Neuron layer 0 is the input, the last is the output logit.
    """
    model.zero_grad()
    x = x.clone().requires_grad_(True)
    pre: list[torch.Tensor] = [x]
    h = x
    for module in model:
        h = module(h)
        if isinstance(module, torch.nn.Linear):
            h.retain_grad()
            pre.append(h)
    loss_fn(h, y).backward()
    out: dict[str, np.ndarray] = {}
    for i, layer in enumerate(linear_layers(model)):
        out[f"layer{i}.weight"] = layer.weight.detach().numpy().copy()
        out[f"layer{i}.bias"] = layer.bias.detach().numpy().copy()
        out[f"layer{i}.weight_grad"] = layer.weight.grad.detach().numpy().copy()
        out[f"layer{i}.bias_grad"] = layer.bias.grad.detach().numpy().copy()
    for i, z in enumerate(pre):
        out[f"neurons{i}.grad"] = z.grad.abs().mean(0).detach().numpy().copy()
    model.zero_grad()
    return out
