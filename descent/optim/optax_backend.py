"""A third backend: the same optimizers built from Optax (JAX), for the cross-framework check.

Optax's defaults differ from torch.optim's (RMSprop decays by 0.9 and puts ε inside the square
root; AdaGrad puts ε inside the root and starts its sum at 0.1), so every hyperparameter is
passed explicitly, mapped to torch's meaning. Where Optax cannot express torch's rule exactly,
building the optimizer fails rather than silently differing. Optional: ``pip install .[optax]``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from descent.optim.protocol import OptimizerState

# Optax state leaves, by the last name in their path, under torch.optim's names for them.
TORCH_NAMES = {"count": "step", "mu": "exp_avg", "nu": "exp_avg_sq", "trace": "momentum_buffer"}
RENAMED = {"adagrad": {"sum_of_squares": "sum"}, "rmsprop": {"nu": "square_avg"}}


def build(name: str, hp: Mapping[str, float]):
    import jax
    import jax.numpy as jnp
    import optax

    jax.config.update("jax_enable_x64", True)  # float64, like the other backends
    transform = _transform(optax, name, hp)

    def init(params: np.ndarray) -> OptimizerState:
        return {}

    def update(grads: np.ndarray, state: OptimizerState, params: np.ndarray):
        p = jnp.asarray(params, dtype=jnp.float64)
        g = jnp.asarray(grads, dtype=jnp.float64)
        opt_state = _unflatten(jax, transform.init(p), state, name) if state else transform.init(p)
        updates, new_state = transform.update(g, opt_state, p)
        return np.asarray(updates, dtype=np.float64), _flatten(jax, new_state, name)

    return init, update


def _transform(optax, name: str, hp: Mapping[str, float]):
    lr = hp["lr"]
    if name == "sgd":
        return optax.sgd(lr)
    if name in ("momentum", "nesterov"):
        if hp.get("dampening", 0.0):
            raise NotImplementedError("Optax's momentum has no dampening")
        # Optax's trace starts at zero, so its first value is the gradient, as torch's buffer is.
        return optax.sgd(lr, momentum=hp["momentum"], nesterov=name == "nesterov")
    if name == "adagrad":
        if hp["lr_decay"]:
            raise NotImplementedError("Optax's adagrad has no lr_decay")
        # Optax adds ε inside the square root, torch outside: equal only as ε -> 0.
        return optax.adagrad(lr, initial_accumulator_value=hp["initial_accumulator_value"], eps=hp["eps"])
    if name == "rmsprop":
        return optax.rmsprop(lr, decay=hp["alpha"], eps=hp["eps"], eps_in_sqrt=False, initial_scale=0.0)
    if name == "adam":
        return optax.adam(lr, b1=hp["beta1"], b2=hp["beta2"], eps=hp["eps"], eps_root=0.0)
    if name == "adamw":
        return optax.adamw(
            lr, b1=hp["beta1"], b2=hp["beta2"], eps=hp["eps"], eps_root=0.0, weight_decay=hp["weight_decay"]
        )
    raise ValueError(f"no Optax form of {name!r}")


def _leaves(jax, tree):
    return jax.tree_util.tree_flatten_with_path(tree)[0]


def _leaf_name(path, name: str) -> str:
    last = path[-1]
    key = getattr(last, "name", None) or str(getattr(last, "key", getattr(last, "idx", last)))
    return RENAMED.get(name, {}).get(key) or TORCH_NAMES.get(key) or key


def _flatten(jax, opt_state, name: str) -> OptimizerState:
    """Optax's state as named float64 arrays (torch's names); leaves that carry no data skip."""
    named = {}
    for path, leaf in _leaves(jax, opt_state):
        key = _leaf_name(path, name)
        if key in named:
            raise ValueError(f"two Optax state leaves map to {key!r}")
        named[key] = np.asarray(leaf, dtype=np.float64)
    return named


def _unflatten(jax, template, state: OptimizerState, name: str):
    """Rebuild Optax's state from named arrays, with a fresh state giving its structure."""
    values = [
        np.asarray(state[_leaf_name(path, name)], dtype=np.asarray(leaf).dtype)
        for path, leaf in _leaves(jax, template)
    ]
    return jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(template), values)
