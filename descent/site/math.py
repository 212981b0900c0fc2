"""Math typeset when the site is built: pages need KaTeX's stylesheet and fonts, not its script.

Every arithmatex expression of a page (pymdownx.arithmatex, generic; notebooks' too, see
notebooks.py) becomes KaTeX's HTML and MathML, made by the vendored KaTeX in one Node process
that serves the whole build, a page's formulas at a time. A formula KaTeX cannot parse fails the
strict build. The fonts a page's math uses are preloaded by its head (head.py).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from descent.site.head import head

log = get_plugin_logger(__name__)
ROOT = Path(__file__).resolve().parents[2]
PROJECT_NODE = ROOT / ".cache" / "tools" / "node" / "bin" / "node"  # scripts/setup.sh


class MathConfig(base.Config):
    katex = c.Type(str, default="assets/vendor/katex")  # in the docs: katex.min.js, .css, fonts/
    node = c.Type(str, default="")  # the Node that runs KaTeX; "": the project's, else PATH's


# pymdownx.arithmatex (generic): \( … \) in span.arithmatex, \[ … \] in div.arithmatex.
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<open>\\[(\[])(?P<tex>.*?)\\[)\]]</(?P=tag)>', re.S
)
# One request a line: a JSON list of [tex, display], answered by a JSON list of HTML.
KATEX_SERVER = """
const katex = require(process.argv[1]);
require("readline").createInterface({ input: process.stdin }).on("line", (line) => {
  const out = JSON.parse(line).map(([tex, displayMode]) =>
    katex.renderToString(tex, { displayMode, throwOnError: false }));
  process.stdout.write(JSON.stringify(out) + "\\n");
});
"""


class KatexError(Exception):
    """The Node process running KaTeX failed; the message is its own."""


class Katex:
    """KaTeX in one Node process, started on the first request."""

    def __init__(self, node: str, script: Path):
        self.command = [node, "-e", KATEX_SERVER, str(script)]
        self._process: subprocess.Popen | None = None
        self._errors = None

    def render(self, formulas: list[tuple[str, bool]]) -> list[str]:
        """Each (tex, display) as KaTeX's HTML, in order."""
        if self._process is None:
            # Node's messages go to a file: a pipe nobody reads could fill and stop it.
            self._errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed by close()
            self._process = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._errors,
                encoding="utf-8",
                env={**os.environ, "NODE_OPTIONS": ""},
            )
        try:
            self._process.stdin.write(json.dumps(formulas) + "\n")
            self._process.stdin.flush()
            answer = self._process.stdout.readline()
        except BrokenPipeError:
            answer = ""
        if not answer:
            self._errors.seek(0)
            message = self._errors.read().strip()[-500:] or f"exit status {self._process.wait()}"
            self.close()
            raise KatexError(message)
        return json.loads(answer)

    def close(self) -> None:
        if self._process is not None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process.stdout.close()
            self._errors.close()
            self._process = None


# A rule of KaTeX's stylesheet that sets a font: its selectors, and the declarations.
KATEX_FONT_RULE = re.compile(
    r"(?P<selectors>\.katex[^{}@]*)\{(?P<body>[^{}]*font-family:KaTeX_(?P<family>\w+)[^{}]*)\}"
)


def font_rules(katex: Path) -> list[tuple[list[list[set[str]]], str]]:
    """For each rule of KaTeX's stylesheet (in the folder ``katex``) that sets a font: its
    selectors, each as the class sets of its compound selectors (``.a.b .c>span``: {a, b}, {c}),
    and the font's file."""
    rules = []
    for m in KATEX_FONT_RULE.finditer((katex / "katex.min.css").read_text()):
        body = m.group("body")
        variant = ("Bold" if "font-weight:700" in body or "font-weight:bold" in body else "") + (
            "Italic" if "font-style:italic" in body else ""
        )
        name = f"KaTeX_{m.group('family')}-{variant or 'Regular'}.woff2"
        if (katex / "fonts" / name).exists():
            selectors = [
                [
                    set(re.findall(r"\.([\w-]+)", part)) - {"katex"}
                    for part in re.split(r"[\s>]+", sel.strip())
                ]
                for sel in m.group("selectors").split(",")
            ]
            rules.append(([[part for part in sel if part] for sel in selectors], name))
    return rules


def fonts_used(content: str, rules) -> list[str]:
    """The KaTeX fonts a page's typeset math uses (their files), read from the classes of its
    math's elements and the rules of KaTeX's stylesheet. Preloaded, they arrive with the page's
    first requests: each font that came later, when layout found it, restyled and laid out all
    of the page's math again (on a phone, about 0.3 s of a 4x slower CPU each)."""
    if 'class="katex"' not in content:
        return []
    elements = {frozenset(attr.split()) for attr in re.findall(r'class="([^"]*)"', content)}
    fonts = {"KaTeX_Main-Regular.woff2"}  # .katex itself
    for selectors, name in rules:
        if any(sel and all(any(part <= e for e in elements) for part in sel) for sel in selectors):
            fonts.add(name)
    return sorted(fonts)


class MathPlugin(BasePlugin[MathConfig]):
    def on_pre_build(self, *, config) -> None:
        self._folder = Path(config.docs_dir) / self.config.katex
        node = self.config.node or (str(PROJECT_NODE) if PROJECT_NODE.exists() else shutil.which("node"))
        self._katex = Katex(node, self._folder / "katex.min.js") if node else None
        self._rules = None  # read on first use
        self._fonts: dict[str, list[str]] = {}  # page -> fonts to preload

    def on_post_build(self, *, config) -> None:
        if self._katex is not None:
            self._katex.close()

    def on_build_error(self, *, error) -> None:
        if getattr(self, "_katex", None) is not None:
            self._katex.close()

    @event_priority(-50)  # after the plugins that make math markup (notebooks.py)
    def on_page_content(self, content: str, *, page, config, files) -> str:
        content = self._typeset(content, page)
        if self._rules is None and 'class="katex"' in content:
            self._rules = font_rules(self._folder)
        self._fonts[page.file.src_uri] = fonts_used(content, self._rules or [])
        return content

    def _typeset(self, content: str, page) -> str:
        """Every arithmatex expression of the page as KaTeX's HTML (and MathML, for screen
        readers), so the page needs no script to show it."""
        found = list(ARITHMATEX.finditer(content))
        if not found:
            return content
        if self._katex is None:
            log.error(f"{page.file.src_uri}: no Node to typeset math with; run: bash scripts/setup.sh")
            return content
        try:
            formulas = [(html.unescape(m["tex"]), m["open"] == "\\[") for m in found]
            rendered = iter(self._katex.render(formulas))
        except KatexError as e:
            log.error(f"{page.file.src_uri}: KaTeX failed: {e}")
            return content

        def replace(m) -> str:
            math = next(rendered)
            if "katex-error" in math:
                log.warning(f"{page.file.src_uri}: KaTeX cannot typeset {html.unescape(m.group('tex'))!r}")
            return f'<{m.group("tag")} class="arithmatex">{math}</{m.group("tag")}>'

        return ARITHMATEX.sub(replace, content)

    def on_page_context(self, context, *, page, config, nav):
        fonts = self._fonts.get(page.file.src_uri, [])
        head(context).fonts = [f"{self.config.katex}/fonts/{name}" for name in fonts]
        return context
