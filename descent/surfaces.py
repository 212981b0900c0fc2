"""Test surfaces for optimizers: vectorized value, gradient and Hessian over arrays of points.

Every surface takes points shaped ``[..., dim]`` and returns ``[...]`` (value), ``[..., dim]``
(gradient) and ``[..., dim, dim]`` (Hessian), so one definition both draws a 400x400 grid and steps
a trajectory. Critical points are found numerically (Newton's method on the gradient from a grid of
starts) and classified by the Hessian's eigenvalues, never placed by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class CriticalPoint:
    """A point where the gradient vanishes, with the kind its Hessian says it is."""

    point: tuple[float, ...]
    value: float
    kind: str  # "minimum", "maximum", "saddle" or "degenerate"
    eigenvalues: tuple[float, ...]


@dataclass(frozen=True)
class Surface:
    """A smooth loss surface over ``dim`` parameters with its formula and plotting domain."""

    name: str
    title: str
    latex: str
    dim: int
    domain: tuple[tuple[float, float], ...]
    _value: Callable[[Array], Array] = field(repr=False)
    _grad: Callable[[Array], Array] = field(repr=False)
    _hessian: Callable[[Array], Array] = field(repr=False)
    # Points of a coarse grid per axis from which Newton's method starts.
    search_grid: int = 41
    # The formula's family and constants, which the browser's copy of the surfaces reads (the
    # playground), so the numbers live here only.
    family: str = ""
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def value(self, x: Array) -> Array:
        """Loss at points ``x[..., dim]``."""
        return self._value(self._check(x))

    def grad(self, x: Array) -> Array:
        """Gradient at points ``x[..., dim]``, shaped ``[..., dim]``."""
        return self._grad(self._check(x))

    def hessian(self, x: Array) -> Array:
        """Hessian at points ``x[..., dim]``, shaped ``[..., dim, dim]``."""
        return self._hessian(self._check(x))

    def contains(self, x: Array) -> Array:
        """Whether points ``x[..., dim]`` lie inside the plotting domain."""
        x = self._check(x)
        lo = np.array([a for a, _ in self.domain])
        hi = np.array([b for _, b in self.domain])
        return np.all((x >= lo) & (x <= hi), axis=-1)

    def grid(self, n: int = 400) -> tuple[Array, ...]:
        """An ``n`` per axis grid over the domain, as ``np.meshgrid(..., indexing='xy')`` gives."""
        axes = [np.linspace(a, b, n) for a, b in self.domain]
        return tuple(np.meshgrid(*axes, indexing="xy"))

    def sample(self, n: int) -> tuple[Array, Array, Array]:
        """``(xs, ys, values)`` on an ``n`` x ``n`` grid over a 2-D domain; ``values[j, i]`` is the
        loss at ``(xs[i], ys[j])``, the layout plotting libraries expect."""
        (x0, x1), (y0, y1) = self.domain
        xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
        return xs, ys, self.value(np.stack(np.meshgrid(xs, ys, indexing="xy"), axis=-1))

    @cached_property
    def critical_points(self) -> tuple[CriticalPoint, ...]:
        """Critical points inside the domain, found by Newton's method and sorted by value."""
        return find_critical_points(self)

    @property
    def minima(self) -> tuple[CriticalPoint, ...]:
        return tuple(c for c in self.critical_points if c.kind == "minimum")

    @property
    def global_minimum(self) -> CriticalPoint:
        return min(self.minima, key=lambda c: c.value)

    def _check(self, x: Array) -> Array:
        x = np.asarray(x, dtype=np.float64)
        if x.shape[-1:] != (self.dim,):
            raise ValueError(f"{self.name}: points must end in a dimension of {self.dim}, got {x.shape}")
        return x


def find_critical_points(surface: Surface, tol: float = 1e-10) -> tuple[CriticalPoint, ...]:
    """Run Newton's method on the gradient from a grid of starts; keep distinct converged points."""
    axes = [np.linspace(a, b, surface.search_grid) for a, b in surface.domain]
    x = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, surface.dim)
    for _ in range(100):
        g = surface.grad(x)
        h = surface.hessian(x)
        ok = np.abs(np.linalg.det(h)) > 1e-12
        step = np.zeros_like(x)
        step[ok] = np.linalg.solve(h[ok], g[ok][..., None])[..., 0]
        x = x - step
        if np.max(np.abs(step[ok]), initial=0.0) < 1e-14:
            break
    g = surface.grad(x)
    keep = np.all(np.isfinite(x), axis=-1) & (np.linalg.norm(g, axis=-1) < 1e-8) & surface.contains(x)
    found: list[CriticalPoint] = []
    span = max(b - a for a, b in surface.domain)
    for p in x[keep]:
        if any(np.linalg.norm(p - np.array(c.point)) < 1e-6 * span for c in found):
            continue
        eig = np.linalg.eigvalsh(surface.hessian(p))
        found.append(
            CriticalPoint(
                point=tuple(float(v) for v in p),
                value=float(surface.value(p)),
                kind=_classify(eig, tol),
                eigenvalues=tuple(float(v) for v in eig),
            )
        )
    return tuple(sorted(found, key=lambda c: (c.value, c.point)))


def _classify(eigenvalues: Array, tol: float) -> str:
    if np.any(np.abs(eigenvalues) <= tol):
        return "degenerate"
    if np.all(eigenvalues > 0):
        return "minimum"
    if np.all(eigenvalues < 0):
        return "maximum"
    return "saddle"


def _stack_hessian(hxx: Array, hxy: Array, hyy: Array) -> Array:
    return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)


def parabola() -> Surface:
    """``L(w) = w^2``: the one-parameter loss of the first gradient-descent lesson."""
    return Surface(
        name="parabola",
        title="Parabola",
        latex=r"L(w) = w^2",
        dim=1,
        domain=((-3.0, 3.0),),
        _value=lambda x: x[..., 0] ** 2,
        _grad=lambda x: 2.0 * x,
        _hessian=lambda x: np.full(x.shape + (1,), 2.0),
        family="parabola",
    )


def quadratic(name: str, title: str, a: float, b: float, half_width: float) -> Surface:
    """``L = a w1^2 + b w2^2``: a convex bowl whose curvatures are ``2a`` and ``2b``."""

    def value(x: Array) -> Array:
        return a * x[..., 0] ** 2 + b * x[..., 1] ** 2

    def grad(x: Array) -> Array:
        return np.stack([2 * a * x[..., 0], 2 * b * x[..., 1]], -1)

    def hessian(x: Array) -> Array:
        shape = x.shape[:-1]
        return _stack_hessian(np.full(shape, 2.0 * a), np.zeros(shape), np.full(shape, 2.0 * b))

    coeff = lambda c: "" if c == 1 else f"{c:g}\\,"  # noqa: E731
    return Surface(
        name=name,
        title=title,
        latex=rf"L(w) = {coeff(a)}w_1^2 + {coeff(b)}w_2^2",
        dim=2,
        domain=((-half_width, half_width), (-half_width, half_width)),
        _value=value,
        _grad=grad,
        _hessian=hessian,
        search_grid=5,
        family="quadratic",
        params={"a": a, "b": b},
    )


def saddle() -> Surface:
    """``L = w1^2 - w2^2``: the gradient vanishes at the origin, which is no minimum."""

    def hessian(x: Array) -> Array:
        shape = x.shape[:-1]
        return _stack_hessian(np.full(shape, 2.0), np.zeros(shape), np.full(shape, -2.0))

    return Surface(
        name="saddle",
        title="Saddle",
        latex=r"L(w) = w_1^2 - w_2^2",
        dim=2,
        domain=((-1.5, 1.5), (-1.5, 1.5)),
        _value=lambda x: x[..., 0] ** 2 - x[..., 1] ** 2,
        _grad=lambda x: np.stack([2 * x[..., 0], -2 * x[..., 1]], -1),
        _hessian=hessian,
        search_grid=5,
        family="saddle",
    )


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Surface:
    """Rosenbrock's banana valley ``(a - w1)^2 + b (w2 - w1^2)^2``, minimum at ``(a, a^2)``."""

    def value(x: Array) -> Array:
        u, v = x[..., 0], x[..., 1]
        return (a - u) ** 2 + b * (v - u**2) ** 2

    def grad(x: Array) -> Array:
        u, v = x[..., 0], x[..., 1]
        return np.stack([-2 * (a - u) - 4 * b * u * (v - u**2), 2 * b * (v - u**2)], -1)

    def hessian(x: Array) -> Array:
        u, v = x[..., 0], x[..., 1]
        return _stack_hessian(2 - 4 * b * (v - u**2) + 8 * b * u**2, -4 * b * u, np.full(u.shape, 2.0 * b))

    return Surface(
        name="rosenbrock",
        title="Rosenbrock",
        latex=r"L(w) = (1 - w_1)^2 + 100\,(w_2 - w_1^2)^2",
        dim=2,
        domain=((-2.0, 2.0), (-1.0, 3.0)),
        _value=value,
        _grad=grad,
        _hessian=hessian,
        family="rosenbrock",
        params={"a": a, "b": b},
    )


def rastrigin(amplitude: float = 10.0) -> Surface:
    """Rastrigin's egg crate: a bowl covered in local minima, global minimum at the origin."""
    two_pi = 2 * math.pi

    def value(x: Array) -> Array:
        return amplitude * x.shape[-1] + np.sum(x**2 - amplitude * np.cos(two_pi * x), axis=-1)

    def grad(x: Array) -> Array:
        return 2 * x + amplitude * two_pi * np.sin(two_pi * x)

    def hessian(x: Array) -> Array:
        d = 2 + amplitude * two_pi**2 * np.cos(two_pi * x)
        return _stack_hessian(d[..., 0], np.zeros(d.shape[:-1]), d[..., 1])

    return Surface(
        name="rastrigin",
        title="Rastrigin",
        latex=r"L(w) = 20 + \sum_i \left(w_i^2 - 10\cos 2\pi w_i\right)",
        dim=2,
        domain=((-2.5, 2.5), (-2.5, 2.5)),
        _value=value,
        _grad=grad,
        _hessian=hessian,
        search_grid=61,
        family="rastrigin",
        params={"amplitude": amplitude},
    )


def wavy_bowl(f: float = 1.5, k: float = 0.1) -> Surface:
    """A non-convex bowl with local minima: ``sin 1.5w1 cos 1.5w2 + 0.1|w|^2 + cos(w1 + w2)``."""

    def value(x: Array) -> Array:
        u, v = x[..., 0], x[..., 1]
        return np.sin(f * u) * np.cos(f * v) + k * (u**2 + v**2) + np.cos(u + v)

    def grad(x: Array) -> Array:
        u, v = x[..., 0], x[..., 1]
        s = np.sin(u + v)
        return np.stack(
            [
                f * np.cos(f * u) * np.cos(f * v) + 2 * k * u - s,
                -f * np.sin(f * u) * np.sin(f * v) + 2 * k * v - s,
            ],
            -1,
        )

    def hessian(x: Array) -> Array:
        u, v = x[..., 0], x[..., 1]
        c = np.cos(u + v)
        ss = np.sin(f * u) * np.cos(f * v)
        return _stack_hessian(
            -f * f * ss + 2 * k - c,
            -f * f * np.cos(f * u) * np.sin(f * v) - c,
            -f * f * ss + 2 * k - c,
        )

    return Surface(
        name="wavy_bowl",
        title="Wavy bowl",
        latex=rf"L(w) = \sin {f:g}w_1 \cos {f:g}w_2 + {k:g}\,\lVert w\rVert^2 + \cos(w_1 + w_2)",
        dim=2,
        domain=((-3.0, 3.0), (-3.0, 3.0)),
        _value=value,
        _grad=grad,
        _hessian=hessian,
        family="wavy_bowl",
        params={"f": f, "k": k},
    )


def plateau(width: float = 1.0) -> Surface:
    """``1 - exp(-|w|^2 / 2 width^2)``: one well in a plain whose gradient vanishes exponentially."""

    def value(x: Array) -> Array:
        return 1.0 - np.exp(-np.sum(x**2, axis=-1) / (2 * width**2))

    def grad(x: Array) -> Array:
        return x / width**2 * np.exp(-np.sum(x**2, axis=-1) / (2 * width**2))[..., None]

    def hessian(x: Array) -> Array:
        e = np.exp(-np.sum(x**2, axis=-1) / (2 * width**2))[..., None, None]
        eye = np.eye(x.shape[-1])
        return e / width**2 * (eye - x[..., :, None] * x[..., None, :] / width**2)

    return Surface(
        name="plateau",
        title="Plateau",
        latex=r"L(w) = 1 - e^{-\lVert w\rVert^2 / 2}",
        dim=2,
        domain=((-4.0, 4.0), (-4.0, 4.0)),
        _value=value,
        _grad=grad,
        _hessian=hessian,
        search_grid=9,
        family="plateau",
        params={"width": width},
    )


def ravine(name: str, title: str, angle_degrees: float) -> Surface:
    """``1/2 (u1^2 + 100 u2^2)`` in coordinates ``u`` turned by ``angle`` from ``w``: curvatures 1
    and 100. Turning it changes nothing for methods that treat all directions alike (gradient
    descent, momentum) and defeats the per-coordinate scaling of AdaGrad and RMSprop."""
    a = math.radians(angle_degrees)
    rotation = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    h = rotation @ np.diag([1.0, 100.0]) @ rotation.T
    h[np.abs(h) < 1e-12] = 0.0  # exact zeros for the axis-aligned ravine
    latex = (
        r"L(w) = \tfrac12 w_1^2 + 50\, w_2^2"
        if angle_degrees == 0
        else rf"L(w) = \tfrac12 u_1^2 + 50\, u_2^2,\ u = R_{{{angle_degrees:g}^\circ}}^\top w"
    )

    # Written out term by term rather than as a matrix product, whose summation order (and use of
    # fused multiply-adds) is the linear algebra library's choice: every machine, and the
    # browser's copy, then computes the same numbers.
    def grad(x: Array) -> Array:
        u, v = x[..., 0], x[..., 1]
        return np.stack([u * h[0, 0] + v * h[1, 0], u * h[0, 1] + v * h[1, 1]], -1)

    def value(x: Array) -> Array:
        g = grad(x)
        return 0.5 * (x[..., 0] * g[..., 0] + x[..., 1] * g[..., 1])

    return Surface(
        name=name,
        title=title,
        latex=latex,
        dim=2,
        domain=((-3.0, 3.0), (-3.0, 3.0)),
        _value=value,
        _grad=grad,
        _hessian=lambda x: np.broadcast_to(h, x.shape + (2,)).copy(),
        search_grid=5,
        family="ravine",
        params={"h": h.tolist()},
    )


SURFACES: dict[str, Callable[[], Surface]] = {
    "parabola": parabola,
    "bowl": lambda: quadratic("bowl", "Quadratic bowl", 1.0, 1.0, 3.0),
    "elongated_bowl": lambda: quadratic("elongated_bowl", "Elongated bowl", 1.0, 10.0, 3.0),
    "saddle": saddle,
    "rosenbrock": rosenbrock,
    "rastrigin": rastrigin,
    "wavy_bowl": wavy_bowl,
    "plateau": plateau,
    "ravine": lambda: ravine("ravine", "Ravine", 0.0),
    "rotated_ravine": lambda: ravine("rotated_ravine", "Rotated ravine", 45.0),
}


def get_surface(name: str) -> Surface:
    """The surface registered under ``name``; ``KeyError`` names the known ones."""
    try:
        return _cached(name)
    except KeyError:
        raise KeyError(f"unknown surface {name!r}; known: {', '.join(SURFACES)}") from None


_CACHE: dict[str, Surface] = {}


def _cached(name: str) -> Surface:
    if name not in _CACHE:
        _CACHE[name] = SURFACES[name]()
    return _CACHE[name]
