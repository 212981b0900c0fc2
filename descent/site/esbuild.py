"""The site's JavaScript: each entry module bundled with its imports into one script, by the
esbuild that scripts/setup.sh pins."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

# What every browser the course supports runs, as one classic script per page (no module
# loading at run time: a page's script starts as soon as it is parsed).
OPTIONS = ["--bundle", "--format=iife", "--target=es2020", "--minify", "--log-level=warning"]


class BundleError(Exception):
    """esbuild refused an entry; the message is esbuild's."""


def bundle(esbuild: Path, entries: list[Path]) -> tuple[dict[str, bytes], str]:
    """Each entry bundled: ({entry's file name: script}, esbuild's warnings, "" if none)."""
    if not esbuild.is_file():
        raise BundleError(f"no esbuild at {esbuild}; run: bash scripts/setup.sh")
    with tempfile.TemporaryDirectory(prefix="descent-js-") as out:
        done = subprocess.run(
            [str(esbuild), *map(str, entries), *OPTIONS, f"--outdir={out}"],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BundleError(done.stderr.strip() or f"esbuild exited with status {done.returncode}")
        scripts = {entry.name: (Path(out) / entry.name).read_bytes() for entry in entries}
    return scripts, done.stderr.strip()
