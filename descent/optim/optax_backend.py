"""A third backend: an entry's Optax form (``OptimizerEntry.optax``), for the cross-framework check.

Optax's defaults differ from torch.optim's (RMSprop decays by 0.9 and puts ε inside the square
root; AdaGrad puts ε inside the root and starts its sum at 0.1), so each entry passes every
hyperparameter explicitly, mapped to torch's meaning; where Optax cannot express torch's rule
exactly, building the optimizer fails rather than silently differing. The state travels under
torch's names, so ``init`` is the entry's and a trajectory's buffers compare with torch's.

For Lion and Schedule-Free AdamW, which torch has not, Optax is the production backend: their
torch optimizer (``descent/optim/optax_torch.py``) steps with :func:`stepper`. The first use turns
on JAX's float64 for the whole process (JAX computes in float32 otherwise).
Optional: ``pip install .[optax]``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from descent.optim.protocol import OptimizerEntry, OptimizerState

# Optax state leaves, by the last name in their path, under torch.optim's names for them.
TORCH_NAMES = {"count": "step", "mu": "exp_avg", "nu": "exp_avg_sq", "trace": "momentum_buffer"}


def build(entry: OptimizerEntry, hp: Mapping[str, float]):
    step = stepper(entry, hp)
    initial = entry.initial_state

    def init(params: np.ndarray) -> OptimizerState:
        return initial(np.asarray(params, dtype=np.float64), hp) if initial else {}

    def update(grads: np.ndarray, state: OptimizerState, params: np.ndarray):
        return step(grads, state, params, hp["lr"])

    return init, update


def stepper(entry: OptimizerEntry, hp: Mapping[str, float]):
    """The entry's Optax update with the learning rate an argument (a torch scheduler changes it
    between steps): ``step(grads, state, params, lr) -> (updates, new_state)`` on float64 arrays,
    the state under torch's names. Eager, not compiled: each operation rounds on its own, as the
    course's other implementations of the rule do (a compiled update fuses multiply-adds)."""
    if isinstance(entry.optax, str):
        raise NotImplementedError(entry.optax)
    try:
        import jax
        import jax.numpy as jnp
        import optax
    except ImportError as e:
        raise ImportError(f"{entry.label} runs on Optax: pip install 'descent[optax]' ({e})") from e

    jax.config.update("jax_enable_x64", True)  # float64, like the other backends
    form = entry.optax
    names = {**TORCH_NAMES, **form.renames}
    made = {hp["lr"]: form.build(optax, hp)}  # fails now, not at the first step, if Optax cannot

    def step(grads: np.ndarray, state: OptimizerState, params: np.ndarray, lr: float):
        if lr not in made:
            made.clear()  # a schedule's rates: keep only the latest
            made[lr] = form.build(optax, {**hp, "lr": lr})
        transform = made[lr]
        p = jnp.asarray(params, dtype=jnp.float64)
        g = jnp.asarray(grads, dtype=jnp.float64)
        updates, new_state = transform.update(g, _unflatten(jax, transform.init(p), state, names), p)
        updates = np.asarray(updates, dtype=np.float64)
        named = _flatten(jax, new_state, names, form.fixed)
        if form.derived is not None:
            named.update(form.derived(named, np.asarray(params, dtype=np.float64) + updates, hp))
        return updates, named

    return step


def native_init(entry: OptimizerEntry, hp: Mapping[str, float], params: np.ndarray) -> OptimizerState:
    """Optax's own initial state for the entry, under torch's names (for comparing with torch's)."""
    if isinstance(entry.optax, str):
        raise NotImplementedError(entry.optax)
    import jax
    import jax.numpy as jnp
    import optax

    jax.config.update("jax_enable_x64", True)
    transform = entry.optax.build(optax, hp)
    return _flatten(
        jax,
        transform.init(jnp.asarray(params, dtype=jnp.float64)),
        {**TORCH_NAMES, **entry.optax.renames},
        entry.optax.fixed,
    )


def _leaves(jax, tree):
    return jax.tree_util.tree_flatten_with_path(tree)[0]


def _leaf_name(path, names: Mapping[str, str]) -> str:
    last = path[-1]
    key = getattr(last, "name", None) or str(getattr(last, "key", getattr(last, "idx", last)))
    return names.get(key, key)


def _flatten(jax, opt_state, names: Mapping[str, str], fixed=frozenset()) -> OptimizerState:
    """Optax's state as named float64 arrays (torch's names); leaves that carry no data, and the
    ``fixed`` ones (constants, not state), skip."""
    named = {}
    for path, leaf in _leaves(jax, opt_state):
        key = _leaf_name(path, names)
        if key in fixed:
            continue
        if key in named:
            raise ValueError(f"two Optax state leaves map to {key!r}")
        named[key] = np.asarray(leaf, dtype=np.float64)
    return named


def _unflatten(jax, template, state: OptimizerState, names: Mapping[str, str]):
    """Optax's state from named arrays, with a fresh state giving its structure and every leaf the
    named state lacks (torch makes momentum's buffer only at the first step; Optax starts it at 0)."""
    values = [
        np.asarray(state[key], dtype=np.asarray(leaf).dtype)
        if (key := _leaf_name(path, names)) in state
        else leaf
        for path, leaf in _leaves(jax, template)
    ]
    return jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(template), values)
