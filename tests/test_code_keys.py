"""A key covers the source that makes its artifact, found by reading imports: every project file a
kind's producer runs is in it, and editing a file changes the keys of exactly the artifacts whose
source holds it (and so rebuilds nothing else)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

import descent.code
from descent.code import closure
from descent.kinds.registry import KINDS
from descent.pipeline import build, select
from descent.plan import BuildIndex, make_plan, source_of
from descent.store import PROJECT_ROOT, ArtifactStore

NETWORK = {
    "dataset": "moons",
    "samples": 20,
    "noise": 0.1,
    "seed": 0,
    "hidden": [2],
    "activation": "relu",
    "optimizer": "sgd",
    "hyperparameters": {"lr": 0.1},
    "epochs": 2,
    "record": [0, 2],
}
TRAJECTORY = {
    "surface": "bowl",
    "optimizer": "adam",
    "hyperparameters": {"lr": 0.1},
    "start": [1, 1],
    "steps": 3,
}
# One artifact of every kind, as small as each can be.
SPEC = {
    "slug": "keys",
    "title": "Keys",
    "page": "keys.md",
    "trajectories": {
        "bowl": TRAJECTORY,
        "parabola": {**TRAJECTORY, "surface": "parabola", "start": [1.0]},
    },
    "surfaces": {"plane": {"surface": "bowl", "grid": 8}},
    "minibatch_runs": {
        "noisy": {
            "problem": {"points": 8, "seed": 0},
            "optimizer": "sgd",
            "hyperparameters": {"lr": 0.1},
            "start": [0, 0],
            "batch": 2,
            "steps": 3,
            "seed": 0,
            "schedule": {"name": "cosine"},
        }
    },
    "networks": {"net": NETWORK},
    "landscapes": {
        "moons-1x2": {**NETWORK, "radii": [1.0], "grid": 3, "boundary_grid": 8, "directions_seed": 0}
    },
    "playgrounds": {
        "toy": {
            "title": "t",
            "surfaces": {"bowl": [1.0, 1.0]},
            "grid": 8,
            "schedules": ["constant", "cosine"],
            "lengths": [2],
            "noise": [0.01, 1.0],
            "steps": 2,
            "reference": [{k: TRAJECTORY[k] for k in ("surface", "optimizer", "hyperparameters", "start")}],
        }
    },
    "figures": {
        "race": {"title": "t", "builder": "race", "surface": "bowl", "inputs": ["bowl"], "tolerance": 1e-3},
        "planes": {"title": "t", "builder": "loss_planes", "inputs": ["moons-1x2"]},
        "gallery": {"title": "t", "builder": "surface_gallery", "inputs": ["plane"]},
    },
    "videos": {
        "parabola": {
            "title": "t",
            "scene": "gradient_descent_1d.py",
            "class": "GradientDescent1D",
            "inputs": ["parabola"],
        }
    },
    "visualizers": {"explorer": {"title": "t", "inputs": ["moons-1x2"], "default": "moons/1x2"}},
}


def lesson():
    m = types.ModuleType("lessons.keys")
    m.__file__ = "lessons/keys.py"
    m.LESSON = SPEC
    return m


def keys() -> dict[str, str]:
    return {n: p.key for n, p in make_plan([lesson()]).artifacts.items()}


@pytest.fixture
def edit(monkeypatch):
    """``edit("descent/x.py")``: as if that file's content had changed."""
    real = descent.code.file_digest

    def as_edited(*rels: str):
        paths = {PROJECT_ROOT / r for r in rels}
        monkeypatch.setattr(descent.code, "file_digest", lambda p: real(p) + ("*" if p in paths else ""))

    return as_edited


def changed_by(edit, *rels: str) -> set[str]:
    before = keys()
    edit(*rels)
    after = keys()
    return {n for n in before if before[n] != after[n]}


EVERYTHING = "every key"
STYLE = "scenes/style/__init__.py"  # the scenes' shared style package
PUBLISHED = {"figure:keys/race", "figure:keys/planes", "figure:keys/gallery", "video:keys/parabola",
             "visualizer:keys/explorer", "playground:keys/toy"}  # fmt: skip
FACTS = [
    # The playground's reference runs come from the reference backend, its recipe.json from
    # the downloads module: both are in its key (they were left out of the hand-kept list).
    ("descent/optim/reference.py", {"playground:keys/toy"}, set()),
    ("descent/downloads.py", PUBLISHED, {"trajectory:keys/bowl", "landscape:keys/moons-1x2"}),
    # A figure's builder is in its key, and no other figure's.
    ("descent/figures/race.py", {"figure:keys/race"}, {"figure:keys/planes", "figure:keys/gallery"}),
    (STYLE, {"video:keys/parabola"}, PUBLISHED - {"video:keys/parabola"}),
    ("scenes/gradient_descent_1d.py", {"video:keys/parabola"}, PUBLISHED - {"video:keys/parabola"}),
    ("scenes/momentum.py", set(), EVERYTHING),
    ("descent/landscape.py", {"landscape:keys/moons-1x2"}, {"network:keys/net", "trajectory:keys/bowl"}),
    ("descent/datasets.py", {"network:keys/net"}, {"trajectory:keys/bowl", "surface:keys/plane"}),
    # Minibatch runs: the regression is theirs alone.
    ("descent/regression.py", {"minibatch:keys/noisy"}, {"trajectory:keys/bowl", "playground:keys/toy"}),
    # The playground's module also runs settings with a schedule (imported where it does).
    ("descent/optim/schedules.py", {"minibatch:keys/noisy", "playground:keys/toy"}, {"trajectory:keys/bowl"}),
    # So does its gradient noise, which the page replays.
    ("descent/noise.py", {"playground:keys/toy"}, {"trajectory:keys/bowl"}),
    # Neither the lessons, nor the build's own machinery, nor the site make anything.
    ("lessons/momentum.py", set(), EVERYTHING),
    ("descent/pipeline.py", set(), EVERYTHING),
    ("descent/lesson_spec.py", set(), EVERYTHING),
    ("descent/spec_fields.py", set(), EVERYTHING),
    ("build_assets.py", set(), EVERYTHING),
]


@pytest.mark.parametrize("path, changes, keeps", FACTS, ids=[f[0] for f in FACTS])
def test_an_edit_changes_the_keys_of_what_imports_the_file_and_no_others(edit, path, changes, keeps):
    assert (PROJECT_ROOT / path).is_file()
    changed = changed_by(edit, path)
    assert changes <= changed
    assert not (changed if keeps == EVERYTHING else keeps & changed)


def project_files() -> list[str]:
    files = [*PROJECT_ROOT.glob("descent/**/*.py"), *PROJECT_ROOT.glob("scenes/*.py")]
    return sorted(p.relative_to(PROJECT_ROOT).as_posix() for p in files)


def test_every_file_changes_exactly_the_keys_whose_source_holds_it(edit, monkeypatch):
    plan = make_plan([lesson()])
    sources = {
        n: set(source_of(p.kind, p.spec.recipe, {i.split(":", 1)[0] for i in p.spec.inputs}))
        for n, p in plan.artifacts.items()
    }
    before = keys()
    for path in project_files():
        edit(path)
        after = keys()
        holders = {n for n, src in sources.items() if path in src}
        # An input's change reaches its readers through their input keys.
        readers = {n for n, p in plan.artifacts.items() if any(i in holders for i in p.spec.inputs)}
        assert {n for n in before if before[n] != after[n]} == holders | readers, path
        monkeypatch.undo()


def test_a_scene_finds_the_style_module_beside_it():
    files = closure(["scenes/gradient_descent_1d.py"])
    assert STYLE in files and "descent/surfaces.py" in files
    assert not any(f.startswith("lessons/") for f in files)


def test_imports_for_type_checking_only_are_left_out(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from pkg import b\nelse:\n    from . import c\n"
        "def f():\n    import pkg.d as d\n"
    )
    for name in "bcd":
        (tmp_path / "pkg" / f"{name}.py").write_text("")
    assert closure(["pkg/a.py"], root=tmp_path) == ("pkg/__init__.py", "pkg/a.py", "pkg/c.py", "pkg/d.py")


# What a kind's producer really imports, run in a fresh process that loads nothing else: it must
# all be in the key's source. (The build's own process imports every kind, so it cannot tell.)
HARNESS = {"descent/store.py"}  # what the build (and this test) reads inputs with
RUN_PRODUCER = r"""
import importlib, json, runpy, sys
from types import SimpleNamespace as NS
job = json.load(sys.stdin)
from descent.kinds import Input
from descent.store import ArtifactStore

def planned(p):
    return NS(spec=NS(id=p["id"], kind=p["kind"], recipe=p["recipe"], title="t", lesson="keys"),
              key=p["key"], provenance=lambda: dict(p))

store = ArtifactStore(job["store"])
kind = importlib.import_module(f"descent.kinds.{job['target']['kind']}").KIND
inputs = []
for p in job["inputs"]:
    loader = importlib.import_module(f"descent.kinds.{p['kind']}").KIND.load
    inputs.append(Input(planned(p), loader(p["id"], p["recipe"], store.get(p["kind"], p["key"]))))
if job["target"]["kind"] == "video":  # rendering takes minutes: load the scene as Manim does
    sys.path.insert(0, job["root"] + "/scenes")
    runpy.run_path(job["root"] + "/scenes/" + job["target"]["recipe"]["scene"])
else:
    kind.produce(planned(job["target"]), inputs)
root = job["root"] + "/"
files = {m.__file__[len(root):] for m in list(sys.modules.values())
         if (getattr(m, "__file__", None) or "").startswith(root)}
print(json.dumps(sorted(f for f in files if not f.startswith("."))))  # not the venv's libraries
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    store = ArtifactStore(tmp_path_factory.mktemp("keys") / "store")
    plan = make_plan([lesson()], quality="low")
    data = [n for n, p in plan.artifacts.items() if not p.kind.reads]
    report = build(plan, select(plan, data), store, BuildIndex(store.root.parent / "index.json"), jobs=2)
    assert not report.failed, report.failed
    return plan, store


def provenance(p) -> dict:
    return {"id": p.spec.id, "kind": p.spec.kind, "key": p.key, "recipe": p.spec.recipe}


@pytest.mark.slow
@pytest.mark.parametrize("node", [f"{k}:keys/{n}" for k, n in [
    ("trajectory", "bowl"), ("surface", "plane"), ("network", "net"), ("landscape", "moons-1x2"),
    ("playground", "toy"), ("figure", "race"), ("figure", "planes"), ("visualizer", "explorer"),
    ("video", "parabola"), ("minibatch", "noisy"),
]])  # fmt: skip
def test_what_a_producer_imports_is_in_its_key(built, node):
    plan, store = built
    target = plan.artifacts[node]
    job = {
        "root": str(PROJECT_ROOT),
        "store": str(store.root),
        "target": provenance(target),
        "inputs": [provenance(plan.artifacts[i]) for i in target.spec.inputs],
    }
    done = subprocess.run(
        [sys.executable, "-c", RUN_PRODUCER], input=json.dumps(job), capture_output=True, text=True,
        cwd=PROJECT_ROOT, timeout=300, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    ran = set(json.loads(done.stdout.splitlines()[-1]))
    assert any(f.startswith(f"descent/kinds/{target.spec.kind}") for f in ran)
    source = set(source_of(target.kind, target.spec.recipe, {i.split(":", 1)[0] for i in target.spec.inputs}))
    assert ran - source - HARNESS == set()


def test_every_kind_is_registered_under_its_module_name():
    for name, kind in KINDS.items():
        assert kind.produce.__module__ == f"descent.kinds.{name}"
        assert Path(PROJECT_ROOT / "descent" / "kinds" / f"{name}.py").is_file()
