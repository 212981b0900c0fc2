"""Every video has WebVTT captions and a text description, made from its scene's narration.

Fast tests: the WebVTT writer and the description (on hand-made cues), ``style.narrate``, the
plain-text formulas, and that every section of every scene narrates before it plays anything.
Slow tests: every published video's captions parse, cover the video from its first frame to its
end and agree with its description; in chromium, each lesson page's video loads its captions
track and the description opens from the keyboard, at phone width.
"""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import lessons
from descent.kinds.video import description, webvtt

ROOT = Path(__file__).resolve().parent.parent
SCENES = ROOT / "scenes"
SCENE_FILES = sorted(SCENES.glob("*.py"))  # the style is a package beside them
LESSON_PAGES = [m.LESSON["page"].removesuffix(".md") + "/" for m in lessons.TAUGHT]

TIME = r"(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})"
TIMING = re.compile(rf"{TIME} --> {TIME}")


def milliseconds(h: str, m: str, s: str, ms: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def parse_vtt(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, text)`` of each cue of a WebVTT file, times in milliseconds. The file must be
    as the producer writes it: the header alone on the first line, then blocks of a timing line
    and the cue's text, one blank line between blocks. Anything else fails."""
    assert text.endswith("\n") and not text.endswith("\n\n"), "the file must end in one newline"
    assert "\r" not in text
    blocks = text[:-1].split("\n\n")
    assert blocks[0] == "WEBVTT", f"header {blocks[0]!r}"
    cues = []
    for block in blocks[1:]:
        timing, *lines = block.split("\n")
        match = TIMING.fullmatch(timing)
        assert match, f"bad timing line {timing!r}"
        words = "\n".join(lines)
        assert words.strip(), f"cue {timing} has no text"
        assert "-->" not in words and "<" not in words and ">" not in words, words
        assert not re.search(r"&(?!amp;|lt;|gt;)", words), f"unescaped & in {words!r}"
        start, end = milliseconds(*match.groups()[:4]), milliseconds(*match.groups()[4:])
        assert end > start, f"cue {timing} lasts no time"
        cues.append((start, end, words))
    return cues


# -- the writer ----------------------------------------------------------------------------------


def test_webvtt_cues_run_until_the_next_and_the_last_until_the_end():
    cues = [
        (0.0, "Loss & <gradient>"),
        (1.2346, "hidden: shown no time"),
        (1.2346, "two   words\nhere"),
        (4.0, "third"),
        (7.25, "at the very end"),
    ]
    text = webvtt(cues, duration=7.25)
    assert text.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.235\nLoss &amp; &lt;gradient&gt;\n\n")
    assert parse_vtt(text) == [
        (0, 1235, "Loss &amp; &lt;gradient&gt;"),
        (1235, 4000, "two words here"),
        (4000, 7250, "third"),
    ]


def test_webvtt_times_past_a_minute_and_an_hour():
    text = webvtt([(0.0, "a"), (61.5, "b"), (3661.001, "c")], duration=3662.0)
    assert "00:00:00.000 --> 00:01:01.500\na" in text
    assert "00:01:01.500 --> 01:01:01.001\nb" in text
    assert "01:01:01.001 --> 01:01:02.000\nc" in text


def test_the_description_is_every_cue_in_order_a_paragraph_each():
    cues = [(0.0, "First, the loss."), (2.0, "Then   the\nsteps."), (2.0, "Last & least.")]
    assert description(cues) == "First, the loss.\n\nThen the steps.\n\nLast & least.\n"


def test_the_video_markup_carries_the_captions_track_and_the_description(tmp_path, monkeypatch):
    from descent.site import assets

    folder = tmp_path / "videos" / "lesson" / "clip"
    folder.mkdir(parents=True)
    (folder / "description.txt").write_text("First <cue> & more.\n\nSecond cue.\n", encoding="utf-8")
    names = ["video.mp4", "poster.jpg", "captions.vtt", "description.txt", "data.npz", "recipe.json"]
    files = {name.split(".")[0]: f"videos/lesson/clip/{name}" for name in names}
    page = SimpleNamespace(file=SimpleNamespace(src_uri="lessons/lesson.md", url="lessons/lesson/"))
    on_page = assets.PageAssets(page, tmp_path, "generated")
    errors = []
    monkeypatch.setattr(assets.log, "error", errors.append)

    def clip_markup():
        clip = assets.Shortcode("video", "lesson/clip", {"title": "A clip", "files": files})
        return assets.video(clip, on_page)

    markup = clip_markup()
    video = markup[markup.index("<video") : markup.index("</video>")]
    src = "../../generated/videos/lesson/clip/captions.vtt"
    assert f'<track kind="captions" srclang="en" label="English" src="{src}" default>' in video
    details = re.search(
        r'</video><details class="descent-video__description">(.*?)</details><figcaption>', markup
    )
    assert details, markup
    assert (
        details.group(1)
        == "<summary>Text description</summary><p>First &lt;cue&gt; &amp; more.</p><p>Second cue.</p>"
    )
    assert not errors

    del files["captions"], files["description"]  # published before videos had captions
    markup = clip_markup()
    assert "<track" not in markup and "<details" not in markup
    assert len(errors) == 1 and "'lesson/clip' has no captions" in errors[0]


# -- the scenes ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def style():
    import sys

    sys.path.insert(0, str(SCENES))
    try:
        import style

        yield style
    finally:
        sys.path.remove(str(SCENES))


def test_narrate_records_the_scene_time_and_writes_the_cues_when_asked(style, tmp_path, monkeypatch):
    scene = SimpleNamespace(renderer=SimpleNamespace(time=0.0))
    monkeypatch.delenv(style.CAPTIONS_ENV, raising=False)
    style.narrate(scene, "A preview   keeps\nits cues.")
    assert scene.narration == [{"start": 0.0, "text": "A preview keeps its cues."}]

    out = tmp_path / "cues.json"
    monkeypatch.setenv(style.CAPTIONS_ENV, str(out))
    scene.renderer.time = 3.5
    style.narrate(scene, "Then η = 0.1.")
    assert json.loads(out.read_text(encoding="utf-8")) == [
        {"start": 0.0, "text": "A preview keeps its cues."},
        {"start": 3.5, "text": "Then η = 0.1."},
    ]
    with pytest.raises(ValueError):
        style.narrate(scene, "  ")


def test_formulas_read_as_plain_text(style):
    from descent.surfaces import SURFACES, get_surface

    assert style.plain(r"L(w) = w_1^2 + 10\,w_2^2") == "L(w) = w₁² + 10 w₂²"
    assert style.plain(r"L(w) = (1 - w_1)^2 + 100\,(w_2 - w_1^2)^2") == "L(w) = (1 − w₁)² + 100 (w₂ − w₁²)²"
    assert style.plain(r"1 - e^{-\lVert w\rVert^2 / 2}") == "1 − e^(−‖w‖²/2)"
    assert style.plain(style.tex_number(0.0000021)) == "2.1 × 10⁻⁶"
    for name in SURFACES:
        words = style.plain(get_surface(name).latex)
        assert not set("\\{}") & set(words), (name, words)
    with pytest.raises(ValueError, match="frac"):
        style.plain(r"\frac{1}{2}")


def playing_functions(tree: ast.AST, receiver: str, known: set[str]) -> set[str]:
    """Names of the functions defined in ``tree`` that advance a scene's time: they call
    ``<receiver>.play``, ``.wait`` or ``.move_camera``, or a function already known to."""
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    playing = set(known)
    while True:
        more = {
            f.name
            for f in functions
            if f.name not in playing and any(plays(c, receiver, playing) for c in calls(f))
        }
        if not more:
            return playing - known
        playing |= more


def calls(node: ast.AST) -> list[ast.Call]:
    """The calls in ``node`` in source order."""
    found = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
    return sorted(found, key=lambda c: (c.lineno, c.col_offset))


def plays(call: ast.Call, receiver: str, playing: set[str]) -> bool:
    f = call.func
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == receiver:
        return f.attr in {"play", "wait", "move_camera"} | playing
    return isinstance(f, ast.Name) and f.id in playing


def narrating_functions(tree: ast.AST, receiver: str, playing: set[str]) -> set[str]:
    """Names of the functions defined in ``tree`` that say a caption before they play anything:
    their first call to ``narrate`` (or to a function already known to narrate first) comes
    before their first playing call."""
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    narrating: set[str] = set()
    while True:
        more = {
            f.name
            for f in functions
            if f.name not in narrating and says_first(f, receiver, playing, narrating)
        }
        if not more:
            return narrating
        narrating |= more


def says_first(function: ast.AST, receiver: str, playing: set[str], narrating: set[str]) -> bool:
    found = calls(function)
    cue = next(
        (c for c in found if isinstance(c.func, ast.Name) and c.func.id in {"narrate"} | narrating), None
    )
    play = next((c for c in found if plays(c, receiver, playing) and c is not cue), None)
    return cue is not None and (play is None or (cue.lineno, cue.col_offset) < (play.lineno, play.col_offset))


@pytest.mark.parametrize("path", SCENE_FILES, ids=lambda p: p.name)
def test_every_section_narrates_before_it_plays_anything(path):
    style = ast.Module(
        body=[
            node
            for module in sorted((SCENES / "style").glob("*.py"))
            for node in ast.parse(module.read_text()).body
        ],
        type_ignores=[],
    )
    style_plays = playing_functions(style, "scene", set())
    shared = {"title_card", "run_title_card", "fade_out_all", "walk_steps"}
    assert shared <= style_plays  # the check itself sees them
    style_says = narrating_functions(style, "scene", style_plays)
    # walk_steps narrates first when given words (and its section narrates itself otherwise).
    assert style_says == {"title_card", "run_title_card", "open_section", "walk_steps"}
    tree = ast.parse(path.read_text())
    scene = next(
        n
        for n in tree.body
        if isinstance(n, ast.ClassDef) and any(getattr(b, "id", "").endswith("Scene") for b in n.bases)
    )
    methods = {n.name: n for n in scene.body if isinstance(n, ast.FunctionDef)}
    playing = style_plays | playing_functions(scene, "self", style_plays)
    # construct() loads the data, then calls the sections in order: self.title(), self.the_loss()...
    sections = [
        s.value.func.attr
        for s in methods["construct"].body
        if isinstance(s, ast.Expr)
        and isinstance(s.value, ast.Call)
        and ast.unparse(s.value) == f"self.{getattr(s.value.func, 'attr', '')}()"
    ]
    assert sections
    for name in sections:
        assert says_first(methods[name], "self", playing, style_says), (
            f"{path.name}: {name}() never narrates, or plays before its first caption"
        )


# -- the published videos ------------------------------------------------------------------------


def published_videos(site: Path):
    generated = site / "assets" / "generated"
    manifest = json.loads((generated / "manifest.json").read_text())
    assert manifest["videos"], "the site has no videos"
    for item_id, item in manifest["videos"].items():
        yield item_id, {name: generated / rel for name, rel in item["files"].items()}


@pytest.mark.slow
def test_every_video_is_captioned_from_its_first_frame_to_its_end(built_site):
    av = pytest.importorskip("av")
    for item_id, files in published_videos(built_site):
        assert {"captions", "description"} <= set(files), f"{item_id}: {sorted(files)}"
        cues = parse_vtt(files["captions"].read_text(encoding="utf-8"))
        assert cues, f"{item_id}: no cues"
        with av.open(str(files["video"])) as c:
            stream = c.streams.video[0]
            duration_ms = 1000 * float(stream.duration * stream.time_base)
            frame_ms = 1000 / float(stream.average_rate)
        assert cues[0][0] < frame_ms, (
            f"{item_id}: the first cue starts at {cues[0][0]} ms, not with the video"
        )
        for (_, end, _), (start, _, _) in zip(cues[:-1], cues[1:], strict=True):
            assert end == start, f"{item_id}: a cue ends at {end} ms, the next starts at {start} ms"
        assert abs(cues[-1][1] - duration_ms) <= frame_ms, (
            f"{item_id}: captions end at {cues[-1][1]} ms of {duration_ms:.0f} ms"
        )

        paragraphs = files["description"].read_text(encoding="utf-8").strip().split("\n\n")
        assert all(p.strip() for p in paragraphs), f"{item_id}: an empty paragraph"
        said = [html.unescape(words) for _, _, words in cues]
        assert [p for p in paragraphs if p in said] == said, f"{item_id}: description and captions differ"


@pytest.mark.slow
@pytest.mark.browser
def test_lesson_videos_load_their_captions_and_the_description_opens_from_the_keyboard(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740})  # a phone
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        for lesson in LESSON_PAGES:
            page.goto(site_url + lesson)
            figures = page.locator("figure.descent-video")
            assert figures.count() >= 1, f"{lesson}: no video"
            for i in range(figures.count()):
                figure = figures.nth(i)
                track = figure.locator("video > track")
                assert track.get_attribute("kind") == "captions" and track.get_attribute("srclang") == "en"
                page.wait_for_function("t => t.readyState === 2", arg=track.element_handle())  # LOADED
                loaded = page.evaluate("t => t.track.cues.length", track.element_handle())
                src = page.evaluate("t => t.src", track.element_handle())
                in_file = parse_vtt(page.request.get(src).text())
                assert loaded == len(in_file), f"{lesson}: {loaded} cues loaded, {len(in_file)} in {src}"

                details = figure.locator("details.descent-video__description")
                assert not details.evaluate("d => d.open")
                details.locator("summary").focus()
                page.keyboard.press("Enter")
                assert details.evaluate("d => d.open"), f"{lesson}: Enter did not open the description"
                assert details.locator("p").count() >= len(in_file)  # a cue shown no time is still said
                box = details.bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= 360, f"{lesson}: {box} at 360 px"
                assert figure.evaluate("f => f.scrollWidth <= f.clientWidth"), f"{lesson}: too wide at 360 px"
    finally:
        context.close()
