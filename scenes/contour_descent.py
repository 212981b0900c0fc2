"""Contours of an elongated bowl and the zig-zag path gradient descent takes to its minimum.

Reads the recorded run the build hands it (gradient descent on the elongated bowl); contour lines
come from the surface through ``descent.contours`` and the largest curvature from its Hessian at
the computed minimum.
Preview: ``manim -ql scenes/contour_descent.py ContourDescent``.
"""

from manim import *
from style import *

from descent.contours import contour_lines

UNIT = 1.25  # screen units per unit of w (the same on both axes, so ellipses keep their shape)
LEVELS = (1.0, 2.0, 4.0, 8.0, 16.0)  # doubling levels: each ellipse is sqrt(2) times the last
LABEL_RAY = 25 * DEGREES  # level labels sit where this ray from the minimum meets each line
SLOW_STEPS = 5  # the first steps are shown one at a time, the rest faster


class ContourDescent(Scene):
    """Contours, minimum and start first; then the zig-zag path; then why it zig-zags.

    ``the_contours`` sets up the plane, ``the_path`` draws on it and ``the_learning_rate``
    explains it beside the finished path, then fades everything out.
    """

    def construct(self):
        self.run, self.surface, self.traj, self.lr = one_run(self)
        self.minimum = self.surface.global_minimum
        # The view: the full w_1 range of the domain, and the w_2 band the path lives in.
        (x0, x1), _ = self.surface.domain
        w2_extent = np.ceil(2 * np.max(np.abs(self.traj.params[:, 1]))) / 2
        self.bounds = ((x0, x1), (-w2_extent, w2_extent))

        self.title()
        self.the_contours()
        self.the_path()
        self.the_learning_rate()

    def level_labels(self, lines) -> VGroup:
        """Each level's value where a ray from the minimum (away from the path) meets its line."""
        centre = np.array(self.minimum.point)
        labels = VGroup()
        for level, polylines in sorted(lines.items()):
            if not polylines:
                continue
            points = np.concatenate(polylines)
            offset = points - centre
            angle = np.angle(np.exp(1j * (np.arctan2(offset[:, 1], offset[:, 0]) - LABEL_RAY)))
            where = points[np.argmin(np.abs(angle))]
            label = math(f"{level:g}", font_size=NOTE_SIZE, color=CONTOUR_LABEL)
            label.move_to(to_screen(self.axes, [where])[0])
            labels.add(label.add_background_rectangle(opacity=0.9, buff=0.04))
        return labels

    def title(self):
        run_title_card(self, "Why gradient descent zig-zags", self.run)

    def the_contours(self):
        """Level sets with their values, the minimum (green) and the start (yellow)."""
        heading = section_title("A long, narrow valley")
        self.axes, axis_labels = plane_axes(self.bounds, UNIT)
        plane = VGroup(self.axes, axis_labels).to_edge(LEFT, buff=0.6).to_edge(UP, buff=1.5)
        lines = contour_lines(self.surface, LEVELS, n=240, bounds=self.bounds)
        contours = contour_mobjects(self.axes, lines)
        level_labels = self.level_labels(lines)

        formula = math(self.surface.latex)
        rule = math(r"w \leftarrow w - \eta\, \nabla L(w)")
        eta = math(rf"\eta = {self.lr:g}", font_size=FORMULA_SIZE - 4)
        self.panel = VGroup(formula, rule, eta).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        self.panel.next_to(plane, RIGHT, buff=0.4).to_edge(UP, buff=1.3)
        self.key = legend(
            [
                ("level sets of L, with values", contours[-1][0].get_color(), "line"),
                ("−η∇L(w): one step", GRADIENT, "arrow"),
                ("path of gradient descent", PATH, "line"),
            ]
        )
        self.key.next_to(plane, DOWN, buff=0.5).align_to(self.axes, LEFT)

        min_dot, min_label = marked_point(self.axes, self.minimum.point, MINIMUM, "w^*", RIGHT, buff=0.1)
        self.dot, start_label = marked_point(self.axes, self.traj.params[0], POSITION, "w_0", UR, buff=0.08)

        start = self.traj.params[0]
        open_section(
            self,
            heading,
            "A long, narrow valley: the level sets of the loss are stretched ellipses around the "
            f"minimum w* (green). Yellow marks the start, w₀ = ({fmt(start[0])}, {fmt(start[1])}).",
            run_time=0.8,
        )
        self.play(Create(self.axes), FadeIn(axis_labels), Write(formula), run_time=1.0)
        self.play(Create(contours, lag_ratio=0.15), run_time=1.5)
        self.play(FadeIn(level_labels), FadeIn(self.key[0]), run_time=0.6)
        self.play(FadeIn(min_dot, scale=2), Write(min_label), run_time=0.6)
        self.play(FadeIn(self.dot, scale=2), Write(start_label), run_time=0.6)
        self.play(Write(rule), FadeIn(eta), FadeIn(self.key[1:]), run_time=1.0)
        self.wait(0.4)

    def the_path(self):
        """The recorded steps: the red step −η∇L, then the move along it; the path zig-zags."""
        params, updates, n = self.traj.params, self.traj.updates, self.traj.steps
        self.readout_mob = walk_steps(
            self,
            to_screen(self.axes, params),
            self.dot,
            lambda k: step_arrow(self.axes, params[k], updates[k]),
            lambda k: position_readout(self.traj, k, below=self.panel),
            slow=SLOW_STEPS,
            width=3.5,
            words="Each red arrow is one step, −η∇L. The gradient points more across the valley than "
            "along it, so each step crosses the valley floor and the path zig-zags.",
            faster_words=f"The zig-zags shrink as the path creeps along the valley: after {n} steps "
            f"the loss is {plain(tex_number(self.traj.loss[n]))}.",
        )
        self.wait(0.5)

    def the_learning_rate(self):
        """The steep direction limits η: stable only while η < 2/λ_max, with λ_max the largest
        Hessian eigenvalue the engine found at the minimum."""
        lam_max = max(self.minimum.eigenvalues)
        flips = r",\ ".join(fmt(v) for v in self.traj.params[:4, 1])
        note = VGroup(
            text("Stable only while", font_size=BODY_SIZE),
            math(
                rf"\eta < \frac{{2}}{{\lambda_{{\max}}}} = \frac{{2}}{{{lam_max:g}}}"
                rf" = {2 / lam_max:g}",
                font_size=FORMULA_SIZE - 2,
            ),
            math(
                rf"\lambda_{{\max}} = {lam_max:g}\text{{: the largest curvature,}}",
                font_size=NOTE_SIZE + 2,
            ),
            math(r"\text{the top eigenvalue of the Hessian at } w^*.", font_size=NOTE_SIZE + 2),
            math(
                rf"\text{{At }} \eta = {self.lr:g}\text{{, the steep }} w_2 \text{{ overshoots}}",
                font_size=NOTE_SIZE + 2,
            ),
            math(r"\text{and flips sign every step:}", font_size=NOTE_SIZE + 2),
            math(rf"w_2:\ {flips},\ \dots", font_size=BODY_SIZE + 2, color=POSITION),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.16)
        note[2].shift(DOWN * 0.1)
        note[4:].shift(DOWN * 0.2)
        note.next_to(self.panel, DOWN, buff=0.45).align_to(self.panel, LEFT)
        narrate(
            self,
            f"Stable only while η < 2/λ_max = {2 / lam_max:g}, with λ_max = {lam_max:g} the largest "
            f"curvature. At η = {self.lr:g}, the steep w₂ overshoots and flips sign every step: "
            + ", ".join(fmt(v) for v in self.traj.params[:4, 1])
            + ", …",
        )
        self.play(FadeOut(self.readout_mob), run_time=0.4)
        self.play(FadeIn(note[:2], shift=UP * 0.2), run_time=0.8)
        self.play(FadeIn(note[2:4], shift=UP * 0.2), run_time=0.6)
        self.play(FadeIn(note[4:], shift=UP * 0.2), run_time=0.8)
        self.wait(2.5)
        fade_out_all(self)
