"""Seeded Gaussian noise that the page computes bit for bit as Python does.

``gaussian(seed, step, index)`` is a pure function of three integers (a counter-based generator:
no state to carry, any draw computed on its own), so a run with noise added to its gradients is
replayed exactly anywhere: by torch.optim here, and by the playground's engine in the browser
(``docs/javascripts/playground/noise.js``, the same operations in the same order).

Only integer operations and +, −, ×, ÷ and square roots of doubles are used, which IEEE 754
rounds the same way everywhere; the logarithm is computed here from those (a series), because
two math libraries' ``log`` may differ in the last bit. The words are a 32-bit integer hash
(lowbias32, by Chris Wellons) of the seed, the step, the index and a counter; two words give a
uniform double in (0, 1) with 53 random bits; Marsaglia's polar method turns pairs of uniforms
into a normal deviate.
"""

from __future__ import annotations

import math

MASK = 0xFFFFFFFF
LN2 = 0.6931471805599453  # the double nearest ln 2
SQRT2 = 1.4142135623730951  # the double nearest √2
SERIES = 12  # terms of the series for ln; the 13th is below 1e-19 of the result


def hash32(x: int) -> int:
    """lowbias32: a 32-bit integer hash whose output bits each depend on every input bit."""
    x &= MASK
    x ^= x >> 16
    x = (x * 0x7FEB352D) & MASK
    x ^= x >> 15
    x = (x * 0x846CA68B) & MASK
    x ^= x >> 16
    return x


def word(seed: int, step: int, index: int, counter: int) -> int:
    return hash32(hash32(hash32(hash32(seed) ^ (step & MASK)) ^ (index & MASK)) ^ (counter & MASK))


def uniform(seed: int, step: int, index: int, counter: int) -> float:
    """A double in (0, 1): 53 bits from two words, plus half a unit so it is never 0 or 1."""
    a, b = word(seed, step, index, 2 * counter), word(seed, step, index, 2 * counter + 1)
    return ((a >> 5) * 67108864 + (b >> 6) + 0.5) / 9007199254740992


def log(x: float) -> float:
    """The natural logarithm of a positive finite double from arithmetic alone: x = m · 2^e with
    m in [√2/2, √2], then ln m = 2 artanh((m − 1)/(m + 1)) by its series."""
    m, e = x, 0
    while m < 1:  # multiplying and dividing by 2 are exact
        m *= 2
        e -= 1
    while m >= 2:
        m /= 2
        e += 1
    if m > SQRT2:
        m /= 2
        e += 1
    t = (m - 1) / (m + 1)
    t2 = t * t
    s = 1 / (2 * SERIES + 1)
    for k in range(SERIES - 1, -1, -1):  # Horner: 1/1 + t²(1/3 + t²(1/5 + ...))
        s = 1 / (2 * k + 1) + t2 * s
    return 2 * t * s + e * LN2


def gaussian(seed: int, step: int, index: int) -> float:
    """A standard normal deviate for (``seed``, ``step``, ``index``), the same in the page."""
    counter = 0
    while True:  # Marsaglia's polar method: accept a point of the unit disc (about 79 % of tries)
        x = 2 * uniform(seed, step, index, 2 * counter) - 1
        y = 2 * uniform(seed, step, index, 2 * counter + 1) - 1
        s = x * x + y * y
        if 0 < s < 1:
            return x * math.sqrt(-2 * log(s) / s)
        counter += 1
