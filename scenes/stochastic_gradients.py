"""Stochastic gradients: every minibatch has a loss surface of its own; SGD steps down the surface of
the batch it drew, so its path jitters around the minimum in a ball that shrinks with the batch
size, as the cloud of minibatch gradients at one point tightens around the full gradient.

Reads what the build hands it: minibatch runs of plain SGD (each with its samples, its points, the
indices of every batch and the rate of every step) and a gradient cloud (1,000 minibatch gradients
per batch size at one point, the full gradient there and σ₁², the spread of one sample's
gradient). A batch's loss is the mean of its samples' losses, a quadratic of the stored samples:
it is evaluated from them and the recorded batch indices to draw its level sets. The steps are the
recorded points, the minimum the one the samples give (least squares, from the engine). The only
arithmetic done here: how far the runs stay from the minimum over their second half (root mean
square), the variance of the stored gradients, and the sampling formula shown on screen.
Preview: ``manim -ql scenes/stochastic_gradients.py StochasticGradients``.
"""

from manim import *
from style import *

from descent.contours import grid_contours

# Level sets at these heights above the lowest value on the plot (doubling: each line is about
# √2 farther out than the last on a round bowl); a batch's own surface gets every other one.
GAPS = (0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
BATCH_GAPS = GAPS[::2]
# One colour per batch size, smallest first, the same in every section (clear of red, yellow and
# green, which mean gradient, position and minimum).
PALETTE = (ORANGE, PINK, PURPLE_B, TEAL_C, WHITE)
GRID = 160  # grid points per side for level sets
UNIT = 1.0  # screen units per unit of w on the parameter plane
RACE_UNIT = 0.8  # ... on the plane the runs race over, beside ...
ZOOM_UNIT = 1.8  # ... the zoomed view around the minimum
ZOOM_HALF = 1.0  # half the side of the zoomed square, in w
SLOW_STEPS = 4  # steps of the smallest batch shown one at a time, each on its batch's surface
CLOUD_VIEW = ((-12.0, 3.0), (-4.0, 6.0))  # the gradient plane (g_1, g_2) of the cloud
CLOUD_UNIT = 0.42
DOT_RADIUS = 0.028  # of a sample or of a drawn gradient, on the screen


def dot_field(points: np.ndarray, colour, radius: float = DOT_RADIUS, opacity: float = 0.7) -> VMobject:
    """Small discs at screen ``points`` [k, 3], all in one mobject (one path, cheap to draw); a
    point with ``radius`` 0 is there but not seen, so two fields of as many points morph point by
    point."""
    circle = Circle(radius=1.0).points
    radii = np.broadcast_to(np.asarray(radius, dtype=float), (len(points),))
    mob = VMobject(fill_color=colour, fill_opacity=opacity, stroke_width=0)
    mob.set_points(np.concatenate([circle * r + p for p, r in zip(points, radii, strict=True)]))
    return mob


def bounds_of(points: np.ndarray, margin: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """Whole-number bounds holding ``points`` [k, 2] with ``margin`` to spare."""
    lo, hi = np.floor(points.min(axis=0) - margin), np.ceil(points.max(axis=0) + margin)
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


class StochasticGradients(Scene):
    """Title; one step on the surface of each batch; the runs racing; the cloud of gradients."""

    def construct(self):
        handed = inputs(self)
        recipes = {i.name: i.recipe for i in handed.inputs}
        self.runs = handed.load_all("minibatch")  # smallest batch first, as the spec lists them
        self.cloud = handed.load_all("gradient_cloud")[0]
        self.sizes = [int(run.batches.shape[1]) for run in self.runs]
        self.steps = self.runs[0].batches.shape[0]
        self.lr = recipes[handed.names("minibatch")[0]]["hyperparameters"]["lr"]
        self.problem = self.runs[0].problem
        self.n = self.problem.n
        self.w_star = self.problem.minimum()
        self.loss_star = self.problem.loss(self.w_star)
        every = sorted({*self.sizes, *(int(b) for b in self.cloud.batches)})
        self.colour = {b: PALETTE[i] for i, b in enumerate(every)}
        self.bounds = bounds_of(np.concatenate([run.params for run in self.runs]), 0.2)

        self.title()
        self.one_step_per_batch()
        self.the_race()
        self.the_cloud()

    # ------------------------------------------------------------------ helpers

    def level_sets(self, axes, indices=None, gaps=GAPS, bounds=None) -> VGroup:
        """The level sets of the full loss (or of the batch ``indices``) over ``bounds``."""
        (x0, x1), (y0, y1) = bounds or self.bounds
        z = self.problem.surface(((x0, x1), (y0, y1)), GRID, indices)
        lowest = self.loss_star if indices is None else float(z.min())
        lines = grid_contours(
            np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID), z, [lowest + g for g in gaps]
        )
        return contour_mobjects(axes, lines, stroke_width=2)

    def plane(self, bounds=None, unit: float = UNIT, step: float = 1.0, decimals: int = 0):
        """Axes over the parameter plane, their labels, and the full loss's level sets."""
        bounds = bounds or self.bounds
        axes, labels = plane_axes(bounds, unit, step=step, decimals=decimals)
        return axes, labels, self.level_sets(axes, bounds=bounds)

    def minimum_mark(self, axes) -> VGroup:
        return marked_point(axes, self.w_star, MINIMUM, "w^*", DR, buff=0.04)

    def scatter(self) -> tuple[Axes, VGroup, VMobject]:
        """The samples (x_i, y_i) on axes of their own, labelled."""
        x, y = self.problem.x, self.problem.y
        x_top, y_top = np.ceil(np.abs(x).max()), 2 * np.ceil(np.abs(y).max() / 2)
        axes = Axes(
            x_range=[-x_top, x_top, 1],
            y_range=[-y_top, y_top, 2],
            x_length=4.4,
            y_length=2.9,
            axis_config={"color": MUTED, "font_size": NOTE_SIZE - 4, "include_tip": False},
            x_axis_config={"include_numbers": True, "numbers_to_exclude": [0]},
            y_axis_config={"include_numbers": True, "numbers_to_include": [-y_top, y_top]},
        )
        labels = VGroup(
            math("x", font_size=BODY_SIZE).next_to(axes.x_axis.get_end(), RIGHT, buff=0.15),
            math("y", font_size=BODY_SIZE).next_to(axes.y_axis.get_end(), UP, buff=0.1),
        )
        dots = dot_field(np.asarray(axes.c2p(x, y)).T, MUTED, radius=0.03, opacity=0.8)
        return axes, labels, dots

    def model_line(self, axes: Axes, w) -> Line:
        """The line ŷ = w₁x + w₂ of point ``w``, cut at the edges of the samples' axes."""
        (x0, x1), (y0, y1) = axes.x_range[:2], axes.y_range[:2]
        a, b = float(w[0]), float(w[1])
        if abs(a) > 1e-9:
            ends = sorted([(y0 - b) / a, (y1 - b) / a])
            x0, x1 = max(x0, ends[0]), min(x1, ends[1])
        return Line(axes.c2p(x0, a * x0 + b), axes.c2p(x1, a * x1 + b), color=POSITION, stroke_width=3)

    def batch_drawn(self, axes, s_axes, batch, colour, radius: float) -> tuple[VGroup, VGroup]:
        """A batch's own loss as level sets on the plane, and its samples on the data's axes."""
        surface = self.level_sets(axes, batch, BATCH_GAPS).set_stroke(colour, opacity=0.9)
        points = np.asarray(s_axes.c2p(self.problem.x[batch], self.problem.y[batch])).T
        return surface, dot_field(points, colour, radius=radius, opacity=1.0)

    def steps_from(self, axes, run, k: int, colour) -> VGroup:
        """From ``run``'s point ``k``: the full gradient's step −η∇L there (red), at the rate the
        run used, and the step the run took (``colour``), as recorded."""
        w, taken = run.params[k], run.params[k + 1] - run.params[k]
        full = -run.rates[k] * self.problem.gradient(w)
        a, f, s = to_screen(axes, np.array([w, w + full, w + taken]))
        return VGroup(arrow_between(a, f, GRADIENT, width=5), arrow_between(a, s, colour, width=5))

    @staticmethod
    def recolour(key: VGroup, colour) -> list[Animation]:
        """Turn the legend's rows of the batch (its loss and its step) to ``colour``."""
        return [key[row].animate.set_color(colour) for row in (1, 3)]

    @staticmethod
    def dashed_square(axes, bounds, dashes: int) -> VMobject:
        """The outline of ``bounds`` on ``axes``, dashed."""
        (x0, x1), (y0, y1) = bounds
        corners = to_screen(axes, np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]))
        return DashedVMobject(Polygon(*corners), num_dashes=dashes).set_stroke(MUTED, width=2)

    @staticmethod
    def tag(words: str, colour, corner) -> Text:
        """A label set in a corner of a plot, on a dark background."""
        label = text(words, font_size=NOTE_SIZE + 2, color=colour)
        return label.move_to(corner, aligned_edge=UR).add_background_rectangle(opacity=0.85, buff=0.08)

    # ------------------------------------------------------------------ sections

    def title(self):
        formulas = math(
            r"\ell_i(w) = \tfrac12\,(w_1 x_i + w_2 - y_i)^2,"
            r"\qquad L(w) = \frac{1}{N}\sum_{i=1}^{N} \ell_i(w)",
            font_size=FORMULA_SIZE - 4,
        )
        values = text(
            f"N = {self.n} samples, SGD with η = {self.lr:g}, a batch of B samples per step",
            font_size=BODY_SIZE,
            color=MUTED,
        )
        title_card(
            self,
            "Stochastic gradients and batch size",
            formulas,
            values,
            then=f"a line fitted to {self.n} samples by SGD, η = {self.lr:g}, B samples per step.",
        )

    def one_step_per_batch(self):
        """The full loss's level sets; then steps of the smallest batch, each on the surface of
        the sample it drew, against −η∇L; then one step of a larger batch and of all samples."""
        heading = section_title("Every batch has its own loss surface")
        axes, axis_labels, contours = self.plane()
        plane = VGroup(axes, axis_labels, contours).to_edge(LEFT, buff=0.6).to_edge(DOWN, buff=0.6)
        minimum = self.minimum_mark(axes)
        small, middle, whole = self.runs
        b_small, b_middle, b_whole = self.sizes
        start = small.params[0]
        start_mark = marked_point(axes, start, POSITION, "w_0", UP, buff=0.1)

        rules = VGroup(
            math(r"L_B(w) = \frac{1}{B}\sum_{i \in \text{batch}} \ell_i(w)", font_size=FORMULA_SIZE - 8),
            math(r"w \leftarrow w - \eta\, \nabla L_B(w)", font_size=FORMULA_SIZE - 8),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        rules.next_to(plane, RIGHT, buff=0.4).to_edge(UP, buff=1.4)
        batch_colour = self.colour[b_small]
        key = legend(
            [
                (f"L: all {self.n} samples", contours[-1][0].get_color(), "line"),
                ("the batch's loss", batch_colour, "line"),
                ("−η∇L (all samples)", GRADIENT, "arrow"),
                ("−η∇L of the batch", batch_colour, "arrow"),
                ("ŷ = w₁x + w₂ at w", POSITION, "line"),
            ],
            font_size=NOTE_SIZE - 2,
        )
        s_axes, s_labels, s_dots = self.scatter()
        samples = VGroup(s_axes, s_labels, s_dots)
        key.next_to(rules, RIGHT, buff=0.35).align_to(rules, UP)
        samples.next_to(VGroup(rules, key), DOWN, buff=0.4)
        samples.set_x((plane.get_right()[0] + config.frame_x_radius) / 2)
        line = self.model_line(s_axes, start)

        open_section(
            self,
            heading,
            f"The full loss L, the mean of the {self.n} samples' losses ℓᵢ = ½(w₁xᵢ + w₂ − yᵢ)², "
            "is a round bowl: blue, its level sets; green, its minimum w*; yellow, the start w₀. "
            "Right: the samples and the line of the current w.",
        )
        self.play(Create(axes), FadeIn(axis_labels), Write(rules[0]), run_time=1.2)
        self.play(Create(contours, lag_ratio=0.15), FadeIn(samples), Create(line), run_time=1.6)
        self.play(
            FadeIn(minimum, scale=1.5),
            FadeIn(start_mark, scale=1.5),
            FadeIn(key[0]),
            FadeIn(key[4]),
            run_time=0.8,
        )
        self.wait(4.0)

        corner = axes.c2p(self.bounds[0][1], self.bounds[1][1]) + LEFT * 0.05 + DOWN * 0.05
        walker = Dot(to_screen(axes, [start])[0], color=POSITION, radius=0.08)
        narrate(
            self,
            f"SGD with B = {b_small} draws one sample per step. Its loss, in orange, is a trough: "
            "zero on every line through that sample. SGD steps by −η times its gradient, straight "
            f"down the trough's side, not along the full gradient's −η∇L in red (η = {self.lr:g}); "
            "a sample the line already nearly fits barely moves it.",
        )
        self.play(Write(rules[1]), FadeIn(key[1:4]), FadeOut(start_mark[0]), FadeIn(walker), run_time=1.0)
        self.play(contours.animate.set_stroke(opacity=0.35), run_time=0.4)
        path = VGroup()
        for k in range(SLOW_STEPS):
            surface, drawn = self.batch_drawn(axes, s_axes, small.batches[k], batch_colour, 0.08)
            label = self.tag(f"B = {b_small}, step {k + 1}", batch_colour, corner)
            arrows = self.steps_from(axes, small, k, batch_colour)
            self.play(Create(surface, lag_ratio=0.1), FadeIn(drawn, scale=2), FadeIn(label), run_time=0.7)
            self.play(GrowArrow(arrows[0]), GrowArrow(arrows[1]), run_time=0.5)
            self.wait(0.4)
            a, b = to_screen(axes, small.params[k : k + 2])
            piece = Line(a, b, color=PATH, stroke_width=3)
            path.add(piece)
            self.play(
                Create(piece),
                walker.animate.move_to(b),
                Transform(line, self.model_line(s_axes, small.params[k + 1])),
                run_time=0.6,
            )
            self.bring_to_front(walker)
            self.play(FadeOut(surface), FadeOut(drawn), FadeOut(arrows), FadeOut(label), run_time=0.3)

        # A batch of many samples: its surface is a bowl near the full one, its step near −η∇L.
        mid_colour = self.colour[b_middle]
        surface, drawn = self.batch_drawn(axes, s_axes, middle.batches[0], mid_colour, 0.06)
        label = self.tag(f"B = {b_middle}, step 1", mid_colour, corner)
        arrows = self.steps_from(axes, middle, 0, mid_colour)
        taken, full = middle.params[1] - start, -middle.rates[0] * self.problem.gradient(start)
        cosine = taken @ full / (np.linalg.norm(taken) * np.linalg.norm(full))
        narrate(
            self,
            f"With B = {b_middle}, from w₀ again: the batch's loss is a bowl close to the full one; "
            f"its step points within {np.degrees(np.arccos(cosine)):.0f}° of −η∇L, "
            f"{fmt(np.linalg.norm(taken))} long against {fmt(np.linalg.norm(full))}.",
        )
        self.play(
            FadeOut(path),
            walker.animate.move_to(to_screen(axes, [start])[0]),
            Transform(line, self.model_line(s_axes, start)),
            *self.recolour(key, mid_colour),
            run_time=0.6,
        )
        self.play(Create(surface, lag_ratio=0.1), FadeIn(drawn, scale=2), FadeIn(label), run_time=0.8)
        self.play(GrowArrow(arrows[0]), GrowArrow(arrows[1]), run_time=0.5)
        self.wait(1.4)
        b = to_screen(axes, middle.params[1:2])[0]
        self.play(walker.animate.move_to(b), Transform(line, self.model_line(s_axes, middle.params[1])))
        self.wait(1.6)

        whole_colour = self.colour[b_whole]
        narrate(
            self,
            f"With all {b_whole} samples the batch's loss is L itself, and the step is −η∇L: plain "
            "gradient descent.",
        )
        label_whole = self.tag(f"B = {b_whole}, step 1", whole_colour, corner)
        whole_step = self.steps_from(axes, whole, 0, whole_colour)
        self.play(
            FadeOut(surface),
            FadeOut(drawn),
            FadeOut(arrows),
            FadeOut(label),
            walker.animate.move_to(to_screen(axes, [start])[0]),
            Transform(line, self.model_line(s_axes, start)),
            run_time=0.5,
        )
        self.play(
            contours.animate.set_stroke(opacity=1.0),
            *self.recolour(key, whole_colour),
            s_dots.animate.set_fill(whole_colour, opacity=0.9),
            FadeIn(label_whole),
            run_time=0.6,
        )
        self.play(GrowArrow(whole_step[1]), GrowArrow(whole_step[0]), run_time=0.5)
        b = to_screen(axes, whole.params[1:2])[0]
        self.play(walker.animate.move_to(b), Transform(line, self.model_line(s_axes, whole.params[1])))
        self.wait(1.2)
        fade_out_all(self)

    def the_race(self):
        """The runs' paths over the plane and, beside it, around the minimum, where the small
        batches keep jittering; then each run's spread there over the second half of the run."""
        heading = section_title("Racing to the minimum, then jittering around it")
        axes, axis_labels, contours = self.plane(unit=RACE_UNIT)
        VGroup(axes, axis_labels, contours).to_edge(LEFT, buff=0.5)
        VGroup(axes, axis_labels, contours).shift(UP * (-0.5 - axes.get_center()[1]))
        centre = np.round(self.w_star * 2) / 2
        zoom_bounds = tuple((float(c - ZOOM_HALF), float(c + ZOOM_HALF)) for c in centre)
        z_axes, z_labels, z_contours = self.plane(zoom_bounds, ZOOM_UNIT, step=0.5, decimals=1)
        VGroup(z_axes, z_labels, z_contours).to_edge(RIGHT, buff=0.45)
        VGroup(z_axes, z_labels, z_contours).shift(UP * (axes.get_center()[1] - z_axes.get_center()[1]))
        marks = VGroup(self.minimum_mark(axes), self.minimum_mark(z_axes))
        box = self.dashed_square(axes, zoom_bounds, 24)
        frame = self.dashed_square(z_axes, zoom_bounds, 60)

        colours = [self.colour[b] for b in self.sizes]
        key = legend(
            [
                (f"B = {b}" + (" (all)" if b == self.n else ""), c, "line")
                for b, c in zip(self.sizes, colours, strict=True)
            ],
            font_size=NOTE_SIZE,
        )
        tracker = ValueTracker(0.0)
        counter = step_counter(tracker, self.steps, NOTE_SIZE + 2)
        key.arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        column = VGroup(counter, key).arrange(DOWN, aligned_edge=LEFT, buff=0.5)
        column.next_to(axis_labels[0], RIGHT, buff=0.4).align_to(axes, UP)
        runs = [(run.params, c) for run, c in zip(self.runs, colours, strict=True)]
        racers = racing_paths(axes, runs, tracker, width=2.5, bounds=self.bounds)
        zoomed = racing_paths(z_axes, runs, tracker, width=2, bounds=zoom_bounds)

        half = self.steps // 2
        spread = [
            float(np.sqrt(np.mean(np.sum((run.params[half:] - self.w_star) ** 2, axis=1))))
            for run in self.runs
        ]
        spread_head = text_lines(
            "beside each: its distance from w*",
            f"(rms) over steps {half} to {self.steps}",
            font_size=NOTE_SIZE - 4,
            color=MUTED,
        )
        spread_values = VGroup(
            *(math(fmt(s), font_size=BODY_SIZE + 2, color=c) for s, c in zip(spread, colours, strict=True))
        )
        column_x = key.get_right()[0] + 0.25
        for value, row in zip(spread_values, key, strict=True):
            value.move_to([column_x, row.get_y(), 0], aligned_edge=LEFT)
        spread_head.next_to(key, DOWN, buff=0.4).align_to(key, LEFT)

        sizes = ", ".join(str(b) for b in self.sizes[:-1]) + f" and {self.sizes[-1]}"
        open_section(
            self,
            heading,
            f"B = {sizes} race from w₀ for {self.steps} steps, η = {self.lr:g}; right: the square "
            "around the minimum, enlarged.",
        )
        self.play(Create(axes), FadeIn(axis_labels), Create(contours, lag_ratio=0.1), run_time=1.2)
        self.play(
            Create(z_axes),
            FadeIn(z_labels),
            Create(z_contours),
            FadeIn(marks),
            Create(box),
            Create(frame),
            FadeIn(key),
            run_time=1.2,
        )
        self.wait(1.2)
        self.add(racers, zoomed)
        self.bring_to_front(marks)
        narrate(
            self,
            "All three race to the minimum; then the small batches keep jittering around it, each "
            "step on a different surface, in a ball that shrinks as B grows.",
        )
        self.play(FadeIn(counter), run_time=0.3)
        self.play(tracker.animate.set_value(self.steps), rate_func=linear, run_time=8.0)
        said = ", ".join(f"{fmt(s)} for B = {b}" for s, b in zip(spread, self.sizes, strict=True))
        narrate(self, f"Root-mean-square distance from w* over steps {half} to {self.steps}: {said}.")
        self.play(
            FadeIn(spread_head),
            LaggedStart(*(FadeIn(v, shift=LEFT * 0.2) for v in spread_values), lag_ratio=0.3),
            run_time=1.2,
        )
        self.wait(3.5)
        fade_out_all(self)

    def the_cloud(self):
        """At one point, the minibatch gradients of each batch size, tightening around ∇L; their
        total variance against the sampling formula."""
        heading = section_title("The cloud of minibatch gradients at one point")
        cloud = self.cloud
        batches = [int(b) for b in cloud.batches]
        point, full = cloud.point, cloud.gradient
        sigma1 = cloud.sample_variance
        n, draws = len(cloud.x), cloud.gradients.shape[1]
        measured = [float(np.sum(np.var(g, axis=0))) for g in cloud.gradients]
        formula = [sigma1 * (n - b) / (b * (n - 1)) for b in batches]

        axes, _ = plane_axes(CLOUD_VIEW, CLOUD_UNIT, step=2.0)
        labels = VGroup(
            math("g_1", font_size=BODY_SIZE + 4).next_to(axes.x_axis.get_end(), RIGHT, buff=0.2),
            math("g_2", font_size=BODY_SIZE + 4).next_to(axes.y_axis.get_end(), UP, buff=0.2),
        )
        VGroup(axes, labels).to_edge(LEFT, buff=0.5).to_edge(DOWN, buff=0.9)
        (x0, x1), (y0, y1) = CLOUD_VIEW

        def field(i: int) -> VMobject:
            g = cloud.gradients[i]
            inside = (g[:, 0] >= x0) & (g[:, 0] <= x1) & (g[:, 1] >= y0) & (g[:, 1] <= y1)
            shown = np.column_stack([np.clip(g[:, 0], x0, x1), np.clip(g[:, 1], y0, y1)])
            return dot_field(
                to_screen(axes, shown), self.colour[batches[i]], DOT_RADIUS * inside, opacity=0.75
            )

        def ring(i: int) -> Circle:
            circle = Circle(
                radius=np.sqrt(formula[i]) * CLOUD_UNIT, color=self.colour[batches[i]], stroke_width=3
            )
            return circle.move_to(to_screen(axes, [full])[0])

        origin = to_screen(axes, [[0.0, 0.0]])[0]
        arrow = arrow_between(origin, to_screen(axes, [full])[0], GRADIENT, width=6, tip=0.25)
        outside = [
            int(np.sum(~((g[:, 0] >= x0) & (g[:, 0] <= x1) & (g[:, 1] >= y0) & (g[:, 1] <= y1))))
            for g in cloud.gradients
        ]

        law = math(r"\sigma^2(B) = \sigma_1^2\, \frac{N - B}{B\,(N - 1)}", font_size=FORMULA_SIZE)
        values = math(
            rf"\sigma_1^2 = {fmt(sigma1)}\ \text{{(one sample)}}, \quad N = {n}",
            font_size=BODY_SIZE + 2,
            color=MUTED,
        )
        where = math(
            rf"\text{{at }} w = ({fmt(point[0])},\ {fmt(point[1])}):"
            rf"\ \nabla L = ({fmt(full[0])},\ {fmt(full[1])})",
            font_size=BODY_SIZE + 2,
            color=GRADIENT,
        )
        where.to_edge(UP, buff=1.45).align_to(axes, LEFT)
        panel = VGroup(law, values).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        panel.next_to(labels, RIGHT, buff=0.6).to_edge(UP, buff=1.35)

        header = VGroup(
            math("B", font_size=BODY_SIZE + 2, color=MUTED),
            text(f"variance of {draws:,} draws", font_size=NOTE_SIZE - 2, color=MUTED),
            math(r"\sigma^2(B)", font_size=BODY_SIZE + 2, color=MUTED),
        )
        xs = panel.get_left()[0] + np.array([0.3, 2.3, 4.6])
        prepare(lambda: [math(fmt(v)) for v in measured + formula] + [math(str(b)) for b in batches])
        rows = VGroup()
        for i, b in enumerate(batches):
            c = self.colour[b]
            cells = VGroup(
                math(str(b), font_size=BODY_SIZE + 4, color=c),
                math(fmt(measured[i]), font_size=BODY_SIZE + 4, color=c),
                math(fmt(formula[i]), font_size=BODY_SIZE + 4, color=c),
            )
            rows.add(cells)
        top = panel.get_bottom()[1] - 0.5
        for cell, x in zip(header, xs, strict=True):
            cell.move_to([x, top, 0])
        for i, cells in enumerate(rows):
            for cell, x in zip(cells, xs, strict=True):
                cell.move_to([x, top - 0.5 * (i + 1), 0])
        key = legend(
            [
                ("∇L: the full gradient", GRADIENT, "arrow"),
                (f"{draws:,} minibatch gradients", self.colour[batches[0]], "dot"),
                ("circle: radius σ(B), the formula", self.colour[batches[0]], "line"),
            ],
            font_size=NOTE_SIZE - 2,
        )
        key.arrange(DOWN, aligned_edge=LEFT, buff=0.15).next_to(rows, DOWN, buff=0.4).align_to(panel, LEFT)

        # How many of each batch size's gradients lie off the plot, where any do.
        notes = [
            text(f"{k} of the {draws:,} lie off the plot", font_size=NOTE_SIZE - 4, color=self.colour[b])
            .next_to(axes, DOWN, buff=0.15)
            .align_to(axes, LEFT)
            if k
            else VGroup()
            for k, b in zip(outside, batches, strict=True)
        ]

        open_section(
            self,
            heading,
            f"At w = ({fmt(point[0])}, {fmt(point[1])}), {draws:,} minibatch gradients per batch "
            f"size, around the full gradient ∇L in red. For B = {batches[0]}: variance "
            f"{fmt(measured[0])}; the formula gives σ₁² = {fmt(sigma1)}.",
        )
        self.play(Create(axes), FadeIn(labels), FadeIn(where), run_time=1.0)
        self.play(GrowArrow(arrow), Write(law), FadeIn(values), run_time=1.0)
        shown, circle = field(0), ring(0)
        self.play(
            FadeIn(shown),
            Create(circle),
            FadeIn(header),
            FadeIn(rows[0]),
            FadeIn(key),
            FadeIn(notes[0]),
            run_time=1.2,
        )
        self.bring_to_front(arrow)
        self.wait(2.6)
        said = "; ".join(
            f"B = {b}: {fmt(m)}, formula {fmt(f)}"
            for b, m, f in zip(batches[1:], measured[1:], formula[1:], strict=True)
        )
        narrate(
            self,
            f"Larger batches tighten the cloud as σ₁²(N − B)/(B(N − 1)): {said}. The mean stays "
            "∇L; only the noise shrinks, to nothing at B = N.",
        )
        for i in range(1, len(batches)):
            key_colour = self.colour[batches[i]]
            self.play(
                Transform(shown, field(i)),
                Transform(circle, ring(i)),
                FadeIn(rows[i]),
                key[1:].animate.set_color(key_colour),
                FadeOut(notes[i - 1]),
                FadeIn(notes[i]),
                run_time=1.4,
            )
            self.bring_to_front(arrow)
            self.wait(1.3)
        self.wait(2.0)
        fade_out_all(self)
