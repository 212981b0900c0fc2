"""Minibatch runs as a kind of data: their spec section checked field by field, produced the same
every time, read back as stored, and replayable from what is stored."""

from __future__ import annotations

import copy
import io
import types

import numpy as np
import pytest
from demo_lesson import planned

from descent.arrays import load_npz
from descent.kinds.minibatch import KIND as MINIBATCH
from descent.kinds.registry import KINDS
from descent.lesson_spec import SpecError, read_lesson
from descent.regression import Regression, minibatch_run

RUN = {
    "problem": {"points": 32, "seed": 4},
    "optimizer": "momentum",
    "hyperparameters": {"lr": 0.05, "momentum": 0.9},
    "start": [-1.0, 2.0],
    "batch": 4,
    "steps": 40,
    "seed": 7,
    "schedule": {"name": "warmup_cosine", "warmup": 0.2},
}
SPEC = {"slug": "noise", "title": "Noise", "page": "lessons/noise.md", "minibatch_runs": {"noisy": RUN}}


def read(spec):
    module = types.ModuleType("lessons.noise")
    module.__file__ = "lessons/noise.py"
    module.LESSON = spec
    return read_lesson(module)


def test_a_run_is_read_with_every_default_written_out():
    (artifact,) = read(SPEC).artifacts
    assert (artifact.kind, artifact.id) == ("minibatch", "noise/noisy")
    recipe = artifact.recipe
    assert recipe["problem"] == {
        "points": 32, "seed": 4, "slope": 2.0, "intercept": -1.0, "noise": 0.5, "x_mean": 0.0
    }  # fmt: skip
    assert recipe["schedule"] == {"name": "warmup_cosine", "warmup": 0.2, "start": 0.01, "floor": 0.0}
    assert recipe["hyperparameters"]["dampening"] == 0.0  # the optimizer's defaults, as every run's


def test_figures_and_videos_may_read_minibatch_runs():
    assert "minibatch" in KINDS["figure"].reads and "minibatch" in KINDS["video"].reads


BAD = [
    (lambda r: r["problem"].update(points=1), "minibatch_runs.noisy.problem.points", "from 2"),
    (lambda r: r["problem"].update(noise=-1), "minibatch_runs.noisy.problem.noise", ">= 0"),
    (lambda r: r["problem"].update(shape="line"), "minibatch_runs.noisy.problem.shape", "unknown field"),
    (lambda r: r.update(batch=33), "minibatch_runs.noisy.batch", "from 1 to 32"),
    (lambda r: r.update(steps=1), "minibatch_runs.noisy.steps", "from 2"),
    (lambda r: r["hyperparameters"].update(lr=-1), "minibatch_runs.noisy.hyperparameters.lr", "> 0"),
    (
        lambda r: r.update(schedule={"name": "linear"}),
        "minibatch_runs.noisy.schedule.name",
        "unknown schedule",
    ),
    (lambda r: r["schedule"].update(warmup=2), "minibatch_runs.noisy.schedule.warmup", "in (0, 1)"),
    (lambda r: r.pop("seed"), "minibatch_runs.noisy.seed", "missing"),
    (lambda r: r.update(epochs=3), "minibatch_runs.noisy.epochs", "unknown field"),
]


@pytest.mark.parametrize(
    ("change", "field", "words"), BAD, ids=[b[1].rsplit(".", 1)[1] + str(i) for i, b in enumerate(BAD)]
)
def test_a_bad_field_is_named(change, field, words):
    spec = copy.deepcopy(SPEC)
    change(spec["minibatch_runs"]["noisy"])
    with pytest.raises(SpecError) as caught:
        read(spec)
    assert caught.value.field == field and words in caught.value.message, caught.value


def stored(recipe):
    files = MINIBATCH.produce(planned("minibatch", recipe), [])
    return files, load_npz(io.BytesIO(files["run.npz"]))


def test_a_run_is_produced_the_same_every_time_and_read_back_as_stored():
    (artifact,) = read(SPEC).artifacts
    files, arrays = stored(artifact.recipe)
    assert files == stored(artifact.recipe)[0]

    class Entry:
        def file(self, name):
            return io.BytesIO(files[name])

    run = MINIBATCH.load("noise/noisy", artifact.recipe, Entry())
    assert np.array_equal(run.problem.x, arrays["x"]) and np.array_equal(run.params, arrays["params"])
    assert run.params.shape == (41, 2) and run.batches.shape == (40, 4) and run.rates.shape == (40,)
    assert run.rates.max() == pytest.approx(0.05) and run.rates[0] == pytest.approx(0.05 * 0.01)


def test_a_reader_replays_a_stored_run_from_its_samples_and_batches():
    (artifact,) = read(SPEC).artifacts
    _, a = stored(artifact.recipe)
    r = artifact.recipe
    schedule = {k: v for k, v in r["schedule"].items() if k != "name"}
    again = minibatch_run(
        Regression(a["x"], a["y"]),
        r["start"],
        r["optimizer"],
        r["hyperparameters"],
        r["batch"],
        r["steps"],
        seed=0,  # unused: the batches are given
        schedule=r["schedule"]["name"],
        schedule_parameters=schedule,
        indices=a["batches"],
    )
    assert np.array_equal(again.params, a["params"]) and np.array_equal(again.rates, a["rates"])
