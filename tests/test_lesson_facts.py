"""The facts the lessons teach, checked on the data a reader downloads from the built site."""

import json

import numpy as np
import pytest

from descent.arrays import load_npz
from descent.surfaces import get_surface

pytestmark = pytest.mark.slow


def downloads(site, kind, item_id):
    generated = site / "assets" / "generated"
    item = json.loads((generated / "manifest.json").read_text())[f"{kind}s"][item_id]
    recipe = json.loads((generated / item["files"]["recipe"]).read_text())
    return load_npz(generated / item["files"]["data"]), recipe


def test_gradient_descent_on_a_quadratic_diverges_exactly_above_2_over_lambda_max(built_site):
    data, recipe = downloads(built_site, "figure", "learning-rate/sweep")
    surface = get_surface(recipe["recipe"]["surface"])
    lam_max = max(surface.global_minimum.eigenvalues)
    sgd_runs = [i for i in recipe["inputs"] if i["recipe"]["optimizer"] == "sgd"]
    assert len(sgd_runs) > 10
    for run in sgd_runs:
        lr = run["recipe"]["hyperparameters"]["lr"]
        name = run["id"].split("/", 1)[1]
        diverged = int(data[f"{name}.diverged_step"]) >= 0
        assert diverged == (lr > 2 / lam_max), (lr, 2 / lam_max)
        if not diverged:  # below the threshold the loss only goes down
            assert np.all(np.diff(data[f"{name}.loss"]) <= 0), lr


def test_the_parabola_runs_match_their_geometric_factor(built_site):
    data, recipe = downloads(built_site, "figure", "gradient-descent/contour-lr")
    for run in recipe["inputs"]:
        lr = run["recipe"]["hyperparameters"]["lr"]
        name = run["id"].split("/", 1)[1]
        w2 = data[f"{name}.params"][:, 1]
        # On w1^2 + 10 w2^2, plain gradient descent multiplies w2 by (1 - 20 lr) every step.
        np.testing.assert_allclose(w2[1:], (1 - 20 * lr) * w2[:-1], rtol=1e-12)
