"""The seeded Gaussian noise: a standard normal sample by the usual tests, its logarithm within a
unit in the last place of the math library's, and the page's generator equal to Python's bit for bit."""

from __future__ import annotations

import math

import numpy as np
import pytest
from page_modules import evaluate

from descent.noise import gaussian, hash32, log, uniform

N = 40_000
SAMPLE = np.array([gaussian(7, step, index) for step in range(N // 4) for index in range(4)])


def normal_cdf(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def test_the_sample_has_a_standard_normal_mean_variance_and_tails():
    n = len(SAMPLE)
    assert abs(SAMPLE.mean()) < 4 / math.sqrt(n)
    assert abs(SAMPLE.var() - 1) < 4 * math.sqrt(2 / n)  # the variance's standard error is √(2/n)
    for k, share in ((1, 0.6826894921), (2, 0.9544997361), (3, 0.9973002039)):
        inside = np.mean(np.abs(SAMPLE) < k)
        assert abs(inside - share) < 4 * math.sqrt(share * (1 - share) / n), k


def test_the_sample_passes_kolmogorov_smirnov_against_the_normal():
    x = np.sort(SAMPLE)
    cdf = normal_cdf(x)
    n = len(x)
    d = max(np.max(np.arange(1, n + 1) / n - cdf), np.max(cdf - np.arange(n) / n))
    assert d < 1.95 / math.sqrt(n)  # the 0.1 % critical value


def test_draws_of_neighbouring_steps_indices_and_seeds_are_uncorrelated():
    grid = SAMPLE.reshape(-1, 4)
    n = len(grid) - 1
    pairs = [
        (grid[:-1, 0], grid[1:, 0]),  # the next step
        (grid[:, 0], grid[:, 1]),  # the next index
        (grid[:, 0], np.array([gaussian(8, step, 0) for step in range(len(grid))])),  # the next seed
    ]
    for a, b in pairs:
        assert abs(np.corrcoef(a[:n], b[:n])[0, 1]) < 4 / math.sqrt(n)


def test_uniforms_stay_inside_the_open_interval_and_cover_it():
    u = np.array([uniform(0, step, 0, 0) for step in range(10_000)])
    assert u.min() > 0 and u.max() < 1
    counts, _ = np.histogram(u, bins=10, range=(0, 1))
    assert counts.min() > 1000 - 4 * math.sqrt(900) and counts.max() < 1000 + 4 * math.sqrt(900)


def test_the_hash_spreads_one_bit_of_change_over_about_half_the_output_bits():
    flips = [
        bin(hash32(x) ^ hash32(x ^ (1 << b))).count("1") for x in range(0, 2**20, 4099) for b in range(32)
    ]
    assert 15.5 < np.mean(flips) < 16.5


@pytest.mark.parametrize(
    "x", [1e-300, 2.2e-16, 1e-5, 0.1, 0.5, 0.7071067811865476, 0.99999, 1.0, 1.5, 2.0, 3.7, 1e10]
)
def test_the_logarithm_is_within_a_unit_in_the_last_place_of_the_math_librarys(x):
    assert abs(log(x) - math.log(x)) <= math.ulp(math.log(x))


def test_the_page_draws_the_same_numbers_bit_for_bit():
    draws = [
        (seed, step, index) for seed in (0, 1, 2**32 - 1) for step in range(0, 3000, 7) for index in range(3)
    ]
    logs = [1e-300, 2.2e-16, 0.1, 0.5, 0.99999, 1.5, 3.7, 1e10]
    page = evaluate(
        {"playground/noise.js": ["gaussian", "log"]},
        {"draws": draws, "logs": logs},
        "{ z: data.draws.map(([a, b, c]) => gaussian(a, b, c)), logs: data.logs.map(log) }",
    )
    assert page["z"] == [gaussian(*d) for d in draws]  # JSON keeps every bit of a double
    assert page["logs"] == [log(x) for x in logs]
