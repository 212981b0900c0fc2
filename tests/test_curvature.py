"""The sharpness from Hessian-vector products and Lanczos, against facts: a quadratic whose
Hessian is known, and the full Hessian of tiny networks formed by torch.func and diagonalized."""

import numpy as np
import pytest
import torch

from descent.curvature import flat_loss, flat_parameters, full_hessian, hvp, lanczos, top_eigenvalue
from descent.datasets import make_dataset
from descent.networks import make_mlp


def test_on_a_quadratic_the_products_and_the_eigenvalues_are_the_matrix_s():
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.standard_normal((30, 30)))
    eigenvalues = np.concatenate([[7.5, 3.0], rng.uniform(-2.0, 2.0, 28)])
    a = torch.tensor(q @ np.diag(eigenvalues) @ q.T)

    def f(theta):
        return 0.5 * theta @ a @ theta

    theta, v = torch.tensor(rng.standard_normal(30)), torch.tensor(rng.standard_normal(30))
    np.testing.assert_allclose(hvp(f, theta, v).numpy(), (a @ v).numpy(), rtol=1e-12, atol=1e-12)
    values, products = lanczos(f, theta, steps=30)
    np.testing.assert_allclose(values.numpy(), np.sort(eigenvalues), atol=1e-9)
    assert products <= 30
    assert top_eigenvalue(f, theta, steps=20) == pytest.approx(7.5, rel=1e-10)


def bce(logits, y):
    return torch.nn.functional.binary_cross_entropy_with_logits(logits[:, 0], y)


def mse(out, y):
    return torch.mean((out[:, 0] - y) ** 2)


@pytest.mark.parametrize(
    ("hidden", "activation", "loss"),
    [([4], "tanh", bce), ([6, 6], "tanh", mse), ([8, 5], "relu", bce), ([5, 5, 5], "sigmoid", mse)],
)
def test_lanczos_finds_the_full_hessian_s_top_eigenvalue_on_tiny_networks(hidden, activation, loss):
    x, y = make_dataset("moons", 80, 0.1, seed=1)
    model = make_mlp(hidden, activation, seed=2)
    f = flat_loss(model, torch.tensor(x), torch.tensor(y), loss)
    theta = flat_parameters(model)
    with torch.no_grad():
        direct = float(loss(model(torch.tensor(x)), torch.tensor(y)))
    assert f(theta).item() == pytest.approx(direct, rel=1e-12)
    exact = torch.linalg.eigvalsh(full_hessian(f, theta)).numpy()
    assert exact.shape == (theta.numel(),)
    assert top_eigenvalue(f, theta, steps=40) == pytest.approx(exact[-1], rel=1e-8)
    values, _ = lanczos(f, theta, steps=theta.numel())  # the whole space: every eigenvalue
    np.testing.assert_allclose(values.numpy()[[0, -1]], exact[[0, -1]], rtol=1e-8, atol=1e-10)


def test_diverged_weights_have_a_nan_sharpness_not_an_error():
    def f(theta):
        return torch.sum(theta**4)

    assert np.isnan(top_eigenvalue(f, torch.tensor([1.0, float("inf"), 0.5])))
    assert top_eigenvalue(f, torch.tensor([1.0, 0.0, 0.5])) == pytest.approx(12.0, rel=1e-10)
