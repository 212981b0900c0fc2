#!/usr/bin/env python3
"""Screenshots of every page of a built site, and how two sets of them differ.

    .venv/bin/python bench/screenshots.py shoot SITE_DIR OUT_DIR       every page at 1280 and 390 px
    .venv/bin/python bench/screenshots.py compare BEFORE_DIR AFTER_DIR  what changed, page by page

``shoot`` serves the built site, opens every page in headless chromium (light scheme), scrolls
to its end so that lazy figures, posters and widgets draw, and saves a full-page PNG per width.
``compare`` prints, per page and width, the page heights and the share of pixels that differ
(by more than a few levels, so anti-aliasing does not count), and writes an image of each pair
that differs with the changed pixels in magenta. Run by hand (see bench/README.md); it is not a test.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - the tests' browser settings
from static_server import StaticSiteHandler  # noqa: E402 - the tests' static server (byte ranges)

WIDTHS = (1280, 390)
THRESHOLD = 24  # a channel must move by more than this (of 255) for a pixel to count as changed


def pages(site: Path) -> list[str]:
    """Every page's address relative to the site's root ("" for the home page)."""
    found = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if not rel.startswith(("assets", "search")):
            found.append("" if rel == "." else rel + "/")
    return found


def shoot(site: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(StaticSiteHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="light")
                page = context.new_page()
                for address in pages(site):
                    page.goto(base + address, wait_until="networkidle")
                    for _ in range(40):  # down to the end, so that everything lazy draws
                        if page.evaluate("window.scrollY + innerHeight >= document.body.scrollHeight - 2"):
                            break
                        page.mouse.wheel(0, 800)
                        page.wait_for_timeout(150)
                    page.wait_for_load_state("networkidle")
                    page.evaluate("window.scrollTo(0, 0)")
                    page.wait_for_timeout(500)
                    target = out / str(width) / ((address or "home/").rstrip("/").replace("/", "--") + ".png")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(target), full_page=True, animations="disabled")
                    print(f"{width:>5} px  {address or '/'}", flush=True)
                context.close()
            browser.close()
    finally:
        server.shutdown()


def compare(before: Path, after: Path) -> int:
    print("| page | width | height before | height after | pixels changed |")
    print("| --- | --- | --- | --- | --- |")
    changed = 0
    for old in sorted(before.rglob("*.png")):
        rel = old.relative_to(before)
        new = after / rel
        if rel.parts[0] == "diff" or not new.is_file():
            continue
        a, b = np.asarray(Image.open(old).convert("RGB")), np.asarray(Image.open(new).convert("RGB"))
        height = min(len(a), len(b))
        moved = np.abs(a[:height].astype(int) - b[:height].astype(int)).max(axis=-1) > THRESHOLD
        share = moved.mean() if a.shape == b.shape else float("nan")
        print(f"| {rel.stem} | {rel.parts[0]} | {len(a)} | {len(b)} | {share:.2%} |")
        if a.shape != b.shape or moved.any():
            changed += 1
            picture = b[:height].copy()
            picture[moved] = (255, 0, 255)
            target = after / "diff" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(picture).save(target)
    return changed


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("shoot", help="screenshot every page of a built site")
    s.add_argument("site", type=Path)
    s.add_argument("out", type=Path)
    c = sub.add_parser("compare", help="compare two sets of screenshots")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = p.parse_args()
    if args.command == "shoot":
        if not (args.site / "index.html").is_file():
            p.error(f"{args.site}: not a built site (no index.html)")
        shoot(args.site, args.out)
        return 0
    changed = compare(args.before, args.after)
    print(f"{changed} screenshots differ; marked copies in {args.after / 'diff'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
