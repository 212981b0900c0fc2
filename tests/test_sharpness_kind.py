"""Sharpness runs as a kind of data: their fields checked, produced the same every time, and the
stored sharpness is the full Hessian's top eigenvalue at the stored weights, whose loss is the
training's."""

from __future__ import annotations

import io
import types

import numpy as np
import pytest
import torch
from demo_lesson import network, planned

from descent.arrays import load_npz
from descent.curvature import flat_loss, full_hessian
from descent.kinds.sharpness import KIND as SHARPNESS
from descent.lesson_spec import SpecError, read_lesson
from descent.networks import make_mlp

RUN = {**network(hidden=[5], activation="tanh", optimizer="sgd", hyperparameters={"lr": 2.0}, epochs=40),
       "every": 10, "lanczos": 30}  # fmt: skip


def read(run):
    module = types.ModuleType("lessons.tiny")
    module.__file__ = "lessons/tiny.py"
    module.LESSON = {"slug": "tiny", "title": "Tiny", "page": "lessons/tiny.md"}
    module.LESSON["sharpness_runs"] = {"gd": run}
    return read_lesson(module)


def test_the_stored_sharpness_is_the_full_hessian_s_top_eigenvalue_at_the_stored_weights():
    (artifact,) = read(RUN).artifacts
    files = SHARPNESS.produce(planned("sharpness", artifact.recipe), [])
    assert files == SHARPNESS.produce(planned("sharpness", artifact.recipe), [])
    a = load_npz(io.BytesIO(files["sharpness.npz"]))
    assert list(a["measured_steps"]) == [0, 10, 20, 30, 40]
    model = make_mlp([5], "tanh", 0)
    x, y = torch.tensor(a["x_train"]), torch.tensor(a["y_train"])

    def bce(logits, target):
        return torch.nn.functional.binary_cross_entropy_with_logits(logits[:, 0], target)

    f = flat_loss(model, x, y, bce)
    for step, w, top in zip(a["measured_steps"], a["weights"], a["sharpness"], strict=True):
        theta = torch.tensor(w)
        # Full-batch: the weights after ``step`` steps are those of epoch ``step``.
        assert f(theta).item() == pytest.approx(a["loss_train"][step], rel=1e-12)
        exact = torch.linalg.eigvalsh(full_hessian(f, theta))[-1].item()
        assert top == pytest.approx(exact, rel=1e-8)
    assert np.ptp(a["sharpness"]) > 0  # training moves it


@pytest.mark.parametrize(("change", "field"), [({"every": 0}, "every"), ({"lanczos": 1}, "lanczos"),
                                               ({"depth": 3}, "depth")])  # fmt: skip
def test_a_bad_field_is_named(change, field):
    with pytest.raises(SpecError) as caught:
        read({**RUN, **change})
    assert caught.value.field == f"sharpness_runs.gd.{field}"


def test_adam_s_preconditioned_sharpness_is_the_top_eigenvalue_of_p_inverse_h_from_its_moments():
    """With the squared error and Adam: the stored second moments are torch's own after that many
    steps, and the preconditioned sharpness is the largest eigenvalue of P⁻¹H, formed in full."""
    run = {**RUN, "optimizer": "adam", "hyperparameters": {"lr": 0.05}, "loss": "mse"}
    (artifact,) = read(run).artifacts
    a = load_npz(io.BytesIO(SHARPNESS.produce(planned("sharpness", artifact.recipe), [])["sharpness.npz"]))
    x, y = torch.tensor(a["x_train"]), torch.tensor(a["y_train"])
    # Adam again, by hand, for its moments after 10 steps.
    model = make_mlp([5], "tanh", 0)
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(10):
        opt.zero_grad()
        torch.mean((model(x)[:, 0] - y) ** 2).backward()
        opt.step()
    named = sorted(model.named_parameters())
    v = torch.cat([opt.state[p]["exp_avg_sq"].reshape(-1) for _, p in named]).numpy()
    np.testing.assert_array_equal(a["exp_avg_sq"][1], v)

    f = flat_loss(make_mlp([5], "tanh", 0), x, y, lambda out, t: torch.mean((out[:, 0] - t) ** 2))
    assert np.isnan(a["preconditioned_sharpness"][0])  # no preconditioner before the first step
    for step, w, v_k, top in zip(
        a["measured_steps"][1:], a["weights"][1:], a["exp_avg_sq"][1:], a["preconditioned_sharpness"][1:],
        strict=True,
    ):  # fmt: skip
        p = (1 - 0.9**step) * (np.sqrt(v_k / (1 - 0.999**step)) + 1e-8)
        h = full_hessian(f, torch.tensor(w)).numpy()
        exact = np.max(np.linalg.eigvals(h / p[:, None]).real)  # P⁻¹H, not symmetric
        assert top == pytest.approx(exact, rel=1e-6)
        assert f(torch.tensor(w)).item() == pytest.approx(a["loss_train"][step], rel=1e-12)
