"""Gradient clouds as a kind of data: read back as stored, and published with their arrays by the
figures and videos that read them."""

from __future__ import annotations

import io
import types

import numpy as np
from demo_lesson import planned

from descent.arrays import load_npz
from descent.downloads import downloads
from descent.kinds import Input
from descent.kinds.gradient_cloud import KIND as CLOUD
from descent.lesson_spec import read_lesson

SPEC = {
    "slug": "noise",
    "title": "Noise",
    "page": "lessons/noise.md",
    "gradient_clouds": {
        "cloud": {
            "problem": {"points": 32, "seed": 4},
            "point": [0.5, 0.0],
            "batches": [1, 8],
            "draws": 50,
            "seed": 0,
        }
    },
}


def test_a_cloud_is_read_back_as_stored_and_published_with_its_arrays():
    module = types.ModuleType("lessons.noise")
    module.__file__ = "lessons/noise.py"
    module.LESSON = SPEC
    (artifact,) = read_lesson(module).artifacts
    item = planned("gradient_cloud", artifact.recipe, "noise/cloud")
    files = CLOUD.produce(item, [])
    stored = load_npz(io.BytesIO(files["cloud.npz"]))

    class Entry:
        def file(self, name):
            return io.BytesIO(files[name])

    cloud = CLOUD.load("noise/cloud", artifact.recipe, Entry())
    assert cloud.gradients.shape == (2, 50, 2) and list(cloud.batches) == [1, 8]
    assert isinstance(cloud.sample_variance, float) and cloud.sample_variance > 0
    arrays = cloud.to_arrays()
    assert set(arrays) == set(stored) and all(np.array_equal(arrays[k], stored[k]) for k in stored)

    video = planned("video", {"scene": "s.py", "class": "S", "title": "t"}, "noise/video")
    data = load_npz(io.BytesIO(downloads(video, [Input(item, cloud)])["data.npz"]))
    assert all(np.array_equal(data[f"cloud.{k}"], stored[k]) for k in stored)
