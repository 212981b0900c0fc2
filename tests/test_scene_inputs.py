"""A scene gets exactly the inputs its video declares, by key, from the build or a preview record."""

import pytest
from demo_lesson import sgd

from descent.arrays import npz_bytes
from descent.optim import make_optimizer
from descent.scene_inputs import (
    INPUTS_ENV,
    InputsMissing,
    ResolvedInput,
    SceneInputs,
    scene_inputs,
    write_preview_record,
)
from descent.store import ArtifactStore
from descent.surfaces import get_surface
from descent.trajectory import record

RECIPE = sgd(0.1, steps=3)


@pytest.fixture
def handed(tmp_path, monkeypatch):
    store = ArtifactStore(tmp_path / "store")
    run = record(get_surface("bowl"), make_optimizer("sgd", {"lr": 0.1}), RECIPE["start"], 3)
    store.put("trajectory", "ab" * 32, {"trajectory.npz": npz_bytes(run.to_arrays())}, {})
    monkeypatch.setenv("DESCENT_STORE", str(store.root))
    monkeypatch.delenv(INPUTS_ENV, raising=False)
    video = {"scene": "x.py", "class": "X", "title": "A video", "settings": {"tolerance": 1e-6}}
    inputs = (ResolvedInput("demo/bowl", "trajectory", "ab" * 32, RECIPE),)
    return SceneInputs("demo/video", video, inputs, store.root), run


def test_inputs_round_trip_through_the_file_the_build_hands_over(handed, tmp_path, monkeypatch):
    inputs, run = handed
    path = tmp_path / "inputs.json"
    path.write_text(inputs.to_json())
    monkeypatch.setenv(INPUTS_ENV, str(path))
    got = scene_inputs("scenes/x.py", "X")
    assert got == inputs
    assert got.settings == {"tolerance": 1e-6} and got.title == "A video"
    loaded = got.load("bowl")
    assert loaded.recipe == RECIPE
    assert (loaded.trajectory.params == run.params).all()
    assert got.load("demo/bowl").id == "demo/bowl"


def test_a_preview_reads_what_the_last_build_left(handed):
    inputs, _ = handed
    with pytest.raises(InputsMissing, match="build its video first"):
        scene_inputs("scenes/x.py", "X")
    write_preview_record(inputs)
    assert scene_inputs("scenes/x.py", "X") == inputs
    with pytest.raises(InputsMissing, match="build its video first"):
        scene_inputs("scenes/x.py", "Other")


def test_a_scene_cannot_read_what_its_video_does_not_declare(handed):
    inputs, _ = handed
    with pytest.raises(InputsMissing, match="not an input of video 'demo/video'"):
        inputs.load("elongated")


def test_an_input_missing_from_the_store_says_how_to_build_it(handed):
    inputs, _ = handed
    absent = (ResolvedInput("demo/x", "trajectory", "cd" * 32, {}),)
    gone = SceneInputs(inputs.video_id, inputs.recipe, absent, inputs.store)
    with pytest.raises(InputsMissing, match="build_assets.py --only 'demo/x'"):
        gone.load("x")
