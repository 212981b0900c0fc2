"""The course's shared style for Manim scenes: a scene starts with ``from manim import *`` and
``from style import *`` (Manim puts the scene file's folder on ``sys.path``).

- :mod:`style.look`: colours (each optimizer's from the registry), font sizes, the TeX template,
  text, formulas and legends;
- :mod:`style.narration`: the narration that becomes each video's captions and description;
- :mod:`style.axes`: axes, level sets and marked points;
- :mod:`style.three_d`: checkerboard surfaces, lighting done once, text that stays readable in 3-D;
- :mod:`style.animation`: the patterns scenes share (title card, racing paths, step counter, a
  walk of recorded steps);
- :mod:`style.inputs`: the data the build hands a scene;
- :mod:`style.hooks`: formulas compiled once per course (:mod:`style.tex_store`, whose
  :func:`prepare` compiles the formulas a scene is about to make together) and light glyphs.
"""

from style import hooks
from style.animation import (
    arrow_between,
    fade_out_all,
    open_section,
    path_until,
    polyline,
    position_readout,
    racing_paths,
    run_title_card,
    step_arrow,
    step_counter,
    title_card,
    traced_path,
    walk_steps,
)
from style.axes import (
    contour_mobjects,
    contour_plane,
    loss_axes,
    marked_point,
    plane_axes,
    surface_axes,
    to_screen,
)
from style.inputs import inputs, one_run
from style.look import (
    BODY_SIZE,
    CONTOUR_HIGH,
    CONTOUR_LABEL,
    CONTOUR_LOW,
    CURVE,
    FORMULA_SIZE,
    GRADIENT,
    MINIMUM,
    MUTED,
    NOTE_SIZE,
    PATH,
    POSITION,
    TEX_TEMPLATE,
    fmt,
    legend,
    math,
    optimizer_look,
    schedule_look,
    section_title,
    tex_number,
    text,
    text_lines,
)
from style.narration import CAPTIONS_ENV, narrate, plain
from style.tex_store import prepare
from style.three_d import arrow_3d, bake_lighting, checkerboard_surface, face, fix, freeze_lighting

hooks.install()

__all__ = [
    "BODY_SIZE",
    "CAPTIONS_ENV",
    "CONTOUR_HIGH",
    "CONTOUR_LABEL",
    "CONTOUR_LOW",
    "CURVE",
    "FORMULA_SIZE",
    "GRADIENT",
    "MINIMUM",
    "MUTED",
    "NOTE_SIZE",
    "PATH",
    "POSITION",
    "TEX_TEMPLATE",
    "arrow_3d",
    "arrow_between",
    "bake_lighting",
    "checkerboard_surface",
    "contour_mobjects",
    "contour_plane",
    "face",
    "fade_out_all",
    "fix",
    "fmt",
    "freeze_lighting",
    "inputs",
    "legend",
    "loss_axes",
    "marked_point",
    "math",
    "narrate",
    "one_run",
    "open_section",
    "optimizer_look",
    "path_until",
    "plain",
    "plane_axes",
    "polyline",
    "position_readout",
    "prepare",
    "racing_paths",
    "run_title_card",
    "schedule_look",
    "section_title",
    "step_arrow",
    "step_counter",
    "surface_axes",
    "tex_number",
    "text",
    "text_lines",
    "title_card",
    "to_screen",
    "traced_path",
    "walk_steps",
]
