"""Gradient descent on L(w) = w^2 at four learning rates: too small, just right, too large, diverging.

Reads the four recorded runs the build hands it; every number on screen comes from them (the
curvature from the surface's Hessian at the minimum, the steps and ratios from the trajectories).
Preview: ``manim -ql scenes/learning_rate_comparison.py LearningRateComparison``.
"""

from manim import *
from style import *

# The four regimes, left to right, in the order the spec lists the runs: subtitle and panel colour
# (clear of red / yellow / green).
REGIMES = [("too small", BLUE_C), ("just right", TEAL_C), ("too large", ORANGE), ("diverges", PURPLE_B)]
PANEL_W, PANEL_H = 2.2, 2.6  # axes size of one comparison panel
L_TOP = 12  # top of the panels' loss axis: room above L(3) = 9 to see a point leave sideways
ARROW_PER_GRAD = 0.1  # screen length of the gradient arrow per unit of |∇L|
ARROW_MIN = 0.12  # shortest arrow drawn, so a near-zero gradient still shows its direction
SLOW_STEPS = 3  # the first steps are shown slowly, the rest faster


class LearningRateComparison(Scene):
    """The rule w ← (1 − 2η) w, four runs side by side, then the factor |1 − 2η| against 1."""

    def construct(self):
        self.runs = inputs(self).load_all()
        self.surface = self.runs[0].surface
        self.rates = [run.recipe["hyperparameters"]["lr"] for run in self.runs]
        self.ws = [run.trajectory.params[:, 0] for run in self.runs]
        self.curvature = float(self.surface.global_minimum.eigenvalues[0])
        self.w_star = float(self.surface.global_minimum.point[0])

        self.title()
        self.the_rule()
        self.the_comparison()
        self.the_threshold()

    def loss_of(self, w: float) -> float:
        return float(self.surface.value(np.array([w])))

    def title(self):
        run_title_card(self, "How large a step? The learning rate", self.runs[1])

    def the_rule(self):
        """The update on this loss is a multiplication; it shrinks w only if |1 − 2η| < 1."""
        heading = section_title("On L(w) = w², one step multiplies w")
        lo, hi = self.surface.domain[0]
        top = self.loss_of(hi)
        axes, labels = loss_axes([lo, hi, 1], [0, top, 3], 4.6, 3.6)
        VGroup(axes, labels).to_edge(LEFT, buff=0.8).shift(DOWN * 0.5)
        curve = axes.plot(lambda w: self.loss_of(w), x_range=[lo, hi], color=CURVE)
        min_dot = Dot(axes.c2p(self.w_star, self.loss_of(self.w_star)), color=MINIMUM, radius=0.09)
        min_label = math("w^*", font_size=BODY_SIZE, color=MINIMUM).next_to(min_dot, DOWN, buff=0.3)

        lam, limit = self.curvature, 2 / self.curvature
        lines = VGroup(
            math(self.surface.latex + r", \quad \nabla L(w) = 2w"),
            math(r"w_{t+1} = w_t - \eta \cdot 2 w_t = (1 - 2\eta)\, w_t"),
            math(
                rf"\lambda = L''(w^*) = {lam:g}",
                font_size=FORMULA_SIZE - 2,
                color=MINIMUM,
            ),
            math(
                rf"\text{{converges iff }} |1 - 2\eta| < 1 \iff \eta < \tfrac{{2}}{{\lambda}} = {limit:g}",
                font_size=FORMULA_SIZE - 4,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        lines.next_to(axes, RIGHT, buff=0.7).align_to(axes, UP)
        note = text("curvature at the minimum (Hessian eigenvalue)", font_size=NOTE_SIZE, color=MUTED)
        note.next_to(lines[2], DOWN, buff=0.12, aligned_edge=LEFT)
        lines[3].next_to(note, DOWN, buff=0.45, aligned_edge=LEFT)

        open_section(
            self,
            heading,
            f"On {plain(self.surface.latex)}, one step multiplies w by 1 − {lam:g}η, λ = {lam:g} being "
            f"the curvature at the minimum. w shrinks only while |1 − {lam:g}η| < 1, that is "
            f"η < 2/λ = {limit:g}.",
        )
        self.play(Create(axes), FadeIn(labels), Create(curve), run_time=1.0)
        self.play(FadeIn(min_dot, scale=2), Write(min_label), Write(lines[0]), run_time=0.9)
        self.play(Write(lines[1]), run_time=1.0)
        self.play(Write(lines[2]), FadeIn(note), run_time=0.8)
        self.play(Write(lines[3]), run_time=1.0)
        self.wait(1.0)
        fade_out_all(self)

    def panel(self, i: int) -> VGroup:
        """One regime: axes, the parabola, the minimum, its η and its name."""
        subtitle, colour = REGIMES[i]
        lo, hi = self.surface.domain[0]
        axes, labels = loss_axes([lo, hi, 1], [0, L_TOP, 4], PANEL_W, PANEL_H)
        labels[1].scale(0.8).next_to(axes.y_axis.get_end(), RIGHT, buff=0.12)
        curve = axes.plot(lambda w: self.loss_of(w), x_range=[lo, hi], color=CURVE)
        min_dot = Dot(axes.c2p(self.w_star, self.loss_of(self.w_star)), color=MINIMUM, radius=0.07)
        head = VGroup(
            math(rf"\eta = {self.rates[i]:g}", font_size=BODY_SIZE + 4, color=colour),
            text(subtitle, font_size=NOTE_SIZE, color=colour),
        )
        # Subtitles top-aligned and the η lines above them: the same heights in every panel.
        head[1].move_to(axes.get_top() + UP * 0.35, aligned_edge=DOWN).align_to(
            axes.get_top() + UP * 0.65, UP
        )
        head[0].next_to(head[1], UP, buff=0.12)
        return VGroup(axes, labels, curve, min_dot, head)

    def readout(self, i: int, t: int) -> MathTex:
        label = math(rf"w_{{{t}}} = {fmt(self.ws[i][t])}", font_size=BODY_SIZE, color=POSITION)
        return label.next_to(self.panels[i][0], DOWN, buff=0.3)

    def grad_arrow(self, i: int, t: int) -> Arrow:
        """The gradient at w_t, red and horizontal: its direction, its length ∝ |∇L| (floored)."""
        axes = self.panels[i][0]
        g = float(self.runs[i].trajectory.grads[t, 0])
        start = axes.c2p(self.ws[i][t], self.loss_of(self.ws[i][t]))
        length = max(ARROW_PER_GRAD * abs(g), ARROW_MIN)
        return Arrow(
            start,
            start + RIGHT * np.sign(g) * length,
            buff=0,
            color=GRADIENT,
            stroke_width=6,
            max_tip_length_to_length_ratio=0.45,
            max_stroke_width_to_length_ratio=40,
        )

    def on_plot(self, w: float) -> bool:
        lo, hi = self.surface.domain[0]
        return lo <= w <= hi and self.loss_of(w) <= L_TOP

    def exit_point(self, i: int, t: int) -> tuple[float, float]:
        """Where the straight move from w_t to w_{t+1} (in (w, L)) crosses the plotted box."""
        (lo, hi), (w0, w1) = self.surface.domain[0], self.ws[i][t : t + 2]
        l0, l1 = self.loss_of(w0), self.loss_of(w1)
        crossings = [1.0]
        for a, b, edge in ((w0, w1, lo), (w0, w1, hi), (l0, l1, L_TOP)):
            if (a - edge) * (b - edge) < 0:
                crossings.append((edge - a) / (b - a))
        s = min(crossings)
        return w0 + s * (w1 - w0), l0 + s * (l1 - l0)

    def the_comparison(self):
        """Four panels, then all four runs step by step together, with the recorded steps."""
        heading = section_title(f"Same start w₀ = {fmt(self.ws[0][0], 1)}, four learning rates")
        self.panels = VGroup(*(self.panel(i) for i in range(len(self.runs))))
        self.panels.arrange(RIGHT, buff=0.7, aligned_edge=DOWN).next_to(heading, DOWN, buff=0.35)
        self.panels.set_x(-0.25)  # a little room on the right for a point that leaves
        key = legend(
            [
                ("gradient ∇L", GRADIENT, "arrow"),
                ("current w", POSITION, "dot"),
                ("minimum w*", MINIMUM, "dot"),
            ]
        )
        key.arrange(RIGHT, buff=0.6).to_edge(DOWN, buff=0.5).to_edge(LEFT, buff=0.8)
        n = min(run.trajectory.steps for run in self.runs)
        counter = text(f"step 0 of {n}", font_size=BODY_SIZE).to_edge(DOWN, buff=0.5).to_edge(RIGHT, buff=0.8)

        regime = [f"η = {r:g} ({name})" for r, (name, _) in zip(self.rates, REGIMES, strict=True)]
        open_section(
            self,
            heading,
            f"Same start, w₀ = {fmt(self.ws[0][0], 1)}, four learning rates side by side. {regime[0]} "
            f"creeps toward the minimum; {regime[1]} gets there within a few steps.",
        )
        self.play(*(Create(p[0]) for p in self.panels), *(FadeIn(p[1:]) for p in self.panels), run_time=1.2)
        dots = [
            Dot(p[0].c2p(w[0], self.loss_of(w[0])), color=POSITION, radius=0.07)
            for p, w in zip(self.panels, self.ws, strict=True)
        ]
        prepare(lambda: [self.readout(i, t) for i in range(len(self.runs)) for t in range(n + 1)])
        readouts = [self.readout(i, 0) for i in range(len(self.runs))]
        self.play(
            *(FadeIn(d, scale=2) for d in dots), *(FadeIn(r) for r in readouts), FadeIn(key), FadeIn(counter)
        )

        out = [False] * len(self.runs)
        for t in range(n):
            if t == SLOW_STEPS:
                leaves = next((s for s in range(1, n + 1) if not self.on_plot(self.ws[3][s])), None)
                narrate(
                    self,
                    f"{regime[2]} jumps from side to side, yet closes in; {regime[3]} jumps further out "
                    "every step" + (f" and leaves the plot at step {leaves}." if leaves else "."),
                )
            grow, fade, moves, leaving = [], [], [], []
            for i, p in enumerate(self.panels):
                moves.append(Transform(readouts[i], self.readout(i, t + 1)))
                if out[i]:
                    continue
                arrow = self.grad_arrow(i, t)
                grow.append(GrowArrow(arrow))
                fade.append(FadeOut(arrow))
                w_next = self.ws[i][t + 1]
                if self.on_plot(w_next):
                    moves.append(dots[i].animate.move_to(p[0].c2p(w_next, self.loss_of(w_next))))
                else:  # the point leaves the plot: take it to the edge, then show it leave
                    moves.append(dots[i].animate.move_to(p[0].c2p(*self.exit_point(i, t))))
                    leaving.append(i)
            pace = 1.0 if t < SLOW_STEPS else 0.5
            new_counter = text(f"step {t + 1} of {n}", font_size=BODY_SIZE).move_to(
                counter, aligned_edge=LEFT
            )
            self.play(*grow, run_time=0.4 * pace)
            self.play(*moves, *fade, Transform(counter, new_counter), run_time=0.6 * pace)
            for i in leaving:
                self.play(*self.leave(i, t, dots[i]), run_time=0.7)
                out[i] = True
        self.wait(1.2)
        fade_out_all(self)

    def leave(self, i: int, t: int, dot: Dot) -> list[Animation]:
        """The point of run ``i`` left the plotted range at step t + 1: say so, with the data."""
        axes = self.panels[i][0]
        (w0, w1), colour = self.ws[i][t : t + 2], REGIMES[i][1]
        direction = axes.c2p(w1, self.loss_of(w1)) - axes.c2p(w0, self.loss_of(w0))
        direction /= np.linalg.norm(direction)
        edge = dot.get_center()
        arrow = Arrow(edge, edge + direction * 0.4, buff=0, color=POSITION, stroke_width=5)
        words = VGroup(
            text("diverges:", font_size=NOTE_SIZE, color=colour),
            text(f"leaves the plot at step {t + 1}", font_size=NOTE_SIZE, color=colour),
        ).arrange(DOWN, buff=0.08)
        words.next_to(self.readout(i, t), DOWN, buff=0.1)
        return [FadeOut(dot, shift=direction * 0.3), GrowArrow(arrow), FadeIn(words)]

    def the_threshold(self):
        """The factor each step applies, read from the data, against the bound 1."""
        heading = section_title("Each step multiplies w by 1 − 2η: shrink or grow?")
        size = BODY_SIZE + 8
        header = [
            math(r"\eta", font_size=size),
            math(r"w_{t+1} / w_t", font_size=size),
            math(r"|1 - 2\eta|", font_size=size),
            text("", font_size=BODY_SIZE),
        ]
        cells = list(header)
        for i, (subtitle, colour) in enumerate(REGIMES):
            ratio = self.ws[i][1] / self.ws[i][0]  # w_1 / w_0
            verdict = "< 1: shrinks" if abs(ratio) < 1 else "> 1: grows"
            cells += [
                math(f"{self.rates[i]:g}", font_size=size, color=colour),
                math(fmt(ratio), font_size=size),
                math(fmt(abs(ratio)), font_size=size, color=colour),
                text(f"{verdict} ({subtitle})", font_size=BODY_SIZE, color=colour),
            ]
        table = VGroup(*cells).arrange_in_grid(rows=5, cols=4, buff=(0.8, 0.35), col_alignments="cccl")
        same = all(np.allclose(w[1:] / w[:-1], w[1] / w[0]) for w in self.ws)
        where = "the same at every step t" if same else "shown for t = 0"
        note = text(f"ratio read from the recorded runs ({where})", font_size=NOTE_SIZE, color=MUTED)
        note.next_to(table, DOWN, buff=0.3)
        bound = math(
            rf"\text{{needs }} |1 - 2\eta| < 1, \text{{ i.e. }} \eta < 2/\lambda = {2 / self.curvature:g}",
            font_size=FORMULA_SIZE - 2,
        ).next_to(note, DOWN, buff=0.5)
        body = VGroup(table, note, bound).move_to(ORIGIN)
        body.set_y((heading.get_bottom()[1] - config.frame_height / 2) / 2)  # centred below the title
        rule = Line(table.get_left(), table.get_right(), color=MUTED, stroke_width=2)
        rule.next_to(VGroup(*header), DOWN, buff=0.18).set_x(table.get_x())

        factors = ", ".join(fmt(w[1] / w[0]) for w in self.ws)
        open_section(
            self,
            heading,
            f"The factor w₁/w₀ of each run: {factors}. Only a factor smaller than 1 in size "
            f"shrinks w, which needs η < 2/λ = {2 / self.curvature:g}.",
        )
        self.play(FadeIn(VGroup(*header)), Create(rule), run_time=0.5)
        for r in range(1, 5):
            self.play(FadeIn(VGroup(*cells[4 * r : 4 * r + 4]), shift=UP * 0.1), run_time=0.45)
        self.play(FadeIn(note), Write(bound), run_time=0.9)
        self.wait(1.4)
        fade_out_all(self)
