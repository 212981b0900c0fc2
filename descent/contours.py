"""Contour lines of a 2-D surface by marching squares, joined into polylines.

Renderers draw level sets from these polylines instead of hand-placing ellipses, so the lines
on screen are the surface's own. Pure numpy: no Manim, no Plotly.

Each crossing of a level is found on a grid *edge* by linear interpolation and keyed by that
edge, so the two cells sharing an edge share the crossing exactly; joining segments is then a
walk over a graph whose nodes are edges. Open lines end where the level meets the boundary of
the grid; closed loops repeat their first point at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from descent.surfaces import Surface

Polyline = np.ndarray  # [k, 2] points (x, y); closed loops end with their first point


def contour_lines(
    surface: Surface,
    levels: Iterable[float],
    n: int = 200,
    bounds: Sequence[tuple[float, float]] | None = None,
) -> dict[float, list[Polyline]]:
    """Level sets of a 2-D ``surface`` on an ``n`` x ``n`` grid over ``bounds`` (default: domain).

    Returns ``{level: [polyline, ...]}``; a level the surface never reaches maps to ``[]``.
    """
    if surface.dim != 2:
        raise ValueError(f"contours need a 2-D surface, {surface.name} has dim {surface.dim}")
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    (x0, x1), (y0, y1) = bounds if bounds is not None else surface.domain
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    gx, gy = np.meshgrid(xs, ys, indexing="xy")
    z = surface.value(np.stack([gx, gy], axis=-1))
    return grid_contours(xs, ys, z, levels)


def grid_contours(
    xs: np.ndarray, ys: np.ndarray, z: np.ndarray, levels: Iterable[float]
) -> dict[float, list[Polyline]]:
    """Level sets of values ``z[len(ys), len(xs)]`` sampled at ``z[i, j] = f(xs[j], ys[i])``."""
    xs, ys, z = np.asarray(xs, float), np.asarray(ys, float), np.asarray(z, float)
    if z.shape != (len(ys), len(xs)):
        raise ValueError(f"z must be shaped (len(ys), len(xs)) = {(len(ys), len(xs))}, got {z.shape}")
    return {float(level): level_polylines(xs, ys, z, float(level)) for level in levels}


def level_polylines(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, level: float) -> list[Polyline]:
    """The polylines where ``z`` crosses ``level``: open ones first, then closed loops."""
    points, segments = _segments(xs, ys, z, level)
    lines = []
    for chain in _join(segments):
        line = _dedupe(points[chain])
        if chain[0] == chain[-1] and not np.array_equal(line[0], line[-1]):
            line = np.concatenate([line, line[:1]])
        lines.append(line)
    return lines


def is_closed(line: Polyline) -> bool:
    """Whether a polyline from :func:`contour_lines` is a closed loop."""
    return len(line) > 2 and bool(np.array_equal(line[0], line[-1]))


def _segments(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, level: float):
    """Crossing points per grid edge and the segments (pairs of edge ids) that join them.

    Edge ids: horizontal edge ``(i, j)-(i, j+1)`` is ``i * (nx - 1) + j``; vertical edge
    ``(i, j)-(i+1, j)`` is ``H + i * nx + j`` with ``H`` the number of horizontal edges.
    """
    ny, nx = z.shape
    finite = np.isfinite(z)
    high = np.where(finite, z >= level, False)
    n_h = ny * (nx - 1)
    points = np.full((n_h + (ny - 1) * nx, 2), np.nan)

    # Horizontal edges: crossings between z[i, j] and z[i, j + 1].
    a, b = z[:, :-1], z[:, 1:]
    cross_h = (high[:, :-1] != high[:, 1:]) & finite[:, :-1] & finite[:, 1:]
    i, j = np.nonzero(cross_h)
    t = (level - a[i, j]) / (b[i, j] - a[i, j])
    points[i * (nx - 1) + j] = np.stack([xs[j] + t * (xs[j + 1] - xs[j]), ys[i]], axis=-1)

    # Vertical edges: crossings between z[i, j] and z[i + 1, j].
    a, b = z[:-1, :], z[1:, :]
    cross_v = (high[:-1, :] != high[1:, :]) & finite[:-1, :] & finite[1:, :]
    i, j = np.nonzero(cross_v)
    t = (level - a[i, j]) / (b[i, j] - a[i, j])
    points[n_h + i * nx + j] = np.stack([xs[j], ys[i] + t * (ys[i + 1] - ys[i])], axis=-1)

    # Cells (i, j) with corners z[i, j], z[i, j+1], z[i+1, j+1], z[i+1, j]; skip non-finite ones.
    ci, cj = np.meshgrid(np.arange(ny - 1), np.arange(nx - 1), indexing="ij")
    ok = finite[:-1, :-1] & finite[:-1, 1:] & finite[1:, 1:] & finite[1:, :-1]
    # The cell's four edges in order bottom, right, top, left, as ids and crossing flags.
    ids = np.stack(
        [
            ci * (nx - 1) + cj,
            n_h + ci * nx + cj + 1,
            (ci + 1) * (nx - 1) + cj,
            n_h + ci * nx + cj,
        ],
        axis=-1,
    )
    crossed = np.stack([cross_h[:-1, :], cross_v[:, 1:], cross_h[1:, :], cross_v[:, :-1]], axis=-1)
    count = crossed.sum(axis=-1)

    # Two crossings: one segment between them.
    two = ok & (count == 2)
    pair = ids[two][crossed[two]].reshape(-1, 2)

    # Four crossings (a saddle cell): the value at the centre decides which corners connect.
    four = ok & (count == 4)
    e = ids[four]
    centre = (z[:-1, :-1] + z[:-1, 1:] + z[1:, 1:] + z[1:, :-1])[four] / 4.0
    bl_high = high[:-1, :-1][four]
    # The lines cut off the two corners on the other side of the level than the centre:
    # bottom-left and top-right, or bottom-right and top-left.
    cut_bl = bl_high != (centre >= level)
    saddle = np.where(
        cut_bl[:, None],
        np.stack([e[:, 0], e[:, 3], e[:, 1], e[:, 2]], axis=-1),
        np.stack([e[:, 0], e[:, 1], e[:, 2], e[:, 3]], axis=-1),
    ).reshape(-1, 2)
    return points, np.concatenate([pair, saddle]).astype(np.int64)


def _join(segments: np.ndarray) -> list[list[int]]:
    """Chains of edge ids: every edge id is in at most two segments, so chains never branch."""
    neighbours: dict[int, list[int]] = {}
    for a, b in segments.tolist():
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)

    seen: set[int] = set()

    def walk(start: int) -> list[int]:
        chain, previous, node = [start], None, start
        seen.add(start)
        while True:
            nxt = [m for m in neighbours[node] if m != previous and m not in seen]
            if not nxt:
                # A loop closes when the walk comes back to where it started.
                if len(chain) > 2 and start in neighbours[node]:
                    chain.append(start)
                return chain
            previous, node = node, nxt[0]
            seen.add(node)
            chain.append(node)

    # Open lines start at a boundary edge (one neighbour); what is left are closed loops.
    chains = [walk(k) for k, m in neighbours.items() if len(m) == 1 and k not in seen]
    chains += [walk(k) for k in neighbours if k not in seen]
    return chains


def _dedupe(line: np.ndarray) -> np.ndarray:
    """Drop consecutive repeated points (a level through a grid vertex crosses two edges there)."""
    keep = np.ones(len(line), dtype=bool)
    keep[1:] = np.any(line[1:] != line[:-1], axis=-1)
    return line[keep]
