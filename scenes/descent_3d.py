"""A ball rolling down the loss surface along the recorded gradient-descent path.

Reads the recorded run the build hands it (gradient descent on the bowl); the surface is drawn from
the engine's ``value`` and the minimum is the one the engine computed.
Preview: ``manim -ql scenes/descent_3d.py Descent3D``.
"""

from manim import *
from style import *

RESOLUTION = 24  # checkerboard cells per side: enough to read the shape, cheap enough to render
ROTATION_RATE = 0.1  # rad/s of ambient camera rotation (the course's limit is 0.15)
SLOW_STEPS = 3  # the first steps are shown one at a time, the rest faster
LIFT = 0.04  # the path floats this far above the surface so the surface does not hide it


class Descent3D(ThreeDScene):
    """The surface, its minimum and the start first; then the ball follows the recorded steps.

    ``the_surface`` builds the scene that ``the_descent`` plays on; ``the_descent`` fades it out.
    """

    def construct(self):
        self.run, self.surface, self.traj, self.lr = one_run(self)
        self.minimum = self.surface.global_minimum

        self.title()
        self.the_surface()
        self.the_descent()

    def point(self, w, loss, lift: float = 0.0) -> np.ndarray:
        return self.axes.c2p(w[0], w[1], loss) + OUT * lift

    def step_arrow(self, k: int) -> Arrow3D:
        """The step −η∇L from w_k, drawn on the tangent plane (the loss change it predicts)."""
        w, g, u = self.traj.params[k], self.traj.grads[k], self.traj.updates[k]
        start = self.point(w, self.traj.loss[k], LIFT)
        end = self.point(w + u, self.traj.loss[k] + float(g @ u), LIFT)
        arrow = arrow_3d(start, end, GRADIENT, thickness=0.035, height=0.3, base_radius=0.1)
        arrow.set_shade_in_3d(False)  # drawn over the surface, never hidden in it
        bake_lighting(self, arrow)
        return arrow

    def readout(self, k: int) -> VGroup:
        rows = VGroup(
            text(f"step {k} of {self.traj.steps}", font_size=NOTE_SIZE + 2),
            math(rf"L(w_{{{k}}}) = {tex_number(self.traj.loss[k])}", font_size=BODY_SIZE + 4),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        rows.to_corner(DR, buff=0.6)
        fix(self, rows)
        return rows

    def title(self):
        run_title_card(self, "Rolling down the loss surface", self.run, fixed_in_frame=True)

    def the_surface(self):
        """Labelled axes, the checkerboard surface, the minimum (green) and the start (yellow)."""
        grid = np.stack(self.surface.grid(RESOLUTION + 1), axis=-1)
        top = float(np.ceil(np.max(self.surface.value(grid))))
        self.axes, labels = surface_axes(self.surface.domain, [0, top, top / 6], lengths=(6, 6, 3.2))
        mesh = checkerboard_surface(self.axes, self.surface, RESOLUTION)
        freeze_lighting(self, self.axes, mesh)
        self.set_camera_orientation(phi=58 * DEGREES, theta=-50 * DEGREES, zoom=0.62, frame_center=OUT * 1.4)

        heading = section_title("Each step rolls the ball downhill")
        formula = math(self.surface.latex, font_size=FORMULA_SIZE - 4)
        rule = math(rf"w \leftarrow w - \eta\, \nabla L(w),\ \ \eta = {self.lr:g}", font_size=34)
        panel = VGroup(formula, rule).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        panel.to_corner(UL, buff=0.5).shift(DOWN * 0.9)
        self.key = legend(
            [
                ("−η∇L(w): one step", GRADIENT, "arrow"),
                ("gradient-descent path", PATH, "line"),
                ("current position", POSITION, "dot"),
                ("minimum w*", MINIMUM, "dot"),
            ],
            font_size=NOTE_SIZE - 2,
        )
        self.key.to_edge(RIGHT, buff=0.5).set_y(0.8)
        fix(self, heading, panel, self.key)

        w0 = self.traj.params[0]
        open_section(
            self,
            heading,
            "Each step rolls the ball downhill. The checkerboard is the loss over the plane "
            f"(w₁, w₂), turning slowly; green marks the minimum w*, yellow the ball at w₀ = "
            f"({fmt(w0[0])}, {fmt(w0[1])}).",
            run_time=0.8,
        )
        self.play(Create(self.axes), run_time=1.0)
        face(self, *labels)
        self.play(FadeIn(labels), run_time=0.5)
        self.begin_ambient_camera_rotation(rate=ROTATION_RATE)
        self.play(Create(mesh), Write(formula), run_time=2.0)

        w_star = np.array(self.minimum.point)
        min_dot = Dot3D(self.point(w_star, self.minimum.value), color=MINIMUM, radius=0.1)
        min_dot.set_shade_in_3d(False)  # drawn over the surface, never hidden in it
        min_label = math(r"w^*", font_size=BODY_SIZE + 10, color=MINIMUM)
        min_label.move_to(self.point(w_star, self.minimum.value) + OUT * 0.45)
        params, loss = self.traj.params, self.traj.loss
        self.ball = Dot3D(self.point(params[0], loss[0], LIFT), color=POSITION, radius=0.12)
        self.ball.set_shade_in_3d(False)
        bake_lighting(self, min_dot, self.ball)
        start_label = math(r"w_0", font_size=BODY_SIZE + 10, color=POSITION)
        start_label.move_to(self.point(params[0], loss[0]) + OUT * 0.9)
        face(self, min_label, start_label)
        self.play(FadeIn(min_dot), FadeIn(min_label), FadeIn(self.key[3]), run_time=0.7)
        self.play(FadeIn(self.ball), FadeIn(start_label), FadeIn(self.key[2]), run_time=0.7)
        self.play(Write(rule), FadeIn(self.key[:2]), run_time=0.8)

    def the_descent(self):
        """Arrow, then the ball rolls to the recorded next point; slowly at first, then faster."""
        params, loss, n = self.traj.params, self.traj.loss, self.traj.steps
        walk_steps(
            self,
            [self.point(w, value, LIFT) for w, value in zip(params, loss, strict=True)],
            self.ball,
            self.step_arrow,
            self.readout,
            slow=SLOW_STEPS,
            width=5,
            times=(0.7, 0.4, 0.2),
            show=FadeIn,
            fixed_in_frame=True,
            walker_on_top=False,  # the arrow shows over the ball
            words="The red arrow is the next step, −η∇L; the ball rolls to the recorded next point, "
            "leaving a yellow path.",
            faster_words="Near the bottom the surface flattens and the steps shrink: after "
            f"{n} steps the loss is {plain(tex_number(loss[n]))}, down from {fmt(loss[0])}.",
        )
        self.wait(1.5)
        self.stop_ambient_camera_rotation()
        fade_out_all(self)
