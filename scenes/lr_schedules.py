"""Learning-rate schedules on the noisy regression: a constant rate stalls at a noise floor, a
decaying one reaches a lower loss in the same number of steps.

Reads the runs the build hands it: minibatch SGD on one regression of noisy points, the same start
and (from the same seed) the same batches, once per schedule of the registry. Each run stores the
samples, the point after every step, the rate PyTorch's ``lr_scheduler`` set at every step and the
full loss at every point. Schedules, rates, batch size and steps are read from the runs and their
recipes, labels from the schedules' registry; the minimum is the least-squares fit of the stored
samples, and every number on screen (rates, distances, mean losses) is measured from the runs.
Preview: ``manim -ql scenes/lr_schedules.py LearningRateSchedules``.
"""

from manim import *
from style import *

from descent.contours import grid_contours

COMPARED = ("constant", "cosine", "warmup_cosine")  # the schedules drawn on the plane and the loss plot
LAST = 50  # the last steps over which the mean loss above the minimum is measured
NEAR = 100  # the last steps drawn near the minimum
GAP_LEVELS = [0.0025 * 4.0**k for k in range(7)]  # level sets at L − L* = 0.0025 ... 10.24, ×4 apart
PLANE_SIZE = 5.2  # screen size of the whole plane (square)
ZOOM_HALF = 0.8  # the plane near the minimum: w* ± this
ZOOM_UNIT = 2.0  # screen units per unit of w near the minimum
LOG_RANGE = (-5, 1)  # the loss plot's decades of L − L*
RATE_TIME = 5.0  # seconds to draw the schedules' rates
RACE_TIME = 8.0  # seconds for the race over the whole plane
NEAR_TIME = 8.0  # seconds for the last steps near the minimum
LOSS_TIME = 6.0  # seconds to draw the loss curves


def count(n: int) -> str:
    """A small count in words, as a sentence says it."""
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[n] if 0 <= n < len(words) else str(n)


def listed(pairs) -> str:
    """``label: value`` pairs for a caption, apart by semicolons (labels may hold commas)."""
    return "; ".join(f"{label}: {value}" for label, value in pairs)


def rate_words(x: float) -> str:
    """A rate in a caption or a label: three significant digits, or ``a × 10⁻ᵇ`` when tiny."""
    return f"{x:.3g}" if x >= 0.001 else plain(tex_number(x))


def square_bounds(points: np.ndarray, pad: float, step: float) -> tuple[tuple[float, float], ...]:
    """A square over ``points`` [k, 2] with ``pad`` around them, its edges on multiples of ``step``."""
    lo = np.floor((points.min(axis=0) - pad) / step) * step
    hi = np.ceil((points.max(axis=0) + pad) / step) * step
    side = float(np.max(hi - lo))
    return tuple((float(a), float(a) + side) for a in lo)


def accelerate(t: float) -> float:
    """Steps come faster as a race goes on: the first, where most happens, get more time."""
    return t**2


class LearningRateSchedules(Scene):
    """Title; the six schedules' rates; constant against decaying on the plane; near the minimum;
    the loss above the minimum per step, with the mean over the last steps."""

    def construct(self):
        handed = inputs(self)
        runs = handed.load_all()
        self.recipes = {i.recipe["schedule"]["name"]: i.recipe for i in handed.inputs}
        self.runs = dict(zip(self.recipes, runs, strict=True))  # schedule -> run, in the spec's order
        self.look = {name: schedule_look(name) for name in self.runs}
        first = runs[0]
        self.problem = first.problem
        self.w_star = self.problem.minimum()  # the least-squares fit of the stored samples
        self.l_star = self.problem.loss(self.w_star)
        self.gap = {name: run.loss - self.l_star for name, run in self.runs.items()}
        self.floor = {name: float(np.mean(gap[-LAST:])) for name, gap in self.gap.items()}
        self.steps = len(first.rates)
        self.batch = first.batches.shape[1]
        self.lr = self.recipes[COMPARED[0]]["hyperparameters"]["lr"]
        self.same_batches = all(np.array_equal(run.batches, first.batches) for run in runs)
        self.same_start = all(np.array_equal(run.params[0], first.params[0]) for run in runs)

        self.title()
        self.the_rates()
        self.the_race()
        self.near_the_minimum()
        self.the_noise_floor()

    # -- helpers -------------------------------------------------------------------------------------

    def label(self, name: str) -> str:
        return self.look[name].label

    def colour(self, name: str) -> str:
        return self.look[name].colour

    def contours(self, axes: Axes, bounds, shift=(0.0, 0.0), levels=GAP_LEVELS, n: int = 160) -> VGroup:
        """The level sets L − L* = ``levels`` of the full loss over ``bounds`` (in w), drawn at
        ``w − shift`` in ``axes``."""
        (a0, a1), (b0, b1) = bounds
        z = self.problem.surface(bounds, n)  # rows are w₂: z[i, j] = L(xs[j], ys[i])
        xs, ys = np.linspace(a0, a1, n) - shift[0], np.linspace(b0, b1, n) - shift[1]
        lines = grid_contours(xs, ys, z - self.l_star, levels)
        return contour_mobjects(axes, lines, stroke_width=1.8).set_stroke(opacity=0.75)

    # -- 1. Title ------------------------------------------------------------------------------------

    def title(self):
        heading = "Learning-rate schedules: let the rate fall"
        problem = f"minibatch SGD on {self.problem.n} noisy points, batches of {self.batch}"
        run = f"peak rate η = {self.lr:g}, {self.steps} steps"
        card = VGroup(
            text(heading, font_size=44),
            math(r"w_{t+1} = w_t - \eta_t\, \nabla L_{B_t}(w_t)", font_size=FORMULA_SIZE),
            text_lines(problem, run, font_size=BODY_SIZE, color=MUTED),
        ).arrange(DOWN, buff=0.5)
        narrate(
            self,
            f"{heading}. {problem[0].upper()}{problem[1:]}, {run}: a schedule sets the rate ηₜ of "
            "every step.",
        )
        self.play(Write(card[0]), run_time=1.0)
        self.play(FadeIn(card[1:], shift=UP * 0.2), run_time=0.7)
        self.wait(5.0)
        fade_out_all(self, run_time=0.6)

    # -- 2. The schedules' rates ------------------------------------------------------------------

    def rate_panel(self, name: str) -> VGroup:
        """One schedule: axes of rate against step, its label above, its first and last rate below."""
        rates = self.runs[name].rates
        axes = Axes(
            x_range=[0, self.steps, self.steps // 3],
            y_range=[0, self.lr, self.lr / 2],
            x_length=3.2,
            y_length=1.0,
            axis_config={"color": MUTED, "font_size": NOTE_SIZE - 4, "include_tip": False},
            x_axis_config={"include_numbers": True},
            y_axis_config={"include_numbers": True, "decimal_number_config": {"num_decimal_places": 2}},
        )
        y_label = math(r"\eta_t", font_size=NOTE_SIZE + 2).next_to(axes.y_axis.get_end(), UP, buff=0.1)
        x_label = text("step", font_size=NOTE_SIZE - 4, color=MUTED)
        x_label.next_to(axes.x_axis, DOWN, buff=0.36)
        heading = text(self.label(name), font_size=NOTE_SIZE + 2, color=self.colour(name))
        heading.next_to(axes, UP, buff=0.28)
        note = text(
            f"first {rate_words(rates[0])}, last {rate_words(rates[-1])}",
            font_size=NOTE_SIZE - 3,
            color=MUTED,
        )
        note.next_to(x_label, DOWN, buff=0.08).set_x(axes.get_x())
        return VGroup(axes, VGroup(x_label, y_label), heading, note)

    def the_rates(self):
        """Each schedule's recorded rates, drawn step by step, all six together."""
        heading = section_title(f"{count(len(self.runs)).capitalize()} schedules: the rate set at every step")
        prepare(lambda: [self.rate_panel(name) for name in self.runs])
        panels = VGroup(*(self.rate_panel(name) for name in self.runs))
        panels.arrange_in_grid(rows=2, buff=(0.95, 0.25)).next_to(heading, DOWN, buff=0.3)
        # Step k (from 1) is taken at rates[k - 1]: the curves are drawn at k, the counter counts k.
        index, shown = ValueTracker(0.0), ValueTracker(1.0)
        steps = np.arange(1, self.steps + 1)
        curves = VGroup(
            *(
                traced_path(panel[0], np.c_[steps, run.rates], self.colour(name), index)
                for panel, (name, run) in zip(panels, self.runs.items(), strict=True)
            )
        )
        counter = step_counter(shown, self.steps, font_size=NOTE_SIZE + 2).update()
        counter.next_to(panels, DOWN, buff=0.25)

        peaks = {name: int(np.argmax(run.rates)) for name, run in self.runs.items()}
        rising = [f"{self.label(n)}: a climb over the first {k} steps." for n, k in peaks.items() if k > 0]
        falling = [n for n, run in self.runs.items() if run.rates[-1] < run.rates.max()]
        lasts = [self.runs[n].rates[-1] for n in falling]
        open_section(
            self,
            heading,
            f"Each curve is the rate PyTorch's lr_scheduler set at each of the {self.steps} steps of "
            "its run, read from the run itself.",
        )
        self.play(*(FadeIn(VGroup(p[0], p[1], p[2])) for p in panels), FadeIn(counter), run_time=1.0)
        self.add(curves)
        self.play(
            index.animate.set_value(self.steps - 1),
            shown.animate.set_value(self.steps),
            run_time=RATE_TIME,
            rate_func=linear,
        )
        steady = [self.label(n) for n in self.runs if n not in falling]
        narrate(
            self,
            f"{' and '.join(steady)} stays at η = {self.lr:g}. The other {count(len(falling))} fall, "
            f"ending between {rate_words(min(lasts))} and {rate_words(max(lasts))}. " + " ".join(rising),
        )
        self.play(*(FadeIn(p[3], shift=UP * 0.1) for p in panels), run_time=0.8)
        self.wait(8.0)
        fade_out_all(self)

    # -- 3. Constant against decaying over the whole plane ----------------------------------------------

    def the_race(self):
        """Level sets, minimum and start, the first step; then the compared runs race."""
        same = "same start, same batches" if self.same_batches and self.same_start else "same start"
        heading = section_title(f"{same.capitalize()}: only the rate differs")
        points = np.vstack([self.runs[n].params for n in COMPARED])
        bounds = square_bounds(points, pad=0.3, step=0.5)
        unit = PLANE_SIZE / (bounds[0][1] - bounds[0][0])
        axes, axis_labels = plane_axes(bounds, unit)
        plane = VGroup(axes, axis_labels).next_to(heading, DOWN, buff=0.3).to_edge(LEFT, buff=0.8)
        contours = self.contours(axes, bounds)
        start = self.runs[COMPARED[0]].params[0]
        minimum = marked_point(axes, self.w_star, MINIMUM, "w^*", DR)
        start_mark = marked_point(axes, start, POSITION, "w_0", UR)
        first_step = arrow_between(*to_screen(axes, self.runs[COMPARED[0]].params[:2]), GRADIENT, width=5)

        formula = math(
            r"L(w) = \frac{1}{N} \sum_{i=1}^{N} \tfrac{1}{2}\,(w_1 x_i + w_2 - y_i)^2",
            font_size=FORMULA_SIZE - 8,
        )
        levels = text_lines(
            f"N = {self.problem.n} points; w₁ slope, w₂ intercept",
            f"level sets L − L* = {GAP_LEVELS[0]:g} … {GAP_LEVELS[-1]:g}, ×4 apart",
            font_size=NOTE_SIZE - 2,
            color=MUTED,
        )
        marks_key = legend(
            [
                ("minimum w*: least-squares fit", MINIMUM, "dot"),
                ("start w₀", POSITION, "dot"),
                ("first step −η₀∇L_B(w₀)", GRADIENT, "arrow"),
            ],
            font_size=NOTE_SIZE - 1,
        )
        key = legend([(self.label(n), self.colour(n), "line") for n in COMPARED])
        tracker = ValueTracker(0.0)
        counter = step_counter(tracker, self.steps)
        panel = VGroup(formula, levels, marks_key, key, counter).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        panel.next_to(plane, RIGHT, buff=0.7).align_to(axes, UP)

        fit = ", ".join(fmt(v).replace("-", "−") for v in self.w_star)
        open_section(
            self,
            heading,
            f"The loss of the {self.problem.n} points over the plane of slope w₁ and intercept w₂. "
            f"Its minimum, in green, is the least-squares fit w* = ({fit}); the start w₀ is in yellow.",
        )
        self.play(Create(axes), FadeIn(axis_labels), Write(formula), run_time=1.0)
        self.play(Create(contours, lag_ratio=0.1), FadeIn(levels), run_time=1.2)
        self.play(
            FadeIn(minimum, scale=1.5), FadeIn(start_mark, scale=1.5), FadeIn(marks_key[:2]), run_time=0.7
        )
        self.wait(5.0)
        first_rates = listed((self.label(n), rate_words(self.runs[n].rates[0])) for n in COMPARED)
        narrate(
            self,
            f"Each step follows one batch's gradient; the red arrow is the first. {same.capitalize()}: "
            f"only the rate differs, starting at {first_rates}.",
        )
        self.play(GrowArrow(first_step), FadeIn(marks_key[2]), run_time=0.8)
        self.wait(7.0)
        # The constant rate's path is drawn last and thinnest: where the paths coincide (the first
        # steps, at almost the same rate) each shows beside the other.
        racers = VGroup(
            *(
                racing_paths(axes, [(self.runs[n].params, self.colour(n))], tracker, width=w, bounds=bounds)
                for n, w in [(n, 4.0) for n in COMPARED[1:]] + [(COMPARED[0], 2.0)]
            )
        )
        level = GAP_LEVELS[2]
        inside = max(int(np.argmax(self.gap[n] <= level)) for n in COMPARED)
        narrate(
            self,
            f"All {count(len(COMPARED))} run their {self.steps} steps at once, faster as they go. By "
            f"step {inside} each has reached the level set L − L* = {level:g}; from there on they jump "
            "about the minimum with every batch.",
        )
        self.play(FadeOut(first_step), FadeIn(key), FadeIn(counter), FadeIn(racers), run_time=0.7)
        self.bring_to_front(minimum)
        self.play(tracker.animate.set_value(self.steps), run_time=RACE_TIME, rate_func=accelerate)
        self.wait(1.5)
        fade_out_all(self)

    # -- 4. Near the minimum ----------------------------------------------------------------------------

    def near_panel(self, name: str) -> VGroup:
        """The plane around w* for one schedule: axes of w − w*, level sets, w*, its label."""
        axes = Axes(
            x_range=[-ZOOM_HALF, ZOOM_HALF, ZOOM_HALF / 2],
            y_range=[-ZOOM_HALF, ZOOM_HALF, ZOOM_HALF / 2],
            x_length=2 * ZOOM_HALF * ZOOM_UNIT,
            y_length=2 * ZOOM_HALF * ZOOM_UNIT,
            axis_config={"color": MUTED, "include_tip": False},
        )
        for axis in axes:  # numbers halfway out only: the ends are left to the labels
            axis.add_numbers([-ZOOM_HALF / 2, ZOOM_HALF / 2], num_decimal_places=1, font_size=NOTE_SIZE - 4)
        labels = VGroup(
            math(r"w_1 - w_1^*", font_size=NOTE_SIZE).next_to(axes.x_axis.get_end(), RIGHT, buff=0.12),
            math(r"w_2 - w_2^*", font_size=NOTE_SIZE).next_to(axes.y_axis.get_end(), RIGHT, buff=0.12),
        )
        around = tuple((c - ZOOM_HALF, c + ZOOM_HALF) for c in self.w_star)
        contours = self.contours(axes, around, shift=self.w_star, levels=GAP_LEVELS[:4], n=120)
        minimum = Dot(axes.c2p(0, 0), color=MINIMUM, radius=0.06)
        heading = text(self.label(name), font_size=BODY_SIZE - 2, color=self.colour(name))
        heading.next_to(axes, UP, buff=0.55)
        return VGroup(axes, labels, contours, minimum, heading)

    def near_the_minimum(self):
        """The last steps of each compared run around w*, each step's move in red, the rate live;
        then the root-mean-square distance from w* over those steps, as a circle."""
        first = self.steps - NEAR
        heading = section_title(f"Near the minimum: the last {NEAR} steps")
        prepare(lambda: [self.near_panel(n) for n in COMPARED])
        panels = VGroup(*(self.near_panel(n) for n in COMPARED))
        panels.arrange(RIGHT, buff=0.3).next_to(heading, DOWN, buff=0.3)
        bounds = ((-ZOOM_HALF, ZOOM_HALF), (-ZOOM_HALF, ZOOM_HALF))
        local, shown = ValueTracker(0.0), ValueTracker(float(first))
        counter = step_counter(shown, self.steps).update()  # its number typeset at the first step
        key = legend(
            [
                ("each step: the rate times one batch's −∇L", GRADIENT, "arrow"),
                ("minimum w*", MINIMUM, "dot"),
            ],
            font_size=NOTE_SIZE - 2,
        ).arrange(RIGHT, buff=0.5)
        key.to_corner(DL, buff=0.5)
        counter.to_corner(DR, buff=0.5)

        racers, arrows, readouts, rms = VGroup(), VGroup(), VGroup(), {}
        for panel, name in zip(panels, COMPARED, strict=True):
            axes, run = panel[0], self.runs[name]
            near = run.params[first:] - self.w_star
            rms[name] = float(np.sqrt(np.mean(np.sum(near[1:] ** 2, axis=1))))
            racers.add(racing_paths(axes, [(near, self.colour(name))], local, width=2.2, bounds=bounds))
            arrows.add(self.step_arrow_of(axes, near, local))
            readouts.add(self.rate_readout(run.rates[first:], local, panel[4]))

        steps_words = f"steps {first + 1} to {self.steps}"
        rate_at = listed((self.label(n), rate_words(self.runs[n].rates[first])) for n in COMPARED)
        open_section(
            self,
            heading,
            f"Closer, around the minimum, with w* at the centre: {steps_words}, each run's move at "
            f"every step in red. The rate at step {first + 1}: {rate_at}.",
        )
        self.play(
            *(FadeIn(p[:4]) for p in panels),
            *(FadeIn(p[4]) for p in panels),
            FadeIn(readouts),
            FadeIn(key),
            FadeIn(counter),
            run_time=1.0,
        )
        self.add(racers, arrows)
        self.play(
            local.animate.set_value(NEAR),
            shown.animate.set_value(self.steps),
            run_time=NEAR_TIME,
            rate_func=linear,
        )
        arrows.clear_updaters()
        racers.clear_updaters()
        self.remove(arrows)

        circles, notes = VGroup(), VGroup()
        for panel, name in zip(panels, COMPARED, strict=True):
            axes = panel[0]
            radius = rms[name] * ZOOM_UNIT
            circle = DashedVMobject(
                Circle(radius=radius, color=self.colour(name), stroke_width=4.5), num_dashes=30
            )
            circle.move_to(axes.c2p(0, 0))
            circles.add(circle)
            notes.add(
                math(
                    rf"\text{{rms }} |w - w^*| = {fmt(rms[name])}",
                    font_size=NOTE_SIZE + 4,
                    color=self.colour(name),
                ).next_to(axes, DOWN, buff=0.2)
            )
        said = listed((self.label(n), fmt(rms[n])) for n in COMPARED)
        narrate(
            self,
            "The constant rate's steps stay long: it keeps bouncing in a ball around w*. The falling "
            f"rates' steps shrink, and their runs settle. Root-mean-square distance from w* over these "
            f"steps: {said}.",
        )
        self.play(
            *(racer[0].animate.set_stroke(opacity=0.35) for racer in racers),
            *(Create(c) for c in circles),
            *(FadeIn(n, shift=UP * 0.1) for n in notes),
            run_time=1.2,
        )
        self.wait(9.0)
        fade_out_all(self)

    def step_arrow_of(self, axes: Axes, points: np.ndarray, tracker: ValueTracker) -> VMobject:
        """A red arrow on the step being taken at ``tracker`` (from point k to point k + 1)."""
        screen = to_screen(axes, points)

        def draw():
            k = int(min(tracker.get_value(), len(points) - 2))
            a, b = screen[k], screen[k + 1]
            if np.linalg.norm(b - a) < 0.03 or tracker.get_value() >= len(points) - 1:
                return VMobject()
            return arrow_between(a, b, GRADIENT, width=3.5, tip=0.35)

        return always_redraw(draw)

    def rate_readout(self, rates: np.ndarray, tracker: ValueTracker, below: Mobject) -> VGroup:
        """ "η_t = 0.500", the rate of the step being taken at ``tracker``, under ``below``."""
        name = math(r"\eta_t =", font_size=NOTE_SIZE + 4)
        value = DecimalNumber(rates[0], num_decimal_places=3, font_size=NOTE_SIZE + 4)
        readout = VGroup(name, value).arrange(RIGHT, buff=0.15).next_to(below, DOWN, buff=0.1)
        value.add_updater(
            lambda m: m.set_value(rates[int(min(tracker.get_value(), len(rates) - 1))]).next_to(
                name, RIGHT, buff=0.15
            )
        )
        return readout

    # -- 5. The loss above the minimum ------------------------------------------------------------------

    def the_noise_floor(self):
        """L − L* per step on a log axis for the compared runs; the mean over the last steps of
        every schedule, drawn and listed."""
        heading = section_title("The loss above the minimum: a floor, and below it")
        lo, hi = LOG_RANGE
        # Decades of L − L* counted up from the lowest, so that the step axis runs along the bottom.
        axes = Axes(
            x_range=[0, self.steps, self.steps // 6],
            y_range=[0, hi - lo, 1],
            x_length=6.4,
            y_length=4.4,
            axis_config={"color": MUTED, "font_size": NOTE_SIZE - 2, "include_tip": False},
            x_axis_config={"include_numbers": True},
        )
        ticks = VGroup(
            *(
                math(rf"10^{{{k}}}", font_size=NOTE_SIZE).next_to(axes.c2p(0, k - lo), LEFT, buff=0.15)
                for k in range(lo, hi + 1)
            )
        )
        labels = VGroup(
            text("step", font_size=NOTE_SIZE - 2, color=MUTED).next_to(axes.x_axis, DOWN, buff=0.4),
            math("L - L^*", font_size=BODY_SIZE).next_to(axes.y_axis.get_end(), RIGHT, buff=0.2),
        )
        plot = VGroup(axes, ticks, labels).next_to(heading, DOWN, buff=0.45).to_edge(LEFT, buff=0.8)
        star = (
            math(
                rf"L^* = {fmt(self.l_star, 4)}\ \text{{(least-squares fit of the {self.problem.n} points)}}",
                font_size=NOTE_SIZE + 2,
                color=MUTED,
            )
            .next_to(labels[0], DOWN, buff=0.25)
            .align_to(axes, LEFT)
        )

        tracker = ValueTracker(0.0)
        t = np.arange(self.steps + 1)
        curves = VGroup(
            *(
                traced_path(
                    axes,
                    np.c_[t, np.log10(np.maximum(self.gap[n], 10.0**lo)) - lo],
                    self.colour(n),
                    tracker,
                    width=2,
                )
                for n in COMPARED
            )
        )
        means = VGroup()
        for n in COMPARED:
            y = np.log10(self.floor[n]) - lo
            means.add(
                DashedLine(
                    axes.c2p(self.steps - LAST, y),
                    axes.c2p(self.steps, y),
                    color=self.colour(n),
                    stroke_width=6,
                )
            )
        table = self.floor_table()
        table.next_to(plot, RIGHT, buff=0.5).align_to(axes, UP)
        key = legend([(self.label(n), self.colour(n), "line") for n in COMPARED], font_size=NOTE_SIZE - 2)
        key.next_to(axes.c2p(self.steps, hi - lo), DL, buff=0.15)  # above the curves once they are down

        constant, best = COMPARED[0], COMPARED[1]
        reached = int(np.argmax(self.gap[constant] <= self.floor[constant]))
        open_section(
            self,
            heading,
            f"The full loss above its minimum per step, on a log axis (L* is the least-squares fit's "
            f"loss). The constant rate reaches its floor by step {reached} and stays there; under the "
            "falling rates the loss keeps going down.",
        )
        self.play(Create(axes), FadeIn(ticks), FadeIn(labels), FadeIn(star), FadeIn(key), run_time=1.0)
        self.add(curves)
        self.play(tracker.animate.set_value(self.steps), run_time=LOSS_TIME, rate_func=linear)
        self.wait(2.5)
        lower = [n for n in self.runs if n != constant and self.floor[n] < self.floor[constant]]
        said = listed((self.label(n), f"{self.floor[n]:.3g}") for n in COMPARED)
        narrate(
            self,
            f"Mean of L − L* over the last {LAST} steps: {said}. The constant rate's floor is "
            f"{self.floor[constant] / self.floor[best]:.0f} times the {self.label(best).lower()} one's, and "
            + (
                "every decaying schedule ends below it."
                if len(lower) == len(self.runs) - 1
                else f"{len(lower)} of the {len(self.runs) - 1} decaying schedules end below it."
            ),
        )
        curves.clear_updaters()
        self.play(
            curves.animate.set_stroke(opacity=0.4),
            *(Create(m) for m in means),
            FadeIn(table[0]),
            run_time=1.0,
        )
        self.play(
            LaggedStart(*(FadeIn(row, shift=LEFT * 0.1) for row in table[1]), lag_ratio=0.2), run_time=1.5
        )
        self.wait(4.5)
        fade_out_all(self)

    def floor_table(self) -> VGroup:
        """Every schedule's mean L − L* over the last steps, one row each: ``VGroup(title, rows)``."""
        title = text(f"mean L − L*, last {LAST} steps", font_size=NOTE_SIZE, color=MUTED)
        rows = VGroup()
        for name in self.runs:
            colour = self.colour(name)
            rows.add(
                VGroup(
                    Line(ORIGIN, RIGHT * 0.4, color=colour, stroke_width=4),
                    text(self.label(name), font_size=NOTE_SIZE, color=colour),
                    math(f"{self.floor[name]:.3g}", font_size=NOTE_SIZE + 4, color=colour),
                )
            )
        for row in rows:
            row[1].next_to(row[0], RIGHT, buff=0.15)
            row[2].next_to(row[1], RIGHT, buff=0.4)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        right = max(row[1].get_right()[0] for row in rows) + 0.4
        for row in rows:
            row[2].move_to([right, row[1].get_y(), 0], aligned_edge=LEFT)
        title.next_to(rows, UP, buff=0.3).align_to(rows, LEFT)
        return VGroup(title, rows)
