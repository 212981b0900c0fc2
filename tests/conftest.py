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

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built as the README builds it (videos at low quality), from a copy of docs/.

    Assets come from the project's store (so a warm machine reuses them) but are published into
    the copy, leaving the author's docs/ untouched.
    """
    work = tmp_path_factory.mktemp("site-build")
    docs = work / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("generated"))
    run = functools.partial(subprocess.run, cwd=ROOT, check=True, capture_output=True, text=True)
    try:
        run(
            [
                sys.executable,
                "build_assets.py",
                "--quality",
                "low",
                "--out",
                str(docs / "assets" / "generated"),
            ]
        )
        run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(work / "site")],
            env={**os.environ, "DESCENT_DOCS_DIR": str(docs)},
        )
    except subprocess.CalledProcessError as e:
        pytest.fail(f"site build failed: {' '.join(e.cmd)}\n{e.stdout}\n{e.stderr}")
    return work / "site"


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """Base URL (``http://127.0.0.1:PORT/``) of the built site, served by a local HTTP server."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass
