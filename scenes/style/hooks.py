"""The two places where the course changes how Manim works, both for speed, both installed when a
scene imports ``style``. Each replaces one name Manim looks up at run time, so every scene, and
every formula or glyph Manim makes on its own (axis numbers, counters), goes through it; nothing
else in Manim is touched.

1. Formulas come from the artifact store (:mod:`style.tex_store`): ``tex_mobject`` calls
   ``tex_to_svg_file`` by the name it imported, so that name is pointed at
   :func:`style.tex_store.svg_for`, which has the same signature. Subclassing ``MathTex`` instead
   would miss the numbers Manim typesets itself.
2. A glyph forgets its parsed SVG path once its points are made. Each glyph of a ``Text`` or
   ``MathTex`` (a ``VMobjectFromSVGPath``) keeps the path it was built from, although only its
   constructor reads it; every copy (each fade, write, transform or counter update copies)
   deep-copies it, which made a copy about ten times dearer.
"""

from __future__ import annotations

from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.mobject.text import tex_mobject

from style.tex_store import svg_for


def install() -> None:
    """Install both (once, however often ``style`` is imported)."""
    tex_mobject.tex_to_svg_file = svg_for
    if not getattr(VMobjectFromSVGPath.generate_points, "forgets_path", False):
        VMobjectFromSVGPath.generate_points = _forgetting_path(VMobjectFromSVGPath.generate_points)


def _forgetting_path(generate_points):
    def generate_points_once(self):
        generate_points(self)
        self.path_obj = None
        return self

    generate_points_once.forgets_path = True
    return generate_points_once
