"""The builders of the lesson on the optimizers of today, on real optimizer steps of tiny networks:
what they compute from the stored weights and state (each weight's rate, Muon's update and
momentum, the best run of a grid) against what the optimizers did."""

from __future__ import annotations

import io
import types

import numpy as np
import pytest
import torch
from demo_lesson import network, planned

from descent.arrays import StoredArrays, load_npz
from descent.figures import grid_best, muon_spectrum, schedule_free_average, update_sizes
from descent.kinds.network import NetworkRun
from descent.kinds.optimizer_steps import KIND as STEPS
from descent.lesson_spec import read_lesson
from descent.networks import make_mlp
from descent.optim.registry import newton_schulz


def steps(optimizer: str, hyperparameters: dict, hidden=(4, 8), epochs: int = 6) -> StoredArrays:
    """A tiny network's optimizer steps, produced as the build produces them."""
    module = types.ModuleType("lessons.tiny")
    module.__file__ = "lessons/tiny.py"
    run = network(hidden=list(hidden), activation="tanh", optimizer=optimizer,
                  hyperparameters=hyperparameters, epochs=epochs, record=[0])  # fmt: skip
    module.LESSON = {
        "slug": "tiny",
        "title": "Tiny",
        "page": "lessons/tiny.md",
        "optimizer_steps": {"run": run},
    }
    (artifact,) = read_lesson(module).artifacts
    files = STEPS.produce(planned("optimizer_steps", artifact.recipe), [])
    return StoredArrays(load_npz(io.BytesIO(files["steps.npz"])), artifact.recipe)


def test_lions_steps_are_exactly_its_rate_in_every_weight():
    run = steps("lion", {"lr": 0.003, "weight_decay": 0.0})
    relative = update_sizes.relative_steps(run)
    np.testing.assert_allclose(relative, 1.0, rtol=1e-12)
    share, edges, still = update_sizes.log_histogram(relative)
    assert still == 0 and share.sum() == pytest.approx(1.0)
    (only,) = np.flatnonzero(share)  # every value in the bin centred on 1
    assert (edges[only] + edges[only + 1]) / 2 == pytest.approx(0.0, abs=1e-12)


def test_each_weight_is_measured_against_the_rate_of_the_optimizer_that_steps_it():
    run = steps("muon", {"lr": 0.05, "adamw_lr": 0.002})
    rates = update_sizes.rates(run)
    # Sorted names: 0.bias, 0.weight, 2.bias, 2.weight (the hidden 8 x 4 matrix), 4.bias, 4.weight.
    sizes = [4, 8, 8, 32, 1, 8]
    expected = np.repeat([0.002, 0.002, 0.002, 0.05, 0.002, 0.002], sizes)
    np.testing.assert_array_equal(rates, expected)
    adamw = steps("adamw", {"lr": 0.01})
    np.testing.assert_array_equal(update_sizes.rates(adamw), 0.01)


def test_the_histogram_counts_shares_by_decade_and_the_weights_left_still():
    share, edges, still = update_sizes.log_histogram(np.array([0.0, 1.0, 0.1, 0.1, 1e-9, 100.0]))
    assert still == pytest.approx(1 / 6)
    centre = (edges[:-1] + edges[1:]) / 2
    assert share[np.argmin(np.abs(centre - (-1)))] == pytest.approx(2 / 6)  # 0.1 twice
    assert share[0] == pytest.approx(1 / 6) and share[-1] == pytest.approx(1 / 6)  # clipped to the range
    assert share.sum() + still == pytest.approx(1.0)


@pytest.mark.parametrize("hidden", [(4, 8), (8, 4)])
def test_muons_update_and_momentum_are_recovered_from_the_stored_weights_and_buffer(hidden):
    hp = {"lr": 0.05, "weight_decay": 0.1, "momentum": 0.9}
    mu = hp["momentum"]
    run = steps("muon", hp, hidden=hidden)
    ((updates, directions),) = muon_spectrum.muon_matrices(run)
    shape = (hidden[1], hidden[0])
    assert updates.shape == directions.shape == (6, *shape)
    # The momentum: its gradient is the real gradient at the weights before the step.
    model = make_mlp(list(hidden), "tanh", 0)
    named = sorted(model.named_parameters())
    x, y = torch.tensor(run["x_train"]), torch.tensor(run["y_train"])
    buffers = run["state.momentum_buffer"].reshape(-1, *shape)
    for t, d in enumerate(directions):
        with torch.no_grad():
            torch.nn.utils.vector_to_parameters(torch.tensor(run["weights"][t]), [p for _, p in named])
        model.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(model(x)[:, 0], y).backward()
        g = (d - mu * buffers[t]) / (1 - mu)
        np.testing.assert_allclose(g, dict(named)["2.weight"].grad.numpy(), rtol=1e-9, atol=1e-12)
    # The update: the float64 iteration of that momentum, in the directions that carry it, to within
    # torch's bfloat16 rounding (measured below 8%; a wrong rate adjustment is 41% off).
    for update, d in zip(updates, directions, strict=True):
        u, s, vt = np.linalg.svd(d)
        k = int(np.sum(s / np.linalg.norm(d) >= muon_spectrum.SMALLEST))
        left, right = u[:, :k], vt[:k].T
        expected = left.T @ newton_schulz(d) @ right
        assert np.abs(left.T @ update @ right - expected).max() <= 0.1 * np.abs(expected).max()
    ((s_update, s_direction),) = muon_spectrum.spectra(run)
    assert np.all(s_direction[:, 0] <= 1.0)
    assert muon_spectrum.BAND[0] <= s_update[:, 0].min() and s_update[:, 0].max() <= muon_spectrum.BAND[1]


def test_the_newton_schulz_curve_is_the_band_the_tests_measured():
    x = np.logspace(np.log10(muon_spectrum.SMALLEST), 0, 10001)
    y = muon_spectrum.newton_schulz_curve(x)
    assert muon_spectrum.BAND[0] < y.min() and y.max() < muon_spectrum.BAND[1]
    assert muon_spectrum.newton_schulz_curve(np.array([1e-4]))[0] < 0.1  # a tiny one stays small


def net(optimizer: str, losses, lr: float = 0.1) -> NetworkRun:
    return NetworkRun("x", {"optimizer": optimizer, "hyperparameters": {"lr": lr}},
                      {"loss_train": np.array(losses, dtype=float)})  # fmt: skip


def test_the_best_run_of_a_grid_is_the_fewest_steps_to_stay_below_the_target_then_the_lowest_loss():
    slow = net("adamw", [1.0, 0.5, 0.2, 0.05, 0.001])
    fast = net("adamw", [1.0, 0.05, 0.04, 0.03, 0.02])
    tied = net("adamw", [1.0, 0.05, 0.04, 0.03, 0.01])
    leaves = net("adamw", [0.05, 0.01, 0.5, 0.03, 0.001])  # below at once, above again at step 2
    never = net("muon", [1.0, 0.9, 0.8, 0.7, 0.6])
    nearer = net("muon", [1.0, 0.9, 0.8, 0.7, 0.5])
    best = grid_best.best_by_optimizer([slow, fast, leaves, tied, never, nearer], target=0.06)
    assert best == {"adamw": tied, "muon": nearer}
    assert grid_best.steps_to(slow.arrays["loss_train"], 0.06) == 3
    assert grid_best.steps_to(leaves.arrays["loss_train"], 0.06) == 3
    assert grid_best.steps_to(never.arrays["loss_train"], 0.06) is None
    fig, _ = grid_best.build({"tolerance": 0.06}, [slow, fast, leaves, tied, never, nearer])
    shown = [t for t in fig.data if t.showlegend]
    assert [t.name for t in shown] == [
        "AdamW, η = 0.1 (below 0.06 from step 1)",
        "Muon, η = 0.1 (ends above 0.06)",
    ]


def test_schedule_free_shows_the_weights_that_x_moves_most():
    run = steps("schedule_free_adamw", {"lr": 0.01})
    chosen = schedule_free_average.most_moved(run, 3)
    moved = np.abs(run["state.x"][-1] - run["weights"][0])
    assert list(chosen) == list(np.argsort(moved)[::-1][:3])
    fig, _ = schedule_free_average.build({"default": 0}, [run])
    assert len(fig.data) == 3 * schedule_free_average.SHOWN
    x_trace = fig.data[2]
    np.testing.assert_allclose(x_trace.y[1:], run["state.x"][:, chosen[0]].astype(np.float32))
