"""Momentum: the exponential moving average first, then heavy ball and Nesterov, then the effect of β.

Reads the recorded runs the build hands it, by the names the lesson gives them: the zig-zag run's
w₂ gradients (the sequence the moving average smooths), the elongated-bowl and Rosenbrock races of
gradient descent, heavy ball and Nesterov (with the heavy ball's recorded momentum buffer), and the
``beta-*`` runs. The only arithmetic done here is the moving average of a recorded gradient sequence, which
illustrates the formula on screen. Preview: ``manim -ql scenes/momentum.py Momentum``.
"""

from manim import *
from style import *

# What this lesson calls the methods (the registry's label for any other), and the colours of the
# two moving averages and of the four values of β (clear of red / yellow / green).
SAID = {"sgd": "gradient descent", "momentum": "heavy ball"}
EMA_COLOURS = (BLUE_C, PINK)
BETA_COLOURS = (GREY_B, BLUE_C, ORANGE, PINK)

EMA_STEPS = 20  # the first steps of the zig-zag run's gradients shown (later ones are ~0)
BOWL_LEVELS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)  # doubling levels of x² + 10y²
ROSENBROCK_LEVELS = tuple(10.0 ** np.arange(-1.0, 3.5, 0.5))  # log-spaced: 0.1 ... 1000
ARROW_STEPS = 5  # heavy-ball steps shown one at a time with gradient and velocity arrows
DIRECTION_LENGTH = 0.35  # screen length of the −∇L direction arrows (they show direction only)
PANEL_UNIT = 0.45  # screen units per unit of w in the four small β panels


class Momentum(Scene):
    """Moving average, then heavy ball vs Nesterov on a narrow bowl, in Rosenbrock's valley, and β."""

    def construct(self):
        self.handed = inputs(self)
        self.zigzag = self.handed.load("zigzag")
        self.bowl = self.named("elongated-")  # gradient descent, heavy ball, Nesterov
        self.rosenbrock = self.named("rosenbrock-")  # the same three
        self.betas = self.named("beta-")  # heavy ball at four values of β

        self.title()
        self.moving_average()
        self.heavy_ball_and_nesterov()
        self.rosenbrock_valley()
        self.effect_of_beta()

    # ------------------------------------------------------------------ helpers

    def named(self, prefix: str) -> list:
        """The inputs whose names start with ``prefix``, in the order the spec lists them."""
        return [self.handed.load(name) for name in self.handed.names() if name.startswith(prefix)]

    @staticmethod
    def hp(run, name: str) -> float:
        return run.recipe["hyperparameters"].get(name, 0.0)

    @staticmethod
    def look(run):
        """The name this lesson says for a run's method, and its registry colour."""
        name = run.recipe["optimizer"]
        look = optimizer_look(name)
        return SAID.get(name, look.label), look.colour

    def markers(self, axes, surface, start) -> tuple[VGroup, VGroup]:
        """The minimum (green) and the start (yellow), each with its label."""
        return (
            marked_point(axes, surface.global_minimum.point, MINIMUM, "w^*", DR, buff=0.05),
            marked_point(axes, start, POSITION, "w_0", UP, buff=0.1),
        )

    def race(self, axes, runs, tracker, colours=None) -> VGroup:
        """The runs' paths and current points as ``tracker`` counts their steps."""
        colours = colours or [self.look(run)[1] for run in runs]
        return racing_paths(
            axes, [(r.trajectory.params, c) for r, c in zip(runs, colours, strict=True)], tracker
        )

    def direction_arrows(self, axes, runs, tracker, length: float = DIRECTION_LENGTH) -> Mobject:
        """A red arrow along −∇L at each run's current point (fixed length: direction only)."""

        def arrows():
            group = VGroup()
            for run in runs:
                w = path_until(run.trajectory.params, tracker.get_value())[-1]
                g = np.asarray(run.surface.grad(w), dtype=float)
                a = to_screen(axes, [w])[0]
                d = -np.array([g[0], g[1], 0.0]) / max(np.linalg.norm(g), 1e-12)
                group.add(arrow_between(a, a + length * d, GRADIENT, width=4))
            return group

        return always_redraw(arrows)

    @staticmethod
    def step_counter(tracker, total: int, anchor) -> VGroup:
        return step_counter(tracker, total, NOTE_SIZE + 2).move_to(anchor, aligned_edge=LEFT)

    # ------------------------------------------------------------------ sections

    def title(self):
        run_title_card(self, "Momentum: averaging the gradients", self.bowl[1])

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
        window = text_lines(
            "each step back weighs β times less:",
            "about the last 1/(1 − β) gradients count",
            buff=0.1,
        )
        key = legend(
            [
                ("g₂ at each step", GRADIENT, "dot"),
                *((f"moving average, β = {b:g}", c, "line") for b, c in zip(betas, EMA_COLOURS, strict=True)),
            ]
        )
        message = text_lines(
            "g₂ flips sign every step:",
            "the average cancels it.",
            "A steady push would add up.",
            font_size=BODY_SIZE - 2,
        )
        panel = VGroup(formula, unrolled, window, key, message).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        unrolled.shift(RIGHT * 0.4)
        panel.next_to(plot, RIGHT, buff=0.7).align_to(plot, UP)

        open_section(
            self,
            heading,
            "First, the exponential moving average. Red dots: the w₂ gradients of gradient descent, "
            f"η = {self.hp(run, 'lr'):g}, on {plain(run.surface.latex)}; they flip sign every step.",
        )
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
        plane = contour_plane(surface, ((x0, x1), (-y_extent, y_extent)), 1.1, BOWL_LEVELS, stroke_width=2)
        plane.to_edge(LEFT, buff=0.6).to_edge(UP, buff=1.45)
        axes, axis_labels, contours = plane
        minimum, start = self.markers(axes, surface, heavy.trajectory.params[0])
        looks = [self.look(run) for run in self.bowl]
        heavy_colour, nesterov_colour = looks[1][1], looks[2][1]

        lr, beta = self.hp(heavy, "lr"), self.hp(heavy, "momentum")
        values = math(
            rf"{surface.latex}, \quad \eta = {lr:g}, \quad \beta = {beta:g}", font_size=FORMULA_SIZE - 2
        )
        hb_name = text("Heavy ball", font_size=BODY_SIZE - 2, color=heavy_colour)
        hb_rule = math(
            r"v \leftarrow \beta v + \nabla L(w), \quad w \leftarrow w - \eta v", font_size=FORMULA_SIZE - 2
        )
        nv_name = text(
            "Nesterov: gradient at the look-ahead point", font_size=BODY_SIZE - 2, color=nesterov_colour
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
                *((name, colour, "line") for name, colour in looks),
                ("−η∇L(w): gradient step", GRADIENT, "arrow"),
                ("−ηv: heavy-ball velocity", heavy_colour, "arrow"),
            ],
            font_size=NOTE_SIZE - 2,
        )
        key = VGroup(VGroup(*key[:3]).arrange(RIGHT, buff=0.4), VGroup(*key[3:]).arrange(RIGHT, buff=0.35))
        key.arrange(DOWN, buff=0.2, aligned_edge=LEFT).next_to(panel, DOWN, buff=0.4).align_to(panel, LEFT)

        tracker = ValueTracker(0.0)
        racers = self.race(axes, self.bowl, tracker)
        counter = self.step_counter(tracker, n, axes.get_corner(DL) + DOWN * 0.45)

        open_section(
            self,
            heading,
            f"Heavy ball and Nesterov on the narrow bowl, with η = {lr:g} and β = {beta:g}. The heavy "
            "ball steps along v, a decaying sum of its gradients; Nesterov takes each gradient at a "
            "look-ahead point.",
        )
        self.play(Create(axes), FadeIn(axis_labels), run_time=0.8)
        self.play(Create(contours, lag_ratio=0.15), Write(values), run_time=1.2)
        self.play(FadeIn(minimum, scale=1.5), FadeIn(start, scale=1.5), run_time=0.6)
        self.play(FadeIn(hb_name), Write(hb_rule), run_time=1.0)
        self.play(FadeIn(nv_name), Write(nv_rule), run_time=1.0)
        self.play(Write(nv_stored), FadeIn(key), run_time=1.0)
        self.add(racers)
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
            velocity = arrow_between(a, v_tip, heavy_colour, width=7, tip=0.45)
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
        lines = (
            r"\text{Momentum overshoots along the shallow } w_1 \text{: up to } w_1 = "
            rf"{heavy.trajectory.params[:, 0].max():.2f} \text{{ (heavy ball), }}"
            rf"{nesterov.trajectory.params[:, 0].max():.2f} \text{{ (Nesterov).}}",
            rf"\text{{The look-ahead brakes earlier: after {n} steps }} L = {tex_number(nv_loss)}"
            rf"\text{{ vs }} {tex_number(hb_loss)} \text{{ (heavy ball).}}",
        )
        note = VGroup(*(math(line, font_size=NOTE_SIZE + 6) for line in lines))
        note.arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        note.to_edge(DOWN, buff=0.55).to_edge(LEFT, buff=0.6)
        self.play(FadeIn(note, shift=UP * 0.2), run_time=0.8)
        self.wait(2.0)
        fade_out_all(self)

    def rosenbrock_valley(self):
        """The three methods in Rosenbrock's curved valley; the legend becomes a table of final losses."""
        heading = section_title("Rosenbrock's curved valley")
        runs = self.rosenbrock
        surface, n = runs[0].surface, runs[0].trajectory.steps
        plane = contour_plane(surface, surface.domain, 1.12, ROSENBROCK_LEVELS, stroke_width=2)
        plane.to_edge(LEFT, buff=0.6).to_edge(UP, buff=1.3)
        axes, axis_labels, contours = plane
        minimum, start = self.markers(axes, surface, runs[0].trajectory.params[0])
        minimum[1].next_to(minimum[0], DOWN, buff=0.1)
        names, colours = zip(*(self.look(run) for run in runs), strict=True)

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
        racers = self.race(axes, runs, tracker)
        counter = self.step_counter(tracker, n, method_key.get_corner(DL) + DOWN * 0.5)

        open_section(
            self,
            heading,
            f"Rosenbrock's curved valley: the same three methods, with η = {lr:g} and β = {beta:g}, "
            f"for {n} steps.",
        )
        self.play(Create(axes), FadeIn(axis_labels), Write(formula), run_time=1.0)
        self.play(Create(contours, lag_ratio=0.1), FadeIn(top_key[0]), run_time=1.2)
        self.play(FadeIn(minimum, scale=1.5), FadeIn(start, scale=1.5), FadeIn(values), run_time=0.6)
        self.play(FadeIn(top_key[1]), FadeIn(method_key), run_time=0.5)
        arrows = self.direction_arrows(axes, runs, tracker)
        self.add(racers)
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
            plane = contour_plane(surface, bounds, PANEL_UNIT, BOWL_LEVELS, stroke_width=2)
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
            (path,), (dot,) = self.race(axes, [run], tracker, [colour])
            paths.add(path)
            dots.add(dot)
            arrows.add(self.direction_arrows(axes, [run], tracker, length=0.3))
        curves = VGroup(
            *(
                traced_path(
                    loss_axes, np.column_stack([np.arange(n + 1), values - lo]), colour, tracker, width=3
                )
                for values, colour in zip(logs, BETA_COLOURS, strict=True)
            )
        )
        counter = self.step_counter(tracker, n, loss_axes.get_corner(UR) + LEFT * 2.0 + UP * 0.3)

        said = ", ".join(f"{b:g}" for b in betas[:-1]) + f" and {betas[-1]:g}"
        open_section(self, heading, f"The effect of β: one panel each for β = {said}, with η = {lr:g}.")
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
        note = text_lines(
            "Faster with more β, up to a point:",
            f"β = {betas[best]:g} ends lowest. At β = {betas[-1]:g}",
            "the ball overshoots again and again.",
        )
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
