"""The built site: every published video and figure is sound, and pages refer to assets by id."""

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
    assert videos and all('preload="metadata"' in v and "data-poster=" in v and "controls" in v for v in videos)
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


def test_an_unknown_id_fails_the_strict_build(built_site, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("generated"))
    shutil.copytree(built_site / "assets" / "generated", docs / "assets" / "generated")
    page = docs / "lessons" / "gradient-descent.md"
    page.write_text(page.read_text() + '\n{{ figure("gradient-descent/no-such-figure") }}\n')
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        env={**os.environ, "DESCENT_DOCS_DIR": str(docs)},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "lessons/gradient-descent.md: unknown figure id 'gradient-descent/no-such-figure'" in done.stderr
