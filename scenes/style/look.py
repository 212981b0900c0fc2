"""The course's shared look for Manim scenes: colours, font sizes, the TeX template and helpers,
and the narration (:func:`narrate`) that becomes each video's captions and text description.

Colour code (seed 001): red = gradient, yellow = current position, green = minimum. Sizes (seed
003): section titles 36, body 22-28, annotations 18-20, formulas 38-44; titles sit ``buff >= 0.5``
from the edge. Scenes import this module as ``style``: Manim puts a scene file's folder on
``sys.path`` before loading it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from manim import (
    BLUE_B,
    BLUE_D,
    BLUE_E,
    DOWN,
    GREEN,
    LEFT,
    ORIGIN,
    RED,
    RIGHT,
    UP,
    WHITE,
    YELLOW,
    Arrow,
    Axes,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Scene,
    Text,
    TexTemplate,
    ThreeDAxes,
    VGroup,
    VMobject,
    Write,
    config,
    get_3d_vmob_end_corner,
    get_3d_vmob_end_corner_unit_normal,
    get_3d_vmob_start_corner,
    get_3d_vmob_start_corner_unit_normal,
    get_shaded_rgb,
    interpolate_color,
    rgb_to_color,
)
from manim import Surface as ManimSurface

from descent.surfaces import Surface

# Colours.
GRADIENT = RED
POSITION = YELLOW
MINIMUM = GREEN
PATH = YELLOW
CURVE = BLUE_D
CHECKERBOARD = (BLUE_D, BLUE_E)
CONTOUR_LOW, CONTOUR_HIGH = BLUE_E, BLUE_B  # inner (low) level lines darker than outer ones
CONTOUR_LABEL = "#C8D8F0"
MUTED = "#A0A0A0"

# Font sizes.
TITLE_SIZE = 36
BODY_SIZE = 26
NOTE_SIZE = 20
FORMULA_SIZE = 40
TITLE_BUFF = 0.6

# Debian's texlive-latex-base has no `standalone` class (manim's default); `article` with the
# `preview` package crops each expression to its box just the same.
TEX_TEMPLATE = TexTemplate(description="article + preview (texlive-latex-base)")
TEX_TEMPLATE.body = "\n".join(
    [
        r"\documentclass{article}",
        r"\usepackage{amsmath}",
        r"\usepackage{amssymb}",
        r"\usepackage[active,tightpage]{preview}",
        r"\begin{document}",
        r"\begin{preview}",
        TEX_TEMPLATE.placeholder_text,
        r"\end{preview}",
        r"\end{document}",
    ]
)
# Numbers on axes (DecimalNumber) are typeset with the global template, so set it too.
config.tex_template = TEX_TEMPLATE


def math(tex: str, font_size: float = FORMULA_SIZE, color=WHITE, **kwargs) -> MathTex:
    """A formula typeset with the course's TeX template."""
    return MathTex(tex, font_size=font_size, color=color, tex_template=TEX_TEMPLATE, **kwargs)


def text(words: str, font_size: float = BODY_SIZE, color=WHITE, **kwargs) -> Text:
    return Text(words, font_size=font_size, color=color, **kwargs)


def section_title(words: str) -> Text:
    """A section title at the top edge."""
    return text(words, font_size=TITLE_SIZE).to_edge(UP, buff=TITLE_BUFF)


def fix(scene: Scene, *mobs: VMobject) -> None:
    """Keep ``mobs`` flat on the screen while a 3-D scene's camera turns (not shown until played)."""
    for mob in mobs:
        scene.add_fixed_in_frame_mobjects(mob)
        scene.remove(mob)


def face(scene: Scene, *mobs: VMobject) -> None:
    """Keep ``mobs`` (labels at 3-D points) turned towards the camera (not shown until played)."""
    for mob in mobs:
        scene.add_fixed_orientation_mobjects(mob)
        scene.remove(mob)


def legend(items: Sequence[tuple[str, str, str]], font_size: float = NOTE_SIZE) -> VGroup:
    """A legend of ``(label, colour, sample)`` rows; ``sample`` is "line", "arrow" or "dot"."""
    rows = VGroup()
    for label, colour, sample in items:
        if sample == "dot":
            mark = VGroup(Line(ORIGIN, RIGHT * 0.5, stroke_opacity=0), Dot(RIGHT * 0.25))
            mark[1].set_color(colour)
        elif sample == "arrow":
            mark = Arrow(ORIGIN, RIGHT * 0.5, buff=0, color=colour, stroke_width=4)
            mark.set(max_tip_length_to_length_ratio=0.35)
        else:
            mark = Line(ORIGIN, RIGHT * 0.5, color=colour, stroke_width=4)
        words = text(label, font_size=font_size, color=colour).next_to(mark, RIGHT, buff=0.15)
        rows.add(VGroup(mark, words))
    return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.2)


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
    lose only their faint shading.
    """
    bake_lighting(scene, *meshes)
    for mesh in meshes:
        for face in mesh.family_members_with_points():
            face.get_z_index_reference_point = _constant(face.get_center())
    for axis in axes:
        ends = (axis.get_edge_center(-axes.light_source), axis.get_edge_center(axes.light_source))
        for piece in axis.family_members_with_points():
            piece.get_gradient_start_and_end_points = _constant(ends)
            piece.get_z_index_reference_point = _constant(piece.get_center())


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


def step_arrow(axes: Axes, start: np.ndarray, step: np.ndarray) -> Arrow:
    """A red arrow from parameter point ``start`` to ``start + step`` (e.g. a step −η∇L)."""
    a, b = to_screen(axes, np.array([start, np.asarray(start) + step]))
    return Arrow(a, b, buff=0, color=GRADIENT, stroke_width=5, max_tip_length_to_length_ratio=0.3)


def play_title_card(scene: Scene, heading: str, run, fixed_in_frame: bool = False) -> None:
    """The opening section of every scene: its question, then the loss, learning rate and number
    of steps of the run it shows, all read from the run's recipe."""
    title = text(heading, font_size=44)
    sub = math(
        rf"{run.surface.latex}, \quad \eta = {run.recipe['hyperparameters']['lr']:g}, \quad "
        rf"{run.trajectory.steps}\text{{ steps}}",
        font_size=FORMULA_SIZE - 4,
    )
    card = VGroup(title, sub).arrange(DOWN, buff=0.5)
    if fixed_in_frame:  # a 3-D scene: keep the card flat on the screen while the camera turns
        fix(scene, card)
    scene.play(Write(title), run_time=1)
    scene.play(FadeIn(sub, shift=UP * 0.2), run_time=0.7)
    scene.wait(0.8)
    fade_out_all(scene, run_time=0.6)


def fade_out_all(scene: Scene, run_time: float = 0.8) -> None:
    """End a section: fade out everything on screen (fixed-in-frame mobjects included)."""
    for mobject in scene.mobjects:
        mobject.clear_updaters()
    if scene.mobjects:
        scene.play(*(FadeOut(m) for m in scene.mobjects), run_time=run_time)
    scene.clear()


def tex_number(x: float, digits: int = 3) -> str:
    """A value for a formula: fixed point, or ``a \\times 10^{b}`` once it is below 0.01."""
    if x == 0 or abs(x) >= 0.01:
        return fmt(x, digits)
    exponent = int(np.floor(np.log10(abs(x))))
    return rf"{x / 10**exponent:.1f} \times 10^{{{exponent}}}"


def fmt(x: float, digits: int = 2) -> str:
    """A number for a label, without a ``-0.00``."""
    value = round(float(x), digits)
    return f"{value + 0.0:.{digits}f}"


# Captions: each scene narrates what it shows; the video producer turns the cues into WebVTT.

CAPTIONS_ENV = "DESCENT_CAPTIONS"


def narrate(scene: Scene, words: str) -> None:
    """A caption cue from now (the time the scene has played so far) until the next cue.

    The cues go to the JSON file named by ``$DESCENT_CAPTIONS`` when it is set, rewritten on
    every cue so that it is complete however the render ends; a plain preview only keeps them.
    """
    words = " ".join(words.split())
    if not words:
        raise ValueError("a caption cue needs words")
    cues = scene.__dict__.setdefault("narration", [])
    cues.append({"start": float(scene.renderer.time), "text": words})
    path = os.environ.get(CAPTIONS_ENV)
    if path:
        Path(path).write_text(json.dumps(cues, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


SUBSCRIPT = dict(zip("0123456789i", "₀₁₂₃₄₅₆₇₈₉ᵢ", strict=True))
SUPERSCRIPT = dict(zip("0123456789−ᵀ°", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᵀ°", strict=True))
# TeX's control words in the surfaces' formulas and in tex_number, as text; a control word
# swallows one space after it, as in TeX.
TEX_WORDS = {
    "top": "ᵀ",
    "circ": "°",
    "lVert": "‖",
    "rVert": "‖",
    "left": "",
    "right": "",
    "sin": " sin ",
    "cos": " cos ",
    "sum": "Σ",
    "pi": "π",
    "quad": " ",
    "times": " × ",
}


def plain(tex: str) -> str:
    """A formula of the course's surfaces (``Surface.latex``) or a :func:`tex_number` as plain
    text for captions: ``w_1^2 + 10\\,w_2^2`` reads ``w₁² + 10 w₂²``."""

    def word(match: re.Match) -> str:
        if match.group(1) not in TEX_WORDS:
            raise ValueError(f"no plain text for \\{match.group(1)} in {tex!r}")
        return TEX_WORDS[match.group(1)]

    def script(table: dict[str, str], mark: str):
        def replace(match: re.Match) -> str:
            body = match.group(1)
            if all(c in table for c in body):
                return "".join(table[c] for c in body)
            return f"{mark}({body.replace(' ', '')})"

        return replace

    out = tex.replace(r"\tfrac12", "½").replace(r"\,", " ").replace(r"\ ", " ").replace("-", "−")
    out = re.sub(r"\\([a-zA-Z]+) ?", word, out)
    for body in (r"(\w|°)", r"\{([^{}]*)\}"):  # single characters first, as in e^{-w^2}
        out = re.sub("_" + body, script(SUBSCRIPT, "_"), out)
        out = re.sub(r"\^" + body, script(SUPERSCRIPT, "^"), out)
    return " ".join(out.split())
