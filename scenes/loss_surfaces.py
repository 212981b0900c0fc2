"""Loss surfaces: a convex bowl, a non-convex surface with local minima, a saddle, and contour lines.

Reads the sampled surfaces the build hands it, in the order the spec lists them: a bowl, a wavy
bowl, a saddle and an elongated bowl. Surfaces are drawn from the engine's ``value``; every
marked point is a critical point the engine found (Newton's method on the gradient, classified by
the Hessian's eigenvalues); level sets come from ``descent.contours``.
Preview: ``manim -ql scenes/loss_surfaces.py LossSurfaces``.
"""

from manim import *
from style import *

from descent.contours import contour_lines

RESOLUTION = 18  # checkerboard cells per side: enough to read the shape, cheap enough to render
ROTATION_RATE = 0.13  # rad/s of ambient camera rotation (the course's limit is 0.15)
LOCAL_MINIMUM = ORANGE  # green is kept for the global minimum, yellow for a current position
SADDLE_POINT = PINK
PIN = 0.6  # the minima of the wavy bowl are labelled on pins this tall, above the surface
# The elongated bowl is shown over the central band of w_2, where its level sets close.
BAND = 1.5
LEVELS = (0.5, 1.0, 2.0, 4.0, 8.0)  # doubling levels
# Level labels: on which end of its ellipse (where it crosses the w_1 axis) each label sits.
LABELLED = {1.0: RIGHT, 2.0: LEFT, 4.0: RIGHT, 8.0: LEFT}


class LossSurfaces(ThreeDScene):
    """Four surfaces, one per section: each is drawn, turned slowly, its critical points marked."""

    def construct(self):
        self.bowl, self.wavy, self.saddle, self.elongated = inputs(self).load_all()

        self.title()
        self.the_bowl()
        self.the_wavy_bowl()
        self.the_saddle()
        self.the_contours()

    # Helpers ---------------------------------------------------------------------------------

    def stage(self, sampled, lengths, view, bounds=None, z_range=None):
        """Labelled axes and the checkerboard surface of ``sampled`` over ``bounds``, and the camera
        where ``view`` (phi, theta in degrees, zoom, frame centre) puts it."""
        bounds = bounds if bounds is not None else sampled.surface.domain
        if z_range is None:
            z_range = [float(np.floor(sampled.z.min())), float(np.ceil(sampled.z.max())), 1]
        axes, labels = surface_axes(bounds, z_range, lengths=lengths)
        mesh = checkerboard_surface(axes, sampled.surface, RESOLUTION, bounds=bounds)
        freeze_lighting(self, axes, mesh)
        phi, theta, zoom, centre = view
        self.set_camera_orientation(phi=phi * DEGREES, theta=theta * DEGREES, zoom=zoom, frame_center=centre)
        return axes, labels, mesh

    def show_stage(self, axes, labels, mesh, heading, formula):
        """Heading, axes and labels, then the surface while the camera starts turning."""
        fix(self, heading, formula)
        face(self, *labels)
        self.play(Write(heading), run_time=0.8)
        self.play(Create(axes), FadeIn(labels), run_time=1.0)
        self.begin_ambient_camera_rotation(rate=ROTATION_RATE)
        self.play(Create(mesh), Write(formula), run_time=2.0)

    def marker(self, axes, point, colour, radius=0.09):
        """A dot at a critical point on the surface, drawn over it."""
        dot = Dot(axes.c2p(point.point[0], point.point[1], point.value), radius=radius, color=colour)
        face(self, dot)
        return dot

    def on_screen(self, axes, point):
        """Where a critical point is on the screen now; on the L axis, it stays there as the
        camera turns about that axis."""
        where = self.camera.project_point(np.asarray(axes.c2p(point.point[0], point.point[1], point.value)))
        return np.array([where[0], where[1], 0.0])

    def end_section(self):
        self.stop_ambient_camera_rotation()
        fade_out_all(self)

    # Sections --------------------------------------------------------------------------------

    def title(self):
        words = "the landscape an optimizer walks on, with bowls, bumps and saddles"
        title_card(self, "Loss surfaces", text(words), then=f"{words}.", fixed_in_frame=True)

    def the_bowl(self):
        """A convex bowl from several angles, then the one minimum the engine found."""
        sampled = self.bowl
        top = float(np.ceil(sampled.z.max()))
        axes, labels, mesh = self.stage(
            sampled, (6, 6, 3.2), (62, -130, 0.82, OUT * 1.3), z_range=[0, top, top / 6]
        )

        heading = section_title("A convex bowl")
        formula = math(sampled.surface.latex, font_size=FORMULA_SIZE)
        formula.to_corner(UL, buff=0.5).shift(DOWN * 0.9)
        note = text_lines(
            "Convex: it curves up in every direction,",
            "so every downhill path ends at one point.",
        )
        note.to_corner(DL, buff=0.5)
        narrate(
            self,
            f"A convex bowl, {plain(sampled.surface.latex)}, seen as the camera turns. Convex: it "
            "curves up in every direction, so every downhill path ends at one point.",
        )
        self.show_stage(axes, labels, mesh, heading, formula)
        fix(self, note)
        self.play(FadeIn(note), run_time=0.6)
        self.wait(4.0)

        w_star = next(c for c in sampled.critical_points if c.kind == "minimum")
        dot = self.marker(axes, w_star, MINIMUM, radius=0.1)
        label = math(r"w^*", font_size=BODY_SIZE + 10, color=MINIMUM)
        label.add_background_rectangle(opacity=0.75, buff=0.05)
        label.next_to(self.on_screen(axes, w_star), UR, buff=0.12)
        fix(self, label)
        readout = VGroup(
            text("minimum", font_size=BODY_SIZE, color=MINIMUM),
            math(rf"w^* = ({fmt(w_star.point[0])},\ {fmt(w_star.point[1])})", font_size=BODY_SIZE + 6),
            math(rf"L(w^*) = {fmt(w_star.value)}", font_size=BODY_SIZE + 6),
            math(r"\nabla L(w^*) = 0", font_size=BODY_SIZE + 6),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        readout.to_edge(RIGHT, buff=0.5).shift(DOWN * 0.6)
        fix(self, readout)
        narrate(
            self,
            f"That point is the minimum the engine found: w* = ({fmt(w_star.point[0])}, "
            f"{fmt(w_star.point[1])}), where L = {fmt(w_star.value)} and the gradient is zero.",
        )
        self.play(FadeIn(dot, scale=2), FadeIn(label), run_time=0.8)
        self.play(FadeIn(readout, shift=UP * 0.2), run_time=0.8)
        self.wait(3.0)
        self.end_section()

    def the_wavy_bowl(self):
        """A non-convex surface: every minimum the engine found, the global one in green."""
        sampled = self.wavy
        axes, labels, mesh = self.stage(sampled, (6, 6, 3), (52, -105, 0.78, OUT * 0.9))

        heading = section_title("A non-convex surface: many minima")
        formula = math(sampled.surface.latex, font_size=FORMULA_SIZE - 8)
        formula.next_to(heading, DOWN, buff=0.3)
        kinds = [c.kind for c in sampled.critical_points]
        minima = [c for c in sampled.critical_points if c.kind == "minimum"]  # sorted: global first
        saddles = [c for c in sampled.critical_points if c.kind == "saddle"]
        key = legend(
            [
                ("global minimum", MINIMUM, "dot"),
                ("local minimum", LOCAL_MINIMUM, "dot"),
                ("saddle point", SADDLE_POINT, "dot"),
            ]
        )
        key.to_edge(RIGHT, buff=0.5).shift(UP * 0.6)
        note = VGroup(
            text(
                f"∇L = 0 at {kinds.count('minimum')} minima, {kinds.count('saddle')} saddles and "
                f"{kinds.count('maximum')} maxima, found by Newton's method on the gradient;",
                font_size=NOTE_SIZE,
            ),
            text(
                "the Hessian's eigenvalues tell them apart: both > 0, a minimum; opposite signs, a saddle.",
                font_size=NOTE_SIZE,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        note.to_edge(DOWN, buff=0.5)
        narrate(self, f"A non-convex surface with many minima: {plain(sampled.surface.latex)}.")
        self.show_stage(axes, labels, mesh, heading, formula)
        self.wait(1.0)

        dots, tags = VGroup(), VGroup()
        for i, c in enumerate(minima):
            colour = MINIMUM if i == 0 else LOCAL_MINIMUM
            dots.add(self.marker(axes, c, colour))
            tag = VGroup(
                text("global minimum" if i == 0 else "local minimum", font_size=NOTE_SIZE - 2, color=colour),
                math(rf"L = {fmt(c.value)}", font_size=NOTE_SIZE + 4, color=colour),
            ).arrange(DOWN, buff=0.06)
            tag.add_background_rectangle(opacity=0.75, buff=0.06)
            base = axes.c2p(*c.point, c.value)
            tag.move_to(base + OUT * (PIN + 0.3))
            stem = Line(base, base + OUT * PIN, color=colour, stroke_width=2.5)
            tags.add(VGroup(stem, tag))
            face(self, tag)
        small = VGroup(*(self.marker(axes, c, SADDLE_POINT, radius=0.06) for c in saddles))
        fix(self, key, note)
        local = ", ".join(fmt(c.value) for c in minima[1:])
        narrate(
            self,
            f"∇L = 0 at {kinds.count('minimum')} minima, {kinds.count('saddle')} saddles and "
            f"{kinds.count('maximum')} maxima. Green: the global minimum, L = {fmt(minima[0].value)}; "
            f"orange: local minima, at L = {local}; pink: saddles. The Hessian tells them apart: "
            "eigenvalues both positive at a minimum, of opposite signs at a saddle.",
        )
        self.play(FadeIn(dots[0], scale=2), FadeIn(tags[0]), FadeIn(key[0]), run_time=0.8)
        self.play(
            LaggedStart(*(FadeIn(d, scale=2) for d in dots[1:]), lag_ratio=0.3),
            LaggedStart(*(FadeIn(t) for t in tags[1:]), lag_ratio=0.3),
            FadeIn(key[1]),
            run_time=1.2,
        )
        self.play(FadeIn(small), FadeIn(key[2]), run_time=0.6)
        self.bring_to_front(*tags)  # the labels stay readable over the saddle markers
        self.play(FadeIn(note, shift=UP * 0.2), run_time=0.8)
        self.wait(5.0)
        self.end_section()

    def the_saddle(self):
        """Zero gradient but no minimum: the Hessian has one positive and one negative eigenvalue."""
        sampled = self.saddle
        axes, labels, mesh = self.stage(sampled, (5, 5, 3.6), (64, -120, 0.8, ORIGIN))

        heading = section_title("A saddle point")
        point = next(c for c in sampled.critical_points if c.kind == "saddle")
        low, high = sorted(point.eigenvalues)
        panel = VGroup(
            math(sampled.surface.latex, font_size=FORMULA_SIZE),
            math(
                rf"\nabla L = 0 \ \text{{at}}\ w = ({fmt(point.point[0])},\ {fmt(point.point[1])})",
                font_size=BODY_SIZE + 6,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        panel.to_corner(UL, buff=0.5).shift(DOWN * 0.9)
        eigen = VGroup(
            text("Hessian eigenvalues:", font_size=BODY_SIZE - 2),
            math(rf"\lambda_1 = {fmt(high)} > 0", font_size=BODY_SIZE + 6),
            text("curves up one way", font_size=NOTE_SIZE),
            math(rf"\lambda_2 = {fmt(low)} < 0", font_size=BODY_SIZE + 6),
            text("curves down another", font_size=NOTE_SIZE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        eigen[3].shift(DOWN * 0.15)
        eigen[4].shift(DOWN * 0.15)
        eigen.to_edge(RIGHT, buff=0.5).shift(DOWN * 0.3)
        verdict = text_lines(
            "Flat, yet not a minimum:",
            "downhill along one direction.",
        )
        verdict.to_corner(DL, buff=0.5)
        narrate(
            self,
            f"A saddle point, on {plain(sampled.surface.latex)}: the gradient is zero at "
            f"w = ({fmt(point.point[0])}, {fmt(point.point[1])}), marked in pink.",
        )
        self.show_stage(axes, labels, mesh, heading, panel[0])

        dot = self.marker(axes, point, SADDLE_POINT, radius=0.1)
        where = self.on_screen(axes, point)
        label = text("Saddle point", font_size=BODY_SIZE, color=SADDLE_POINT)
        label.add_background_rectangle(opacity=0.75, buff=0.08)
        label.move_to(where + LEFT * 3.6 + DOWN * 1.0)
        pointer = Arrow(label.get_top(), where, buff=0.15, color=SADDLE_POINT, stroke_width=3)
        label = VGroup(label, pointer)
        fix(self, label)
        fix(self, panel[1], eigen, verdict)
        self.play(FadeIn(dot, scale=2), FadeIn(label), run_time=0.8)
        self.play(Write(panel[1]), run_time=0.8)
        narrate(
            self,
            f"The Hessian's eigenvalues there are {fmt(high)} > 0, so the surface curves up one way, "
            f"and {fmt(low)} < 0, curving down another. Flat, yet not a minimum: downhill along one "
            "direction.",
        )
        self.play(FadeIn(eigen[:3], shift=UP * 0.2), run_time=0.8)
        self.play(FadeIn(eigen[3:], shift=UP * 0.2), run_time=0.8)
        self.play(FadeIn(verdict), run_time=0.6)
        self.wait(3.5)
        self.end_section()

    def the_contours(self):
        """The elongated bowl in 3-D, its level sets on it, dropped to the plane, seen from above."""
        sampled = self.elongated
        surface = sampled.surface
        (x0, x1), _ = surface.domain
        bounds = ((x0, x1), (-BAND, BAND))
        band = sampled.z[np.abs(sampled.ys) <= BAND]
        top = float(np.ceil(band.max()))
        axes, labels, mesh = self.stage(
            sampled,
            (x1 - x0, 2 * BAND, 3.2),
            (62, -115, 0.85, OUT * 1.2),
            bounds=bounds,
            z_range=[0, top, top / 4],
        )

        heading = section_title("Contour lines: the surface seen from above")
        formula = math(surface.latex, font_size=FORMULA_SIZE)
        formula.to_corner(UL, buff=0.5).shift(DOWN * 0.9)
        levels_said = ", ".join(f"{v:g}" for v in LEVELS[:-1]) + f" and {LEVELS[-1]:g}"
        narrate(
            self,
            f"Contour lines: the elongated bowl {plain(surface.latex)} in 3-D. Its level sets, "
            f"L = {levels_said}, are drawn on the surface, then dropped to the plane below.",
        )
        self.show_stage(axes, labels, mesh, heading, formula)
        self.wait(1.5)

        # Each level set drawn at its height on the surface, then dropped into the plane L = 0.
        lines = contour_lines(surface, LEVELS, n=160, bounds=bounds)
        levels = sorted(lines)
        on_surface, on_plane = VGroup(), VGroup()
        for i, level in enumerate(levels):
            colour = interpolate_color(CONTOUR_LOW, CONTOUR_HIGH, i / max(len(levels) - 1, 1))
            for line in lines[level]:
                for height, group in ((level, on_surface), (0.0, on_plane)):
                    pts = np.asarray(axes.c2p(line[:, 0], line[:, 1], np.full(len(line), height))).T
                    mob = VMobject(stroke_color=colour, stroke_width=3)
                    mob.set_points_as_corners(pts.reshape(-1, 3))
                    group.add(mob)
        self.play(Create(on_surface, lag_ratio=0.2), run_time=1.5)
        self.wait(0.5)
        self.play(Transform(on_surface, on_plane), run_time=1.5)
        self.stop_ambient_camera_rotation()

        # The top view: the surface and the L axis go, the camera turns to look straight down.
        z_axis, z_label = axes.get_z_axis(), labels[2]
        narrate(self, "The surface fades and the camera turns to look straight down: the contour map.")
        self.play(FadeOut(mesh), FadeOut(z_axis), FadeOut(z_label), run_time=0.8)
        axes.remove(z_axis)
        self.move_camera(phi=0, theta=-90 * DEGREES, zoom=1.3, frame_center=UP * 0.1, run_time=2.5)

        tags = VGroup()
        for level, side in LABELLED.items():
            if not lines.get(level):
                continue
            points = np.concatenate(lines[level])
            end = points[np.argmax(points[:, 0] * side[0])]  # where the line crosses the w_1 axis
            tag = math(rf"L = {level:g}", font_size=BODY_SIZE + 2, color=CONTOUR_LABEL)
            tag.add_background_rectangle(opacity=0.9, buff=0.05)
            tag.move_to(axes.c2p(end[0], end[1], 0))
            tags.add(tag)
        face(self, *tags)
        w_star = next(c for c in sampled.critical_points if c.kind == "minimum")
        dot = self.marker(axes, w_star, MINIMUM, radius=0.08)
        low, high = sorted(w_star.eigenvalues)
        note = VGroup(
            text("Each line joins the points of one loss value (a level set).", font_size=NOTE_SIZE),
            text("Lines crowd together where the surface is steep:", font_size=NOTE_SIZE),
            text(
                f"curvature {high:g} along w₂ against {low:g} along w₁ (the Hessian's eigenvalues at w*).",
                font_size=NOTE_SIZE,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        note.to_corner(DL, buff=0.5)
        key = legend([("minimum w*", MINIMUM, "dot")])
        key.to_corner(DR, buff=0.5)
        fix(self, note, key)
        narrate(
            self,
            "Each line joins the points of one loss value; the lines crowd together where the surface "
            f"is steep: curvature {high:g} along w₂ against {low:g} along w₁, the Hessian's "
            "eigenvalues at the minimum w*.",
        )
        self.play(FadeIn(tags), FadeIn(dot, scale=2), FadeIn(key), run_time=0.8)
        self.play(FadeIn(note, shift=UP * 0.2), run_time=0.8)
        self.wait(3.5)
        fade_out_all(self)
