"""The optimizer backends agree with each other, and with torch.optim run the ordinary way; each
starts from the state torch holds before its first step; one's own torch optimizer runs too."""

import re

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
    ("nadam", {"lr": 0.05}),
    ("nadam", {"lr": 0.05, "beta1": 0.8, "weight_decay": 0.1, "momentum_decay": 0.04}),
    ("radam", {"lr": 0.05}),
    ("radam", {"lr": 0.05, "beta2": 0.9, "eps": 1e-4, "weight_decay": 0.1}),
    ("adafactor", {"lr": 0.05}),
    ("adafactor", {"lr": 0.2, "beta2_decay": -0.5, "eps2": 0.1, "d": 2.0, "weight_decay": 0.1}),
    ("lion", {"lr": 0.01}),
    ("lion", {"lr": 0.01, "b1": 0.5, "b2": 0.9, "weight_decay": 0.0}),
    ("schedule_free_adamw", {"lr": 0.05}),
    ("schedule_free_adamw", {"lr": 0.05, "beta": 0.5, "weight_decay": 0.1, "weight_lr_power": 0.0}),
]
# Muon steps weight matrices only: its table is below, on matrices.
ON_POINTS = [name for name, entry in OPTIMIZERS.items() if not entry.matrices_only]
SURFACE_STARTS = [
    ("bowl", (2.0, -1.5)),
    ("elongated_bowl", (2.5, 1.0)),
    ("rosenbrock", (-1.5, 2.0)),
    ("wavy_bowl", (2.0, 2.0)),
    ("saddle", (1.0, 1e-3)),
]


def test_every_optimizer_is_covered():
    assert {name for name, _ in SETTINGS} == set(ON_POINTS)


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
        ("adamax", {"lr": 0.1}, "'adamax'"),
        ("nadam", {"lr": 0.1, "momentum_decay": -1}, "'momentum_decay'"),
        ("radam", {"lr": 0.1, "beta2": 1.0}, "'beta2'"),
        ("adafactor", {"lr": 0.1, "beta2_decay": 0.5}, "'beta2_decay'"),
        ("adafactor", {"lr": 0.1, "d": 0.5}, "'d'"),
        ("adafactor", {"lr": 0.1, "eps2": -1e-3}, "'eps2'"),
        ("muon", {"lr": 0.1, "momentum": 1.0}, "'momentum'"),
        ("muon", {"lr": 0.1, "adamw_lr": 0}, "'adamw_lr'"),
        ("lion", {"lr": 0.1, "b2": -0.1}, "'b2'"),
        ("lion", {"lr": 0.1, "beta1": 0.9}, "'beta1'"),
        ("schedule_free_adamw", {"lr": 0.1, "beta": 0.0}, "'beta'"),
        ("schedule_free_adamw", {"lr": 0.1, "weight_lr_power": -2}, "'weight_lr_power'"),
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
    "nadam": {"lr": 0.1},
    "radam": {"lr": 0.1},
    "adafactor": {"lr": 0.1},
    "muon": {"lr": 0.1},
    "lion": {"lr": 0.1},
    "schedule_free_adamw": {"lr": 0.1},
}
# NAdam's running product of its momentum schedule starts at 1; Adafactor keeps one variance per
# coordinate of a vector (a matrix: see below); Muon's buffer is made at 0 in the first step
# (TORCH_ONLY below); Lion's momentum starts at 0; Schedule-Free's z and x start at the
# parameters (PARAMS), its step count at 1 (Optax counts from 1), its sums at 0.
INITIAL = {
    "sgd": {},
    "momentum": {},
    "nesterov": {},
    "adagrad": {"step": 0.0, "sum": 0.25},
    "rmsprop": {"step": 0.0, "square_avg": 0.0},
    "adam": {"step": 0.0, "exp_avg": 0.0, "exp_avg_sq": 0.0},
    "adamw": {"step": 0.0, "exp_avg": 0.0, "exp_avg_sq": 0.0},
    "nadam": {"step": 0.0, "mu_product": 1.0, "exp_avg": 0.0, "exp_avg_sq": 0.0},
    "radam": {"step": 0.0, "exp_avg": 0.0, "exp_avg_sq": 0.0},
    "adafactor": {"step": 0.0, "variance": 0.0},
    "muon": {"momentum_buffer": 0.0},
    "lion": {"step": 0.0, "exp_avg": 0.0},
    "schedule_free_adamw": {
        "step": 0.0, "exp_avg_sq": 0.0, "z": "params", "weight_sum": 0.0, "step_count": 1.0,
        "max_lr": 0.0, "x": "params",
    },
}  # fmt: skip
SCALARS = {"step", "mu_product", "weight_sum", "step_count", "max_lr"}  # one number per parameter
PARAMS = np.array([0.5, -1.5])
GRADS = [np.array([0.3, -0.7]), np.array([-1.1, 0.2]), np.array([0.05, 0.9])]
MATRIX = np.array([[0.5, -1.5, 0.25], [1.0, 0.75, -0.5]])
MATRIX_GRADS = [np.outer([1.0, -2.0], [0.3, -0.7, 0.1]) + 0.1 * k for k in range(3)]


def test_every_optimizer_has_its_initial_state_fact():
    assert INITIAL.keys() == INITIAL_SETTINGS.keys() == OPTIMIZERS.keys()


@pytest.mark.parametrize("backend", ["torch", "reference", "optax"])
@pytest.mark.parametrize("name", INITIAL)
def test_init_is_the_state_the_production_backend_holds_before_the_first_step(name, backend):
    hp = INITIAL_SETTINGS[name]
    if backend == "optax":
        pytest.importorskip("optax")
        hp = {k: v for k, v in hp.items() if k != "dampening"}  # Optax's momentum has none
        if isinstance(OPTIMIZERS[name].optax, str):  # the reason it has no Optax form
            with pytest.raises(NotImplementedError, match=re.escape(OPTIMIZERS[name].optax)):
                make_optimizer(name, hp, backend)
            return
    params = np.zeros((2, 3)) if OPTIMIZERS[name].matrices_only else PARAMS
    state = make_optimizer(name, hp, backend).init(params)
    assert state.keys() == INITIAL[name].keys()
    for key in INITIAL[name]:
        np.testing.assert_array_equal(state[key], _initial(name, key, params), err_msg=key)
        assert state[key].dtype == np.float64


def _initial(name, key, params, value=None):
    value = INITIAL[name][key] if value is None else value
    return params.copy() if value == "params" else np.full(() if key in SCALARS else params.shape, value)


def _torch_steps(name, state=None):
    """Three plain torch.optim steps on one parameter, optionally from a loaded state."""
    entry = OPTIMIZERS[name]
    params, grads = (MATRIX, MATRIX_GRADS) if entry.matrices_only else (PARAMS, GRADS)
    p = torch.nn.Parameter(torch.tensor(params))
    opt = torch_optimizer(entry, [p], resolve_hyperparameters(name, INITIAL_SETTINGS[name]))
    if state is not None:
        saved = opt.state_dict()
        saved["state"] = {0: {k: torch.tensor(_initial(name, k, params, v)) for k, v in state.items()}}
        opt.load_state_dict(saved)
        for key in entry.scalar_state:  # as torch makes it (float32), not as loading casts it
            opt.state[p][key] = opt.state[p][key].to(torch.float32)
    path = []
    for g in grads:
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


# ---------- today's optimizers: the facts a lesson states, established on real runs


def test_lion_without_weight_decay_moves_every_coordinate_by_exactly_lr():
    # Lion's update is -lr * sign(blend): Optax returns exactly ±lr; a torch run's points then
    # differ by lr to within the rounding of the subtraction (one unit in the last place).
    lr, hp = 0.01, {"lr": 0.01, "weight_decay": 0.0}
    for surface, start in SURFACE_STARTS[:4]:
        s = get_surface(surface)
        optax_run = record(s, make_optimizer("lion", hp, "optax"), start, 150)
        assert set(np.abs(optax_run.updates).ravel()) == {lr}, surface
        torch_run = record(s, make_optimizer("lion", hp), start, 150)
        moved = np.abs(np.diff(torch_run.params, axis=0))
        np.testing.assert_array_less(np.abs(moved - lr), np.spacing(np.abs(torch_run.params[1:])) * 2)
    # With weight decay it also shrinks the weights: no longer ±lr.
    decayed = record(get_surface("bowl"), make_optimizer("lion", {"lr": lr, "weight_decay": 0.5}, "optax"),
                     (2.0, -1.5), 5)  # fmt: skip
    assert set(np.abs(decayed.updates).ravel()) != {lr}


def _matrix(rng, shape, spread):
    """A matrix with random singular vectors and singular values from ``spread`` to 1."""
    k = min(shape)
    u, _ = np.linalg.qr(rng.normal(size=(shape[0], k)))
    v, _ = np.linalg.qr(rng.normal(size=(shape[1], k)))
    s = np.exp(rng.uniform(np.log(spread), 0.0, size=k))
    s[0] = 1.0
    return u @ np.diag(s) @ v.T


# Muon's quintic Newton–Schulz (torch's coefficients, 5 steps) maps a singular value x of the
# normalized matrix (x = σ / ‖G‖_F) to p⁵(x), p(x) = a x + b x³ + c x⁵. On x ≥ 2e-3, in float64,
# p⁵ lies in [0.6818, 1.2024]; torch runs it in bfloat16, measured in [0.677, 1.203].
MUON_BAND = (0.67, 1.21)


def test_muons_newton_schulz_maps_every_singular_value_above_2e3_into_a_band_near_one():
    a, b, c = 3.4445, -4.7750, 2.0315
    x = np.logspace(np.log10(2e-3), 0, 100001)
    for _ in range(5):
        x = a * x + b * x**3 + c * x**5
    assert 0.68 < x.min() < 0.69 and 1.20 < x.max() < 1.21
    assert MUON_BAND[0] < x.min() and x.max() < MUON_BAND[1]


@pytest.mark.parametrize("shape", [(8, 8), (16, 4), (4, 16), (32, 32), (64, 16), (3, 5)])
def test_muons_update_of_a_matrix_has_singular_values_in_the_band(shape):
    rng = np.random.default_rng(sum(shape))
    lr = 0.02
    adjusted = lr * np.sqrt(max(1, shape[0] / shape[1]))  # torch's "original" rate adjustment
    for trial in range(10):
        w, g = rng.normal(size=shape), _matrix(rng, shape, 0.01) * 10.0 ** rng.uniform(-3, 3)
        assert (np.linalg.svd(g, compute_uv=False) / np.linalg.norm(g)).min() >= 2e-3
        muon = make_optimizer("muon", {"lr": lr, "weight_decay": 0.0})
        updates, state = muon.update(g, muon.init(w), w)
        singular = np.linalg.svd(-updates / adjusted, compute_uv=False)
        assert MUON_BAND[0] <= singular.min() and singular.max() <= MUON_BAND[1], (trial, singular)
        np.testing.assert_allclose(state["momentum_buffer"], 0.05 * g, rtol=1e-14)


def test_muons_reference_rule_is_torchs_in_float64_where_torch_rounds_to_bfloat16():
    # The reference runs the same iteration in float64: it agrees with torch's bfloat16 updates to
    # a few per cent (measured below 3%), and its buffer exactly.
    rng = np.random.default_rng(5)
    w = rng.normal(size=(6, 4))
    grads = [_matrix(rng, (6, 4), 0.05) for _ in range(5)]
    hp = {"lr": 0.02}
    runs = {}
    for backend in ("torch", "reference"):
        muon, params = make_optimizer("muon", hp, backend), w.copy()
        state, path = muon.init(params), []
        for g in grads:
            u, state = muon.update(g, state, params)
            path.append((u, state["momentum_buffer"]))
            params = params + u
        runs[backend] = path
    for (u, buf), (ur, bufr) in zip(runs["torch"], runs["reference"], strict=True):
        assert np.abs(u - ur).max() <= 0.05 * np.abs(ur).max()
        np.testing.assert_allclose(buf, bufr, rtol=1e-12, atol=1e-15)


def test_adafactor_keeps_m_plus_n_numbers_for_an_m_by_n_matrix_and_matches_torch():
    rng = np.random.default_rng(2)
    m, n = 7, 5
    w = rng.normal(size=(m, n))
    p = torch.nn.Parameter(torch.tensor(w))
    opt = torch.optim.Adafactor([p], lr=0.05)
    reference = make_optimizer("adafactor", {"lr": 0.05}, "reference")
    params, state = w.copy(), reference.init(w)
    for _ in range(20):
        g = rng.normal(size=(m, n))
        p.grad = torch.tensor(g)
        opt.step()
        u, state = reference.update(g, state, params)
        params = params + u
    held = {k: v for k, v in opt.state[p].items() if k != "step"}
    assert {k: tuple(v.shape) for k, v in held.items()} == {"row_var": (m, 1), "col_var": (1, n)}
    assert sum(v.numel() for v in held.values()) == m + n  # not m * n
    np.testing.assert_allclose(params, p.detach().numpy(), rtol=1e-12)
    for key in held:
        np.testing.assert_allclose(state[key], held[key].numpy(), rtol=1e-12, err_msg=key)


def test_schedule_free_x_is_the_weighted_average_of_the_iterates_z():
    # Schedule-Free's gradient point y is the parameters; its evaluation point x is the average of
    # z_1 … z_t weighted by (largest rate so far)^r: a warmup makes the weights unequal.
    from descent.optim.schedules import torch_scheduler

    surface, power = get_surface("wavy_bowl"), 2.0
    hp = resolve_hyperparameters("schedule_free_adamw", {"lr": 0.05, "weight_lr_power": power})
    w = torch.nn.Parameter(torch.tensor([2.0, 2.0], dtype=torch.float64))
    opt = torch_optimizer(OPTIMIZERS["schedule_free_adamw"], [w], hp)
    scheduler = torch_scheduler(opt, "warmup_cosine", {}, 60)
    zs, xs, weights, top = [], [], [], 0.0
    for _ in range(60):
        top = max(top, opt.param_groups[0]["lr"])
        w.grad = torch.from_numpy(surface.grad(w.detach().numpy()))
        opt.step()
        scheduler.step()
        state = opt.state[w]
        zs.append(state["z"].numpy().copy())
        xs.append(state["x"].numpy().copy())
        weights.append(top**power)
        y = w.detach().numpy()  # the parameters are y, between x and z
        np.testing.assert_allclose(y, hp["beta"] * xs[-1] + (1 - hp["beta"]) * zs[-1], rtol=1e-12)
    assert len(set(weights)) == 7 and weights == sorted(weights)  # 6 warmup steps: unequal weights
    for t in range(1, 61):
        average = np.average(np.array(zs[:t]), axis=0, weights=weights[:t])
        np.testing.assert_allclose(xs[t - 1], average, rtol=1e-10, atol=1e-12, err_msg=f"x_{t}")


# ---------- a network's optimizers


def test_muon_trains_the_hidden_matrices_and_adamw_the_rest_as_torch_documents():
    from descent.networks import make_mlp
    from descent.optim import model_optimizers

    model = make_mlp([6, 5, 4], "tanh", seed=0)
    muon, adamw = model_optimizers("muon", {"lr": 0.02}, model)
    assert isinstance(muon, torch.optim.Muon) and isinstance(adamw, torch.optim.AdamW)
    linear = [m for m in model if isinstance(m, torch.nn.Linear)]
    ids = lambda ps: {id(p) for p in ps}  # noqa: E731
    under_muon = ids(p for g in muon.param_groups for p in g["params"])
    under_adamw = ids(p for g in adamw.param_groups for p in g["params"])
    # torch: "Muon is an optimizer for 2D parameters of neural network hidden layers. Other
    # parameters, such as bias, and embedding, should be optimized by a standard method such as AdamW."
    assert under_muon == ids(m.weight for m in linear[1:-1])
    assert under_adamw == ids(model.parameters()) - under_muon
    assert ids([linear[0].weight, linear[-1].weight]) | ids(m.bias for m in linear) == under_adamw
    assert adamw.param_groups[0]["lr"] == 1e-3 and muon.param_groups[0]["lr"] == 0.02
    (one,) = model_optimizers("adam", {"lr": 0.1}, model)
    assert isinstance(one, torch.optim.Adam) and ids(one.param_groups[0]["params"]) == ids(model.parameters())
    with pytest.raises(ValueError, match="at least two hidden layers"):
        model_optimizers("muon", {"lr": 0.02}, make_mlp([4], "tanh", seed=0))


@pytest.mark.parametrize("name", ["muon", "lion", "schedule_free_adamw", "nadam"])
def test_a_network_trains_with_todays_optimizers(name):
    from descent.networks import train

    recipe = {
        "dataset": "moons", "samples": 120, "noise": 0.1, "seed": 0, "hidden": [8, 8],
        "activation": "tanh", "optimizer": name, "hyperparameters": {"lr": 0.01}, "epochs": 40,
        "record": [0, 40], "batch": 32, "schedule": {"name": "cosine"},
    }  # fmt: skip
    arrays = train(recipe).arrays
    assert np.isfinite(arrays["loss_train"]).all()
    assert arrays["loss_train"][-1] < 0.9 * arrays["loss_train"][0], arrays["loss_train"][[0, -1]]
    assert arrays["rates"][0] == 0.01 and arrays["rates"][-1] < 0.01  # the schedule drove it
