"""What the page benchmarks share (bench/playground.py, bench/visualizer_page.py): the built site
served on 127.0.0.1 as the tests serve it, a percentile, and a row of the README's tables."""

from __future__ import annotations

import functools
import http.server
import os
import platform
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402, F401 - the tests' browser settings
from static_server import StaticSiteHandler  # noqa: E402 - the tests' static server


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """The site on a free port, on a background thread: (server, base URL)."""
    handler = functools.partial(StaticSiteHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def table_row(*cells: str) -> None:
    """A row of the README's table: today, this machine, then the cells."""
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    print("table row: | " + " | ".join([time.strftime("%Y-%m-%d"), machine, *cells]) + " |")
