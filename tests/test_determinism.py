"""Two cold builds of the same specs, in two stores, give byte-identical data, figures, recipes
and manifests: every array, JSON and packed file is a function of its recipe alone.

(Videos are not covered: a video container's bytes may differ between encoder runs.)
"""

import copy

from demo_lesson import SPEC, lesson

from descent.pipeline import build, publish, select
from descent.plan import BuildIndex, make_plan
from descent.store import ArtifactStore

LANDSCAPE = {
    "dataset": "xor", "samples": 60, "noise": 0.1, "seed": 1, "hidden": [5, 5], "activation": "tanh",
    "optimizer": "adam", "hyperparameters": {"lr": 0.05}, "epochs": 10, "record": [0, 5, 10],
    "radii": [0.5, 1.0], "grid": 7, "boundary_grid": 10, "directions_seed": 2,
}  # fmt: skip


def specs():
    spec = copy.deepcopy(SPEC)
    spec["landscapes"] = {"xor-2x5": LANDSCAPE}
    spec["figures"]["line"] = {"title": "t", "builder": "interpolation", "inputs": ["xor-2x5"]}
    spec["visualizers"] = {"explorer": {"title": "t", "inputs": ["xor-2x5"], "default": "xor/2x5"}}
    return spec


def cold_build(root):
    plan = make_plan([lesson(specs())])
    store = ArtifactStore(root / "store")
    report = build(plan, select(plan, None), store, BuildIndex(root / "index.json"), jobs=2)
    assert not report.failed, report.failed
    publish(plan, store, root / "generated")
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_two_cold_builds_are_byte_identical(tmp_path):
    first = cold_build(tmp_path / "one")
    second = cold_build(tmp_path / "two")
    kinds = {path.parts[1] for path in first if path.parts[0] == "store"}
    assert {"trajectory", "landscape", "figure", "visualizer"} <= kinds
    assert first.keys() == second.keys()
    different = [str(path) for path in first if first[path] != second[path]]
    assert different == []
