#!/usr/bin/env python3
"""The optimizer playground on a phone-sized screen: steps per second and frame times while all
its optimizers race.

Serves a built site (``bash scripts/build-site.sh``, or ``build_assets.py`` then ``mkdocs build``)
on 127.0.0.1 and opens its playground page in headless Debian chromium, emulating a phone: a
390x844 viewport at 3 device pixels per CSS pixel, touch, a mobile user agent. Every optimizer is
enabled, Play is tapped (a real touch event), and the race runs for a few seconds at each speed
setting asked for. The page measures itself (``element.descentPlayground.stats()``, its own
``performance.now()`` and requestAnimationFrame time stamps):

- steps per second: steps the race took while playing over the time since the measurement
  started, for all of them together (one step moves every optimizer) and for each one; the
  median of ``--repeats`` races (a step lost to a stall of the machine is not made up: a frame
  never advances the race by more than a quarter second's worth);
- frame interval: time between consecutive animation frames (what the reader sees: 16.7 ms is
  60 frames per second), median and 95th percentile over every frame of every race;
- frame work: the page's own work in a frame (the optimizers' steps, the new path segments, the
  repainted rectangles and the markers; the browser's rasterizing and compositing are not
  included, and show in the frame interval).

Optionally the CPU is slowed down (``--cpu-slowdown 4``: Chrome's CPU throttling, as
Lighthouse's mobile preset does) to approximate a mid-range phone, and the race is given more
settings (``--set sigma=1 --set schedule=warmup_cosine``: gradient noise and a schedule, which
cost every step a few more operations).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from page_bench import CHROMIUM, CHROMIUM_ARGS, ROOT, percentile, serve, table_row
from playwright.sync_api import sync_playwright

ROOT_SELECTOR = ".descent-playground"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Mobile Safari/537.36"
    ),
}
# A race in which no optimizer diverges or stops for thousands of steps, so that every step of
# the measurement moves all of them (every optimizer the page offers: its opening settings).
CONFIG = {"surface": "rosenbrock", "start": [-1.5, 2.5], "lr": 0.001}


def api(page, expression: str, arg=None):
    return page.evaluate(
        f"([sel, arg]) => document.querySelector(sel).descentPlayground.{expression}", [ROOT_SELECTOR, arg]
    )


def measure(page, optimizers: list[str], speed: int, seconds: float, extra: dict) -> dict:
    """One race of the optimizers at ``speed`` steps per second, started by tapping Play."""
    api(page, "set(arg)", {**CONFIG, **extra, "opt": optimizers, "speed": speed})
    page.locator(f"{ROOT_SELECTOR} .descent-playground__play").tap()
    page.wait_for_function(
        "sel => document.querySelector(sel).descentPlayground.state().playing", arg=ROOT_SELECTOR
    )
    time.sleep(0.5)  # the first frames (layer set-up) are not the steady state
    api(page, "resetStats()")
    time.sleep(seconds)
    stats = api(page, "stats()")
    state = api(page, "state()")
    api(page, "pause()")
    if not state["playing"]:
        sys.exit(f"the race stopped before the measurement ended (step {state['step']}): {state}")
    stopped = [r["name"] for r in api(page, "runs()") if r["divergedStep"] >= 0]
    if stopped:
        sys.exit(f"optimizers diverged during the measurement: {stopped}")
    return stats


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default: %(default)s)")
    p.add_argument("--seconds", type=float, default=4.0, help="measured seconds per speed (default: 4)")
    p.add_argument(
        "--speeds", default="60,1000", help="speed settings, steps per second (default: %(default)s)"
    )
    p.add_argument("--repeats", type=int, default=3, help="races per speed (default: 3)")
    p.add_argument(
        "--cpu-slowdown", type=float, default=1.0, help="Chrome's CPU throttling rate (default: 1)"
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a setting of the race as in the page's address (e.g. sigma=1), added to the default ones",
    )
    args = p.parse_args()
    extra = {}
    for item in args.set:
        key, _, value = item.partition("=")
        try:
            extra[key] = json.loads(value)
        except json.JSONDecodeError:
            extra[key] = value
    if not (args.site / "playground" / "index.html").is_file():
        sys.exit(f"no playground page in {args.site}: build the site first (bash scripts/build-site.sh)")

    server, base = serve(args.site)
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(**PHONE)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        if args.cpu_slowdown != 1:
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.cpu_slowdown})
        page.goto(base + "playground/")
        page.evaluate("sel => document.querySelector(sel).descentPlayground.ready", ROOT_SELECTOR)
        optimizers = api(page, "config()")["opt"]
        # The theme's search builds its index in a worker after the load: wait for it to finish,
        # or it shares the CPU with the first measurement.
        page.wait_for_load_state("networkidle")
        time.sleep(2)
        page.locator(f"{ROOT_SELECTOR} canvas").scroll_into_view_if_needed()
        widths = page.evaluate("[innerWidth, document.documentElement.scrollWidth]")
        for speed in (int(s) for s in args.speeds.split(",")):
            runs = [measure(page, optimizers, speed, args.seconds, extra) for _ in range(args.repeats)]
            # Steps per second: the median race; frame times: every frame of every race.
            middle = sorted(runs, key=lambda r: r["stepsPerSecond"])[len(runs) // 2]
            intervals = [v for r in runs for v in r["frameIntervals"]]
            work = [v for r in runs for v in r["frameWork"]]
            per = middle["perOptimizer"]
            row = {
                "speed": speed,
                "sps": middle["stepsPerSecond"],
                "sps_all": [r["stepsPerSecond"] for r in runs],
                "per_min": min(per.values()),
                "per_max": max(per.values()),
                "frames": len(intervals),
                "interval_median": statistics.median(intervals),
                "interval_p95": percentile(intervals, 0.95),
                "interval_max": max(intervals),
                "work_median": statistics.median(work),
                "work_p95": percentile(work, 0.95),
            }
            rows.append(row)
            print(
                f"speed {speed} steps/s, {len(runs)} races of {args.seconds:g} s: "
                f"{', '.join(f'{v:.1f}' for v in row['sps_all'])} steps/s achieved, median race "
                f"{row['sps']:.1f} (each optimizer {row['per_min']:.1f} to {row['per_max']:.1f}); "
                f"{row['frames']} frames: interval median {row['interval_median']:.1f} ms, "
                f"p95 {row['interval_p95']:.1f} ms, longest {row['interval_max']:.0f} ms; "
                f"the page's work per frame median {row['work_median']:.2f} ms, "
                f"p95 {row['work_p95']:.2f} ms"
            )
        browser.close()
    server.shutdown()
    if errors:
        sys.exit(f"errors in the page: {errors}")
    if widths[1] > widths[0]:
        print(f"warning: the page scrolls sideways at {widths[0]} px ({widths[1]} px wide)")

    cpu = "1x" if args.cpu_slowdown == 1 else f"{args.cpu_slowdown:g}x slower"
    settings = "".join(f", {key}={value}" for key, value in extra.items())
    for row in rows:
        table_row(
            f"390×844 @3x, CPU {cpu}{settings}",
            str(row["speed"]),
            f"{row['sps']:.1f}",
            f"{row['per_min']:.1f}",
            f"{row['interval_median']:.1f} / {row['interval_p95']:.1f}",
            f"{row['work_median']:.2f} / {row['work_p95']:.2f}",
        )


if __name__ == "__main__":
    main()
