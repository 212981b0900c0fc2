"""Loss planes and decision grids: filter normalization, the plane against per-point evaluation,
the plane's centre against the training loss, the decision grid against the model, and the
visualizer's packed files against what they pack."""

import json

import numpy as np
import pytest
import torch
from demo_lesson import network, planned

from descent import landscape as ls
from descent.kinds import Input
from descent.kinds.landscape import KIND as LANDSCAPE
from descent.kinds.landscape import LandscapeRun
from descent.kinds.visualizer import KIND as VISUALIZER
from descent.kinds.visualizer import combination_bytes, first_view_bytes, read_combination
from descent.networks import make_mlp, train

ADAM = {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
RECIPE = {
    **network(seed=2, hidden=[6, 5], activation="tanh", hyperparameters=ADAM, epochs=25, record=[0, 5, 25]),
    "radii": [0.2, 1.0],
    "grid": 9,
    "boundary_grid": 12,
    "directions_seed": 4,
    "normalization": "filter",
    "rescale": 1.0,
}


# The same network on minibatches of 16 of its 80 training points: 5 steps per epoch.
MINIBATCH = {**RECIPE, "optimizer": "momentum", "hyperparameters": {"lr": 0.03, "momentum": 0.9}, "batch": 16}


@pytest.fixture(scope="module")
def arrays():
    return ls.landscape_arrays(RECIPE)


@pytest.fixture(scope="module")
def minibatch_arrays():
    return ls.landscape_arrays(MINIBATCH)


def small_model():
    model = make_mlp([7, 3], "tanh", seed=5)
    return model, ls.parameters(model)


def gaussian_like(params, seed):
    g = torch.Generator().manual_seed(seed)
    return {n: torch.randn(p.shape, generator=g, dtype=p.dtype) for n, p in params.items()}


def test_filter_normalized_rows_have_the_norms_of_the_weights_rows():
    model, w = small_model()
    d = ls.random_direction(w, torch.Generator().manual_seed(0))
    for name, weights in w.items():
        if weights.dim() == 1:
            assert torch.count_nonzero(d[name]) == 0, f"{name}: biases are left out"
        else:
            torch.testing.assert_close(d[name].norm(dim=1), weights.norm(dim=1))


def test_filter_normalization_only_rescales_each_row():
    _, w = small_model()
    raw = gaussian_like(w, seed=1)
    d = ls.filter_normalize(raw, w)
    for name in w:
        if w[name].dim() == 2:
            cosine = torch.nn.functional.cosine_similarity(d[name], raw[name], dim=1)
            torch.testing.assert_close(cosine, torch.ones_like(cosine))


def test_filter_normalization_follows_the_scale_of_the_weights():
    _, w = small_model()
    raw = gaussian_like(w, seed=2)
    once = ls.filter_normalize(raw, w)
    scaled = ls.filter_normalize(raw, {n: 7.0 * p for n, p in w.items()})
    for name in w:
        torch.testing.assert_close(scaled[name], 7.0 * once[name])


def test_filter_normalization_does_not_mutate_its_inputs():
    _, w = small_model()
    raw = gaussian_like(w, seed=3)
    before = {n: t.clone() for n, t in raw.items()}, {n: t.clone() for n, t in w.items()}
    ls.filter_normalize(raw, w)
    for name in w:
        assert torch.equal(raw[name], before[0][name]) and torch.equal(w[name], before[1][name])


def plane_case(hidden, activation, normalization):
    """A float64 MLP, two directions through its weights and 50 labelled points."""
    model = make_mlp(hidden, activation, seed=1)
    w = ls.parameters(model)
    g = torch.Generator().manual_seed(1)
    d1, d2 = (ls.direction(w, g, normalization) for _ in range(2))
    x = torch.randn(50, 2, generator=g, dtype=torch.float64)
    y = (x[:, 0] > 0).double()
    return model, w, d1, d2, x, y


ARCHITECTURES = [[4], [16, 16], [8, 5, 3]]


# 7 x 7 = 49 grid points: chunks of 5 leave 4 at the end, chunks of 6 leave one; the default
# chunk holds the whole plane. "none" directions move the biases too (filter ones leave them).
@pytest.mark.parametrize("hidden", ARCHITECTURES, ids=str)
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("normalization", ["filter", "none"])
def test_plane_equals_the_per_point_loop_and_the_vmapped_forward(hidden, activation, normalization):
    model, w, d1, d2, x, y = plane_case(hidden, activation, normalization)
    scale = 1.0 if normalization == "filter" else 3.0  # plain directions have unit norm overall
    coords = scale * np.linspace(-2, 2, 7)
    looped = ls.loss_plane_loop(model, w, d1, d2, coords, x, y)
    vmapped = ls.loss_plane_vmap(model, w, d1, d2, coords, x, y)
    assert np.isfinite(looped).all() and looped.std() > 1e-3 * looped.mean()  # a plane, not a constant
    for chunk in (None, 5, 6, 1):
        z = ls.loss_plane(model, w, d1, d2, coords, x, y, chunk=chunk)
        np.testing.assert_allclose(z, looped, rtol=1e-12, atol=1e-12, err_msg=f"chunk {chunk}")
        np.testing.assert_allclose(z, vmapped, rtol=1e-12, atol=1e-12, err_msg=f"chunk {chunk}")
    for name, p in model.named_parameters():  # the loop puts the weights back
        assert torch.equal(p.detach(), w[name])


@pytest.mark.parametrize("hidden", ARCHITECTURES, ids=str)
def test_the_plane_centre_is_the_models_own_loss(hidden):
    model, w, d1, d2, x, y = plane_case(hidden, "tanh", "none")
    z = ls.loss_plane(model, w, d1, d2, np.array([-1.0, 0.0, 1.0]), x, y)
    with torch.no_grad():
        own = float(ls.bce_loss(model(x)[:, 0], y))
    assert z[1, 1] == pytest.approx(own, rel=1e-13)


def test_a_line_is_evaluated_as_a_plane_is():
    """One direction: the losses on a line equal those of the weight vectors written out."""
    model, w, d1, _, x, y = plane_case([8, 8], "sigmoid", "none")
    alpha = torch.linspace(-0.5, 1.5, 11, dtype=torch.float64)[:, None]
    line = ls.affine_losses(model, w, [d1], alpha, x, y, chunk=4)
    flat = ls.flatten(w) + alpha * ls.flatten(d1)
    torch.testing.assert_close(line, ls.batched_losses(model, flat, x, y, w), rtol=1e-12, atol=1e-12)


def test_a_network_other_than_an_mlp_is_refused():
    model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Softplus(), torch.nn.Linear(4, 1))
    w = ls.parameters(model)
    with pytest.raises(ValueError, match="Softplus"):
        ls.loss_plane(model, w, w, w, np.zeros(3), torch.zeros(5, 2), torch.zeros(5))


def test_plane_axes_run_along_the_directions():
    model, w = small_model()
    g = torch.Generator().manual_seed(6)
    d1, d2 = ls.random_direction(w, g), ls.random_direction(w, g)
    x = torch.randn(30, 2, generator=g, dtype=torch.float64)
    y = (x[:, 1] > 0).double()
    coords = np.array([-0.5, 0.0, 0.25])
    z = ls.loss_plane(model, w, d1, d2, coords, x, y)
    # z[j, i] is the loss at a = coords[i], b = coords[j]: check one off-diagonal point by hand.
    moved = {n: w[n] + 0.25 * d1[n] - 0.5 * d2[n] for n in w}
    by_hand = ls.bce_loss(torch.func.functional_call(model, moved, (x,))[:, 0], y)
    assert z[0, 2] == pytest.approx(float(by_hand), rel=1e-12)


def test_the_plane_centre_is_the_training_loss_at_every_epoch(arrays):
    centre = RECIPE["grid"] // 2
    for k, epoch in enumerate(arrays["record_epochs"]):
        for z in range(len(RECIPE["radii"])):
            # float32 planes against the float64 loss the training loop computed
            assert arrays["plane.loss"][k, z, centre, centre] == pytest.approx(
                arrays["loss_train"][epoch], rel=2e-6
            )


def test_zoom_radii_scale_the_same_plane(arrays):
    """The small radius's grid points that the large grid also has give the same loss."""
    small, large = arrays["plane.coords"]
    assert small[-1] == pytest.approx(0.2) and large[-1] == pytest.approx(1.0)
    assert arrays["plane.loss"].shape == (3, 2, 9, 9)
    # a = b = 0 row of both: the large grid's centre equals the small grid's centre
    assert arrays["plane.loss"][:, 0, 4, 4] == pytest.approx(arrays["plane.loss"][:, 1, 4, 4])


def trained_model(arrays, k):
    model = make_mlp(RECIPE["hidden"], RECIPE["activation"], seed=0)
    linear = [m for m in model if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for l, layer in enumerate(linear):
            layer.weight.copy_(torch.tensor(arrays[f"layer{l}.weight"][k]))
            layer.bias.copy_(torch.tensor(arrays[f"layer{l}.bias"][k]))
    return model


def test_decision_grid_is_the_models_prediction(arrays):
    xs = arrays["boundary.xs"]
    rng = np.random.default_rng(0)
    for k in range(len(arrays["record_epochs"])):
        model = trained_model(arrays, k)
        i, j = rng.integers(0, len(xs), 20), rng.integers(0, len(xs), 20)
        with torch.no_grad():
            p = torch.sigmoid(model(torch.tensor(np.stack([xs[i], xs[j]], 1)))[:, 0]).numpy()
        np.testing.assert_allclose(arrays["boundary.prob"][k, j, i], p, atol=1e-6)


def test_boundary_grid_covers_the_data(arrays):
    points = np.concatenate([arrays["x_train"], arrays["x_test"]])
    assert arrays["boundary.xs"][0] < points.min() and arrays["boundary.xs"][-1] > points.max()


def test_interpolation_ends_are_the_initial_and_trained_losses(arrays):
    alpha, loss = arrays["interpolation.alpha"], arrays["interpolation.loss"]
    assert loss[np.argmin(abs(alpha))] == pytest.approx(arrays["loss_train"][0], rel=2e-6)
    assert loss[np.argmin(abs(alpha - 1))] == pytest.approx(arrays["loss_train"][-1], rel=2e-6)


def test_projection_recovers_points_on_the_plane_and_measures_what_is_off_it():
    g = torch.Generator().manual_seed(0)
    centre, d1, d2 = (torch.randn(40, generator=g, dtype=torch.float64) for _ in range(3))
    basis = torch.stack([d1, d2], 1)
    off = torch.randn(40, generator=g, dtype=torch.float64)
    off = off - basis @ torch.linalg.lstsq(basis, off[:, None]).solution[:, 0]  # orthogonal to the plane
    path = torch.stack([centre, centre + 0.3 * d1 - 0.2 * d2, centre + off])
    coords, missed = ls.project(path, centre, d1, d2)
    np.testing.assert_allclose(coords[1], [0.3, -0.2], atol=1e-12)
    np.testing.assert_allclose(coords[2], [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(missed, [0.0, 0.0, 1.0], atol=1e-12)


def test_paths_project_onto_their_own_plane_at_the_origin(arrays):
    coords = arrays["path.coords"]
    for k in range(len(coords)):
        np.testing.assert_allclose(coords[k, k], [0.0, 0.0], atol=1e-6)
        assert arrays["path.error"][k, k] == 0
    assert np.all((arrays["path.error"] >= 0) & (arrays["path.error"] <= 1 + 1e-6))


def test_recording_every_step_keeps_the_training_s_arrays_and_its_recorded_weights():
    plain, stepped = train(MINIBATCH), train(MINIBATCH, record_steps=True)
    assert plain.steps is None
    assert plain.arrays.keys() == stepped.arrays.keys()
    for key, value in plain.arrays.items():
        np.testing.assert_array_equal(stepped.arrays[key], value, err_msg=key)
    model = make_mlp(MINIBATCH["hidden"], MINIBATCH["activation"], MINIBATCH["seed"])
    assert stepped.steps.shape == (25 * 5 + 1, sum(p.numel() for p in model.parameters()))
    np.testing.assert_array_equal(stepped.steps[0], ls.flatten(ls.parameters(model)).numpy())
    for k, epoch in enumerate(MINIBATCH["record"]):  # the weights the record keeps, at their step
        weights = ls.recorded_weights(stepped.arrays, k, model)
        flat = ls.flatten(weights).numpy()
        np.testing.assert_array_equal(stepped.steps[5 * epoch].astype(np.float32), flat)


def test_the_step_path_shifted_to_each_plane_is_the_epoch_path_at_the_recorded_epochs(minibatch_arrays):
    """Coordinates relative to the first weights, minus those of plane e's centre, are the
    coordinates on plane e: at each recorded epoch's step, the per-epoch path's, to float32
    rounding of coordinates below 1 (1e-6)."""
    a = minibatch_arrays
    steps, origin, path = a["steps.coords"], a["steps.origin"], a["path.coords"]
    assert steps.shape == (25 * 5 + 1, 2) and origin.shape == (3, 2) and steps.dtype == np.float32
    np.testing.assert_array_equal(steps[0], [0, 0])
    for e in range(3):
        for k, epoch in enumerate(MINIBATCH["record"]):
            np.testing.assert_allclose(steps[5 * epoch] - origin[e], path[e, k], atol=1e-6)
    # Between recorded epochs the steps go somewhere: not the straight line the epochs join.
    between = steps[1:25] - origin[1]
    assert np.abs(np.diff(between, axis=0)).max() > 1e-3
    assert "steps.coords" not in ls.landscape_arrays(RECIPE)  # full batch: a step is an epoch


def test_every_step_projects_on_each_plane_as_project_does(minibatch_arrays):
    a = minibatch_arrays
    stepped = train(MINIBATCH, record_steps=True).steps
    flat = torch.as_tensor(stepped).float()
    d1, d2 = torch.as_tensor(a["direction1"]), torch.as_tensor(a["direction2"])
    for e, epoch in enumerate(MINIBATCH["record"]):
        direct, _ = ls.project(flat, flat[5 * epoch], d1, d2)
        np.testing.assert_allclose(a["steps.coords"] - a["steps.origin"][e], direct, atol=1e-6)


def test_a_landscape_is_reproducible_byte_for_byte():
    assert LANDSCAPE.produce(planned("landscape", RECIPE), []) == LANDSCAPE.produce(
        planned("landscape", RECIPE), []
    )


def test_rescaled_relu_network_has_the_same_filter_normalized_plane_and_not_the_same_plain_one():
    base = {**RECIPE, "activation": "relu", "record": [25], "radii": [1.0]}
    planes = {
        (normalization, rescale): ls.landscape_arrays(
            {**base, "normalization": normalization, "rescale": rescale}
        )["plane.loss"][-1, 0]
        for normalization in ("filter", "none")
        for rescale in (1.0, 10.0)
    }
    np.testing.assert_allclose(planes["filter", 10.0], planes["filter", 1.0], rtol=1e-4)
    assert np.abs(planes["none", 10.0] - planes["none", 1.0]).max() > 0.1


def test_the_visualizer_file_holds_the_arrays_it_packs(arrays):
    run = LandscapeRun("test/moons-2x6", RECIPE, arrays)
    header, packed = read_combination(combination_bytes(run, {"id": run.id}))
    assert header["epochs"] == [0, 5, 25] and header["radii"] == [0.2, 1.0] and header["grid"] == 9
    assert all(info["offset"] % 4 == 0 for info in header["arrays"].values())
    np.testing.assert_allclose(packed["loss"], arrays["plane.loss"], rtol=1e-3)  # float16
    np.testing.assert_allclose(packed["prob"] / 255, arrays["boundary.prob"], atol=0.5 / 255 + 1e-7)
    np.testing.assert_allclose(packed["curves"][0], arrays["loss_train"], rtol=1e-6)
    n_train = header["n_train"]
    np.testing.assert_allclose(packed["points"][:n_train], arrays["x_train"], rtol=1e-6)
    np.testing.assert_array_equal(packed["labels"][n_train:], arrays["y_test"])
    np.testing.assert_allclose(packed["path"], arrays["path.coords"])


def test_a_first_view_is_the_last_epoch_of_the_whole_file_with_its_scales(arrays):
    run = LandscapeRun("test/moons-2x6", RECIPE, arrays)
    whole_header, whole = read_combination(combination_bytes(run, {"id": run.id}))
    header, view = read_combination(first_view_bytes(combination_bytes(run, {"id": run.id})))
    assert header["first_view"]["epoch"] == 2 and header["epochs"] == [0, 5, 25]
    assert {k: v for k, v in header.items() if k not in ("arrays", "first_view")} == {
        k: v for k, v in whole_header.items() if k != "arrays"
    }
    np.testing.assert_array_equal(view["loss"], whole["loss"][2:])
    np.testing.assert_array_equal(view["prob"], whole["prob"][2:])
    for name in ("curves", "points", "labels", "path", "path_error"):
        np.testing.assert_array_equal(view[name], whole[name])
    # Each zoom's scale is over every epoch of the whole file, as the page computes it.
    loss = whole["loss"].astype(np.float64)
    assert header["first_view"]["z_ranges"] == [[loss[:, z].min(), loss[:, z].max()] for z in range(2)]


def test_a_loss_scale_that_is_not_finite_gives_no_first_view(arrays):
    diverged = {**arrays, "plane.loss": arrays["plane.loss"].copy()}
    diverged["plane.loss"][0, 1, 0, 0] = np.inf  # a divergent run's first epoch, at the wide zoom
    run = LandscapeRun("test/moons-2x6", RECIPE, diverged)
    assert first_view_bytes(combination_bytes(run, {"id": run.id})) is None


def test_a_minibatch_run_s_file_holds_the_range_of_its_batch_losses(arrays, minibatch_arrays):
    run = LandscapeRun("test/moons-2x6-sgd", MINIBATCH, minibatch_arrays)
    header, packed = read_combination(combination_bytes(run, {"id": run.id}))
    assert (header["training"], header["batch"], header["steps_per_epoch"]) == ("momentum-b16", 16, 5)
    per_step = minibatch_arrays["batch_loss"]
    assert per_step.shape == (25 * 5,)
    for epoch in (0, 12, 24):  # the steps from epoch t to t + 1
        steps = per_step[5 * epoch : 5 * epoch + 5]
        np.testing.assert_allclose(packed["batch_range"][:, epoch], [steps.min(), steps.max()], rtol=1e-3)
    assert packed["batch_range"].shape == (2, 25)
    assert np.all(packed["batch_range"][1] > packed["batch_range"][0])  # batches differ: noise
    # Every step, once, and what shifts it to each epoch's plane: float32, as computed.
    assert packed["steps"].dtype == packed["steps_origin"].dtype == np.float32
    np.testing.assert_array_equal(packed["steps"], minibatch_arrays["steps.coords"])
    np.testing.assert_array_equal(packed["steps_origin"], minibatch_arrays["steps.origin"])
    per_epoch = header["steps_per_epoch"]
    for e in range(len(header["epochs"])):
        at_epochs = (
            packed["steps"][[per_epoch * epoch for epoch in header["epochs"]]] - packed["steps_origin"][e]
        )
        np.testing.assert_allclose(at_epochs, packed["path"][e], atol=1e-6)
    # The full-batch run steps once per epoch on the whole set: no range to show.
    header, packed = read_combination(combination_bytes(LandscapeRun("test/moons-2x6", RECIPE, arrays), {}))
    assert (header["training"], header["batch"], header["steps_per_epoch"]) == ("adam", None, 1)
    assert not {"batch_range", "steps", "steps_origin"} & packed.keys()


def test_the_index_lists_each_training_with_its_label_and_a_file_per_combination(arrays, minibatch_arrays):
    runs = {"moons-2x6": (RECIPE, arrays), "moons-2x6-sgd": (MINIBATCH, minibatch_arrays)}
    inputs = [
        Input(planned("landscape", recipe, f"test/{name}"), LandscapeRun(f"test/{name}", recipe, a))
        for name, (recipe, a) in runs.items()
    ]
    recipe = {"title": "Explorer", "default": "moons/2x6/adam"}
    files = VISUALIZER.produce(planned("visualizer", recipe), inputs)
    index = json.loads(files["index.json"])
    assert index["format"] == 3
    assert [(t["id"], t["label"], t["batch"]) for t in index["trainings"]] == [
        ("adam", "Full-batch Adam", None),
        ("momentum-b16", "SGD with momentum, batches of 16", 16),
    ]
    assert index["default"] == {"dataset": "moons", "model": "2x6", "training": "adam"}
    assert index["combinations"] == {
        "moons/2x6/adam": "moons-2x6-adam.bin",
        "moons/2x6/momentum-b16": "moons-2x6-momentum-b16.bin",
    }
    for key, name in index["combinations"].items():
        header, packed = read_combination(files[name])
        training_arrays = runs["moons-2x6" + ("-sgd" if key.endswith("b16") else "")][1]
        np.testing.assert_allclose(packed["curves"][0], training_arrays["loss_train"], rtol=1e-6)
    # The first view is the default combination's, the full-batch run.
    first, _ = read_combination(files["first-view.bin"])
    assert first["training"] == "adam" and "first_view" in first
