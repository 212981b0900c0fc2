"""MkDocs hook: lesson pages refer to videos, figures and visualizers by id.

``{{ video("gradient-descent/parabola") }}``, ``{{ figure("gradient-descent/contour-lr") }}`` and
``{{ visualizer("landscapes/explorer") }}`` become the markup the site's scripts and stylesheets
expect, with the files the manifest lists and their downloads. An unknown id is logged as an
error, which fails ``mkdocs build --strict``.
Shortcodes inside code (fenced blocks or backticks) are left alone, so the docs can show them.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import re
from pathlib import Path

from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.descent")
GENERATED = "assets/generated"
PLOTLY = "assets/vendor/plotly.min.js"
# Loaded by the pages that have a visualizer, from their content, before the theme's deferred
# scripts (see _visualizer).
VISUALIZER = "javascripts/visualizer.js"
_manifest: dict = {}
_manifest_error: str | None = None
_generated: Path | None = None

SHORTCODE = re.compile(
    r"(?P<code>^(?P<fence>```|~~~).*?^(?P=fence)|`[^`\n]+`)"
    r"|\{\{\s*(?P<kind>video|figure|visualizer)\(\s*\"(?P<id>[^\"]+)\"\s*\)\s*\}\}",
    re.DOTALL | re.MULTILINE,
)


def on_pre_build(config) -> None:
    """Read the manifest afresh on every build, so ``mkdocs serve`` sees new assets."""
    global _manifest, _manifest_error, _generated
    _generated = Path(config["docs_dir"]) / GENERATED
    path = _generated / "manifest.json"
    try:
        _manifest = json.loads(path.read_text())
        _manifest_error = None
    except (OSError, ValueError) as e:
        _manifest = {"figures": {}, "videos": {}, "visualizers": {}}
        _manifest_error = f"no usable {path} ({e.__class__.__name__}); run: python build_assets.py"


def on_page_markdown(markdown: str, page, config, files) -> str:
    def replace(match) -> str:
        if match.group("code"):
            return match.group(0)
        kind, item_id = match.group("kind"), match.group("id")
        item = _manifest.get(f"{kind}s", {}).get(item_id)
        if item is None:
            known = ", ".join(sorted(_manifest.get(f"{kind}s", {}))) or "none"
            hint = f" ({_manifest_error})" if _manifest_error else f"; known {kind}s: {known}"
            log.error(f"{page.file.src_uri}: unknown {kind} id {item_id!r}{hint}")
            return f'<p class="descent-missing">Missing {kind}: {html.escape(item_id)}</p>'

        def url(path: str) -> str:
            return html.escape(get_relative_url(f"{GENERATED}/{path}", page.file.url))

        render = {"video": _video, "figure": _figure, "visualizer": _visualizer}[kind]
        return render(item_id, item, url, page)

    return SHORTCODE.sub(replace, markdown)


def _downloads(item: dict, url) -> str:
    f = item["files"]
    return (
        f'<span class="descent-downloads">Download: <a href="{url(f["data"])}" download>data (.npz)</a>'
        f' · <a href="{url(f["recipe"])}" download>recipe (.json)</a></span>'
    )


def _video(item_id: str, item: dict, url, page) -> str:
    """The video with its captions track, then its text description (read from the published
    file, so it is in the page for search and screen readers), then the title and downloads."""
    title = html.escape(item["title"])
    anchor = "video-" + item_id.replace("/", "-")
    files = item["files"]
    track = details = ""
    if {"captions", "description"} <= files.keys():
        text = (_generated / files["description"]).read_text(encoding="utf-8")
        paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())
        track = f'<track kind="captions" srclang="en" label="English" src="{url(files["captions"])}" default>'
        details = (
            '<details class="descent-video__description"><summary>Text description</summary>'
            f"{paragraphs}</details>"
        )
    else:  # published before videos had captions
        log.error(f"{page.file.src_uri}: video {item_id!r} has no captions; run: python build_assets.py")
    return (
        f'\n<figure class="descent-video" id="{anchor}">'
        f'<video controls preload="metadata" playsinline poster="{url(files["poster"])}"'
        f' aria-label="{title}">'
        f'<source src="{url(files["video"])}" type="video/mp4">{track}'
        f"Your browser cannot play this video; download it from the link below.</video>"
        f"{details}<figcaption>{title} {_downloads(item, url)}</figcaption></figure>\n"
    )


def _figure(item_id: str, item: dict, url, page) -> str:
    title = html.escape(item["title"])
    anchor = "figure-" + item_id.replace("/", "-")
    plotly = html.escape(get_relative_url(PLOTLY, page.file.url))
    return (
        f'\n<figure class="descent-figure" id="{anchor}" data-figure="{url(item["files"]["figure"])}"'
        f' data-plotly="{plotly}">'
        f'<div class="descent-figure__plot" role="img" aria-label="{title}"></div>'
        f"<figcaption>{title} {_downloads(item, url)}</figcaption></figure>\n"
    )


def _visualizer(item_id: str, item: dict, url, page) -> str:
    """A mount point for visualizer.js, with the index and the default combination inline.

    Inline, the first view needs no request, and the script (right after the mount point, not
    deferred) draws it before the theme's deferred scripts run: most of a first view's time on
    a slow machine would otherwise be spent waiting for them. Other combinations are fetched.
    """
    anchor = "visualizer-" + item_id.replace("/", "-")
    files = item["files"]
    index = (_generated / files["index"]).read_text()
    first_file = files[item["recipe"]["default"].replace("/", "-")]
    first = base64.b64encode((_generated / first_file).read_bytes()).decode()
    attributes = {
        "id": anchor,
        "data-index": url(files["index"]),
        "data-index-json": html.escape(json.dumps(json.loads(index), separators=(",", ":"))),
        "data-first-file": html.escape(Path(first_file).name),
        "data-first": first,
    }
    script = html.escape(get_relative_url(VISUALIZER, page.file.url))
    return (
        '\n<div class="descent-visualizer" '
        + " ".join(f'{k}="{v}"' for k, v in attributes.items())
        + '><p class="descent-visualizer__loading">Loading the visualizer…</p>'
        "<noscript>The visualizer draws in the browser and needs JavaScript.</noscript></div>\n"
        f'<script src="{script}"></script>\n'
        f'<p class="descent-downloads">Download: <a href="{url(files["recipe"])}" download>'
        "recipe of every model (.json)</a></p>\n"
    )
