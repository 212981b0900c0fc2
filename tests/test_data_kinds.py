"""Sampled surfaces and trained networks: deterministic, complete, and read back as stored."""

import numpy as np
import pytest
from demo_lesson import network, planned

from descent.arrays import npz_bytes
from descent.datasets import DATASETS, make_dataset
from descent.kinds.network import KIND as NETWORK
from descent.kinds.surface import KIND as SURFACE
from descent.kinds.surface import SampledSurface
from descent.networks import train
from descent.surfaces import get_surface

ADAM = {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
RECIPE = network(
    samples=120, seed=3, hidden=[5, 4], activation="tanh", hyperparameters=ADAM, epochs=30, record=[0, 30]
)


@pytest.mark.parametrize("name", DATASETS)
def test_datasets_are_seeded_balanced_two_class_planes(name):
    x, y = make_dataset(name, 101, 0.1, seed=1)
    again, _ = make_dataset(name, 101, 0.1, seed=1)
    other, _ = make_dataset(name, 101, 0.1, seed=2)
    assert x.shape == (101, 2) and y.shape == (101,)
    assert set(np.unique(y)) == {0.0, 1.0} and abs(int(y.sum()) - 50) <= 1
    np.testing.assert_array_equal(x, again)
    assert not np.array_equal(x, other)


def test_unknown_dataset_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown dataset 'mnist'"):
        make_dataset("mnist", 10, 0.0, 0)


def test_training_is_reproducible_byte_for_byte():
    assert NETWORK.produce(planned("network", RECIPE), []) == NETWORK.produce(planned("network", RECIPE), [])


def test_training_records_what_the_lessons_read():
    a = train(RECIPE).arrays
    assert a["loss_train"].shape == (31,) and a["loss_train"][-1] < a["loss_train"][0]
    assert list(a["record_epochs"]) == [0, 30]
    widths = [2, 5, 4, 1]
    for l in range(3):
        assert a[f"layer{l}.weight"].shape == (2, widths[l + 1], widths[l])
        assert a[f"layer{l}.weight_grad"].shape == a[f"layer{l}.weight"].shape
    for i, w in enumerate(widths):
        assert a[f"neurons{i}.grad"].shape == (2, w) and np.all(a[f"neurons{i}.grad"] >= 0)
    # The output neuron's mean |dL/dz| for binary cross-entropy is mean |sigmoid(z) - y| / N.
    assert 0 < a["neurons3.grad"][0, 0] < 1


def test_full_batch_training_steps_once_per_epoch_on_the_whole_training_set():
    a = train(RECIPE).arrays
    assert len(a["rates"]) == len(a["batch_loss"]) == 30 and np.all(a["rates"] == ADAM["lr"])
    # The batch is the whole training set, so each step's batch loss is the epoch's training loss.
    np.testing.assert_allclose(a["batch_loss"], a["loss_train"][:-1], rtol=1e-12)


@pytest.mark.parametrize("batch", [1, 16, 96])
def test_minibatch_training_takes_a_seeded_pass_of_batches_per_epoch(batch):
    recipe = {**RECIPE, "batch": batch, "epochs": 4, "record": [0, 4]}
    a = train(recipe).arrays
    steps = 4 * -(-96 // batch)  # 96 training samples of 120; the last batch may be short
    assert len(a["rates"]) == len(a["batch_loss"]) == steps
    np.testing.assert_array_equal(a["loss_train"], train(recipe).arrays["loss_train"])
    if batch < 96:  # batches differ from the whole set: their losses scatter around the epoch's
        assert not np.allclose(a["batch_loss"][: steps // 4], a["loss_train"][0])
        other = train({**recipe, "seed": 4}).arrays
        assert not np.array_equal(a["batch_loss"], other["batch_loss"])


def test_a_schedule_sets_every_step_s_rate_as_torch_s_scheduler_does():
    from descent.optim.schedules import torch_rates

    recipe = {**RECIPE, "batch": 32, "epochs": 5, "schedule": {"name": "warmup_cosine", "warmup": 0.2}}
    a = train(recipe).arrays
    assert len(a["rates"]) == 15
    assert list(a["rates"]) == torch_rates("warmup_cosine", ADAM["lr"], 15, {"warmup": 0.2})
    assert a["rates"][0] < a["rates"][3] and a["rates"][-1] < a["rates"][3]


def test_a_sampled_surface_round_trips_with_its_critical_points():
    files = SURFACE.produce(planned("surface", {"surface": "wavy_bowl", "grid": 33}), [])
    import io

    from descent.arrays import load_npz

    arrays = load_npz(io.BytesIO(files["surface.npz"]))
    sampled = SampledSurface.from_arrays("x/wavy", {"surface": "wavy_bowl", "grid": 33}, arrays)
    assert sampled.z.shape == (33, 33)
    assert sampled.critical_points == get_surface("wavy_bowl").critical_points
    assert npz_bytes(sampled.to_arrays()) == files["surface.npz"]


NETWORK_BAD = [
    ({"batch": 0}, "batch", "from 1 to 80"),
    ({"batch": 81}, "batch", "from 1 to 80"),
    ({"schedule": {"name": "linear"}}, "schedule.name", "unknown schedule"),
    ({"schedule": {"name": "step", "every": 0}}, "schedule.every", ""),
    ({"schedule": "cosine"}, "schedule", "must be a dict"),
]


@pytest.mark.parametrize(("change", "field", "words"), NETWORK_BAD, ids=[b[1] for b in NETWORK_BAD])
def test_a_network_s_bad_batch_or_schedule_is_named(change, field, words):
    import types

    from descent.lesson_spec import SpecError, read_lesson

    module = types.ModuleType("lessons.tiny")
    module.__file__ = "lessons/tiny.py"
    module.LESSON = {"slug": "tiny", "title": "Tiny", "page": "lessons/tiny.md",
                     "networks": {"net": network(**change)}}  # fmt: skip
    with pytest.raises(SpecError) as caught:
        read_lesson(module)
    assert caught.value.field == f"networks.net.{field}" and words in caught.value.message, caught.value


def test_a_full_batch_constant_recipe_is_written_as_before():
    """Minibatches and schedules are written into a recipe only when asked for, so the recipes
    (and the keys) of the course's other networks stay what they were."""
    import types

    from descent.lesson_spec import read_lesson

    module = types.ModuleType("lessons.tiny")
    module.__file__ = "lessons/tiny.py"
    module.LESSON = {
        "slug": "tiny",
        "title": "Tiny",
        "page": "lessons/tiny.md",
        "networks": {"net": network()},
    }
    (artifact,) = read_lesson(module).artifacts
    assert "batch" not in artifact.recipe and "schedule" not in artifact.recipe
