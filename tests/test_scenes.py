"""Scenes follow the course rules, read only their declared inputs, and render to a real video.

Static checks parse the scene files (no rendering): one main Scene per file whose construct()
calls section methods, no computing imports, and ``load_trajectory`` / ``load_surface`` /
``load_network`` ids that the lesson spec declares for that video. One slow test renders
``GradientDescent1D`` and checks the mp4 with PyAV.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import lessons

ROOT = Path(__file__).resolve().parent.parent
SCENES = ROOT / "scenes"
SCENE_FILES = sorted(p for p in SCENES.glob("*.py") if p.name != "style.py")
SCENE_BASES = {"Scene", "ThreeDScene", "MovingCameraScene"}
# What a renderer may import: Manim, numpy, the shared style, and the engine's readers.
ALLOWED_IMPORTS = {"manim", "numpy", "style", "descent.artifacts", "descent.contours", "descent.compare"}
LOADERS = {"load_trajectory", "load_surface", "load_network", "load_landscape"}


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


def declared_inputs(path: Path, class_name: str) -> set[str]:
    """Trajectory ids the lesson specs declare for the video rendered from this file and class."""
    ids = set()
    for module in lessons.ALL:
        lesson = module.LESSON
        for video in lesson.get("videos", {}).values():
            if video["scene"] == path.name and video["class"] == class_name:
                ids |= {f"{lesson['slug']}/{name}" for name in video["inputs"]}
    return ids


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


@pytest.mark.parametrize("path", SCENE_FILES, ids=lambda p: p.name)
def test_scenes_load_exactly_the_inputs_their_lesson_declares(path):
    cls = scene_class(path)
    loaded, dynamic = set(), False
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in LOADERS:
            arg = node.args[0]
            if isinstance(arg, ast.Name):  # a module constant such as RUN = "..."
                arg = next(
                    n.value
                    for n in ast.parse(path.read_text()).body
                    if isinstance(n, ast.Assign) and n.targets[0].id == arg.id
                )
            if not isinstance(arg, ast.Constant):  # an id built in a loop: DESCENT_INPUTS checks it
                dynamic = True
                continue
            loaded.add(ast.literal_eval(arg))
    declared = declared_inputs(path, cls.name)
    assert declared, f"no lesson video renders {path.name} {cls.name}"
    assert loaded <= declared
    assert dynamic or loaded == declared


def test_the_tex_template_typesets_with_the_installed_latex(tmp_path, monkeypatch):
    from manim import tempconfig

    monkeypatch.syspath_prepend(str(SCENES))
    import style

    with tempconfig({"media_dir": str(tmp_path), "tex_dir": str(tmp_path / "tex")}):
        formula = style.math(r"w \leftarrow w - \eta\, \nabla L(w)")
    assert len(formula.family_members_with_points()) >= 10  # one path per glyph
    assert formula.width > formula.height > 0


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
def test_gradient_descent_1d_renders_a_playable_video_as_long_as_its_animations(tmp_path, monkeypatch):
    av = pytest.importorskip("av")
    from manim import tempconfig

    # Build the scene's input into a private store, as the pipeline would.
    store = tmp_path / "store"
    monkeypatch.setenv("DESCENT_STORE", str(store))
    build = [sys.executable, "build_assets.py", "--only", "trajectory:gradient-descent/parabola"]
    done = subprocess.run([*build, "--no-publish"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr

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
