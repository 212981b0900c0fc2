"""Axes for a loss over one variable, over the parameter plane and in 3-D; level sets; marked points."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, RIGHT, UP, Axes, Dot, ThreeDAxes, VGroup, VMobject, interpolate_color

from descent.contours import contour_lines
from descent.surfaces import Surface
from style.look import BODY_SIZE, CONTOUR_HIGH, CONTOUR_LOW, MUTED, NOTE_SIZE, math


def loss_axes(
    x_range: Sequence[float],
    y_range: Sequence[float],
    x_length: float,
    y_length: float,
    labels: tuple[VMobject, VMobject] | None = None,
    decimals: int | None = None,
) -> tuple[Axes, VGroup]:
    """2-D axes for a loss over one variable with their labels, ``w`` and ``L(w)`` unless given,
    at the ends of the axes; tick numbers with ``decimals`` places if given."""
    numbers = {} if decimals is None else {"decimal_number_config": {"num_decimal_places": decimals}}
    axes = Axes(
        x_range=x_range,
        y_range=y_range,
        x_length=x_length,
        y_length=y_length,
        axis_config={
            "include_numbers": True,
            "font_size": NOTE_SIZE,
            "color": MUTED,
            "tip_width": 0.18,
            "tip_height": 0.18,
            **numbers,
        },
        tips=True,
    )
    if labels is None:
        labels = (math("w", font_size=BODY_SIZE + 4), math("L(w)", font_size=BODY_SIZE + 4))
    x_label, y_label = labels
    x_label.next_to(axes.x_axis.get_end(), DOWN, buff=0.25)
    y_label.next_to(axes.y_axis.get_end(), RIGHT, buff=0.2)
    return axes, VGroup(x_label, y_label)


def plane_axes(
    bounds: Sequence[tuple[float, float]], unit: float, step: float = 1.0, decimals: int = 0
) -> tuple[Axes, VGroup]:
    """Axes over the parameter plane ``(w_1, w_2)`` at ``unit`` screen units per unit of ``w``."""
    (x0, x1), (y0, y1) = bounds
    axes = Axes(
        x_range=[x0, x1, step],
        y_range=[y0, y1, step],
        x_length=(x1 - x0) * unit,
        y_length=(y1 - y0) * unit,
        axis_config={
            "include_numbers": True,
            "font_size": NOTE_SIZE - 2,
            "color": MUTED,
            "decimal_number_config": {"num_decimal_places": decimals},
        },
        tips=False,
    )
    labels = VGroup(
        math("w_1", font_size=BODY_SIZE + 4).next_to(axes.x_axis.get_end(), RIGHT, buff=0.2),
        math("w_2", font_size=BODY_SIZE + 4).next_to(axes.y_axis.get_end(), UP, buff=0.2),
    )
    return axes, labels


def contour_plane(
    surface: Surface,
    bounds: Sequence[tuple[float, float]],
    unit: float,
    levels: Sequence[float],
    n: int = 200,
    stroke_width: float = 2.5,
) -> VGroup:
    """Axes over ``bounds``, their labels and the level sets of ``surface``: one group, moved as
    one (``axes, labels, contours = plane``)."""
    axes, labels = plane_axes(bounds, unit)
    lines = contour_lines(surface, levels, n=n, bounds=bounds)
    return VGroup(axes, labels, contour_mobjects(axes, lines, stroke_width=stroke_width))


def surface_axes(
    bounds: Sequence[tuple[float, float]], z_range: Sequence[float], lengths=(6.0, 6.0, 4.0)
) -> tuple[ThreeDAxes, VGroup]:
    """3-D axes over ``(w_1, w_2)`` with the loss ``L`` up, and their labels."""
    (x0, x1), (y0, y1) = bounds
    axes = ThreeDAxes(
        x_range=[x0, x1, 1],
        y_range=[y0, y1, 1],
        z_range=z_range,
        x_length=lengths[0],
        y_length=lengths[1],
        z_length=lengths[2],
        axis_config={"color": MUTED},
    )
    labels = VGroup(
        math("w_1", font_size=BODY_SIZE + 8).move_to(axes.c2p(x1 * 1.25, 0, 0)),
        math("w_2", font_size=BODY_SIZE + 8).move_to(axes.c2p(0, y1 * 1.25, 0)),
        math("L", font_size=BODY_SIZE + 8).move_to(axes.c2p(0, 0, z_range[1] * 1.1)),
    )
    return axes, labels


def to_screen(axes: Axes, points: np.ndarray) -> np.ndarray:
    """Scene points ``[k, 3]`` for parameter points ``[k, 2]``."""
    points = np.asarray(points, dtype=float)
    return np.asarray(axes.c2p(points[:, 0], points[:, 1])).T.reshape(-1, 3)


def contour_mobjects(axes: Axes, lines: dict[float, list[np.ndarray]], stroke_width: float = 2.5) -> VGroup:
    """One ``VGroup`` of polylines per level (from ``descent.contours``), coloured low to high."""
    levels = sorted(lines)
    groups = VGroup()
    for i, level in enumerate(levels):
        colour = interpolate_color(CONTOUR_LOW, CONTOUR_HIGH, i / max(len(levels) - 1, 1))
        group = VGroup()
        for line in lines[level]:
            mob = VMobject(stroke_color=colour, stroke_width=stroke_width)
            mob.set_points_as_corners(to_screen(axes, line))
            group.add(mob)
        groups.add(group)
    return groups


def marked_point(
    axes: Axes,
    w: Sequence[float],
    colour,
    tex: str,
    direction: np.ndarray,
    radius: float = 0.08,
    buff: float = 0.06,
    font_size: float = BODY_SIZE + 2,
) -> VGroup:
    """A dot at parameter point ``w`` and its formula label (``w^*``, ``w_0``) beside it, on a dark
    background so that level lines do not run through it: ``VGroup(dot, label)``."""
    dot = Dot(to_screen(axes, [w])[0], color=colour, radius=radius)
    label = math(tex, font_size=font_size, color=colour).next_to(dot, direction, buff=buff)
    return VGroup(dot, label.add_background_rectangle(opacity=0.8))
