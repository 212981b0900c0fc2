"""Notebook pages (mkdocs-jupyter) as the site shows them.

mkdocs-jupyter's page is trimmed to the notebook's cells: JupyterLab's inline stylesheets, MathJax
and Mermaid go (the site's own notebook stylesheet replaces the first, math.py typesets the
math). A Markdown cell's $ … $ and $$ … $$ become the markup the lessons' math has. Each figure a
notebook shows (descent.notebook) has its JSON moved to a file beside the page, fetched as a lesson
figure's is. mkdocs-jupyter's cache of executed notebooks is kept per version of this package's
code.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File

import descent
from descent.site.head import add_stylesheet, head
from descent.site.plotly import PlotlyBundles, trace_types

log = get_plugin_logger(__name__)


class NotebooksConfig(base.Config):
    stylesheet = c.Type(str, default="stylesheets/notebook.css")  # linked by notebook pages only
    plotly = c.Type(str, default="assets/vendor/plotly")  # in the docs: the bundles and bundles.json


NOTEBOOK = '<div class="jupyter-wrapper">'
NOTEBOOK_END = "</div> <!-- jupyter-wrapper -->"
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
# A paragraph that is one display formula (nbconvert makes one of a $$ … $$ block): the block
# arithmatex makes of it, which scrolls sideways when it is too wide (a <div> may not be in a <p>).
# The TeX holds no "<": it is HTML-escaped.
DISPLAY_PARAGRAPH = re.compile(r'<p>\s*<span class="arithmatex">(\\\[[^<]*\\\])</span>\s*</p>')
# A figure a notebook shows (descent.notebook.figure_markup), its JSON inline.
NOTEBOOK_FIGURE = re.compile(
    r"<figure class=\"descent-figure\" data-figure-json=(?P<q>[\"'])(?P<json>.*?)(?P=q)", re.S
)


def notebook_math(cells: str) -> str:
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


def _math_markup(text: str) -> str:
    def replace(m) -> str:
        if m.group("display") is not None:
            return f'<span class="arithmatex">\\[{m.group("display")}\\]</span>'
        return f'<span class="arithmatex">\\({m.group("inline")}\\)</span>'

    return NOTEBOOK_MATH.sub(replace, text) if "$" in text else text


def code_version() -> str:
    """A digest of the package's Python code."""
    code = sorted(Path(descent.__file__).parent.rglob("*.py"))
    return hashlib.sha256(b"".join(p.read_bytes() for p in code)).hexdigest()[:16]


class NotebooksPlugin(BasePlugin[NotebooksConfig]):
    def on_config(self, config):
        """mkdocs-jupyter caches each executed notebook by the notebook's own text, but what a
        notebook shows is also what this package makes of it (its figures' markup, say): keep that
        cache per version of the package's code, so a change to it shows on the next build."""
        jupyter = config.plugins.get("mkdocs-jupyter")
        if jupyter is not None:
            cache = Path(jupyter.config["cache_dir"])
            version = code_version()
            if cache.name != version:  # the same configuration may be read twice
                jupyter.config["cache_dir"] = str(cache / version)
        return config

    def on_pre_build(self, *, config) -> None:
        self._plotly = PlotlyBundles(config.docs_dir, self.config.plotly)
        self._notebooks: set[str] = set()  # pages that are notebooks

    def on_page_content(self, content: str, *, page, config, files) -> str:
        """A notebook page is trimmed to its cells, with their math as arithmatex's markup; the
        figures notebooks show name the plotly.js bundle to load and a JSON file to fetch."""
        if NOTEBOOK in content:
            content = self._cells(content, page)
            self._notebooks.add(page.file.src_uri)
        return self._figure_files(content, page, config, files)

    def _cells(self, content: str, page) -> str:
        start = content.index(NOTEBOOK)
        end = content.find(NOTEBOOK_END, start)
        end = len(content) if end < 0 else end + len(NOTEBOOK_END)
        around = [NOTEBOOK_EXTRAS.sub("", part) for part in (content[:start], content[end:])]
        for part in around:
            if leftover := NOTEBOOK_LEFTOVERS.search(part):
                log.warning(
                    f"{page.file.src_uri}: mkdocs-jupyter's markup changed, {leftover.group(0)!r} is "
                    "left around the notebook (descent/site/notebooks.py, NOTEBOOK_EXTRAS)"
                )
        return around[0] + notebook_math(content[start:end]) + around[1]

    def _figure_files(self, content: str, page, config, files) -> str:
        """Each figure's JSON goes to a file beside the page, which descent.js fetches when the
        figure nears the screen, as it does a lesson figure's: inline, a notebook's figures were
        most of its page's bytes (optimizer_intuition: 0.11 of 0.13 MB compressed), which a phone
        had to receive before it showed anything."""
        texts = [html.unescape(m.group("json")) for m in NOTEBOOK_FIGURE.finditer(content)]
        if not texts:
            return content
        types = set().union(*(trace_types(json.loads(text)) for text in texts))
        plotly = html.escape(self._plotly.address(types, page))
        folder = posixpath.dirname(page.file.dest_uri)

        def external(m) -> str:
            text = html.unescape(m.group("json"))
            name = f"figure-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json"
            path = posixpath.join(folder, name)
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=text))
            return f'<figure class="descent-figure" data-plotly="{plotly}" data-figure="{name}"'

        return NOTEBOOK_FIGURE.sub(external, content)

    def on_page_context(self, context, *, page, config, nav):
        if page.file.src_uri in self._notebooks:
            add_stylesheet(head(context).stylesheets, self.config.stylesheet)
        return context
