"""The loss landscape and decision boundary visualizer in a real browser: every control works, the
plots follow the epoch, a view survives in its address, switching loads one file, the training
choice shows the other run's data, a phone fits it, and nothing errors or fails to load.

Drives Debian chromium through Playwright against the built site (`site_url`, tests/conftest.py).
Canvases are compared by their pixels (``toDataURL``), so "changed" means the picture changed.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from page_visit import PageVisit, visits

from descent.datasets import train_size
from descent.kinds.visualizer import read_combination
from lessons.landscapes import MINIBATCH, TRAINING

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGE = "visualizer/"
ROOT = ".descent-visualizer"
API = f"document.querySelector('{ROOT}').descentVisualizer"
PICTURES = """root => Object.fromEntries(['surface', 'boundary', 'curve'].map(name =>
  [name, root.querySelector('.descent-visualizer__canvas--' + name).toDataURL()]))"""


def combination(idx: dict, state: dict) -> str:
    """The file name of the combination a state shows."""
    return idx["combinations"][f"{state['dataset']}/{state['model']}/{state['training']}"]


class Visit(PageVisit):
    """The visualizer's page, once the whole first combination is in."""

    def __init__(self, browser, site_url, query="", viewport=(1280, 900)):
        super().__init__(
            browser, site_url + PAGE + query, viewport={"width": viewport[0], "height": viewport[1]}
        )
        self.root = self.page.locator(ROOT)
        self.page.evaluate("async sel => { await document.querySelector(sel).descentVisualizer.ready }", ROOT)
        # Ready is the first view, from the page's inline copy; the slider and Play work once the
        # whole file has come, a moment later.
        self.page.wait_for_function(f"() => {API}.state().complete")

    def state(self) -> dict:
        return self.page.evaluate("sel => document.querySelector(sel).descentVisualizer.state()", ROOT)

    def pictures(self) -> dict:
        return self.page.evaluate(PICTURES, self.root.element_handle())

    def bins(self) -> list[str]:
        return [u.rsplit("/", 1)[1] for u in self.requests if u.endswith(".bin")]

    def wait_state(self, **expected):
        """Until the state has these values and the plots show them (no download pending)."""
        expected["loading"] = False
        self.page.wait_for_function(
            """([sel, want]) => { const s = document.querySelector(sel).descentVisualizer.state();
                 return Object.entries(want).every(([k, v]) => s[k] === v); }""",
            arg=[ROOT, expected],
        )


@pytest.fixture
def visit(browser, site_url):
    with visits(lambda *args, **kwargs: Visit(browser, site_url, *args, **kwargs)) as open_visit:
        yield open_visit


@pytest.fixture(scope="module")
def index(built_site):
    generated = built_site / "assets" / "generated"
    item = json.loads((generated / "manifest.json").read_text())["visualizers"]["landscapes/explorer"]
    return json.loads((generated / item["files"]["index"]).read_text()), generated / item["files"]["index"]


def test_the_first_view_is_the_default_and_comes_with_the_page(browser, site_url, index):
    """The first view is drawn from the page's inline copy, before any request; the whole file
    follows once the page is painted, and at that epoch its picture is the same one."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    held = []
    context.route("**/*.bin", lambda route: held.append(route))
    try:
        page = context.new_page()
        requested_data = []
        page.on("request", lambda r: "/generated/" in r.url and requested_data.append(r.url))
        page.goto(site_url + PAGE)
        page.evaluate("async sel => { await document.querySelector(sel).descentVisualizer.ready }", ROOT)
        state = page.evaluate("sel => document.querySelector(sel).descentVisualizer.state()", ROOT)
        assert not [u for u in requested_data if not u.endswith(".bin")]  # the index is inline too
        # Drawn while the page was parsed, so before the theme's deferred scripts ran.
        drawn, parsed = page.evaluate(
            f"""() => [{API}.firstRender, performance.getEntriesByType('navigation')[0].domInteractive]"""
        )
        assert drawn < parsed
        idx, _ = index
        default_model = next(m for m in idx["models"] if m["id"] == idx["default"]["model"])
        assert (state["model"], state["dataset"]) == (default_model["id"], idx["default"]["dataset"])
        assert state["training"] == idx["default"]["training"] == idx["trainings"][0]["id"]
        assert state["playing"] is False and state["complete"] is False
        first = combination(idx, state)
        assert page.locator(ROOT).get_attribute("data-first-file") == first
        slider = page.locator(f"{ROOT} input[type=range]")
        play = page.locator(f"{ROOT} .descent-visualizer__play")
        assert slider.is_disabled() and play.is_disabled()  # the first view has one epoch's planes
        assert slider.input_value() == slider.get_attribute("max")
        before = page.evaluate(PICTURES, page.locator(ROOT).element_handle())
        blank = page.evaluate("() => { const c = document.createElement('canvas'); return c.toDataURL(); }")
        for name, picture in before.items():
            assert picture != blank and len(picture) > 5_000, f"the {name} canvas is blank"

        while not held:  # the whole file, asked for once the page is painted
            page.wait_for_timeout(50)
        assert [r.request.url.rsplit("/", 1)[1] for r in held] == [first]
        held[0].fallback()
        page.wait_for_function("s => document.querySelector(s).descentVisualizer.state().complete", arg=ROOT)
        painted, requested = page.evaluate(
            """name => [performance.getEntriesByName('first-contentful-paint')[0].startTime,
                performance.getEntriesByType('resource').find(e => e.name.endsWith('/' + name)).startTime]""",
            first,
        )
        assert requested >= painted
        assert slider.is_enabled() and play.is_enabled()
        # Redrawn from the whole file (another zoom and back), the picture is the first view's.
        zoom = page.locator(f"{ROOT} select")
        shown = zoom.input_value()
        zoom.select_option("1" if shown == "0" else "0")
        zoom.select_option(shown)
        assert page.evaluate(PICTURES, page.locator(ROOT).element_handle()) == before
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 390, 768, 1350])
def test_the_room_kept_for_the_texts_holds_them_at_every_epoch(visit, width):
    """The notes, the path's caption and the numbers change with the network and the epoch; the
    room kept for them (their min-height) must hold the longest of them, or the plots and the
    controls below them move as the epochs play, under the reader's finger on a phone."""
    heights = """root => [...root.querySelectorAll(
        '.descent-visualizer__note, .descent-visualizer__path, .descent-visualizer__readout')]
        .map(e => [e.className, e.getBoundingClientRect().height,
                   parseFloat(getComputedStyle(e).minHeight) || 0])"""
    overflows = []
    # The default; the longest model note, in each training.
    for query in ["", "?model=3x16&dataset=spiral", "?model=3x16&dataset=spiral&training=momentum-b16"]:
        v = visit(query, viewport=(width, 900))
        slider = v.page.locator(f"{ROOT} input[type=range]")
        slider.focus()
        v.page.keyboard.press("Home")
        for epoch in range(int(slider.get_attribute("max")) + 1):
            overflows += [(query, epoch, *h) for h in v.root.evaluate(heights) if h[1] > h[2] + 0.5]
            v.page.keyboard.press("ArrowRight")
    assert overflows == [], "texts taller than the room kept for them (class, height, min-height)"


def test_every_dataset_and_model_choice_is_offered(visit, index):
    v = visit()
    idx, _ = index
    datasets = v.page.locator(f"{ROOT} .descent-visualizer__panel--data input[type=radio]")
    assert sorted(datasets.evaluate_all("els => els.map(e => e.value)")) == sorted(
        d["id"] for d in idx["datasets"]
    )
    model = v.page.locator(f"{ROOT} .descent-visualizer__panel--model input[type=radio]")
    values = model.evaluate_all("els => els.map(e => e.name.split('-').pop() + ':' + e.value)")
    assert {f"layers:{m['layers']}" for m in idx["models"]} <= set(values)
    assert {f"width:{m['width']}" for m in idx["models"]} <= set(values)
    # Every training, by its label, in a group of its own that a screen reader announces.
    group = v.page.get_by_role("group", name="Training")
    labels = group.locator("label").evaluate_all("els => els.map(e => e.textContent.trim())")
    assert labels == [t["label"] for t in idx["trainings"]] and len(labels) == 2
    assert group.get_by_role("radio", name=idx["trainings"][0]["label"]).is_checked()


def test_the_epoch_slider_changes_both_plots_the_curve_marker_and_the_address(visit):
    v = visit()
    before, epoch = v.pictures(), v.state()["epoch"]
    slider = v.page.locator(f"{ROOT} input[type=range]")
    slider.focus()
    v.page.keyboard.press("Home")  # keyboard only: the first recorded epoch
    after = v.pictures()
    state = v.state()
    assert state["epoch"] == 0 != epoch
    for name in ("surface", "boundary", "curve"):
        assert after[name] != before[name], f"the {name} plot did not follow the epoch"
    assert v.page.locator(f"{ROOT} output").inner_text() == "0"
    v.page.wait_for_function("() => new URLSearchParams(location.search).get('epoch') === '0'")


def test_play_animates_and_pause_stops(visit):
    v = visit()
    slider = v.page.locator(f"{ROOT} input[type=range]")
    slider.focus()
    v.page.keyboard.press("Home")
    play = v.page.locator(f"{ROOT} .descent-visualizer__play")
    assert play.inner_text() == "Play"
    play.click()
    assert play.inner_text() == "Pause" and v.state()["playing"]
    v.page.wait_for_function(
        "sel => document.querySelector(sel).descentVisualizer.state().epoch >= 3", arg=ROOT
    )
    play.click()  # the same button pauses
    assert play.inner_text() == "Play"
    stopped = v.state()
    assert not stopped["playing"]
    v.page.wait_for_timeout(600)  # several play intervals
    assert v.state()["epoch"] == stopped["epoch"]


def test_zoom_changes_the_surface_and_not_the_boundary(visit):
    v = visit()
    before = v.pictures()
    zoom = v.page.locator(f"{ROOT} select")
    radii = zoom.locator("option").evaluate_all("els => els.map(e => Number(e.textContent))")
    assert len(radii) >= 2
    other = next(k for k, r in enumerate(radii) if r != v.state()["zoom"])
    zoom.select_option(index=other)
    after = v.pictures()
    assert v.state()["zoom"] == radii[other]
    assert after["surface"] != before["surface"] and after["boundary"] == before["boundary"]


def test_reset_returns_to_the_first_view(visit):
    v = visit()
    first, first_state = v.pictures(), v.state()
    v.page.locator(f"{ROOT} select").select_option(index=0)
    v.page.locator(f"{ROOT} input[type=range]").focus()
    v.page.keyboard.press("Home")
    surface = v.page.locator(f"{ROOT} .descent-visualizer__canvas--surface")
    surface.focus()
    for _ in range(4):
        v.page.keyboard.press("ArrowLeft")  # turn the 3-D view
    assert v.pictures()["surface"] != first["surface"]
    v.page.get_by_role("button", name="Reset").click()
    assert v.state() == first_state
    assert v.pictures() == first


def test_switching_dataset_and_model_fetches_only_that_combination(visit, index):
    idx, _ = index
    v = visit()
    start = v.state()
    first = combination(idx, start)
    assert v.bins() == [first]
    before = v.pictures()
    other = next(d["id"] for d in idx["datasets"] if d["id"] != start["dataset"])
    v.page.locator(f"{ROOT} .descent-visualizer__panel--data input[value='{other}']").check()
    v.wait_state(dataset=other)
    assert v.bins()[-1] == combination(idx, {**start, "dataset": other})
    download = v.page.locator(f"{ROOT} .descent-visualizer__download").get_attribute("href")
    assert download.endswith("/" + v.bins()[-1])  # the data of the view on screen
    changed = v.pictures()
    assert changed["surface"] != before["surface"] and changed["boundary"] != before["boundary"]
    layers = next(m["layers"] for m in idx["models"] if m["layers"] != int(start["model"].split("x")[0]))
    v.page.locator(
        f"{ROOT} .descent-visualizer__panel--model input[name$='-layers'][value='{layers}']"
    ).check()
    v.page.wait_for_function(
        "([sel, n]) => { const s = document.querySelector(sel).descentVisualizer.state();"
        " return s.model.startsWith(n + 'x') && !s.loading; }",
        arg=[ROOT, layers],
    )
    model = v.state()["model"]
    assert v.bins() == [
        first,
        combination(idx, {**start, "dataset": other}),
        combination(idx, {**start, "dataset": other, "model": model}),
    ]
    # Going back to a combination already seen fetches nothing.
    v.page.locator(f"{ROOT} .descent-visualizer__panel--data input[value='{start['dataset']}']").check()
    v.page.locator(
        f"{ROOT} .descent-visualizer__panel--model input[name$='-layers'][value='{start['model'][0]}']"
    ).check()
    v.wait_state(dataset=start["dataset"], model=start["model"])
    assert len(v.bins()) == 4 and v.bins()[-1] == combination(idx, {**start, "model": model})


def test_keyboard_arrows_move_between_radio_choices(visit):
    v = visit()
    start = v.state()["dataset"]
    v.page.locator(f"{ROOT} .descent-visualizer__panel--data input:checked").focus()
    v.page.keyboard.press("ArrowDown")
    v.page.wait_for_function(
        "([sel, d]) => document.querySelector(sel).descentVisualizer.state().dataset !== d", arg=[ROOT, start]
    )


def test_a_shared_address_restores_the_view(visit, index):
    idx, _ = index
    model = idx["models"][-1]["id"]
    dataset = idx["datasets"][-1]["id"]
    training = idx["trainings"][-1]["id"]
    v = visit(f"?model={model}&dataset={dataset}&training={training}&epoch=40&zoom=1")
    state = v.state()
    # The last training is the minibatch one: its path has a position per step up to epoch 40.
    per_epoch = -(-train_size(TRAINING["samples"]) // MINIBATCH["batch"])
    assert state.pop("path")["positions"] == 40 * per_epoch + 1
    assert state == {
        "model": model,
        "dataset": dataset,
        "training": training,
        "epoch": 40,
        "zoom": 1.0,
        "playing": False,
        "loading": False,
        "complete": True,  # not the page's first view: the whole file, fetched
    }
    assert (
        v.page.locator(f"{ROOT} .descent-visualizer__panel--data input:checked").get_attribute("value")
        == dataset
    )
    assert v.page.locator(f"{ROOT} output").inner_text() == "40"
    assert v.page.get_by_role("radio", name=idx["trainings"][-1]["label"]).is_checked()
    query = parse_qs(urlsplit(v.page.url).query)
    assert query["model"] == [model] and query["dataset"] == [dataset] and query["training"] == [training]


def test_a_broken_address_falls_back_to_the_default_view(visit, index):
    idx, _ = index
    v = visit("?model=9x9&dataset=mnist&training=lbfgs&epoch=-3&zoom=banana")
    state = v.state()
    default = idx["default"]
    assert (state["model"], state["dataset"], state["training"]) == (
        default["model"],
        default["dataset"],
        default["training"],
    )


def test_choosing_the_training_shows_the_other_run_s_data(visit, index):
    """The training radios (by keyboard) fetch the other run's file, keep the network, data, epoch
    and zoom, and the page's numbers (the readout, the loss at the weights, the share of the path
    the plane holds) are that file's; the address keeps the choice."""
    idx, path = index
    v = visit()
    start, before = v.state(), v.pictures()
    first, other = idx["trainings"]
    assert start["training"] == first["id"]
    v.page.get_by_role("radio", name=first["label"]).focus()
    v.page.keyboard.press("ArrowDown")
    v.wait_state(training=other["id"])
    state = v.state()
    assert {k: state[k] for k in ("model", "dataset", "epoch", "zoom")} == {
        k: start[k] for k in ("model", "dataset", "epoch", "zoom")
    }
    assert v.bins() == [combination(idx, start), combination(idx, state)]
    href = v.page.locator(f"{ROOT} .descent-visualizer__download").get_attribute("href")
    assert href.endswith("/" + combination(idx, state))
    after = v.pictures()
    assert after["surface"] != before["surface"] and after["curve"] != before["curve"]

    def numbers(state):
        """What the page should say at this state, from the combination file it downloads."""
        header, a = read_combination((path.parent / combination(idx, state)).read_bytes())
        e, z, c = (
            header["epochs"].index(state["epoch"]),
            header["radii"].index(state["zoom"]),
            header["grid"] // 2,
        )
        return {
            "readout": f"train loss {float(a['curves'][0, state['epoch']]):.3f}, "
            f"test loss {float(a['curves'][2, state['epoch']]):.3f}",
            "surface": f"loss {float(a['loss'][e, z, c, c]):.3f} at the current weights",
            "path": f"the plane holds {round(100 * (1 - float(a['path_error'][e, 0])))}%",
            "note": f"{header['steps_per_epoch']} steps per epoch"
            if header["batch"]
            else "one step per epoch",
        }

    want, was = numbers(state), numbers(start)
    assert want["readout"] != was["readout"]  # the two runs can be told apart by these numbers
    assert want["surface"] != was["surface"]
    assert want["note"] == "15 steps per epoch" and other["batch"] == 16  # 240 training points
    shown = {
        "readout": v.page.locator(f"{ROOT} .descent-visualizer__readout").inner_text(),
        "surface": v.page.locator(f"{ROOT} .descent-visualizer__canvas--surface").get_attribute("aria-label"),
        "path": v.page.locator(f"{ROOT} .descent-visualizer__path").inner_text(),
        "note": v.page.locator(
            f"{ROOT} .descent-visualizer__panel--model .descent-visualizer__note"
        ).inner_text(),
    }
    for name, text in want.items():
        assert text in shown[name], (name, shown[name])
    curve = v.page.locator(f"{ROOT} .descent-visualizer__canvas--curve")
    assert "the 15 batches of each epoch" in curve.get_attribute("aria-label")  # the band of batch losses
    v.page.wait_for_function(
        f"() => new URLSearchParams(location.search).get('training') === '{other['id']}'"
    )

    # Back to the first training: nothing fetched again, and its own numbers.
    v.page.keyboard.press("ArrowUp")
    v.wait_state(training=first["id"])
    assert len(v.bins()) == 2
    assert was["readout"] in v.page.locator(f"{ROOT} .descent-visualizer__readout").inner_text()
    assert "batches" not in curve.get_attribute("aria-label")  # one step per epoch: no band


def test_a_minibatch_run_s_path_goes_through_every_step(visit, index):
    """A minibatch run's file has every step: the page draws the path through each one up to the
    epoch (more positions than recorded epochs), and the positions outside the plotted square are
    the ones the downloaded file puts there; a full-batch run's path has one per recorded epoch."""
    idx, path = index
    minibatch = next(t for t in idx["trainings"] if t["batch"])
    v = visit(f"?training={minibatch['id']}")
    v.wait_state(training=minibatch["id"])
    slider = v.page.locator(f"{ROOT} input[type=range]")
    slider.focus()
    v.page.keyboard.press("Home")
    for _ in range(6):  # epoch 8: steps from several epochs, some of the path still on the square
        v.page.keyboard.press("ArrowRight")
    for zoom in v.page.locator(f"{ROOT} select option").evaluate_all("els => els.map(e => e.value)"):
        v.page.locator(f"{ROOT} select").select_option(zoom)
        state = v.state()
        header, a = read_combination((path.parent / combination(idx, state)).read_bytes())
        e, r = header["epochs"].index(state["epoch"]), state["zoom"]
        count = state["epoch"] * header["steps_per_epoch"] + 1
        assert state["path"]["positions"] == count > len(header["epochs"])
        on_plane = (a["steps"][:count] - a["steps_origin"][e]) / r
        outside = int((np.abs(on_plane) > 1).any(axis=1).sum())
        assert state["path"]["outside"] == outside, (zoom, state["path"], outside)
        note = v.page.locator(f"{ROOT} .descent-visualizer__path").inner_text()
        if outside:
            assert f"{outside} of the {count} positions, one per step," in note, note
    # The full-batch run: one position per recorded epoch, as before.
    v.page.get_by_role("radio", name=idx["trainings"][0]["label"]).check()
    v.wait_state(training=idx["trainings"][0]["id"])
    assert v.state()["path"]["positions"] == int(slider.input_value()) + 1


def test_the_page_fits_a_phone(visit):
    v = visit(viewport=(390, 844))
    overflow = v.page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    for name in ("surface", "boundary", "curve"):
        box = v.page.locator(f"{ROOT} .descent-visualizer__canvas--{name}").bounding_box()
        assert box["width"] > 200 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    for choice in v.page.locator(f"{ROOT} .descent-visualizer__group--training label").all():
        box = choice.bounding_box()  # each training's label on the screen, at least a finger high
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 20, box


def test_the_surface_shows_the_stored_loss_grid(visit, index):
    """The page decodes what the build packed: the loss at the centre of the plane, which it
    reports in the surface's label, is the combination file's value."""
    idx, path = index
    v = visit()
    state = v.state()
    header, arrays = read_combination((path.parent / combination(idx, state)).read_bytes())
    e, z = header["epochs"].index(state["epoch"]), header["radii"].index(state["zoom"])
    centre = header["grid"] // 2
    label = v.page.locator(f"{ROOT} .descent-visualizer__canvas--surface").get_attribute("aria-label")
    assert f"loss {float(arrays['loss'][e, z, centre, centre]):.3f} at the current weights" in label, label
    readout = v.page.locator(f"{ROOT} .descent-visualizer__readout").inner_text()
    assert f"train loss {float(arrays['curves'][0, state['epoch']]):.3f}" in readout, readout


def test_the_visualizer_starts_after_instant_navigation(browser, site_url):
    from test_site_browser import click_link

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(site_url + "lessons/landscapes/")
    click_link(page, site_url + PAGE)
    page.wait_for_function("sel => document.querySelector(sel).descentVisualizer", arg=ROOT)
    page.evaluate("async sel => { await document.querySelector(sel).descentVisualizer.ready }", ROOT)
    assert page.locator(f"{ROOT} canvas").count() == 3
    # Back to the lesson and forward again: the old visualizer is torn down, a new one starts.
    click_link(page, site_url + "lessons/landscapes/")
    click_link(page, site_url + PAGE)
    page.wait_for_function("sel => document.querySelector(sel).descentVisualizer", arg=ROOT)
    page.evaluate("async sel => { await document.querySelector(sel).descentVisualizer.ready }", ROOT)
    assert errors == []
    context.close()
