"""Contour lines lie on their level, close where they should and have the right shape and count."""

import numpy as np
import pytest

from descent.contours import contour_lines, grid_contours, is_closed
from descent.surfaces import get_surface


def shoelace_area(line: np.ndarray) -> float:
    x, y = line[:, 0], line[:, 1]
    return 0.5 * abs(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def grid(f, lo=-2.0, hi=2.0, n=81):
    xs = ys = np.linspace(lo, hi, n)
    gx, gy = np.meshgrid(xs, ys, indexing="xy")
    return xs, ys, f(gx, gy)


@pytest.mark.parametrize("level", [0.25, 1.0, 2.0, 4.0, 8.0])
def test_bowl_levels_are_circles_of_radius_sqrt_level(level):
    lines = contour_lines(get_surface("bowl"), [level], n=201)[level]
    assert len(lines) == 1 and is_closed(lines[0])
    r2 = np.sum(lines[0] ** 2, axis=1)
    # Linear interpolation of w^2 on a grid of spacing h errs by at most h^2 / 4 in value.
    h = 6.0 / 200
    assert np.max(np.abs(r2 - level)) <= h**2 / 4 + 1e-12
    assert shoelace_area(lines[0]) == pytest.approx(np.pi * level, rel=2e-3)


@pytest.mark.parametrize("level", [0.5, 2.0, 6.0])
def test_elongated_bowl_levels_are_ellipses_with_axes_sqrt_c_and_sqrt_c_over_10(level):
    (line,) = contour_lines(get_surface("elongated_bowl"), [level], n=301)[level]
    assert is_closed(line)
    half_widths = np.max(np.abs(line), axis=0)
    np.testing.assert_allclose(half_widths, [np.sqrt(level), np.sqrt(level / 10)], rtol=1e-2)
    assert shoelace_area(line) == pytest.approx(np.pi * level / np.sqrt(10), rel=1e-2)


def test_levels_outside_the_range_of_values_give_no_lines():
    bowl = get_surface("bowl")  # values on its domain [-3, 3]^2 run from 0 to 18
    result = contour_lines(bowl, [-1.0, 18.5, 1e6], n=51)
    assert result == {-1.0: [], 18.5: [], 1e6: []}
    xs, ys, z = grid(lambda x, y: np.full_like(x, 3.0))
    assert grid_contours(xs, ys, z, [2.0, 4.0]) == {2.0: [], 4.0: []}


def test_two_separate_wells_give_two_closed_loops_one_around_each():
    xs, ys, z = grid(lambda x, y: np.minimum((x - 1) ** 2 + y**2, (x + 1) ** 2 + y**2), -3.0, 3.0, 121)
    (inner,) = grid_contours(xs, ys, z, [0.25]).values()
    assert len(inner) == 2 and all(is_closed(line) for line in inner)
    centres = sorted(float(np.mean(line[:-1, 0])) for line in inner)
    np.testing.assert_allclose(centres, [-1.0, 1.0], atol=1e-2)
    # Above the ridge between the wells (value 1 at x = 0) the two loops merge into one.
    (outer,) = grid_contours(xs, ys, z, [1.5]).values()
    assert len(outer) == 1 and is_closed(outer[0])


def test_a_level_that_meets_the_boundary_is_an_open_line_ending_on_it():
    xs, ys, z = grid(lambda x, y: x + 0.0 * y)
    (lines,) = grid_contours(xs, ys, z, [0.3]).values()
    assert len(lines) == 1 and not is_closed(lines[0])
    np.testing.assert_allclose(lines[0][:, 0], 0.3, atol=1e-12)
    assert sorted([lines[0][0, 1], lines[0][-1, 1]]) == [-2.0, 2.0]


@pytest.mark.parametrize("level, quadrant_signs", [(0.5, [(-1, -1), (1, 1)]), (-0.5, [(-1, 1), (1, -1)])])
def test_hyperbola_branches_of_a_saddle(level, quadrant_signs):
    xs, ys, z = grid(lambda x, y: x * y, n=161)
    lines = grid_contours(xs, ys, z, [level])[level]
    assert len(lines) == 2 and not any(is_closed(line) for line in lines)
    for line in lines:
        np.testing.assert_allclose(line[:, 0] * line[:, 1], level, atol=2e-3)
    signs = sorted(tuple(int(s) for s in np.sign(np.mean(line, axis=0))) for line in lines)
    assert signs == quadrant_signs


def test_a_saddle_cell_is_split_by_the_value_at_its_centre():
    # One cell: high bottom-left and top-right corners (1), low bottom-right and top-left (0);
    # the centre averages to 0.5.
    xs = ys = np.array([0.0, 1.0])
    z = np.array([[1.0, 0.0], [0.0, 1.0]])

    def as_sets(lines):
        return {frozenset(map(tuple, np.round(line, 12))) for line in lines}

    # Level 0.5: the centre is high, so the high corners connect; the lines cut off the lows.
    got = as_sets(grid_contours(xs, ys, z, [0.5])[0.5])
    assert got == {frozenset({(0.5, 0.0), (1.0, 0.5)}), frozenset({(0.0, 0.5), (0.5, 1.0)})}
    # Level 0.6: the centre is low, so the lines cut off the high corners instead.
    got = as_sets(grid_contours(xs, ys, z, [0.6])[0.6])
    assert got == {frozenset({(0.4, 0.0), (0.0, 0.4)}), frozenset({(0.6, 1.0), (1.0, 0.6)})}


def test_non_finite_values_are_skipped_and_never_reach_a_line():
    xs, ys, z = grid(lambda x, y: x**2 + y**2)
    z[:, 50:] = np.nan  # the right part (x > 0.5) is unknown
    before = z.copy()
    (lines,) = grid_contours(xs, ys, z, [1.0]).values()
    np.testing.assert_array_equal(z, before)  # input not mutated
    assert len(lines) == 1 and not is_closed(lines[0])  # the circle is cut where data stops
    assert np.all(np.isfinite(lines[0])) and np.max(lines[0][:, 0]) <= xs[49] + 1e-12


def test_only_two_dimensional_surfaces_have_contours():
    with pytest.raises(ValueError, match="2-D"):
        contour_lines(get_surface("parabola"), [1.0])
    with pytest.raises(ValueError, match="shaped"):
        grid_contours(np.arange(3.0), np.arange(4.0), np.zeros((3, 4)), [0.5])
