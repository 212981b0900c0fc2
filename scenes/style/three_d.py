"""3-D helpers: checkerboard surfaces, lighting done once instead of every frame, and text that
stays flat on the screen (or faces the camera) while the camera turns."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    Arrow3D,
    Cone,
    Scene,
    ThreeDAxes,
    VGroup,
    VMobject,
    get_3d_vmob_end_corner,
    get_3d_vmob_end_corner_unit_normal,
    get_3d_vmob_start_corner,
    get_3d_vmob_start_corner_unit_normal,
    get_shaded_rgb,
    rgb_to_color,
)
from manim import Surface as ManimSurface

from descent.surfaces import Surface
from style.look import CHECKERBOARD


def fix(scene: Scene, *mobs: VMobject) -> None:
    """Keep ``mobs`` flat on the screen while a 3-D scene's camera turns (not shown until played)."""
    for mob in mobs:
        scene.add_fixed_in_frame_mobjects(mob)
        scene.remove(mob)


def face(scene: Scene, *mobs: VMobject, moving: bool = False) -> None:
    """Keep ``mobs`` (labels at 3-D points) turned towards the camera (not shown until played).

    The camera turns each about its centre. Manim finds that centre again on every frame, for
    every glyph, over the whole label: for mobjects that stay where they are (all but those
    ``moving``) it is found once here instead."""
    for mob in mobs:
        scene.add_fixed_orientation_mobjects(mob, use_static_center_func=not moving)
        scene.remove(mob)


def arrow_3d(
    start, end, colour, thickness: float, height: float, base_radius: float, sides: int = 16
) -> Arrow3D:
    """A 3-D arrow whose tip is a cone of ``sides`` flat faces. Manim's ``Arrow3D`` makes its tip of
    32 x 32 faces whatever its resolution, and cairo draws each one on every frame: over a thousand
    faces for a tip a few pixels wide."""
    arrow = Arrow3D(
        start, end, color=colour, thickness=thickness, height=height, base_radius=base_radius, resolution=6
    )
    tip = Cone(direction=arrow.direction, base_radius=base_radius, height=height, resolution=(1, sides))
    arrow.remove(arrow.cone)
    arrow.cone = tip.shift(np.asarray(end, dtype=float))
    arrow.add(arrow.cone)
    return arrow.set_color(colour)


def checkerboard_surface(
    axes: ThreeDAxes,
    surface: Surface,
    resolution: int = 26,
    bounds: Sequence[tuple[float, float]] | None = None,
    opacity: float = 0.8,
) -> ManimSurface:
    """The engine surface over ``bounds`` (default: its domain) in two checkerboard colours.

    Faces have no outline: the two colours already show the grid, and strokes double the cost of
    every frame (cairo draws each face separately).
    """
    (x0, x1), (y0, y1) = bounds if bounds is not None else surface.domain
    return ManimSurface(
        lambda u, v: axes.c2p(u, v, float(surface.value(np.array([u, v])))),
        u_range=[x0, x1],
        v_range=[y0, y1],
        resolution=(resolution, resolution),
        checkerboard_colors=list(CHECKERBOARD),
        fill_opacity=opacity,
        stroke_width=0,
    )


def freeze_lighting(scene: Scene, axes: ThreeDAxes, *meshes: VGroup) -> None:
    """Light static 3-D objects once instead of on every frame: they look the same, and a frame
    costs about a quarter as much.

    On every frame cairo's 3-D camera lights each face from the light source, finds each piece's
    centre to sort by depth, and shades each of the axes' ~80 pieces with a gradient spanning the
    whole axis. For objects that stay put none of it changes while only the camera turns (the
    light is fixed in the scene), so it is done here once. The camera's own lighting is switched
    off for the rest of the scene (use :func:`bake_lighting` on 3-D objects made later); the axes
    lose only their faint shading. Where each piece's outline breaks into separate paths is also
    found once (:func:`_fixed_subpaths`).
    """
    bake_lighting(scene, *meshes)
    for mesh in meshes:
        for face in mesh.family_members_with_points():
            face.get_z_index_reference_point = _constant(face.get_center())
            _fixed_subpaths(face)
    for axis in axes:
        ends = (axis.get_edge_center(-axes.light_source), axis.get_edge_center(axes.light_source))
        for piece in axis.family_members_with_points():
            piece.get_gradient_start_and_end_points = _constant(ends)
            piece.get_z_index_reference_point = _constant(piece.get_center())
            _fixed_subpaths(piece)


def _fixed_subpaths(piece: VMobject) -> None:
    """Find once where ``piece``'s outline breaks into separate paths (where one curve does not
    start at the last one's end), instead of comparing every anchor on every frame. Turning the
    camera moves the points, not where they meet; a piece drawn only in part (while it is being
    created) has fewer points and is measured as usual."""
    measure = piece.get_subpath_split_indices_from_points
    whole, splits = len(piece.points), measure(piece.points)
    piece.get_subpath_split_indices_from_points = lambda points, n_dims=3: (
        splits if len(points) == whole else measure(points, n_dims)
    )


def bake_lighting(scene: Scene, *mobjects: VGroup) -> None:
    """Give each face of ``mobjects`` its lit colour (the mean of its two lit corners) and switch
    the camera's per-frame lighting off; right for objects that may move but never turn."""
    scene.camera.should_apply_shading = False
    light = scene.camera.light_source.get_center()
    for mob in mobjects:
        for face in mob.family_members_with_points():
            rgba = face.get_fill_rgbas()[0]
            lit = [
                get_shaded_rgb(rgba[:3].copy(), corner(face), normal(face), light)
                for corner, normal in (
                    (get_3d_vmob_start_corner, get_3d_vmob_start_corner_unit_normal),
                    (get_3d_vmob_end_corner, get_3d_vmob_end_corner_unit_normal),
                )
            ]
            face.set_fill(rgb_to_color(np.mean(lit, axis=0)), opacity=rgba[3])


def _constant(value):
    """A method that returns ``value``: it replaces one that would recompute it every frame."""
    return lambda: value
