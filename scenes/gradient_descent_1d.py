"""Gradient descent on L(w) = w^2, one step at a time: gradient arrow, update rule, new w.

Reads the recorded run the build hands it (gradient descent on the parabola); every number on
screen comes from it.
Preview: ``manim -ql scenes/gradient_descent_1d.py GradientDescent1D``.
"""

from manim import *
from style import *

ARROW_MAX = 1.4  # screen length of the largest gradient arrow
PANEL_LEFT = 1.6  # x where the formulas, the readout and the legend start


class GradientDescent1D(Scene):
    """The loss and its minimum first, then each step: ∇L arrow, the update, the new w.

    ``the_loss`` sets up the plot that ``the_steps`` runs on; ``the_steps`` fades it out.
    """

    def construct(self):
        self.run, self.surface, trajectory, self.lr = one_run(self)
        self.w, self.grads = trajectory.params[:, 0], trajectory.grads[:, 0]
        self.loss, self.step_sizes = trajectory.loss, trajectory.step_size
        self.minimum = self.surface.global_minimum

        self.title()
        self.the_loss()
        self.the_steps()
        self.the_takeaway()

    def title(self):
        run_title_card(self, "Gradient descent, one step at a time", self.run)

    def the_loss(self):
        """The curve, its formula, the minimum (green) and the start (yellow) before any step."""
        self.heading = section_title("Walk downhill, against the gradient")
        lo, hi = self.surface.domain[0]
        top = float(np.ceil(max(self.surface.value(np.array([[lo], [hi]])))))
        self.axes, axis_labels = loss_axes([lo, hi, 1], [0, top + 1, 4], 5.8, 4.6)
        VGroup(self.axes, axis_labels).to_edge(LEFT, buff=0.6).to_edge(DOWN, buff=1.1)
        curve = self.axes.plot(
            lambda w: float(self.surface.value(np.array([w]))), x_range=[lo, hi], color=CURVE
        )
        self.curve_of = lambda w: self.axes.c2p(w, float(self.surface.value(np.array([w]))))

        loss_formula = math(self.surface.latex)
        rule = math(r"w \leftarrow w - \eta\, \nabla L(w)")
        eta = math(rf"\eta = {self.lr:g}", font_size=FORMULA_SIZE - 4)
        self.panel = VGroup(loss_formula, rule, eta).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        self.panel.align_to(self.axes, UP).set_x(PANEL_LEFT, direction=LEFT)

        narrate(
            self,
            f"Walk downhill, against the gradient: on the curve of {plain(self.surface.latex)}, green marks "
            f"the minimum w* = {fmt(self.minimum.point[0], 0)}, yellow the start w₀ = {fmt(self.w[0])}.",
        )
        self.play(Write(self.heading), run_time=0.8)
        self.play(Create(self.axes), FadeIn(axis_labels), run_time=1.0)
        self.play(Create(curve), Write(loss_formula), run_time=1.2)

        w_star, l_star = self.minimum.point[0], self.minimum.value
        min_dot = Dot(self.axes.c2p(w_star, l_star), color=MINIMUM, radius=0.1)
        min_label = math(rf"w^* = {fmt(w_star, 0)}", font_size=BODY_SIZE + 2, color=MINIMUM)
        min_label.next_to(min_dot, DOWN, buff=0.55)
        self.dot = Dot(self.curve_of(self.w[0]), color=POSITION, radius=0.1)
        self.dot_label = self.w_label(0)
        self.play(FadeIn(min_dot, scale=2), Write(min_label), run_time=0.7)
        self.play(FadeIn(self.dot, scale=2), Write(self.dot_label), run_time=0.7)
        self.play(Write(rule), FadeIn(eta), run_time=1.0)
        self.wait(0.5)

    def w_label(self, k: int) -> VGroup:
        """``w_k = ...`` just above the point, inside the bowl, clear of the curve and the L axis."""
        w = self.w[k]
        label = math(rf"w_{{{k}}} = {fmt(w)}", font_size=BODY_SIZE, color=POSITION)
        label.add_background_rectangle(opacity=0.85, buff=0.05)
        point = self.curve_of(w)
        axis_x = self.axes.c2p(0, 0)[0]
        # On a steep flank: beside the point, towards the inside, if that stays off the L axis.
        label.next_to(point, UL if w > 0 else UR, buff=0.15)
        if min(abs(label.get_left()[0] - axis_x), abs(label.get_right()[0] - axis_x)) > 0.3 and (
            (label.get_left()[0] > axis_x) == (label.get_right()[0] > axis_x)
        ):
            return label
        # Near the bottom: centred over the point, lifted above the curve under it.
        half = label.width / 2 / self.axes.x_axis.get_unit_size()
        highest = max(self.curve_of(x)[1] for x in np.linspace(w - half, w + half, 20))
        label.move_to(point, aligned_edge=DOWN)
        return label.shift(UP * (max(highest + 0.15, point[1] + 0.3) - point[1]))

    def the_steps(self):
        """Each step: the gradient (red, to scale) at w, then w moves by −η∇L along the curve."""
        key = legend(
            [
                ("gradient ∇L(w), to scale", GRADIENT, "arrow"),
                ("current w", POSITION, "dot"),
                ("minimum w*", MINIMUM, "dot"),
            ]
        )
        key.to_edge(DOWN, buff=0.6).set_x(PANEL_LEFT, direction=LEFT)
        readout = self.readout(0)
        n = len(self.grads)
        narrate(
            self,
            "Each step, w ← w − η∇L(w): the red arrow is the gradient at the yellow point, and w "
            f"moves against it. First: w₁ = {fmt(self.w[0])} − {self.lr:g} · {fmt(self.grads[0])} "
            f"= {fmt(self.w[1])}.",
        )
        self.play(FadeIn(key), FadeIn(readout), run_time=0.6)

        scale = ARROW_MAX / (np.max(np.abs(self.grads)) * self.axes.x_axis.get_unit_size())
        prepare(
            lambda: [
                (self.readout(k, with_step=True), self.readout(k + 1), self.w_label(k + 1))
                for k in range(len(self.grads))
            ]
        )
        for k, g in enumerate(self.grads):
            if k == n // 2:
                narrate(
                    self,
                    "Nearer the minimum the gradient is smaller, and so is each step. "
                    f"After {n} steps w = {fmt(self.w[n])}, and the loss has fallen from "
                    f"{fmt(self.loss[0], 3)} to {fmt(self.loss[n], 3)}.",
                )
            w, w_next = self.w[k], self.w[k + 1]
            start = self.curve_of(w)
            arrow = Arrow(
                start,
                self.axes.c2p(w + scale * g, self.loss[k]),
                buff=0,
                color=GRADIENT,
                stroke_width=6,
                max_tip_length_to_length_ratio=0.3,
            )
            self.play(GrowArrow(arrow), Transform(readout, self.readout(k, with_step=True)), run_time=0.6)
            path = self.axes.plot(
                lambda x: float(self.surface.value(np.array([x]))),
                x_range=sorted([w, w_next]),
            )
            if w_next < w:
                path.reverse_points()
            new_label = self.w_label(k + 1)
            self.play(
                MoveAlongPath(self.dot, path),
                Transform(self.dot_label, new_label),
                FadeOut(arrow),
                run_time=0.8,
            )
        self.play(Transform(readout, self.readout(len(self.grads))), run_time=0.5)
        self.wait(0.8)
        fade_out_all(self)

    def readout(self, k: int, with_step: bool = False) -> VGroup:
        """Step ``k`` in numbers: the gradient at ``w_k`` and the update it gives."""
        rows = [text(f"step {k + 1} of {len(self.grads)}", font_size=NOTE_SIZE + 2)]
        if with_step:
            g = self.grads[k]
            rows += [
                math(rf"\nabla L(w_{{{k}}}) = {fmt(g)}", font_size=BODY_SIZE + 2, color=GRADIENT),
                math(
                    rf"w_{{{k + 1}}} = {fmt(self.w[k])} - {self.lr:g} \cdot {fmt(g)}"
                    rf" = {fmt(self.w[k + 1])}",
                    font_size=BODY_SIZE + 2,
                ),
            ]
        else:
            rows[0] = text(f"after {k} steps", font_size=NOTE_SIZE + 2)
            rows += [
                math(rf"w_{{{k}}} = {fmt(self.w[k])}", font_size=BODY_SIZE + 2, color=POSITION),
                math(rf"L(w_{{{k}}}) = {fmt(self.loss[k], 3)}", font_size=BODY_SIZE + 2),
            ]
        group = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        return group.next_to(self.panel, DOWN, buff=0.5).set_x(PANEL_LEFT, direction=LEFT)

    def the_takeaway(self):
        """Why the steps shrink: the gradient shrinks with w, and the step is η times it."""
        heading = section_title("Smaller gradient, smaller step")
        ratios = self.w[1:] / self.w[:-1]
        sizes = r",\ ".join(fmt(s) for s in self.step_sizes)
        lines = VGroup(
            math(r"|w_{k+1} - w_k| = \eta\, |\nabla L(w_k)|"),
            text("The step sizes, as recorded:", font_size=BODY_SIZE),
            math(sizes, font_size=FORMULA_SIZE - 6, color=POSITION),
        ).arrange(DOWN, buff=0.45)
        words = (
            "Smaller gradient, smaller step: the recorded steps shrink from "
            f"{fmt(self.step_sizes[0])} to {fmt(self.step_sizes[-1])}."
        )
        if np.allclose(ratios, ratios[0]):
            lines.add(text(f"Every step kept {ratios[0]:.0%} of w.", font_size=BODY_SIZE))
            lines.arrange(DOWN, buff=0.45)
            words += f" Every step kept {ratios[0]:.0%} of w."
        open_section(self, heading, words)
        self.play(FadeIn(lines, shift=UP * 0.2), run_time=1.0)
        self.wait(2.0)
        fade_out_all(self)
