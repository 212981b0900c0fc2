"""The optimizer playground's numbers: the in-page surfaces and optimizers against the engine and
against real torch.optim trajectories, in a real browser.

The build exports (descent/playground.py) the torch trajectory of every setting the lessons run
on the playground's surfaces, for 200 steps. The page's engine (docs/javascripts/playground/engine.js)
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

from descent.lesson_spec import SpecError, read_lesson
from descent.optim import make_optimizer
from descent.playground import FORMAT, departure, optimizers_json, reference_run
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


def test_the_page_gets_every_optimizer_as_the_registry_holds_it():
    # What the page reads (format 3): each optimizer's look and every hyperparameter's slider.
    assert FORMAT == 3
    published = optimizers_json()
    assert [o["name"] for o in published] == [
        "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"
    ]  # fmt: skip
    adam = published[5]
    assert (adam["label"], adam["colour"], adam["marker"]) == ("Adam", "#e0489e", "pentagon")
    assert adam["hyperparameters"]["beta2"] == {
        "default": 0.999, "meaning": "a number in [0, 1)", "symbol": "β₂",
        "label": adam["hyperparameters"]["beta2"]["label"], "range": [0.5, 0.9999], "scale": "log1m",
    }  # fmt: skip
    assert adam["hyperparameters"]["lr"]["default"] is None  # required: the page starts it at "initial"
    sliders = {
        key: (hp["range"], hp["scale"])
        for o in published for key, hp in o["hyperparameters"].items() if hp["range"] is not None
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
    Module.LESSON["playgrounds"]["p"]["surfaces"] = {"bowl": [1.0, 2.0]}
    Module.LESSON["playgrounds"]["p"]["reference"] = [
        {"surface": "bowl", "optimizer": "adam", "hyperparameters": {"lr": -1}, "start": [0, 0]}
    ]
    with pytest.raises(SpecError, match=r"reference\[0\]\.hyperparameters\.lr"):
        read_lesson(Module)


# In the page: every reference setting through the page's engine (the playground's, bundled with
# it), and the grid the page draws of every surface, sampled by the page's engine.
CHECK_IN_PAGE = """async ([playgroundUrl, referenceUrl]) => {
  const E = document.querySelector(".descent-playground").descentPlayground.engine;
  const playground = await (await fetch(playgroundUrl)).json();
  const reference = await (await fetch(referenceUrl)).json();
  const decode = (b64, Type) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return new Type(bytes.buffer);
  };
  const surfaces = Object.fromEntries(playground.surfaces.map((s) => [s.name, s]));
  const runs = reference.runs.map((ref) => {
    const torch = decode(ref.params, Float64Array);
    const r = E.run(surfaces[ref.surface], ref.optimizer, ref.hyperparameters, ref.start,
                    reference.steps, playground.escape_widths);
    let departs = -1;
    const n = Math.min(r.params.length, torch.length / 2);
    for (let k = 0; k < n && departs < 0; k++) {
      const [x, y] = r.params[k];
      const scale = Math.max(Math.abs(torch[2 * k]), Math.abs(torch[2 * k + 1]));
      const off = Math.max(Math.abs(x - torch[2 * k]), Math.abs(y - torch[2 * k + 1]));
      if (off > reference.tolerance * scale) departs = k;
    }
    const hp = JSON.stringify(ref.hyperparameters);
    return { setting: `${ref.surface} ${ref.optimizer} ${hp} from ${ref.start}`,
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

    calm = [r for r in result["runs"] if r["sensitiveFrom"] < 0]
    chaotic = [r for r in result["runs"] if r["sensitiveFrom"] >= 0]
    assert len(calm) > 0.9 * len(result["runs"])
    for r in calm:
        assert r["departs"] == -1, f"{r['setting']}: departs from torch.optim at step {r['departs']}"
        assert r["steps"][0] == r["steps"][1], r
        assert r["diverged"][0] == r["diverged"][1], f"{r['setting']}: diverges at {r['diverged']}"
        assert r["left"][0] == r["left"][1], f"{r['setting']}: leaves the domain at {r['left']}"
    for r in chaotic:
        assert r["departs"] == -1 or r["departs"] >= r["sensitiveFrom"] / 2, r
