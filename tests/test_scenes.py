"""Scenes follow the course rules, read only what the build hands them, and render to a real video.

Static checks parse the scene files (no rendering): one main Scene per file whose construct()
calls section methods, no computing imports, inputs read only through ``style.inputs`` (never the
lesson specs, the plan or the loaders by id), and no value a spec or the optimizer registry
holds written again in a scene. The style's formulas come from the artifact store: compiled in
one process, read in another without latex, compiled again when damaged. One slow test renders
``GradientDescent1D`` as a bare preview and checks the mp4 with PyAV.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import lessons
from descent.kinds.registry import KINDS
from descent.optim import OPTIMIZERS

ROOT = Path(__file__).resolve().parent.parent
SCENES = ROOT / "scenes"
SCENE_FILES = sorted(SCENES.glob("*.py"))
SCENE_BASES = {"Scene", "ThreeDScene", "MovingCameraScene"}
# What a renderer may import: Manim, numpy, the shared style, and the engine's pure readers.
ALLOWED_IMPORTS = {"manim", "numpy", "style", "descent.contours", "descent.compare", "descent.stability"}


def scene_class(path: Path) -> ast.ClassDef:
    tree = ast.parse(path.read_text())
    classes = [
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id in SCENE_BASES for b in node.bases)
    ]
    assert len(classes) == 1, f"{path.name}: {len(classes)} Scene classes, expected exactly one"
    return classes[0]


def methods(cls: ast.ClassDef) -> dict[str, ast.FunctionDef]:
    return {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}


def section_calls(construct: ast.FunctionDef) -> list[str]:
    """Names ``m`` of the statements ``self.m()`` in construct(), in order."""
    names = []
    for stmt in construct.body:
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "self"
            and not call.args
        ):
            names.append(call.func.attr)
    return names


def videos_of(path: Path) -> list[dict]:
    """The lesson specs' videos rendered from this scene file, with their lesson's slug."""
    return [
        {**video, "slug": module.LESSON["slug"]}
        for module in lessons.ALL
        for video in module.LESSON.get("videos", {}).values()
        if video["scene"] == path.name
    ]


def input_recipes(video: dict) -> list[dict]:
    """The recipes of a video's inputs, as its lesson declares them (in any section of data a
    video reads: trajectories, minibatch runs ...)."""
    lesson = next(m.LESSON for m in lessons.ALL if m.LESSON["slug"] == video["slug"])
    read = {KINDS[kind].section for kind in KINDS["video"].reads}  # every kind of data a video reads
    sections = [v for k, v in lesson.items() if k in read]
    return [next(s[name] for s in sections if name in s) for name in video["inputs"]]


def test_there_are_scenes_to_check():
    assert len(SCENE_FILES) >= 4


@pytest.mark.parametrize("path", SCENE_FILES, ids=lambda p: p.name)
def test_one_scene_whose_construct_calls_its_sections_in_order(path):
    cls = scene_class(path)
    defined = methods(cls)
    assert "construct" in defined
    sections = section_calls(defined["construct"])
    assert len(sections) >= 2, f"{path.name}: construct() calls {sections}, expected sections"
    assert len(set(sections)) == len(sections), f"{path.name}: a section is called twice"
    missing = [s for s in sections if s not in defined]
    assert not missing, f"{path.name}: construct() calls undefined sections {missing}"
    # construct() ends with the sections: nothing is drawn after the last one.
    tail = defined["construct"].body[-len(sections) :]
    assert [ast.unparse(s) for s in tail] == [f"self.{s}()" for s in sections]
    # The last section clears the screen, so the video ends on a clean frame.
    last = defined[sections[-1]].body[-1]
    assert "fade_out_all" in ast.unparse(last), f"{path.name}: {sections[-1]}() does not fade out"


@pytest.mark.parametrize("path", SCENE_FILES, ids=lambda p: p.name)
def test_renderers_read_and_never_compute(path):
    tree = ast.parse(path.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    assert imported <= ALLOWED_IMPORTS, f"{path.name} imports {imported - ALLOWED_IMPORTS}"
    source = path.read_text()
    for forbidden in ("record(", "make_optimizer", "torch", ".step(", "critical_points = "):
        assert forbidden not in source, f"{path.name} contains {forbidden!r}"


def strings(tree: ast.AST) -> list[str]:
    """Every string constant of ``tree``, f-strings' literal parts included."""
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize("path", SCENE_FILES, ids=lambda p: p.name)
def test_scenes_read_what_the_build_hands_them_through_style(path):
    tree = ast.parse(path.read_text())
    construct = methods(scene_class(path))["construct"]
    calls = [n for n in ast.walk(construct) if isinstance(n, ast.Call)]
    assert any(ast.unparse(c) in {"inputs(self)", "one_run(self)"} for c in calls), (
        f"{path.name}: construct() never calls inputs(self) (or one_run(self))"
    )
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not names & {"load_trajectory", "load_surface", "load_network", "load_landscape", "scene_inputs"}
    # No id is written or rebuilt: no string holds "<lesson>/" of any lesson.
    slugs = {f"{m.LESSON['slug']}/" for m in lessons.ALL}
    rebuilt = [s for s in strings(tree) if any(slug in s for slug in slugs)]
    assert not rebuilt, f"{path.name} names artifacts by id: {rebuilt}"


@pytest.mark.parametrize("path", SCENE_FILES, ids=lambda p: p.name)
def test_no_scene_repeats_a_value_a_spec_or_the_registry_holds(path):
    tree = ast.parse(path.read_text())
    labels = {rule.label for rule in OPTIMIZERS.values()}
    said = [s for s in strings(tree) if s in labels]
    assert not said, f"{path.name} writes optimizer labels {said}: read them from the registry"
    recipes = [r for video in videos_of(path) for r in input_recipes(video)]
    rates = {r["hyperparameters"]["lr"] for r in recipes if "hyperparameters" in r}
    # The optimizer lists a spec or the registry holds: the inputs', the settings', all of them.
    held = [{r["optimizer"] for r in recipes if "optimizer" in r}, set(OPTIMIZERS)]
    held += [
        set(v) for video in videos_of(path) for v in video.get("settings", {}).values() if isinstance(v, list)
    ]
    tolerances = {
        v["tolerance"] for m in lessons.ALL for v in m.LESSON.get("figures", {}).values() if "tolerance" in v
    }
    numbers = {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and type(n.value) in (int, float)
    }
    assert not numbers & tolerances, f"{path.name} writes a tolerance: read it from the video's settings"
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set) and len(node.elts) >= 2:
            with contextlib.suppress(ValueError, TypeError):  # not plain values
                values = ast.literal_eval(node)
                assert not set(values) <= rates, f"{path.name} lists learning rates {values}"
                assert set(values) not in held, f"{path.name} lists optimizers {values}"


def test_the_value_checks_catch_what_they_look_for(tmp_path):
    """The checks above fail on a scene that lists its optimizers, a rate list or the tolerance."""
    from lessons import comparisons

    base = (SCENES / "optimizer_race.py").read_text()
    for extra in (
        'NAMES = {"adam": "Adam"}',
        f"OPTIMIZERS = {comparisons.OPTIMIZERS}",
        f"RATES = {comparisons.RATES[:3]}",
        f"TOLERANCE = {comparisons.TOLERANCE!r}",
    ):
        path = tmp_path / "optimizer_race.py"
        path.write_text(f"{base}\n{extra}\n")
        with pytest.raises(AssertionError):
            test_no_scene_repeats_a_value_a_spec_or_the_registry_holds(path)
    path.write_text(base.replace("inputs(self)", 'load_trajectory("comparisons/ravine-sgd-0.001")'))
    with pytest.raises(AssertionError):
        test_scenes_read_what_the_build_hands_them_through_style(path)


@pytest.mark.parametrize("path", SCENE_FILES, ids=lambda p: p.name)
def test_every_setting_a_scene_reads_is_in_its_video_spec(path):
    read = {
        node.slice.value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "settings"
        and isinstance(node.slice, ast.Constant)
    }
    for video in videos_of(path):
        missing = read - set(video.get("settings", {}))
        assert not missing, f"{path.name} reads settings {missing} its video spec does not give"


def test_the_tex_template_typesets_with_the_installed_latex(tmp_path, monkeypatch):
    from manim import tempconfig

    monkeypatch.syspath_prepend(str(SCENES))
    monkeypatch.setenv("DESCENT_STORE", str(tmp_path / "store"))
    import style

    with tempconfig({"media_dir": str(tmp_path), "tex_dir": str(tmp_path / "tex")}):
        formula = style.math(r"w \leftarrow w - \eta\, \nabla L(w)")
    assert len(formula.family_members_with_points()) >= 10  # one path per glyph
    assert formula.width > formula.height > 0


def test_glyphs_forget_the_svg_path_they_were_built_from(tmp_path, monkeypatch):
    """Copies of text are cheap: no glyph keeps its parsed path once its points exist."""
    from manim import tempconfig
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    monkeypatch.syspath_prepend(str(SCENES))
    monkeypatch.setenv("DESCENT_STORE", str(tmp_path / "store"))
    import style

    with tempconfig({"media_dir": str(tmp_path)}):
        for mob in (style.math(r"\nabla L"), style.text("step 12 of 100")):
            glyphs = [m for m in mob.get_family() if isinstance(m, VMobjectFromSVGPath)]
            assert glyphs and all(g.path_obj is None for g in glyphs)
            assert mob.copy().get_all_points().shape == mob.get_all_points().shape


def test_a_held_frame_encodes_as_the_same_frame_sent_again_and_again(tmp_path, monkeypatch):
    """A frame written once with ``repeat`` (converted once) gives the video, byte for byte, that
    Manim's own writer gives (converting every copy)."""
    from fractions import Fraction

    from manim import config
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    monkeypatch.syspath_prepend(str(SCENES))
    import style  # noqa: F401  (installs the hooks)

    assert getattr(VideoSegmentEncoder.write_frame, "converts_once", False)
    manim_own = VideoSegmentEncoder.write_frame.__closure__[0].cell_contents
    options = tuple(sorted(config.video_encoder_options.items()))  # as the course sets them
    spec = VideoEncoderSpec("mp4", "libx264", "yuv420p", 320, 180, Fraction(30), options)
    rng = np.random.default_rng(0)
    frames = rng.integers(0, 256, (2, 180, 320, 4), dtype=np.uint8)
    frames[..., 3] = 255
    videos = []
    for name, write in (("held", VideoSegmentEncoder.write_frame), ("manim", manim_own)):
        encoder = VideoSegmentEncoder(target=tmp_path / f"{name}.mp4", spec=spec)
        for frame, repeat in ((frames[0], 1), (frames[1], 7), (frames[0], 3)):
            write(encoder, np.ascontiguousarray(frame), repeat=repeat)
        encoder.finish()
        videos.append((tmp_path / f"{name}.mp4").read_bytes())
    assert len(videos[0]) > 1000 and videos[0] == videos[1]


@pytest.fixture
def style(tmp_path, monkeypatch):
    """The style module, with Manim configured as a render configures it (media and formulas in
    ``tmp_path``)."""
    from manim import tempconfig

    monkeypatch.syspath_prepend(str(SCENES))
    monkeypatch.setenv("DESCENT_STORE", str(tmp_path / "store"))
    import style

    with tempconfig({"tex_template": style.TEX_TEMPLATE, "media_dir": str(tmp_path / "media")}):
        yield style


def test_a_racing_path_runs_up_to_its_step_count_and_is_cut_at_its_plot(style):
    """Paths and dots follow the tracker (fractions of a step drawn in part), and what leaves the
    plotted square is cut at its edge, the dot hidden meanwhile."""
    from manim import ValueTracker

    axes, _ = style.plane_axes(((-3, 3), (-3, 3)), unit=0.5)
    points = np.array([[-2.0, 0.0], [0.0, 0.0], [4.0, 0.0], [2.0, 2.0]])  # the second step leaves it
    tracker = ValueTracker(0)
    (path,), (dot,) = style.racing_paths(axes, [(points, "#e0489e")], tracker, bounds=((-3, 3), (-3, 3)))

    def drawn():
        path.update()
        dot.update()
        anchors = [list(np.round(axes.p2c(p)[:2], 6)) for p in path.get_anchors()]
        return anchors, tuple(np.round(axes.p2c(dot.get_center())[:2], 6)), dot.get_fill_opacity()

    table = {  # step count: (anchors of the path in w, the dot's point, its opacity)
        0: ([[-2, 0], [-2, 0]], (-2, 0), 1.0),
        0.5: ([[-2, 0], [-1, 0]], (-1, 0), 1.0),
        1.5: ([[-2, 0], [0, 0], [0, 0], [2, 0]], (2, 0), 1.0),
        2: ([[-2, 0], [0, 0], [0, 0], [3, 0]], (3, 0), 0.0),  # at (4, 0): off the plot, held at its edge
        3: ([[-2, 0], [0, 0], [0, 0], [3, 0], [3, 1], [2, 2]], (2, 2), 1.0),
    }
    for k, (anchors, where, opacity) in table.items():
        tracker.set_value(k)
        assert drawn() == (anchors, where, opacity), k


def test_the_step_counter_counts_and_its_words_stay_put(style):
    from manim import ValueTracker

    tracker = ValueTracker(0)
    counter = style.step_counter(tracker, 1000)
    words, number, total = counter
    places = (words.get_left().copy(), total.get_left().copy())
    for k in (7, 42.6, 999):
        tracker.set_value(k)
        number.update()
        assert number.get_value() == int(k)
        assert np.allclose((words.get_left(), total.get_left()), places)
        assert number.get_right()[0] < total.get_left()[0]  # every digit fits before "of 1000"


# -- formulas from the store ---------------------------------------------------------------------

TYPESET = textwrap.dedent(
    """
    import hashlib, sys
    from manim import Integer, tempconfig
    import style

    with tempconfig({"media_dir": sys.argv[1]}):
        formula = style.math(r"w_{t+1} = w_t - \\eta\\, g_t")
        number = Integer(7)  # Manim typesets numbers on its own: they go through the store too
    print(len(formula.family_members_with_points()), len(number.family_members_with_points()))
    """
)
FAKE_TOOL = textwrap.dedent(
    """\
    #!/bin/sh
    echo "$(basename "$0") $*" >> "{log}"
    if [ "$1" = "--version" ] || [ -z "$REFUSE" ]; then exec "{real}" "$@"; fi
    exit 1
    """
)


@pytest.fixture
def typeset(tmp_path):
    """Run TYPESET in a fresh process and media directory, with latex and dvisvgm wrapped so that
    each call is logged and, with ``refuse=True``, any call but ``--version`` fails."""
    store, bin_dir, log = tmp_path / "store", tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    for tool in ("latex", "dvisvgm"):
        wrapper = bin_dir / tool
        wrapper.write_text(FAKE_TOOL.format(log=log, real=shutil.which(tool)))
        wrapper.chmod(0o755)
    runs = iter(range(100))

    def run(refuse: bool = False) -> list[str]:
        log.write_text("")
        env = {
            **os.environ,
            "DESCENT_STORE": str(store),
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "PYTHONPATH": f"{SCENES}:{ROOT}",
            "REFUSE": "1" if refuse else "",
        }
        media = tmp_path / f"media{next(runs)}"
        done = subprocess.run(
            [sys.executable, "-c", TYPESET, str(media)], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.splitlines()[-1].split() == ["11", "1"]  # glyphs of the formula, the number
        return [line for line in log.read_text().splitlines() if "--version" not in line]

    run.store = store
    return run


def stored_svgs(store: Path) -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in sorted(store.glob("tex/*/*/formula.svg"))}


def test_a_formula_compiled_once_is_read_from_the_store_by_every_later_render(typeset):
    compiled = typeset()
    assert sum(c.startswith("latex ") for c in compiled) == 2, compiled  # the formula and the 7
    svgs = stored_svgs(typeset.store)
    assert len(svgs) == 2 and all(b"<svg" in svg for svg in svgs.values())
    # Another process, another media directory, and a latex that refuses to compile: all is read.
    assert typeset(refuse=True) == []
    assert stored_svgs(typeset.store) == svgs


def test_a_damaged_formula_is_compiled_again_never_read(typeset):
    typeset()
    svgs = stored_svgs(typeset.store)
    damaged = next(iter(typeset.store.glob("tex/*/*/formula.svg")))
    damaged.write_bytes(damaged.read_bytes().replace(b"<path", b"<p"))  # digest no longer matches
    compiled = typeset()
    assert sum(c.startswith("latex ") for c in compiled) == 1, compiled
    assert stored_svgs(typeset.store) == svgs  # replaced by the same SVG, compiled again
    assert json.loads((damaged.parent / "entry.json").read_text())["files"]["formula.svg"] == (
        hashlib.sha256(svgs[damaged.parent.name]).hexdigest()
    )


PREPARED = textwrap.dedent(
    """\
    import sys
    from manim import Integer, tempconfig
    import style

    def make():
        return [style.math(rf"w_{{{k}}} = {k / 7:.3f}") for k in range(5)] + [
            style.math(r"\\hat m_t = \\frac{m_t}{1-\\beta_1^{\\,t}}"), Integer(123)
        ]

    with tempconfig({"media_dir": sys.argv[1]}):
        if sys.argv[2] == "prepared":
            print("compiled together:", style.prepare(make))
        built = make()
    print(*(len(m.family_members_with_points()) for m in built))
    """
)


def test_formulas_prepared_together_are_those_compiled_alone(typeset, tmp_path):
    def run(store: str, how: str) -> tuple[list[str], str]:
        env = {**os.environ, "DESCENT_STORE": str(tmp_path / store), "PYTHONPATH": f"{SCENES}:{ROOT}"}
        env["PATH"] = f"{tmp_path / 'bin'}:{os.environ['PATH']}"
        (tmp_path / "calls.log").write_text("")
        done = subprocess.run(
            [sys.executable, "-c", PREPARED, str(tmp_path / f"media-{store}"), how],
            cwd=tmp_path, env=env, capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        calls = [c for c in (tmp_path / "calls.log").read_text().splitlines() if "--version" not in c]
        return calls, done.stdout

    typeset()  # makes the logging latex and dvisvgm in tmp_path/bin
    alone, glyphs_alone = run("alone", "one by one")
    together, glyphs_together = run("together", "prepared")
    formulas = sum(c.startswith("latex ") for c in alone)
    assert formulas == 9  # 6 formulas and the number's 3 digits, one latex run each
    assert sum(c.startswith("latex ") for c in together) == 1, together  # one run for all of them
    assert f"compiled together: {formulas}" in glyphs_together
    assert glyphs_alone.splitlines()[-1] == glyphs_together.splitlines()[-1]
    # Stored byte for byte alike, however compiled.
    assert stored_svgs(tmp_path / "alone") == stored_svgs(tmp_path / "together")


# -- the scenes' structure, and one real render -----------------------------------------------------

BAD_SCENES = {
    "two scenes": "class A(Scene):\n    def construct(self):\n        self.a()\n        self.b()\n"
    "    def a(self): fade_out_all(self)\n    def b(self): fade_out_all(self)\n"
    "class B(Scene):\n    def construct(self): pass\n",
    "no sections": "class A(Scene):\n    def construct(self):\n        self.play(Create(x))\n",
    "undefined section": "class A(Scene):\n    def construct(self):\n        self.a()\n"
    "        self.b()\n    def a(self): pass\n",
    "work after sections": "class A(Scene):\n    def construct(self):\n        self.a()\n"
    "        self.b()\n        self.wait()\n    def a(self): pass\n"
    "    def b(self): fade_out_all(self)\n",
    "no final fade": "class A(Scene):\n    def construct(self):\n        self.a()\n"
    "        self.b()\n    def a(self): pass\n    def b(self): self.wait()\n",
}


@pytest.mark.parametrize("source", BAD_SCENES.values(), ids=BAD_SCENES.keys())
def test_the_structure_check_rejects_scenes_that_break_the_rules(source, tmp_path):
    path = tmp_path / "bad.py"
    path.write_text(source)
    with pytest.raises(AssertionError):
        test_one_scene_whose_construct_calls_its_sections_in_order(path)


def load_scene_class(path: Path, name: str):
    """Import a scene file the way Manim does (its folder on sys.path) and return the class."""
    spec = importlib.util.spec_from_file_location(f"scene_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


@pytest.mark.slow
def test_gradient_descent_1d_previews_from_the_store_as_long_as_its_animations(tmp_path, monkeypatch):
    av = pytest.importorskip("av")
    from manim import tempconfig

    from descent.plan import make_plan
    from descent.scene_inputs import INPUTS_ENV, ResolvedInput, SceneInputs, write_preview_record

    # Build the scene's input into a private store, as the pipeline would, and leave the record a
    # build of its video leaves: a bare preview (no inputs handed over) reads it.
    store = tmp_path / "store"
    monkeypatch.setenv("DESCENT_STORE", str(store))
    monkeypatch.delenv(INPUTS_ENV, raising=False)
    build = [sys.executable, "build_assets.py", "--only", "trajectory:gradient-descent/parabola"]
    done = subprocess.run([*build, "--no-publish"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    plan = make_plan(lessons.ALL, quality="low")
    video = plan.get("video", "gradient-descent/parabola")
    handed = [
        ResolvedInput(p.spec.id, p.spec.kind, p.key, p.spec.recipe)
        for p in map(plan.artifacts.get, video.spec.inputs)
    ]
    write_preview_record(SceneInputs(video.spec.id, video.spec.recipe, tuple(handed), store))

    monkeypatch.syspath_prepend(str(SCENES))
    import style

    scene_cls = load_scene_class(SCENES / "gradient_descent_1d.py", "GradientDescent1D")
    settings = {
        "tex_template": style.TEX_TEMPLATE,  # as the CLI gets it when style is imported
        "media_dir": str(tmp_path / "media"),
        "quality": "low_quality",
        "write_to_movie": True,
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
    }
    with tempconfig(settings):
        scene = scene_cls()
        scene.render()
        played = scene.renderer.time  # seconds of animation and waits the scene ran
        fps = scene.camera.frame_rate
        movie = Path(scene.renderer.file_writer.movie_file_path)
    assert not scene.mobjects, "the last section left mobjects on screen"
    assert list(store.glob("tex/*/*/formula.svg")), "the render's formulas were not kept in the store"

    with av.open(str(movie)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
        duration = float(stream.duration * stream.time_base)
        frames = [f.to_ndarray(format="gray") for f in container.decode(stream)]
    # Every frame decodes, and there are as many as the scene's animations last.
    assert len(frames) == pytest.approx(played * fps, abs=2)
    assert duration == pytest.approx(played, abs=2 / fps)
    assert 15 <= duration <= 30, "course videos are short: roughly 15-30 s"
    # Something is drawn mid-video, and the video ends on the cleared (black) screen.
    assert np.std(frames[len(frames) // 2]) > 10
    assert np.mean(frames[-1]) < 5


def module_constants(tree: ast.Module) -> dict[str, object]:
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            with contextlib.suppress(ValueError):
                out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


@pytest.mark.parametrize("path", SCENE_FILES, ids=lambda p: p.name)
def test_3d_surfaces_are_checkerboards_seen_from_a_slowly_turning_camera(path):
    tree = ast.parse(path.read_text())
    constants = module_constants(tree)
    is_3d = any(isinstance(b, ast.Name) and b.id == "ThreeDScene" for b in scene_class(path).bases)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    names = {getattr(c.func, "id", None) or getattr(c.func, "attr", None) for c in calls}
    # Surfaces come from style.checkerboard_surface only: never a flat-coloured Surface.
    assert "Surface" not in names and "ManimSurface" not in names, path.name
    if "checkerboard_surface" in names:
        assert is_3d, f"{path.name} draws a 3-D surface outside a ThreeDScene"
        assert "begin_ambient_camera_rotation" in names, f"{path.name}: the camera never turns"
    for call in calls:
        if getattr(call.func, "attr", None) == "begin_ambient_camera_rotation":
            rate = next(k.value for k in call.keywords if k.arg == "rate")
            value = constants[rate.id] if isinstance(rate, ast.Name) else ast.literal_eval(rate)
            assert 0 < abs(value) <= 0.15, f"{path.name}: camera turns at {value} rad/s"


def test_the_checkerboard_surface_has_two_colours(monkeypatch):
    monkeypatch.syspath_prepend(str(SCENES))
    import style
    from manim import ThreeDAxes

    from descent.surfaces import get_surface

    axes = ThreeDAxes(x_range=[-3, 3, 1], y_range=[-3, 3, 1], z_range=[0, 18, 3])
    mesh = style.checkerboard_surface(axes, get_surface("bowl"), resolution=6)
    colours = {face.get_fill_color().to_hex() for face in mesh.submobjects}
    assert len(colours) == 2 and len(mesh.submobjects) == 36
