"""The built site: every published video and figure is sound, and pages refer to assets by id."""

import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import av
import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


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


def test_every_lesson_artifact_is_published(built_site):
    import lessons
    from descent.lesson_spec import read_lessons

    m = manifest(built_site)
    assert m["missing"] == []
    for lesson in read_lessons(lessons.ALL):
        for a in lesson.artifacts:
            if a.kind in ("figure", "video"):
                assert a.id in m[f"{a.kind}s"], a.node


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


def test_no_page_loads_anything_from_another_host(built_site):
    for page in built_site.rglob("*.html"):
        text = page.read_text()
        assert not re.search(r'<(script|img|video|source|iframe)[^>]+src="(https?:)?//', text), page
        assert not re.search(r'<link[^>]+rel="stylesheet"[^>]+href="(https?:)?//', text), page


def strict_build(docs: Path, site: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of a copy of the docs, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        env={**os.environ, "DESCENT_DOCS_DIR": str(docs)},
        capture_output=True,
        text=True,
    )


def test_an_unknown_id_fails_the_strict_build(built_site, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("generated"))
    shutil.copytree(built_site / "assets" / "generated", docs / "assets" / "generated")
    page = docs / "lessons" / "gradient-descent.md"
    page.write_text(page.read_text() + '\n{{ figure("gradient-descent/no-such-figure") }}\n')
    done = strict_build(docs, tmp_path / "site")
    assert done.returncode != 0
    assert "lessons/gradient-descent.md: unknown figure id 'gradient-descent/no-such-figure'" in done.stderr


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
