"""Facts about the test surfaces: derivatives match finite differences, critical points are real."""

import numpy as np
import pytest

from descent.surfaces import SURFACES, get_surface

NAMES = list(SURFACES)


def _sample(surface, n=25, seed=0):
    rng = np.random.default_rng(seed)
    lo = np.array([a for a, _ in surface.domain])
    hi = np.array([b for _, b in surface.domain])
    return lo + (hi - lo) * rng.random((n, surface.dim))


@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_central_differences(name):
    s = get_surface(name)
    x = _sample(s)
    h = 1e-6
    fd = np.stack([(s.value(x + h * e) - s.value(x - h * e)) / (2 * h) for e in np.eye(s.dim)], axis=-1)
    np.testing.assert_allclose(s.grad(x), fd, rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_hessian_matches_differences_of_the_gradient(name):
    s = get_surface(name)
    x = _sample(s, seed=1)
    h = 1e-6
    fd = np.stack([(s.grad(x + h * e) - s.grad(x - h * e)) / (2 * h) for e in np.eye(s.dim)], axis=-1)
    np.testing.assert_allclose(s.hessian(x), fd, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(s.hessian(x), np.swapaxes(s.hessian(x), -1, -2))


@pytest.mark.parametrize("name", NAMES)
def test_shapes_broadcast_over_any_batch(name):
    s = get_surface(name)
    x = np.zeros((3, 4, s.dim)) + 0.3
    assert s.value(x).shape == (3, 4)
    assert s.grad(x).shape == (3, 4, s.dim)
    assert s.hessian(x).shape == (3, 4, s.dim, s.dim)
    assert np.ndim(s.value(np.full(s.dim, 0.3))) == 0


@pytest.mark.parametrize("name", NAMES)
def test_critical_points_have_zero_gradient_and_their_hessian_signature(name):
    s = get_surface(name)
    assert s.critical_points, f"{name}: no critical point found"
    for c in s.critical_points:
        p = np.array(c.point)
        assert np.linalg.norm(s.grad(p)) < 1e-8
        eig = np.linalg.eigvalsh(s.hessian(p))
        expected = {
            "minimum": np.all(eig > 0),
            "maximum": np.all(eig < 0),
            "saddle": eig.min() < 0 < eig.max(),
        }
        assert expected[c.kind], (name, c)


@pytest.mark.parametrize(
    "name, point, kind",
    [  # Known analytically: the searches must find these.
        ("parabola", (0.0,), "minimum"),
        ("bowl", (0.0, 0.0), "minimum"),
        ("elongated_bowl", (0.0, 0.0), "minimum"),
        ("saddle", (0.0, 0.0), "saddle"),
        ("rosenbrock", (1.0, 1.0), "minimum"),
        ("rastrigin", (0.0, 0.0), "minimum"),
    ],
)
def test_known_critical_points_are_found(name, point, kind):
    s = get_surface(name)
    found = [c for c in s.critical_points if np.allclose(c.point, point, atol=1e-7)]
    assert len(found) == 1 and found[0].kind == kind


def test_sample_puts_each_value_at_its_coordinates():
    s = get_surface("rosenbrock")  # not symmetric in w1, w2: a transposed grid would show
    xs, ys, z = s.sample(7)
    for j, i in [(0, 6), (3, 1), (6, 2)]:
        assert z[j, i] == s.value(np.array([xs[i], ys[j]]))


def test_global_minimum_is_lowest_on_a_dense_grid():
    for name in ["rastrigin", "wavy_bowl", "rosenbrock"]:
        s = get_surface(name)
        grid = np.stack(s.grid(300), axis=-1)
        assert s.global_minimum.value <= s.value(grid).min() + 1e-9


def test_wavy_bowl_has_several_local_minima():
    # The seed's hand-placed minima are replaced by the engine's: check it finds more than one.
    assert len(get_surface("wavy_bowl").minima) >= 2


def test_rastrigin_minima_sit_near_the_integer_lattice():
    s = get_surface("rastrigin")
    for c in s.minima:
        assert np.allclose(c.point, np.round(c.point), atol=0.05)


def test_unknown_surface_names_the_known_ones():
    with pytest.raises(KeyError, match="rosenbrock"):
        get_surface("banana")


def test_wrong_point_dimension_is_refused():
    with pytest.raises(ValueError, match="dimension of 2"):
        get_surface("bowl").value(np.zeros(3))
