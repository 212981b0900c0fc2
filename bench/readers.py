#!/usr/bin/env python3
"""The built site as its readers get it, page by page: Lighthouse, axe-core, requests, bytes, links.

For every page in the built site's sitemap.xml:

- Lighthouse 13 (``.cache/tools/audit``, run by Node from ``.cache/tools/node``; both installed by
  scripts/setup.sh) against Debian's chromium, headless and offline: performance with the
  desktop preset and with its default mobile emulation (simulated slow 4G and a 4x slower CPU),
  and accessibility;
- one pass in chromium through Playwright (tests/site_audit.py, the same as the tests): failed
  requests, requests to any other host, axe-core's serious and critical violations (desktop
  width in the light scheme, then 360 px in the dark one), and the bytes of the page's first view
  and of the whole page once every figure has drawn.

The bytes are what GitHub Pages would send (it compresses text with gzip): every response of
the page, each counted as the gzip -6 size of the file it served if GitHub Pages compresses that
type (HTML, CSS, JavaScript, JSON, SVG, XML) and as its size otherwise (images, fonts); a video
counts only its metadata (the file less its mdat box), which preload="metadata" needs. The first
view is every response until the load event and 500 ms without network activity, at 1350x940
without scrolling (figures draw lazily, when they come near the viewport); the whole page adds
what scrolling to every figure fetches. The local server here does gzip compressible types
itself, as GitHub Pages does, so that Lighthouse's simulated network sees realistic sizes.

Then the link checker (tests/site_audit.py) over every HTML file: local links that lead nowhere
and anchors missing from their page.

    .venv/bin/python bench/readers.py                  # builds the site (videos at low quality)
    .venv/bin/python bench/readers.py --site site      # a site built already
    .venv/bin/python bench/readers.py --pages lessons/comparisons/ --runs 3
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import site_audit  # noqa: E402 - the tests' checks
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - the tests' browser settings
from static_server import StaticSiteHandler  # noqa: E402 - the tests' static server (byte ranges)

NODE = ROOT / ".cache" / "tools" / "node" / "bin" / "node"
LIGHTHOUSE = ROOT / ".cache" / "tools" / "audit" / "node_modules" / "lighthouse" / "cli" / "index.js"
# Headless Debian chromium for Lighthouse: no sandbox (root), no GPU, nothing from the network.
LIGHTHOUSE_CHROME_FLAGS = " ".join(["--headless=new", *CHROMIUM_ARGS[1:]])


class GzipHandler(StaticSiteHandler):
    """The tests' static server, compressing what GitHub Pages compresses (whole responses)."""

    _cache: dict[Path, bytes] = {}

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            "Range" in self.headers
            or "gzip" not in self.headers.get("Accept-Encoding", "")
            or path.suffix not in site_audit.COMPRESSED
            or not path.is_file()
        ):
            return super().send_head()
        if path not in self._cache:
            self._cache[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        body = self._cache[path]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build_site(work: Path, site_url: str) -> Path:
    """The site as the tests build it: a copy of docs/, assets from the store (videos at low
    quality), mkdocs build --strict for the address it is served from."""
    docs, site = work / "docs", work / "site"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("generated"))
    run = functools.partial(subprocess.run, cwd=ROOT, check=True)
    print("building the assets and the site...", file=sys.stderr)
    run([sys.executable, "build_assets.py", "--quality", "low", "--out", str(docs / "assets" / "generated")])
    env = {**os.environ, "DESCENT_DOCS_DIR": str(docs), "DESCENT_SITE_URL": site_url}
    run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)], env=env)
    return site


def lighthouse(url: str, desktop: bool) -> dict[str, float]:
    """Lighthouse's performance and accessibility scores (0-100) for one load of ``url``."""
    cmd = [
        str(NODE), str(LIGHTHOUSE), url,
        "--only-categories=performance,accessibility",
        "--output=json", "--output-path=stdout", "--quiet",
        f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}",
        "--no-enable-error-reporting",
        *(["--preset=desktop"] if desktop else []),
    ]  # fmt: skip
    done = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"lighthouse failed on {url}:\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout)
    if report.get("runtimeError"):
        sys.exit(f"lighthouse could not load {url}: {report['runtimeError']}")
    scores = {name: round(100 * c["score"]) for name, c in report["categories"].items()}
    # What cost the most, for the reader of a low score.
    audits = report["audits"]
    scores["failing"] = [
        a["id"]
        for a in audits.values()
        if a.get("score") is not None
        and a["score"] < 0.9
        and a.get("scoreDisplayMode") in ("binary", "numeric")
    ]
    scores["metrics"] = {
        k: round(audits[k]["numericValue"])
        for k in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "speed-index",
        )
        if k in audits
    }
    scores["cls"] = round(audits["cumulative-layout-shift"]["numericValue"], 3)
    return scores


def median_scores(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in ("performance", "accessibility")}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--site", type=Path, help="a built site (default: build one, as the tests do)")
    p.add_argument("--pages", nargs="*", help="only these pages, as in sitemap.xml (e.g. lessons/momentum/)")
    p.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page and form factor (median)")
    p.add_argument("--no-lighthouse", action="store_true", help="everything but Lighthouse (fast)")
    p.add_argument("--json", type=Path, help="also write every number to this file")
    args = p.parse_args()
    load_before = os.getloadavg()
    for tool in (NODE, LIGHTHOUSE, site_audit.AXE_JS):
        if not tool.exists():
            sys.exit(f"missing {tool.relative_to(ROOT)}: run bash scripts/setup.sh")

    with tempfile.TemporaryDirectory(prefix="descent-readers-") as tmp:
        if args.site:
            site = args.site.resolve()
            server, base = serve(site)
        else:
            # Bind first: the site is built for the address it is served from.
            site = Path(tmp) / "site"
            server, base = serve(site)
            build_site(Path(tmp), base)
        pages = site_audit.site_pages(site)
        if args.pages:
            pages = [page for page in pages if page in args.pages]
        own_url = min(site_audit.sitemap_urls(site), key=len)
        problems, local, external = site_audit.check_links(site, own_url)

        rows, results = [], {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for page in pages:
                t0 = time.perf_counter()
                audit = site_audit.audit_page(browser, site, base, page)
                result = {
                    "first_view": audit.first_view_bytes,
                    "whole_page": audit.whole_page_bytes,
                    "failed": audit.failed,
                    "foreign": audit.foreign,
                    "serious": audit.serious,
                    "unregistered": audit.unregistered,
                    "overflow": audit.overflow,
                }
                if not args.no_lighthouse:
                    for form, desktop in (("desktop", True), ("mobile", False)):
                        runs = [lighthouse(base + page, desktop) for _ in range(args.runs)]
                        result[form] = {**median_scores(runs), "runs": runs}
                results[page or "/"] = result
                print(f"  {page or '/'}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
            browser.close()
        server.shutdown()

    load = os.getloadavg()
    lines = [
        "| page | first view (kB) | whole page (kB) | failed / foreign requests | axe serious + critical "
        "| Lighthouse performance, desktop | performance, mobile | accessibility (desktop / mobile) |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for page, r in results.items():
        lh = "| – | – | – |" if args.no_lighthouse else (
            f"| {r['desktop']['performance']:.0f} | {r['mobile']['performance']:.0f} "
            f"| {r['desktop']['accessibility']:.0f} / {r['mobile']['accessibility']:.0f} |"
        )  # fmt: skip
        rows.append(
            f"| {page} | {r['first_view'] / 1000:.0f} | {r['whole_page'] / 1000:.0f} "
            f"| {len(r['failed'])} / {len(r['foreign'])} | {len(r['serious'])} " + lh
        )
    print(f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, load average "
          f"(1, 5, 15 min) {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} before the run, "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} after; Lighthouse runs per page and form factor: "
          f"{0 if args.no_lighthouse else args.runs} (median)")  # fmt: skip
    print("\n".join(lines + rows))
    heaviest = max(results, key=lambda k: results[k]["first_view"])
    print(f"\nheaviest first view: {heaviest} {results[heaviest]['first_view'] / 1e6:.2f} MB "
          "(gzip -6 of each compressible response, as GitHub Pages sends it)")  # fmt: skip
    print(f"links: {local} local links and anchors checked, {len(problems)} broken; "
          f"{external} links to other sites not followed")  # fmt: skip
    for problem in problems:
        print(f"  broken: {problem}")
    for page, r in results.items():
        for key in ("failed", "foreign", "unregistered", "overflow"):
            if r[key]:
                print(f"  {page} {key}: {r[key]}")
        for v in r["serious"]:
            print(f"  {page} axe {v['impact']} {v['id']} ({v['where']}): {v['help']}: {v['nodes']}")
        for form in ("desktop", "mobile"):
            if form in r and r[form]["performance"] < 100:
                last = r[form]["runs"][-1]
                print(
                    f"  {page} {form}: {last['metrics']} ms, CLS {last['cls']}; below 0.9: {last['failing']}"
                )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
