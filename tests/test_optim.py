"""The optimizer backends agree with each other, and with torch.optim run the ordinary way."""

import numpy as np
import pytest
import torch

from descent.optim import OPTIMIZERS, make_optimizer, resolve_hyperparameters
from descent.surfaces import get_surface
from descent.trajectory import record

# (optimizer, hyperparameters) at settings where each behaves well and the run is not trivial.
SETTINGS = [
    ("sgd", {"lr": 0.01}),
    ("momentum", {"lr": 0.005, "momentum": 0.9}),
    ("momentum", {"lr": 0.005, "momentum": 0.5, "dampening": 0.3}),
    ("nesterov", {"lr": 0.005, "momentum": 0.9}),
    ("adagrad", {"lr": 0.3}),
    ("adagrad", {"lr": 0.3, "lr_decay": 0.01, "initial_accumulator_value": 0.1}),
    ("rmsprop", {"lr": 0.01}),
    ("adam", {"lr": 0.05}),
    ("adam", {"lr": 0.05, "beta1": 0.5, "beta2": 0.9, "eps": 1e-3}),
    ("adamw", {"lr": 0.05, "weight_decay": 0.1}),
]
SURFACE_STARTS = [
    ("bowl", (2.0, -1.5)),
    ("elongated_bowl", (2.5, 1.0)),
    ("rosenbrock", (-1.5, 2.0)),
    ("wavy_bowl", (2.0, 2.0)),
    ("saddle", (1.0, 1e-3)),
]


def test_every_optimizer_is_covered():
    assert {name for name, _ in SETTINGS} == set(OPTIMIZERS)


@pytest.mark.parametrize("surface, start", SURFACE_STARTS)
@pytest.mark.parametrize("name, hp", SETTINGS)
def test_torch_and_reference_backends_agree_for_200_steps(name, hp, surface, start):
    s = get_surface(surface)
    a = record(s, make_optimizer(name, hp, "torch"), start, 200)
    b = record(s, make_optimizer(name, hp, "reference"), start, 200)
    assert a.diverged_step == b.diverged_step
    assert a.state.keys() == b.state.keys()
    for key, expected in [("params", b.params), ("loss", b.loss)] + list(b.state.items()):
        actual = a.params if key == "params" else a.loss if key == "loss" else a.state[key]
        _assert_close(actual, expected, key)


def _assert_close(actual, expected, what, rel=1e-9):
    # Relative to the array's scale: a moment crossing zero has no meaningful elementwise ratio.
    scale = max(np.abs(expected).max(initial=0.0), 1e-300)
    np.testing.assert_allclose(actual, expected, rtol=rel, atol=rel * scale, err_msg=what)


@pytest.mark.parametrize("name, hp", SETTINGS)
def test_pure_torch_backend_equals_one_long_lived_torch_optimizer(name, hp):
    # The usual way to use torch.optim: one optimizer object stepping in a loop. Our backend
    # rebuilds it each step from the saved state; given the same gradients, it must not differ.
    surface = get_surface("wavy_bowl")
    rule = OPTIMIZERS[name]
    p = torch.nn.Parameter(torch.tensor([2.0, 2.5], dtype=torch.float64))
    opt = getattr(torch.optim, rule.torch_class)([p], **rule.torch_kwargs(resolve_hyperparameters(name, hp)))
    path = [p.detach().clone()]
    for _ in range(100):
        p.grad = torch.from_numpy(surface.grad(p.detach().numpy()))
        opt.step()
        path.append(p.detach().clone())
    ours = record(surface, make_optimizer(name, hp, "torch"), (2.0, 2.5), 100)
    np.testing.assert_array_equal(ours.params, torch.stack(path).numpy())


def test_autograd_gradients_agree_with_the_surface():
    surface = get_surface("wavy_bowl")
    p = torch.tensor([0.7, -1.3], dtype=torch.float64, requires_grad=True)
    u, v = p
    (torch.sin(1.5 * u) * torch.cos(1.5 * v) + 0.1 * (u**2 + v**2) + torch.cos(u + v)).backward()
    np.testing.assert_allclose(p.grad.numpy(), surface.grad(np.array([0.7, -1.3])), rtol=1e-14)


@pytest.mark.parametrize("backend", ["torch", "reference"])
@pytest.mark.parametrize("name, hp", SETTINGS)
def test_update_mutates_neither_grads_state_nor_params(name, hp, backend):
    opt = make_optimizer(name, hp, backend)
    params = np.array([0.5, -0.25])
    state = opt.init(params)
    for _ in range(3):
        grads = np.array([0.3, -0.7])
        copies = (params.copy(), grads.copy(), {k: v.copy() for k, v in state.items()})
        updates, new_state = opt.update(grads, state, params)
        np.testing.assert_array_equal(params, copies[0])
        np.testing.assert_array_equal(grads, copies[1])
        assert state.keys() == copies[2].keys()
        for k in state:
            np.testing.assert_array_equal(state[k], copies[2][k])
        params, state = params + updates, new_state


def test_adam_first_step_moves_every_coordinate_by_lr():
    # With bias correction, Adam's first update is -lr * sign(g) (up to eps): a textbook fact.
    for backend in ["torch", "reference"]:
        opt = make_optimizer("adam", {"lr": 0.1}, backend)
        u, _ = opt.update(np.array([3.0, -0.002]), opt.init(np.zeros(2)), np.zeros(2))
        np.testing.assert_allclose(u, [-0.1, 0.1], rtol=1e-4)


def test_plain_gradient_descent_on_a_quadratic_is_a_geometric_sequence():
    # On L = w^2, w_{t+1} = (1 - 2 lr) w_t exactly.
    t = record(get_surface("parabola"), make_optimizer("sgd", {"lr": 0.1}), (2.0,), 10)
    np.testing.assert_allclose(t.params[:, 0], 2.0 * 0.8 ** np.arange(11), rtol=1e-12)


@pytest.mark.parametrize(
    "name, hp, field",
    [
        ("sgd", {}, "'lr'"),
        ("sgd", {"lr": -0.1}, "'lr'"),
        ("sgd", {"lr": float("nan")}, "'lr'"),
        ("sgd", {"lr": "fast"}, "'lr'"),
        ("adam", {"lr": 0.1, "beta1": 1.0}, "'beta1'"),
        ("adam", {"lr": 0.1, "eps": 0}, "'eps'"),
        ("adam", {"lr": 0.1, "momentum": 0.9}, "'momentum'"),
        ("lion", {"lr": 0.1}, "'lion'"),
    ],
)
def test_bad_hyperparameters_name_the_field(name, hp, field):
    with pytest.raises(ValueError, match=field):
        make_optimizer(name, hp)


def test_every_hyperparameter_is_explicit_after_resolution():
    hp = resolve_hyperparameters("adamw", {"lr": 0.01})
    assert hp == {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01}
