"""Show Plotly figures from the course's notebooks, both in Jupyter and on the site.

A notebook output carries two forms of the figure: Plotly's own MIME type, which JupyterLab
draws, and the site's figure markup with the JSON inline, which the page's script draws lazily,
in the reader's palette and under instant navigation, without any inline script or CDN. (The
site's build moves that JSON to a file beside the page, which the script fetches when the figure
nears the screen: descent/site/notebooks.py.)
"""

from __future__ import annotations

import base64
import html
import json

import numpy as np
import plotly.graph_objects as go

F32_MAX = float(np.finfo(np.float32).max)


def figure_markup(fig: go.Figure, title: str) -> str:
    """The site's ``<figure class="descent-figure">`` with the figure's JSON in an attribute.

    Not in a ``<script type="application/json">``: mkdocs-material's instant navigation
    re-creates every script of a new page to run it, and would run the JSON as code."""
    spec = json.loads(fig.to_json())
    spec["layout"].pop("template", None)
    spec["data"] = [{k: _float32(v) for k, v in trace.items()} for trace in spec["data"]]
    data = html.escape(json.dumps(spec, separators=(",", ":"), allow_nan=False), quote=True)
    label = html.escape(title)
    return (
        f'<figure class="descent-figure" data-figure-json="{data}">'
        f'<div class="descent-figure__plot" role="group" aria-label="{label}"></div>'
        f"<figcaption>{label}</figcaption></figure>"
    )


def _float32(value):
    """A trace's float64 array in plotly's binary form ({"dtype": "f8", "bdata": …}) as float32:
    a notebook carries every figure inline (and the site sends each one), and half the bytes
    draw the same."""
    if not (isinstance(value, dict) and value.get("dtype") == "f8" and "bdata" in value):
        return value
    array = np.frombuffer(base64.b64decode(value["bdata"]), dtype="<f8")
    narrowed = np.clip(array, -F32_MAX, F32_MAX).astype("<f4")
    return {**value, "dtype": "f4", "bdata": base64.b64encode(narrowed.tobytes()).decode()}


class Figure:
    """A displayable figure: Jupyter picks the richest form it can draw."""

    def __init__(self, fig: go.Figure, title: str):
        self.fig, self.title = fig, title

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "application/vnd.plotly.v1+json": json.loads(self.fig.to_json()),
            "text/html": figure_markup(self.fig, self.title),
            "text/plain": f"<figure: {self.title}>",
        }


def show(fig: go.Figure, title: str) -> Figure:
    """Return ``fig`` wrapped for display; make it the last expression of a cell."""
    return Figure(fig, title)
