"""Shared fixtures. ``site_url`` builds the real course site once per session and serves it."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from static_server import StaticSiteHandler

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for every browser test of the session (Playwright's sync API allows
    one running instance per thread)."""
    from chromium import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_server(tmp_path_factory):
    """A local HTTP server for the built site, bound before the build: the site must be built
    with the address it is served from, or instant navigation (which only follows links of its
    own ``site_url``, port included) falls back to full page loads."""
    site = tmp_path_factory.mktemp("site-build") / "site"
    handler = functools.partial(StaticSiteHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.site_dir = site
    server.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield server
    server.server_close()


@pytest.fixture(scope="session")
def built_site(site_server) -> Path:
    """The site built as the README builds it (videos at low quality), from a copy of docs/.

    Assets come from the project's store (so a warm machine reuses them) but are published into
    the copy, leaving the author's docs/ untouched.
    """
    work = site_server.site_dir.parent
    docs = work / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("generated"))
    run = functools.partial(subprocess.run, cwd=ROOT, check=True, capture_output=True, text=True)
    try:
        published = docs / "assets" / "generated"
        run([sys.executable, "build_assets.py", "--quality", "low", "--out", str(published)])
        run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_server.site_dir)],
            env={**os.environ, "DESCENT_DOCS_DIR": str(docs), "DESCENT_SITE_URL": site_server.url},
        )
    except subprocess.CalledProcessError as e:
        pytest.fail(f"site build failed: {' '.join(e.cmd)}\n{e.stdout}\n{e.stderr}")
    return site_server.site_dir


@pytest.fixture(scope="session")
def site_url(site_server, built_site) -> str:
    """Base URL (``http://127.0.0.1:PORT/``) of the built site, served on a background thread."""
    thread = threading.Thread(target=site_server.serve_forever, daemon=True)
    thread.start()
    yield site_server.url
    site_server.shutdown()
