"""The course's look: colours, font sizes, the TeX template, and text, formulas and legends.

Colour code (seed 001): red = gradient, yellow = current position, green = minimum. Each optimizer
is drawn in its registry colour (:func:`optimizer_look`), the same in every video, figure and the
playground. Sizes (seed 003): section titles 36, body 22-28, annotations 18-20, formulas 38-44;
titles sit ``buff >= 0.5`` from the edge.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    Dot,
    Line,
    MathTex,
    Text,
    TexTemplate,
    VGroup,
    config,
)

from descent.optim import Style, style_of
from descent.optim.schedules import SCHEDULES

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
# x264 at its "faster" preset, at the quality Manim asks for (crf 23): about half the encoding
# work of its "medium" default for frames as close to the drawn ones (over the momentum video,
# 48.6 dB PSNR against a lossless encode, 49.4 dB with "medium"; either is far beyond what an eye
# tells apart), and files a few percent smaller.
config.video_encoder_options = {"crf": "23", "preset": "faster"}


def optimizer_look(name: str) -> Style:
    """The registry's label and colour for optimizer ``name`` (any name gets one)."""
    return style_of(name)


def schedule_look(name: str) -> Style:
    """The registry's label and colour for learning-rate schedule ``name``."""
    return Style(SCHEDULES[name].label, SCHEDULES[name].colour, "circle")


def math(tex: str, font_size: float = FORMULA_SIZE, color=WHITE, **kwargs) -> MathTex:
    """A formula typeset with the course's TeX template."""
    return MathTex(tex, font_size=font_size, color=color, tex_template=TEX_TEMPLATE, **kwargs)


def text(words: str, font_size: float = BODY_SIZE, color=WHITE, **kwargs) -> Text:
    return Text(words, font_size=font_size, color=color, **kwargs)


def text_lines(*lines: str, font_size: float = NOTE_SIZE, color=WHITE, buff: float = 0.12) -> VGroup:
    """Lines of text one under the other, aligned on the left."""
    return VGroup(*(text(line, font_size=font_size, color=color) for line in lines)).arrange(
        DOWN, aligned_edge=LEFT, buff=buff
    )


def section_title(words: str) -> Text:
    """A section title at the top edge."""
    return text(words, font_size=TITLE_SIZE).to_edge(UP, buff=TITLE_BUFF)


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
