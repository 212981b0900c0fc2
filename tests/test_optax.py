"""Cross-framework check: torch.optim, the reference rules and Optax give the same trajectories.

Optax's defaults differ from torch's; the backend maps every hyperparameter explicitly, and these
tests would catch a wrong mapping (e.g. RMSprop's decay of 0.9 instead of 0.99, or ε inside the
square root) as a diverging path.
"""

import numpy as np
import pytest

from descent.optim import OPTIMIZERS, make_optimizer, resolve_hyperparameters
from descent.optim.optax_backend import native_init
from descent.surfaces import get_surface
from descent.trajectory import record

# Optax expresses each of these exactly as torch does, except AdaGrad's ε: Optax adds it inside the
# square root. With ε = 1e-10 and sums of squared gradients of order one, that differs by ~1e-10.
SETTINGS = [
    ("sgd", {"lr": 0.01}),
    ("momentum", {"lr": 0.005, "momentum": 0.9}),
    ("nesterov", {"lr": 0.005, "momentum": 0.9}),
    ("adagrad", {"lr": 0.3, "initial_accumulator_value": 0.1}),
    ("rmsprop", {"lr": 0.01, "alpha": 0.99}),
    ("rmsprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-4}),
    ("adam", {"lr": 0.05}),
    ("adam", {"lr": 0.05, "beta1": 0.5, "beta2": 0.9, "eps": 1e-3}),
    ("adamw", {"lr": 0.05, "weight_decay": 0.1}),
    ("radam", {"lr": 0.05}),
    ("radam", {"lr": 0.02, "beta1": 0.5, "beta2": 0.99}),
    ("lion", {"lr": 0.01}),
    ("lion", {"lr": 0.01, "b1": 0.5, "b2": 0.9, "weight_decay": 0.0}),
    ("schedule_free_adamw", {"lr": 0.05}),
    (
        "schedule_free_adamw",
        {"lr": 0.05, "beta": 0.5, "beta2": 0.9, "weight_decay": 0.1, "weight_lr_power": 1.0},
    ),
]
# RAdam's ε: Optax adds it to the root of the bias-corrected second moment, torch to the raw root
# (in Optax's terms, ε/√(1 − β₂ᵗ)): equal only as ε → 0. With ε = 1e-8 the paths below differ by
# up to 5e-9 of their scale (held to 1e-7); with ε = 1e-3, by 3e-4 (not in the table: another rule).
TOLERANCE = {("radam", 1e-8): 1e-7}
SURFACES = [("bowl", (2.0, -1.5)), ("elongated_bowl", (2.5, 1.0)), ("wavy_bowl", (2.0, 2.0))]


def scale_close(actual, expected, rel=1e-9):
    scale = max(np.abs(expected).max(initial=0.0), 1e-300)
    np.testing.assert_allclose(actual, expected, rtol=rel, atol=rel * scale)


@pytest.mark.parametrize("surface, start", SURFACES)
@pytest.mark.parametrize("name, hp", SETTINGS)
def test_torch_reference_and_optax_trajectories_agree(name, hp, surface, start):
    s = get_surface(surface)
    runs = {b: record(s, make_optimizer(name, hp, b), start, 200) for b in ["torch", "reference", "optax"]}
    rel = TOLERANCE.get((name, resolve_hyperparameters(name, hp).get("eps")), 1e-9)
    for backend in ["reference", "optax"]:
        assert runs[backend].diverged_step == runs["torch"].diverged_step
        scale_close(runs[backend].params, runs["torch"].params, rel if backend == "optax" else 1e-9)
        scale_close(runs[backend].loss, runs["torch"].loss, rel if backend == "optax" else 1e-9)
    # Moments and buffers under torch's names, where Optax keeps the same quantity.
    shared = runs["optax"].state.keys() & runs["torch"].state.keys()
    assert shared or name == "sgd"
    for key in shared:
        scale_close(runs["optax"].state[key], runs["torch"].state[key], rel)


def test_adams_moments_are_the_same_quantities_in_every_backend():
    s = get_surface("wavy_bowl")
    runs = [record(s, make_optimizer("adam", {"lr": 0.05}, b), (2.0, 2.0), 50) for b in ["torch", "optax"]]
    assert {"exp_avg", "exp_avg_sq", "step"} <= runs[1].state.keys()
    np.testing.assert_array_equal(runs[1].state["step"], np.arange(1, 51))


@pytest.mark.parametrize(
    "name, hp", [("momentum", {"lr": 0.1, "dampening": 0.5}), ("adagrad", {"lr": 0.1, "lr_decay": 0.01})]
)
def test_what_optax_cannot_express_is_refused_not_approximated(name, hp):
    with pytest.raises(NotImplementedError):
        make_optimizer(name, hp, "optax")


@pytest.mark.parametrize("name, hp", SETTINGS)
def test_optax_starts_where_torch_starts(name, hp):
    # Optax's own first state, under torch's names, against the state torch holds before its first
    # step (the backends' init). Optax keeps no step count for AdaGrad and RMSprop, and starts
    # momentum's trace at 0 where torch has no buffer until the first gradient: the first trace,
    # 0 · β + g, is torch's first buffer, g.
    params = np.array([0.5, -1.5])
    resolved = resolve_hyperparameters(name, hp)
    torch_start = make_optimizer(name, hp, "torch").init(params)
    optax_start = native_init(OPTIMIZERS[name], resolved, params)
    if name in ("momentum", "nesterov"):
        assert torch_start == {} and optax_start.keys() == {"momentum_buffer"}
        np.testing.assert_array_equal(optax_start["momentum_buffer"], np.zeros(2))
        return
    assert optax_start.keys() <= torch_start.keys()
    # Optax computes Schedule-Free's x on demand (schedule_free_eval_params): the entry keeps it.
    assert set(torch_start) - set(optax_start) <= {"step", "x"}
    for key, value in optax_start.items():
        np.testing.assert_array_equal(value, torch_start[key], err_msg=key)


@pytest.mark.parametrize("name", ["lion", "schedule_free_adamw"])
def test_where_optax_is_production_its_torch_optimizer_is_its_optax_step_for_step(name):
    # The torch optimizer of an Optax entry compiles Optax's update (the rate an argument); the
    # Optax backend runs it as it is: the same numbers, bit for bit.
    s = get_surface("rosenbrock")
    runs = [record(s, make_optimizer(name, {"lr": 0.01}, b), (-1.5, 2.0), 300) for b in ("torch", "optax")]
    np.testing.assert_array_equal(runs[0].params, runs[1].params)
    for key in runs[1].state:
        np.testing.assert_array_equal(runs[0].state[key], runs[1].state[key], err_msg=key)


def test_schedule_free_keeps_what_optax_evaluates_at():
    # x is optax.contrib.schedule_free_eval_params at the new parameters and state, bit for bit:
    # the same operations (XLA divides by β as a product with 1/β; so does the entry).
    import jax
    import jax.numpy as jnp
    import optax

    from descent.optim.registry import schedule_free_eval_point

    jax.config.update("jax_enable_x64", True)  # as the backend sets it: float64 throughout
    hp = resolve_hyperparameters("schedule_free_adamw", {"lr": 0.05})
    transform = optax.contrib.schedule_free_adamw(0.05)
    params = jnp.asarray([2.0, 2.0], dtype=jnp.float64)
    state = transform.init(params)
    ours = make_optimizer("schedule_free_adamw", {"lr": 0.05}, "optax")
    named, surface = ours.init(np.asarray(params)), get_surface("wavy_bowl")
    for _ in range(30):
        g = jnp.asarray(surface.grad(np.asarray(params)))
        u, named = ours.update(np.asarray(g), named, np.asarray(params))
        updates, state = transform.update(g, state, params)
        np.testing.assert_array_equal(u, np.asarray(updates))  # Optax's own, from our named state
        params = optax.apply_updates(params, updates)
        x = np.asarray(optax.contrib.schedule_free_eval_params(state, params))
        np.testing.assert_array_equal(named["x"], x)
        np.testing.assert_array_equal(schedule_free_eval_point(np.asarray(params), named["z"], hp["beta"]), x)
