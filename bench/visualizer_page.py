#!/usr/bin/env python3
"""The visualizer page in headless chromium: time to first render, bytes transferred for the
first view (and then the whole first combination) and for each switch of dataset, model or
training, and epoch-change latency (on the combination of the last switch, a minibatch run).

Serves a built site (``bash scripts/build-site.sh`` or ``mkdocs build`` after
``build_assets.py``) on 127.0.0.1 and opens its visualizer page in fresh browser contexts (empty
cache), at a desktop viewport of 1280x800. The page itself records (``root.descentVisualizer``):

- first render: ``performance.now()`` when all three plots are first drawn, which counts from
  the start of navigation; beside it the page's first contentful paint (the theme's text), what
  any page of the site costs before the visualizer draws anything;
- epoch-change latency: for each ``input`` event of the epoch slider, from the event's time stamp
  to the end of the redraw, which the page does before it yields the frame. The key presses
  are real (trusted) ones, sent by the browser's input pipeline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from page_bench import CHROMIUM, CHROMIUM_ARGS, ROOT, percentile, serve, table_row
from playwright.sync_api import sync_playwright

ROOT_SELECTOR = ".descent-visualizer"
# The theme's first paint of the page's text: what any page of the site costs before the visualizer.
FIRST_PAINT = "performance.getEntriesByName('first-contentful-paint')[0].startTime"
RESOURCES = """() => [
  ...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource'),
].map(e => ({name: e.name, bytes: e.transferSize}))"""


def open_cold(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(url)
    page.evaluate("async sel => { await document.querySelector(sel).descentVisualizer.ready }", ROOT_SELECTOR)
    return context, page


def api(page, expression: str):
    return page.evaluate(f"sel => document.querySelector(sel).descentVisualizer.{expression}", ROOT_SELECTOR)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: %(default)s)")
    p.add_argument("--loads", type=int, default=10, help="cold page loads for first render (default: 10)")
    p.add_argument("--presses", type=int, default=300, help="epoch changes by key press (default: 300)")
    args = p.parse_args()
    if not (args.site / "visualizer" / "index.html").is_file():
        sys.exit(f"no visualizer page in {args.site}: build the site first (bash scripts/build-site.sh)")

    server, base = serve(args.site)
    url = base + "visualizer/"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        first_renders, first_paints, first_bytes, page_bytes = [], [], [], []
        for i in range(args.loads):
            context, page = open_cold(browser, url)
            first_renders.append(api(page, "firstRender"))
            # The first view is drawn from the page; the whole file (every epoch) follows it.
            page.wait_for_function(
                "s => document.querySelector(s).descentVisualizer.state().complete", arg=ROOT_SELECTOR
            )
            time.sleep(0.3)  # let late resources (fonts, icons) report
            first_paints.append(page.evaluate(FIRST_PAINT))
            resources = page.evaluate(RESOURCES)
            first_bytes.append(sum(r["bytes"] for r in resources))
            page_bytes.append(resources[0]["bytes"])  # the HTML, which carries the first view's data
            print(f"  load {i + 1}: first render {first_renders[-1]:.0f} ms, page's first paint "
                  f"{first_paints[-1]:.0f} ms", file=sys.stderr)  # fmt: skip
            if i < args.loads - 1:
                context.close()

        # Switches: dataset, then model, then training; the bytes each one fetched.
        switch_bytes = []
        before = len(page.evaluate(RESOURCES))
        state = api(page, "state()")
        datasets = page.locator(f"{ROOT_SELECTOR} .descent-visualizer__panel--data input[type=radio]")
        other = next(
            v for v in datasets.evaluate_all("els => els.map(e => e.value)") if v != state["dataset"]
        )
        page.locator(f"{ROOT_SELECTOR} input[value='{other}']").check()
        page.wait_for_function(
            "([s, d]) => document.querySelector(s).descentVisualizer.state().dataset === d",
            arg=[ROOT_SELECTOR, other],
        )
        time.sleep(0.2)
        resources = page.evaluate(RESOURCES)
        switch_bytes.append(sum(r["bytes"] for r in resources[before:]))
        before = len(resources)
        widths = page.locator(f"{ROOT_SELECTOR} input[name$='-width']:not(:checked):not(:disabled)")
        widths.first.check()
        page.wait_for_function(
            "([s, m]) => document.querySelector(s).descentVisualizer.state().model !== m",
            arg=[ROOT_SELECTOR, state["model"]],
        )
        time.sleep(0.2)
        resources = page.evaluate(RESOURCES)
        switch_bytes.append(sum(r["bytes"] for r in resources[before:]))
        before = len(resources)
        state = api(page, "state()")
        page.locator(f"{ROOT_SELECTOR} input[name$='-training']:not(:checked):not(:disabled)").first.check()
        page.wait_for_function(
            "([s, t]) => { const v = document.querySelector(s).descentVisualizer.state();"
            " return v.training !== t && !v.loading; }",
            arg=[ROOT_SELECTOR, state["training"]],
        )
        time.sleep(0.2)
        switch_bytes.append(sum(r["bytes"] for r in page.evaluate(RESOURCES)[before:]))

        # Epoch changes: real key presses on the focused slider, back and forth.
        page.evaluate(
            "sel => { document.querySelector(sel).descentVisualizer.latencyLog.length = 0 }", ROOT_SELECTOR
        )
        slider = page.locator(f"{ROOT_SELECTOR} input[type=range]")
        slider.focus()
        page.keyboard.press("Home")
        steps = int(slider.get_attribute("max"))
        for k in range(args.presses):
            page.keyboard.press("ArrowRight" if (k // steps) % 2 == 0 else "ArrowLeft")
        log = api(page, "latencyLog")
        latencies = [e["ms"] for e in log if e["type"] == "input"]
        browser.close()
    server.shutdown()

    median_first = statistics.median(first_renders)
    print(f"first render over {args.loads} cold loads: median {median_first:.0f} ms, "
          f"min {min(first_renders):.0f}, max {max(first_renders):.0f}; the page's first paint "
          f"(text, before any plot): median {statistics.median(first_paints):.0f} ms")  # fmt: skip
    print(f"bytes up to the whole first combination: {statistics.median(first_bytes) / 1024:.0f} KiB in "
          f"all, of which the page (first view inline) {statistics.median(page_bytes) / 1024:.0f} KiB; "
          "uncompressed: this server sends no gzip")  # fmt: skip
    kib = [f"{b / 1024:.0f}" for b in switch_bytes]
    print(f"bytes per switch: dataset {kib[0]} KiB, model {kib[1]} KiB, training {kib[2]} KiB")
    print(f"epoch change over {len(latencies)} key presses: median {statistics.median(latencies):.1f} ms, "
          f"p95 {percentile(latencies, 0.95):.1f} ms, max {max(latencies):.1f} ms")  # fmt: skip
    table_row(
        f"{median_first:.0f} ({statistics.median(first_paints):.0f})",
        f"{statistics.median(first_bytes) / 1024:.0f} ({statistics.median(page_bytes) / 1024:.0f})",
        " / ".join(kib),
        f"{statistics.median(latencies):.1f}",
        f"{percentile(latencies, 0.95):.1f}",
    )


if __name__ == "__main__":
    main()
