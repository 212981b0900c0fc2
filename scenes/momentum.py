"""Momentum: the exponential moving average first, then heavy ball and Nesterov, then the effect of β.

Reads the recorded runs ``momentum/*`` that the lesson declares: the zig-zag run's w₂ gradients (the
sequence the moving average smooths), the elongated-bowl and Rosenbrock races of gradient descent,
heavy ball and Nesterov (with the heavy ball's recorded momentum buffer), and the four ``beta-*``
runs. The only arithmetic done here is the moving average of a recorded gradient sequence, which
illustrates the formula on screen. Preview: ``manim -ql scenes/momentum.py Momentum``.
"""

from manim import *
from style import (
    BODY_SIZE,
    FORMULA_SIZE,
    GRADIENT,
    MINIMUM,
    MUTED,
    NOTE_SIZE,
    POSITION,
    contour_mobjects,
    fade_out_all,
    legend,
    math,
    narrate,
    plain,
    plane_axes,
    play_title_card,
    section_title,
    tex_number,
    text,
    to_screen,
)

from descent.artifacts import load_trajectory
from descent.contours import contour_lines

# Colours of the three methods (clear of red / yellow / green) and of the two moving averages.
SGD_COLOUR, HEAVY_COLOUR, NESTEROV_COLOUR = GREY_B, ORANGE, PURPLE_A
EMA_COLOURS = (BLUE_C, PINK)
BETA_COLOURS = (GREY_B, BLUE_C, ORANGE, PINK)

EMA_STEPS = 20  # the first steps of the zig-zag run's gradients shown (later ones are ~0)
BOWL_LEVELS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)  # doubling levels of x² + 10y²
ROSENBROCK_LEVELS = tuple(10.0 ** np.arange(-1.0, 3.5, 0.5))  # log-spaced: 0.1 ... 1000
ARROW_STEPS = 5  # heavy-ball steps shown one at a time with gradient and velocity arrows
DIRECTION_LENGTH = 0.35  # screen length of the −∇L direction arrows (they show direction only)
PANEL_UNIT = 0.45  # screen units per unit of w in the four small β panels


def partial_points(params: np.ndarray, k: float) -> np.ndarray:
    """The path after ``k`` steps (k may be fractional: the last segment is partly drawn)."""
    i = min(int(np.floor(k)), len(params) - 1)
    points = params[: i + 1]
    if i < len(params) - 1 and k > i:
        points = np.vstack([points, params[i] + (k - i) * (params[i + 1] - params[i])])
    if len(points) == 1:
        points = np.vstack([points, points])
    return points


def polyline(points: np.ndarray, colour, width: float = 3.5) -> VMobject:
    mob = VMobject(stroke_color=colour, stroke_width=width)
    mob.set_points_as_corners(points)
    return mob


def lighten(mob: Mobject) -> Mobject:
    """Drop the parsed SVG path each glyph of a Text / MathTex keeps after building its points.

    Only the constructor reads it, but every copy (each fade, write or transform copies) deep-copies
    it: without it a copy is about ten times cheaper, which keeps the render within its budget.
    """
    for sub in mob.get_family():
        if getattr(sub, "path_obj", None) is not None:
            sub.path_obj = None
    return mob


def arrow_between(a: np.ndarray, b: np.ndarray, colour, width: float = 5, tip: float = 0.3) -> Arrow:
    return Arrow(
        a,
        b,
        buff=0,
        color=colour,
        stroke_width=width,
        max_tip_length_to_length_ratio=tip,
        max_stroke_width_to_length_ratio=20,
    )


class Momentum(Scene):
    """Moving average, then heavy ball vs Nesterov on a narrow bowl, in Rosenbrock's valley, and β."""

    def construct(self):
        self.zigzag = load_trajectory("momentum/zigzag")
        self.bowl = [
            load_trajectory("momentum/elongated-sgd"),
            load_trajectory("momentum/elongated-momentum"),
            load_trajectory("momentum/elongated-nesterov"),
        ]
        self.rosenbrock = [
            load_trajectory("momentum/rosenbrock-sgd"),
            load_trajectory("momentum/rosenbrock-momentum"),
            load_trajectory("momentum/rosenbrock-nesterov"),
        ]
        self.betas = [
            load_trajectory("momentum/beta-0.0"),
            load_trajectory("momentum/beta-0.5"),
            load_trajectory("momentum/beta-0.9"),
            load_trajectory("momentum/beta-0.99"),
        ]

        self.title()
        self.moving_average()
        self.heavy_ball_and_nesterov()
        self.rosenbrock_valley()
        self.effect_of_beta()

    # ------------------------------------------------------------------ helpers

    def play(self, *animations, **kwargs):
        """``Scene.play``, after lightening everything on screen and everything about to be."""
        for mob in [*self.mobjects, *(getattr(a, "mobject", None) for a in animations)]:
            if isinstance(mob, Mobject):
                lighten(mob)
        super().play(*animations, **kwargs)

    @staticmethod
    def hp(run, name: str) -> float:
        return run.recipe["hyperparameters"].get(name, 0.0)

    def plane(self, surface, bounds, unit: float, levels) -> VGroup:
        """Axes over (w₁, w₂), their labels and the level sets: one group, moved as one."""
        axes, labels = plane_axes(bounds, unit)
        lines = contour_lines(surface, levels, n=200, bounds=bounds)
        return VGroup(axes, labels, contour_mobjects(axes, lines, stroke_width=2))

    def markers(self, axes, surface, start) -> tuple[VGroup, VGroup]:
        """The minimum (green) and the start (yellow), each with its label."""
        w_star = np.array(surface.global_minimum.point)
        min_dot = Dot(to_screen(axes, [w_star])[0], color=MINIMUM, radius=0.08)
        min_label = math(r"w^*", font_size=BODY_SIZE + 2, color=MINIMUM)
        min_label.next_to(min_dot, DR, buff=0.05).add_background_rectangle(opacity=0.8)
        start_dot = Dot(to_screen(axes, [start])[0], color=POSITION, radius=0.08)
        start_label = math(r"w_0", font_size=BODY_SIZE + 2, color=POSITION)
        start_label.next_to(start_dot, UP, buff=0.1).add_background_rectangle(opacity=0.8)
        return VGroup(min_dot, min_label), VGroup(start_dot, start_label)

    def racing_paths(self, axes, runs, colours, tracker) -> tuple[VGroup, VGroup]:
        """Paths and yellow current-position dots that follow ``tracker`` (a step count)."""
        paths, dots = VGroup(), VGroup()
        for run, colour in zip(runs, colours, strict=True):
            params = run.trajectory.params

            def path(params=params, colour=colour):
                return polyline(to_screen(axes, partial_points(params, tracker.get_value())), colour)

            def dot(params=params, colour=colour):
                where = to_screen(axes, partial_points(params, tracker.get_value())[-1:])[0]
                return Dot(where, radius=0.065, color=POSITION, stroke_color=colour, stroke_width=2)

            paths.add(always_redraw(path))
            dots.add(always_redraw(dot))
        return paths, dots

    def direction_arrows(self, axes, runs, tracker, length: float = DIRECTION_LENGTH) -> Mobject:
        """A red arrow along −∇L at each run's current point (fixed length: direction only)."""

        def arrows():
            group = VGroup()
            for run in runs:
                w = partial_points(run.trajectory.params, tracker.get_value())[-1]
                g = np.asarray(run.surface.grad(w), dtype=float)
                a = to_screen(axes, [w])[0]
                d = -np.array([g[0], g[1], 0.0]) / max(np.linalg.norm(g), 1e-12)
                group.add(arrow_between(a, a + length * d, GRADIENT, width=4))
            return group

        return always_redraw(arrows)

    def step_counter(self, tracker, total: int, anchor) -> Mobject:
        """ "step k of total", redrawn every frame from ten digit glyphs typeset once (building a
        new Text each frame would dominate the render time)."""
        full = lighten(text(f"step 0123456789 of {total}", font_size=NOTE_SIZE + 2))
        prefix, digits, suffix = full[:4], full[4:14], full[14:]
        advance = (digits[9].get_x() - digits[0].get_x()) / 9  # the digits share one width

        def counter():
            value = str(int(round(tracker.get_value())))
            # Digit d moves from its own cell (d) to cell i of the number.
            glyphs = VGroup(
                *(digits[int(c)].copy().shift(RIGHT * (i - int(c)) * advance) for i, c in enumerate(value))
            )
            tail = suffix.copy().shift(RIGHT * (glyphs.get_right()[0] - digits.get_right()[0]))
            return VGroup(prefix.copy(), glyphs, tail).move_to(anchor, aligned_edge=LEFT)

        return always_redraw(counter)

    # ------------------------------------------------------------------ sections

    def title(self):
        run = self.bowl[1]
        narrate(
            self,
            f"Momentum: averaging the gradients. {plain(run.surface.latex)}, "
            f"η = {self.hp(run, 'lr'):g}, {run.trajectory.steps} steps.",
        )
        play_title_card(self, "Momentum: averaging the gradients", run)

    def moving_average(self):
        """An EMA of the zig-zag run's w₂ gradients: the sign flips cancel out."""
        heading = section_title("First: the exponential moving average")
        run = self.zigzag
        g2 = run.trajectory.grads[:EMA_STEPS, 1]
        top = float(np.ceil(np.max(np.abs(g2)) / 10) * 10)
        axes = Axes(
            x_range=[0, EMA_STEPS, 5],
            y_range=[-top, top, 10],
            x_length=5.6,
            y_length=4.0,
            axis_config={"include_numbers": True, "font_size": NOTE_SIZE, "color": MUTED},
            tips=False,
        )
        # Step numbers along the bottom edge, clear of the values near zero.
        bottom = axes.c2p(0, -top)[1]
        for number in axes.x_axis.numbers:
            number.set_y(bottom - 0.25)
        x_label = text("step t", font_size=NOTE_SIZE).next_to(axes.c2p(EMA_STEPS, -top), DOWN, buff=0.55)
        x_label.align_to(axes.x_axis.get_right(), RIGHT)
        y_label = math("g_2", font_size=BODY_SIZE + 4).next_to(axes.y_axis.get_top(), UP, buff=0.15)
        source = VGroup(
            text("g₂: the w₂ gradient of gradient descent", font_size=NOTE_SIZE - 2, color=MUTED),
            text(
                f"with η = {self.hp(run, 'lr'):g} on x² + 10y² (it zig-zags)",
                font_size=NOTE_SIZE - 2,
                color=MUTED,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
        source.next_to(x_label, DOWN, buff=0.2).align_to(axes, LEFT)
        plot = VGroup(axes, x_label, y_label, source).to_edge(LEFT, buff=0.8).to_edge(UP, buff=1.35)

        ts = np.arange(1, EMA_STEPS + 1)  # g_t = gradient at step t (the t-th recorded gradient)
        points = [axes.c2p(t, g) for t, g in zip(ts, g2, strict=True)]
        raw_dots = VGroup(*(Dot(p, radius=0.055, color=GRADIENT) for p in points))
        raw_line = polyline(np.array(points), GRADIENT, width=1.5).set_stroke(opacity=0.45)

        betas = [self.hp(self.betas[1], "momentum"), self.hp(self.betas[2], "momentum")]
        averages = []
        for beta in betas:
            v, values = 0.0, [0.0]
            for g in g2:
                v = beta * v + (1 - beta) * g
                values.append(v)
            averages.append(np.array(values))

        formula = math(r"v_t = \beta\, v_{t-1} + (1 - \beta)\, g_t")
        unrolled = math(
            r"= (1-\beta) \sum_{k \ge 0} \beta^k\, g_{t-k}, \quad v_0 = 0", font_size=FORMULA_SIZE - 2
        )
        window = VGroup(
            text("each step back weighs β times less:", font_size=NOTE_SIZE),
            text("about the last 1/(1 − β) gradients count", font_size=NOTE_SIZE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        key = legend(
            [
                ("g₂ at each step", GRADIENT, "dot"),
                *((f"moving average, β = {b:g}", c, "line") for b, c in zip(betas, EMA_COLOURS, strict=True)),
            ]
        )
        message = VGroup(
            text("g₂ flips sign every step:", font_size=BODY_SIZE - 2),
            text("the average cancels it.", font_size=BODY_SIZE - 2),
            text("A steady push would add up.", font_size=BODY_SIZE - 2),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        panel = VGroup(formula, unrolled, window, key, message).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        unrolled.shift(RIGHT * 0.4)
        panel.next_to(plot, RIGHT, buff=0.7).align_to(plot, UP)

        narrate(
            self,
            "First, the exponential moving average. Red dots: the w₂ gradients of gradient descent, "
            f"η = {self.hp(run, 'lr'):g}, on {plain(run.surface.latex)}; they flip sign every step.",
        )
        self.play(Write(heading), run_time=0.7)
        self.play(Create(axes), FadeIn(x_label), FadeIn(y_label), FadeIn(source), run_time=1.0)
        self.play(Write(formula), run_time=1.0)
        self.play(
            Create(raw_line),
            LaggedStart(*(FadeIn(d, scale=1.5) for d in raw_dots), lag_ratio=0.1),
            FadeIn(key[0]),
            run_time=1.6,
        )
        self.play(Write(unrolled), run_time=1.0)
        self.play(FadeIn(window), FadeIn(key[1:]), run_time=0.6)
        narrate(
            self,
            "v_t = β v_(t−1) + (1 − β) g_t: each step back weighs β times less. With "
            f"β = {betas[0]:g} and β = {betas[1]:g} the averages cancel the flips and stay far smaller; "
            "a steady push would add up.",
        )
        # Both averages, one step at a time.
        for t in range(EMA_STEPS):
            segments = [
                Create(
                    Line(axes.c2p(t, avg[t]), axes.c2p(t + 1, avg[t + 1]), color=colour, stroke_width=4),
                    rate_func=linear,
                )
                for avg, colour in zip(averages, EMA_COLOURS, strict=True)
            ]
            self.play(*segments, Indicate(raw_dots[t], scale_factor=1.4, color=GRADIENT), run_time=0.2)
        self.play(FadeIn(message, shift=UP * 0.2), run_time=0.8)
        self.wait(2.0)
        fade_out_all(self)

    def heavy_ball_and_nesterov(self):
        """Contours, then the three paths; the heavy ball's velocity against its gradient."""
        heading = section_title("Heavy ball and Nesterov on a narrow bowl")
        sgd, heavy, nesterov = self.bowl
        surface, n = heavy.surface, heavy.trajectory.steps
        everything = np.concatenate([r.trajectory.params for r in self.bowl])
        x0, x1 = np.floor(everything[:, 0].min() - 0.3), np.ceil(everything[:, 0].max() + 0.3)
        y_extent = np.ceil(2 * np.abs(everything[:, 1]).max()) / 2
        plane = self.plane(surface, ((x0, x1), (-y_extent, y_extent)), 1.1, BOWL_LEVELS)
        plane.to_edge(LEFT, buff=0.6).to_edge(UP, buff=1.45)
        axes, axis_labels, contours = plane
        minimum, start = self.markers(axes, surface, heavy.trajectory.params[0])

        lr, beta = self.hp(heavy, "lr"), self.hp(heavy, "momentum")
        values = math(
            rf"{surface.latex}, \quad \eta = {lr:g}, \quad \beta = {beta:g}", font_size=FORMULA_SIZE - 2
        )
        hb_name = text("Heavy ball", font_size=BODY_SIZE - 2, color=HEAVY_COLOUR)
        hb_rule = math(
            r"v \leftarrow \beta v + \nabla L(w), \quad w \leftarrow w - \eta v", font_size=FORMULA_SIZE - 2
        )
        nv_name = text(
            "Nesterov: gradient at the look-ahead point", font_size=BODY_SIZE - 2, color=NESTEROV_COLOUR
        )
        nv_rule = math(
            r"v \leftarrow \beta v + \nabla L(w - \eta \beta v), \quad w \leftarrow w - \eta v",
            font_size=FORMULA_SIZE - 2,
        )
        nv_stored = math(
            r"\text{PyTorch form: } w \leftarrow w - \eta\,(\nabla L(w) + \beta v)",
            font_size=FORMULA_SIZE - 2,
        )
        panel = VGroup(values, hb_name, hb_rule, nv_name, nv_rule, nv_stored).arrange(
            DOWN, aligned_edge=LEFT, buff=0.2
        )
        VGroup(*panel[1:]).shift(DOWN * 0.15)
        VGroup(*panel[3:]).shift(DOWN * 0.15)
        panel.next_to(plane, RIGHT, buff=0.45).to_edge(UP, buff=1.35)

        key = legend(
            [
                ("gradient descent", SGD_COLOUR, "line"),
                ("heavy ball", HEAVY_COLOUR, "line"),
                ("Nesterov", NESTEROV_COLOUR, "line"),
                ("−η∇L(w): gradient step", GRADIENT, "arrow"),
                ("−ηv: heavy-ball velocity", HEAVY_COLOUR, "arrow"),
            ],
            font_size=NOTE_SIZE - 2,
        )
        key = VGroup(VGroup(*key[:3]).arrange(RIGHT, buff=0.4), VGroup(*key[3:]).arrange(RIGHT, buff=0.35))
        key.arrange(DOWN, buff=0.2, aligned_edge=LEFT).next_to(panel, DOWN, buff=0.4).align_to(panel, LEFT)

        tracker = ValueTracker(0.0)
        paths, dots = self.racing_paths(axes, self.bowl, (SGD_COLOUR, HEAVY_COLOUR, NESTEROV_COLOUR), tracker)
        counter = self.step_counter(tracker, n, axes.get_corner(DL) + DOWN * 0.45)

        narrate(
            self,
            f"Heavy ball and Nesterov on the narrow bowl, with η = {lr:g} and β = {beta:g}. The heavy "
            "ball steps along v, a decaying sum of its gradients; Nesterov takes each gradient at a "
            "look-ahead point.",
        )
        self.play(Write(heading), run_time=0.7)
        self.play(Create(axes), FadeIn(axis_labels), run_time=0.8)
        self.play(Create(contours, lag_ratio=0.15), Write(values), run_time=1.2)
        self.play(FadeIn(minimum, scale=1.5), FadeIn(start, scale=1.5), run_time=0.6)
        self.play(FadeIn(hb_name), Write(hb_rule), run_time=1.0)
        self.play(FadeIn(nv_name), Write(nv_rule), run_time=1.0)
        self.play(Write(nv_stored), FadeIn(key), run_time=1.0)
        self.add(paths, dots)
        self.bring_to_front(minimum)
        self.play(FadeOut(start[0]), FadeIn(counter), run_time=0.3)

        # The heavy ball's first steps: its gradient step (red) and its velocity step (orange), which
        # is the step it takes: w ← w − ηv with v the recorded momentum buffer.
        params, grads = heavy.trajectory.params, heavy.trajectory.grads
        buffer = heavy.trajectory.state["momentum_buffer"]
        narrate(
            self,
            f"The heavy ball's first {ARROW_STEPS} steps: in red the gradient step, in orange the "
            "velocity step −ηv, which is the step it takes. The velocity keeps growing along the "
            "shallow w₁.",
        )
        for k in range(ARROW_STEPS):
            ends = np.array([params[k], params[k] - lr * grads[k], params[k] - lr * buffer[k]])
            a, g_tip, v_tip = to_screen(axes, ends)
            velocity = arrow_between(a, v_tip, HEAVY_COLOUR, width=7, tip=0.45)
            gradient = arrow_between(a, g_tip, GRADIENT, width=6, tip=0.45)
            self.play(GrowArrow(velocity), GrowArrow(gradient), run_time=0.5)
            self.play(
                tracker.animate.set_value(k + 1),
                FadeOut(velocity),
                FadeOut(gradient),
                rate_func=linear,
                run_time=0.6,
            )
        narrate(
            self,
            f"Then all three run {n} steps: gradient descent in grey, heavy ball in orange, Nesterov "
            f"in purple. Momentum overshoots along w₁, up to w₁ = "
            f"{heavy.trajectory.params[:, 0].max():.2f} (heavy ball) and "
            f"{nesterov.trajectory.params[:, 0].max():.2f} (Nesterov).",
        )
        self.play(tracker.animate.set_value(n), rate_func=linear, run_time=5.0)

        hb_loss, nv_loss = heavy.trajectory.loss[-1], nesterov.trajectory.loss[-1]
        narrate(
            self,
            f"The look-ahead brakes earlier: after {n} steps, L = {plain(tex_number(nv_loss))} for "
            f"Nesterov against {plain(tex_number(hb_loss))} for the heavy ball.",
        )
        note = VGroup(
            math(
                r"\text{Momentum overshoots along the shallow } w_1 \text{: up to } w_1 = "
                rf"{heavy.trajectory.params[:, 0].max():.2f} \text{{ (heavy ball), }}"
                rf"{nesterov.trajectory.params[:, 0].max():.2f} \text{{ (Nesterov).}}",
                font_size=NOTE_SIZE + 6,
            ),
            math(
                rf"\text{{The look-ahead brakes earlier: after {n} steps }} L = {tex_number(nv_loss)}"
                rf"\text{{ vs }} {tex_number(hb_loss)} \text{{ (heavy ball).}}",
                font_size=NOTE_SIZE + 6,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        note.to_edge(DOWN, buff=0.55).to_edge(LEFT, buff=0.6)
        self.play(FadeIn(note, shift=UP * 0.2), run_time=0.8)
        self.wait(2.0)
        fade_out_all(self)

    def rosenbrock_valley(self):
        """The three methods in Rosenbrock's curved valley; the legend becomes a table of final losses."""
        heading = section_title("Rosenbrock's curved valley")
        runs = self.rosenbrock
        surface, n = runs[0].surface, runs[0].trajectory.steps
        plane = self.plane(surface, surface.domain, 1.12, ROSENBROCK_LEVELS)
        plane.to_edge(LEFT, buff=0.6).to_edge(UP, buff=1.3)
        axes, axis_labels, contours = plane
        minimum, start = self.markers(axes, surface, runs[0].trajectory.params[0])
        minimum[1].next_to(minimum[0], DOWN, buff=0.1)
        colours = (SGD_COLOUR, HEAVY_COLOUR, NESTEROV_COLOUR)

        lr, beta = self.hp(runs[1], "lr"), self.hp(runs[1], "momentum")
        formula = math(surface.latex)
        values = math(
            rf"\eta = {lr:g}, \quad \beta = {beta:g}, \quad {n}\text{{ steps}}", font_size=FORMULA_SIZE - 2
        )
        levels = ", ".join(f"{v:.2g}" for v in ROSENBROCK_LEVELS[:3])
        top_key = legend(
            [
                (f"level sets: {levels}, ... (log-spaced)", contours[-1][0].get_color(), "line"),
                ("−∇L direction at each point", GRADIENT, "arrow"),
            ]
        )
        names = ("gradient descent", "heavy ball", "Nesterov")
        method_key = legend(list(zip(names, colours, ["line"] * 3, strict=True)), font_size=BODY_SIZE - 2)
        method_key.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        panel = VGroup(formula, values, top_key, method_key).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        method_key.shift(DOWN * 0.45)
        panel.next_to(plane, RIGHT, buff=0.6).to_edge(UP, buff=1.3)
        # Final losses: a column beside the method names, filled in once the race is over.
        column_x = method_key.get_right()[0] + 0.9
        header = math(rf"L(w_{{{n}}})", font_size=BODY_SIZE + 10, color=MUTED)
        header.next_to(method_key, UP, buff=0.2).set_x(column_x, direction=LEFT)
        header_words = text("method", font_size=BODY_SIZE - 2, color=MUTED)
        header_words.align_to(method_key, LEFT).match_y(header)
        finals = VGroup(
            *(
                math(tex_number(run.trajectory.loss[-1]), font_size=BODY_SIZE + 10, color=colour)
                .match_y(row)
                .set_x(column_x, direction=LEFT)
                for run, colour, row in zip(runs, colours, method_key, strict=True)
            )
        )

        tracker = ValueTracker(0.0)
        paths, dots = self.racing_paths(axes, runs, colours, tracker)
        counter = self.step_counter(tracker, n, method_key.get_corner(DL) + DOWN * 0.5)

        narrate(
            self,
            f"Rosenbrock's curved valley: the same three methods, with η = {lr:g} and β = {beta:g}, "
            f"for {n} steps.",
        )
        self.play(Write(heading), run_time=0.7)
        self.play(Create(axes), FadeIn(axis_labels), Write(formula), run_time=1.0)
        self.play(Create(contours, lag_ratio=0.1), FadeIn(top_key[0]), run_time=1.2)
        self.play(FadeIn(minimum, scale=1.5), FadeIn(start, scale=1.5), FadeIn(values), run_time=0.6)
        self.play(FadeIn(top_key[1]), FadeIn(method_key), run_time=0.5)
        arrows = self.direction_arrows(axes, runs, tracker)
        self.add(paths, dots)
        self.bring_to_front(minimum)
        narrate(
            self,
            f"On {plain(surface.latex)}, gradient descent crawls along the flat valley floor; momentum "
            "builds up speed along it. Red arrows point downhill.",
        )
        self.play(FadeOut(start[0]), FadeIn(counter), FadeIn(arrows), run_time=0.4)
        self.play(tracker.animate.set_value(n), rate_func=linear, run_time=5.0)
        arrows.clear_updaters()
        finals_said = ", ".join(
            f"{name} {plain(tex_number(run.trajectory.loss[-1]))}"
            for name, run in zip(names, runs, strict=True)
        )
        narrate(self, f"The losses after {n} steps: {finals_said}.")
        self.play(FadeOut(arrows), FadeIn(header), FadeIn(header_words), run_time=0.5)
        self.play(LaggedStart(*(FadeIn(f, shift=LEFT * 0.2) for f in finals), lag_ratio=0.3), run_time=1.0)
        message = text(
            "Gradient descent crawls along the flat valley floor; momentum builds speed along it.",
            font_size=NOTE_SIZE,
        ).to_edge(DOWN, buff=0.55)
        self.play(FadeIn(message, shift=UP * 0.2), run_time=0.6)
        self.wait(2.0)
        fade_out_all(self)

    def effect_of_beta(self):
        """Four values of β on the narrow bowl: one small panel each, and the loss per step (log)."""
        heading = section_title("The effect of β")
        runs = self.betas
        surface, n = runs[0].surface, runs[0].trajectory.steps
        betas = [self.hp(r, "momentum") for r in runs]
        lr = self.hp(runs[0], "lr")
        everything = np.concatenate([r.trajectory.params for r in runs])
        x_extent = np.ceil(np.abs(everything[:, 0]).max())
        y_extent = np.ceil(2 * np.abs(everything[:, 1]).max()) / 2
        bounds = ((-x_extent, x_extent), (-y_extent, y_extent))

        panels = VGroup()
        for beta, colour in zip(betas, BETA_COLOURS, strict=True):
            plane = self.plane(surface, bounds, PANEL_UNIT, BOWL_LEVELS)
            for label in plane[1]:
                label.scale(0.8)
            plane[1][0].next_to(plane[0].x_axis.get_end(), RIGHT, buff=0.1)
            plane[1][1].next_to(plane[0].y_axis.get_end(), UP, buff=0.08)
            name = f"β = {beta:g}" + (" (no momentum)" if beta == 0 else "")
            title = legend([(name, colour, "line")], font_size=NOTE_SIZE - 2)
            title.next_to(plane[0], UP, buff=0.3).align_to(plane[0], LEFT)
            panels.add(VGroup(plane, title))
        panels.arrange_in_grid(rows=2, cols=2, buff=(0.5, 0.3))
        panels.to_edge(LEFT, buff=0.6).to_edge(UP, buff=1.25)

        # Loss per step on a log axis: log10 L (shifted so the step axis is at the bottom), labelled
        # with powers of ten.
        logs = [np.log10(r.trajectory.loss) for r in runs]
        lo = float(np.floor(min(v.min() for v in logs) / 2) * 2)
        hi = float(np.ceil(max(v.max() for v in logs) / 2) * 2)
        loss_axes = Axes(
            x_range=[0, n, 50],
            y_range=[0, hi - lo, 2],
            x_length=4.2,
            y_length=3.4,
            axis_config={"color": MUTED, "font_size": NOTE_SIZE},
            x_axis_config={"include_numbers": True},
            tips=False,
        )
        y_numbers = VGroup(
            *(
                math(rf"10^{{{int(e)}}}", font_size=NOTE_SIZE).next_to(
                    loss_axes.c2p(0, e - lo), LEFT, buff=0.15
                )
                for e in np.arange(lo, hi + 1, 2)
            )
        )
        loss_labels = VGroup(
            text("step", font_size=NOTE_SIZE).next_to(loss_axes.x_axis.get_right(), DOWN, buff=0.45),
            math(r"L \ \text{(log scale)}", font_size=BODY_SIZE).next_to(
                loss_axes.y_axis.get_top(), UP, buff=0.15
            ),
        )
        VGroup(loss_axes, y_numbers, loss_labels).to_edge(RIGHT, buff=0.6).to_edge(UP, buff=1.3)

        rule = math(
            rf"v \leftarrow \beta v + \nabla L(w), \quad w \leftarrow w - \eta v, \quad \eta = {lr:g}",
            font_size=FORMULA_SIZE - 2,
        )
        rule.next_to(panels, DOWN, buff=0.3).align_to(panels, LEFT)
        key = legend(
            [("minimum", MINIMUM, "dot"), ("start", POSITION, "dot"), ("−∇L direction", GRADIENT, "arrow")]
        )
        key.arrange(RIGHT, buff=0.5).next_to(rule, DOWN, buff=0.25).align_to(rule, LEFT)

        tracker = ValueTracker(0.0)
        markers, paths, dots, arrows = VGroup(), VGroup(), VGroup(), VGroup()
        for panel, run, colour in zip(panels, runs, BETA_COLOURS, strict=True):
            axes = panel[0][0]
            minimum, start = self.markers(axes, surface, run.trajectory.params[0])
            markers.add(VGroup(minimum[0].scale(0.8), start[0].scale(0.8)))
            path, dot = self.racing_paths(axes, [run], [colour], tracker)
            paths.add(path)
            dots.add(dot)
            arrows.add(self.direction_arrows(axes, [run], tracker, length=0.3))
        curves = VGroup()
        for values, colour in zip(logs, BETA_COLOURS, strict=True):
            series = np.column_stack([np.arange(n + 1), values - lo])

            def curve(series=series, colour=colour):
                points = to_screen(loss_axes, partial_points(series, tracker.get_value()))
                return polyline(points, colour, width=3)

            curves.add(always_redraw(curve))
        counter = self.step_counter(tracker, n, loss_axes.get_corner(UR) + LEFT * 2.0 + UP * 0.3)

        said = ", ".join(f"{b:g}" for b in betas[:-1]) + f" and {betas[-1]:g}"
        narrate(self, f"The effect of β: one panel each for β = {said}, with η = {lr:g}.")
        self.play(Write(heading), run_time=0.7)
        self.play(
            *(Create(p[0][0]) for p in panels),
            *(FadeIn(p[0][1]) for p in panels),
            *(Create(p[0][2], lag_ratio=0.1) for p in panels),
            run_time=1.2,
        )
        self.play(FadeIn(markers), *(FadeIn(p[1]) for p in panels), Write(rule), FadeIn(key), run_time=0.9)
        self.play(Create(loss_axes), FadeIn(y_numbers), FadeIn(loss_labels), run_time=0.8)
        self.add(paths, dots, curves)
        narrate(
            self,
            f"All four run {n} steps; on the right, their losses per step on a log scale. Up to a "
            "point, more momentum brings the loss down faster.",
        )
        self.play(*(FadeOut(m[1]) for m in markers), FadeIn(counter), FadeIn(arrows), run_time=0.3)
        self.play(tracker.animate.set_value(n), rate_func=linear, run_time=6.0)
        arrows.clear_updaters()
        for arrow in arrows:
            arrow.clear_updaters()

        finals = [r.trajectory.loss[-1] for r in runs]
        best = int(np.argmin(finals))
        note = VGroup(
            text("Faster with more β, up to a point:", font_size=NOTE_SIZE),
            text(f"β = {betas[best]:g} ends lowest. At β = {betas[-1]:g}", font_size=NOTE_SIZE),
            text("the ball overshoots again and again.", font_size=NOTE_SIZE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        note.to_edge(DOWN, buff=0.55).align_to(y_numbers, LEFT)
        narrate(
            self,
            f"β = {betas[best]:g} ends lowest, at L = {plain(tex_number(finals[best]))}; at "
            f"β = {betas[-1]:g} the ball overshoots again and again, ending at "
            f"{plain(tex_number(finals[-1]))}.",
        )
        self.play(FadeOut(arrows), FadeIn(note, shift=UP * 0.2), run_time=0.8)
        self.wait(2.0)
        fade_out_all(self)
