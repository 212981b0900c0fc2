"""The optimizer playground's page in a real browser: the configuration lives in the address, the
races it draws are the engine's (the numbers tests/test_playground.py checks against torch.optim),
a race with a learning-rate schedule and gradient noise, set in the address or with the controls,
is torch.optim's with torch's lr_scheduler and the same noise, its optimizers, sliders, schedules
and colours are the data's, a click, a tap or the keyboard sets the start, divergence and leaving
the plot are said, a phone fits it, and nothing errors or comes from another host.

Drives Debian chromium through Playwright against the built site (``site_url``, tests/conftest.py)
through each mount's ``element.descentPlayground`` (docs/javascripts/playground.js).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from page_visit import PageVisit, visits

from descent.optim import OPTIMIZERS
from descent.optim.schedules import torch_rates
from descent.playground import departure, scheduled_noisy_run

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGE = "playground/"
RUNNABLE = [name for name, entry in OPTIMIZERS.items() if not entry.matrices_only]
ROOT = ".descent-playground"
API = f"document.querySelector('{ROOT}').descentPlayground"
# The page's data: a playground's mount carries it (data-playground-json), or names the file.
INLINE = re.compile(r'data-playground-json="([^"]*)"')


class Visit(PageVisit):
    """The playground page, once its playground is ready."""

    def __init__(self, browser, site_url, query="", viewport=(1280, 900), touch=False):
        super().__init__(
            browser,
            site_url + PAGE + query,
            viewport={"width": viewport[0], "height": viewport[1]},
            has_touch=touch,
            is_mobile=touch,
        )
        self.page.evaluate(f"async () => {{ await {API}.ready }}")

    def call(self, expression: str, arg=None):
        return self.page.evaluate(f"arg => {API}.{expression}", arg)


@pytest.fixture
def visit(browser, site_url):
    with visits(lambda *args, **kwargs: Visit(browser, site_url, *args, **kwargs)) as open_visit:
        yield open_visit


def serve_data(context, change):
    """Every playground of the context gets its data through change(data), wherever it comes from:
    the page's copy or the file."""

    def page(route):
        response = route.fetch()
        changed = lambda m: html.escape(json.dumps(change(json.loads(html.unescape(m.group(1))))))  # noqa: E731
        text = INLINE.sub(lambda m: f'data-playground-json="{changed(m)}"', response.text())
        route.fulfill(response=response, body=text)

    def data(route):
        route.fulfill(json=change(route.fetch().json()))

    context.route(re.compile(r".*/(playground|lessons/comparisons)/(\?.*)?$"), page)
    context.route("**/playground.json", data)


SHARED = "?surface=saddle&start=1.4,0.05&opt=sgd,adam&lr=0.05&momentum=0.5&beta1=0.8&beta2=0.99&eps=1e-06"


def test_a_shared_address_restores_its_configuration_and_changes_update_it(visit):
    v = visit(SHARED)
    config = v.call("config()")
    assert config["surface"] == "saddle" and config["start"] == [1.4, 0.05]
    assert config["opt"] == ["sgd", "adam"]
    assert (config["lr"], config["momentum"], config["beta1"], config["beta2"], config["eps"]) == (
        0.05, 0.5, 0.8, 0.99, 1e-6,
    )  # fmt: skip
    v.call("set(arg)", {"lr": 0.1, "surface": "rosenbrock"})
    v.page.wait_for_function("() => new URLSearchParams(location.search).get('lr') === '0.1'")
    query = parse_qs(urlsplit(v.page.url).query)
    assert query["surface"] == ["rosenbrock"] and query["opt"] == ["sgd,adam"]
    # The address, opened afresh, is the same playground.
    again = visit("?" + urlsplit(v.page.url).query)
    assert again.call("config()") == v.call("config()")


def test_a_bad_value_in_the_address_is_ignored_with_a_notice(visit):
    v = visit("?surface=nowhere&lr=-3&opt=sgd,adamx")
    config = v.call("config()")
    assert config["surface"] != "nowhere" and config["lr"] > 0 and "adamx" not in config["opt"]
    notice = v.page.locator(f"{ROOT} [role=status], {ROOT} .descent-playground__notice").first
    assert "nowhere" in notice.inner_text() or "surface" in notice.inner_text().lower()


def test_the_races_drawn_are_the_engines_runs(visit):
    v = visit(SHARED)
    runs = v.call("run(120)")
    # The engine with the hyperparameters the data gives: a slider's value where the data gives
    # the key a range, else the optimizer's default.
    expected = v.page.evaluate(
        """async ([config, url]) => {
             const engine = document.querySelector('.descent-playground').descentPlayground.engine;
             const data = await (await fetch(url)).json();
             const spec = data.surfaces.find((s) => s.name === config.surface);
             return config.opt.map((name) => {
               const { hyperparameters } = data.optimizers.find((o) => o.name === name);
               const hp = Object.fromEntries(Object.entries(hyperparameters).map(
                 ([key, h]) => [key, key in config ? config[key] : h.default]));
               return engine.run(spec, name, hp, config.start, 120, data.escape_widths).params;
             });
           }""",
        [v.call("config()"), v.page.locator(ROOT).get_attribute("data-playground")],
    )
    assert [r["name"] for r in runs] == ["sgd", "adam"]
    for run, params in zip(runs, expected, strict=True):
        assert run["params"] == params, f"{run['name']}: the page's race is not the engine's run"


def test_the_optimizers_sliders_and_colours_are_the_datas(visit, built_site):
    manifest = json.loads((built_site / "assets" / "generated" / "manifest.json").read_text())
    files = manifest["playgrounds"]["playground/optimizers"]["files"]
    data = json.loads((built_site / "assets" / "generated" / files["playground"]).read_text())
    v = visit()
    names = v.page.locator(f"{ROOT} .descent-playground__name").all_inner_texts()
    assert [n.strip() for n in names] == [o["label"] for o in data["optimizers"]]
    # The sliders: every ranged hyperparameter of the optimizers that race (Muon does not).
    ranged = {
        key
        for o in data["optimizers"]
        if "unavailable" not in o
        for key, h in o["hyperparameters"].items()
        if h["range"]
    }
    assert (
        set(v.call("config()")) == {"surface", "start", "opt", "schedule", "steps", "sigma", "seed"} | ranged
    )

    # The schedules and race lengths offered are the data's, by their labels.
    def options(label):
        select = v.page.get_by_label(label, exact=True)
        return select.locator("option").evaluate_all("els => els.map((e) => [e.value, e.textContent])")

    assert options("Schedule") == [[s["name"], s["label"]] for s in data["schedules"]]
    assert [int(value) for value, _ in options("Race length")] == data["lengths"]
    for o in data["optimizers"]:
        if "unavailable" in o:  # listed, never run: it drives no slider
            continue
        uses = [s for s in ranged if s in o["hyperparameters"]]
        for key in uses:  # each slider says it drives this optimizer (or all of them)
            slider = v.page.locator(f'{ROOT} input[type=range][id$="-{key}"]')
            note = v.page.locator(f"#{slider.get_attribute('aria-describedby')}")
            says = note.inner_text()
            assert o["label"] in says or says.startswith("drives all"), (key, o["name"], says)
    # One colour per optimizer, the data's, in the light and the dark scheme alike.
    fills = """() => [...document.querySelectorAll('.descent-playground__shape > *')]
        .map((e) => getComputedStyle(e).fill)"""
    rgb = [
        f"rgb({int(c[1:3], 16)}, {int(c[3:5], 16)}, {int(c[5:7], 16)})"
        for c in (o["colour"] for o in data["optimizers"])
    ]
    assert v.page.evaluate(fills) == rgb
    v.page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    assert v.page.evaluate(fills) == rgb


def torch_runs(config: dict, steps: int) -> dict[str, np.ndarray]:
    """Each optimizer of a page's settings run by torch.optim with torch's lr_scheduler and the
    shared noise, with the hyperparameters its sliders give it (the others at their defaults)."""
    return {
        name: scheduled_noisy_run(
            {
                "surface": config["surface"],
                "optimizer": name,
                "hyperparameters": {k: config[k] for k in OPTIMIZERS[name].hyperparameters if k in config},
                "start": config["start"],
            },
            steps,
            (config["schedule"], {}),
            config["sigma"],
            config["seed"],
        )
        for name in config["opt"]
    }


def assert_follows_torch(runs: list[dict], config: dict, steps: int) -> None:
    torch = torch_runs(config, steps)
    assert [r["name"] for r in runs] == list(torch)
    for run in runs:
        page, want = np.array(run["params"]), torch[run["name"]]
        assert len(page) == len(want), (
            f"{run['name']}: {len(page) - 1} steps on the page, {len(want) - 1} in torch"
        )
        assert departure(page, want) == -1, (
            f"{run['name']} departs from torch at step {departure(page, want)}"
        )


NOISY = "?surface=rosenbrock&start=-1.5,2.5&lr=0.002&schedule=warmup_cosine&steps=200&sigma=3&seed=11"


def test_a_noisy_scheduled_race_from_the_address_is_torch_optim_with_its_scheduler(visit):
    v = visit(NOISY)
    config = v.call("config()")
    assert (config["schedule"], config["steps"], config["sigma"], config["seed"]) == (
        "warmup_cosine",
        200,
        3,
        11,
    )
    assert config["opt"] == RUNNABLE  # every optimizer but Muon races
    runs = v.call("run(250)")  # the race ends at its 200th step
    assert v.call("state()")["step"] == 200 and v.call("state()")["finished"]
    stopped = [r["name"] for r in runs if r["divergedStep"] >= 0]
    assert stopped and len(stopped) < len(RUNNABLE), "some, not all, run off: where they stop is compared too"
    assert_follows_torch(runs, config, 200)
    # Without noise, or with another seed, the same race is another one; except Lion's: it steps
    # by the sign of a blend of gradients, and Rosenbrock's (about 1,000 here) outweigh σ = 3.
    for change in ({"sigma": 0}, {"seed": 12}):
        v.call("set(arg)", change)
        changed = {r["name"]: r["params"][:50] for r in v.call("run(50)")}
        same = {r["name"] for r in runs if changed[r["name"]] == r["params"][:50]}
        assert same == {"lion"}, change
        v.call("set(arg)", {"sigma": 3, "seed": 11})


def test_the_controls_set_a_schedule_and_noise_the_address_keeps_them_and_torch_replays_them(visit):
    v = visit("?surface=bowl&start=-2.5,2&opt=sgd,momentum,adam&lr=0.1")
    page = v.page
    page.get_by_label("Schedule", exact=True).select_option("cosine")
    page.get_by_label("Race length", exact=True).select_option("500")
    sigma = page.get_by_label("Gradient noise σ")
    sigma.focus()
    for _ in range(30):  # the keyboard moves the slider from 0 (no noise) up its stops
        page.keyboard.press("ArrowRight")
    seed = page.get_by_label("Noise seed", exact=True)
    seed.fill("42")
    seed.press("Enter")
    config = v.call("config()")
    assert (config["schedule"], config["steps"], config["seed"]) == ("cosine", 500, 42)
    assert 0.1 < config["sigma"] < 10, config["sigma"]
    assert page.locator(f"{ROOT} output[for$='-sigma']").inner_text() == str(config["sigma"])
    page.get_by_role("button", name="New seed").click()
    config = v.call("config()")
    assert config["seed"] != 42 and config["sigma"] > 0
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('seed') === '{config['seed']}'")
    query = parse_qs(urlsplit(page.url).query)
    assert (query["schedule"], query["steps"], query["sigma"]) == (
        ["cosine"],
        ["500"],
        [str(config["sigma"])],
    )

    runs = v.call("run(500)")
    assert_follows_torch(runs, config, 500)
    # The rate the page says it steps with is torch's scheduler's, at every step asked.
    rates = torch_rates("cosine", 0.1, 500)
    for k in (0, 1, 250, 499):
        v.call("reset()")
        v.call(f"run({k})")
        shown = v.call("state()")["rate"]
        assert shown == pytest.approx(rates[k], rel=1e-12, abs=1e-300), k
        said = page.locator(f"{ROOT} .descent-playground__rate").inner_text()
        assert said.startswith("η now "), said
    # The address, opened afresh, replays the same noisy race.
    again = visit("?" + urlsplit(page.url).query)
    assert again.call("config()") == config
    assert again.call("run(500)") == runs


def test_a_bad_schedule_length_noise_or_seed_in_the_address_is_said(visit):
    v = visit("?schedule=sawtooth&steps=123&sigma=-2&seed=x")
    config = v.call("config()")
    assert (config["schedule"], config["steps"], config["sigma"], config["seed"]) == ("constant", 10000, 0, 0)
    notice = v.page.locator(f"{ROOT} .descent-playground__notice").inner_text()
    for key in ("schedule=sawtooth", "steps=123", "sigma=-2", "seed=x"):
        assert key in notice, (key, notice)


# The example races linked from docs/playground.md.
EXAMPLE = re.compile(r"\]\(playground\.md(\?[^)\s]+)\)")


def test_every_example_race_of_the_page_opens_as_written(visit):
    text = (Path(__file__).resolve().parents[1] / "docs" / "playground.md").read_text()
    queries = EXAMPLE.findall(text)
    assert len(queries) >= 8 and any("sigma=" in q and "schedule=" in q for q in queries)
    for query in queries:
        # A visit of its own for each: going from one address to the next would cut short the
        # theme's own requests (its search index, its sitemap), which the visit counts as failures.
        v = visit(query)
        v.page.evaluate(f"async () => {{ await {API}.ready }}")
        assert v.page.locator(f"{ROOT} .descent-playground__notice").inner_text() == "", query
        shown = parse_qs(v.call("query()"))
        for key, value in parse_qs(query[1:]).items():
            assert shown[key] == value, (query, key)


# What the page's text says each slider drives (docs/playground.md, "Which slider drives which
# optimizer").
SAID = {
    "lr": "all twelve",
    "momentum": "Momentum, Nesterov",
    "beta1": "Adam, AdamW, NAdam, RAdam",
    "beta2": "Adam, AdamW, NAdam, RAdam, Schedule-Free AdamW",
    "eps": "AdaGrad, RMSprop, Adam, AdamW, NAdam, RAdam, Schedule-Free AdamW",
}


def test_the_pages_text_says_what_each_slider_drives(visit):
    v = visit()
    notes = v.page.locator(f"{ROOT} .descent-playground__uses").all_inner_texts()
    keys = v.page.locator(f"{ROOT} .descent-playground__slider input").evaluate_all(
        "els => els.map((e) => e.id.split('-').pop())"
    )
    assert dict(zip(keys, notes, strict=True)) == {key: f"drives {said}" for key, said in SAID.items()}


def test_an_optimizer_in_the_data_appears_in_the_page(browser, site_url):
    """A new optimizer is its registry entry (the data) and its rule in the engine: one with a
    rule races; one without is listed and says it has no rule."""

    def grow(data):
        twin = json.loads(json.dumps(next(o for o in data["optimizers"] if o["name"] == "adam")))
        data["optimizers"].append({**twin, "name": "adamax", "label": "Adamax", "colour": "#123456"})
        return data

    context = browser.new_context()
    serve_data(context, grow)
    try:
        page = context.new_page()
        page.goto(site_url + PAGE + "?surface=bowl")
        page.evaluate(f"async () => {{ await {API}.ready }}")
        runs = {r["name"]: r for r in page.evaluate(f"() => {API}.run(3)")}
        assert runs["adam"]["steps"] == 3 and runs["adamax"]["steps"] == 0
        row = page.locator(f"{ROOT} .descent-playground__runner--adamax").inner_text()
        assert "Adamax" in row and 'not run: no update rule for the optimizer "adamax"' in row
        assert "all thirteen" in page.locator(ROOT).inner_text()
    finally:
        context.close()


def test_muon_is_listed_with_the_reason_it_does_not_race_on_a_surface(visit):
    v = visit("?surface=bowl")
    row = v.page.locator(f"{ROOT} .descent-playground__runner--muon")
    assert row.is_visible() and "Muon" in row.inner_text()
    assert f"not run: {OPTIMIZERS['muon'].matrices_only}" in row.inner_text()
    assert row.locator("input[type=checkbox]").is_disabled()
    assert "muon" not in v.call("config()")["opt"]
    runs = v.call("run(5)")
    assert "muon" not in [r["name"] for r in runs] and len(runs) == len(RUNNABLE)
    # Named in the address, it is still not run, and its row still says why.
    asked = visit("?surface=bowl&opt=sgd,muon")
    assert asked.call("config()")["opt"] == ["sgd", "muon"]
    assert [r["name"] for r in asked.call("run(3)") if r["steps"] > 0] == ["sgd"]
    muon = asked.page.locator(f"{ROOT} .descent-playground__runner--muon").inner_text()
    assert "not run: " in muon and "vector" in muon


def test_each_optimizer_shows_its_state_from_the_first_step(visit):
    v = visit("?surface=bowl&opt=sgd,momentum,adam")
    state = lambda name: v.page.locator(f"{ROOT} .descent-playground__runner--{name} dl").inner_text()  # noqa: E731
    assert "no state" in state("sgd") and "plain gradient steps" in state("sgd")
    assert "until the first step" in state("momentum")
    v.call("run(1)")
    assert "momentum_buffer" in state("momentum")
    assert all(key in state("adam") for key in ("exp_avg", "exp_avg_sq"))


def test_a_click_and_the_keyboard_set_the_start(visit):
    v = visit("?surface=bowl&opt=sgd")
    canvas = v.page.locator(f"{ROOT} canvas").first
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] * 0.75, "y": box["height"] * 0.25})
    x, y = v.call("config()")["start"]
    (x0, x1), (y0, y1) = [[-3, 3], [-3, 3]]
    assert x > (x0 + x1) / 2 and y > (y0 + y1) / 2, "a click up and right of the centre starts there"
    # Keyboard: the plot takes focus, arrows move the start, Enter runs from it.
    focusable = v.page.locator(f"{ROOT} [tabindex='0']").first
    focusable.focus()
    v.page.keyboard.press("ArrowLeft")
    v.page.keyboard.press("Enter")
    x2, _ = v.call("config()")["start"]
    assert x2 < x, "ArrowLeft did not move the start left"
    v.page.wait_for_function(f"() => {API}.state().step > 0")


def test_divergence_and_leaving_the_plot_are_said_not_clipped(visit):
    v = visit("?surface=rosenbrock&start=-1.5,2.5&opt=sgd,adam&lr=1")
    runs = {r["name"]: r for r in v.call("run(60)")}
    assert runs["sgd"]["divergedStep"] >= 0, "SGD at lr 1 on Rosenbrock should diverge"
    text = v.page.locator(ROOT).inner_text()
    assert f"diverged at step {runs['sgd']['divergedStep']}" in text
    left = runs["adam"]["leftDomainStep"]
    if left >= 0:  # Adam's steps of about lr leave the plotted area early
        assert f"left the plotted area at step {left}" in text
        outside = runs["adam"]["params"][left + 1]
        assert not (-2 <= outside[0] <= 2 and -1 <= outside[1] <= 3), "the path was clipped to the plot"


def test_a_phone_fits_it_and_a_tap_sets_the_start(visit):
    v = visit("?surface=bowl&opt=sgd,adam", viewport=(360, 740), touch=True)
    wide = v.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wide, "the page scrolls sideways at 360 px"
    canvas = v.page.locator(f"{ROOT} canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    v.page.touchscreen.tap(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)
    x, y = v.call("config()")["start"]
    assert x < 0 and y < 0, "a tap down and left of the centre starts there"


# The boxes of the page's parts that must not move (the heading after the widget, the widget's bar,
# plot and rows) when the page's content is parsed, and every layout shift from then on.
WATCH = """window.descentShifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    // The theme's header may shift while the parser is still inside it (its buttons arrive one
    // by one, before any of the page's content): that is not the playground moving.
    const element = (s) => s.node && (s.node.closest ? s.node : s.node.parentElement);
    const sources = (e.sources || []).filter((s) => !(element(s) && element(s).closest(".md-header")));
    const moved = sources.map((s) => s.node && (s.node.className || s.node.nodeName));
    if (moved.length || !(e.sources || []).length) window.descentShifts.push({ value: e.value, moved });
  }
}).observe({ type: "layout-shift", buffered: true });
window.descentBoxes = () => [...document.querySelectorAll(
  "article > h2, .descent-playground__bar, .descent-playground canvas, .descent-playground__runner")]
  .map((e) => { const r = e.getBoundingClientRect(); return [r.x, r.y + scrollY, r.width, r.height]; });
document.addEventListener("DOMContentLoaded", () => { window.descentParsed = window.descentBoxes(); });"""


@pytest.mark.parametrize("viewport", [(1350, 940), (390, 844)])
def test_the_page_does_not_move_when_the_playground_starts(browser, site_url, viewport):
    """The widget has its final size as soon as the page is parsed, before its data is read (the
    page's copy, or the file, held back for a moment): the playground's start then moves nothing,
    on screen or below it (a layout shift is what a reader sees as the page jumping under their
    finger)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.add_init_script(WATCH)
    held = []
    context.route("**/playground.json", lambda route: held.append(route))
    try:
        page = context.new_page()
        page.goto(site_url + PAGE, wait_until="domcontentloaded")
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        page.wait_for_timeout(500)
        for route in held:
            route.fallback()
        page.evaluate(f"async () => {{ await {API}.ready }}")
        page.wait_for_timeout(300)
        before, after = page.evaluate("[window.descentParsed, window.descentBoxes()]")
        assert len(before) == len(after) == 1 + 1 + 1 + len(OPTIMIZERS)
        moved = [
            (b, a)
            for b, a in zip(before, after, strict=True)
            if max(abs(x - y) for x, y in zip(b, a, strict=True)) > 1
        ]
        assert moved == [], "boxes moved as the playground started (x, y, width, height before and after)"
        assert page.evaluate("window.descentShifts") == []
    finally:
        context.close()


def test_data_it_cannot_read_is_said_not_drawn(browser, site_url):
    """A playground.json of another format (here the first, whose grids carried their values) is
    refused with a message in the widget."""

    def first_format(data):
        for surface in data["surfaces"]:
            surface["grid"] = {"n": surface["grid"], "values": ""}
        return data

    context = browser.new_context()
    serve_data(context, first_format)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site_url + PAGE)
        alert = page.locator(f"{ROOT} [role=alert]")
        alert.wait_for()
        assert "unknown format" in alert.inner_text()
        assert page.locator(f"{ROOT} canvas").count() == 0
        assert errors == []
    finally:
        context.close()


def test_a_lesson_embeds_a_configured_playground_that_loads_when_reached(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(site_url + "lessons/comparisons/")
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        assert not any(u.endswith("playground.json") for u in requests), "loaded before it was reached"
        assert page.evaluate(f"() => typeof {API}.config") == "undefined", "started before it was reached"
        embedded = page.locator(ROOT)
        height = embedded.evaluate("e => e.getBoundingClientRect().height")
        embedded.scroll_into_view_if_needed()
        page.wait_for_function(f"() => document.querySelector('{ROOT}').descentPlayground")
        page.evaluate(f"async () => {{ await {API}.ready }}")
        # Its first race leaves optimizers out: their rows were folded from the start, so the page
        # below it does not move when it starts (and scroll the reader up).
        assert embedded.evaluate("e => e.getBoundingClientRect().height") == pytest.approx(height, abs=1)
        config = page.evaluate(f"() => {API}.config()")
        assert config["surface"] == "saddle" and config["start"] == [1.4, 0.001] and config["lr"] == 0.01
        assert config["opt"] == ["sgd", "adagrad", "rmsprop", "adam"]
        page.evaluate(f"() => {API}.run(5)")
        assert urlsplit(page.url).query == "", "an embedded playground wrote the lesson's address"
    finally:
        context.close()
