"""The facts the lesson on curvature during training teaches, checked on the data a reader
downloads from the built site, and the numbers its page states, recomputed from it.

Nothing here imports the figure builder or the build's eigensolver: the thresholds are the page's
formulas written again, and the sharpness is computed again from the downloaded weights with the
full Hessian, as a reader would."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from test_lesson_facts import figure_inputs
from test_training_facts import PAGES

from descent.datasets import make_dataset, train_size
from descent.networks import make_mlp

pytestmark = pytest.mark.slow

SECOND_HALF = 2000  # "steps 2,000–4,000": the last part of training the page reports


@pytest.fixture(scope="module")
def runs(built_site) -> dict[str, dict]:
    return figure_inputs(built_site, "curvature/sharpness")


def threshold(recipe: dict) -> float:
    """The page's stability thresholds."""
    hp, optimizer = recipe["hyperparameters"], recipe["optimizer"]
    if optimizer == "sgd":
        return 2 / hp["lr"]
    if optimizer == "momentum":
        return (2 + 2 * hp["momentum"]) / hp["lr"]
    assert optimizer == "adam"
    return (2 + 2 * hp["beta1"]) / ((1 - hp["beta1"]) * hp["lr"])


def page_text() -> str:
    return re.sub(r"\s+", " ", (PAGES / "curvature.md").read_text())


def curvature(run: dict) -> np.ndarray:
    key = "preconditioned_sharpness" if run["recipe"]["optimizer"] == "adam" else "sharpness"
    return run[key]


def share(run: dict) -> np.ndarray:
    return curvature(run) / threshold(run["recipe"])


def second_half(run: dict) -> np.ndarray:
    return share(run)[run["measured_steps"] >= SECOND_HALF]


def rises(run: dict) -> int:
    return int(np.sum(np.diff(run["loss_train"]) > 0))


def by(runs: dict, optimizer: str, loss: str = "mse") -> list[dict]:
    chosen = [r for r in runs.values() if r["recipe"]["optimizer"] == optimizer]
    chosen = [r for r in chosen if r["recipe"].get("loss", "bce") == loss]
    return sorted(chosen, key=lambda r: r["recipe"]["hyperparameters"]["lr"])


# ---------- the data is what it says ----------


def loss_at(recipe: dict, x: torch.Tensor, y: torch.Tensor):
    """The training loss as a function of the flat weights (sorted parameter names)."""
    model = make_mlp(recipe["hidden"], recipe["activation"], recipe["seed"])
    names = sorted(name for name, _ in model.named_parameters())
    shapes = [dict(model.named_parameters())[n].shape for n in names]

    def f(theta):
        parts = torch.split(theta, [s.numel() for s in shapes])
        params = {n: p.reshape(s) for n, p, s in zip(names, parts, shapes, strict=True)}
        out = torch.func.functional_call(model, params, (x,))[:, 0]
        if recipe.get("loss", "bce") == "mse":
            return torch.mean((out - y) ** 2)
        return torch.nn.functional.binary_cross_entropy_with_logits(out, y)

    return f


def test_the_data_set_comes_back_from_its_seed(runs):
    for run in runs.values():
        r = run["recipe"]
        x, y = make_dataset(r["dataset"], r["samples"], r["noise"], r["seed"])
        n = train_size(r["samples"])
        np.testing.assert_array_equal(run["x_train"], x[:n])
        np.testing.assert_array_equal(run["y_train"], y[:n])


def test_the_stored_sharpness_is_the_full_hessian_s_largest_eigenvalue_at_the_stored_weights(runs):
    """At two measured steps of every run (the middle and the last): the weights give the stored
    training loss, and the largest eigenvalue of the full Hessian there (of P^(-1/2) H P^(-1/2)
    for Adam, P from its stored second moments) is the stored value, to 1e-9 relative."""
    worst = 0.0
    for run in runs.values():
        r = run["recipe"]
        f = loss_at(r, torch.tensor(run["x_train"]), torch.tensor(run["y_train"]))
        steps = run["measured_steps"]
        for i in (len(steps) // 2, len(steps) - 1):
            theta = torch.tensor(run["weights"][i])
            assert f(theta).item() == pytest.approx(run["loss_train"][steps[i]], rel=1e-12)
            h = torch.func.hessian(f)(theta).numpy()
            if r["optimizer"] == "adam":
                hp, t = r["hyperparameters"], steps[i]
                v = run["exp_avg_sq"][i]
                p = (1 - hp["beta1"] ** t) * (np.sqrt(v / (1 - hp["beta2"] ** t)) + hp["eps"])
                h = h / np.sqrt(p)[:, None] / np.sqrt(p)[None, :]
            exact = np.linalg.eigvalsh(h)[-1]
            worst = max(worst, abs(curvature(run)[i] / exact - 1))
    assert worst < 1e-9, worst


# ---------- what the page teaches ----------


def test_gradient_descent_sharpens_to_its_edge_and_stays_there_unless_the_rate_is_small(runs):
    gd = by(runs, "sgd")
    assert [r["recipe"]["hyperparameters"]["lr"] for r in gd] == [0.05, 0.1, 0.2, 0.25]
    first = gd[0]["sharpness"][0]
    for run in gd:
        assert run["sharpness"][0] == first  # the same initial weights
    for run in gd[:3]:  # progressive sharpening, where the start is below the edge
        assert np.max(run["sharpness"]) > 1.5 * first
    small, *edge = gd
    assert np.max(share(small)) < 0.6 and rises(small) == 0
    for run in edge:
        assert np.max(share(run)) >= 1.0
        band = second_half(run)
        assert band.min() >= 0.95 and band.max() <= 1.0, band
        loss = run["loss_train"]
        assert rises(run) > 0 and loss[-1] < loss[SECOND_HALF] < loss[0]
    final = [run["loss_train"][-1] for run in gd]
    assert final == sorted(final, reverse=True), "ends lower the larger the rate"
    assert share(gd[-1])[0] > 1, "the largest rate starts past the edge"


def test_with_cross_entropy_the_sharpness_falls_and_never_reaches_the_edge(runs):
    (run,) = by(runs, "sgd", "bce")
    assert np.max(share(run)) < 0.6
    assert second_half(run).max() < 0.15
    assert rises(run) == 0


def test_momentum_reaches_its_threshold_and_falls_back_to_about_half(runs):
    for run in by(runs, "momentum"):
        s = share(run)
        assert np.max(s) >= 1.0
        falls = [(a, b) for a, b in zip(s[:-1], s[1:], strict=True) if a >= 1.0 and b <= 0.65]
        assert falls, "no fall from the threshold to half of it within one measurement"
        a, b = max(falls, key=lambda fall: fall[0] - fall[1])
        assert f"from {a:.2f} to {b:.2f}" in page_text()


def test_adam_s_preconditioned_sharpness_rises_to_its_threshold_and_hovers(runs):
    adam = by(runs, "adam")
    assert [r["recipe"]["hyperparameters"]["lr"] for r in adam] == [0.003, 0.01, 0.03]
    for run in adam:
        assert np.isnan(run["preconditioned_sharpness"][0])  # no preconditioner before a step
        assert np.nanmax(share(run)) >= 1.0
        loss = run["loss_train"]
        assert rises(run) > 100 and loss[-1] * 5 < loss[SECOND_HALF]
    for run in adam[:2]:
        band = second_half(run)
        assert band.min() >= 0.8 and band.max() <= 1.05, band
    last = adam[2]
    steps, s = last["measured_steps"], share(last)
    drop = int(np.argmax((s[:-1] > 0.95) & (s[1:] < 0.6)))
    assert drop > 0 and steps[drop] == 3560
    assert np.all(s[(steps >= SECOND_HALF) & (steps <= 3560)] >= 0.85)


def significant(x: float) -> str:
    """A number as the page writes the loss: three significant digits, positional."""
    return np.format_float_positional(x, precision=3, unique=True, fractional=False, trim="-")


def test_the_page_states_the_measured_numbers(runs):
    text = page_text()
    names = {"sgd": ("GD", "2/\\eta"), "momentum": ("momentum 0.9", "(2 + 2\\beta)/\\eta"),
             "adam": ("Adam", "38/\\eta")}  # fmt: skip
    for run in [*by(runs, "sgd"), *by(runs, "momentum"), *by(runs, "adam")]:
        r = run["recipe"]
        who, formula = names[r["optimizer"]]
        t = threshold(r)
        t_text = f"{t:,.0f}".replace(",", "{,}") if t >= 1000 else significant(t)
        band = second_half(run)
        loss = run["loss_train"]
        row = (
            f"| {who}, \\(\\eta = {r['hyperparameters']['lr']:g}\\) | \\({formula} = {t_text}\\) "
            f"| {np.nanmax(share(run)):.2f} | {band.min():.2f}–{band.max():.2f} | {rises(run):,} "
            f"| {significant(loss[0])} → {significant(loss[SECOND_HALF])} → {significant(loss[-1])} |"
        )
        assert row in text, row
    (ce,) = by(runs, "sgd", "bce")
    band = second_half(ce)
    said = f"from {significant(ce['sharpness'][0])} to {significant(np.max(ce['sharpness']))}"
    assert f"{said} ({np.max(share(ce)):.2f} of" in text
    assert f"{band.min():.2f}–{band.max():.2f}" in text
    small = by(runs, "sgd")[0]
    start, top = significant(small["sharpness"][0]), significant(np.max(small["sharpness"]))
    assert f"from {start} at the initial weights to {top}" in text
