"""Trajectories keep every step, are deterministic, and mark divergence instead of crashing; runs
of one's own optimizer go through the same recording into the course's figures."""

import numpy as np
import torch

from descent.figures import convergence, lr_sweep, race
from descent.optim import OPTIMIZERS, OTHER_COLOURS, make_optimizer
from descent.surfaces import get_surface
from descent.trajectory import Trajectory, record, record_run


def test_every_step_is_recorded_consistently():
    s = get_surface("rosenbrock")
    t = record(s, make_optimizer("adam", {"lr": 0.05}), (-1.0, 2.0), 50)
    assert t.steps == 50 and t.params.shape == (51, 2) and t.loss.shape == (51,)
    np.testing.assert_allclose(t.params[1:], t.params[:-1] + t.updates)
    np.testing.assert_allclose(t.grads, s.grad(t.params[:-1]))
    np.testing.assert_allclose(t.loss, s.value(t.params))
    np.testing.assert_allclose(t.step_size, np.linalg.norm(t.updates, axis=1))
    assert t.state["exp_avg"].shape == (50, 2)
    np.testing.assert_array_equal(t.state["step"], np.arange(1, 51))


def test_runs_are_deterministic():
    s = get_surface("wavy_bowl")
    a = record(s, make_optimizer("rmsprop", {"lr": 0.01}), (2.0, 1.0), 100)
    b = record(s, make_optimizer("rmsprop", {"lr": 0.01}), (2.0, 1.0), 100)
    for key, value in a.to_arrays().items():
        np.testing.assert_array_equal(value, b.to_arrays()[key])


def test_too_large_a_step_diverges_and_is_marked_without_non_finite_values():
    # On L = w^2 gradient descent multiplies w by (1 - 2 lr): lr = 1.5 doubles it every step.
    s = get_surface("parabola")
    t = record(s, make_optimizer("sgd", {"lr": 1.5}), (1.0,), 5000)
    assert t.diverged and 0 < t.diverged_step < 5000
    assert t.left_domain_step == 1  # 1 -> -2 (inside) -> 4 (outside)
    assert all(np.all(np.isfinite(v)) for v in t.to_arrays().values())


def test_a_converging_run_neither_diverges_nor_leaves():
    t = record(get_surface("bowl"), make_optimizer("sgd", {"lr": 0.1}), (2.0, 2.0), 100)
    assert not t.diverged and t.left_domain_step == -1
    assert t.loss[-1] < 1e-15


def test_arrays_round_trip():
    t = record(get_surface("bowl"), make_optimizer("momentum", {"lr": 0.1}), (2.0, 2.0), 20)
    back = Trajectory.from_arrays(t.to_arrays())
    for key, value in t.to_arrays().items():
        np.testing.assert_array_equal(value, back.to_arrays()[key])


def test_zero_steps():
    t = record(get_surface("bowl"), make_optimizer("adam", {"lr": 0.1}), (1.0, 1.0), 0)
    assert t.steps == 0 and t.params.shape == (1, 2) and t.state == {}


def test_runs_of_ones_own_optimizers_draw_beside_the_course_ones():
    def capped_rprop(params):  # a factory sets its own hyperparameters; these only describe it
        return torch.optim.Rprop(params, lr=0.01, step_sizes=(1e-6, 0.05))

    own = [
        make_optimizer(capped_rprop, {"lr": 0.01}, label="Rprop, capped"),
        make_optimizer(torch.optim.Adamax, {"lr": 0.05}, label="My Adamax"),
    ]
    runs = [record_run("rosenbrock", opt, (-1.5, 2.0), 300) for opt in own]
    runs.append(record_run("rosenbrock", make_optimizer("adam", {"lr": 0.05}), (-1.5, 2.0), 300))
    recipe = {"surface": "rosenbrock", "tolerance": 1e-6}
    for builder in (race, convergence, lr_sweep):
        fig, _ = builder.build(recipe, runs)
        colours = {}
        for trace in fig.data:
            line = getattr(trace, "line", None)
            if trace.name and line is not None and line.color and trace.showlegend is not False:
                colours[trace.name.split(":")[0]] = line.color
        want = {
            "Rprop, capped": OTHER_COLOURS[0],
            "My Adamax": OTHER_COLOURS[1],
            "Adam": OPTIMIZERS["adam"].colour,
        }
        assert {name: colours[name] for name in want if name in colours} == want, builder.__name__
