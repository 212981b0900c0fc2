"""The built site: every published video and figure is sound, and pages refer to assets by id.

The tests marked slow read the real course, built once (tests/conftest.py). The others build
small sites of their own with the site's plugins (descent/site/): what a page's shortcodes,
math and scripts become, and which builds fail.
"""

import html.parser
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import av
import pytest

ROOT = Path(__file__).resolve().parent.parent


def manifest(site: Path) -> dict:
    return json.loads((site / "assets" / "generated" / "manifest.json").read_text())


def top_level_boxes(path: Path) -> list[str]:
    """The mp4's top-level box types in file order."""
    boxes, data, i = [], path.read_bytes(), 0
    while i + 8 <= len(data):
        size = int.from_bytes(data[i : i + 4], "big")
        boxes.append(data[i + 4 : i + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[i + 8 : i + 16], "big")
        if size < 8:
            break
        i += size
    return boxes


@pytest.mark.slow
def test_every_lesson_artifact_is_published(built_site):
    import lessons
    from descent.lesson_spec import read_lessons

    m = manifest(built_site)
    assert m["missing"] == []
    for lesson in read_lessons(lessons.ALL):
        for a in lesson.artifacts:
            if a.kind in ("figure", "video"):
                assert a.id in m[f"{a.kind}s"], a.node


@pytest.mark.slow
def test_published_json_holds_no_nan_or_infinity(built_site):
    """Divergent runs are in the course (a learning rate too large): their data is marked, and
    every JSON file a browser parses is standard JSON, which has no NaN or Infinity."""

    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    checked = 0
    for path in (built_site / "assets" / "generated").rglob("*.json"):
        try:
            json.loads(path.read_text(), parse_constant=refuse)
        except ValueError as e:
            pytest.fail(f"{path.relative_to(built_site)}: {e}")
        checked += 1
    assert checked > 50


@pytest.mark.slow
def test_videos_are_h264_with_the_index_first_and_a_poster(built_site):
    for item_id, item in manifest(built_site)["videos"].items():
        video = built_site / "assets" / "generated" / item["files"]["video"]
        boxes = top_level_boxes(video)
        assert boxes.index("moov") < boxes.index("mdat"), (item_id, boxes)
        with av.open(str(video)) as c:
            stream = c.streams.video[0]
            assert stream.codec_context.name == "h264"
            assert c.duration / av.time_base > 5, f"{item_id}: a lesson video lasts seconds, not frames"
        poster = built_site / "assets" / "generated" / item["files"]["poster"]
        assert poster.read_bytes()[:3] == b"\xff\xd8\xff"  # JPEG


@pytest.mark.slow
def test_lesson_page_embeds_every_video_and_figure(built_site):
    html = (built_site / "lessons" / "gradient-descent" / "index.html").read_text()
    videos = re.findall(r"<video [^>]*>", html)
    assert videos and all(
        'preload="metadata"' in v and "data-poster=" in v and "controls" in v for v in videos
    )
    figures = re.findall(r'<figure class="descent-figure"[^>]*data-figure="([^"]+)"', html)
    assert figures
    for rel in figures:
        figure = json.loads((built_site / "lessons" / "gradient-descent" / rel).resolve().read_text())
        assert figure["data"]
    for href in re.findall(r'href="([^"]+\.(?:npz|json))" download', html):
        assert (built_site / "lessons" / "gradient-descent" / href).resolve().is_file(), href


@pytest.mark.slow
def test_no_page_loads_anything_from_another_host(built_site):
    for page in built_site.rglob("*.html"):
        text = page.read_text()
        assert not re.search(r'<(script|img|video|source|iframe)[^>]+src="(https?:)?//', text), page
        assert not re.search(r'<link[^>]+rel="stylesheet"[^>]+href="(https?:)?//', text), page


@pytest.mark.slow
def test_the_site_serves_one_script_per_entry_and_no_module(built_site):
    scripts = sorted(p.relative_to(built_site).as_posix() for p in (built_site / "javascripts").rglob("*"))
    assert scripts == ["javascripts/descent.js", "javascripts/playground.js", "javascripts/visualizer.js"]
    for script in scripts:
        text = (built_site / script).read_text()
        assert not re.search(r"^\s*(import|export)\b", text, re.M), f"{script} is not bundled"


def strict_build(docs: Path, site: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of a copy of the docs, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        env={**os.environ, "DESCENT_DOCS_DIR": str(docs)},
        capture_output=True,
        text=True,
    )


# ---------- notebook pages ----------

NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
# Markdown's code (fenced blocks, then backticks) holds no math; what is left pairs its dollars.
MARKDOWN_CODE = re.compile(r"^(```|~~~).*?^\1|`[^`\n]*`", re.S | re.M)
FORMULA = re.compile(r"\$\$.+?\$\$|\$.+?\$", re.S)


def notebook_formulas(path: Path) -> int:
    cells = json.loads(path.read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    return sum(len(FORMULA.findall(MARKDOWN_CODE.sub("", s))) for s in sources)


VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class MarkdownCellText(html.parser.HTMLParser):
    """The text of a page's Markdown cells (div.jp-MarkdownOutput), less code and typeset math,
    and the number of KaTeX formulas in them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []  # what each open element is: cell, code, katex or other
        self.text: list[str] = []
        self.formulas = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        kind = "other"
        if "jp-MarkdownOutput" in classes:
            kind = "cell"
        elif self.stack and tag in ("code", "pre", "script", "style"):
            kind = "code"
        elif self.stack and "katex" in classes:
            kind = "katex"
            if "cell" in self.stack and "katex" not in self.stack:
                self.formulas += 1
        self.stack.append(kind)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if "cell" in self.stack and not {"code", "katex"} & set(self.stack):
            self.text.append(data)


def notebook_page(site: Path, notebook: Path) -> str:
    return (site / "notebooks" / notebook.stem / "index.html").read_text()


@pytest.mark.slow
def test_notebook_math_is_typeset_when_the_site_is_built(built_site):
    assert NOTEBOOKS and sum(map(notebook_formulas, NOTEBOOKS)) >= 10, "the notebooks have hardly any math"
    for notebook in NOTEBOOKS:
        page = notebook_page(built_site, notebook)
        cells = MarkdownCellText()
        cells.feed(page)
        assert cells.formulas == notebook_formulas(notebook), notebook.name
        left = re.findall(r"\$[^$]*\$", "".join(cells.text))
        assert not left, f"{notebook.name}: math left as TeX: {left[:3]}"
        assert "katex-error" not in page, notebook.name


@pytest.mark.slow
def test_notebook_pages_hold_their_cells_without_jupyterlab_styles_and_scripts(built_site):
    for notebook in NOTEBOOKS:
        page = notebook_page(built_site, notebook)
        styles = re.findall(r"<style\b[^>]*>(.*?)</style>", page, re.S)
        assert all(len(style) < 3000 for style in styles), f"{notebook.name}: {[len(s) for s in styles]}"
        assert not re.search(r'<script type="(module|text/x-mathjax-config)"', page), notebook.name
        assert not re.search(r"<script[^>]+src=\"data:", page), notebook.name
        assert "mermaid" not in page.lower() and "mathjax" not in page.lower(), notebook.name
        assert not re.search(r"katex(\.min|-init|/contrib|auto-render)[^\"']*\.js", page), notebook.name
        links = re.findall(r'<link rel="stylesheet" href="([^"]*notebook\.css)"', page)
        assert len(links) == 1, f"{notebook.name}: {links}"
        stylesheet = (built_site / "notebooks" / notebook.stem / links[0]).resolve()
        assert stylesheet.is_file() and ".highlight-ipynb" in stylesheet.read_text()
        # Figures are fetched, as lesson figures are, not carried in the page.
        assert "data-figure-json" not in page, notebook.name
        figures = re.findall(r'<figure class="descent-figure"[^>]* data-figure="([^"]+)"', page)
        assert figures, f"{notebook.name} shows no figure"
        for rel in figures:
            figure = json.loads((built_site / "notebooks" / notebook.stem / rel).read_text())
            assert figure["data"], rel
    lesson = (built_site / "lessons" / "gradient-descent" / "index.html").read_text()
    assert "notebook.css" not in lesson


@pytest.mark.slow
def test_notebook_math_katex_cannot_parse_fails_the_strict_build(built_site, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("generated"))
    shutil.copytree(built_site / "assets" / "generated", docs / "assets" / "generated")
    path = docs / "notebooks" / NOTEBOOKS[0].name
    notebook = json.loads(path.read_text())
    notebook["cells"].append(
        {"cell_type": "markdown", "id": "broken-math", "metadata": {}, "source": ["So $\\frac{1}{$ it is."]}
    )
    path.write_text(json.dumps(notebook))
    done = strict_build(docs, tmp_path / "site")
    assert done.returncode != 0
    assert f"notebooks/{path.name}: KaTeX cannot typeset" in done.stderr, done.stderr[-2000:]


# ---------- small sites built with the site's plugins ----------

ESBUILD = ROOT / ".cache" / "tools" / "plotly" / "node_modules" / "@esbuild" / "linux-x64" / "bin" / "esbuild"
NODE = ROOT / ".cache" / "tools" / "node" / "bin" / "node"
KATEX = ROOT / "docs" / "assets" / "vendor" / "katex"
ENTRIES = {"descent.js": "", "playground.js": "", "visualizer.js": ""}


def small_site(root: Path, pages: dict[str, str], manifest: dict | None = None, modules=ENTRIES, **plugins):
    """A site of ``pages`` (path in the docs -> text) with the course's plugins, the build's
    ``manifest`` and the JavaScript ``modules`` (path under javascripts/ -> source). Options of a
    plugin by its name less ``descent-`` (``math={"node": ...}``). Returns its mkdocs.yml."""
    docs = root / "docs"
    files = {
        **pages,
        "assets/generated/manifest.json": json.dumps({"version": 1, "missing": [], **(manifest or {})}),
        **{f"javascripts/{path}": text for path, text in modules.items()},
    }
    for path, text in files.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text)
    (docs / "assets" / "vendor").mkdir(parents=True)
    (docs / "assets" / "vendor" / "katex").symlink_to(KATEX)
    # Not descent-theme: it completes the course's theme (material), not mkdocs' own.
    options = {"assets": {"esbuild": str(ESBUILD)}, "math": {"node": str(NODE)}}
    config = {
        "site_name": "Small",
        "site_url": "http://127.0.0.1/",
        "theme": {"name": "mkdocs"},
        "markdown_extensions": [{"pymdownx.arithmatex": {"generic": True}}],
        "plugins": [{f"descent-{name}": {**opts, **plugins.get(name, {})}} for name, opts in options.items()],
    }
    (root / "mkdocs.yml").write_text(json.dumps(config))  # JSON is YAML
    return root / "mkdocs.yml"


def build(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def page_html(config: Path, page: str) -> str:
    return (config.parent / "site" / page / "index.html").read_text()


def test_katex_runs_in_one_node_process_for_the_whole_build(tmp_path):
    starts = tmp_path / "node-starts"
    node = tmp_path / "node"
    node.write_text(f'#!/bin/sh\necho "$$" >> {starts}\nexec {NODE} "$@"\n')
    node.chmod(0o755)
    pages = {
        f"page{i}.md": f"# Page {i}\n\nInline \\(x^{i}\\) and\n\n\\[\\frac{{{i}}}{{2}}\\]\n" for i in range(4)
    }
    config = small_site(tmp_path / "site", pages, math={"node": str(node)})
    done = build(config)
    assert done.returncode == 0, done.stderr
    assert len(starts.read_text().split()) == 1
    for i in range(4):
        typeset = page_html(config, f"page{i}")
        assert typeset.count('<span class="katex">') == 2 and 'class="katex-display"' in typeset, i
        assert "\\(" not in typeset and "\\[" not in typeset


def test_a_formula_katex_cannot_parse_fails_the_strict_build(tmp_path):
    config = small_site(tmp_path, {"lesson.md": "Fine \\(x\\), then \\(\\frac{1}{\\).\n"})
    done = build(config)
    assert done.returncode != 0
    assert "lesson.md: KaTeX cannot typeset '\\\\frac{1}{'" in done.stderr, done.stderr


PLAYGROUND = {"files": {"playground": "playgrounds/p/playground.json", "recipe": "playgrounds/p/recipe.json"}}
PLAYGROUND_DATA = {"assets/generated/playgrounds/p/playground.json": '{"format": 3}'}  # inline in its page


def test_an_unknown_id_fails_the_strict_build_naming_the_page_and_the_id(tmp_path):
    pages = {"lessons/a.md": '{{ playground("p/one") }}\n\n{{ playground("p/none") }}\n'}
    done = build(small_site(tmp_path, {**pages, **PLAYGROUND_DATA}, {"playgrounds": {"p/one": PLAYGROUND}}))
    assert done.returncode != 0
    assert "lessons/a.md: unknown playground id 'p/none'; known playgrounds: p/one" in done.stderr


def test_shortcodes_in_code_are_left_as_written(tmp_path):
    pages = {"a.md": 'Write `{{ playground("p/none") }}`:\n\n```\n{{ figure("x/none") }}\n```\n'}
    config = small_site(tmp_path, pages)
    done = build(config)
    assert done.returncode == 0, done.stderr
    text = page_html(config, "a")
    assert '<code>{{ playground("p/none") }}</code>' in text
    assert "<code>{{ figure(&quot;x/none&quot;) }}\n</code>" in text


def test_a_kind_the_site_has_no_markup_for_fails_the_build(tmp_path):
    manifest = {"playgrounds": {"p/one": PLAYGROUND}, "landscapes": {"l/one": {"files": {}}}}
    done = build(small_site(tmp_path, {"a.md": "# A\n"}, manifest))
    assert done.returncode != 0
    assert "manifest.json: the site has no markup for landscape" in done.stderr, done.stderr


def test_a_stale_item_is_named_once_per_page_and_the_strict_build_passes(tmp_path):
    stale = {**PLAYGROUND, "stale": True}
    manifest = {"playgrounds": {"p/old": stale, "p/older": stale, "p/new": PLAYGROUND}}
    pages = {
        "a.md": '{{ playground("p/old") }}\n\n{{ playground("p/new") }}\n\n{{ playground("p/older") }}\n',
        "b.md": '{{ playground("p/old", "surface=saddle") }}\n',
        "c.md": '{{ playground("p/new") }}\n',
    }
    done = build(small_site(tmp_path, {**pages, **PLAYGROUND_DATA}, manifest))
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "from an earlier build" in line]
    assert len(lines) == 2 and all(line.startswith("INFO") for line in lines), lines
    assert "a.md: shows playground 'p/old', playground 'p/older' from an earlier build" in lines[0]
    assert "b.md: shows playground 'p/old' from an earlier build" in lines[1]


def test_a_playground_carries_its_data_and_its_configuration(tmp_path):
    pages = {"a.md": '{{ playground("p/one", "surface=saddle&opt=sgd") }}\n', **PLAYGROUND_DATA}
    config = small_site(tmp_path, pages, {"playgrounds": {"p/one": PLAYGROUND}})
    done = build(config)
    assert done.returncode == 0, done.stderr
    mount = re.search(r'<div class="descent-playground"[^>]*>', page_html(config, "a")).group(0)
    assert 'data-playground="../assets/generated/playgrounds/p/playground.json"' in mount
    assert 'data-playground-json="{&quot;format&quot;:3}"' in mount
    assert 'data-config="surface=saddle&amp;opt=sgd"' in mount


MODULES = {
    "package.json": '{"type": "module"}',
    "descent.js": 'import { mark } from "./lib/mark.js";\nwindow.descentMark = mark("descent");\n',
    "playground.js": 'import { mark } from "./lib/mark.js";\nimport { rule } from "./playground/rule.js";\n'
    "window.playgroundMark = mark(rule);\n",
    "visualizer.js": 'window.visualizerMark = "visualizer-only";\n',
    "lib/mark.js": "export const mark = (name) => `marked-${name}`;\n",
    "playground/rule.js": 'export const rule = "playground-rule";\n',
}


def test_each_entry_is_published_bundled_with_its_modules_and_no_module_is(tmp_path):
    config = small_site(tmp_path, {"index.md": "# Home\n"}, modules=MODULES)
    done = build(config)
    assert done.returncode == 0, done.stderr
    site = config.parent / "site"
    published = sorted(p.relative_to(site).as_posix() for p in (site / "javascripts").rglob("*"))
    assert published == ["javascripts/descent.js", "javascripts/playground.js", "javascripts/visualizer.js"]
    scripts = {p.name: p.read_text() for p in (site / "javascripts").iterdir()}
    assert "marked-" in scripts["descent.js"] and '"descent"' in scripts["descent.js"]
    assert "marked-" in scripts["playground.js"] and "playground-rule" in scripts["playground.js"]
    assert "marked-" not in scripts["visualizer.js"] and "visualizer-only" in scripts["visualizer.js"]
    assert not any(re.search(r"\bimport\b|\bexport\b", text) for text in scripts.values()), scripts


def test_a_module_esbuild_cannot_bundle_fails_the_build_with_its_message(tmp_path):
    modules = {**MODULES, "lib/mark.js": "export const mark = (name) => ;\n"}
    done = build(small_site(tmp_path, {"index.md": "# Home\n"}, modules=modules))
    assert done.returncode != 0
    assert "bundling javascripts/ failed" in done.stderr
    assert "[ERROR] Unexpected" in done.stderr and "lib/mark.js:1:" in done.stderr, done.stderr


def test_serve_bundles_again_when_a_module_changes(tmp_path):
    config = small_site(tmp_path, {"index.md": "# Home\n"}, modules=MODULES)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def script_has(text: str) -> bool:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/javascripts/descent.js") as r:
                    if text in r.read().decode():
                        return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    try:
        assert script_has("marked-")
        (config.parent / "docs" / "javascripts" / "lib" / "mark.js").write_text(
            "export const mark = (name) => `remarked-${name}`;\n"
        )
        assert script_has("remarked-")
    finally:
        server.terminate()
        server.wait(timeout=10)
