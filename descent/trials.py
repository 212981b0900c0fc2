"""Many trials of one optimizer on one problem, stepped together: one ``torch.optim`` optimizer
with a parameter group per trial, each group its own hyperparameters and its own copy of the
parameters, so that one ``step()`` moves every trial. Trials never mix: each group's update reads
only its own gradient and state, and each trial's loss depends only on its own parameters.

A trial that diverges (a loss or a point that is not finite, or a point far outside a surface's
domain, as ``descent.trajectory`` decides it) stops there: its losses from then on are
inf and its parameters get no more gradients.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import torch

from descent.datasets import make_dataset, train_size
from descent.networks import ACTIVATIONS, linear_layers, make_mlp
from descent.optim.protocol import OptimizerEntry
from descent.optim.registry import OPTIMIZERS, resolve_hyperparameters
from descent.surfaces import Surface, get_surface
from descent.trajectory import ESCAPE_WIDTHS
from descent.tuning import SearchSpace, draw_trials, first_at_target, median_score


def grouped_optimizer(
    entry: OptimizerEntry, groups: Sequence[Sequence[torch.Tensor]], settings: Sequence[Mapping[str, float]]
) -> torch.optim.Optimizer:
    """The entry's ``torch.optim`` optimizer with one parameter group per trial."""
    if isinstance(entry.torch_class, str):
        make = getattr(torch.optim, entry.torch_class)
    elif entry.production == "optax" or (
        isinstance(entry.torch_class, type) and issubclass(entry.torch_class, torch.optim.Optimizer)
    ):  # a torch.optim class, or an Optax optimizer inside a torch one (whose groups set their own)
        make = entry.torch_class
    else:
        raise TypeError(
            f"{entry.label}: trials run a torch.optim.Optimizer class with one parameter group each, "
            "not a factory; pass the class itself"
        )
    param_groups = [
        {"params": list(ps), **entry.torch_kwargs(hp)} for ps, hp in zip(groups, settings, strict=True)
    ]
    try:
        return make(param_groups, **entry.torch_kwargs(settings[0]))
    except ValueError as e:  # Muon, say, takes weight matrices only
        shapes = sorted({tuple(p.shape) for p in groups[0]})
        raise ValueError(
            f"{entry.label} does not take parameters of shapes {shapes} ({e}); "
            "a study names such an optimizer in its skip, with the reason"
        ) from e


def surface_losses(
    surface: Surface, entry: OptimizerEntry, settings: Sequence[Mapping[str, float]], start, steps: int
) -> np.ndarray:
    """``losses[trials, steps + 1]`` of every setting run from ``start`` on ``surface``."""
    start = np.asarray(start, dtype=np.float64)
    params = [torch.nn.Parameter(torch.tensor(start)) for _ in settings]
    opt = grouped_optimizer(entry, [[p] for p in params], settings)
    widths = np.array([b - a for a, b in surface.domain])
    centre = np.array([(a + b) / 2 for a, b in surface.domain])
    losses = np.full((len(settings), steps + 1), np.inf)
    x = np.tile(start, (len(settings), 1))
    losses[:, 0] = surface.value(x)
    alive = np.ones(len(settings), dtype=bool)
    with np.errstate(all="ignore"):
        for i in range(steps):
            g = surface.grad(x)
            for t, p in enumerate(params):
                p.grad = torch.from_numpy(g[t].copy()) if alive[t] else None
            opt.step()
            x = torch.stack([p.detach() for p in params]).numpy()
            loss = surface.value(x)
            far = np.any(np.abs(x - centre) > ESCAPE_WIDTHS * widths, axis=1)
            alive &= np.isfinite(x).all(axis=1) & np.isfinite(loss) & ~far
            losses[alive, i + 1] = loss[alive]
            if not alive.any():
                break
    return losses


def network_losses(
    problem: Mapping, entry: OptimizerEntry, settings: Sequence[Mapping[str, float]], steps: int
) -> np.ndarray:
    """``losses[trials, steps + 1]``: the full training loss (BCE with logits, the mean) of the
    problem's MLP after each full-batch step, every trial from the same initial weights."""
    x, y = make_dataset(problem["dataset"], problem["samples"], problem["noise"], problem["seed"])
    n = train_size(len(y))
    xt, yt = torch.tensor(x[:n]), torch.tensor(y[:n])
    layers = linear_layers(make_mlp(problem["hidden"], problem["activation"], problem["seed"]))
    trials = len(settings)
    # Per trial its own leaves, in the model's order (weight, bias of each layer).
    own = [
        [torch.nn.Parameter(t.detach().clone()) for layer in layers for t in (layer.weight, layer.bias)]
        for _ in range(trials)
    ]
    optimizers = grouped_optimizers(entry, own, settings)
    activation = ACTIVATIONS[problem["activation"]]()
    inputs, targets = xt.expand(trials, n, 2), yt.expand(trials, n)

    def loss_per_trial() -> torch.Tensor:
        h = inputs
        for i in range(len(layers)):
            w = torch.stack([ps[2 * i] for ps in own])  # [trials, out, in]
            b = torch.stack([ps[2 * i + 1] for ps in own])  # [trials, out]
            h = torch.baddbmm(b.unsqueeze(1), h, w.transpose(1, 2))
            if i < len(layers) - 1:
                h = activation(h)
        bce = torch.nn.functional.binary_cross_entropy_with_logits(h[..., 0], targets, reduction="none")
        return bce.mean(dim=1)

    losses = np.full((trials, steps + 1), np.inf)
    alive = np.ones(trials, dtype=bool)
    for i in range(steps + 1):
        for opt in optimizers:
            opt.zero_grad(set_to_none=True)
        per = loss_per_trial()
        values = per.detach().numpy()
        alive &= np.isfinite(values)  # a weight that is not finite makes the loss NaN
        losses[alive, i] = values[alive]
        if i == steps or not alive.any():
            break
        per[torch.from_numpy(alive)].sum().backward()
        for t in np.nonzero(~alive)[0]:
            for p in own[t]:
                p.grad = None
        for opt in optimizers:
            opt.step()
    return losses


def grouped_optimizers(
    entry: OptimizerEntry, own: Sequence[Sequence[torch.Tensor]], settings: Sequence[Mapping[str, float]]
) -> list[torch.optim.Optimizer]:
    """The optimizers of a network's trials (``own``: each trial's weight and bias of every layer,
    in order): one with a group per trial; for an optimizer of weight matrices (Muon), that one
    over each trial's hidden weight matrices and AdamW, at the trial's ``adamw_lr``, over the
    rest, as ``descent.optim.model_optimizers`` splits a model."""
    if not entry.matrices_only:
        return [grouped_optimizer(entry, own, settings)]
    layers = len(own[0]) // 2
    hidden = [2 * i for i in range(1, layers - 1)]  # the weights between hidden layers
    if not hidden:
        raise ValueError(
            f"{entry.label} steps the weight matrices between hidden layers, and a network with one "
            "hidden layer has none; a study names it in its skip, with the reason"
        )
    adamw = OPTIMIZERS["adamw"]
    return [
        grouped_optimizer(entry, [[ps[j] for j in hidden] for ps in own], settings),
        grouped_optimizer(
            adamw,
            [[p for j, p in enumerate(ps) if j not in hidden] for ps in own],
            [resolve_hyperparameters("adamw", {"lr": hp["adamw_lr"]}) for hp in settings],
        ),
    ]


def losses_on(
    problem: Mapping, entry: OptimizerEntry, settings: Sequence[Mapping[str, float]], steps: int
) -> np.ndarray:
    """``losses[trials, steps + 1]`` on a problem: ``{"surface": name, "start": point}`` or
    ``{"network": {dataset, samples, noise, seed, hidden, activation}}``."""
    if "surface" in problem:
        return surface_losses(get_surface(problem["surface"]), entry, settings, problem["start"], steps)
    return network_losses(problem["network"], entry, settings, steps)


def score_on(
    problem: Mapping,
    steps: int,
    target: float,
    entry: OptimizerEntry,
    space: SearchSpace,
    trials: int,
    seeds: Sequence[int],
) -> tuple[float, np.ndarray]:
    """An optimizer's score on a problem by the protocol (``descent.tuning``), and its trials'
    steps to the target ``[studies, trials]``: every study's trials drawn from ``space`` and
    stepped together."""
    settings = [hp for seed in seeds for hp in draw_trials(space, trials, seed)]
    steps_to = first_at_target(losses_on(problem, entry, settings, steps), target).reshape(len(seeds), trials)
    return median_score(steps_to), steps_to
