"""The optimizer playground's page in a real browser: the configuration lives in the address, the
races it draws are the engine's (the numbers tests/test_playground.py checks against torch.optim),
a click, a tap or the keyboard sets the start, divergence and leaving the plot are said, a phone
fits it, and nothing errors or comes from another host.

Drives Debian chromium through Playwright against the built site (``site_url``, tests/conftest.py)
through each mount's ``element.descentPlayground`` (docs/javascripts/playground.js).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGE = "playground/"
ROOT = ".descent-playground"
API = f"document.querySelector('{ROOT}').descentPlayground"


class Visit:
    """The playground page in a fresh context, with its errors and foreign requests."""

    def __init__(self, browser, site_url, query="", viewport=(1280, 900), touch=False):
        self.context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, has_touch=touch, is_mobile=touch
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.errors: list[str] = []
        host = urlsplit(site_url).hostname
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} {r.failure}"))
        self.page.on(
            "request",
            lambda r: (
                urlsplit(r.url).hostname not in (host, None)
                and not r.url.startswith(("data:", "blob:"))
                and self.errors.append(f"foreign request: {r.url}")
            ),
        )
        self.page.goto(site_url + PAGE + query)
        self.page.evaluate(f"async () => {{ await {API}.ready }}")

    def call(self, expression: str, arg=None):
        return self.page.evaluate(f"arg => {API}.{expression}", arg)

    def close(self):
        assert self.errors == []
        self.context.close()


@pytest.fixture
def visit(browser, site_url):
    opened = []

    def open_visit(*args, **kwargs):
        v = Visit(browser, site_url, *args, **kwargs)
        opened.append(v)
        return v

    yield open_visit
    for v in opened:
        v.close()


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
    expected = v.page.evaluate(
        """async ([config, url]) => {
             const data = await (await fetch(url)).json();
             const spec = data.surfaces.find((s) => s.name === config.surface);
             const hp = { lr: config.lr, momentum: config.momentum, beta1: config.beta1,
                          beta2: config.beta2, eps: config.eps };
             return config.opt.map((name) => DescentEngine.run(spec, name, hp, config.start, 120,
                                                                data.escape_widths).params);
           }""",
        [v.call("config()"), v.page.locator(ROOT).get_attribute("data-playground")],
    )
    assert [r["name"] for r in runs] == ["sgd", "adam"]
    for run, params in zip(runs, expected, strict=True):
        assert run["params"] == params, f"{run['name']}: the page's race is not the engine's run"


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


@pytest.mark.parametrize("viewport", [(1350, 940), (390, 844)])
def test_the_page_does_not_move_when_the_data_arrives(browser, site_url, viewport):
    """The widget has its final size before its data comes: held back until the boxes are
    measured, the data then changes none of them (a layout shift is what a reader sees as the
    page jumping under their finger)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    held = []
    context.route("**/playground.json", lambda route: held.append(route))
    boxes = """() => [...document.querySelectorAll(
        'article > h2, .descent-playground__bar, .descent-playground canvas, .descent-playground__runner')]
        .map((e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })"""
    try:
        page = context.new_page()
        page.goto(site_url + PAGE, wait_until="domcontentloaded")
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        while not held:
            page.wait_for_timeout(50)
        before = page.evaluate(boxes)
        held[0].fallback()
        page.evaluate(f"async () => {{ await {API}.ready }}")
        after = page.evaluate(boxes)
        assert len(before) == len(after) == 1 + 1 + 1 + 7
        moved = [(b, a) for b, a in zip(before, after, strict=True) if abs(np.subtract(b, a)).max() > 1]
        assert moved == [], "boxes moved when the data arrived (x, y, width, height before and after)"
    finally:
        context.close()


def test_data_it_cannot_read_is_said_not_drawn(browser, site_url):
    """A playground.json of another format (here the first, whose grids carried their values) is
    refused with a message in the widget."""
    context = browser.new_context()

    def first_format(route):
        data = route.fetch().json()
        for surface in data["surfaces"]:
            surface["grid"] = {"n": surface["grid"], "values": ""}
        route.fulfill(json=data)

    context.route("**/playground.json", first_format)
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
        embedded = page.locator(ROOT)
        embedded.scroll_into_view_if_needed()
        page.wait_for_function(f"() => document.querySelector('{ROOT}').descentPlayground")
        page.evaluate(f"async () => {{ await {API}.ready }}")
        config = page.evaluate(f"() => {API}.config()")
        assert config["surface"] == "saddle" and config["start"] == [1.4, 0.001] and config["lr"] == 0.01
        assert config["opt"] == ["sgd", "adagrad", "rmsprop", "adam"]
        page.evaluate(f"() => {API}.run(5)")
        assert urlsplit(page.url).query == "", "an embedded playground wrote the lesson's address"
    finally:
        context.close()
