"""MkDocs hook: lesson pages refer to videos, figures and visualizers by id.

``{{ video("gradient-descent/parabola") }}``, ``{{ figure("gradient-descent/contour-lr") }}`` and
``{{ visualizer("landscapes/explorer") }}`` and ``{{ playground("playground/optimizers") }}`` (or,
configured as a figure, ``{{ playground("playground/optimizers", "surface=saddle&opt=sgd,adam") }}``,
the query string of a shared playground address) become the markup the site's scripts and stylesheets
expect, with the files the manifest lists and their downloads. An unknown id is logged as an
error, which fails ``mkdocs build --strict``.
Shortcodes inside code (fenced blocks or backticks) are left alone, so the docs can show them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.descent")
GENERATED = "assets/generated"
# The site's plotly.js bundles and bundles.json, which says the trace types each one has
# (scripts/plotly/bundle.mjs); a page loads the smallest one that has all of its figures' types.
PLOTLY = "assets/vendor/plotly"
# Math is typeset when the site is built, with the vendored KaTeX run by Node (notebooks' math
# too, see _notebook): pages need its stylesheet and fonts, not its script.
KATEX = "assets/vendor/katex/katex.min.js"
KATEX_CSS = "assets/vendor/katex/katex.min.css"
KATEX_FONTS = "assets/vendor/katex/fonts"
NODE = Path(__file__).resolve().parent.parent / ".cache" / "tools" / "node" / "bin" / "node"
# Loaded by the pages that have a visualizer, from their content, before the theme's deferred
# scripts (see _visualizer).
VISUALIZER = "javascripts/visualizer.js"
VISUALIZER_CSS = "stylesheets/visualizer.css"  # linked by the visualizer's page only
PLAYGROUND = "javascripts/playground.js"
PLAYGROUND_ENGINE = "javascripts/playground-engine.js"  # loaded by playground.js
PLAYGROUND_CSS = "stylesheets/playground.css"
_manifest: dict = {}
_manifest_error: str | None = None
_generated: Path | None = None
_bundles: list[dict] = []
_trace_types: dict[str, set[str]] = {}  # figure file -> its trace types

SHORTCODE = re.compile(
    r"(?P<code>^(?P<fence>```|~~~).*?^(?P=fence)|`[^`\n]+`)"
    r"|\{\{\s*(?P<kind>video|figure|visualizer|playground)\(\s*\"(?P<id>[^\"]+)\""
    r"(?:\s*,\s*\"(?P<config>[^\"]*)\")?\s*\)\s*\}\}",
    re.DOTALL | re.MULTILINE,
)


def on_config(config):
    """mkdocs-jupyter caches each executed notebook by the notebook's own text, but what a
    notebook shows is also what this package makes of it (its figures' markup, say): keep that
    cache per version of the package's code, so a change to it shows on the next build."""
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None:
        code = sorted(Path(__file__).parent.rglob("*.py"))
        digest = hashlib.sha256(b"".join(p.read_bytes() for p in code)).hexdigest()[:16]
        jupyter.config["cache_dir"] = str(Path(jupyter.config["cache_dir"]) / digest)
    return config


def on_pre_build(config) -> None:
    """Read the manifest afresh on every build, so ``mkdocs serve`` sees new assets."""
    global _manifest, _manifest_error, _generated, _bundles
    _generated = Path(config["docs_dir"]) / GENERATED
    _trace_types.clear()
    try:
        index = json.loads((Path(config["docs_dir"]) / PLOTLY / "bundles.json").read_text())
        _bundles = sorted(index["bundles"], key=lambda b: len(b["traces"]))
    except (OSError, ValueError, KeyError) as e:
        _bundles = []
        log.error(f"no plotly.js bundles in {PLOTLY} ({e.__class__.__name__}); run: bash scripts/setup.sh")
    path = _generated / "manifest.json"
    try:
        _manifest = json.loads(path.read_text())
        _manifest_error = None
    except (OSError, ValueError) as e:
        _manifest = {"figures": {}, "videos": {}, "visualizers": {}, "playgrounds": {}}
        _manifest_error = f"no usable {path} ({e.__class__.__name__}); run: python build_assets.py"


def on_page_markdown(markdown: str, page, config, files) -> str:
    figures = [
        _manifest["figures"][m.group("id")]
        for m in SHORTCODE.finditer(markdown)
        if m.group("kind") == "figure" and m.group("id") in _manifest.get("figures", {})
    ]
    types = set().union(*(_figure_types(item["files"]["figure"]) for item in figures))
    plotly = _plotly_bundle(types, page) if figures else None

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

        if kind == "figure":
            return _figure(item_id, item, url, page, plotly)
        if kind == "playground":
            return _playground(item_id, item, url, page, match.group("config") or "")
        render = {"video": _video, "visualizer": _visualizer}[kind]
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
        # The poster is set by descent.js when the video comes near the screen: four posters
        # of 30-70 kB each would otherwise share a phone's first seconds with the page's text.
        f'<video controls preload="metadata" playsinline data-poster="{url(files["poster"])}"'
        f' aria-label="{title}">'
        f'<source src="{url(files["video"])}" type="video/mp4">{track}'
        f"Your browser cannot play this video; download it from the link below.</video>"
        f"{details}<figcaption>{title} {_downloads(item, url)}</figcaption></figure>\n"
    )


def _figure_types(path: str) -> set[str]:
    if path not in _trace_types:
        spec = json.loads((_generated / path).read_text())
        _trace_types[path] = {t.get("type", "scatter") for t in spec["data"]}
    return _trace_types[path]


def _plotly_bundle(types: set[str], page) -> str:
    """The address, from ``page``, of the smallest plotly.js bundle that draws every type."""
    for bundle in _bundles:
        if types <= set(bundle["traces"]):
            return get_relative_url(f"{PLOTLY}/{bundle['file']}", page.file.url)
    log.error(
        f"{page.file.src_uri}: no plotly.js bundle draws trace types {sorted(types)}; add them to a "
        "bundle in scripts/plotly/bundle.mjs and run: bash scripts/setup.sh"
    )
    return get_relative_url(f"{PLOTLY}/{_bundles[-1]['file'] if _bundles else 'missing.js'}", page.file.url)


# ---------- notebook pages (mkdocs-jupyter) ----------

NOTEBOOK = '<div class="jupyter-wrapper">'
NOTEBOOK_END = "</div> <!-- jupyter-wrapper -->"
NOTEBOOK_CSS = "stylesheets/notebook.css"  # linked by notebook pages only
# What mkdocs-jupyter puts around a notebook's cells that the site does without: JupyterLab's
# whole stylesheet, its theme and pygments' (about 590 kB inline, matched against every element
# of the page: stylesheets/notebook.css does their work in a few kB), MathJax's loader (an
# empty data: script, custom_mathjax_url) and configuration, and Mermaid's module script and
# style (the notebooks draw no diagram). The clipboard script of the copy buttons stays.
NOTEBOOK_EXTRAS = re.compile(
    r"<style\b[^>]*>.*?</style>"
    r"|<!-- Load mathjax -->\s*<script\b[^>]*>\s*</script>"
    r'|<script type="text/x-mathjax-config">.*?</script>'
    r'|<script type="module">.*?</script>'
    r"|<!-- (?:MathJax configuration|End of mathjax configuration|End of mermaid configuration) -->",
    re.S,
)
# Signs that mkdocs-jupyter brought something new around the cells: the build says so.
NOTEBOOK_LEFTOVERS = re.compile(r"<style\b|<script type=\"module\"|mathjax|mermaid", re.I)
# A Markdown cell's HTML, and the tags within it.
MARKDOWN_OUTPUT = re.compile(r'<div class="[^"]*\bjp-MarkdownOutput\b[^"]*"[^>]*>')
TAG = re.compile(r"<!--.*?-->|<(?P<end>/?)(?P<name>[a-zA-Z][\w-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.S)
# nbconvert's Markdown keeps math as it was written, HTML-escaped: $$ … $$ (and \[ … \], which
# it writes as $$ … $$) is display math, $ … $ (and \( … \)) inline math. Its own patterns,
# display first. A dollar sign the author escaped (\$ or &#36;) reaches the HTML as a bare $ like
# any other, so two of them in a cell's text pair up as a formula here: a literal pair goes in code.
NOTEBOOK_MATH = re.compile(
    r"(?<!\\)\$\$(?P<display>.+?)(?<!\\)\$\$|(?<![$\\])\$(?P<inline>.+?)(?<![$\\])\$", re.S
)
# Text in these is not Markdown prose: it is never math.
VERBATIM = {"code", "pre", "script", "style", "textarea"}


def _stylesheet(page, path: str) -> None:
    """A stylesheet only some pages need, linked in the page's head (overrides/main.html), with
    the theme's: instant navigation adds it to the head when it goes to such a page, and takes
    it away after. (In the content, the theme's script made its address absolute once the page
    had loaded, which loaded it again and restyled the whole page.)"""
    sheets = page.__dict__.setdefault("descent_stylesheets", [])
    if path not in sheets:
        sheets.append(path)


def _notebook(content: str, page) -> str:
    """A notebook page as the site shows it: the cells with their math in arithmatex's markup
    (typeset with the lessons' by _typeset), without mkdocs-jupyter's inline styles and scripts,
    and with the site's own notebook stylesheet (see _stylesheet)."""
    start = content.index(NOTEBOOK)
    end = content.find(NOTEBOOK_END, start)
    end = len(content) if end < 0 else end + len(NOTEBOOK_END)
    around = [NOTEBOOK_EXTRAS.sub("", part) for part in (content[:start], content[end:])]
    for part in around:
        if leftover := NOTEBOOK_LEFTOVERS.search(part):
            log.warning(
                f"{page.file.src_uri}: mkdocs-jupyter's markup changed, {leftover.group(0)!r} is "
                "left around the notebook (descent/site_hook.py, NOTEBOOK_EXTRAS)"
            )
    _stylesheet(page, NOTEBOOK_CSS)
    return around[0] + _notebook_math(content[start:end]) + around[1]


def _notebook_math(cells: str) -> str:
    """$ … $ and $$ … $$ in the text of Markdown cells (not in code, nor in attributes) as
    arithmatex's markup; a paragraph that is one display formula becomes the formula's block."""
    out, i = [], 0
    for found in MARKDOWN_OUTPUT.finditer(cells):
        if found.start() < i:  # a Markdown cell's HTML holding another: done with the outer one
            continue
        out.append(cells[i : found.end()])
        i = found.end()
        depth, verbatim = 1, 0
        for tag in TAG.finditer(cells, i):
            out.append(_math_markup(cells[i : tag.start()]) if not verbatim else cells[i : tag.start()])
            out.append(tag.group(0))
            i = tag.end()
            name = (tag.group("name") or "").lower()
            step = -1 if tag.group("end") else 1
            if name in VERBATIM and not tag.group(0).endswith("/>"):
                verbatim = max(0, verbatim + step)
            elif name == "div":
                depth += step
                if depth == 0:
                    break
    out.append(cells[i:])
    return DISPLAY_PARAGRAPH.sub(r'<div class="arithmatex">\1</div>', "".join(out))


# A paragraph that is one display formula (nbconvert makes one of a $$ … $$ block): the block
# arithmatex makes of it, which scrolls sideways when it is too wide (a <div> may not be in a <p>).
# The TeX holds no "<": it is HTML-escaped.
DISPLAY_PARAGRAPH = re.compile(r'<p>\s*<span class="arithmatex">(\\\[[^<]*\\\])</span>\s*</p>')


def _math_markup(text: str) -> str:
    def replace(m) -> str:
        if m.group("display") is not None:
            return f'<span class="arithmatex">\\[{m.group("display")}\\]</span>'
        return f'<span class="arithmatex">\\({m.group("inline")}\\)</span>'

    return NOTEBOOK_MATH.sub(replace, text) if "$" in text else text


# A figure a notebook shows (descent.notebook.figure_markup), its JSON inline.
NOTEBOOK_FIGURE = re.compile(
    r"<figure class=\"descent-figure\" data-figure-json=(?P<q>[\"'])(?P<json>.*?)(?P=q)", re.S
)


def on_page_content(content: str, page, config, files) -> str:
    """Math is typeset; notebook pages are trimmed to their cells (see _notebook), and their
    figures, as lesson figures, name the plotly.js bundle to load and a JSON file to fetch."""
    if NOTEBOOK in content:
        content = _notebook(content, page)
    content = _typeset(content, page, config)
    page.katex_fonts = _katex_fonts(content, config)  # preloaded by overrides/main.html
    content = _wrap_tables(content)
    texts = [html.unescape(m.group("json")) for m in NOTEBOOK_FIGURE.finditer(content)]
    if not texts:
        return content
    types = {t.get("type", "scatter") for text in texts for t in json.loads(text)["data"]}
    plotly = html.escape(_plotly_bundle(types, page))
    # Each figure's JSON goes to a file beside the page, which descent.js fetches when the figure
    # nears the screen, as it does a lesson figure's: inline, a notebook's figures were most of
    # its page's bytes (optimizer_intuition: 0.11 of 0.13 MB compressed), which a phone had to
    # receive before it showed anything.
    folder = Path(config["site_dir"]) / Path(page.file.dest_uri).parent
    folder.mkdir(parents=True, exist_ok=True)

    def external(m) -> str:
        text = html.unescape(m.group("json"))
        name = f"figure-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json"
        (folder / name).write_text(text, encoding="utf-8")
        return f'<figure class="descent-figure" data-plotly="{plotly}" data-figure="{name}"'

    return NOTEBOOK_FIGURE.sub(external, content)


def _figure(item_id: str, item: dict, url, page, plotly: str) -> str:
    title = html.escape(item["title"])
    anchor = "figure-" + item_id.replace("/", "-")
    return (
        f'\n<figure class="descent-figure" id="{anchor}" data-figure="{url(item["files"]["figure"])}"'
        f' data-plotly="{html.escape(plotly)}">'
        # A group, not an image: plotly puts buttons (its mode bar) inside the plot.
        f'<div class="descent-figure__plot" role="group" aria-label="{title}"></div>'
        f"<figcaption>{title} {_downloads(item, url)}</figcaption></figure>\n"
    )


def _playground(item_id: str, item: dict, url, page, config: str) -> str:
    """A mount point for playground.js: the surfaces' and optimizers' data to fetch, the engine
    it loads, and the configuration it starts from (the page's own address, if it has none)."""
    relative = lambda path: html.escape(get_relative_url(path, page.file.url))  # noqa: E731
    _stylesheet(page, PLAYGROUND_CSS)
    return (
        f'\n<div class="descent-playground" id="playground-{item_id.replace("/", "-")}"'
        f' data-playground="{url(item["files"]["playground"])}"'
        f' data-engine="{relative(PLAYGROUND_ENGINE)}" data-config="{html.escape(config)}">'
        "<noscript>The playground runs in the browser and needs JavaScript.</noscript></div>\n"
        f'<script src="{relative(PLAYGROUND)}"></script>\n'
    )


def _visualizer(item_id: str, item: dict, url, page) -> str:
    """A mount point for visualizer.js, with the index and the default combination's first view
    inline, and the script right after it.

    Inline, the first view needs no request: the script draws it before the theme's deferred
    scripts run, and fetches the whole combination (every epoch) once the page is painted. Only
    the last epoch's planes travel in the page (the producer's first-view.bin, 21 kB), where the
    whole file's 186 kB held up a phone's first paint (0.6 s in Lighthouse's mobile simulation).
    """
    anchor = "visualizer-" + item_id.replace("/", "-")
    files = item["files"]
    index = (_generated / files["index"]).read_text()
    attributes = {
        "id": anchor,
        "data-index": url(files["index"]),
        "data-index-json": html.escape(json.dumps(json.loads(index), separators=(",", ":"))),
    }
    if "first-view" in files:  # absent when a loss scale is not finite: then it is fetched
        first_file = files[item["recipe"]["default"].replace("/", "-")]
        attributes["data-first-file"] = html.escape(Path(first_file).name)
        attributes["data-first"] = base64.b64encode((_generated / files["first-view"]).read_bytes()).decode()
    script = html.escape(get_relative_url(VISUALIZER, page.file.url))
    _stylesheet(page, VISUALIZER_CSS)
    return (
        '\n<div class="descent-visualizer" '
        + " ".join(f'{k}="{v}"' for k, v in attributes.items())
        + '><p class="descent-visualizer__loading">Loading the visualizer…</p>'
        "<noscript>The visualizer draws in the browser and needs JavaScript.</noscript></div>\n"
        f'<script src="{script}"></script>\n'
        f'<p class="descent-downloads">Download: <a href="{url(files["recipe"])}" download>'
        "recipe of every model (.json)</a></p>\n"
    )


# Names and keyboard access that the theme's and the notebooks' markup lacks: (as built, as
# served, whether every page has it). A theme update that changes the markup of one every page
# has fails the build (strict), so it is seen at once.
ACCESSIBLE_MARKUP = [
    (
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
        True,
    ),
    (
        '<div class="md-progress" data-md-component="progress" role="progressbar">',
        '<div class="md-progress" data-md-component="progress" role="progressbar"'
        ' aria-label="Loading the page">',
        True,
    ),
    # Notebook code and display math scroll sideways on narrow screens: the keyboard must reach
    # them (the theme does it for its own code blocks).
    ('<div class="highlight-ipynb ', '<div tabindex="0" class="highlight-ipynb ', False),
    ('<div class="arithmatex">', '<div class="arithmatex" tabindex="0">', False),
]


def _accessible(output: str, name: str) -> str:
    for built, served, everywhere in ACCESSIBLE_MARKUP:
        if everywhere and built not in output:
            log.warning(f"{name}: the theme's markup changed, no {built!r} to complete")
        output = output.replace(built, served)
    return output


# A rule of KaTeX's stylesheet that sets a font: its selectors, and the declarations.
KATEX_FONT_RULE = re.compile(
    r"(?P<selectors>\.katex[^{}@]*)\{(?P<body>[^{}]*font-family:KaTeX_(?P<family>\w+)[^{}]*)\}"
)


@functools.cache
def _katex_font_rules(docs_dir: str) -> list[tuple[list[list[set[str]]], str]]:
    """For each rule of KaTeX's stylesheet that sets a font: its selectors, each as the class
    sets of its compound selectors (``.a.b .c>span``: {a, b}, {c}), and the font's file."""
    rules = []
    for m in KATEX_FONT_RULE.finditer((Path(docs_dir) / KATEX_CSS).read_text()):
        body = m.group("body")
        variant = ("Bold" if "font-weight:700" in body or "font-weight:bold" in body else "") + (
            "Italic" if "font-style:italic" in body else ""
        )
        name = f"KaTeX_{m.group('family')}-{variant or 'Regular'}.woff2"
        if (Path(docs_dir) / KATEX_FONTS / name).exists():
            selectors = [
                [
                    set(re.findall(r"\.([\w-]+)", part)) - {"katex"}
                    for part in re.split(r"[\s>]+", sel.strip())
                ]
                for sel in m.group("selectors").split(",")
            ]
            rules.append(([[part for part in sel if part] for sel in selectors], name))
    return rules


def _katex_fonts(content: str, config) -> list[str]:
    """The KaTeX fonts a page's typeset math uses (their files), read from the classes of its
    math's elements and the rules of KaTeX's stylesheet. Preloaded, they arrive with the page's
    first requests: each font that came later, when layout found it, restyled and laid out all
    of the page's math again (on a phone, about 0.3 s of a 4x slower CPU each)."""
    if 'class="katex"' not in content:
        return []
    elements = {frozenset(attr.split()) for attr in re.findall(r'class="([^"]*)"', content)}
    fonts = {"KaTeX_Main-Regular.woff2"}  # .katex itself
    for selectors, name in _katex_font_rules(config["docs_dir"]):
        if any(sel and all(any(part <= e for e in elements) for part in sel) for sel in selectors):
            fonts.add(name)
    return sorted(fonts)


MARKDOWN_TABLE = re.compile(r"<table>(.*?)</table>", re.S)  # the only tables without attributes


def _wrap_tables(content: str) -> str:
    """Markdown tables in the scrolling wrapper the theme's script would put them in once the
    page has loaded. Done by that script, the change laid the whole page out again on a phone
    (a lesson full of typeset math: about 0.3 s of a 4x slower CPU). The class keeps the script
    from wrapping them again; descent.css gives them the theme's table style."""
    return MARKDOWN_TABLE.sub(
        r'<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
        r'<table class="descent-table">\1</table></div></div>',
        content,
    )


def on_post_page(output: str, page, config) -> str:
    return _accessible(output, page.file.src_uri)


def on_post_template(output: str, template_name: str, config) -> str:
    return _accessible(output, template_name) if template_name == "404.html" else output


# pymdownx.arithmatex (generic): \( … \) in span.arithmatex, \[ … \] in div.arithmatex.
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<open>\\[(\[])(?P<tex>.*?)\\[)\]]</(?P=tag)>', re.S
)
RENDER_MATH = """
const katex = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => (input += chunk)).on("end", () => {
  const out = JSON.parse(input).map(([tex, displayMode]) =>
    katex.renderToString(tex, { displayMode, throwOnError: false }));
  process.stdout.write(JSON.stringify(out));
});
"""


def _typeset(content: str, page, config) -> str:
    """Every arithmatex expression of the page as KaTeX's HTML (and MathML, for screen readers),
    so the page needs no script to show it. A formula KaTeX cannot parse fails the build."""
    found = list(ARITHMATEX.finditer(content))
    if not found:
        return content
    node = str(NODE) if NODE.exists() else shutil.which("node")
    if node is None:
        log.error(f"{page.file.src_uri}: no Node to typeset math with; run: bash scripts/setup.sh")
        return content
    items = [[html.unescape(m.group("tex")), m.group("open") == "\\["] for m in found]
    done = subprocess.run(
        [node, "-e", RENDER_MATH, str(Path(config["docs_dir"]) / KATEX)],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_OPTIONS": ""},
    )
    if done.returncode != 0:
        log.error(f"{page.file.src_uri}: KaTeX failed: {done.stderr.strip()[-500:]}")
        return content
    rendered = iter(json.loads(done.stdout))

    def replace(m) -> str:
        math = next(rendered)
        if "katex-error" in math:
            log.warning(f"{page.file.src_uri}: KaTeX cannot typeset {html.unescape(m.group('tex'))!r}")
        return f'<{m.group("tag")} class="arithmatex">{math}</{m.group("tag")}>'

    return ARITHMATEX.sub(replace, content)
