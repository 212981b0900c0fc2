"""The site's plotly.js bundles (scripts/plotly/bundle.mjs): a page loads the smallest one that
draws every trace type its figures use, as bundles.json lists them."""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.plugins import get_plugin_logger
from mkdocs.utils import get_relative_url

log = get_plugin_logger(__name__)


def trace_types(figure: dict) -> set[str]:
    """The trace types of a Plotly figure's JSON (a trace without a type is a scatter)."""
    return {trace.get("type", "scatter") for trace in figure["data"]}


class PlotlyBundles:
    """The bundles in ``folder`` (a path in the docs), read on first use."""

    def __init__(self, docs_dir: str, folder: str):
        self.folder = folder
        self._index = Path(docs_dir) / folder / "bundles.json"
        self._bundles: list[dict] | None = None

    def _read(self) -> list[dict]:
        if self._bundles is None:
            try:
                index = json.loads(self._index.read_text())
                self._bundles = sorted(index["bundles"], key=lambda b: len(b["traces"]))
            except (OSError, ValueError, KeyError) as e:
                self._bundles = []
                problem = e.__class__.__name__
                log.error(f"no plotly.js bundles in {self.folder} ({problem}); run: bash scripts/setup.sh")
        return self._bundles

    def address(self, types: set[str], page) -> str:
        """The address, from ``page``, of the smallest bundle that draws every type."""
        bundles = self._read()
        for bundle in bundles:
            if types <= set(bundle["traces"]):
                return get_relative_url(f"{self.folder}/{bundle['file']}", page.file.url)
        log.error(
            f"{page.file.src_uri}: no plotly.js bundle draws trace types {sorted(types)}; add them to a "
            "bundle in scripts/plotly/bundle.mjs and run: bash scripts/setup.sh"
        )
        name = bundles[-1]["file"] if bundles else "missing.js"
        return get_relative_url(f"{self.folder}/{name}", page.file.url)
