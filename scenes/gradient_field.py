"""The negative gradient field of a bowl, and the gradient-descent path that follows it.

Reads the recorded run the build hands it (gradient descent on the bowl); the field is drawn from
the surface's own gradient and the path is the recorded one.
Preview: ``manim -ql scenes/gradient_field.py GradientField``.
"""

from manim import *
from style import *

from descent.contours import contour_lines

UNIT = 0.98  # screen units per unit of w
FIELD_SPACING = 0.75  # distance between field arrows, in units of w
SLOW_STEPS = 4  # the first steps are shown one at a time, the rest faster


class GradientField(Scene):
    """Contours and the −∇L field first (context), then the recorded path along the arrows.

    ``the_field`` sets up the plane that ``the_path`` draws on; ``the_path`` fades it out.
    """

    def construct(self):
        self.run, self.surface, self.traj, self.lr = one_run(self)

        self.title()
        self.the_field()
        self.the_path()

    def field(self) -> ArrowVectorField:
        """−η∇L on a grid, drawn to scale: each arrow is the step gradient descent takes there."""
        (x0, x1), (y0, y1) = self.surface.domain
        half = FIELD_SPACING / 2
        xs = np.arange(x0 + half, x1, FIELD_SPACING)
        ys = np.arange(y0 + half, y1, FIELD_SPACING)
        lo = to_screen(self.axes, [[xs[0], ys[0]]])[0]
        hi = to_screen(self.axes, [[xs[-1], ys[-1]]])[0]
        step = FIELD_SPACING * UNIT

        def minus_eta_grad(p):
            w = np.array(self.axes.p2c(p)[:2])
            g = -self.lr * self.surface.grad(w) * UNIT
            return np.array([g[0], g[1], 0.0])

        field = ArrowVectorField(
            minus_eta_grad,
            x_range=[lo[0], hi[0] + step / 2, step],
            y_range=[lo[1], hi[1] + step / 2, step],
            length_func=lambda norm: norm,
            color=GRADIENT,
            opacity=0.45,
            vector_config={"stroke_width": 3, "max_tip_length_to_length_ratio": 0.3},
        )
        return field

    def title(self):
        run_title_card(self, "Follow the negative gradient", self.run)

    def the_field(self):
        """Level sets of L, the minimum, then an arrow −η∇L at every point of a grid."""
        heading = section_title("Every arrow points downhill")
        self.axes, axis_labels = plane_axes(self.surface.domain, UNIT)
        plane = VGroup(self.axes, axis_labels).to_edge(LEFT, buff=0.7).to_edge(DOWN, buff=0.4)
        # Evenly spaced circles: levels (0.5 k)^2 for k = 1..5, inside the domain.
        lines = contour_lines(self.surface, [(0.5 * k) ** 2 for k in range(1, 6)], n=160)
        contours = contour_mobjects(self.axes, lines)

        min_dot, min_label = marked_point(
            self.axes, self.surface.global_minimum.point, MINIMUM, "w^*", DL, 0.09, 0.08
        )

        field = self.field()

        formula = math(self.surface.latex)
        rule = math(rf"w \leftarrow w - \eta\, \nabla L(w), \quad \eta = {self.lr:g}")
        self.panel = VGroup(formula, rule).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        self.panel.next_to(plane, RIGHT, buff=0.8).align_to(self.axes, UP)
        self.key = legend(
            [
                ("level sets of L", contours[len(contours) // 2][0].get_color(), "line"),
                ("−η∇L(w): the step from w", GRADIENT, "arrow"),
                ("path of gradient descent", PATH, "line"),
            ]
        )
        self.key.to_edge(DOWN, buff=0.6).align_to(self.panel, LEFT)

        open_section(
            self,
            heading,
            "Every arrow points downhill: over the circular level sets around the minimum w* "
            "(green), each red arrow is −η∇L, the step gradient descent would take from its "
            "point. They are longest far from w*.",
            run_time=0.8,
        )
        self.play(Create(self.axes), FadeIn(axis_labels), run_time=1.0)
        self.play(Create(contours, lag_ratio=0.2), Write(formula), run_time=1.5)
        self.play(FadeIn(min_dot, scale=2), Write(min_label), run_time=0.6)
        self.play(Create(field), FadeIn(self.key[:2]), run_time=1.8)
        self.play(Write(rule), run_time=1.0)
        self.wait(0.6)

    def the_path(self):
        """The recorded path: at each step the red arrow −η∇L, then the step along it."""
        params, updates, n = self.traj.params, self.traj.updates, self.traj.steps
        dot, start_label = marked_point(self.axes, params[0], POSITION, "w_0", UR, 0.09, 0.08)
        narrate(
            self,
            f"The recorded run starts at w₀ = ({fmt(params[0, 0])}, {fmt(params[0, 1])}), in yellow. "
            "Each step draws its red arrow, then moves along it.",
        )
        self.play(FadeIn(dot, scale=2), Write(start_label), FadeIn(self.key[2:]), run_time=0.8)

        walk_steps(
            self,
            to_screen(self.axes, params),
            dot,
            lambda k: step_arrow(self.axes, params[k], updates[k]),
            lambda k: position_readout(self.traj, k, below=self.panel),
            slow=SLOW_STEPS,
            times=(0.6, 0.4, 0.22),
            faster_words="The path runs straight along the arrows to the minimum, in shorter and shorter "
            f"steps: after {n} steps, w = ({fmt(params[n, 0])}, {fmt(params[n, 1])}) and the loss is "
            f"{plain(tex_number(self.traj.loss[n]))}.",
        )

        note = text("The path follows the arrows:\neach step is −η∇L.", font_size=NOTE_SIZE + 2)
        note.next_to(self.key, UP, buff=0.5).align_to(self.panel, LEFT)
        self.play(FadeIn(note), run_time=0.6)
        self.wait(1.5)
        fade_out_all(self)
