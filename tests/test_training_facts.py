"""The facts the lessons on stochastic gradients and on schedules teach, checked on the data a
reader downloads from the built site, and the numbers their pages state, recomputed from it.

Nothing here imports the figure builders: every quantity is computed again from the stored runs
(samples, parameters, batches, rates), by the rule the page states."""

import re
from pathlib import Path

import numpy as np
import pytest
from page_modules import evaluate
from test_lesson_facts import downloads

pytestmark = pytest.mark.slow

PAGES = Path(__file__).resolve().parents[1] / "docs" / "lessons"


def page_says(slug: str, *numbers: str) -> None:
    """The lesson's page states each of ``numbers`` (as formatted from the data)."""
    text = re.sub(r"\s+", " ", (PAGES / f"{slug}.md").read_text())
    for number in numbers:
        assert re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text), f"{slug}.md does not say {number}"


def by_name(recipe):
    return {item["id"].split("/", 1)[1]: item["recipe"] for item in recipe["inputs"]}


def least_squares(x, y):
    return np.linalg.lstsq(np.stack([x, np.ones_like(x)], 1), y, rcond=None)[0]


def full_loss(w, x, y):
    return np.mean(0.5 * (w[..., :1] * x + w[..., 1:] - y) ** 2, axis=-1)


def sample_gradients(w, x, y):
    r = w[0] * x + w[1] - y
    return np.stack([r * x, r], 1)


# ---------- stochastic gradients and batch size ----------


def test_minibatch_gradients_spread_as_the_sampling_formula_says(built_site):
    data, recipe = downloads(built_site, "figure", "stochastic/cloud")
    x, y, w = data["cloud.x"], data["cloud.y"], data["cloud.point"]
    n = len(x)
    one = sample_gradients(w, x, y)
    sigma1 = np.sum(np.var(one, axis=0))  # one uniformly drawn sample's gradient, divisor N
    np.testing.assert_allclose(float(data["cloud.sample_variance"]), sigma1, rtol=1e-12)
    np.testing.assert_allclose(data["cloud.gradient"], one.mean(0), rtol=1e-12)
    worst = 0.0
    for b, g in zip(data["cloud.batches"], data["cloud.gradients"], strict=True):
        assert g.shape == (recipe["inputs"][0]["recipe"]["draws"], 2)
        squared = np.sum((g - g.mean(0)) ** 2, axis=1) * len(g) / (len(g) - 1)
        measured, error = squared.mean(), squared.std(ddof=1) / np.sqrt(len(g))
        formula = sigma1 * (n - b) / (b * (n - 1))
        worst = max(worst, abs(measured - formula) / error)
    assert worst <= 3, worst  # within the sampling error, at three standard errors
    assert worst <= 1.4  # what the page says


def test_each_batch_size_ends_in_a_ball_that_shrinks_with_b(built_site):
    data, recipe = downloads(built_site, "figure", "stochastic/paths")
    runs = sorted(by_name(recipe).items(), key=lambda kv: kv[1]["batch"])
    spreads = []
    for name, r in runs:
        x, y, p = data[f"{name}.x"], data[f"{name}.y"], data[f"{name}.params"]
        best = least_squares(x, y)
        # The stored batches replay the run: plain SGD on each step's batch.
        w = np.array(r["start"])
        for rows in data[f"{name}.batches"][:20]:
            g = sample_gradients(w, x[rows], y[rows]).mean(0)
            w = w - r["hyperparameters"]["lr"] * g
        np.testing.assert_allclose(w, p[20], rtol=1e-12, atol=1e-14)
        spreads.append(float(np.mean(np.sum((p[-100:] - best) ** 2, axis=1))))
    assert all(a > b for a, b in zip(spreads, spreads[1:], strict=False)), spreads
    assert spreads[-1] < 1e-12  # the whole set: gradient descent, which settles at the minimum
    page_says("stochastic", *(f"{s:.2g}" for s in spreads[:-1]))


def test_the_ball_grows_with_eta_over_b(built_site):
    data, recipe = downloads(built_site, "figure", "stochastic/ball")
    xs, ys = [], []
    for name, r in by_name(recipe).items():
        x, y, p = data[f"{name}.x"], data[f"{name}.y"], data[f"{name}.params"]
        n, b, lr = len(x), r["batch"], r["hyperparameters"]["lr"]
        best = least_squares(x, y)
        np.testing.assert_allclose(p[0], best, atol=1e-8)  # started at the minimum
        tail = p[(len(p) - 1) // 6 + 1 :]
        xs.append(np.log(lr / b * (n - b) / (n - 1)))
        ys.append(np.log(np.mean(np.sum((tail - best) ** 2, axis=1))))
    assert len(xs) == 12
    slope = np.polyfit(xs, ys, 1)[0]
    assert abs(slope - 1) < 0.1, slope
    page_says("stochastic", f"{slope:.2f}")


def test_steps_to_target_never_rise_with_b_and_flatten_past_the_noise_scale(built_site):
    data, recipe = downloads(built_site, "figure", "stochastic/scaling")
    (r,) = by_name(recipe).values()
    x, y = data["scaling.x"], data["scaling.y"]
    start, best = np.array(r["start"]), least_squares(x, y)
    floor, at_start = full_loss(best, x, y), full_loss(start, x, y)
    np.testing.assert_allclose(
        float(data["scaling.target"]), floor + r["share"] * (at_start - floor), rtol=1e-12
    )

    def noise_scale(w):
        g = sample_gradients(w, x, y)
        return np.sum(np.var(g, axis=0)) / np.sum(g.mean(0) ** 2)

    b_noise_start = noise_scale(start)
    b_noise = noise_scale(best + np.sqrt(r["share"]) * (start - best))
    np.testing.assert_allclose(float(data["scaling.noise_scale_target"]), b_noise, rtol=1e-9)

    steps = data["scaling.steps"].astype(float)  # [batch sizes, rates, seeds]
    assert steps.shape == (len(r["batches"]), len(r["rates"]), r["seeds"])
    steps[steps < 0] = np.inf
    fewest = steps.mean(axis=2).min(axis=1)
    assert np.all(np.isfinite(fewest)) and np.all(np.diff(fewest) <= 0), fewest
    b = np.array(r["batches"], dtype=float)
    (s_min, slope), *_ = np.linalg.lstsq(np.stack([np.ones_like(b), 1 / b], 1), fewest, rcond=None)
    b_crit = slope / s_min
    # What the figure draws is what the data stores.
    np.testing.assert_allclose(data["scaling.fewest_steps"], fewest, rtol=1e-12)
    np.testing.assert_allclose([data["scaling.s_min"], data["scaling.b_crit"]], [s_min, b_crit], rtol=1e-9)
    assert np.all(fewest[b >= b_noise] <= 1.5 * s_min), (fewest, s_min)  # flat past B_noise
    assert np.all(fewest[b <= b_crit / 2] > 2 * s_min)  # ... and far from flat below the knee
    page_says(
        "stochastic",
        *(f"{s:g}" for s in fewest),
        f"{s_min:.1f}", f"{b_crit:.1f}", f"{b_noise:.1f}", f"{b_noise_start:.1f}", f"{b_crit / b_noise:.2f}",
    )  # fmt: skip


def test_a_tiny_network_learns_as_much_per_step_from_a_batch_and_more_per_epoch(built_site):
    data, recipe = downloads(built_site, "figure", "stochastic/network")
    nets = sorted(by_name(recipe).items(), key=lambda kv: -kv[1].get("batch", 10**9))
    final = [float(data[f"{name}.loss_train"][-1]) for name, _ in nets]
    # Smaller batches: a lower training loss after the same epochs.
    assert all(a > b for a, b in zip(final, final[1:], strict=False)), final
    at_60 = []
    for name, _ in nets:
        per_epoch = len(data[f"{name}.rates"]) // (len(data[f"{name}.loss_train"]) - 1)
        at_60.append(float(data[f"{name}.loss_train"][60 // per_epoch]))
    page_says("stochastic", *(f"{v:.2g}" for v in final), f"{min(at_60):.3f}", f"{max(at_60):.3f}")


# ---------- learning-rate schedules and warmup ----------


def schedule_runs(site):
    data, recipe = downloads(site, "figure", "schedules/schedules")
    return data, by_name(recipe)


def test_every_recorded_rate_is_the_one_torch_s_scheduler_set(built_site):
    from descent.optim.schedules import reference_rates, torch_rates

    data, runs = schedule_runs(built_site)
    cases = []
    for name, r in runs.items():
        schedule = dict(r["schedule"])
        kind = schedule.pop("name")
        lr, steps, recorded = r["hyperparameters"]["lr"], r["steps"], data[f"{name}.rates"]
        assert list(recorded) == torch_rates(kind, lr, steps, schedule), name
        same_operations = kind in ("constant", "step")
        reference = reference_rates(kind, lr, steps, schedule)
        if same_operations:
            assert reference == list(recorded), name
        np.testing.assert_allclose(reference, recorded, rtol=1e-12, atol=0)
        cases.append([kind, schedule, lr, steps, list(recorded)])
    page = evaluate(
        {"playground/schedules.js": ["rates"]},
        [c[:4] for c in cases],
        "data.map(([name, hp, lr, steps]) => rates(name, lr, steps, hp))",
    )
    for (kind, _, _, _, recorded), values in zip(cases, page, strict=True):
        if kind in ("constant", "step"):
            assert values == recorded, kind
        np.testing.assert_allclose(values, recorded, rtol=1e-12, atol=0)


def test_a_constant_rate_stalls_at_a_floor_that_decay_goes_below(built_site):
    data, runs = schedule_runs(built_site)
    ends: dict[str, list[float]] = {}
    for name, r in runs.items():
        x, y, p = data[f"{name}.x"], data[f"{name}.y"], data[f"{name}.params"]
        floor = full_loss(least_squares(x, y), x, y)
        excess = full_loss(p, x, y) - floor
        np.testing.assert_allclose(data[f"{name}.loss"] - floor, excess, rtol=1e-9, atol=1e-12)
        ends.setdefault(r["schedule"]["name"], []).append(float(excess[-50:].mean()))
    mean = {k: float(np.mean(v)) for k, v in ends.items()}
    constant = mean.pop("constant")
    assert all(v < constant / 5 for v in mean.values()), (constant, mean)
    page_says(
        "schedules", f"{constant:.2g}", *(f"{v:.2g}" for v in mean.values()),
        *(f"{round(constant / v)}×" for v in mean.values()),
    )  # fmt: skip


def test_warmup_lets_a_larger_peak_rate_train_as_measured(built_site):
    data, recipe = downloads(built_site, "figure", "schedules/warmup")
    largest: dict[str, float] = {}
    strict: dict[str, float] = {}
    for name, r in by_name(recipe).items():
        loss = data[f"{name}.loss_train"]
        kind, peak = r["schedule"]["name"], r["hyperparameters"]["lr"]
        if np.all(np.isfinite(loss)) and loss[-1] < 0.1 * loss[0]:  # the page's rule
            largest[kind] = max(largest.get(kind, 0.0), peak)
        if np.max(loss) <= loss[0]:
            strict[kind] = max(strict.get(kind, 0.0), peak)
    without, with_ = largest["cosine"], largest["warmup_cosine"]
    page_says("schedules", f"{without:.2g}", f"{with_:.2g}", f"{strict['cosine']:.2g}",
              f"{strict['warmup_cosine']:.2g}")  # fmt: skip
    factor = with_ / without
    words = {2: "twice", 3: "three times", 4: "four times", 5: "five times", 6: "six times"}
    if factor >= 1.5:
        page_says("schedules", words.get(round(factor), f"{round(factor)} times"))
