"""A malformed lesson spec stops the build before any work, naming the file and the field."""

import copy
import types

import pytest
from demo_lesson import network

import build_assets
import lessons
from descent.lesson_spec import SpecError, read_lesson, read_lessons
from lessons import gradient_descent

GOOD = gradient_descent.LESSON


def lesson_module(spec, name="broken"):
    module = types.ModuleType(f"lessons.{name}")
    module.__file__ = f"lessons/{name}.py"
    module.LESSON = spec
    return module


def mutated(change):
    spec = copy.deepcopy(GOOD)
    change(spec)
    return spec


T = "trajectories"
BAD = [
    (lambda s: s[T]["parabola"].update(surface="banana"), "trajectories.parabola.surface", "unknown surface"),
    (
        lambda s: s[T]["parabola"].update(optimizer="sophia"),
        "trajectories.parabola.optimizer",
        "unknown optimizer",
    ),
    # Muon steps weight matrices: a point on a surface is a vector.
    (lambda s: s[T]["parabola"].update(optimizer="muon"), "trajectories.parabola.optimizer", "cannot step"),
    (
        lambda s: s[T]["parabola"]["hyperparameters"].update(lr=-0.1),
        "trajectories.parabola.hyperparameters.lr",
        "> 0",
    ),
    (
        lambda s: s[T]["bowl"]["hyperparameters"].update(momentum=0.9),
        "trajectories.bowl.hyperparameters.momentum",
        "unknown hyperparameter",
    ),
    (lambda s: s[T]["parabola"].pop("steps"), "trajectories.parabola.steps", "missing"),
    (lambda s: s[T]["parabola"].update(steps="10"), "trajectories.parabola.steps", "whole number"),
    (lambda s: s[T]["parabola"].update(steps=-1), "trajectories.parabola.steps", "whole number"),
    (lambda s: s[T]["bowl"].update(start=[1.0]), "trajectories.bowl.start", "2 finite numbers"),
    (lambda s: s[T]["bowl"].update(start=[1.0, float("inf")]), "trajectories.bowl.start", "finite"),
    (lambda s: s[T]["bowl"].update(seed=3), "trajectories.bowl.seed", "unknown field"),
    (lambda s: s["figures"]["contour-lr"].update(inputs=["nope"]), "figures.contour-lr.inputs", "'nope'"),
    (
        lambda s: s["figures"]["contour-lr"].update(builder="pie"),
        "figures.contour-lr.builder",
        "unknown builder",
    ),
    (lambda s: s["videos"]["parabola"].update(scene="nope.py"), "videos.parabola.scene", "no file"),
    # A class the scene file does not define: Manim would render the file's own scene instead.
    (lambda s: s["videos"]["parabola"].update({"class": "Parabola"}), "videos.parabola.class", "no class"),
    (lambda s: s["videos"]["parabola"].update({"class": "bad name"}), "videos.parabola.class", "must match"),
    (
        lambda s: s["videos"]["parabola"].update(scene="../tests/conftest.py"),
        "videos.parabola.scene",
        "must match",
    ),
    (lambda s: s["videos"]["parabola"].update(settings=[1]), "videos.parabola.settings", "must be a dict"),
    (
        lambda s: s["videos"]["parabola"].update(settings={"x": float("nan")}),
        "videos.parabola.settings",
        "plain JSON",
    ),
    (lambda s: s.pop("slug"), "LESSON.slug", "missing"),
    (lambda s: s.update(slug="Bad Slug"), "LESSON.slug", "must match"),
    (lambda s: s.update(trajectories=[]), "trajectories", "must be a dict"),
]


@pytest.mark.parametrize("change, field, message", BAD)
def test_bad_spec_names_the_file_and_field(change, field, message):
    with pytest.raises(SpecError) as caught:
        read_lesson(lesson_module(mutated(change)))
    assert caught.value.field == field
    assert message in caught.value.message
    assert str(caught.value).startswith(f"lessons/broken.py: {field}: ")


def test_the_real_lessons_are_valid():
    assert read_lessons(lessons.ALL)


def test_hyperparameters_are_recorded_explicitly():
    lesson = read_lesson(lesson_module(mutated(lambda s: None)))
    adam_like = [a for a in lesson.artifacts if a.kind == "trajectory"][0]
    assert adam_like.recipe["hyperparameters"] == {"lr": GOOD[T]["parabola"]["hyperparameters"]["lr"]}


def test_two_lessons_with_one_slug_are_refused():
    with pytest.raises(SpecError, match="LESSON.slug"):
        read_lessons([lesson_module(GOOD, "a"), lesson_module(GOOD, "b")])


def test_cli_exits_2_before_any_work(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DESCENT_STORE", str(tmp_path / "store"))
    bad = mutated(lambda s: s[T]["parabola"]["hyperparameters"].update(lr=-1))
    monkeypatch.setattr(lessons, "ALL", [lesson_module(bad)])
    assert build_assets.main(["--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "lessons/broken.py: trajectories.parabola.hyperparameters.lr" in err
    assert not (tmp_path / "store").exists() and not (tmp_path / "out").exists()


# Surfaces and networks are data too: their errors name their fields the same way.
NETWORK = network()
LANDSCAPE = {**NETWORK, "radii": [0.5, 1.0], "grid": 11, "boundary_grid": 20, "directions_seed": 1}
DATA_SPEC = {
    "slug": "data",
    "title": "Data",
    "page": "lessons/data.md",
    "surfaces": {"bowl": {"surface": "bowl", "grid": 21}},
    "networks": {"net": NETWORK},
    "landscapes": {"moons-1x4": LANDSCAPE},
    "figures": {"gallery": {"title": "g", "builder": "surface_gallery", "inputs": ["bowl"]}},
    "visualizers": {"explorer": {"title": "v", "inputs": ["moons-1x4"], "default": "moons/1x4"}},
}
MINIBATCH_TWIN = {**LANDSCAPE, "optimizer": "momentum", "hyperparameters": {"lr": 0.03}, "batch": 16}


def add_minibatch_twin(spec, default):
    """The visualizer's network trained a second way (momentum on batches of 16), and a default."""
    spec["landscapes"]["twin"] = MINIBATCH_TWIN
    spec["visualizers"]["explorer"]["inputs"].append("twin")
    spec["visualizers"]["explorer"]["default"] = default


BAD_DATA = [
    (lambda s: s["surfaces"]["bowl"].update(surface="banana"), "surfaces.bowl.surface", "unknown surface"),
    (lambda s: s["surfaces"]["bowl"].update(grid=2), "surfaces.bowl.grid", "whole number from 8"),
    (lambda s: s["networks"]["net"].update(dataset="mnist"), "networks.net.dataset", "unknown dataset"),
    (lambda s: s["networks"]["net"].update(hidden=[0]), "networks.net.hidden", "widths from 1"),
    (
        lambda s: s["networks"]["net"].update(activation="gelu"),
        "networks.net.activation",
        "unknown activation",
    ),
    (
        lambda s: s["networks"]["net"]["hyperparameters"].update(lr=-1),
        "networks.net.hyperparameters.lr",
        "> 0",
    ),
    (lambda s: s["networks"]["net"].update(loss="hinge"), "networks.net.loss", "unknown loss"),
    (lambda s: s["networks"]["net"].update(record=[9]), "networks.net.record", "epochs 0 to 5"),
    (lambda s: s["networks"]["net"].update(noise=2), "networks.net.noise", "from 0 to 1"),
    (
        lambda s: s["networks"]["net"].update(optimizer="muon", hidden=[4]),
        "networks.net.hidden",
        "at least two hidden layers",
    ),
    (lambda s: s["networks"].update(bowl=NETWORK), "networks.bowl", "already used by a surface"),
    (lambda s: s["figures"]["gallery"].update(surface="bowl"), "figures.gallery.surface", "no surface"),
    (lambda s: s["figures"]["gallery"].update(inputs=["net"]), "figures.gallery.inputs", "reads surface"),
    (lambda s: s["landscapes"]["moons-1x4"].update(grid=10), "landscapes.moons-1x4.grid", "must be odd"),
    (lambda s: s["landscapes"]["moons-1x4"].update(radii=[0]), "landscapes.moons-1x4.radii", "> 0"),
    (
        lambda s: s["landscapes"]["moons-1x4"].update(normalization="layer"),
        "landscapes.moons-1x4.normalization",
        "'filter' or 'none'",
    ),
    (
        lambda s: s["landscapes"]["moons-1x4"].update(activation="tanh", rescale=10),
        "landscapes.moons-1x4.rescale",
        "only for ReLU",
    ),
    (
        lambda s: s["landscapes"]["moons-1x4"].pop("directions_seed"),
        "landscapes.moons-1x4.directions_seed",
        "missing",
    ),
    (
        lambda s: s["visualizers"]["explorer"].update(inputs=["net"]),
        "visualizers.explorer.inputs",
        "reads landscape data",
    ),
    (
        lambda s: s["visualizers"]["explorer"].update(default="moons"),
        "visualizers.explorer.default",
        "must match",
    ),
    (
        lambda s: s["visualizers"]["explorer"].update(default="moons/2x4"),
        "visualizers.explorer.default",
        "not among the inputs",
    ),
    (
        lambda s: s["landscapes"]["moons-1x4"].update(hidden=[4, 8]),
        "visualizers.explorer.inputs",
        "unequal widths",
    ),
    (
        lambda s: [
            s["landscapes"].update(twin=LANDSCAPE),
            s["visualizers"]["explorer"]["inputs"].append("twin"),
        ],
        "visualizers.explorer.inputs",
        "two landscapes for moons/1x4",
    ),
    (
        lambda s: [s.pop(k) for k in ("surfaces", "networks", "landscapes", "figures", "visualizers")],
        "trajectories",
        "needs data",
    ),
    # A second training of the same network: the default must then say which one it shows.
    (
        lambda s: add_minibatch_twin(s, default="moons/1x4"),
        "visualizers.explorer.default",
        "names no training, and the inputs train in 2 ways (adam, momentum-b16)",
    ),
    (
        lambda s: add_minibatch_twin(s, default="moons/1x4/momentum-b8"),
        "visualizers.explorer.default",
        "'moons/1x4/momentum-b8' is not among",
    ),
    (
        lambda s: add_minibatch_twin(s, default="moons/1x4/Adam"),
        "visualizers.explorer.default",
        "must match",
    ),
    (
        lambda s: [
            add_minibatch_twin(s, default="moons/1x4/adam"),
            s["landscapes"].update(wider={**MINIBATCH_TWIN, "hidden": [8], "hyperparameters": {"lr": 0.1}}),
            s["visualizers"]["explorer"]["inputs"].append("wider"),
        ],
        "visualizers.explorer.inputs",
        "data/twin and landscape:data/wider both train as 'momentum-b16' but differ in hyperparameters",
    ),
    (
        lambda s: [
            add_minibatch_twin(s, default="moons/1x4/adam"),
            s["landscapes"].update(again=MINIBATCH_TWIN),
            s["visualizers"]["explorer"]["inputs"].append("again"),
        ],
        "visualizers.explorer.inputs",
        "two landscapes for moons/1x4/momentum-b16",
    ),
]


@pytest.mark.parametrize("change, field, message", BAD_DATA)
def test_bad_data_sections_name_the_file_and_field(change, field, message):
    spec = copy.deepcopy(DATA_SPEC)
    change(spec)
    with pytest.raises(SpecError) as caught:
        read_lesson(lesson_module(spec))
    assert (caught.value.field, message in caught.value.message) == (field, True), caught.value


def test_a_visualizer_s_default_names_its_training():
    """With one training the default may leave it out (it is that one); with two it names one."""
    for trainings, default, resolved in [
        (1, "moons/1x4", "moons/1x4/adam"),
        (2, "moons/1x4/adam", "moons/1x4/adam"),
        (2, "moons/1x4/momentum-b16", "moons/1x4/momentum-b16"),
    ]:
        spec = copy.deepcopy(DATA_SPEC)
        if trainings == 2:
            add_minibatch_twin(spec, default)
        lesson = read_lesson(lesson_module(spec))
        (explorer,) = [a for a in lesson.artifacts if a.kind == "visualizer"]
        assert explorer.recipe["default"] == resolved
        assert len(explorer.inputs) == trainings


def test_data_sections_give_inputs_of_their_own_kind():
    lesson = read_lesson(lesson_module(DATA_SPEC))
    kinds = {a.id: a.kind for a in lesson.artifacts}
    assert kinds == {
        "data/bowl": "surface",
        "data/net": "network",
        "data/moons-1x4": "landscape",
        "data/gallery": "figure",
        "data/explorer": "visualizer",
    }
    gallery = next(a for a in lesson.artifacts if a.kind == "figure")
    assert gallery.inputs == ("surface:data/bowl",)


def test_nesterov_without_momentum_is_refused_before_torch_would():
    spec = mutated(
        lambda s: s[T]["bowl"].update(optimizer="nesterov", hyperparameters={"lr": 0.1, "momentum": 0})
    )
    with pytest.raises(SpecError, match="trajectories.bowl.hyperparameters.momentum"):
        read_lesson(lesson_module(spec))


def test_a_scene_file_that_does_not_parse_is_a_spec_error(tmp_path, monkeypatch):
    import descent.kinds.video

    (tmp_path / "broken.py").write_text("class Broken(Scene):\n    def construct(self)\n")
    monkeypatch.setattr(descent.kinds.video, "SCENES_DIR", tmp_path)
    spec = mutated(lambda s: s["videos"]["parabola"].update({"scene": "broken.py", "class": "Broken"}))
    with pytest.raises(SpecError) as caught:
        read_lesson(lesson_module(spec))
    assert caught.value.field == "videos.parabola.scene" and "line 2" in caught.value.message
