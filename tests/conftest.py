"""Shared fixtures. ``site_url`` builds the real course site once per session and serves it."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

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
    handler = functools.partial(_QuietHandler, directory=str(site))
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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static server like the site's real hosts: it answers byte-range requests, which browsers
    use for video (without them, Chromium aborts its first request for an mp4)."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_head(self):
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start = int(match.group(1))
        end = min(int(match.group(2) or size - 1), size - 1)
        if start >= size or start > end:
            self.send_error(416, "Requested Range Not Satisfiable")
            return None
        f = open(path, "rb")  # noqa: SIM115 - closed by the base class after copyfile
        f.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self._remaining = end - start + 1
        return f

    def copyfile(self, source, outputfile):
        remaining = getattr(self, "_remaining", None)
        if remaining is None:
            return super().copyfile(source, outputfile)
        self._remaining = None
        try:
            while remaining > 0:
                block = source.read(min(1 << 16, remaining))
                if not block:
                    break
                outputfile.write(block)
                remaining -= len(block)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser has what it wanted
