"""What a page's ``<head>`` needs beyond the theme's, handed to the templates by the plugins.

overrides/main.html reads it as ``descent``: the stylesheets only some pages use (the
visualizer's, the playground's, notebooks'), linked in the head so that instant navigation adds
and removes them with the page, and the fonts its typeset math uses, preloaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Head:
    stylesheets: list[str] = field(default_factory=list)  # site paths, in the order added
    fonts: list[str] = field(default_factory=list)  # site paths of the fonts to preload


def head(context: dict) -> Head:
    """The page's ``Head`` in its template context (``context["descent"]``), made on first use."""
    return context.setdefault("descent", Head())


def add_stylesheet(sheets: list[str], path: str) -> None:
    if path not in sheets:
        sheets.append(path)
