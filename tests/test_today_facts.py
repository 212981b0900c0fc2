"""The facts the lesson on the optimizers of today teaches, checked on the data a reader downloads
from the built site, and the numbers its page states, recomputed from it.

Nothing here imports a figure builder: Muon's update is recovered from the weights by the page's
formula written again, Schedule-Free's average is taken again from its iterates, and the best
run of each grid is chosen again by the page's rule."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from test_lesson_facts import figure_inputs
from test_training_facts import PAGES, page_says

pytestmark = pytest.mark.slow

SLUG = "optimizers-today"
BAND = (0.67, 1.21)  # where the page says five Newton–Schulz steps put a singular value
SMALLEST = 2e-3  # ... of at least this share of the momentum's Frobenius norm
TARGET = 0.01  # the page's target training loss for Muon against AdamW


def figure(site, name: str) -> dict[str, dict]:
    """Each input run of figure ``name``: its recipe and its arrays."""
    return figure_inputs(site, f"{SLUG}/{name}")


def table_row(section: str, label: str) -> list[str]:
    """The cells after ``label`` in the table row that starts with it, in the page's section
    headed ``section``."""
    text = (PAGES / f"{SLUG}.md").read_text()
    (body,) = [part for part in text.split("\n## ") if part.startswith(section + "\n")]
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == label:
            return cells[1:]
    raise AssertionError(f"{SLUG}.md: the section {section!r} has no table row {label!r}")


def two_digits(value: float) -> str:
    return f"{value:#.2g}".rstrip(".")


def slices(run: dict) -> list[slice]:
    sizes = [int(r * c) for r, c in run["parameter_shapes"]]
    ends = np.cumsum(sizes)
    return [slice(int(e - s), int(e)) for s, e in zip(sizes, ends, strict=True)]


def rate_of_each_weight(run: dict) -> np.ndarray:
    """The rate that moves each weight: Muon's on the matrices holding its buffer, AdamW's on the rest."""
    hp = run["recipe"]["hyperparameters"]
    rates = np.full(run["weights"].shape[1], hp.get("adamw_lr", hp["lr"]))
    held = run.get("state_size.momentum_buffer", np.zeros(len(slices(run))))
    for size, where in zip(held, slices(run), strict=True):
        if size:
            rates[where] = hp["lr"]
    return rates


# ---------- Lion


def test_lion_moves_every_weight_by_exactly_its_rate(built_site):
    run = figure(built_site, "update-sizes")["steps-lion"]
    assert run["recipe"]["hyperparameters"]["weight_decay"] == 0
    lr, w = run["recipe"]["hyperparameters"]["lr"], run["weights"]
    moved = np.abs(np.diff(w, axis=0))
    # Exactly lr, to the rounding of w_{t+1} - w_t (a few units in the last place of w).
    np.testing.assert_array_less(np.abs(moved - lr), 4 * np.spacing(np.abs(w[1:]) + lr))
    assert np.abs(moved / lr - 1).max() < 1e-13  # the page: "to 10^{-13}"
    page_says(SLUG, "10^{-13}")
    # On the bowl too, and it ends rocking between the minimum and points η away in each coordinate,
    # where L = 11 η².
    bowl = figure(built_site, "paths")["bowl-lion"]
    lr, p = bowl["recipe"]["hyperparameters"]["lr"], bowl["params"]
    np.testing.assert_allclose(np.abs(np.diff(p, axis=0)), lr, rtol=1e-14)
    np.testing.assert_allclose(p[-1:-11:-2], 0.0, atol=1e-14)  # steps 150, 148, ..., 142
    np.testing.assert_allclose(np.abs(p[-2:-11:-2]), lr, rtol=1e-13)  # steps 149, 147, ..., 141
    page_says(SLUG, f"{11 * lr**2:g}")


# ---------- each weight's step in units of its rate


@pytest.mark.parametrize(
    "run, label",
    [
        ("steps-adamw", "AdamW"),
        ("steps-lion", "Lion"),
        ("steps-muon", "Muon + AdamW"),
        ("steps-adafactor", "Adafactor"),
        ("steps-schedule-free-adamw", "Schedule-Free AdamW"),
    ],
)
def test_the_table_of_step_sizes_is_the_data(built_site, run, label):
    data = figure(built_site, "update-sizes")[run]
    relative = np.abs(np.diff(data["weights"], axis=0)) / rate_of_each_weight(data)
    assert relative.shape == (50, 1185)
    measured = [*np.percentile(relative, [5, 50, 95]), relative.max()]
    assert table_row("How far each step moves each weight", label) == [two_digits(v) for v in measured]


def test_adafactors_steps_are_relative_to_each_parameters_rms(built_site):
    data = figure(built_site, "update-sizes")["steps-adafactor"]
    rms = [np.sqrt(np.mean(data["weights"][0, where] ** 2)) for where in slices(data)]
    page_says(SLUG, two_digits(min(rms)), two_digits(max(rms)))


# ---------- Muon


def muon_spectra(run: dict):
    """Per step, the singular values of Muon's update of the hidden matrix, recovered from the
    weights (W_{t+1} = W_t (1 - ηλ) - η √max(1, m/n) X), and of its momentum D over ‖D‖_F, recovered
    from the buffer (B_t = μ B_{t-1} + (1 - μ) g, D = (1 - μ) g + μ B_t)."""
    hp = run["recipe"]["hyperparameters"]
    lr, decay, mu = hp["lr"], hp["weight_decay"], hp["momentum"]
    (index,) = np.flatnonzero(run["state_size.momentum_buffer"])
    m, n = (int(v) for v in run["parameter_shapes"][index])
    w = run["weights"][:, slices(run)[index]].reshape(-1, m, n)
    x = (w[:-1] * (1 - lr * decay) - w[1:]) / (lr * math.sqrt(max(1, m / n)))
    b = run["state.momentum_buffer"].reshape(-1, m, n)
    before = np.concatenate([np.zeros((1, m, n)), b[:-1]])
    g = (b - mu * before) / (1 - mu)
    d = (1 - mu) * g + mu * b
    s_d = np.linalg.svd(d, compute_uv=False)
    return np.linalg.svd(x, compute_uv=False), s_d / np.linalg.norm(d, axis=(1, 2))[:, None]


def test_muons_update_of_the_hidden_matrix_has_singular_values_in_the_band(built_site):
    run = figure(built_site, "muon-spectrum")["steps-muon"]
    s_update, s_momentum = muon_spectra(run)
    counted, inside = set(), []
    for step, (su, sd) in enumerate(zip(s_update, s_momentum, strict=True), start=1):
        k = int(np.sum(sd >= SMALLEST))
        counted.add(k)
        assert BAND[0] <= su[:k].min() and su[:k].max() <= BAND[1], (step, su[:k])
        inside += list(su[:k])
        # In the momentum those directions span more than two decades.
        assert sd[0] / sd[k - 1] > 100, step
    assert counted == {4, 5}  # "only 4 or 5 of them"
    page_says(SLUG, "0.67", "1.21", two_digits(min(inside)), f"{max(inside):.2f}")
    assert f"between {two_digits(min(inside))} and {max(inside):.2f} in the update" in " ".join(
        (PAGES / f"{SLUG}.md").read_text().split()
    )


def test_muon_steps_only_the_hidden_matrix_and_adamw_the_rest(built_site):
    run = figure(built_site, "update-sizes")["steps-muon"]
    shapes = [tuple(s) for s in run["parameter_shapes"]]
    held = run["state_size.momentum_buffer"]
    assert [shape for shape, size in zip(shapes, held, strict=True) if size] == [(32, 32)]
    # Every other parameter holds AdamW's two moments instead.
    for size, m1, m2 in zip(held, run["state_size.exp_avg"], run["state_size.exp_avg_sq"], strict=True):
        assert (size == 0) == (m1 > 0) == (m2 > 0)


# ---------- what each keeps


def numbers_held(run: dict, buffers: list[str], index: int) -> int:
    return sum(int(run[f"state_size.{b}"][index]) for b in buffers)


def test_what_each_keeps_for_a_matrix(built_site):
    runs = figure(built_site, "update-sizes")
    adafactor = runs["steps-adafactor"]
    for index, (m, n) in enumerate(adafactor["parameter_shapes"]):
        if adafactor["parameter_ndim"][index] == 2:
            assert numbers_held(adafactor, ["row_var", "col_var", "variance"], index) == m + n
        else:  # a vector keeps its full second moment
            assert numbers_held(adafactor, ["row_var", "col_var", "variance"], index) == m
    hidden = 3  # 2.weight, the 32 x 32 matrix, in sorted-name order
    assert tuple(adafactor["parameter_shapes"][hidden]) == (32, 32)
    table = {
        "AdamW (and NAdam, RAdam)": ("steps-adamw", ["exp_avg", "exp_avg_sq"], 2 * 32 * 32),
        "Lion": ("steps-lion", ["exp_avg"], 32 * 32),
        "Muon": ("steps-muon", ["momentum_buffer"], 32 * 32),
        "Adafactor": ("steps-adafactor", ["row_var", "col_var"], 32 + 32),
        "Schedule-Free AdamW": ("steps-schedule-free-adamw", ["exp_avg_sq", "z"], 2 * 32 * 32),
    }
    for label, (run, buffers, expected) in table.items():
        held = numbers_held(runs[run], buffers, hidden)
        assert held == expected, label
        # The buffers named are every per-weight buffer the optimizer holds (x aside: derived).
        per_weight = {
            k.removeprefix("state_size.")
            for k, v in runs[run].items()
            if k.startswith("state_size.") and v[hidden] > 1
        } - {"x"}
        assert per_weight == set(buffers), label
        assert table_row("What each keeps", label)[-1] == f"{held:,}", label
    # NAdam and RAdam keep Adam's two buffers (their runs on the bowl), NAdam a running product.
    bowl = figure(built_site, "paths")
    for name in ("bowl-nadam", "bowl-radam"):
        per_coordinate = {k for k, v in bowl[name].items() if k.startswith("state.") and v.shape == (150, 2)}
        assert per_coordinate == {"state.exp_avg", "state.exp_avg_sq"}, name
    assert bowl["bowl-nadam"]["state.mu_product"].shape == (150,)


# ---------- Schedule-Free


def test_schedule_free_x_is_the_weighted_average_of_the_iterates(built_site):
    run = figure(built_site, "schedule-free")["steps-schedule-free-adamw"]
    hp = run["recipe"]["hyperparameters"]
    z, x, y = run["state.z"], run["state.x"], run["weights"][1:]
    weights = np.maximum.accumulate(run["rates"]) ** hp["weight_lr_power"]
    for t in range(1, len(z) + 1):
        average = np.average(z[:t], axis=0, weights=weights[:t])
        assert np.abs(x[t - 1] - average).max() <= 1e-14 * max(1.0, np.abs(x[t - 1]).max()), t
    np.testing.assert_allclose(y, hp["beta"] * x + (1 - hp["beta"]) * z, rtol=0, atol=1e-15)
    assert len(set(run["rates"])) == 1  # a constant rate: the plain mean
    page_says(SLUG, "10^{-14}", f"{hp['beta']:g}\\, x")


# ---------- the bowl


OPTIMIZER_LABELS = {
    "bowl-adam": "Adam",
    "bowl-nadam": "NAdam",
    "bowl-radam": "RAdam",
    "bowl-adafactor": "Adafactor",
    "bowl-lion": "Lion",
    "bowl-schedule-free-adamw": "Schedule-Free AdamW",
}


def test_the_bowl_table_is_the_data(built_site):
    for name, run in figure(built_site, "paths").items():
        loss = run["loss"]
        assert len(loss) == 151 and run["recipe"]["hyperparameters"]["lr"] == 0.05
        last_ten = f"{loss[-10:].max():.2g}"
        assert table_row("On the elongated bowl", OPTIMIZER_LABELS[name]) == [f"{loss[-1]:.2g}", last_ten], (
            name
        )


def test_radam_takes_momentum_steps_while_rho_is_at_most_5(built_site):
    run = figure(built_site, "paths")["bowl-radam"]
    hp = run["recipe"]["hyperparameters"]
    b1, b2, lr = hp["beta1"], hp["beta2"], hp["lr"]
    t = np.arange(1, 151)
    momentum_step = -lr * run["state.exp_avg"] / (1 - b1**t)[:, None]
    rho_inf = 2 / (1 - b2) - 1
    rho = rho_inf - 2 * t * b2**t / (1 - b2**t)
    early = rho <= 5
    assert early.sum() == 5 and early[:5].all()  # "the first 5 steps"
    np.testing.assert_allclose(run["updates"][early], momentum_step[early], rtol=1e-12)
    assert not np.allclose(run["updates"][5], momentum_step[5])
    late = rho[~early]
    r = np.sqrt((late - 4) * (late - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * late))
    page_says(SLUG, f"{r[0]:.2g}", f"{r[-1]:.2g}", "24 runs in all")


# ---------- Muon where it applies


def steps_to(loss: np.ndarray) -> float:
    """The page's rule: the step from which the training loss stays below the target to the end."""
    above = np.flatnonzero(loss >= TARGET)
    first = above[-1] + 1 if above.size else 0
    return float(first) if first < len(loss) else math.inf


def test_muon_against_adamw_as_measured(built_site):
    runs = figure(built_site, "muon-vs-adamw")
    by_optimizer: dict[str, list[dict]] = {}
    for run in runs.values():
        assert run["recipe"]["epochs"] == 200 and "batch" not in run["recipe"]
        by_optimizer.setdefault(run["recipe"]["optimizer"], []).append(run)
    assert sorted(len(v) for v in by_optimizer.values()) == [4, 20]  # 24 runs in all
    best = {
        name: min(group, key=lambda r: (steps_to(r["loss_train"]), r["loss_train"][-1]))
        for name, group in by_optimizer.items()
    }
    adamw, muon = best["adamw"], best["muon"]
    assert adamw["recipe"]["hyperparameters"]["lr"] == 0.1
    assert (muon["recipe"]["hyperparameters"]["lr"], muon["recipe"]["hyperparameters"]["adamw_lr"]) == (
        1,
        0.3,
    )
    shown = {
        "AdamW": (adamw, r"\(\eta = 0.1\)"),
        "Muon + AdamW": (muon, r"Muon \(\eta = 1\), the rest AdamW \(\eta = 0.3\)"),
    }
    for label, (run, rates) in shown.items():
        accuracy = f"{run['acc_train'][-1]:.0%}, {run['acc_test'][-1]:.0%}"
        expected = [rates, f"{steps_to(run['loss_train']):.0f}", f"{run['loss_train'][-1]:.2g}", accuracy]
        assert table_row("Muon where it applies", label) == expected, label
    page_says(SLUG, f"after step 100, to {muon['loss_train'][100:].max():.2g}")
    # Muon's best rate is inside its grid; the rest's AdamW rate the largest tried.
    muon_rates = sorted({r["recipe"]["hyperparameters"]["lr"] for r in by_optimizer["muon"]})
    rest_rates = sorted({r["recipe"]["hyperparameters"]["adamw_lr"] for r in by_optimizer["muon"]})
    hp = muon["recipe"]["hyperparameters"]
    assert muon_rates[0] < hp["lr"] < muon_rates[-1] and hp["adamw_lr"] == rest_rates[-1]
    # At Muon's largest rate the loss reaches the target sooner, and leaves it again.
    largest = [r for r in by_optimizer["muon"] if r["recipe"]["hyperparameters"]["lr"] == muon_rates[-1]]
    first_below = min(int(np.flatnonzero(r["loss_train"] < TARGET)[0]) for r in largest)
    assert first_below < steps_to(muon["loss_train"])
    peak = max(r["loss_train"][first_below:].max() for r in largest)
    decay = muon_rates[-1] * hp["weight_decay"]
    page_says(SLUG, f"at step {first_below} with the rest at {rest_rates[-1]:g}", f"up to {peak:.1g}")
    assert decay == pytest.approx(0.3)  # "shrinks the hidden matrix by 30%"
    # With the rest at AdamW's own best rate, Muon's steps as its rate grows.
    at_adamw_best = sorted(
        (r["recipe"]["hyperparameters"]["lr"], steps_to(r["loss_train"]))
        for r in by_optimizer["muon"]
        if r["recipe"]["hyperparameters"]["adamw_lr"] == adamw["recipe"]["hyperparameters"]["lr"]
    )
    text = ", ".join(f"{s:.0f}" for _, s in at_adamw_best[:-1]) + f" and {at_adamw_best[-1][1]:.0f}"
    assert text in re.sub(r"\s+", " ", (PAGES / f"{SLUG}.md").read_text())
