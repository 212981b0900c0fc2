"""The regression made of samples: gradients against finite differences, the batches torch's
DataLoader draws, exact replays, and the spread of minibatch gradients against the sampling formula
σ²(B) = σ₁² (N − B) / (B (N − 1))."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from descent.optim.schedules import torch_rates
from descent.regression import Regression, batches, minibatch_run

PROBLEM = Regression.make(n=64, seed=3)
POINT = np.array([0.5, 1.0])  # away from the minimum, where gradients are spread out


@pytest.mark.parametrize("indices", [None, np.array([3, 17, 40]), np.array([5])])
def test_gradients_are_the_losses_slopes(indices):
    h = 1e-6
    for k in range(2):
        e = np.zeros(2)
        e[k] = h
        slope = (PROBLEM.loss(POINT + e, indices) - PROBLEM.loss(POINT - e, indices)) / (2 * h)
        assert PROBLEM.gradient(POINT, indices)[k] == pytest.approx(slope, rel=1e-7)


@pytest.mark.parametrize("x_mean", [0.0, 2.0])
def test_the_hessian_is_the_gradients_slope_and_off_centre_points_make_it_ill_conditioned(x_mean):
    problem = Regression.make(n=64, seed=3, x_mean=x_mean)
    h = 1e-6
    for k in range(2):
        e = np.zeros(2)
        e[k] = h
        column = (problem.gradient(POINT + e) - problem.gradient(POINT - e)) / (2 * h)
        assert problem.hessian()[:, k] == pytest.approx(column, rel=1e-7)
    low, high = np.linalg.eigvalsh(problem.hessian())
    assert high / low < 1.5 if x_mean == 0 else high / low > 20


def test_the_full_gradient_vanishes_at_the_least_squares_line():
    assert np.abs(PROBLEM.gradient(PROBLEM.minimum())).max() < 1e-12
    assert PROBLEM.minimum() == pytest.approx([2.0, -1.0], abs=0.3)  # the line the points came from


def test_the_surface_is_the_loss_at_each_grid_point():
    bounds, size = ((-1, 3), (-3, 1)), 5
    grid = PROBLEM.surface(bounds, size, np.array([1, 2, 3]))
    w0, w1 = np.linspace(-1, 3, size)[3], np.linspace(-3, 1, size)[1]
    assert grid[1, 3] == pytest.approx(PROBLEM.loss(np.array([w0, w1]), np.array([1, 2, 3])), rel=1e-14)


def test_batches_are_those_a_seeded_dataloader_draws():
    generator = torch.Generator().manual_seed(11)
    loader = DataLoader(range(10), batch_size=3, shuffle=True, drop_last=True, generator=generator)
    expected = [b.tolist() for _ in range(3) for b in loader][:7]
    drawn = batches(10, 3, 7, seed=11)
    assert drawn.tolist() == expected
    for epoch in drawn[:3], drawn[3:6]:  # within an epoch, no sample twice
        assert len(set(epoch.ravel().tolist())) == 9


@pytest.mark.parametrize("batch", [0, 65])
def test_a_batch_larger_than_the_data_or_empty_is_refused(batch):
    with pytest.raises(ValueError, match="a batch holds 1 to 64 samples"):
        batches(64, batch, 3, seed=0)


@pytest.mark.parametrize("batch", [1, 4, 16, 63])
def test_the_spread_of_minibatch_gradients_follows_the_sampling_formula(batch):
    n, draws = PROBLEM.n, 6000
    sigma1 = PROBLEM.gradient_noise(POINT)
    expected = sigma1 * (n - batch) / (batch * (n - 1))
    g = np.array([PROBLEM.gradient(POINT, rows) for rows in batches(n, batch, draws, seed=batch)])
    squared = np.sum((g - PROBLEM.gradient(POINT)) ** 2, axis=1)  # deviations from the true mean
    measured, error = squared.mean(), squared.std() / math.sqrt(draws)
    assert abs(measured - expected) < 4 * error, (measured, expected, error)


def test_a_full_batch_has_no_spread():
    g = np.array([PROBLEM.gradient(POINT, rows) for rows in batches(PROBLEM.n, PROBLEM.n, 5, seed=0)])
    assert np.abs(g - PROBLEM.gradient(POINT)).max() < 1e-14


def sgd(**changes):
    run = {"start": [0.0, 0.0], "optimizer": "sgd", "hyperparameters": {"lr": 0.1}, "batch": 4, "steps": 60}
    return minibatch_run(PROBLEM, **{**run, **changes})


def test_a_run_replays_exactly_from_its_recorded_batches():
    momentum = {"optimizer": "momentum", "hyperparameters": {"lr": 0.1, "momentum": 0.9}}
    run = sgd(seed=5, **momentum)
    again = sgd(seed=999, indices=run.batches, **momentum)
    assert np.array_equal(run.params, again.params) and np.array_equal(run.batch_loss, again.batch_loss)
    other = sgd(seed=6, **momentum)
    assert not np.array_equal(run.params, other.params)  # another seed, other batches, another path


def test_each_step_is_sgd_on_its_batchs_gradient_at_the_rate_its_schedule_set():
    run = sgd(hyperparameters={"lr": 0.05}, batch=8, steps=20, seed=2, schedule="cosine")
    assert run.rates.tolist() == torch_rates("cosine", 0.05, 20)
    for k, rows in enumerate(run.batches):
        step = -run.rates[k] * PROBLEM.gradient(run.params[k], rows)
        assert run.params[k + 1] - run.params[k] == pytest.approx(step, rel=1e-12, abs=1e-15)
        assert run.batch_loss[k] == pytest.approx(PROBLEM.loss(run.params[k], rows), rel=1e-12)
    assert run.loss[-1] < run.loss[0]


def test_a_run_round_trips_through_its_arrays():
    run = sgd(seed=1, steps=5)
    again = type(run).from_arrays(run.to_arrays())
    assert all(
        np.array_equal(a, b)
        for a, b in zip(run.to_arrays().values(), again.to_arrays().values(), strict=True)
    )


def test_a_minibatch_run_steps_lion_by_exactly_its_rate_per_coordinate_with_optax_inside_torch():
    # Lion's production backend is Optax (torch has none): the run makes it as it makes any torch
    # optimizer, and its schedule's rate reaches it. Without weight decay each coordinate moves by
    # the step's rate, to the rounding of the subtraction.
    run = sgd(optimizer="lion", hyperparameters={"lr": 0.05, "weight_decay": 0.0}, schedule="cosine", seed=2)
    moved = np.abs(np.diff(run.params, axis=0))
    rates = np.array(run.rates)[:, None]
    np.testing.assert_allclose(moved, np.broadcast_to(rates, moved.shape), rtol=1e-12, atol=1e-15)
    assert rates[0, 0] == 0.05 and rates[-1, 0] < 0.01
