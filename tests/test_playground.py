"""The optimizer playground's numbers: the in-page surfaces and optimizers against the engine and
against real torch.optim trajectories, in a real browser.

The build exports (descent/playground.py) the torch trajectory of every setting the lessons run
on the playground's surfaces, for 200 steps, and of settings with each schedule the page offers
(torch's lr_scheduler spanning the 200 steps) and seeded gradient noise. The page's engine
(docs/javascripts/playground/engine.js), with its schedules (schedules.js) and noise (noise.js),
must follow each one to 1e-9 relative and report divergence and leaving the plotted domain at the
same steps. On a few chaotic settings no two implementations can agree for long: the build
measures, for each setting, when the engine's reference optimizer departs from its own path if
started one unit in the last place away (``sensitive_from``); there the page must keep up with
torch for at least half as long.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

import lessons.playground as playground_lesson
from descent.lesson_spec import SpecError, read_lesson
from descent.optim import OPTIMIZERS, make_optimizer
from descent.optim.schedules import SCHEDULES, resolve_schedule
from descent.playground import (
    FORMAT,
    departure,
    optimizers_json,
    playground_json,
    reference_run,
    scheduled_noisy_run,
    surface_json,
)
from descent.surfaces import get_surface
from descent.trajectory import record
from lessons.playground import SURFACES as PLAYGROUND_SURFACES

PAGE = "playground/"
API = "document.querySelector('.descent-playground').descentPlayground"


def test_departure_finds_the_first_step_beyond_the_tolerance():
    a = np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0 + 3e-9], [5.0, 5.0]])
    b = np.array([[1.0, 2.0], [1.0 + 1e-9, 2.0], [1.0, 2.0], [5.0, 5.0]])
    assert departure(a, b) == 2  # 1e-9 on a scale of 2 is within; 3e-9 is not
    assert departure(a[:2], b[:2]) == -1
    assert departure(a, b[:2]) == -1  # only the steps both have


def test_a_reference_run_is_the_torch_trajectory_and_knows_its_sensitivity():
    calm = {"surface": "bowl", "optimizer": "adam", "hyperparameters": {"lr": 0.1}, "start": [-2.5, 2.0]}
    chaotic = {
        "surface": "rastrigin",
        "optimizer": "sgd",
        "hyperparameters": {"lr": 0.081113},
        "start": [2.3, 1.7],
    }
    for setting, sensitive in ((calm, False), (chaotic, True)):
        exported = reference_run(setting, 200)
        params = np.frombuffer(base64.b64decode(exported["params"]), "<f8").reshape(-1, 2)
        optimizer = make_optimizer(setting["optimizer"], setting["hyperparameters"])
        direct = record(get_surface(setting["surface"]), optimizer, setting["start"], 200)
        assert np.array_equal(params, direct.params)
        assert (exported["sensitive_from"] >= 0) == sensitive, exported["sensitive_from"]


def decode(exported: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(exported["params"]), "<f8").reshape(-1, 2)


def test_a_reference_run_with_a_schedule_and_noise_is_torchs_and_says_where_it_left_and_stopped():
    # The saddle throws SGD off the ridge: it leaves the plot, then runs off for good.
    setting = {"surface": "saddle", "optimizer": "sgd", "hyperparameters": {"lr": 0.1}, "start": [1.4, 0.05]}
    surface = get_surface("saddle")
    for schedule, sigma, seed in (("cosine", 0.2, 4), ("warmup_cosine", 0.0, 0), ("constant", 0.3, 9)):
        exported = reference_run({**setting, "schedule": schedule, "sigma": sigma, "seed": seed}, 200)
        params = decode(exported)
        assert np.array_equal(params, scheduled_noisy_run(setting, 200, (schedule, {}), sigma, seed))
        assert (exported["schedule"], exported["sigma"], exported["seed"]) == (schedule, sigma, seed)
        # It stopped before the point that ran off, and left the plot at the step before its
        # first point outside.
        stop = exported["diverged_step"]
        assert 0 < stop == len(params) - 1 < 200, (schedule, stop)
        inside = [bool(surface.contains(p)) for p in params]
        left = exported["left_domain_step"]
        assert 0 <= left < stop and not inside[left + 1] and all(inside[: left + 1]), (schedule, left)
        assert exported["sensitive_from"] == -1
    seeds = [
        decode(reference_run({**setting, "schedule": "cosine", "sigma": 0.2, "seed": s}, 200)) for s in (4, 5)
    ]
    assert not np.array_equal(seeds[0][:20], seeds[1][:20])


def test_the_page_gets_the_schedules_it_offers_as_the_registry_holds_them():
    recipe = read_lesson(playground_lesson).artifacts[0].recipe
    published = playground_json(recipe)
    assert [s["name"] for s in published["schedules"]] == ["constant", "step", "cosine", "warmup_cosine"]
    for s in published["schedules"]:
        entry = SCHEDULES[s["name"]]
        assert s["label"] == entry.label
        defaults = {key: p["default"] for key, p in s["parameters"].items()}
        for steps in published["lengths"]:  # what the page runs is what torch's scheduler is given
            assert resolve_schedule(s["name"], {}, steps) == defaults
        for key, p in s["parameters"].items():
            assert (p["symbol"], p["label"]) == (entry.parameters[key].symbol, entry.parameters[key].label)
    assert published["lengths"][-1] == 10000 and recipe["steps"] in published["lengths"]
    assert published["noise"] == {"range": [0.01, 100.0]}
    json.dumps(published, allow_nan=False)
    # Reference runs with each schedule, with noise and without.
    noisy = [r for r in recipe["reference"] if "schedule" in r]
    assert {r["schedule"] for r in noisy} == {s["name"] for s in published["schedules"]}
    assert {r["sigma"] > 0 for r in noisy} == {True, False}


def test_the_page_gets_every_optimizer_as_the_registry_holds_it():
    # What the page reads (format 4): each optimizer's look and every hyperparameter's slider.
    assert FORMAT == 4
    published = optimizers_json()
    assert [o["name"] for o in published] == [
        "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw",
        "nadam", "radam", "adafactor", "muon", "lion", "schedule_free_adamw",
    ]  # fmt: skip
    # Muon steps weight matrices: the page lists it with the reason it cannot race on a surface.
    unavailable = {o["name"]: o["unavailable"] for o in published if "unavailable" in o}
    assert unavailable == {"muon": OPTIMIZERS["muon"].matrices_only}
    assert "vector" in unavailable["muon"] and "2-D" in unavailable["muon"]
    adam = published[5]
    assert (adam["label"], adam["colour"], adam["marker"]) == ("Adam", "#e0489e", "pentagon")
    assert adam["hyperparameters"]["beta2"] == {
        "default": 0.999, "meaning": "a number in [0, 1)", "symbol": "β₂",
        "label": adam["hyperparameters"]["beta2"]["label"], "range": [0.5, 0.9999], "scale": "log1m",
    }  # fmt: skip
    assert adam["hyperparameters"]["lr"]["default"] is None  # required: the page starts it at "initial"
    # The sliders come from the optimizers that race (Muon's own rate for AdamW is searched by a
    # tuning study, and slides nowhere).
    sliders = {
        key: (hp["range"], hp["scale"])
        for o in published if "unavailable" not in o
        for key, hp in o["hyperparameters"].items() if hp["range"] is not None
    }  # fmt: skip
    assert sliders == {
        "lr": ([1e-4, 10.0], "log"), "momentum": ([0.0, 0.99], "linear"), "beta1": ([0.0, 0.99], "linear"),
        "beta2": ([0.5, 0.9999], "log1m"), "eps": ([1e-10, 1e-2], "log"),
    }  # fmt: skip
    for o in published:
        for key, hp in o["hyperparameters"].items():
            assert hp["symbol"] and hp["label"] and hp["meaning"], (o["name"], key)
    json.dumps(published, allow_nan=False)  # plain JSON, no NaN


def test_a_bad_playground_spec_names_the_field():
    class Module:
        __file__ = "lessons/bad.py"
        LESSON = {
            "slug": "bad",
            "title": "Bad",
            "page": "bad.md",
            "playgrounds": {
                "p": {
                    "title": "P",
                    "surfaces": {"parabola": [1.0, 2.0]},
                    "grid": 32,
                    "steps": 10,
                    "reference": [],
                }
            },
        }

    with pytest.raises(SpecError, match=r"playgrounds\.p\.surfaces\.parabola: the playground draws 2-D"):
        read_lesson(Module)
    more = {"surfaces": {"bowl": [1.0, 2.0]}, "schedules": ["constant"], "lengths": [10], "noise": [0.1, 1.0]}
    Module.LESSON["playgrounds"]["p"].update(more)
    Module.LESSON["playgrounds"]["p"]["reference"] = [
        {"surface": "bowl", "optimizer": "adam", "hyperparameters": {"lr": -1}, "start": [0, 0]}
    ]
    with pytest.raises(SpecError, match=r"reference\[0\]\.hyperparameters\.lr"):
        read_lesson(Module)


GOOD = {
    "title": "P",
    "surfaces": {"bowl": [1.0, 2.0]},
    "grid": 32,
    "schedules": ["constant", "cosine"],
    "lengths": [10, 100],
    "noise": [0.1, 10.0],
    "steps": 10,
    "reference": [{"surface": "bowl", "optimizer": "sgd", "hyperparameters": {"lr": 0.1}, "start": [0, 1],
                   "schedule": "cosine", "sigma": 0.5, "seed": 3}],
}  # fmt: skip
BAD = [
    ({"schedules": ["cosine", "sawtooth"]}, r"schedules\[1\]: unknown schedule 'sawtooth'"),
    ({"schedules": []}, r"schedules: must be a list"),
    ({"schedules": ["cosine", "cosine"]}, r"schedules: must be a list of distinct"),
    ({"schedules": ["one_cycle"], "lengths": [2, 10]}, r"schedules\[0\]: does not fit a race of 2 steps"),
    ({"lengths": [100, 10]}, r"lengths: must be whole numbers from 2"),
    ({"lengths": [1, 10]}, r"lengths: must be whole numbers from 2"),
    ({"noise": [0, 10]}, r"noise: must be the range"),
    ({"noise": [10, 1]}, r"noise: must be the range"),
    ({"steps": 20}, r"steps: must be one of the lengths"),
    ({"reference[0]": {"schedule": "step"}}, r"reference\[0\]\.schedule: not one of the schedules offered"),
    ({"reference[0]": {"sigma": 0.01}}, r"reference\[0\]\.sigma: must be 0 or a number from 0.1 to 10"),
    ({"reference[0]": {"sigma": 11}}, r"reference\[0\]\.sigma"),
    ({"reference[0]": {"seed": -1}}, r"reference\[0\]\.seed: must be a whole number from 0 to 4294967295"),
    ({"reference[0]": {"seed": 2**32}}, r"reference\[0\]\.seed"),
    ({"reference[0]": {"seed": 1.5}}, r"reference\[0\]\.seed"),
    ({"reference[0]": {"noise": 1}}, r"reference\[0\]\.noise: unknown field"),
]


def playground_module(spec: dict):
    class Module:
        __file__ = "lessons/bad.py"
        LESSON = {"slug": "bad", "title": "Bad", "page": "bad.md", "playgrounds": {"p": spec}}

    return Module


@pytest.mark.parametrize("change, error", BAD, ids=[e for _, e in BAD])
def test_a_bad_schedule_length_noise_or_seed_names_the_field(change, error):
    spec = json.loads(json.dumps(GOOD))
    for key, value in change.items():
        if key == "reference[0]":
            spec["reference"][0].update(value)
        else:
            spec[key] = value
    with pytest.raises(SpecError, match=r"playgrounds\.p\." + error):
        read_lesson(playground_module(spec))


def test_a_good_spec_keeps_a_plain_settings_recipe_as_it_was():
    spec = json.loads(json.dumps(GOOD))
    spec["reference"].append(
        {"surface": "bowl", "optimizer": "sgd", "hyperparameters": {"lr": 0.1}, "start": [0, 1]}
    )
    recipe = read_lesson(playground_module(spec)).artifacts[0].recipe
    assert (recipe["schedules"], recipe["lengths"], recipe["noise"]) == (
        ["constant", "cosine"],
        [10, 100],
        [0.1, 10.0],
    )
    noisy, plain = recipe["reference"]
    assert (noisy["schedule"], noisy["sigma"], noisy["seed"]) == ("cosine", 0.5, 3)
    assert set(plain) == {"surface", "optimizer", "hyperparameters", "start"}


# In the page: every reference setting through the page's engine (the playground's, bundled with
# it), and the grid the page draws of every surface, sampled by the page's engine.
CHECK_IN_PAGE = """async ([playgroundUrl, referenceUrl]) => {
  const { engine: E, schedules: S } = document.querySelector(".descent-playground").descentPlayground;
  const playground = await (await fetch(playgroundUrl)).json();
  const reference = await (await fetch(referenceUrl)).json();
  const decode = (b64, Type) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return new Type(bytes.buffer);
  };
  const surfaces = Object.fromEntries(playground.surfaces.map((s) => [s.name, s]));
  // Each schedule at the parameters the page runs it with: the data's defaults.
  const schedules = Object.fromEntries(playground.schedules.map((s) => [s.name,
    Object.fromEntries(Object.entries(s.parameters).map(([key, p]) => [key, p.default]))]));
  const runs = reference.runs.map((ref) => {
    const torch = decode(ref.params, Float64Array);
    const rates = S.rates(ref.schedule, ref.hyperparameters.lr, reference.steps, schedules[ref.schedule]);
    const noise = ref.sigma > 0 ? { sigma: ref.sigma, seed: ref.seed } : null;
    const r = E.run(surfaces[ref.surface], ref.optimizer, ref.hyperparameters, ref.start,
                    reference.steps, playground.escape_widths, { rates, noise });
    let departs = -1;
    const n = Math.min(r.params.length, torch.length / 2);
    for (let k = 0; k < n && departs < 0; k++) {
      const [x, y] = r.params[k];
      const scale = Math.max(Math.abs(torch[2 * k]), Math.abs(torch[2 * k + 1]));
      const off = Math.max(Math.abs(x - torch[2 * k]), Math.abs(y - torch[2 * k + 1]));
      if (off > reference.tolerance * scale) departs = k;
    }
    const hp = JSON.stringify(ref.hyperparameters);
    return { setting: `${ref.surface} ${ref.optimizer} ${hp} from ${ref.start}, ${ref.schedule}, ` +
               `sigma ${ref.sigma} seed ${ref.seed}`,
             schedule: ref.schedule, sigma: ref.sigma,
             departs, sensitiveFrom: ref.sensitive_from, steps: [r.params.length - 1, torch.length / 2 - 1],
             diverged: [r.divergedStep, ref.diverged_step], left: [r.leftDomainStep, ref.left_domain_step] };
  });
  const grids = playground.surfaces.map((s) => {
    const values = E.sample(E.surface(s), s.grid);
    return { surface: s.name, n: s.grid, values: Array.from(values) };
  });
  return { runs, grids };
}"""


@pytest.mark.slow
@pytest.mark.browser
def test_in_page_optimizers_follow_torch_optim_on_every_lesson_setting(browser, site_url, built_site):
    manifest = json.loads((built_site / "assets" / "generated" / "manifest.json").read_text())
    files = manifest["playgrounds"]["playground/optimizers"]["files"]
    reference = json.loads((built_site / "assets" / "generated" / files["reference"]).read_text())
    assert reference["steps"] >= 200 and reference["tolerance"] == 1e-9
    assert len(reference["runs"]) > 600  # every lesson setting on the playground's surfaces

    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site_url + PAGE)
        page.evaluate(f"async () => {{ await {API}.ready }}")
        generated = site_url + "assets/generated/"
        result = page.evaluate(
            CHECK_IN_PAGE, [generated + files["playground"], generated + files["reference"]]
        )
    finally:
        context.close()
    assert errors == []

    assert {grid["surface"] for grid in result["grids"]} == set(PLAYGROUND_SURFACES)
    for grid in result["grids"]:  # the page draws the grid the build's surfaces sample
        n = grid["n"]
        assert n >= 64, grid["surface"]
        _, _, want = get_surface(grid["surface"]).sample(n)
        got = np.array(grid["values"]).reshape(n, n)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=grid["surface"])

    # Every schedule the page offers, with gradient noise and without, and runs that leave the
    # plot and diverge among them.
    data = json.loads((built_site / "assets" / "generated" / files["playground"]).read_text())
    scheduled = [r for r in result["runs"] if r["schedule"] != "constant" or r["sigma"] > 0]
    assert {r["schedule"] for r in scheduled} == {s["name"] for s in data["schedules"]}
    assert {r["sigma"] > 0 for r in scheduled} == {True, False}
    assert any(r["diverged"][1] >= 0 and r["left"][1] >= 0 for r in scheduled)

    calm = [r for r in result["runs"] if r["sensitiveFrom"] < 0]
    chaotic = [r for r in result["runs"] if r["sensitiveFrom"] >= 0]
    assert all(r in calm for r in scheduled)
    assert len(calm) > 0.9 * len(result["runs"])
    for r in calm:
        assert r["departs"] == -1, f"{r['setting']}: departs from torch.optim at step {r['departs']}"
        assert r["steps"][0] == r["steps"][1], r
        assert r["diverged"][0] == r["diverged"][1], f"{r['setting']}: diverges at {r['diverged']}"
        assert r["left"][0] == r["left"][1], f"{r['setting']}: leaves the domain at {r['left']}"
    for r in chaotic:
        assert r["departs"] == -1 or r["departs"] >= r["sensitiveFrom"] / 2, r


def test_the_engine_follows_the_production_backend_on_the_reference_settings_of_todays_optimizers():
    # What the browser test checks on the built site, for the settings of the optimizers added
    # last, run by Node on the page's engine: torch.optim's runs for NAdam, RAdam and Adafactor,
    # Optax's (in a torch optimizer) for Lion and Schedule-Free AdamW, to 1e-9 relative unless the
    # setting is sensitive to rounding (then for at least half as long as it is not).
    from page_modules import evaluate

    from descent.trajectory import ESCAPE_WIDTHS
    from lessons.playground import NOISY, TODAY, noisy_settings, today_settings

    settings = today_settings() + [s for s in noisy_settings() if s["optimizer"] in TODAY]
    assert {s["optimizer"] for s in settings} == set(TODAY) and len(NOISY) == 10
    exported = [reference_run(s, 200) for s in settings]
    jobs = [
        {**e, "surface_json": surface_json(e["surface"], e["start"], 8),
         "schedule_hp": resolve_schedule(e["schedule"], {}, 200)}
        for e in exported
    ]  # fmt: skip
    page = evaluate(
        {"playground/engine.js": ["run"], "playground/schedules.js": ["rates"]},
        {"jobs": jobs, "escape": ESCAPE_WIDTHS},
        """data.jobs.map((j) => { const r = run(j.surface_json, j.optimizer, j.hyperparameters, j.start, 200,
          data.escape, { rates: rates(j.schedule, j.hyperparameters.lr, 200, j.schedule_hp),
          noise: j.sigma ? { sigma: j.sigma, seed: j.seed } : null });
          return [r.params, r.divergedStep, r.leftDomainStep]; })""",
    )
    sensitive = 0
    for e, (params, diverged, left) in zip(exported, page, strict=True):
        where = f"{e['surface']} {e['optimizer']} {e['schedule']} σ={e['sigma']}"
        departs = departure(np.array(params), decode(e))
        if e["sensitive_from"] < 0:
            assert departs == -1, f"{where}: departs at step {departs}"
            assert (diverged, left) == (e["diverged_step"], e["left_domain_step"]), where
        else:
            sensitive += 1
            assert departs == -1 or departs >= e["sensitive_from"] / 2, (where, departs, e["sensitive_from"])
    assert sensitive < 0.1 * len(exported)
