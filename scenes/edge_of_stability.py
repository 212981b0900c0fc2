"""Curvature during training: under full-batch gradient descent a network's sharpness rises until it
meets 2/η, the limit a quadratic sets, and stays there while the loss keeps falling (the edge of
stability); with momentum it meets (2 + 2β)/η and falls back; Adam's preconditioned sharpness
hovers at (2 + 2β₁)/((1 − β₁)η).

Reads the sharpness runs the build hands it: a tiny network trained full-batch, with its training
loss at every step and the top eigenvalue of its loss's Hessian (for Adam also of the
preconditioned Hessian P⁻¹H) every few steps. Rates, β's, the network and its data are read from
the runs' recipes. The only arithmetic done here: each optimizer's threshold from its
hyperparameters (the formula on screen), the sharpness as a fraction of it, the steps at which the
loss rose, and three steps of w ← (1 − ηλ)w on a parabola whose curvature λ is a measured one.
Preview: ``manim -ql scenes/edge_of_stability.py EdgeOfStability``.
"""

from manim import *
from style import *

from descent.stability import stability_threshold

# One colour per gradient-descent rate, smallest first (clear of red, yellow and green, which mean
# gradient, position and minimum, and of momentum's orange and Adam's pink).
PALETTE = (BLUE_C, PURPLE_B, TEAL_C, WHITE)
LOSS_WORDS = {"mse": "squared error", "cross_entropy": "cross-entropy"}
QUADRATIC_STEPS = 3  # steps of w ← (1 − ηλ)w drawn on each parabola
W_START = 1.0  # where those steps start: one unit from the minimum
PLOT_WIDTH = 7.4  # screen width of the plots against steps
SHARP_HEIGHT = 2.7  # ... height of the sharpness plot
LOSS_HEIGHT = 1.5  # ... of the loss plot under it
RUG_ROW = 0.16  # height of one run's row of ticks under the loss plot
DRAW_TIME = 7.0  # seconds to draw a run's curves over all its steps
FALL = 0.75  # a measurement below this fraction of the one before is a fall (a tooth of the saw)
READ_RATE = 18  # characters of caption read per second: each cue stays at least that long


def threshold(recipe: dict) -> float:
    """Where a quadratic of that curvature stops being stable for the run's optimizer (for Adam,
    on the preconditioned sharpness)."""
    return stability_threshold(recipe["optimizer"], recipe["hyperparameters"])


def curvature(run) -> np.ndarray:
    """What the run's threshold applies to: the sharpness, for Adam the preconditioned one (NaN
    before its first step, when Adam has no preconditioner yet)."""
    key = "preconditioned_sharpness" if run.recipe["optimizer"] == "adam" else "sharpness"
    return np.asarray(run[key], dtype=float)


def rose_at(loss: np.ndarray) -> np.ndarray:
    """The steps after which the training loss was higher than before them."""
    return np.nonzero(np.diff(loss) > 0)[0] + 1


def falls(ratio: np.ndarray) -> np.ndarray:
    """The measurements at which the curvature fell below ``FALL`` of the one before."""
    return np.nonzero(ratio[1:] < FALL * ratio[:-1])[0] + 1


def nice_step(top: float) -> float:
    """A tick step of 1, 2 or 5 times a power of ten giving about four ticks up to ``top``."""
    base = 10.0 ** np.floor(np.log10(top / 4))
    return float(next(base * m for m in (1, 2, 5, 10) if top / (base * m) <= 6))


def words(x: float) -> str:
    """A measured number for a caption: three significant digits (whole from 1,000 up), or
    ``a × 10⁻ᵇ`` when tiny."""
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}" if abs(x) >= 0.001 else plain(tex_number(x))


def shares(values: np.ndarray) -> str:
    """The range of fractions ``values`` in two decimals: "0.96 to 0.99", or one number."""
    lo, hi = f"{np.nanmin(values):.2f}", f"{np.nanmax(values):.2f}"
    return lo if lo == hi else f"{lo} to {hi}"


def listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


class EdgeOfStability(Scene):
    """Title; the quadratic's limit; gradient descent at the edge; momentum's saw; Adam's edge."""

    def construct(self):
        runs = inputs(self).load_all()
        self.by_optimizer = {}
        for run in sorted(runs, key=lambda r: r.recipe["hyperparameters"]["lr"]):
            self.by_optimizer.setdefault(run.recipe["optimizer"], []).append(run)
        first = runs[0].recipe
        self.network = first
        self.steps = len(runs[0]["loss_train"]) - 1
        self.every = first["every"]
        self.points = len(runs[0]["y_train"])
        self.colours = {}
        for name, group in self.by_optimizer.items():
            for i, run in enumerate(group):
                own = len(group) == 1 and name != "sgd"
                self.colours[id(run)] = optimizer_look(name).colour if own else PALETTE[i % len(PALETTE)]

        self.title()
        self.the_quadratic()
        self.gradient_descent()
        self.momentum()
        self.adam()

    # -- helpers ---------------------------------------------------------------------------------------

    def hold(self) -> None:
        """Wait until the last caption has been up long enough to be read."""
        cue = self.narration[-1]
        left = len(cue["text"]) / READ_RATE - (self.renderer.time - cue["start"])
        if left > 0:
            self.wait(left)

    def colour(self, run) -> str:
        return self.colours[id(run)]

    def lr(self, run) -> float:
        return run.recipe["hyperparameters"]["lr"]

    def ratio(self, run) -> np.ndarray:
        return curvature(run) / threshold(run.recipe)

    def reached(self, run) -> int | None:
        """The first measured step at which the curvature was at its threshold or above."""
        at = np.nonzero(self.ratio(run) >= 1)[0]
        return int(run["measured_steps"][at[0]]) if len(at) else None

    def second_half(self, run) -> np.ndarray:
        """The curvature as a fraction of the threshold, over the second half of the steps."""
        return self.ratio(run)[np.asarray(run["measured_steps"]) >= self.steps / 2]

    def network_words(self) -> str:
        n = self.network
        layers = "×".join(str(h) for h in n["hidden"]) if len(set(n["hidden"])) > 1 else None
        shape = layers or f"{len(n['hidden'])}×{n['hidden'][0]}"
        loss = LOSS_WORDS.get(n["loss"], n["loss"])
        return f"a {shape} {n['activation']} network on the {n['dataset']}, {loss} loss, full batch"

    def step_plot(self, top: float, label: MathTex) -> tuple[Axes, VGroup]:
        """Axes of a curvature against steps, up to ``top``, labelled ``label``."""
        axes = Axes(
            x_range=[0, self.steps, self.steps // 4],
            y_range=[0, top, nice_step(top)],
            x_length=PLOT_WIDTH,
            y_length=SHARP_HEIGHT,
            axis_config={"color": MUTED, "font_size": NOTE_SIZE - 2, "include_tip": False},
            y_axis_config={"include_numbers": True, "decimal_number_config": {"num_decimal_places": 0}},
        )
        label.next_to(axes.y_axis.get_end(), RIGHT, buff=0.2)
        return axes, VGroup(label)

    def loss_plot(self, runs: list, below: Mobject) -> tuple[Axes, VGroup]:
        """Axes of the training loss against steps (log scale, whole decades) under ``below``."""
        losses = np.concatenate([np.asarray(r["loss_train"]) for r in runs])
        lo, hi = int(np.floor(np.log10(losses.min()))), int(np.ceil(np.log10(losses.max())))
        axes = Axes(
            x_range=[0, self.steps, self.steps // 4],
            y_range=[0, hi - lo, 1],
            x_length=PLOT_WIDTH,
            y_length=LOSS_HEIGHT,
            axis_config={"color": MUTED, "font_size": NOTE_SIZE - 2, "include_tip": False},
            x_axis_config={"include_numbers": True},
        )
        axes.next_to(below, DOWN, buff=0.35)
        axes.shift(RIGHT * (below.c2p(0, 0)[0] - axes.c2p(0, 0)[0]))  # the same steps one above the other
        ticks = VGroup(
            *(
                math(rf"10^{{{k}}}", font_size=NOTE_SIZE - 2).next_to(axes.c2p(0, k - lo), LEFT, buff=0.12)
                for k in range(lo, hi + 1)
            )
        )
        labels = VGroup(
            ticks,
            text("training loss", font_size=NOTE_SIZE - 2, color=MUTED).next_to(
                axes.y_axis.get_end(), RIGHT, buff=0.2
            ),
            text("step", font_size=NOTE_SIZE - 2, color=MUTED).next_to(
                axes.x_axis.get_end(), RIGHT, buff=0.2
            ),
        )
        axes.lowest = lo
        return axes, labels

    def growing(self, axes: Axes, steps: np.ndarray, values: np.ndarray, colour, tracker, width=3.0):
        """The curve ``values`` at ``steps`` drawn up to step ``tracker``."""
        keep = np.isfinite(values)
        steps, values = np.asarray(steps, dtype=float)[keep], values[keep]
        screen = to_screen(axes, np.c_[steps, values])
        where = np.arange(len(steps), dtype=float)
        mob = VMobject(stroke_color=colour, stroke_width=width)

        def update(m: VMobject) -> None:
            m.set_points_as_corners(path_until(screen, float(np.interp(tracker.get_value(), steps, where))))

        update(mob)
        return mob.add_updater(update)

    def loss_curve(self, axes: Axes, run, tracker) -> VMobject:
        loss = np.asarray(run["loss_train"])
        return self.growing(
            axes, np.arange(len(loss)), np.log10(loss) - axes.lowest, self.colour(run), tracker, width=2.0
        )

    def threshold_line(
        self, axes: Axes, value: float, colour, tex: str, width: float = 3.0, place: str = "beside"
    ) -> VGroup:
        """A dashed level line at ``value`` across the plot with ``tex = value`` written beside its
        right end, or (``place``) over its left end or under its right end, inside the plot."""
        line = DashedLine(axes.c2p(0, value), axes.c2p(self.steps, value), color=colour, stroke_width=width)
        label = math(rf"{tex} = {value:.4g}", font_size=NOTE_SIZE + 2, color=colour)
        if place == "beside":
            label.next_to(line, RIGHT, buff=0.15)
        elif place == "over":
            label.next_to(line.get_start(), UP, buff=0.2).align_to(line, LEFT).shift(RIGHT * 0.15)
        else:
            label.next_to(line.get_end(), DOWN, buff=0.15).align_to(line, RIGHT)
        return VGroup(line, label)

    def rises_rug(self, axes: Axes, runs: list) -> VGroup:
        """Under the loss plot's step numbers, one row per run: a tick at every step after which the
        loss rose; "loss rose" on the left."""
        rows = VGroup()
        top = axes.x_axis.get_bottom()[1] - 0.12
        for i, run in enumerate(runs):
            y = top - i * (RUG_ROW + 0.05)
            xs = [axes.c2p(s, 0)[0] for s in rose_at(np.asarray(run["loss_train"]))]
            row = VGroup(*(Line([x, y - RUG_ROW, 0], [x, y, 0], stroke_width=1.5) for x in xs))
            rows.add(row.set_color(self.colour(run)))
        name = text("loss rose", font_size=NOTE_SIZE - 2, color=MUTED)
        name.next_to(axes.c2p(self.steps, 0), RIGHT, buff=0.2).set_y(top - len(runs) * (RUG_ROW + 0.05) / 2)
        return VGroup(rows, name)

    def draw_runs(self, curves: VGroup, tracker: ValueTracker, counter: VGroup) -> None:
        """Draw ``curves`` over every step, the counter counting."""
        self.add(curves)
        self.play(tracker.animate.set_value(self.steps), run_time=DRAW_TIME, rate_func=linear)
        curves.clear_updaters()
        counter[1].clear_updaters()

    # -- 1. Title ---------------------------------------------------------------------------------------

    def title(self):
        heading = "Curvature during training: the edge of stability"
        card = VGroup(
            text("Curvature during training", font_size=44),
            text("the edge of stability", font_size=BODY_SIZE + 6, color=MUTED),
            math(r"\lambda_{\max} = \text{top eigenvalue of } \nabla^2 L(w)", font_size=FORMULA_SIZE - 4),
            text_lines(
                self.network_words(),
                f"{self.points} training points, {self.steps} steps, sharpness measured every {self.every}",
                font_size=BODY_SIZE - 2,
                color=MUTED,
            ),
        ).arrange(DOWN, buff=0.4)
        card[1].next_to(card[0], DOWN, buff=0.2)
        narrate(
            self,
            f"{heading}. The sharpness λmax is the top eigenvalue of the training loss's Hessian; here "
            f"of {self.network_words()}, over {self.steps} steps.",
        )
        self.play(Write(card[0]), FadeIn(card[1]), run_time=1.0)
        self.play(FadeIn(card[2:], shift=UP * 0.2), run_time=0.7)
        self.hold()
        fade_out_all(self, run_time=0.6)

    # -- 2. The quadratic's limit ---------------------------------------------------------------------

    def the_quadratic(self):
        """On a parabola of curvature λ one step multiplies w by 1 − ηλ: three steps with a measured
        λ below 2/η and three with one above."""
        run = next(
            (r for r in self.by_optimizer["sgd"] if self.reached(r) is not None), self.by_optimizer["sgd"][-1]
        )
        eta, sharp, steps = self.lr(run), curvature(run), np.asarray(run["measured_steps"])
        cases = [(float(sharp[-1]), int(steps[-1])), (float(sharp.max()), int(steps[np.argmax(sharp)]))]
        ws = [W_START * (1 - eta * lam) ** np.arange(QUADRATIC_STEPS + 1) for lam, _ in cases]
        # The box holds every point drawn, with room above; each parabola is drawn up to its top.
        top = 1.25 * max(0.5 * lam * float(np.max(w**2)) for (lam, _), w in zip(cases, ws, strict=True))
        half = float(np.ceil(np.sqrt(2 * top / min(lam for lam, _ in cases))))
        heading = section_title("On a parabola, one step multiplies w by 1 − ηλ")
        rule = math(
            r"L(w) = \tfrac{\lambda}{2} w^2: \quad w_{t+1} = w_t - \eta\lambda\, w_t"
            r" = (1 - \eta\lambda)\, w_t, \qquad |1 - \eta\lambda| < 1 \iff \lambda < \tfrac{2}{\eta}",
            font_size=FORMULA_SIZE - 10,
        ).next_to(heading, DOWN, buff=0.35)
        source = text(
            f"η = {eta:g}; λ: the network's sharpness at step {cases[0][1]} (left), at its peak, "
            f"step {cases[1][1]} (right)",
            font_size=NOTE_SIZE,
            color=MUTED,
        ).next_to(rule, DOWN, buff=0.25)

        panels = VGroup()
        for lam, _ in cases:
            axes, labels = loss_axes([-half, half, 1], [0, top, nice_step(top)], 5.0, 2.7, decimals=0)
            edge = min(half, float(np.sqrt(2 * top / lam)))
            curve = axes.plot(lambda x, lam=lam: 0.5 * lam * x**2, x_range=[-edge, edge], color=CURVE)
            factor = 1 - eta * lam
            side = "<" if eta * lam < 2 else ">"
            head = math(
                rf"\lambda = {lam:.3g},\quad \eta\lambda = {eta * lam:.3g} {side} 2,"
                rf"\quad 1 - \eta\lambda = {factor:.3g}",
                font_size=NOTE_SIZE + 4,
            ).next_to(axes, UP, buff=0.3)
            minimum = Dot(axes.c2p(0, 0), color=MINIMUM, radius=0.07)
            panels.add(VGroup(axes, labels, curve, minimum, head))
        panels.arrange(RIGHT, buff=1.0).next_to(source, DOWN, buff=0.3)
        key = legend(
            [("step −η∇L(w) = −ηλw", GRADIENT, "arrow"), ("w", POSITION, "dot"), ("minimum", MINIMUM, "dot")],
            font_size=NOTE_SIZE - 2,
        ).arrange(RIGHT, buff=0.5)
        key.to_edge(DOWN, buff=0.35)

        def at(i: int, k: int) -> np.ndarray:
            lam = cases[i][0]
            return panels[i][0].c2p(ws[i][k], 0.5 * lam * ws[i][k] ** 2)

        def readout(i: int, k: int) -> MathTex:
            shown = ",\\ ".join(fmt(abs(v)) for v in ws[i][: k + 1])
            return math(rf"|w_t|:\ {shown}", font_size=NOTE_SIZE + 2, color=POSITION).next_to(
                panels[i][0], DOWN, buff=0.2
            )

        (lam_low, at_low), (lam_high, at_high) = cases
        open_section(
            self,
            heading,
            "The quadratic lesson's rule: on a parabola of curvature λ, a step of gradient descent "
            "multiplies the distance to the minimum by 1 − ηλ, so it shrinks exactly while λ < 2/η.",
        )
        self.play(Write(rule), run_time=1.2)
        self.hold()
        narrate(
            self,
            f"Two parabolas, η = {eta:g}, with the network's own sharpness under that rate as λ: "
            f"{words(lam_low)} at step {at_low} and {words(lam_high)} at its peak, step {at_high}.",
        )
        self.play(FadeIn(source), run_time=0.6)
        self.play(
            *(Create(p[0]) for p in panels), *(FadeIn(p[1:]) for p in panels), FadeIn(key), run_time=1.0
        )
        prepare(lambda: [readout(i, k) for i in range(2) for k in range(QUADRATIC_STEPS + 1)])
        dots = [Dot(at(i, 0), color=POSITION, radius=0.08) for i in range(2)]
        shown = [readout(i, 0) for i in range(2)]
        self.play(*(FadeIn(d, scale=2) for d in dots), *(FadeIn(s) for s in shown), run_time=0.6)
        self.hold()
        narrate(
            self,
            f"With ηλ = {words(eta * lam_low)}, each step flips w across the minimum and keeps "
            f"{abs(1 - eta * lam_low):.2f} of its distance. With ηλ = {words(eta * lam_high)}, above 2, the "
            f"distance grows {abs(1 - eta * lam_high):.2f} times a step: w runs away.",
        )
        for k in range(QUADRATIC_STEPS):
            # The step −ηλw_k, level from w_k to w_{k+1}; the point then drops (or climbs) to the curve.
            ends = [panels[i][0].c2p(ws[i][k + 1], 0.5 * cases[i][0] * ws[i][k] ** 2) for i in range(2)]
            arrows = [arrow_between(at(i, k), ends[i], GRADIENT) for i in range(2)]
            following = [readout(i, k + 1) for i in range(2)]  # one number longer: faded in, not morphed
            self.play(*(GrowArrow(a) for a in arrows), run_time=0.6)
            self.play(
                *(Create(Line(at(i, k), at(i, k + 1), color=PATH, stroke_width=2.5)) for i in range(2)),
                *(d.animate.move_to(at(i, k + 1)) for i, d in enumerate(dots)),
                *(FadeOut(s) for s in shown),
                *(FadeIn(s) for s in following),
                *(FadeOut(a) for a in arrows),
                run_time=0.8,
            )
            shown = following
            for d in dots:
                self.bring_to_front(d)
        self.hold()
        fade_out_all(self)

    # -- 3. Gradient descent at the edge ------------------------------------------------------------------

    def gradient_descent(self):
        """Each rate's sharpness against its 2/η, the training loss below, the steps it rose."""
        runs = self.by_optimizer["sgd"]
        heading = section_title("Gradient descent: the sharpness meets 2/η")
        top = 1.15 * max(max(threshold(r.recipe), float(np.nanmax(curvature(r)))) for r in runs)
        axes, labels = self.step_plot(top, math(r"\lambda_{\max}", font_size=BODY_SIZE))
        loss_axes_, loss_labels = self.loss_plot(runs, axes)
        plots = VGroup(axes, labels, loss_axes_, loss_labels)
        plots.next_to(heading, DOWN, buff=0.35).to_edge(LEFT, buff=0.9)
        lines = VGroup(
            *(self.threshold_line(axes, threshold(r.recipe), self.colour(r), r"2/\eta") for r in runs)
        )
        key = legend([(f"η = {self.lr(r):g}", self.colour(r), "line") for r in runs], font_size=NOTE_SIZE)
        tracker = ValueTracker(0.0)
        counter = step_counter(tracker, self.steps, font_size=NOTE_SIZE)
        panel = VGroup(key, counter).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        panel.to_edge(RIGHT, buff=0.5).align_to(axes, UP)
        curves = VGroup(
            *(self.growing(axes, r["measured_steps"], curvature(r), self.colour(r), tracker) for r in runs),
            *(self.loss_curve(loss_axes_, r, tracker) for r in runs),
        )

        table = self.share_table(runs, r"\lambda_{\max} \,/\, (2/\eta)")
        table.next_to(counter, DOWN, buff=0.5, aligned_edge=LEFT)

        limits = listed([words(threshold(r.recipe)) for r in runs])
        open_section(
            self,
            heading,
            f"Gradient descent at {count_words(len(runs))} learning rates. Above: the sharpness against "
            f"steps, each rate's 2/η dashed in its colour: {limits}. Below: the training loss, log scale.",
        )
        self.play(Create(axes), FadeIn(labels), Create(loss_axes_), FadeIn(loss_labels), run_time=1.0)
        self.play(*(Create(line[0]) for line in lines), *(FadeIn(line[1]) for line in lines), run_time=0.8)
        self.play(FadeIn(key), FadeIn(counter), run_time=0.5)
        self.hold()

        edge = [r for r in runs if self.reached(r) is not None]
        below = [r for r in runs if self.reached(r) is None]
        met = listed([f"η = {self.lr(r):g} by step {self.reached(r)}" for r in edge])
        short = [
            f"η = {self.lr(r):g} levels off at {words(np.nanmax(curvature(r)))}, far below its "
            f"{words(threshold(r.recipe))}."
            for r in below
        ]
        narrate(
            self,
            "As training goes on the sharpness rises: progressive sharpening. "
            + (f"It meets the line, {met}, and stays there. " if edge else "")
            + " ".join(short),
        )
        self.draw_runs(curves, tracker, counter)
        self.hold()

        narrate(
            self,
            "Over the second half, the sharpness as a share of 2/η: "
            + "; ".join(f"η = {self.lr(r):g}: {shares(self.second_half(r))}" for r in runs)
            + ".",
        )
        self.play(FadeIn(table, shift=UP * 0.1), run_time=0.8)
        self.hold()

        rug = self.rises_rug(loss_axes_, runs)
        rises = listed([f"{len(rose_at(np.asarray(r['loss_train'])))} for η = {self.lr(r):g}" for r in runs])
        narrate(
            self,
            f"The loss keeps falling, but not at every step: the ticks under the plot mark the steps at "
            f"which it rose, {rises}, out of {self.steps}.",
        )
        self.play(FadeIn(rug[0], lag_ratio=0.3), FadeIn(rug[1]), run_time=1.2)
        self.hold()
        fade_out_all(self)

    def share_table(self, runs: list, tex: str) -> VGroup:
        """Each run's curvature as a fraction of its threshold over the second half of its steps:
        a title, then one row per run in its colour."""
        title = VGroup(
            text("second half:", font_size=NOTE_SIZE - 2, color=MUTED), math(tex, font_size=NOTE_SIZE + 2)
        ).arrange(RIGHT, buff=0.15)
        rows = VGroup(
            *(
                text(
                    f"η = {self.lr(r):g}:  {shares(self.second_half(r)).replace(' to ', '–')}",
                    font_size=NOTE_SIZE,
                    color=self.colour(r),
                )
                for r in runs
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        return VGroup(title, rows).arrange(DOWN, aligned_edge=LEFT, buff=0.25)

    # -- 4. Momentum --------------------------------------------------------------------------------------

    def momentum(self):
        """Momentum's sharpness against (2 + 2β)/η (and 2/η, which it passes): it meets the line
        and falls back."""
        runs = self.by_optimizer["momentum"]
        beta = runs[0].recipe["hyperparameters"]["momentum"]
        heading = section_title(f"Momentum β = {beta:g}: a higher edge, and a saw")
        top = 1.2 * max(max(threshold(r.recipe), float(np.nanmax(curvature(r)))) for r in runs)
        axes, labels = self.step_plot(top, math(r"\lambda_{\max}", font_size=BODY_SIZE))
        loss_axes_, loss_labels = self.loss_plot(runs, axes)
        plots = VGroup(axes, labels, loss_axes_, loss_labels)
        plots.next_to(heading, DOWN, buff=0.35).to_edge(LEFT, buff=0.9)
        lines = VGroup()
        for r in runs:
            own = threshold(r.recipe)
            lines.add(self.threshold_line(axes, own, self.colour(r), r"(2 + 2\beta)/\eta", place="over"))
            plain_gd = threshold({**r.recipe, "optimizer": "sgd"})  # the same rate without momentum
            lines.add(self.threshold_line(axes, plain_gd, MUTED, r"2/\eta", width=2.0, place="under"))
        rule = VGroup(
            math(r"b_{t+1} = \beta\, b_t + \nabla L(w_t)", font_size=NOTE_SIZE + 4),
            math(r"w_{t+1} = w_t - \eta\, b_{t+1}", font_size=NOTE_SIZE + 4),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        note = text_lines(
            "stable on a parabola", "while λ < (2 + 2β)/η", font_size=NOTE_SIZE - 2, color=MUTED
        )
        key = legend([(f"η = {self.lr(r):g}", self.colour(r), "line") for r in runs], font_size=NOTE_SIZE)
        tracker = ValueTracker(0.0)
        counter = step_counter(tracker, self.steps, font_size=NOTE_SIZE)
        panel = VGroup(rule, note, key, counter).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        panel.next_to(axes, RIGHT, buff=0.6).align_to(axes, UP)
        curves = VGroup(
            *(self.growing(axes, r["measured_steps"], curvature(r), self.colour(r), tracker) for r in runs),
            *(self.loss_curve(loss_axes_, r, tracker) for r in runs),
        )
        run = runs[0]
        eta = self.lr(run)
        plain_gd = threshold({**run.recipe, "optimizer": "sgd"})
        open_section(
            self,
            heading,
            f"Heavy-ball momentum, β = {beta:g}, η = {eta:g}: on a parabola it is stable while "
            f"λ < (2 + 2β)/η = {words(threshold(run.recipe))}, above the 2/η = {words(plain_gd)} of "
            "gradient descent at the same rate.",
        )
        self.play(Create(axes), FadeIn(labels), Create(loss_axes_), FadeIn(loss_labels), run_time=1.0)
        self.play(*(Create(line[0]) for line in lines), *(FadeIn(line[1]) for line in lines), run_time=0.8)
        self.play(FadeIn(rule), FadeIn(note), FadeIn(key), FadeIn(counter), run_time=0.6)
        self.hold()

        ratio, steps = self.ratio(run), np.asarray(run["measured_steps"])
        teeth = falls(ratio)
        told = ", climbs again and ".join(
            f"falls back to {ratio[i]:.2f} of it by step {steps[i]}" for i in teeth
        )
        narrate(
            self,
            f"The sharpness passes 2/η and climbs on, meets (2 + 2β)/η by step {self.reached(run)}, "
            f"{told}, and climbs once more."
            if len(teeth) and self.reached(run) is not None
            else f"The sharpness climbs to {np.nanmax(ratio):.2f} of (2 + 2β)/η.",
        )
        self.draw_runs(curves, tracker, counter)
        marks = VGroup(
            *(
                Arrow(
                    axes.c2p(steps[i - 1], curvature(run)[i - 1]) + UP * 0.5,
                    axes.c2p(steps[i - 1], curvature(run)[i - 1]) + UP * 0.08,
                    buff=0,
                    color=WHITE,
                    stroke_width=3,
                    max_tip_length_to_length_ratio=0.35,
                )
                for i in teeth
            )
        )
        self.hold()
        rises = len(rose_at(np.asarray(run["loss_train"])))
        narrate(
            self,
            "A saw, not a plateau: the arrows mark the falls. The training loss keeps going down, to "
            f"{words(run['loss_train'][-1])}, though it rose at {rises} of the {self.steps} steps.",
        )
        self.play(LaggedStart(*(GrowArrow(m) for m in marks), lag_ratio=0.3), run_time=1.0)
        self.hold()
        fade_out_all(self)

    # -- 5. Adam ------------------------------------------------------------------------------------------

    def adam(self):
        """Adam's preconditioned sharpness λ_max(P⁻¹H) against (2 + 2β₁)/((1 − β₁)η)."""
        runs = self.by_optimizer["adam"]
        hp = runs[0].recipe["hyperparameters"]
        heading = section_title("Adam: the preconditioned sharpness at its edge")
        top = 1.25 * max(max(threshold(r.recipe), float(np.nanmax(curvature(r)))) for r in runs)
        axes, labels = self.step_plot(top, math(r"\lambda_{\max}(P^{-1}H)", font_size=BODY_SIZE))
        loss_axes_, loss_labels = self.loss_plot(runs, axes)
        plots = VGroup(axes, labels, loss_axes_, loss_labels)
        plots.next_to(heading, DOWN, buff=0.35).to_edge(LEFT, buff=0.9)
        tex = r"(2 + 2\beta_1)/((1 - \beta_1)\eta)"
        lines = VGroup(
            *(self.threshold_line(axes, threshold(r.recipe), self.colour(r), tex, place="over") for r in runs)
        )
        rule = VGroup(
            math(r"w_{t+1} = w_t - \eta\, P_t^{-1} m_t", font_size=NOTE_SIZE + 4),
            math(
                r"P_t = (1 - \beta_1^{\,t})\Big(\sqrt{v_t / (1 - \beta_2^{\,t})} + \epsilon\Big)",
                font_size=NOTE_SIZE + 4,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        note = text_lines(
            "with P held fixed, stable on a",
            "parabola while the sharpness",
            "of P⁻¹H is below the line",
            font_size=NOTE_SIZE - 2,
            color=MUTED,
        )
        key = legend([(f"η = {self.lr(r):g}", self.colour(r), "line") for r in runs], font_size=NOTE_SIZE)
        tracker = ValueTracker(0.0)
        counter = step_counter(tracker, self.steps, font_size=NOTE_SIZE)
        panel = VGroup(rule, note, key, counter).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        panel.next_to(axes, RIGHT, buff=0.6).align_to(axes, UP)
        table = self.share_table(runs, r"\lambda_{\max}(P^{-1}H) \,/\, \text{line}")
        table.next_to(counter, DOWN, buff=0.3, aligned_edge=LEFT)
        curves = VGroup(
            *(self.growing(axes, r["measured_steps"], curvature(r), self.colour(r), tracker) for r in runs),
            *(self.loss_curve(loss_axes_, r, tracker) for r in runs),
        )
        run = runs[0]
        open_section(
            self,
            heading,
            f"Adam, β₁ = {hp['beta1']:g}, β₂ = {hp['beta2']:g}, η = {self.lr(run):g}, divides each step by "
            "its preconditioner P. Its limit is on the sharpness of P⁻¹H: "
            f"(2 + 2β₁)/((1 − β₁)η) = {words(threshold(run.recipe))}.",
        )
        self.play(Create(axes), FadeIn(labels), Create(loss_axes_), FadeIn(loss_labels), run_time=1.0)
        self.play(*(Create(line[0]) for line in lines), *(FadeIn(line[1]) for line in lines), run_time=0.8)
        self.play(FadeIn(rule), FadeIn(note), FadeIn(key), FadeIn(counter), run_time=0.6)
        self.hold()
        narrate(
            self,
            f"The sharpness of P⁻¹H rises to the line by step {self.reached(run)}, then hovers about it, "
            "dropping back and climbing again.",
        )
        self.draw_runs(curves, tracker, counter)
        self.hold()
        narrate(
            self,
            f"Over the second half it stays at {shares(self.second_half(run))} of the line, while the "
            f"plain sharpness of H ends at {words(run['sharpness'][-1])}. The loss falls to "
            f"{words(run['loss_train'][-1])}.",
        )
        self.play(FadeIn(table, shift=UP * 0.1), run_time=0.8)
        self.hold()
        fade_out_all(self)


def count_words(n: int) -> str:
    names = ["no", "one", "two", "three", "four", "five", "six"]
    return names[n] if n < len(names) else str(n)
