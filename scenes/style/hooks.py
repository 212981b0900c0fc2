"""The three places where the course changes how Manim works, all for speed, all installed when a
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
3. A frame held for a while (a wait with nothing moving) is turned from RGBA into the video's
   pixel format once, not once for every frame it is shown: the encoder gets the same frames,
   and each held frame costs about 2 of its 7 ms less (1280 x 720).
"""

from __future__ import annotations

from fractions import Fraction

import av
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.mobject.text import tex_mobject
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from style.tex_store import svg_for


def install() -> None:
    """Install all three (once, however often ``style`` is imported)."""
    tex_mobject.tex_to_svg_file = svg_for
    if not getattr(VMobjectFromSVGPath.generate_points, "forgets_path", False):
        VMobjectFromSVGPath.generate_points = _forgetting_path(VMobjectFromSVGPath.generate_points)
    if not getattr(VideoSegmentEncoder.write_frame, "converts_once", False):
        VideoSegmentEncoder.write_frame = _converting_once(VideoSegmentEncoder.write_frame)


def _forgetting_path(generate_points):
    def generate_points_once(self):
        generate_points(self)
        self.path_obj = None
        return self

    generate_points_once.forgets_path = True
    return generate_points_once


def _converting_once(write_frame):
    def write_frame_converted_once(self, pixels, *, repeat=1):
        if repeat == 1:
            return write_frame(self, pixels, repeat=1)
        self._validate_frame(pixels, repeat)
        # What the encoder would do to each copy (same size, its pixel format, default scaler).
        frame = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(format=self._stream.pix_fmt)
        frame.time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            for _ in range(repeat):
                frame.pts = self._next_pts  # the encoder keeps its own reference to the frame's data
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error

    write_frame_converted_once.converts_once = True
    return write_frame_converted_once
