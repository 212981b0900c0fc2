"""Lesson pages refer to what the build published by id; the site's JavaScript is bundled.

``{{ video("gradient-descent/parabola") }}``, ``{{ figure("gradient-descent/contour-lr") }}``,
``{{ visualizer("landscapes/explorer") }}`` and ``{{ playground("playground/optimizers") }}`` (or,
configured as a figure, ``{{ playground("playground/optimizers", "surface=saddle&opt=sgd,adam") }}``,
the query string of a shared playground address) become the markup the site's scripts and
stylesheets expect, with the files the build's manifest lists and their downloads. The kinds are
the manifest's sections (``manifest["figures"]``, ...), each shown by its entry in ``MARKUP``. An
unknown id is logged as an error, which fails ``mkdocs build --strict``. Shortcodes inside code
(fenced blocks or backticks) are left alone, so the docs can show them.

The scripts under ``javascripts/`` are ES modules: each entry is bundled with what it imports
(esbuild.py) and published at ``javascripts/<entry>``; no other file of that folder is.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from descent.site import esbuild
from descent.site.head import add_stylesheet, head
from descent.site.plotly import PlotlyBundles, trace_types

log = get_plugin_logger(__name__)
ROOT = Path(__file__).resolve().parents[2]


class AssetsConfig(base.Config):
    generated = c.Type(str, default="assets/generated")  # in the docs: manifest.json and its files
    plotly = c.Type(str, default="assets/vendor/plotly")  # in the docs: the bundles and bundles.json
    javascripts = c.Type(str, default="javascripts")  # in the docs: the modules
    entries = c.ListOfItems(c.Type(str), default=["descent.js", "playground.js", "visualizer.js"])
    esbuild = c.File(exists=False, default=".cache/tools/plotly/node_modules/@esbuild/linux-x64/bin/esbuild")


@dataclass
class Shortcode:
    """One use of a shortcode: ``{{ kind("id"[, "argument"]) }}`` and the manifest's entry."""

    kind: str
    id: str
    item: dict
    argument: str = ""

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.id.replace('/', '-')}"


@dataclass
class PageAssets:
    """What the markup of a shortcode needs of its page: addresses from it, the published files,
    the plotly.js bundle its figures load, and the page's own stylesheets (head.py)."""

    page: object  # mkdocs.structure.pages.Page
    published: Path  # the manifest's folder
    published_uri: str  # the same, as a path in the site
    plotly: str = ""
    stylesheets: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        """A published file's address from the page, for an attribute."""
        return self.site_url(f"{self.published_uri}/{path}")

    def site_url(self, path: str) -> str:
        """A file of the site by its path from the site's root, from the page, for an attribute."""
        return html.escape(get_relative_url(path, self.page.file.url))

    def read(self, path: str) -> bytes:
        return (self.published / path).read_bytes()

    def stylesheet(self, path: str) -> None:
        add_stylesheet(self.stylesheets, path)

    def error(self, message: str) -> None:
        log.error(f"{self.page.file.src_uri}: {message}")


# ---------- the markup of each published kind ----------


def downloads(item: dict, page: PageAssets) -> str:
    f = item["files"]
    return (
        f'<span class="descent-downloads">Download: <a href="{page.url(f["data"])}" download>data (.npz)</a>'
        f' · <a href="{page.url(f["recipe"])}" download>recipe (.json)</a></span>'
    )


def video(use: Shortcode, page: PageAssets) -> str:
    """The video with its captions track, then its text description (read from the published
    file, so it is in the page for search and screen readers), then the title and downloads."""
    title = html.escape(use.item["title"])
    files = use.item["files"]
    track = details = ""
    if {"captions", "description"} <= files.keys():
        text = page.read(files["description"]).decode("utf-8")
        paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())
        captions = page.url(files["captions"])
        track = f'<track kind="captions" srclang="en" label="English" src="{captions}" default>'
        details = (
            '<details class="descent-video__description"><summary>Text description</summary>'
            f"{paragraphs}</details>"
        )
    else:  # published before videos had captions
        page.error(f"video {use.id!r} has no captions; run: python build_assets.py")
    return (
        f'\n<figure class="descent-video" id="{use.anchor}">'
        # The poster is set by descent.js when the video comes near the screen: four posters
        # of 30-70 kB each would otherwise share a phone's first seconds with the page's text.
        f'<video controls preload="metadata" playsinline data-poster="{page.url(files["poster"])}"'
        f' aria-label="{title}">'
        f'<source src="{page.url(files["video"])}" type="video/mp4">{track}'
        f"Your browser cannot play this video; download it from the link below.</video>"
        f"{details}<figcaption>{title} {downloads(use.item, page)}</figcaption></figure>\n"
    )


def figure(use: Shortcode, page: PageAssets) -> str:
    """A mount point for descent.js: the figure's JSON to fetch and the plotly.js to load."""
    title = html.escape(use.item["title"])
    data = page.url(use.item["files"]["figure"])
    return (
        f'\n<figure class="descent-figure" id="{use.anchor}" data-figure="{data}"'
        f' data-plotly="{html.escape(page.plotly)}">'
        # A group, not an image: plotly puts buttons (its mode bar) inside the plot.
        f'<div class="descent-figure__plot" role="group" aria-label="{title}"></div>'
        f"<figcaption>{title} {downloads(use.item, page)}</figcaption></figure>\n"
    )


PLAYGROUND = "javascripts/playground.js"  # its engine included
PLAYGROUND_CSS = "stylesheets/playground.css"
WIDGETS_CSS = "stylesheets/widgets.css"  # what the playground and the visualizer share, linked first


def playground(use: Shortcode, page: PageAssets) -> str:
    """A mount point for playground.js: the surfaces' and optimizers' data (its file, and a copy
    inline, from which the widget is built at its final size before anything is fetched: its rows
    and sliders come from the data), and the configuration it starts from (the page's own address,
    if it has none)."""
    data = page.read(use.item["files"]["playground"])
    page.stylesheet(WIDGETS_CSS)
    page.stylesheet(PLAYGROUND_CSS)
    return (
        f'\n<div class="descent-playground" id="{use.anchor}"'
        f' data-playground="{page.url(use.item["files"]["playground"])}"'
        f' data-playground-json="{html.escape(json.dumps(json.loads(data), separators=(",", ":")))}"'
        f' data-config="{html.escape(use.argument)}">'
        "<noscript>The playground runs in the browser and needs JavaScript.</noscript></div>\n"
        f'<script src="{page.site_url(PLAYGROUND)}"></script>\n'
    )


# Loaded by the pages that have a visualizer, from their content, before the theme's deferred
# scripts (see visualizer).
VISUALIZER = "javascripts/visualizer.js"
VISUALIZER_CSS = "stylesheets/visualizer.css"


def visualizer(use: Shortcode, page: PageAssets) -> str:
    """A mount point for visualizer.js, with the index and the default combination's first view
    inline, and the script right after it.

    Inline, the first view needs no request: the script draws it before the theme's deferred
    scripts run, and fetches the whole combination (every epoch) once the page is painted. Only
    the last epoch's planes travel in the page (the producer's first-view.bin, 21 kB), where the
    whole file's 186 kB held up a phone's first paint (0.6 s in Lighthouse's mobile simulation).
    """
    files = use.item["files"]
    index = json.loads(page.read(files["index"]))
    attributes = {
        "id": use.anchor,
        "data-index": page.url(files["index"]),
        "data-index-json": html.escape(json.dumps(index, separators=(",", ":"))),
    }
    if "first-view" in files:  # absent when a loss scale is not finite: then it is fetched
        first_file = files[use.item["recipe"]["default"].replace("/", "-")]
        attributes["data-first-file"] = html.escape(Path(first_file).name)
        attributes["data-first"] = base64.b64encode(page.read(files["first-view"])).decode()
    page.stylesheet(WIDGETS_CSS)
    page.stylesheet(VISUALIZER_CSS)
    return (
        '\n<div class="descent-visualizer" '
        + " ".join(f'{k}="{v}"' for k, v in attributes.items())
        + '><p class="descent-visualizer__loading">Loading the visualizer…</p>'
        "<noscript>The visualizer draws in the browser and needs JavaScript.</noscript></div>\n"
        f'<script src="{page.site_url(VISUALIZER)}"></script>\n'
        f'<p class="descent-downloads">Download: <a href="{page.url(files["recipe"])}" download>'
        "recipe of every model (.json)</a></p>\n"
    )


# Every kind the build publishes is shown by one of these: a kind in the manifest without an
# entry here fails the build.
MARKUP: dict[str, Callable[[Shortcode, PageAssets], str]] = {
    "figure": figure,
    "video": video,
    "visualizer": visualizer,
    "playground": playground,
}

SHORTCODE = re.compile(
    r"(?P<code>^(?P<fence>```|~~~).*?^(?P=fence)|`[^`\n]+`)"
    rf"|\{{\{{\s*(?P<kind>{'|'.join(MARKUP)})\(\s*\"(?P<id>[^\"]+)\""
    r"(?:\s*,\s*\"(?P<argument>[^\"]*)\")?\s*\)\s*\}\}",
    re.DOTALL | re.MULTILINE,
)


class AssetsPlugin(BasePlugin[AssetsConfig]):
    def on_pre_build(self, *, config) -> None:
        """Read the manifest afresh on every build, so ``mkdocs serve`` sees new assets."""
        self._published = Path(config.docs_dir) / self.config.generated
        self._plotly = PlotlyBundles(config.docs_dir, self.config.plotly)
        self._trace_types: dict[str, set[str]] = {}  # figure file -> its trace types
        self._stylesheets: dict[str, list[str]] = {}  # page -> the stylesheets its markup needs
        path = self._published / "manifest.json"
        try:
            self._manifest = json.loads(path.read_text())
            self._manifest_error = None
        except (OSError, ValueError) as e:
            self._manifest = {}
            self._manifest_error = f"no usable {path} ({e.__class__.__name__}); run: python build_assets.py"
        kinds = {key[:-1] for key, items in self._manifest.items() if isinstance(items, dict)}
        if unshown := sorted(kinds - MARKUP.keys()):
            raise PluginError(
                f"{path}: the site has no markup for {', '.join(unshown)} (descent/site/assets.py, MARKUP)"
            )

    def on_files(self, files, *, config):
        """The JavaScript entries bundled in place of the modules (docs/ is watched, so
        ``mkdocs serve`` bundles again when one changes)."""
        folder = self.config.javascripts
        for file in [f for f in files if f.src_uri.startswith(f"{folder}/")]:
            files.remove(file)
        entries = [Path(config.docs_dir) / folder / name for name in self.config.entries]
        try:
            scripts, warnings = esbuild.bundle(Path(self.config.esbuild), entries)
        except esbuild.BundleError as e:
            raise PluginError(f"bundling {folder}/ failed:\n{e}") from None
        if warnings:
            log.warning(f"esbuild, bundling {folder}/:\n{warnings}")
        for name, script in scripts.items():
            files.append(File.generated(config, f"{folder}/{name}", content=script))
        return files

    def _item(self, kind: str, item_id: str) -> dict | None:
        return self._manifest.get(f"{kind}s", {}).get(item_id)

    def _figure_types(self, item: dict) -> set[str]:
        path = item["files"]["figure"]
        if path not in self._trace_types:
            self._trace_types[path] = trace_types(json.loads((self._published / path).read_text()))
        return self._trace_types[path]

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        assets = PageAssets(page, self._published, self.config.generated)
        uses = [m for m in SHORTCODE.finditer(markdown) if not m.group("code")]
        figures = [item for m in uses if m["kind"] == "figure" and (item := self._item("figure", m["id"]))]
        if figures:
            assets.plotly = self._plotly.address(set().union(*map(self._figure_types, figures)), page)
        stale = []

        def replace(match) -> str:
            if match.group("code"):
                return match.group(0)
            kind, item_id = match.group("kind"), match.group("id")
            item = self._item(kind, item_id)
            if item is None:
                known = ", ".join(sorted(self._manifest.get(f"{kind}s", {}))) or "none"
                hint = f" ({self._manifest_error})" if self._manifest_error else f"; known {kind}s: {known}"
                assets.error(f"unknown {kind} id {item_id!r}{hint}")
                return f'<p class="descent-missing">Missing {kind}: {html.escape(item_id)}</p>'
            if item.get("stale"):
                stale.append(f"{kind} {item_id!r}")
            return MARKUP[kind](Shortcode(kind, item_id, item, match.group("argument") or ""), assets)

        markdown = SHORTCODE.sub(replace, markdown)
        if stale:
            # The build kept publishing the last good entry of these: the page works, but shows
            # what their inputs made before they changed.
            log.info(
                f"{page.file.src_uri}: shows {', '.join(stale)} from an earlier build (stale); "
                "run: python build_assets.py"
            )
        self._stylesheets[page.file.src_uri] = assets.stylesheets
        return markdown

    def on_page_context(self, context, *, page, config, nav):
        for sheet in self._stylesheets.get(page.file.src_uri, []):
            add_stylesheet(head(context).stylesheets, sheet)
        return context
