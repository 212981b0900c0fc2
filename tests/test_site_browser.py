"""The built site in a real browser: videos play, figures draw, controls work, palette and instant
navigation are followed, and nothing errors or leaves 127.0.0.1.

Drives Debian chromium through Playwright against the `site_url` fixture (tests/conftest.py),
which builds the site and serves it over http on 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import urlsplit

import pytest

import lessons

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LESSON = "lessons/gradient-descent/"
# Every lesson page of the course, as the site serves it.
LESSON_PAGES = [m.LESSON["page"].removesuffix(".md") + "/" for m in lessons.TAUGHT]
TIMEOUT_MS = 30_000

# A figure has drawn when plotly has its full data and has put traces on the page:
# SVG traces inside a cartesian subplot, or the WebGL canvas of a 3-D scene.
FIGURE_DRAWN = """fig => {
  const gd = fig.querySelector('.js-plotly-plot');
  if (!gd || !gd._fullData || !gd._fullData.some(t => t.visible === true)) return false;
  if (fig.querySelector('.cartesianlayer .mlayer > *')) return true;
  const canvas = fig.querySelector('.gl-container canvas');
  return !!canvas && canvas.width > 0 && canvas.height > 0;
}"""

# What each trace currently holds: point count of x and its visibility.
TRACE_STATE = """fig => fig.querySelector('.js-plotly-plot').data.map(t => ({
  n: t.x ? t.x.length : null,
  visible: t.visible === undefined ? true : t.visible,
}))"""

# Font colour of every drawn figure (a far-away 3-D figure may be purged to free its WebGL context).
DRAWN_FONT_COLORS = """[...document.querySelectorAll('.js-plotly-plot')]
  .filter(gd => gd._fullLayout).map(gd => gd._fullLayout.font.color)"""

DRAWN_LINES = """fig => [...fig.querySelectorAll('.scatterlayer path.js-line')]
  .map(p => p.getAttribute('d'))"""


@pytest.fixture(scope="session")
def journal():
    """Everything any page did that would be a defect, over the whole session."""
    return {"console": [], "failed": [], "foreign": [], "requests": []}


@pytest.fixture
def new_page(browser, journal, site_url):
    """Opens fresh pages (own context: clean palette and cache) that report into the journal."""
    contexts = []
    allowed_host = urlsplit(site_url).hostname

    def open_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.on(
            "console",
            lambda m: m.type == "error" and journal["console"].append(f"{m.text} @ {m.location}"),
        )
        page.on("pageerror", lambda e: journal["console"].append(f"uncaught: {e}"))
        page.on("request", lambda r: on_request(r, allowed_host))
        page.on("requestfailed", on_failed)
        page.on(
            "response",
            lambda r: r.status >= 400 and journal["failed"].append(f"{r.status} {r.url}"),
        )
        return page

    def on_request(request, host):
        journal["requests"].append(request.url)
        if urlsplit(request.url).hostname != host and not request.url.startswith(("data:", "blob:")):
            journal["foreign"].append(request.url)

    def on_failed(request):
        # Chromium aborts a media download on purpose once it has what preload="metadata" asked
        # for; that is not a broken link. Any other failure is.
        if request.resource_type == "media" and "ERR_ABORTED" in (request.failure or ""):
            return
        journal["failed"].append(f"{request.failure} {request.url}")

    yield open_page
    for context in contexts:
        context.close()


def open_lesson(new_page, site_url, lesson=LESSON):
    page = new_page()
    page.goto(site_url + lesson)
    figures = page.locator("figure.descent-figure")
    assert figures.count() >= 1, "the lesson has no figures"
    return page, figures


def wait_drawn(page, figure):
    figure.scroll_into_view_if_needed()
    page.wait_for_function(FIGURE_DRAWN, arg=figure.element_handle())


def figure_with(page, figures, selector):
    """The first figure with a control matching selector (controls come with the lazy figure)."""
    for i in range(figures.count()):
        wait_drawn(page, figures.nth(i))
        if figures.nth(i).locator(selector).count():
            return figures.nth(i)
    pytest.fail(f"no figure on the lesson has a control matching {selector!r}")


def figure_spec(page, figure):
    """The figure JSON the page was given, fetched the way descent.js fetches it."""
    return page.evaluate(
        "async fig => (await fetch(new URL(fig.dataset.figure, document.baseURI))).json()",
        figure.element_handle(),
    )


def stepped(step):
    return [*step.get("upto", []), *step.get("at", [])]


def path_length(spec, step, index):
    """Points of a stepped trace's whole path: a marker of the current step ("at") takes them from
    the path it follows."""
    follows = dict(zip(step.get("at", []), step.get("follows", []), strict=False))
    return array_length(spec["data"][follows.get(index, index)]["x"])


def array_length(value):
    """Length of a trace array, plain or in plotly's typed-array encoding ({dtype, bdata})."""
    if isinstance(value, dict):
        size = {"f8": 8, "f4": 4, "i4": 4, "u4": 4, "i2": 2, "u2": 2, "i1": 1, "u1": 1}
        return len(base64.b64decode(value["bdata"])) // size[value["dtype"]]
    return len(value)


def palette_scheme(page):
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def toggle_palette(page):
    """Clicks the header's visible palette toggle (a label for the next palette input)."""
    before = palette_scheme(page)
    page.evaluate("document.querySelector('[data-descent-palette] label:not([hidden])').click()")
    page.wait_for_function(
        "before => document.body.getAttribute('data-md-color-scheme') !== before", arg=before
    )


def click_link(page, url):
    """Follows a navigation link through the DOM, as instant navigation needs; checks that it was
    an instant navigation (same document) and waits until the new content replaced the old."""
    old_content = page.evaluate_handle("document.querySelector('.md-content')")
    clicked = page.evaluate(
        """url => {
          window.__descentInstant = url;  // lost if the browser loads a whole new document
          const links = [...document.querySelectorAll('.md-nav--primary a[href], .md-header a[href]')];
          const link = links.find(a => a.href === url);
          if (link) link.click();
          return !!link;
        }""",
        url,
    )
    assert clicked, f"no navigation link to {url}"
    page.wait_for_url(url)
    assert page.evaluate("window.__descentInstant") == url, (
        "a full page load, not instant navigation (mkdocs-material only takes over links that are "
        "in sitemap.xml: was the site built with site_url = the address it is served from?)"
    )
    page.wait_for_function("old => !old.isConnected", arg=old_content)


@pytest.mark.parametrize("lesson", LESSON_PAGES)
def test_every_video_has_metadata_and_a_poster_and_plays(new_page, site_url, lesson):
    page = new_page()
    page.goto(site_url + lesson)
    videos = page.locator("video")
    assert videos.count() >= 1, "the lesson has no videos"
    # Posters come as a video nears the screen: one far below the first view has none yet.
    last = videos.nth(videos.count() - 1)
    if last.bounding_box()["y"] > 2 * page.viewport_size["height"]:
        assert last.get_attribute("poster") is None, "a poster far below the first view loaded"
    for i in range(videos.count()):
        video = videos.nth(i)
        video.scroll_into_view_if_needed()
        page.wait_for_function("v => v.poster", arg=video.element_handle())
        poster_url = page.evaluate("v => v.poster", video.element_handle())
        assert page.request.get(poster_url).ok, f"poster {poster_url} does not load"
        page.wait_for_function(
            "v => v.readyState >= 1 || v.error", arg=video.element_handle()
        )  # HAVE_METADATA (loadedmetadata has fired)
        error = page.evaluate("v => v.error && v.error.message", video.element_handle())
        assert not error, f"video {i} failed: {error}"
        duration = page.evaluate("v => v.duration", video.element_handle())
        assert duration > 0, f"video {i} has duration {duration}"
        # It plays: the clock moves (muted, as browsers allow without a gesture).
        page.evaluate("v => { v.muted = true; return v.play(); }", video.element_handle())
        page.wait_for_function("v => v.currentTime > 0.2", arg=video.element_handle())
        page.evaluate("v => v.pause()", video.element_handle())


@pytest.mark.parametrize("lesson", LESSON_PAGES)
def test_every_figure_draws_and_responds_to_its_controls(new_page, site_url, lesson):
    page, figures = open_lesson(new_page, site_url, lesson)
    for i in range(figures.count()):
        figure = figures.nth(i)
        wait_drawn(page, figure)
        assert figure.locator(".descent-figure__plot[role=group][aria-label]").count() == 1
        assert not figure.locator(".descent-figure__error").count()
        # Fixed-size plot area, filled by plotly (responsive, no fixed width in the JSON).
        box = figure.locator(".js-plotly-plot").bounding_box()
        assert box["height"] >= 300 and box["width"] >= 300, box
        assert_controls_respond(page, figure)


def assert_controls_respond(page, figure):
    """Each select changes which traces are visible; the step slider shortens the paths."""
    fig = figure.element_handle()
    visible = "fig => JSON.stringify(fig.querySelector('.js-plotly-plot').data.map(t => t.visible))"
    for select in figure.locator(".descent-figure__controls select").all():
        options = select.locator("option").count()
        if options < 2:
            continue
        before = page.evaluate(visible, fig)
        current = select.input_value()
        select.select_option(next(str(k) for k in range(options) if str(k) != current))
        page.wait_for_function(f"fig => ({visible})(fig) !== {json.dumps(before)}", arg=fig)
        select.select_option(current)
        page.wait_for_function(f"fig => ({visible})(fig) === {json.dumps(before)}", arg=fig)
    steps = [c for c in figure_spec(page, figure)["controls"] if c["type"] == "step"]
    if steps:
        figure.locator("input[type=range]").first.fill("0")
        page.wait_for_function(f"fig => ({TRACE_STATE})(fig)[{steps[0]['upto'][0]}].n === 1", arg=fig)


def test_step_slider_changes_the_drawn_path(new_page, site_url):
    page, figures = open_lesson(new_page, site_url)
    figure = figure_with(page, figures, ".descent-figure__controls input[type=range]")
    wait_drawn(page, figure)
    slider = figure.locator("input[type=range]").first
    assert page.evaluate("el => el.labels.length", slider.element_handle()) == 1, "unlabelled"
    step = next(c for c in figure_spec(page, figure)["controls"] if c["type"] == "step")
    spec = figure_spec(page, figure)
    full = {i: path_length(spec, step, i) for i in stepped(step)}
    top = int(slider.get_attribute("max"))
    assert top == step["max"] >= 2
    fig = figure.element_handle()
    lines_before = page.evaluate(DRAWN_LINES, fig)

    def expected_counts(k):
        counts = {i: min(k + 1, full[i]) for i in step.get("upto", [])}
        counts.update({i: 1 if k < full[i] else 0 for i in step.get("at", [])})
        return counts

    def shown_counts():
        state = page.evaluate(TRACE_STATE, fig)
        return {i: state[i]["n"] for i in stepped(step)}

    assert shown_counts() == expected_counts(int(slider.input_value()))
    middle = top // 2
    slider.fill(str(middle))
    page.wait_for_function(
        f"fig => ({TRACE_STATE})(fig)[{step['upto'][0]}].n === {expected_counts(middle)[step['upto'][0]]}",
        arg=fig,
    )
    assert shown_counts() == expected_counts(middle)
    if lines_before:  # a 2-D figure: the SVG path itself was redrawn
        assert page.evaluate(DRAWN_LINES, fig) != lines_before
    assert figure.locator("output").first.inner_text().startswith(str(middle))

    # Keyboard: Home goes to step 0, where every stepped trace holds its first point.
    slider.focus()
    page.keyboard.press("Home")
    page.wait_for_function(f"fig => ({TRACE_STATE})(fig)[{step['upto'][0]}].n === 1", arg=fig)
    assert slider.input_value() == "0"
    assert shown_counts() == expected_counts(0)


def test_select_changes_visible_traces_and_works_with_the_slider(new_page, site_url):
    page, figures = open_lesson(new_page, site_url)
    figure = figure_with(page, figures, ".descent-figure__controls select")
    wait_drawn(page, figure)
    select = figure.locator(".descent-figure__controls select").first
    assert page.evaluate("el => el.labels.length", select.element_handle()) == 1, "unlabelled"
    fig = figure.element_handle()
    controls = figure_spec(page, figure)["controls"]
    options = next(c for c in controls if c["type"] == "select")["options"]

    def visibility():
        return [t["visible"] for t in page.evaluate(TRACE_STATE, fig)]

    current = int(select.input_value())
    assert visibility() == options[current]["visible"]
    other = next((i for i, o in enumerate(options) if o["visible"] != options[current]["visible"]), None)
    assert other is not None, "every option of the select shows the same traces"
    select.select_option(str(other))
    expected = options[other]["visible"]
    page.wait_for_function(
        f"fig => JSON.stringify(({TRACE_STATE})(fig).map(t => t.visible)) === "
        f"{json.dumps(json.dumps(expected, separators=(',', ':')))}",
        arg=fig,
    )

    # Then scrub: the new selection stays, and the paths follow the slider.
    step = next((c for c in controls if c["type"] == "step"), None)
    if step and step.get("upto"):
        figure.locator("input[type=range]").first.fill("1")
        page.wait_for_function(f"fig => ({TRACE_STATE})(fig)[{step['upto'][0]}].n === 2", arg=fig)
        assert visibility() == expected


def test_palette_toggle_rethemes_figures(new_page, site_url):
    page, figures = open_lesson(new_page, site_url)
    for i in range(figures.count()):
        wait_drawn(page, figures.nth(i))
    font_colors = DRAWN_FONT_COLORS
    first = page.evaluate(font_colors)
    assert first, "no drawn figure"
    scheme = palette_scheme(page)

    toggle_palette(page)
    assert palette_scheme(page) != scheme
    page.wait_for_function(f"before => {font_colors}.every((c, i) => c !== before[i])", arg=first)
    toggled = page.evaluate(font_colors)
    assert len(set(toggled)) == 1, "figures disagree on the font colour"

    toggle_palette(page)
    page.wait_for_function(f"before => {font_colors}.every((c, i) => c === before[i])", arg=first)


def test_palette_follows_the_system_until_the_reader_chooses(browser, site_url):
    """The header's own toggle (overrides/partials/palette.html): a first visit takes the system's
    scheme, a click or Enter switches it, and the choice outlives a full reload."""
    context = browser.new_context(color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(site_url + LESSON)
        assert palette_scheme(page) == "slate", "a dark system preference was not followed"
        visible = page.locator("[data-descent-palette] label:not([hidden])")
        assert visible.count() == 1 and visible.get_attribute("title") == "Switch to light mode"
        toggle_palette(page)
        assert palette_scheme(page) == "default"
        page.reload()
        assert palette_scheme(page) == "default", "the reader's choice was lost on reload"
        # From the keyboard: Enter on the focused option moves to the next one.
        page.locator("[data-descent-palette] input:checked").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    finally:
        context.close()


def test_instant_navigation_away_and_back_rerenders(new_page, site_url):
    page, figures = open_lesson(new_page, site_url)
    wait_drawn(page, figures.first)
    old_figure = figures.first.element_handle()

    click_link(page, site_url)
    assert page.evaluate("el => !el.isConnected", old_figure), "the lesson is still on the page"

    click_link(page, site_url + LESSON)
    figures = page.locator("figure.descent-figure")
    assert figures.count() >= 1
    for i in range(figures.count()):
        figure = figures.nth(i)
        wait_drawn(page, figure)
        assert figure.locator(".descent-figure__controls").count() <= 1, "controls built twice"
    # The palette is still followed after instant navigation.
    font_color = f"{DRAWN_FONT_COLORS}[0]"
    before = page.evaluate(font_color)
    toggle_palette(page)
    page.wait_for_function(f"before => {font_color} !== before", arg=before)
    # Controls still drive the re-rendered figures.
    slider = page.locator(".descent-figure__controls input[type=range]")
    if slider.count():
        figure = figure_with(page, figures, ".descent-figure__controls input[type=range]")
        figure.scroll_into_view_if_needed()
        figure.locator("input[type=range]").first.fill("0")
        page.wait_for_function(
            f"fig => ({TRACE_STATE})(fig).some(t => t.n === 1)", arg=figure.element_handle()
        )


@pytest.mark.parametrize("lesson", LESSON_PAGES)
def test_math_is_typeset(new_page, site_url, lesson):
    page = new_page()
    page.goto(site_url + lesson)
    math = page.locator(".arithmatex")
    assert math.count() >= 1, "the lesson has no math"
    page.wait_for_function(
        "[...document.querySelectorAll('.arithmatex')].every(el => el.querySelector('.katex'))"
    )
    assert not page.locator(".katex-error").count(), "KaTeX could not parse some math"
    blocks = page.locator("div.arithmatex")
    assert blocks.count() == blocks.locator(".katex-display").count(), "display math shown inline"


def test_notebook_figures_draw_after_instant_navigation(new_page, site_url):
    # Notebook outputs carry their figure inline; they must draw on a page reached without reload.
    page = new_page()
    page.goto(site_url + LESSON)
    click_link(page, site_url + "notebooks/optimizer_intuition/")
    figures = page.locator("figure.descent-figure")
    assert figures.count() >= 2, "the notebook page shows fewer figures than the notebook makes"
    for i in range(figures.count()):
        wait_drawn(page, figures.nth(i))
        assert not figures.nth(i).locator(".descent-figure__error").count()
    assert page.locator("a[href$='.ipynb']").count() >= 1, "no download link for the notebook"


def test_whole_session_is_clean_and_local(new_page, site_url, journal):
    # Home: no figures, so no plotly.js.
    page = new_page()
    start = len(journal["requests"])
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    home_requests = journal["requests"][start:]
    assert home_requests, "the home page made no requests at all"
    assert not [u for u in home_requests if "plotly" in u.lower()], "home page loads plotly.js"

    # Then the lesson through instant navigation, every figure drawn, palette toggled.
    click_link(page, site_url + LESSON)
    figures = page.locator("figure.descent-figure")
    for i in range(figures.count()):
        wait_drawn(page, figures.nth(i))
    toggle_palette(page)
    page.wait_for_load_state("networkidle")
    plotly_loads = [u for u in journal["requests"][start:] if "/assets/vendor/plotly/" in u]
    assert len(plotly_loads) == 1, plotly_loads

    assert not journal["console"], journal["console"]
    assert not journal["failed"], journal["failed"]
    assert not journal["foreign"], journal["foreign"]
