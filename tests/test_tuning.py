"""The fair-comparison protocol (``descent.tuning``) and its batched trials (``descent.trials``):
quasi-random draws cover the search space, the median rule with infinities, performance profiles on
hand-made tables, and trials stepped together equal each trial run alone."""

import math
import types

import numpy as np
import pytest
import torch

from descent.lesson_spec import SpecError, read_lesson
from descent.networks import train
from descent.optim import OPTIMIZERS
from descent.optim.protocol import Hyperparameter, Interval
from descent.optim.torch_backend import torch_optimizer
from descent.surfaces import get_surface
from descent.trajectory import ends_run
from descent.trials import network_losses, surface_losses
from descent.tuning import (
    Dimension,
    SearchSpace,
    draw_trials,
    first_at_target,
    median_score,
    performance_profile,
    ratios,
    search_space,
)

INF = math.inf


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One torch thread, as build workers run: tiny batched products are slower on two."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


# ---------- the search space comes from the registry ----------


@pytest.mark.parametrize(
    "name, full, lr_only_fixed",
    [
        ("sgd", {"lr"}, {}),
        ("momentum", {"lr", "momentum"}, {"momentum": 0.9, "dampening": 0.0}),
        ("nesterov", {"lr", "momentum"}, {"momentum": 0.9}),
        ("adagrad", {"lr", "eps"}, {"lr_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10}),
        ("rmsprop", {"lr", "eps"}, {"alpha": 0.99, "eps": 1e-8}),
        ("adam", {"lr", "beta1", "beta2", "eps"}, {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}),
        (
            "adamw",
            {"lr", "beta1", "beta2", "eps"},
            {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
        ),
    ],
)
def test_every_ranged_hyperparameter_is_searched_and_the_rest_keep_their_defaults(name, full, lr_only_fixed):
    hps = OPTIMIZERS[name].hyperparameters
    space = search_space(hps, "full")
    assert {d.name for d in space.dimensions} == full
    assert set(space.fixed) == set(hps) - full
    lr_only = search_space(hps, "lr")
    assert [d.name for d in lr_only.dimensions] == ["lr"]
    assert lr_only.fixed == lr_only_fixed


def test_a_search_space_needs_a_learning_rate_range_and_defaults_for_the_rest():
    with pytest.raises(ValueError, match="learning rate"):
        search_space({"lr": Hyperparameter(None, Interval(0.0), "η", "Learning rate")}, "full")
    with pytest.raises(ValueError, match="neither a range nor a default"):
        search_space(
            {
                "lr": Hyperparameter(None, Interval(0.0), "η", "Learning rate", (1e-3, 1.0), "log"),
                "k": Hyperparameter(None, Interval(0.0), "k", "K"),
            },
            "full",
        )
    with pytest.raises(ValueError, match="unknown tuning mode"):
        search_space(OPTIMIZERS["sgd"].hyperparameters, "grid")


# ---------- quasi-random draws ----------


@pytest.mark.parametrize(
    "dimension, u, expected",
    [
        (Dimension("lr", 1e-4, 10.0, "log"), [0.0, 0.2, 1.0], [1e-4, 1e-3, 10.0]),
        (Dimension("beta1", 0.0, 0.99, "linear"), [0.0, 0.5, 1.0], [0.0, 0.495, 0.99]),
        (Dimension("beta2", 0.9, 0.9999, "log1m"), [0.0, 1 / 3, 2 / 3, 1.0], [0.9, 0.99, 0.999, 0.9999]),
    ],
)
def test_points_of_the_unit_interval_land_evenly_on_each_scale(dimension, u, expected):
    np.testing.assert_allclose(dimension.place(np.array(u)), expected, rtol=1e-12)


def test_scrambled_sobol_draws_cover_every_stratum_of_the_space_and_depend_on_the_seed():
    space = search_space(OPTIMIZERS["adam"].hyperparameters, "full")
    trials = draw_trials(space, 64, seed=3)
    dims = {d.name: d for d in space.dimensions}
    for name, d in dims.items():
        values = np.array([t[name] for t in trials])
        assert np.all((values >= d.low) & (values <= d.high)), name
        # Back to [0, 1) by the scale: 64 Sobol points put exactly one in each 64th of every axis.
        if d.scale == "log":
            u = np.log(values / d.low) / np.log(d.high / d.low)
        elif d.scale == "log1m":
            u = np.log1p(-values) - np.log1p(-d.low)
            u /= np.log1p(-d.high) - np.log1p(-d.low)
        else:
            u = (values - d.low) / (d.high - d.low)
        assert sorted(np.floor(u * 64).astype(int)) == list(range(64)), name
    assert all(t["eps"] != o["eps"] for t, o in zip(trials, draw_trials(space, 64, seed=4), strict=True))
    assert draw_trials(space, 64, seed=3) == trials
    assert all(set(t) == set(OPTIMIZERS["adam"].hyperparameters) for t in trials)


def test_a_search_space_survives_its_recipe():
    space = search_space(OPTIMIZERS["adamw"].hyperparameters, "full")
    assert SearchSpace.from_recipe(space.to_recipe()) == space


@pytest.mark.parametrize(
    "dimension, message",
    [
        (("lr", 0.0, 1.0, "log"), "above 0"),
        (("beta2", 0.5, 1.0, "log1m"), "below 1"),
        (("lr", 1.0, 0.1, "log"), "low < high"),
        (("lr", 0.1, 1.0, "cubic"), "unknown scale"),
    ],
)
def test_a_range_that_cannot_be_searched_is_refused(dimension, message):
    with pytest.raises(ValueError, match=message):
        Dimension(*dimension)


# ---------- steps to the target and the median rule ----------


def test_steps_to_the_target_count_the_first_step_at_or_below_it():
    losses = np.array(
        [
            [1.0, 0.5, 0.1, 0.3, 0.05],  # reaches 0.1 after 2 steps (and leaves again)
            [1.0, 0.9, 0.8, 0.7, 0.6],  # never
            [1.0, 0.5, np.inf, np.inf, np.inf],  # diverged before
            [1.0, np.nan, 0.0, 0.0, 0.0],  # NaN never counts; then reached
        ]
    )
    np.testing.assert_array_equal(first_at_target(losses, 0.1), [2, INF, INF, 2])


@pytest.mark.parametrize(
    "steps, score",
    [
        ([[5, 9], [7, 3], [8, 8]], 5),  # fastest per study 5, 3, 8: median 5
        ([[INF, INF], [4, INF], [6, 10]], 6),  # inf, 4, 6: the middle is 6
        ([[INF, INF], [4, INF], [INF, INF]], INF),  # one study of three reaches it: not enough
        ([[2], [INF]], INF),  # an even count: the mean of the middle two, infinite if one is
        ([[2], [6]], 4),
        ([[3]], 3),
    ],
)
def test_the_score_is_the_median_over_studies_of_the_fastest_trial_with_infinity_on_top(steps, score):
    assert median_score(np.array(steps, dtype=float)) == score


def test_a_nan_step_count_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        median_score(np.array([[np.nan, 3.0]]))


# ---------- performance profiles on hand-made tables ----------


def test_a_performance_profile_of_a_hand_made_table():
    nan = np.nan
    # problems x optimizers A, B, C; C does not apply to the third problem; nobody solves the fourth.
    scores = np.array(
        [
            [10, 20, 40],
            [30, 15, INF],
            [5, 5, nan],
            [INF, INF, INF],
        ]
    )
    r = ratios(scores)
    np.testing.assert_array_equal(r[:3], [[1, 2, 4], [2, 1, INF], [1, 1, nan]])
    assert np.isinf(r[3]).all()
    profile = performance_profile(scores, [1, 2, 4, 100])
    np.testing.assert_allclose(profile[0], [2 / 4, 4 / 4 - 1 / 4, 3 / 4, 3 / 4])  # A: 1, 2, 1, inf
    np.testing.assert_allclose(profile[1], [2 / 4, 3 / 4, 3 / 4, 3 / 4])  # B: 2, 1, 1, inf
    np.testing.assert_allclose(profile[2], [0, 0, 1 / 3, 1 / 3])  # C on its three problems: 4, inf, inf


def test_a_profile_needs_every_optimizer_to_apply_somewhere_and_no_zero_steps():
    with pytest.raises(ValueError, match="apply"):
        performance_profile(np.array([[1.0, np.nan]]), [1.0])
    with pytest.raises(ValueError, match="below the starting loss"):
        ratios(np.array([[0.0, 3.0]]))


# ---------- trials stepped together equal each trial alone ----------


def alone_on_surface(surface, name, hp, start, steps):
    """One trial as a reader would run it: its own parameter, its own torch optimizer."""
    p = torch.nn.Parameter(torch.tensor(start, dtype=torch.float64))
    opt = torch_optimizer(OPTIMIZERS[name], [p], hp)
    losses = [float(surface.value(p.detach().numpy()))]
    for _ in range(steps):
        p.grad = torch.tensor(surface.grad(p.detach().numpy()))
        opt.step()
        x = p.detach().numpy()
        loss = float(surface.value(x))
        if ends_run(surface, x, loss):  # the course's rule for a run that diverged
            break
        losses.append(loss)
    return np.array(losses)


@pytest.mark.parametrize("name", [n for n, e in OPTIMIZERS.items() if not e.matrices_only])
@pytest.mark.parametrize("surface", ["rosenbrock", "rotated_ravine"])
def test_trials_stepped_together_on_a_surface_equal_each_trial_alone(name, surface):
    s = get_surface(surface)
    settings = draw_trials(search_space(OPTIMIZERS[name].hyperparameters, "full"), 12, seed=0)
    together = surface_losses(s, OPTIMIZERS[name], settings, [-1.5, 1.5], 150)
    assert together.shape == (12, 151)
    for t, hp in enumerate(settings):
        alone = alone_on_surface(s, name, hp, [-1.5, 1.5], 150)
        # numpy evaluates a surface on many points with other instructions than on one: the
        # last bit of a loss may differ, nothing more.
        np.testing.assert_allclose(together[t, : len(alone)], alone, rtol=1e-12, atol=0)
        assert np.isinf(together[t, len(alone) :]).all()


NET = {"dataset": "moons", "samples": 120, "noise": 0.1, "seed": 0, "hidden": [6, 5], "activation": "tanh"}


def test_an_optimizer_of_matrices_on_a_surface_or_a_one_layer_network_is_refused_with_the_way_out():
    muon = OPTIMIZERS["muon"]
    settings = draw_trials(search_space(muon.hyperparameters, "full"), 2, seed=0)
    with pytest.raises(ValueError, match="skip"):
        surface_losses(get_surface("ravine"), muon, settings, [-1.5, 1.5], 5)
    with pytest.raises(ValueError, match="one hidden layer"):
        network_losses({**NET, "hidden": [6]}, muon, settings, 5)


@pytest.mark.parametrize("name", ["sgd", "nesterov", "adagrad", "adamw", "muon", "lion"])
def test_trials_stepped_together_on_a_network_equal_the_course_s_own_training(name):
    # Rates up to 0.1, where training is steady: at larger ones a run can turn chaotic, and any
    # two ways of rounding part after a few steps, whatever runs them.
    full = search_space(OPTIMIZERS[name].hyperparameters, "full")
    steady = SearchSpace(
        tuple(Dimension("lr", 1e-3, 0.1, "log") if d.name == "lr" else d for d in full.dimensions), full.fixed
    )
    settings = draw_trials(steady, 5, seed=1)
    together = network_losses(NET, OPTIMIZERS[name], settings, 30)
    for t, hp in enumerate(settings):
        alone = network_losses(NET, OPTIMIZERS[name], [hp], 30)[0]
        trained = train({**NET, "optimizer": name, "hyperparameters": hp, "epochs": 30, "record": [0]})
        reference = trained.arrays["loss_train"]  # full batch: the loss after each epoch's one step
        finite = np.isfinite(together[t])
        # A batch's size and nn.Linear's matrix product change the last bits of a step: rounding.
        np.testing.assert_allclose(together[t], alone, rtol=1e-12, atol=0)  # the other trials
        np.testing.assert_allclose(together[t][finite], reference[finite], rtol=1e-12, atol=0)
        assert finite.all()


# ---------- a tuning study in a lesson spec ----------

STUDY = {
    "problem": {"surface": "ravine", "start": [-2.5, 1.5]},
    "steps": 50,
    "target": 1e-3,
    "optimizers": ["sgd", "adam"],
    "trials": 4,
    "seeds": [0, 1, 2],
}


def study_lesson(**change):
    module = types.ModuleType("lessons.tuned")
    module.__file__ = "lessons/tuned.py"
    module.LESSON = {
        "slug": "tuned",
        "title": "Tuned",
        "page": "lessons/tuned.md",
        "tunings": {"study": {**STUDY, **change}},
    }
    return module


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"target": 500.0}, "tunings.study.target", "below the loss at the start"),
        ({"optimizers": ["sgd", "banana"]}, "tunings.study.optimizers", "unknown optimizer"),
        ({"optimizers": ["sgd", "sgd"]}, "tunings.study.optimizers", "distinct"),
        ({"seeds": []}, "tunings.study.seeds", "non-empty"),
        ({"trials": 0}, "tunings.study.trials", "whole number"),
        ({"skip": {"momentum": "why"}}, "tunings.study.skip.momentum", "names no optimizer"),
        ({"skip": {"sgd": ""}}, "tunings.study.skip.sgd", "must say why"),
        ({"skip": {"sgd": "a", "adam": "b"}}, "tunings.study.skip", "leaves no optimizer"),
        ({"problem": {"network": {"dataset": "moons"}}}, "tunings.study.problem.network.noise", "missing"),
        ({"problem": {"surface": "ravine"}}, "tunings.study.problem.start", "missing"),
    ],
)
def test_a_malformed_tuning_study_names_its_field(change, field, message):
    with pytest.raises(SpecError) as error:
        read_lesson(study_lesson(**change))
    assert error.value.source == "lessons/tuned.py"
    assert error.value.field == field
    assert message in error.value.message


def test_a_study_s_recipe_states_each_optimizer_s_search_space_and_what_it_skips():
    (artifact,) = read_lesson(study_lesson(skip={"sgd": "not this time"})).artifacts
    assert artifact.recipe["skip"] == {"sgd": "not this time"}
    adam = artifact.recipe["space"]["full"]["adam"]
    assert [d["name"] for d in adam["search"]] == ["lr", "beta1", "beta2", "eps"]  # the registry's order
    assert adam["search"][2] == {"name": "beta2", "low": 0.5, "high": 0.9999, "scale": "log1m"}
    assert artifact.recipe["space"]["lr"]["adam"]["fixed"] == {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


# ---------- the figures show an optimizer that does not apply as such ----------


def hand_made_study(problem, scores, skip):
    from descent.arrays import StoredArrays

    names = ["sgd", "adam"]
    arrays = {"optimizers": np.array(names), "target": np.array(0.01)}
    for mode in ("full", "lr"):
        arrays[f"{mode}.scores"] = np.array(
            [np.nan if n in skip else s for n, s in zip(names, scores, strict=True)]
        )
    return StoredArrays(arrays, {"problem": problem, "skip": skip, "optimizers": names})


def test_the_figures_mark_an_optimizer_that_does_not_apply_and_draw_each_in_its_registry_style():
    from descent.figures import performance_profiles, tuning_scores
    from descent.optim import style_of

    net = {"network": {"dataset": "moons", "hidden": [8, 8], "activation": "tanh"}}
    studies = [
        hand_made_study({"surface": "ravine", "start": [0, 1]}, [40.0, 10.0], {"adam": "not on a surface"}),
        hand_made_study(net, [INF, 20.0], {}),
    ]
    table, _ = tuning_scores.build({}, studies)
    full = table.data[0]
    assert full.text[1][0] == "does not apply" and full.customdata[1][0] == "not on a surface"
    assert full.text[0][1] == "not reached" and full.text[0][0] == "40"
    assert list(full.x) == ["Ravine<br>L ≤ 0.01", "moons, 2×8 tanh<br>L ≤ 0.01"]
    profiles, _ = performance_profiles.build({}, studies)
    adam = next(t for t in profiles.data if t.legendgroup == "adam" and t.showlegend)
    assert adam.name == "Adam (applies to 1 of 2 problems)"
    assert adam.line.color == style_of("adam").colour and adam.marker.symbol == style_of("adam").marker
    assert float(np.asarray(adam.y)[0]) == 1.0  # the only problem it applies to, it wins


def test_an_optimizer_that_refuses_a_problem_s_parameters_says_to_skip_it():
    from descent.optim import own_entry

    # torch's Muon takes 2-D parameters only (labelled apart from the registry's own muon)
    muon = own_entry(torch.optim.Muon, "torch.optim.Muon")
    with pytest.raises(
        ValueError, match=r"torch.optim.Muon does not take parameters of shapes \[\(2,\)\].*skip"
    ):
        surface_losses(get_surface("ravine"), muon, [{"lr": 0.01}], [1.0, 1.0], 3)
