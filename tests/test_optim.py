"""The optimizer backends agree with each other, and with torch.optim run the ordinary way; each
starts from the state torch holds before its first step; one's own torch optimizer runs too."""

import numpy as np
import pytest
import torch

from descent.optim import OPTIMIZERS, make_optimizer, resolve_hyperparameters
from descent.optim.torch_backend import torch_optimizer
from descent.surfaces import get_surface
from descent.trajectory import record, record_run

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
    p = torch.nn.Parameter(torch.tensor([2.0, 2.5], dtype=torch.float64))
    opt = torch_optimizer(OPTIMIZERS[name], [p], resolve_hyperparameters(name, hp))
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


# ---------- the state before the first step

# What torch.optim holds for a parameter before its first update, with the hyperparameters of
# INITIAL_SETTINGS (a fact per optimizer, from torch's algorithms): plain SGD keeps nothing;
# momentum's buffer does not exist until the first step makes it a copy of that step's gradient;
# AdaGrad's sum starts at initial_accumulator_value; RMSprop's and Adam's buffers start at 0.
INITIAL_SETTINGS = {
    "sgd": {"lr": 0.1},
    "momentum": {"lr": 0.1, "momentum": 0.9, "dampening": 0.3},
    "nesterov": {"lr": 0.1},
    "adagrad": {"lr": 0.1, "initial_accumulator_value": 0.25},
    "rmsprop": {"lr": 0.1},
    "adam": {"lr": 0.1},
    "adamw": {"lr": 0.1},
}
INITIAL = {
    "sgd": {},
    "momentum": {},
    "nesterov": {},
    "adagrad": {"step": 0.0, "sum": 0.25},
    "rmsprop": {"step": 0.0, "square_avg": 0.0},
    "adam": {"step": 0.0, "exp_avg": 0.0, "exp_avg_sq": 0.0},
    "adamw": {"step": 0.0, "exp_avg": 0.0, "exp_avg_sq": 0.0},
}
PARAMS = np.array([0.5, -1.5])
GRADS = [np.array([0.3, -0.7]), np.array([-1.1, 0.2]), np.array([0.05, 0.9])]


def test_every_optimizer_has_its_initial_state_fact():
    assert INITIAL.keys() == INITIAL_SETTINGS.keys() == OPTIMIZERS.keys()


@pytest.mark.parametrize("backend", ["torch", "reference", "optax"])
@pytest.mark.parametrize("name", INITIAL)
def test_init_is_the_state_torch_holds_before_the_first_step(name, backend):
    hp = INITIAL_SETTINGS[name]
    if backend == "optax":
        pytest.importorskip("optax")
        hp = {k: v for k, v in hp.items() if k != "dampening"}  # Optax's momentum has none
        if isinstance(OPTIMIZERS[name].optax, str):  # the reason it has no Optax form
            with pytest.raises(NotImplementedError, match=OPTIMIZERS[name].optax):
                make_optimizer(name, hp, backend)
            return
    state = make_optimizer(name, hp, backend).init(PARAMS)
    assert state.keys() == INITIAL[name].keys()
    for key, value in INITIAL[name].items():
        shape = () if key == "step" else PARAMS.shape  # torch's step is one number per parameter
        np.testing.assert_array_equal(state[key], np.full(shape, value), err_msg=key)
        assert state[key].dtype == np.float64


def _torch_steps(name, state=None):
    """Three plain torch.optim steps on one parameter, optionally from a loaded state."""
    p = torch.nn.Parameter(torch.tensor(PARAMS))
    opt = torch_optimizer(OPTIMIZERS[name], [p], resolve_hyperparameters(name, INITIAL_SETTINGS[name]))
    if state is not None:
        saved = opt.state_dict()
        saved["state"] = {
            0: {k: torch.tensor(np.full(() if k == "step" else PARAMS.shape, v)) for k, v in state.items()}
        }
        opt.load_state_dict(saved)
    path = []
    for g in GRADS:
        p.grad = torch.tensor(g)
        opt.step()
        path.append((p.detach().numpy().copy(), {k: v.numpy().copy() for k, v in opt.state[p].items()}))
    return path


@pytest.mark.parametrize("name", INITIAL)
def test_torch_started_from_the_fact_steps_as_torch_started_from_nothing(name):
    # If the table held other numbers than torch's own start, the steps would differ.
    fresh, loaded = _torch_steps(name), _torch_steps(name, INITIAL[name])
    for (p, state), (q, other) in zip(fresh, loaded, strict=True):
        np.testing.assert_array_equal(p, q)
        assert state.keys() == other.keys()
        for key in state:
            np.testing.assert_array_equal(state[key], other[key], err_msg=key)


def test_adagrad_makes_its_state_when_built_and_momentum_makes_its_buffer_from_the_first_gradient():
    p = torch.nn.Parameter(torch.tensor(PARAMS))
    adagrad = torch.optim.Adagrad([p], lr=0.1, initial_accumulator_value=0.25)
    assert float(adagrad.state[p]["step"]) == 0.0 and adagrad.state[p]["sum"].tolist() == [0.25, 0.25]
    # Momentum with dampening τ: a zero buffer would start at (1 − τ) g; torch's first buffer is g.
    assert _torch_steps("momentum")[0][1]["momentum_buffer"].tolist() == GRADS[0].tolist()
    from_zero = _torch_steps("momentum", {"momentum_buffer": 0.0})[0][1]["momentum_buffer"]
    np.testing.assert_allclose(from_zero, 0.7 * GRADS[0])


# ---------- one's own optimizer


class SignDescent(torch.optim.Optimizer):
    """Every coordinate moves by exactly lr against the sign of its gradient (0 where it is 0)."""

    def __init__(self, params, lr):
        super().__init__(params, {"lr": lr})

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = state.get("step", torch.tensor(0.0)) + 1
                p.add_(torch.sign(p.grad), alpha=-group["lr"])


def test_ones_own_optimizer_class_follows_its_hand_computed_steps():
    # On L = w1² + w2² from (1, -0.5) with lr 0.25: gradients (2, -1), (1.5, -0.5), (1, 0), (0.5, 0), (0, 0).
    optimizer = make_optimizer(SignDescent, {"lr": 0.25})
    assert (optimizer.name, optimizer.label, optimizer.backend) == ("SignDescent", "SignDescent", "torch")
    t = record(get_surface("bowl"), optimizer, (1.0, -0.5), 5)
    want = [(1.0, -0.5), (0.75, -0.25), (0.5, 0.0), (0.25, 0.0), (0.0, 0.0), (0.0, 0.0)]
    np.testing.assert_array_equal(t.params, want)
    np.testing.assert_array_equal(t.state["step"], [1, 2, 3, 4, 5])  # its own buffer, read after each step
    assert optimizer.init(np.zeros(2)) == {}  # it makes no state until it steps


def test_a_factory_wrapping_torch_adam_is_the_course_adam_exactly():
    surface, start = get_surface("rosenbrock"), (-1.5, 2.0)
    factory = make_optimizer(lambda ps: torch.optim.Adam(ps, lr=0.05), {"lr": 0.05}, label="Adam by hand")
    by_class = make_optimizer(torch.optim.Adam, {"lr": 0.05, "betas": (0.9, 0.999)}, label="torch's Adam")
    course = record(surface, make_optimizer("adam", {"lr": 0.05}), start, 300)
    for own in (factory, by_class):
        run = record(surface, own, start, 300)
        assert run.to_arrays().keys() == course.to_arrays().keys()
        for key, value in course.to_arrays().items():
            np.testing.assert_array_equal(run.to_arrays()[key], value, err_msg=key)


def test_a_run_of_ones_own_optimizer_carries_the_recipe_figures_read():
    run = record_run("bowl", make_optimizer(SignDescent, {"lr": 0.25}, label="Sign descent"), (1.0, -0.5), 5)
    assert run.recipe == {
        "surface": "bowl", "optimizer": "Sign descent", "hyperparameters": {"lr": 0.25},
        "start": [1.0, -0.5], "steps": 5,
    }  # fmt: skip
    assert run.surface.name == "bowl" and run.trajectory.steps == 5


@pytest.mark.parametrize(
    "optimizer, label, backend, error",
    [
        (lambda ps: torch.optim.SGD(ps, lr=0.1), None, "torch", "give your optimizer a label"),
        (SignDescent, "Adam", "torch", "course optimizer's name"),
        (SignDescent, "sgd", "torch", "course optimizer's name"),
        (SignDescent, None, "reference", "no reference rule"),
        (SignDescent, None, "optax", "no Optax form"),
        (42, None, "torch", "a torch.optim.Optimizer class or a factory"),
    ],
)
def test_ones_own_optimizer_is_refused_with_a_reason(optimizer, label, backend, error):
    with pytest.raises((ValueError, TypeError, NotImplementedError), match=error):
        make_optimizer(optimizer, {"lr": 0.1}, backend, label=label)


def test_a_factory_must_make_a_torch_optimizer():
    optimizer = make_optimizer(lambda ps: "not an optimizer", {}, label="Broken")
    with pytest.raises(TypeError, match="Broken: expected a torch.optim.Optimizer"):
        optimizer.update(np.ones(2), optimizer.init(np.zeros(2)), np.zeros(2))
