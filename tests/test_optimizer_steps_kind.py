"""Optimizer steps as a kind of data: the weights after every step and every state buffer the
optimizer holds, as torch holds them, with the numbers it holds for each parameter."""

from __future__ import annotations

import io
import types

import numpy as np
import pytest
import torch
from demo_lesson import network, planned

from descent.arrays import load_npz
from descent.kinds.optimizer_steps import KIND as STEPS
from descent.lesson_spec import SpecError, read_lesson
from descent.networks import make_mlp

RUN = network(
    hidden=[4, 3], activation="tanh", optimizer="adam", hyperparameters={"lr": 0.01}, epochs=3, record=[0]
)


def read(run):
    module = types.ModuleType("lessons.tiny")
    module.__file__ = "lessons/tiny.py"
    module.LESSON = {
        "slug": "tiny",
        "title": "Tiny",
        "page": "lessons/tiny.md",
        "optimizer_steps": {"adam": run},
    }
    return read_lesson(module)


def test_the_weights_and_the_state_are_torch_s_after_every_step():
    (artifact,) = read(RUN).artifacts
    files = STEPS.produce(planned("optimizer_steps", artifact.recipe), [])
    assert files == STEPS.produce(planned("optimizer_steps", artifact.recipe), [])
    a = load_npz(io.BytesIO(files["steps.npz"]))

    model = make_mlp([4, 3], "tanh", 0)
    named = sorted(model.named_parameters())
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    x, y = torch.tensor(a["x_train"]), torch.tensor(a["y_train"])
    flat = lambda tensors: torch.cat([t.detach().reshape(-1) for t in tensors]).numpy()  # noqa: E731
    np.testing.assert_array_equal(a["weights"][0], flat(p for _, p in named))
    for step in range(1, 4):
        opt.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(model(x)[:, 0], y).backward()
        opt.step()
        np.testing.assert_array_equal(a["weights"][step], flat(p for _, p in named))
        for buffer in ("exp_avg", "exp_avg_sq"):
            np.testing.assert_array_equal(
                a[f"state.{buffer}"][step - 1], flat(opt.state[p][buffer] for _, p in named)
            )
        np.testing.assert_array_equal(a["state.step"][step - 1], [step] * len(named))

    shapes = [tuple(p.shape) for _, p in named]
    assert [
        tuple(s) if d == 2 else (s[0],)
        for s, d in zip(a["parameter_shapes"], a["parameter_ndim"], strict=True)
    ] == shapes
    assert list(a["state_size.exp_avg"]) == [int(np.prod(s)) for s in shapes]  # one number per weight
    assert list(a["state_size.step"]) == [1] * len(shapes)


def test_more_than_a_thousand_steps_is_refused_naming_the_field():
    with pytest.raises(SpecError) as caught:
        read({**RUN, "epochs": 1001, "record": [0]})
    assert caught.value.field == "optimizer_steps.adam.epochs"
