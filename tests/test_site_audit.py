"""The built site as its readers get it, every page of it (tests/site_audit.py does the work, one
pass per page): nothing fails to load and nothing comes from another host, axe-core finds no
serious or critical violation (at desktop width in the light scheme and at 360 px in the dark
one), the first view is at most 1 MB as GitHub Pages would send it, every figure's trace types
are registered in the plotly.js bundle its page loads, no page scrolls sideways at phone width,
the controls are reached by the keyboard, and every local link and anchor leads somewhere.

Uses the session fixtures of tests/conftest.py: ``built_site`` (the real course, built once),
``site_url`` (it, served on 127.0.0.1) and ``browser`` (one headless chromium).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from site_audit import (
    AXE_JS,
    AXE_RUN,
    SERIOUS,
    audit_page,
    check_links,
    mp4_metadata_size,
    site_pages,
    transfer_size,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser]

FIRST_VIEW_BUDGET = 1_000_000  # bytes, compressed as GitHub Pages sends them
ROOT = Path(__file__).resolve().parent.parent
BUNDLES = ROOT / "docs" / "assets" / "vendor" / "plotly"


@pytest.fixture(scope="session")
def audits(browser, built_site, site_url):
    return {page or "/": audit_page(browser, built_site, site_url, page) for page in site_pages(built_site)}


def test_the_sitemap_lists_every_page(built_site, audits):
    pages = {p.parent.relative_to(built_site).as_posix() + "/" for p in built_site.rglob("index.html")}
    assert {"./" if p == "/" else p for p in audits} == pages


def test_no_request_fails_or_leaves_the_site(audits):
    failed = {page: a.failed for page, a in audits.items() if a.failed}
    foreign = {page: a.foreign for page, a in audits.items() if a.foreign}
    errors = {page: a.console for page, a in audits.items() if a.console}
    assert not failed and not foreign and not errors, (failed, foreign, errors)


def test_axe_finds_no_serious_or_critical_violation(audits):
    found = {page: a.serious for page, a in audits.items() if a.serious}
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_first_view_fits_the_budget(audits):
    sizes = {page: a.first_view_bytes for page, a in audits.items()}
    heaviest = max(sizes, key=sizes.get)
    assert sizes[heaviest] <= FIRST_VIEW_BUDGET, f"{heaviest}: {sizes[heaviest]} bytes: " + ", ".join(
        f"{f} {n}" for f, n in sorted(audits[heaviest].first_view.items(), key=lambda x: -x[1])[:8]
    )


def test_every_figure_draws_with_the_bundle_its_page_loads(audits):
    pages = {page: a for page, a in audits.items() if a.trace_types.get("used")}
    assert len(pages) >= 8, "fewer pages with figures than the course has"
    for page, a in pages.items():
        assert a.trace_types["registered"], f"{page} loaded no plotly.js"
        assert not a.unregistered, f"{page}: trace types missing from its plotly.js bundle: {a.unregistered}"
        assert not a.figure_errors, f"{page}: {a.figure_errors} figures could not be drawn"
    # Pages without 3-D figures load the smaller bundle.
    flat = [
        page
        for page, a in pages.items()
        if not {"surface", "scatter3d"} & set().union(*a.trace_types["used"].values())
    ]
    assert flat and all("surface" not in audits[page].trace_types["registered"] for page in flat)


def test_no_page_restyles_itself_whole_once_parsed(audits):
    """The theme's script starts on a page that has its root classes and absolute stylesheet
    addresses already (overrides/main.html): changed after parsing, either one restyled and laid
    out every element again, about 0.35 s of a phone's CPU on a lesson full of math."""
    found = {page: a.restyles for page, a in audits.items() if a.restyles}
    assert not found, found


def _font_file(family: str, weight: str, style: str) -> str:
    variant = ("Bold" if weight in ("700", "bold") else "") + ("Italic" if style == "italic" else "")
    return f"{family}-{variant or 'Regular'}.woff2"


def test_every_font_the_math_uses_is_preloaded_and_no_other(audits):
    """A font found only when the page is laid out comes late and lays its text out again; a
    font preloaded and not used is bytes for nothing (descent/site/math.py, fonts_used)."""
    late = {page: a.fonts["late"] for page, a in audits.items() if a.fonts["late"]}
    assert not late, f"fonts loaded by the stylesheet, not preloaded: {late}"
    unused = {
        page: sorted(set(a.fonts["preloaded"]) - {_font_file(*face) for face in a.fonts["used"]})
        for page, a in audits.items()
    }
    assert not any(unused.values()), f"preloaded and not used: {unused}"
    assert any("KaTeX_Size1-Regular.woff2" in a.fonts["preloaded"] for a in audits.values())


def test_no_page_scrolls_sideways(audits):
    wide = {page: a.overflow for page, a in audits.items() if a.overflow}
    assert not wide, f"pages wider than the viewport ({{viewport: page width}}): {wide}"


def test_links_and_anchors_all_lead_somewhere(built_site, site_url):
    problems, local, _ = check_links(built_site, site_url)
    assert local > 500, "the checker found almost no links: is it reading the pages?"
    assert not problems, "\n".join(problems)


# ---------- the checks themselves can fail ----------


def test_the_link_checker_finds_a_missing_file_and_a_missing_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a> <a href="a/#there">ok</a> <a href="#top">ok</a> <h1 id="top">x</h1>'
        '<a href="a/#nowhere">bad anchor</a> <img src="missing.png"> <a href="https://example.org/">far</a>'
    )
    (tmp_path / "a" / "index.html").write_text('<h2 id="there">y</h2><a href="../index.html#top">ok</a>')
    problems, local, external = check_links(tmp_path)
    assert local == 6 and external == 1
    assert len(problems) == 2, problems
    assert any("nowhere" in p for p in problems) and any("missing.png" in p for p in problems)


def test_axe_reports_what_it_should(browser):
    page = browser.new_page()
    try:
        page.set_content(
            '<html lang="en"><head><title>t</title></head><body><main>'
            '<p style="color:#bbb;background:#fff">pale text</p><button></button></main></body></html>'
        )
        page.add_script_tag(path=str(AXE_JS))
        found = {v["id"] for v in page.evaluate(AXE_RUN) if v["impact"] in SERIOUS}
    finally:
        page.close()
    assert {"color-contrast", "button-name"} <= found, found


def test_video_counts_only_its_metadata(tmp_path):
    def box(kind: bytes, size: int) -> bytes:
        return size.to_bytes(4, "big") + kind + bytes(size - 8)

    video = tmp_path / "v.mp4"
    video.write_bytes(box(b"ftyp", 24) + box(b"moov", 1000) + box(b"mdat", 500_000))
    assert mp4_metadata_size(video) == transfer_size(video) == 1024
    text = tmp_path / "a.js"
    text.write_text("x = 1;\n" * 10_000)
    assert transfer_size(text) < 1000  # gzip -6


def test_bundles_register_the_traces_they_say(browser):
    index = json.loads((BUNDLES / "bundles.json").read_text())
    page = browser.new_page()
    try:
        for bundle in index["bundles"]:
            page.set_content("<html><body></body></html>")
            page.add_script_tag(path=str(BUNDLES / bundle["file"]))
            registered = page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)")
            assert set(bundle["traces"]) <= set(registered), bundle["file"]
    finally:
        page.close()
    smallest = min(index["bundles"], key=lambda b: len(b["traces"]))
    assert "surface" not in smallest["traces"], "3-D traces belong in the bigger bundle only"


# ---------- keyboard ----------

# Where the focus is after a Tab: the control's key (a radio group is one), whether it shows a
# focus ring, and whether it is one of the controls this test is about.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none';
  return {key: el.dataset.tabKey, ring, control: !!el.dataset.tabKey};
}"""


@pytest.mark.parametrize("path", ["lessons/gradient-descent/", "visualizer/"])
def test_every_control_is_reached_by_the_tab_key(browser, site_url, path):
    """Tab from the top reaches every select and slider of the figures and the visualizer (a
    group of radio buttons is one stop: arrow keys move within it), each with a focus ring."""
    page = browser.new_page(viewport={"width": 1350, "height": 940})
    try:
        page.goto(site_url + path)
        figures = page.locator("figure.descent-figure")
        for i in range(figures.count()):  # controls are built with their figure
            figures.nth(i).scroll_into_view_if_needed()
            page.wait_for_function(
                "f => f.querySelector('.js-plotly-plot, .descent-figure__error')",
                arg=figures.nth(i).element_handle(),
            )
        page.wait_for_function("() => !document.querySelector('.descent-visualizer__loading')")
        controls = page.evaluate(
            """() => {
              const root = '.descent-figure__controls, .descent-visualizer';
              const all = document.querySelectorAll(`:is(${root}) :is(select, input, button)`);
              const keys = new Set();
              all.forEach((el, i) => {
                if (el.disabled || el.offsetParent === null) return;
                const name = el.type === 'radio' ? el.name : `${i} ${el.textContent || el.id}`;
                el.dataset.tabKey = `${el.tagName} ${name}`;
                keys.add(el.dataset.tabKey);
              });
              return [...keys];
            }"""
        )
        assert controls, "no controls on the page"
        page.evaluate("document.activeElement && document.activeElement.blur()")
        reached, unringed = set(), []
        for _ in range(800):
            page.keyboard.press("Tab")
            info = page.evaluate(FOCUSED)
            if info is None:
                break
            if info["control"]:
                reached.add(info["key"])
                if not info["ring"]:
                    unringed.append(info["key"])
            if reached >= set(controls):
                break
        assert set(controls) <= reached, f"not reached by Tab: {sorted(set(controls) - reached)}"
        assert not unringed, f"no visible focus: {unringed}"
    finally:
        page.close()


# ---------- what the first view loads ----------


def test_figures_below_the_first_view_wait_for_the_reader(browser, site_url):
    """Before any scrolling only the figures on screen draw; the first scroll draws those near."""
    path = "lessons/comparisons/"
    drawn = "[...document.querySelectorAll('figure.descent-figure .js-plotly-plot')].length"
    page = browser.new_page(viewport={"width": 1350, "height": 700})
    try:
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        assert (
            page.evaluate("document.querySelector('figure.descent-figure').getBoundingClientRect().top") > 700
        )
        assert page.evaluate(drawn) == 0 and not [u for u in requests if "/plotly/" in u]
        page.mouse.wheel(0, 400)
        page.wait_for_function(f"{drawn} >= 1")
    finally:
        page.close()
    page = browser.new_page(viewport={"width": 1350, "height": 2400})  # the first figure on screen
    try:
        page.goto(site_url + path)
        page.wait_for_function(f"{drawn} >= 1")
        assert page.evaluate("window.scrollY") == 0
    finally:
        page.close()
