"""The engine as a wheel, built with the site and served from it: a notebook's reader installs it
with one command.

The wheel is the ``descent`` package as pyproject.toml describes it (its dependencies are what the
notebooks need, not what builds the course). It is built once per change of its sources and kept
under ``.cache/wheel/<digest>/``, so ``mkdocs serve`` rebuilds cost a digest; the same sources
give the same bytes (a fixed SOURCE_DATE_EPOCH, normalized file modes and umask). The site
serves it at ``downloads/<wheel's file name>``; a notebook's page shows the install command
(``descent_wheel`` in its template context), and the notebook a reader downloads starts with a
cell that runs it. The committed notebooks, and the site build's execution of them, are left as
they are.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File

log = get_plugin_logger(__name__)

PACKAGE = "descent"
METADATA = ("pyproject.toml", "README.md")  # the project's metadata and its long description
EPOCH = 315532800  # 1980-01-01, the earliest time a zip file holds: the wheel's every timestamp
INSTALL_CELL_ID = "install-descent"


def sources(root: Path) -> list[Path]:
    """The files the wheel is built from, in a fixed order."""
    modules = (p for p in (root / PACKAGE).rglob("*.py") if "__pycache__" not in p.parts)
    return [root / name for name in METADATA] + sorted(modules)


def digest(root: Path) -> str:
    """What the wheel's bytes depend on: its sources and the setuptools that builds it."""
    h = hashlib.sha256(f"setuptools {version('setuptools')}\n".encode())
    for path in sources(root):
        data = path.read_bytes()
        h.update(f"{path.relative_to(root).as_posix()} {len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()[:16]


def build(root: Path, out: Path) -> Path:
    """Build the wheel from a copy of its sources into ``out``; return its path.

    A copy, so that the checkout gets no build/ or egg-info and two builds never share one."""
    with tempfile.TemporaryDirectory(prefix="descent-wheel-") as stage:
        for path in sources(root):
            copy = Path(stage) / path.relative_to(root)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
            copy.chmod(0o644)
        # The wheel records each file's mode, and setuptools writes its metadata files with the
        # process's umask: both fixed, the bytes depend on the sources only.
        hook = "import os, sys, setuptools.build_meta as m; os.umask(0o022); m.build_wheel(sys.argv[1])"
        out.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [sys.executable, "-c", hook, str(out)],
            cwd=stage,
            env={**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)},
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise PluginError(f"building the {PACKAGE} wheel failed:\n{done.stdout}\n{done.stderr}")
    wheels = sorted(out.glob(f"{PACKAGE}-*.whl"))
    if len(wheels) != 1:
        raise PluginError(f"building the {PACKAGE} wheel left {len(wheels)} wheels in {out}")
    return wheels[0]


def cached(root: Path, cache: Path) -> Path:
    """The wheel of the sources as they are: from ``cache`` if built before, else built now."""
    key = cache / digest(root)
    found = sorted(key.glob("*.whl"))
    if found:
        return found[0]
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".building-") as tmp:
        wheel = build(root, Path(tmp) / "wheel")
        log.info(f"built {wheel.name} ({key.name})")
        try:
            os.rename(wheel.parent, key)  # whole or not at all; another build may have won
        except OSError:
            if not any(key.glob("*.whl")):
                raise
    return sorted(key.glob("*.whl"))[0]


def install_command(url: str) -> str:
    return f"pip install {url}"


def with_install_cell(notebook: dict, url: str) -> dict:
    """``notebook`` starting with a cell that installs the wheel at ``url`` into the kernel's
    environment (``%pip`` installs where the notebook runs, unlike ``!pip``)."""
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": [
            "# The course's engine (descent: surfaces, optimizers, trajectories, figures) with NumPy,\n",
            "# PyTorch and Plotly. Run this cell once; a kernel restart is needed only after an upgrade.\n",
            f"%{install_command(url)}",
        ],
    }
    if (notebook["nbformat"], notebook["nbformat_minor"]) >= (4, 5):
        cell = {"id": INSTALL_CELL_ID, **cell}
    return {**notebook, "cells": [cell, *notebook["cells"]]}


class WheelConfig(base.Config):
    project = c.Type(str, default=".")  # the folder of pyproject.toml, from mkdocs.yml's folder
    cache = c.Type(str, default=".cache/wheel")  # in the project's folder
    downloads = c.Type(str, default="downloads")  # the wheel's folder in the site


class WheelPlugin(BasePlugin[WheelConfig]):
    """Builds (or finds) the wheel, adds it to the site, and gives notebooks the command."""

    def on_config(self, config):
        if not config.site_url:
            raise PluginError("descent-wheel: the install command needs an absolute address: set site_url")
        self.root = (Path(config.config_file_path).parent / self.config.project).resolve()
        if not (self.root / "pyproject.toml").is_file():
            raise PluginError(f"descent-wheel: no pyproject.toml in {self.root} (its 'project' option)")
        self.url = ""
        self.notebooks: list[File] = []  # the notebook pages of this build

    def on_files(self, files, config):
        wheel = cached(self.root, self.root / self.config.cache)
        uri = f"{self.config.downloads}/{wheel.name}"
        files.append(File.generated(config, uri, abs_src_path=str(wheel)))
        self.url = config.site_url.rstrip("/") + "/" + uri
        self.notebooks = []
        return files

    def on_page_context(self, context, page, config, nav):
        if page.file.src_uri.endswith(".ipynb"):
            context["descent_wheel"] = {"url": self.url, "command": install_command(self.url)}
            self.notebooks.append(page.file)
        return context

    def on_post_build(self, config):
        """Each notebook as a reader downloads it: beside its page (where mkdocs-jupyter's
        download link points), with the install cell first."""
        for file in self.notebooks:
            # mkdocs-jupyter puts it at index.html's folder.
            published = Path(config.site_dir) / Path(file.dest_uri).parent / Path(file.src_uri).name
            notebook = json.loads(Path(file.abs_src_path).read_text(encoding="utf-8"))
            published.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(with_install_cell(notebook, self.url), indent=1, ensure_ascii=False)
            published.write_text(text + "\n", encoding="utf-8")
