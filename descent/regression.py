"""Linear regression on N seeded points: a loss over two parameters made of samples.

The model predicts ``w₀·x + w₁``; sample i's loss is ``½ (w₀ xᵢ + w₁ − yᵢ)²`` and the full loss is
their mean, a quadratic bowl over the plane (w₀, w₁). A minibatch's loss is the mean over its
samples: a bowl of its own, whose gradient is a noisy estimate of the full one. Batches are the
ones ``torch.utils.data.DataLoader`` draws (shuffled each epoch, without replacement, the last
short batch dropped) with a seeded ``torch.Generator``, or, for ``independent`` sampling, a fresh
draw of distinct samples every step (``torch.randperm``, the same generator): the setting of the
sampling formula σ²(B) = σ₁² (N − B) / (B (N − 1)), whose batches do not depend on each other
the way an epoch's do. A run records the indices of every batch
and the rate its schedule set at every step, so it can be replayed exactly and downloaded with
its data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch.utils.data import DataLoader

from descent.optim.registry import OPTIMIZERS, resolve_hyperparameters
from descent.optim.schedules import torch_scheduler
from descent.optim.torch_backend import torch_optimizer


@dataclass(frozen=True)
class Regression:
    """The samples (``x``, ``y``), float64."""

    x: np.ndarray
    y: np.ndarray

    @classmethod
    def make(
        cls,
        n: int = 64,
        seed: int = 0,
        slope: float = 2.0,
        intercept: float = -1.0,
        noise: float = 0.5,
        x_mean: float = 0.0,
    ) -> Regression:
        """``n`` points ``x ~ N(x_mean, 1)``, ``y = slope·x + intercept + noise·N(0, 1)``, from
        ``seed``. The loss's Hessian is the mean of (x², x; x, 1): close to the identity for
        centred x, and ill-conditioned as ``x_mean`` grows (condition number about
        (2 + x_mean²)² for large ``x_mean``)."""
        if n < 2:
            raise ValueError(f"a regression needs at least 2 points, got {n}")
        rng = np.random.default_rng(seed)
        x = x_mean + rng.standard_normal(n)
        return cls(x, slope * x + intercept + noise * rng.standard_normal(n))

    @property
    def n(self) -> int:
        return len(self.x)

    def residuals(self, w, indices=None) -> np.ndarray:
        x, y = (self.x, self.y) if indices is None else (self.x[indices], self.y[indices])
        return w[0] * x + w[1] - y

    def loss(self, w, indices=None) -> float:
        """The mean of the samples' losses (all of them, or those of ``indices``)."""
        return float(np.mean(0.5 * self.residuals(w, indices) ** 2))

    def sample_gradients(self, w, indices=None) -> np.ndarray:
        """Each sample's gradient, one row each: ``rᵢ · (xᵢ, 1)``."""
        r = self.residuals(w, indices)
        x = self.x if indices is None else self.x[indices]
        return np.stack([r * x, r], axis=1)

    def gradient(self, w, indices=None) -> np.ndarray:
        return self.sample_gradients(w, indices).mean(axis=0)

    def hessian(self) -> np.ndarray:
        """The full loss's Hessian (the same everywhere: the loss is quadratic)."""
        return np.array([[np.mean(self.x**2), np.mean(self.x)], [np.mean(self.x), 1.0]])

    def minimum(self) -> np.ndarray:
        """Where the full loss is lowest: the least-squares line."""
        design = np.stack([self.x, np.ones(self.n)], axis=1)
        return np.linalg.lstsq(design, self.y, rcond=None)[0]

    def gradient_noise(self, w) -> float:
        """σ₁²: the trace of the covariance of one sample's gradient drawn uniformly (divisor N)."""
        g = self.sample_gradients(w)
        return float(np.sum(np.var(g, axis=0)))

    def surface(self, bounds, size: int, indices=None) -> np.ndarray:
        """The loss (or a batch's) on a ``size`` × ``size`` grid over ``bounds``; rows are w₁."""
        (a0, a1), (b0, b1) = bounds
        w0, w1 = np.meshgrid(np.linspace(a0, a1, size), np.linspace(b0, b1, size))
        x, y = (self.x, self.y) if indices is None else (self.x[indices], self.y[indices])
        r = w0[..., None] * x + w1[..., None] - y
        return np.mean(0.5 * r**2, axis=-1)


SAMPLINGS = ("epochs", "independent")


def batches(n: int, batch: int, steps: int, seed: int, sampling: str = "epochs") -> np.ndarray:
    """The indices of ``steps`` batches of ``batch`` samples out of ``n``, one row per step: as a
    seeded ``DataLoader`` draws them (``epochs``), or each a fresh draw (``independent``)."""
    if not 1 <= batch <= n:
        raise ValueError(f"a batch holds 1 to {n} samples, got {batch}")
    if sampling not in SAMPLINGS:
        raise ValueError(f"unknown sampling {sampling!r}; known: {', '.join(SAMPLINGS)}")
    generator = torch.Generator().manual_seed(seed)
    if sampling == "independent":
        rows = [torch.randperm(n, generator=generator)[:batch].numpy() for _ in range(steps)]
        return np.array(rows, dtype=np.int64).reshape(steps, batch)
    loader = DataLoader(range(n), batch_size=batch, shuffle=True, drop_last=True, generator=generator)
    drawn: list[np.ndarray] = []
    while len(drawn) < steps:
        for indices in loader:
            drawn.append(indices.numpy())
            if len(drawn) == steps:
                break
    return np.array(drawn, dtype=np.int64).reshape(steps, batch)


@dataclass(frozen=True)
class MinibatchRun:
    """A minibatch run with its samples: the ``problem``, ``params`` (steps + 1, 2), the
    ``batches`` it drew (steps, B), the rate each step used (``rates``, as the schedule set it),
    each step's batch loss and the full loss at every point; as stored, also its ``recipe``."""

    problem: Regression
    params: np.ndarray
    batches: np.ndarray
    rates: np.ndarray
    batch_loss: np.ndarray
    loss: np.ndarray
    recipe: dict = field(default_factory=dict, compare=False)

    def to_arrays(self) -> dict[str, np.ndarray]:
        names = ("params", "batches", "rates", "batch_loss", "loss")
        return {"x": self.problem.x, "y": self.problem.y, **{name: getattr(self, name) for name in names}}

    @classmethod
    def from_arrays(cls, a, recipe: dict | None = None) -> MinibatchRun:
        return cls(
            Regression(a["x"], a["y"]), a["params"], a["batches"], a["rates"], a["batch_loss"], a["loss"],
            recipe or {},
        )  # fmt: skip


def minibatch_run(
    problem: Regression,
    start,
    optimizer: str,
    hyperparameters: dict[str, float],
    batch: int,
    steps: int,
    seed: int,
    schedule: str = "constant",
    schedule_parameters: dict[str, float] | None = None,
    indices: np.ndarray | None = None,
    sampling: str = "epochs",
    stop_below: float | None = None,
) -> MinibatchRun:
    """A ``torch.optim`` optimizer of the registry on the loss of one batch per step (its gradient
    by autograd), its rate set by a ``torch.optim.lr_scheduler`` of the schedules' registry; the
    batches drawn from ``seed``, or ``indices`` given (replaying a run). With ``stop_below`` the
    run ends at the first point whose full loss is at most that, or is not a number (a search
    needs no more)."""
    if indices is None:
        drawn = batches(problem.n, batch, steps, seed, sampling)
    else:
        drawn = np.asarray(indices, dtype=np.int64)
    x, y = torch.tensor(problem.x), torch.tensor(problem.y)
    w = torch.nn.Parameter(torch.tensor(np.asarray(start, dtype=np.float64)))
    opt = torch_optimizer(OPTIMIZERS[optimizer], [w], resolve_hyperparameters(optimizer, hyperparameters))
    scheduler = torch_scheduler(opt, schedule, schedule_parameters, steps)  # a run of 2 steps or more
    params, rates, batch_loss = [w.detach().numpy().copy()], [], []
    for rows in drawn:
        index = torch.from_numpy(rows)
        opt.zero_grad()
        loss = torch.mean(0.5 * (w[0] * x[index] + w[1] - y[index]) ** 2)
        loss.backward()
        rates.append(float(opt.param_groups[0]["lr"]))
        opt.step()
        scheduler.step()
        batch_loss.append(loss.item())
        params.append(w.detach().numpy().copy())
        if stop_below is not None and not problem.loss(params[-1]) > stop_below:
            break  # reached it, or diverged (a NaN is not above anything): no more to learn
    points = np.array(params)
    return MinibatchRun(
        problem,
        points,
        drawn[: len(points) - 1],
        np.array(rates),
        np.array(batch_loss),
        np.array([problem.loss(p) for p in points]),
    )


def gradient_cloud(problem: Regression, w, batch: int, draws: int, seed: int) -> np.ndarray:
    """``draws`` minibatch gradients at ``w`` (one row each), each batch an independent draw of
    ``batch`` distinct samples from ``seed``."""
    rows = batches(problem.n, batch, draws, seed, "independent")
    g = problem.sample_gradients(np.asarray(w, dtype=np.float64))
    return g[rows].mean(axis=1)


def sampling_variance(problem: Regression, w, batch: int) -> float:
    """The sampling formula: the total variance of a minibatch gradient at ``w``, for ``batch``
    distinct samples drawn uniformly, σ₁² (N − B) / (B (N − 1))."""
    n = problem.n
    return problem.gradient_noise(w) * (n - batch) / (batch * (n - 1))


def noise_scale(problem: Regression, w) -> float:
    """The gradient noise scale B_noise = tr(Σ) / |G|² at ``w`` (McCandlish et al. 2018), Σ the
    covariance of one sample's gradient and G the full gradient."""
    g = problem.gradient(np.asarray(w, dtype=np.float64))
    return problem.gradient_noise(w) / float(g @ g)


def first_below(losses: np.ndarray, target: float) -> int:
    """The first step whose loss is at most ``target``, or -1 if none is."""
    below = np.flatnonzero(np.asarray(losses) <= target)
    return int(below[0]) if len(below) else -1


def steps_to_target(
    problem: Regression, start, batch: int, rates, seeds: int, target: float, cap: int
) -> np.ndarray:
    """Plain SGD with ``batch`` independent samples per step, from ``start``, at each rate and
    seed: the first step whose full loss is at most ``target`` (rows: rates; -1 where a run does
    not reach it within ``cap`` steps)."""
    out = np.full((len(rates), seeds), -1, dtype=np.int64)
    with np.errstate(over="ignore", invalid="ignore"):  # a rate too large diverges: no hit
        for i, lr in enumerate(rates):
            for seed in range(seeds):
                run = minibatch_run(
                    problem, start, "sgd", {"lr": float(lr)}, batch, cap, seed,
                    sampling="independent", stop_below=target,
                )  # fmt: skip
                out[i, seed] = first_below(run.loss, target)
    return out


def fewest_steps(rates, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From ``steps`` [batch sizes, rates, seeds] (-1: not reached): the mean over seeds per batch
    size and rate (inf where a seed missed), each batch size's fewest, and the rate that gave them."""
    reached = np.where(steps < 0, np.inf, steps.astype(np.float64))
    mean = reached.mean(axis=-1)
    return mean, mean.min(axis=1), np.asarray(rates)[mean.argmin(axis=1)]


def critical_batch(batches, fewest: np.ndarray) -> tuple[float, float]:
    """S_min and B_crit of the least-squares fit S(B) = S_min (1 + B_crit / B) to the fewest steps
    per batch size (McCandlish et al. 2018)."""
    b = np.asarray(batches, dtype=np.float64)
    (s_min, slope), *_ = np.linalg.lstsq(np.stack([np.ones_like(b), 1 / b], 1), fewest, rcond=None)
    return float(s_min), float(slope / s_min)
