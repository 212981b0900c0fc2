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


def test_a_sampled_surface_round_trips_with_its_critical_points():
    files = SURFACE.produce(planned("surface", {"surface": "wavy_bowl", "grid": 33}), [])
    import io

    from descent.arrays import load_npz

    arrays = load_npz(io.BytesIO(files["surface.npz"]))
    sampled = SampledSurface.from_arrays("x/wavy", {"surface": "wavy_bowl", "grid": 33}, arrays)
    assert sampled.z.shape == (33, 33)
    assert sampled.critical_points == get_surface("wavy_bowl").critical_points
    assert npz_bytes(sampled.to_arrays()) == files["surface.npz"]
