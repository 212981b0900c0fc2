"""Four of today's optimizers, each shown by what its own recorded run holds: Lion moves every
coordinate by exactly ±η, Muon orthogonalizes a weight matrix's momentum, Adafactor keeps a row
and a column factor instead of a matrix's second moment, and Schedule-Free AdamW takes its
gradient at y, steps z and evaluates at x, the running average of the z's.

Reads what the build hands it: runs on the elongated bowl (each with its state after every step)
and a tiny network's first steps under several optimizers (``optimizer_steps``: its weights after
every step, every state buffer after every step, and how many numbers each buffer holds for each
parameter). Hyperparameters come from the recipes, labels and colours from the registry; Muon's
update is read back from the stored weights by its own rule (decoupled weight decay, then the
orthogonalized direction times η √max(1, rows/columns)); every number on screen is read or
computed from the runs.
Preview: ``manim -ql scenes/todays_optimizers.py TodaysOptimizers``.
"""

from manim import *
from style import *

from descent.contours import contour_lines

LEVELS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)  # level sets of the bowl
ROUNDING = 1e-9  # a difference of two stored float64 points equals ±η to this relative error
SLOW_STEPS = 4  # Lion's first steps drawn one at a time, with −∇L
GRAD_LENGTH = 0.7  # length (in w) of the first −∇L arrow; later ones scale with |∇L|
LAST_STEPS = 40  # Lion's last steps, drawn on the grid of spacing η
RACE_TIME = 6.0  # seconds for a whole run on the bowl
BIN = 0.05  # width of the histogram bins of |Δw| / η
FACTORED = ("row_var", "col_var", "variance")  # Adafactor's second-moment buffers
WORDS_PER_SECOND = 2.8  # a caption stays up at least as long as it takes to read
MOMENTUM_COLOUR = PURPLE_B
Y_COLOUR, Z_COLOUR = WHITE, ORANGE  # Schedule-Free's y and z; x, the point it reports, in its own colour


def accelerate(t: float) -> float:
    """Steps come faster as a run goes on: the first, where most happens, get more time."""
    return t**2


def bounds_of(points: np.ndarray, pad: float, step: float = 0.5) -> tuple[tuple[float, float], ...]:
    """A box over ``points`` [k, 2] with ``pad`` around them, its edges on multiples of ``step``."""
    lo = np.floor((points.min(axis=0) - pad) / step) * step
    hi = np.ceil((points.max(axis=0) + pad) / step) * step
    return tuple((float(a), float(b)) for a, b in zip(lo, hi, strict=True))


def parameter_slices(steps) -> list[slice]:
    """Where each parameter sits in a flat row of an ``optimizer_steps`` run's weights."""
    sizes = np.prod(steps["parameter_shapes"], axis=1)
    ends = np.cumsum(sizes)
    return [slice(int(e - s), int(e)) for s, e in zip(sizes, ends, strict=True)]


def buffer_slice(steps, name: str, index: int) -> slice:
    """Where parameter ``index``'s numbers sit in a flat row of state buffer ``name``."""
    sizes = steps[f"state_size.{name}"]
    start = int(np.sum(sizes[:index]))
    return slice(start, start + int(sizes[index]))


def shape_words(steps, index: int) -> str:
    rows, cols = (int(v) for v in steps["parameter_shapes"][index])
    return f"{rows} × {cols}" if steps["parameter_ndim"][index] == 2 else f"{rows}"


def exactly_eta(moves: np.ndarray, lr: float) -> np.ndarray:
    """Which moves are ±η (to the rounding of a difference of stored points)."""
    return np.abs(np.abs(moves) - lr) <= ROUNDING * lr


def log_ticks(axes: Axes, lo: int, hi: int, font_size: float) -> VGroup:
    """``10^k`` beside the y axis of ``axes``, whose y counts decades up from ``10^lo``."""
    return VGroup(
        *(
            math(rf"10^{{{k}}}", font_size=font_size).next_to(axes.c2p(0, k - lo), LEFT, buff=0.12)
            for k in range(lo, hi + 1)
        )
    )


def reading_time(words: str) -> float:
    return len(words.split()) / WORDS_PER_SECOND


class TodaysOptimizers(Scene):
    """Title; Lion on the bowl; Lion against AdamW on a network; Muon's orthogonalized update;
    Adafactor's factored second moment; Schedule-Free AdamW's three points."""

    def construct(self):
        handed = inputs(self)
        self.bowl = {run.recipe["optimizer"]: run for run in handed.load_all("trajectory")}
        self.net = {run.recipe["optimizer"]: run for run in handed.load_all("optimizer_steps")}
        self.look = {name: optimizer_look(name) for name in [*self.bowl, *self.net]}
        self.surface = next(iter(self.bowl.values())).surface
        self.w_star = np.array(self.surface.global_minimum.point)

        self.title()
        self.lion_on_the_bowl()
        self.lion_on_a_network()
        self.muon()
        self.adafactor()
        self.schedule_free()

    # -- helpers -------------------------------------------------------------------------------------

    def say(self, words: str) -> None:
        """A caption, once the last one has been up long enough to read."""
        self.settle()
        narrate(self, words)
        self.due = self.renderer.time + reading_time(words)

    def settle(self) -> None:
        """Wait until the caption on screen has been read."""
        left = getattr(self, "due", 0.0) - self.renderer.time
        if left > 0.05:
            self.wait(left)

    def label(self, name: str) -> str:
        return self.look[name].label

    def colour(self, name: str) -> str:
        return self.look[name].colour

    def lr(self, runs: dict, name: str) -> float:
        return runs[name].recipe["hyperparameters"]["lr"]

    def plane(self, bounds, unit: float) -> tuple[Axes, VGroup, VGroup]:
        """Axes over ``bounds`` of the bowl's plane, their labels and the bowl's level sets."""
        axes, labels = plane_axes(bounds, unit)
        contours = contour_mobjects(axes, contour_lines(self.surface, LEVELS, n=220, bounds=bounds))
        return axes, labels, contours.set_stroke(opacity=0.8)

    def marks(self, axes: Axes, start) -> tuple[VGroup, VGroup]:
        return (
            marked_point(axes, self.w_star, MINIMUM, "w^*", DR, font_size=BODY_SIZE),
            marked_point(axes, start, POSITION, "w_0", UR, font_size=BODY_SIZE),
        )

    # -- 1. Title ------------------------------------------------------------------------------------

    def title(self):
        shown = inputs(self).settings["featured"]
        names = VGroup(*(text(self.label(n), font_size=BODY_SIZE + 4, color=self.colour(n)) for n in shown))
        names.arrange(RIGHT, buff=0.6)
        recipe = next(iter(self.net.values())).recipe
        widths = "-".join(str(w) for w in [2, *recipe["hidden"], 1])
        steps = recipe["epochs"]
        where = text_lines(
            f"each from its own recorded run: on the bowl {plain(self.surface.latex)},",
            f"and a tiny {widths} {recipe['activation']} network on the {recipe['dataset']}, {steps} steps",
            font_size=NOTE_SIZE + 2,
            color=MUTED,
        )
        heading = text("The optimizers of today", font_size=44)
        VGroup(heading, names, where).arrange(DOWN, buff=0.5)
        words = (
            f"The optimizers of today: {', '.join(self.label(n) for n in shown[:-1])} and "
            f"{self.label(shown[-1])}, each seen in its own recorded runs."
        )
        narrate(self, words)  # the first caption: nothing on screen yet to wait for
        self.due = self.renderer.time + reading_time(words)
        self.play(Write(heading), run_time=1.0)
        self.play(FadeIn(names, shift=UP * 0.2), FadeIn(where, shift=UP * 0.2), run_time=0.8)
        self.settle()
        self.wait(1.0)
        fade_out_all(self)

    # -- 2. Lion on the bowl -------------------------------------------------------------------------

    def lion_on_the_bowl(self):
        """Lion's first steps with −∇L, its whole run against Adam's, then its last steps on the
        grid of spacing η."""
        lion, adam = self.bowl["lion"].trajectory, self.bowl["adam"].trajectory
        hp = self.bowl["lion"].recipe["hyperparameters"]
        lr = hp["lr"]
        heading = section_title(f"{self.label('lion')}: every coordinate moves by exactly η")
        bounds = bounds_of(np.vstack([lion.params, adam.params]), pad=0.3)
        axes, axis_labels, contours = self.plane(bounds, unit=1.3)
        plane = VGroup(axes, axis_labels, contours).next_to(heading, DOWN, buff=0.35).to_edge(LEFT, buff=0.6)
        formula = math(self.surface.latex, font_size=FORMULA_SIZE - 10).next_to(axes, DOWN, buff=0.2)
        minimum, start = self.marks(axes, lion.params[0])

        rule = VGroup(
            math(r"c = \beta_1 m + (1-\beta_1)\, g", font_size=FORMULA_SIZE - 10),
            math(r"\Delta w = -\eta\, \operatorname{sign}(c)", font_size=FORMULA_SIZE - 6, color=POSITION),
            math(r"m \leftarrow \beta_2 m + (1-\beta_2)\, g", font_size=FORMULA_SIZE - 10),
            math(
                rf"\eta = {lr:g},\ \beta_1 = {hp['b1']:g},\ \beta_2 = {hp['b2']:g},"
                rf"\ \lambda = {hp['weight_decay']:g}",
                font_size=NOTE_SIZE + 4,
                color=MUTED,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        rule.next_to(plane, RIGHT, buff=0.6).align_to(axes, UP)

        words = f"{self.label('lion')} steps by the sign of a blend of momentum and gradient: " + (
            f"with no weight decay, every coordinate moves by exactly η = {lr:g}, up or down."
            if hp["weight_decay"] == 0
            else f"each coordinate moves by η = {lr:g}, plus a decay of ηλw, λ = {hp['weight_decay']:g}."
        )
        open_section(self, heading, words)
        self.due = self.renderer.time + reading_time(words)
        self.play(
            Create(axes), FadeIn(axis_labels), Write(formula), Create(contours, lag_ratio=0.1), run_time=1.2
        )
        self.play(FadeIn(minimum, scale=1.5), FadeIn(start, scale=1.5), Write(rule), run_time=1.2)

        # The first steps one at a time: −∇L in red, the step Lion takes, its size in units of η.
        self.say("Red is −∇L, steep along w₂, shallow along w₁; the step ignores its size.")
        scale = GRAD_LENGTH / np.linalg.norm(lion.grads[0])
        dot = Dot(to_screen(axes, lion.params[:1])[0], color=POSITION, radius=0.07)
        arrow = step_arrow(axes, lion.params[0], -scale * lion.grads[0], width=4)
        readout = self.lion_readout(lion, lr, 0).next_to(rule, DOWN, buff=0.4).align_to(rule, LEFT)
        prepare(lambda: [self.lion_readout(lion, lr, k) for k in range(SLOW_STEPS)])
        self.play(FadeIn(dot), GrowArrow(arrow), FadeIn(readout), run_time=0.6)
        drawn = VGroup()
        for k in range(SLOW_STEPS):
            a, b = to_screen(axes, lion.params[k : k + 2])
            piece = Line(a, b, color=self.colour("lion"), stroke_width=4)
            drawn.add(piece)
            moves = [Create(piece), dot.animate.move_to(b), FadeOut(arrow)]
            if k > 0:
                moves.append(
                    Transform(readout, self.lion_readout(lion, lr, k).move_to(readout, aligned_edge=LEFT))
                )
            self.play(*moves, run_time=0.6)
            arrow = step_arrow(axes, lion.params[k + 1], -scale * lion.grads[k + 1], width=4)
            self.play(GrowArrow(arrow), run_time=0.35)
            self.bring_to_front(dot)
        self.play(FadeOut(arrow), run_time=0.3)

        # The whole runs of Lion and Adam.
        tracker = ValueTracker(0.0)
        steps = lion.steps
        key = legend([(self.label(n), self.colour(n), "line") for n in ("lion", "adam")])
        counter = step_counter(tracker, steps, font_size=NOTE_SIZE + 2)
        VGroup(key, counter).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        VGroup(key, counter).next_to(readout, DOWN, buff=0.4).align_to(rule, LEFT)
        racers = racing_paths(
            axes,
            [(adam.params, self.colour("adam")), (lion.params, self.colour("lion"))],
            tracker,
            width=3,
            bounds=bounds,
        )
        exact = exactly_eta(lion.updates, lr)
        self.say(
            f"Both whole runs, {self.label('adam')} at the same η: {int(exact.sum())} of "
            f"{self.label('lion')}'s {exact.size} coordinate moves are ±η, so it keeps hopping near the "
            f"minimum while {self.label('adam')}'s steps shrink.",
        )
        self.play(FadeOut(dot), FadeOut(drawn), FadeIn(racers), FadeIn(key), FadeIn(counter), run_time=0.5)
        self.bring_to_front(minimum)
        self.play(tracker.animate.set_value(steps), run_time=RACE_TIME, rate_func=accelerate)
        racers.clear_updaters()
        self.wait(0.5)
        self.play(FadeOut(VGroup(rule, readout, key, counter)), run_time=0.5)
        self.lion_on_the_grid(lion, adam, lr, plane)
        self.settle()
        self.wait(1.0)
        fade_out_all(self)

    def lion_readout(self, lion, lr: float, k: int) -> VGroup:
        d = lion.updates[k] / lr
        return VGroup(
            text(f"step {k + 1}", font_size=NOTE_SIZE),
            math(rf"\Delta w / \eta = ({fmt(d[0])},\ {fmt(d[1])})", font_size=BODY_SIZE + 2, color=POSITION),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)

    def lion_on_the_grid(self, lion, adam, lr: float, plane: VGroup):
        """Lion's last steps (and Adam's) around w*, over grid lines η apart through the start."""
        last = lion.params[-LAST_STEPS - 1 :]
        origin = lion.params[0]
        # The grid's lines through the start, η apart, covering the last steps with η to spare.
        lo = np.floor((last.min(axis=0) - origin) / lr) - 1
        hi = np.ceil((last.max(axis=0) - origin) / lr) + 1
        bounds = tuple((float(origin[i] + lo[i] * lr), float(origin[i] + hi[i] * lr)) for i in range(2))
        span = max(b - a for a, b in bounds)
        unit = 4.4 / span
        axes = Axes(
            x_range=[bounds[0][0], bounds[0][1], lr],
            y_range=[bounds[1][0], bounds[1][1], lr],
            x_length=(bounds[0][1] - bounds[0][0]) * unit,
            y_length=(bounds[1][1] - bounds[1][0]) * unit,
            axis_config={"color": MUTED, "include_tip": False, "stroke_opacity": 0},
        )
        grid = VGroup(
            *(
                Line(axes.c2p(x, bounds[1][0]), axes.c2p(x, bounds[1][1]), stroke_width=1, color=MUTED)
                for x in origin[0] + np.arange(lo[0], hi[0] + 1) * lr
            ),
            *(
                Line(axes.c2p(bounds[0][0], y), axes.c2p(bounds[0][1], y), stroke_width=1, color=MUTED)
                for y in origin[1] + np.arange(lo[1], hi[1] + 1) * lr
            ),
        ).set_stroke(opacity=0.5)
        frame = SurroundingRectangle(grid, buff=0, color=MUTED, stroke_width=1.5)
        names = VGroup(math("w_1", font_size=NOTE_SIZE + 4), math("w_2", font_size=NOTE_SIZE + 4))
        caption = text_lines(
            f"{self.label('lion')}'s last {LAST_STEPS} steps, near w*;",
            f"grid lines η = {lr:g} apart,",
            "through the start",
            font_size=NOTE_SIZE,
            color=MUTED,
        )
        caption.next_to(plane, RIGHT, buff=0.6).align_to(plane, UP).shift(DOWN * 0.2)
        before = grid.get_center()
        inset = VGroup(grid, frame).next_to(caption, DOWN, buff=0.25).align_to(caption, LEFT)
        axes.shift(grid.get_center() - before)  # the grid was drawn in these axes: move them with it
        names[0].next_to(frame, RIGHT, buff=0.12).align_to(frame, DOWN)
        names[1].next_to(frame, UP, buff=0.08).align_to(frame, RIGHT).shift(LEFT * 0.05)
        star = Dot(axes.c2p(*self.w_star), color=MINIMUM, radius=0.06)
        lion_path = polyline(to_screen(axes, last), self.colour("lion"), width=3)
        lion_dots = VGroup(*(Dot(p, radius=0.045, color=self.colour("lion")) for p in to_screen(axes, last)))
        adam_last = adam.params[-LAST_STEPS - 1 :]
        adam_path = polyline(to_screen(axes, adam_last), self.colour("adam"), width=3)
        lion_end = np.abs(lion.updates[-LAST_STEPS:]).min() / lr
        lattice = (last - origin) / lr  # in steps of η from the start: whole numbers on the grid
        on_grid = int(
            np.sum(np.all(np.abs(lattice - np.round(lattice)) <= ROUNDING * np.abs(lattice).max(), axis=1))
        )
        adam_end = np.abs(adam.updates[-LAST_STEPS:]).max() / lr
        sizes = VGroup(
            math(
                rf"\text{{{self.label('lion')}: smallest }} |\Delta w_i| / \eta = {fmt(lion_end)}",
                font_size=NOTE_SIZE + 6,
                color=self.colour("lion"),
            ),
            math(
                rf"\text{{{self.label('adam')}: largest }} |\Delta w_i| / \eta = {fmt(adam_end)}",
                font_size=NOTE_SIZE + 6,
                color=self.colour("adam"),
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        sizes.next_to(inset, DOWN, buff=0.3).align_to(inset, LEFT)
        self.say(
            f"Its last {LAST_STEPS} steps, on grid lines η apart through the start: {on_grid} of "
            f"{len(last)} points are grid points, its smallest move still {fmt(lion_end)} η; "
            f"{self.label('adam')}'s largest, {fmt(adam_end)} η.",
        )
        self.play(
            FadeIn(caption),
            Create(grid, lag_ratio=0.02),
            Create(frame),
            FadeIn(names),
            FadeIn(star),
            run_time=1.0,
        )
        self.play(Create(lion_path), FadeIn(lion_dots, lag_ratio=0.05), run_time=2.0, rate_func=linear)
        self.play(Create(adam_path), run_time=1.0)
        self.bring_to_front(star)
        self.play(FadeIn(sizes, shift=UP * 0.1), run_time=0.8)

    # -- 3. Lion against AdamW on a network --------------------------------------------------------------

    def lion_on_a_network(self):
        """Histograms of |Δw| / η over every weight and every step, for Lion and for AdamW."""
        shown = ("lion", "adamw")
        moves = {n: np.abs(np.diff(self.net[n]["weights"], axis=0)) / self.lr(self.net, n) for n in shown}
        steps, count = moves["lion"].shape
        heading = section_title(f"On a network: {count} weights, {steps} steps")
        top = max(float(m.max()) for m in moves.values())
        edges = (np.arange(int(np.ceil(top / BIN)) + 2) - 0.5) * BIN  # bins centred on multiples
        panels = VGroup()
        for name in shown:
            share = np.histogram(moves[name].ravel(), bins=edges)[0] / moves[name].size
            axes = Axes(
                x_range=[0, edges[-1], 0.5],
                y_range=[0, 1, 0.25],
                x_length=5.2,
                y_length=2.9,
                axis_config={"color": MUTED, "font_size": NOTE_SIZE - 2, "include_tip": False},
                x_axis_config={"include_numbers": True, "decimal_number_config": {"num_decimal_places": 1}},
                y_axis_config={"include_numbers": True, "decimal_number_config": {"num_decimal_places": 2}},
            )
            bars = VGroup(
                *(
                    Rectangle(
                        width=axes.x_length * (b - max(a, 0.0)) / edges[-1] * 0.9,
                        height=max(axes.y_length * s, 1e-3),
                        stroke_width=0,
                        fill_color=self.colour(name),
                        fill_opacity=0.9,
                    ).move_to(axes.c2p((max(a, 0.0) + b) / 2, 0), aligned_edge=DOWN)
                    for a, b, s in zip(edges[:-1], edges[1:], share, strict=True)
                    if s > 0
                )
            )
            labels = VGroup(
                math(r"|\Delta w| / \eta", font_size=NOTE_SIZE + 4).next_to(axes.x_axis, DOWN, buff=0.45),
                text("share of moves", font_size=NOTE_SIZE - 2, color=MUTED).next_to(
                    axes.y_axis.get_end(), UP, buff=0.15
                ),
            )
            name_tag = text(
                f"{self.label(name)}, η = {self.lr(self.net, name):g}",
                font_size=BODY_SIZE,
                color=self.colour(name),
            ).next_to(axes, UP, buff=0.45)
            panels.add(VGroup(axes, labels, name_tag, bars))
        panels.arrange(RIGHT, buff=0.9).next_to(heading, DOWN, buff=0.35)

        lion_exact = exactly_eta(np.diff(self.net["lion"]["weights"], axis=0), self.lr(self.net, "lion"))
        adamw = moves["adamw"].ravel()
        quartiles = np.percentile(adamw, [10, 50, 90])
        # AdamW's first step: bias correction makes each move about η (the adaptive lesson).
        first = float(np.mean(np.abs(moves["adamw"][0] - 1) < BIN / 2))
        notes = VGroup(
            text(
                f"{self.label('lion')}: {int(lion_exact.sum())} of {lion_exact.size} moves are ±η exactly",
                font_size=NOTE_SIZE + 2,
                color=self.colour("lion"),
            ),
            text(
                f"{self.label('adamw')}: 10% below {fmt(quartiles[0])}, median {fmt(quartiles[1])}, "
                f"90% below {fmt(quartiles[2])}, largest {fmt(adamw.max())}",
                font_size=NOTE_SIZE + 2,
                color=self.colour("adamw"),
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        notes.next_to(panels, DOWN, buff=0.35)

        words = (
            f"On a tiny network: each weight's move at each of {steps} steps, divided by the rate, for "
            f"{self.label('lion')} and {self.label('adamw')}."
        )
        open_section(self, heading, words)
        self.due = self.renderer.time + reading_time(words)
        self.play(*(FadeIn(VGroup(p[0], p[1], p[2])) for p in panels), run_time=1.0)
        self.play(*(GrowFromEdge(bar, DOWN) for p in panels for bar in p[3]), run_time=1.2)
        self.say(
            f"{self.label('lion')}: {int(lion_exact.sum())} of {lion_exact.size} moves are exactly η. "
            f"{self.label('adamw')}'s first step moves {first:.0%} of the weights by about η (bias "
            f"correction); then its moves spread: median {fmt(quartiles[1])} η, largest "
            f"{fmt(adamw.max())} η.",
        )
        self.play(FadeIn(notes, shift=UP * 0.1), run_time=0.8)
        self.settle()
        self.wait(1.0)
        fade_out_all(self)

    # -- 4. Muon ---------------------------------------------------------------------------------------

    def muon(self):
        """A hidden matrix's momentum against Muon's update, read back from the stored weights:
        their singular values, on a log axis."""
        run = self.net["muon"]
        hp = run.recipe["hyperparameters"]
        lr, decay, beta = hp["lr"], hp["weight_decay"], hp["momentum"]
        index = int(np.argmax(run["state_size.momentum_buffer"]))  # the matrix Muon steps
        rows, cols = (int(v) for v in run["parameter_shapes"][index])
        held = [i for i, n in enumerate(run["state_size.momentum_buffer"]) if n]
        t = len(run["weights"]) - 1  # the last step
        weights = run["weights"][:, parameter_slices(run)[index]].reshape(-1, rows, cols)
        momentum = run["state.momentum_buffer"][t - 1, buffer_slice(run, "momentum_buffer", index)]
        momentum = momentum.reshape(rows, cols)
        adjusted = lr * np.sqrt(max(1.0, rows / cols))
        update = ((1 - lr * decay) * weights[t - 1] - weights[t]) / adjusted
        s_momentum = np.linalg.svd(momentum, compute_uv=False) / np.linalg.norm(momentum)
        s_update = np.linalg.svd(update, compute_uv=False)

        heading = section_title(f"{self.label('muon')}: the momentum, orthogonalized")
        rule = VGroup(
            math(r"B_t = \beta B_{t-1} + (1-\beta)\, g_t", font_size=FORMULA_SIZE - 10),
            math(r"O_t = \mathrm{NS}\big(g_t + \beta\,(B_t - g_t)\big)", font_size=FORMULA_SIZE - 10),
            math(
                r"W_t = (1-\eta\lambda)\, W_{t-1} - \eta\sqrt{\max(1, m/n)}\; O_t",
                font_size=FORMULA_SIZE - 12,
            ),
            math(
                rf"\eta = {lr:g},\ \lambda = {decay:g},\ \beta = {beta:g},"
                rf"\ m \times n = {rows} \times {cols}",
                font_size=NOTE_SIZE + 4,
                color=MUTED,
            ),
            text("so, from the stored weights:", font_size=NOTE_SIZE, color=MUTED),
            math(
                r"O_t = \frac{(1-\eta\lambda)\, W_{t-1} - W_t}{\eta\sqrt{\max(1, m/n)}}",
                font_size=FORMULA_SIZE - 8,
                color=self.colour("muon"),
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        rule[4].shift(DOWN * 0.1)
        rule.next_to(heading, DOWN, buff=0.45).to_edge(LEFT, buff=0.5)

        lo = int(np.floor(np.log10(min(s_momentum.min(), s_update.min()))))
        hi = 1
        n = len(s_update)
        # Decades counted up from the lowest, so that the index axis runs along the bottom.
        axes = Axes(
            x_range=[0, n + 1, 8],
            y_range=[0, hi - lo, 1],
            x_length=5.0,
            y_length=3.3,
            axis_config={"color": MUTED, "font_size": NOTE_SIZE - 2, "include_tip": False},
            x_axis_config={"include_numbers": True},
        )
        ticks = log_ticks(axes, lo, hi, NOTE_SIZE - 2)
        labels = VGroup(
            text("singular value, largest first", font_size=NOTE_SIZE - 2, color=MUTED).next_to(
                axes.x_axis, DOWN, buff=0.35
            ),
            math(r"\sigma", font_size=BODY_SIZE + 4).next_to(axes.y_axis.get_end(), UP, buff=0.15),
        )
        VGroup(axes, ticks, labels).next_to(heading, DOWN, buff=1.0).to_edge(RIGHT, buff=0.6)
        one = DashedLine(axes.c2p(0, -lo), axes.c2p(n + 1, -lo), color=MUTED, stroke_width=2)
        at = np.arange(1, n + 1)
        dots_b = VGroup(
            *(
                Dot(axes.c2p(i, np.log10(s) - lo), radius=0.05, color=MOMENTUM_COLOUR)
                for i, s in zip(at, s_momentum, strict=True)
            )
        )
        dots_o = VGroup(
            *(
                Dot(axes.c2p(i, np.log10(s) - lo), radius=0.05, color=self.colour("muon"))
                for i, s in zip(at, s_update, strict=True)
            )
        )
        lifts = VGroup(
            *(
                Arrow(
                    a.get_center(), b.get_center(), buff=0.06, color=MUTED, stroke_width=1.5, tip_length=0.1
                )
                for a, b in zip(dots_b, dots_o, strict=True)
                if b.get_y() - a.get_y() > 0.25
            )
        )
        key = legend(
            [
                (f"momentum B at step {t}, σ / ‖B‖", MOMENTUM_COLOUR, "dot"),
                (f"update O at step {t}", self.colour("muon"), "dot"),
            ],
            font_size=NOTE_SIZE - 1,
        )
        key.arrange(RIGHT, buff=0.4).next_to(axes, UP, buff=0.45).align_to(axes, RIGHT)

        near = (s_update > 0.5) & (s_update < 1.5)
        ratio = s_momentum[0] / s_momentum[1]
        k = int(np.nonzero(near)[0].max())  # the smallest singular value that lands near 1
        lifted = int(np.sum(s_update > s_momentum))
        facts = VGroup(
            math(
                rf"\text{{largest two: }} B\!: {fmt(s_momentum[0], 3)},\ {fmt(s_momentum[1], 3)}"
                rf"\ (\times {ratio:.0f}) \ \to\ O\!: {fmt(s_update[0])},\ {fmt(s_update[1])}",
                font_size=NOTE_SIZE + 4,
            ),
            math(
                rf"\text{{{int(near.sum())} of {n} in }} [0.5, 1.5];\ \sigma_{{{k + 1}}}\!: "
                rf"{tex_number(s_momentum[k])} \to {fmt(s_update[k])}",
                font_size=NOTE_SIZE + 4,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        facts.next_to(rule, DOWN, buff=0.4).align_to(rule, LEFT)
        others = ", ".join(shape_words(run, i) for i in range(len(run["parameter_ndim"])) if i not in held)
        vector = text_lines(
            f"{self.label('muon')} steps the {rows} × {cols} hidden matrix only; "
            f"{self.label('adamw')} (η = {hp['adamw_lr']:g}) "
            f"the rest: {others}.",
            "A point on a surface is a vector (w₁, w₂): no matrix to orthogonalize, no run on the bowl.",
            font_size=NOTE_SIZE - 2,
            color=MUTED,
        ).to_edge(DOWN, buff=0.35)

        words = (
            f"{self.label('muon')} steps a weight matrix by its momentum, orthogonalized by a "
            "Newton–Schulz iteration. Its update is read back from the stored weights, undoing weight "
            f"decay λ = {decay:g} and the rate."
        )
        open_section(self, heading, words)
        self.due = self.renderer.time + reading_time(words)
        self.play(Write(rule[:4]), run_time=1.6)
        self.play(FadeIn(rule[4:]), run_time=0.8)
        self.play(Create(axes), FadeIn(ticks), FadeIn(labels), Create(one), run_time=1.0)
        self.say(
            f"The hidden {rows} × {cols} matrix at step {t}: the momentum's singular values, over its "
            f"norm, fall from {fmt(s_momentum[0], 3)} to {plain(tex_number(float(s_momentum.min())))}: "
            "almost one direction.",
        )
        self.play(FadeIn(key[0]), FadeIn(dots_b, lag_ratio=0.05), run_time=1.2)
        self.say(
            f"In the update, the largest two, {ratio:.0f} times apart before, are {fmt(s_update[0])} and "
            f"{fmt(s_update[1])}; {int(near.sum())} land between 0.5 and 1.5, and {lifted} of {n} are "
            "lifted towards 1.",
        )
        self.play(FadeIn(key[1]), Create(lifts, lag_ratio=0.05), FadeIn(dots_o, lag_ratio=0.05), run_time=1.8)
        self.play(FadeIn(facts, shift=UP * 0.1), run_time=0.8)
        self.say(
            f"{self.label('adamw')} steps the other parameters. A point on a surface is a vector, not a "
            f"matrix: nothing to orthogonalize, so {self.label('muon')} has no run on the bowl.",
        )
        self.play(FadeIn(vector, shift=UP * 0.1), run_time=0.8)
        self.settle()
        self.wait(1.0)
        fade_out_all(self)

    # -- 5. Adafactor ------------------------------------------------------------------------------------

    def adafactor(self):
        """A matrix's second moment: m·n numbers in AdamW, m + n in Adafactor; every parameter's
        count, read from the stored state sizes."""
        ada, adamw = self.net["adafactor"], self.net["adamw"]
        ndim = ada["parameter_ndim"]
        index = max(range(len(ndim)), key=lambda i: np.prod(ada["parameter_shapes"][i]))  # the largest
        rows, cols = (int(v) for v in ada["parameter_shapes"][index])
        heading = section_title(f"{self.label('adafactor')}: a factored second moment")

        cell = 2.3 / max(rows, cols)
        full = self.cells(rows, cols, cell, self.colour("adamw"))
        full_label = VGroup(
            text(f"{self.label('adamw')}: exp_avg_sq", font_size=NOTE_SIZE, color=self.colour("adamw")),
            math(
                rf"{rows} \times {cols} = {int(adamw['state_size.exp_avg_sq'][index])}",
                font_size=BODY_SIZE + 2,
                color=self.colour("adamw"),
            ),
        ).arrange(DOWN, buff=0.1)
        n_row, n_col = int(ada["state_size.row_var"][index]), int(ada["state_size.col_var"][index])
        row_factor = self.cells(n_row, 1, cell, self.colour("adafactor"))
        col_factor = self.cells(1, n_col, cell, self.colour("adafactor"))
        ghost = DashedVMobject(Square(side_length=cell * rows, color=MUTED, stroke_width=1.5), num_dashes=40)
        col_factor.next_to(ghost, UP, buff=0.12)
        row_factor.next_to(ghost, LEFT, buff=0.12)
        factored = VGroup(row_factor, col_factor, ghost)
        estimate = math(r"\hat v_{ij} = \frac{r_i\, c_j}{\operatorname{mean}(r)}", font_size=BODY_SIZE + 2)
        estimate.move_to(ghost)
        fact_label = VGroup(
            text(
                f"{self.label('adafactor')}: row_var r,", font_size=NOTE_SIZE, color=self.colour("adafactor")
            ),
            text("col_var c", font_size=NOTE_SIZE, color=self.colour("adafactor")),
            math(
                rf"{n_row} + {n_col} = {n_row + n_col}",
                font_size=BODY_SIZE + 2,
                color=self.colour("adafactor"),
            ),
        ).arrange(DOWN, buff=0.1)
        pictures = VGroup(VGroup(full, full_label), VGroup(factored, estimate, fact_label))
        full_label.next_to(full, DOWN, buff=0.2)
        fact_label.next_to(ghost, DOWN, buff=0.2)
        pictures.arrange(RIGHT, buff=0.7, aligned_edge=DOWN).next_to(heading, DOWN, buff=0.5).to_edge(
            LEFT, buff=0.5
        )

        table = self.state_table(ada, adamw)
        table.to_edge(RIGHT, buff=0.5).align_to(pictures, UP)
        p = int(np.prod(ada["parameter_shapes"], axis=1).sum())
        adamw_total = sum(int(adamw[f"state_size.{k}"].sum()) for k in ("exp_avg", "exp_avg_sq"))
        ada_total = sum(int(ada[f"state_size.{k}"].sum()) for k in FACTORED)
        # Matrices whose factors hold as many numbers as the matrix, or more (a single row).
        no_saving = [
            i
            for i, d in enumerate(ndim)
            if d == 2
            and sum(int(ada[f"state_size.{k}"][i]) for k in FACTORED) >= np.prod(ada["parameter_shapes"][i])
        ]
        has_m = "state.exp_avg" in ada
        summary = VGroup(
            text(
                f"{self.label('adamw')}: m and v, {adamw_total} numbers = {adamw_total / p:g} P",
                font_size=NOTE_SIZE + 2,
                color=self.colour("adamw"),
            ),
            text(
                f"{self.label('adafactor')}: {'m and ' if has_m else 'no m, '}a factored v, "
                f"{ada_total} numbers = {ada_total / p:.2f} P",
                font_size=NOTE_SIZE + 2,
                color=self.colour("adafactor"),
            ),
            text(
                f"P = {p} parameters; each also keeps a step count (one number per tensor)",
                font_size=NOTE_SIZE - 2,
                color=MUTED,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        summary.to_edge(DOWN, buff=0.45).to_edge(LEFT, buff=0.6)

        words = (
            f"{self.label('adafactor')} factors the second moment: for the {rows} × {cols} matrix "
            f"{self.label('adamw')} keeps {rows * cols} numbers, {self.label('adafactor')} a row and a "
            f"column factor, {n_row} + {n_col} = {n_row + n_col}."
        )
        open_section(self, heading, words)
        self.due = self.renderer.time + reading_time(words)
        self.play(FadeIn(full, lag_ratio=0.001), FadeIn(full_label), run_time=1.2)
        self.play(FadeIn(row_factor, lag_ratio=0.02), FadeIn(col_factor, lag_ratio=0.02), run_time=1.2)
        self.play(Create(ghost), Write(estimate), FadeIn(fact_label), run_time=1.0)
        self.say(
            "Over every parameter, from the stored state sizes"
            + "".join(f": the {shape_words(ada, i)} matrix saves nothing" for i in no_saving)
            + f". {self.label('adamw')} keeps m and v, {adamw_total / p:g} numbers per parameter, as the "
            f"adaptive lesson counted; {self.label('adafactor')}, {ada_total / p:.2f}.",
        )
        self.play(FadeIn(table[0]), LaggedStart(*(FadeIn(r) for r in table[1]), lag_ratio=0.15), run_time=1.6)
        self.play(FadeIn(table[2]), run_time=0.6)
        self.play(FadeIn(summary, shift=UP * 0.1), run_time=0.8)
        self.settle()
        self.wait(1.0)
        fade_out_all(self)

    @staticmethod
    def cells(rows: int, cols: int, size: float, colour) -> VGroup:
        """A ``rows`` × ``cols`` block of little squares."""
        block = VGroup(
            *(
                Square(size, stroke_width=0.6, stroke_color=BLACK, fill_color=colour, fill_opacity=0.75)
                for _ in range(rows * cols)
            )
        )
        return block.arrange_in_grid(rows=rows, cols=cols, buff=0)

    def state_table(self, ada, adamw) -> VGroup:
        """Per parameter: its shape, and the numbers AdamW's second moment and Adafactor's keep:
        ``VGroup(header, rows, VGroup(rule, total))``."""
        header = VGroup(
            text("parameter", font_size=NOTE_SIZE, color=MUTED),
            text(f"{self.label('adamw')} v", font_size=NOTE_SIZE, color=self.colour("adamw")),
            text(f"{self.label('adafactor')} v", font_size=NOTE_SIZE, color=self.colour("adafactor")),
        )
        rows = VGroup()
        totals = np.zeros(2, dtype=int)
        for i, ndim in enumerate(ada["parameter_ndim"]):
            v = int(adamw["state_size.exp_avg_sq"][i])
            kept = [int(ada[f"state_size.{k}"][i]) for k in FACTORED]
            totals += [v, sum(kept)]
            parts = " + ".join(str(n) for n in kept if n)
            rows.add(
                VGroup(
                    text(("matrix " if ndim == 2 else "vector ") + shape_words(ada, i), font_size=NOTE_SIZE),
                    math(str(v), font_size=BODY_SIZE + 4, color=self.colour("adamw")),
                    math(
                        parts if ndim == 2 else str(sum(kept)),
                        font_size=BODY_SIZE + 4,
                        color=self.colour("adafactor"),
                    ),
                )
            )
        total = VGroup(
            text("total", font_size=NOTE_SIZE),
            math(str(totals[0]), font_size=BODY_SIZE + 4, color=self.colour("adamw")),
            math(str(totals[1]), font_size=BODY_SIZE + 4, color=self.colour("adafactor")),
        )
        lines = [header, *rows, total]
        widths = [max(line[j].width for line in lines) for j in range(3)]
        xs = np.cumsum([0.0, widths[0] + 0.45, widths[1] + 0.45])
        for r, line in enumerate(lines):
            for x, cell in zip(xs, line, strict=True):
                cell.move_to([x, -0.45 * r, 0], aligned_edge=LEFT)
        y = -0.45 * (len(rows) + 0.5)
        rule = Line([0, y, 0], [xs[-1] + widths[-1], y, 0]).set_stroke(MUTED, 1.5)
        return VGroup(header, rows, VGroup(rule, total))

    # -- 6. Schedule-Free AdamW ---------------------------------------------------------------------------

    def schedule_free(self):
        """x, y and z on the bowl, from the stored state: the gradient at y, steps for z, x their
        running average."""
        name = next(n for n in self.bowl if "z" in self.bowl[n].trajectory.state)
        run = self.bowl[name]
        traj, hp = run.trajectory, run.recipe["hyperparameters"]
        beta, lr = hp["beta"], hp["lr"]
        x_colour = self.colour(name)
        y = traj.params
        x = np.vstack([y[:1], traj.state["x"]])
        z = np.vstack([y[:1], traj.state["z"]])
        total = traj.state["weight_sum"]
        c = np.diff(np.r_[0.0, total]) / total  # each new z's weight in the average
        mix = float(np.abs(y - ((1 - beta) * z + beta * x)).max())
        uniform = bool(np.abs(c - 1 / np.arange(1, len(c) + 1)).max() < ROUNDING)  # a plain mean
        steps = traj.steps

        heading = section_title(f"{self.label(name)}: three points")
        bounds = bounds_of(np.vstack([x, y, z]), pad=0.3)
        axes, axis_labels, contours = self.plane(bounds, unit=1.3)
        plane = VGroup(axes, axis_labels, contours).next_to(heading, DOWN, buff=0.35).to_edge(LEFT, buff=0.6)
        minimum, start = self.marks(axes, y[0])
        rule = VGroup(
            math(r"y_t = (1-\beta)\, z_t + \beta\, x_t", font_size=FORMULA_SIZE - 10, color=Y_COLOUR),
            math(
                r"z_{t+1} = z_t - \eta\, \frac{\nabla L(y_t)}{\sqrt{\hat v_t} + \varepsilon}",
                font_size=FORMULA_SIZE - 10,
                color=Z_COLOUR,
            ),
            math(
                r"x_{t+1} = (1 - c_{t+1})\, x_t + c_{t+1}\, z_{t+1}",
                font_size=FORMULA_SIZE - 10,
                color=x_colour,
            ),
            math(rf"\eta = {lr:g},\ \beta = {beta:g}", font_size=NOTE_SIZE + 4, color=MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        rule.next_to(plane, RIGHT, buff=0.5).align_to(axes, UP)
        weights = VGroup(
            math(
                rf"c_t \text{{ (stored weight sum): }} {', '.join(f'{v:.3g}' for v in c[:4])}, \ldots",
                font_size=NOTE_SIZE + 4,
            ),
            math(
                rf"|c_t - 1/t| \le {tex_number(float(np.abs(c - 1 / np.arange(1, steps + 1)).max()))}"
                r"\text{: } x_t \text{ is the mean of } z_1 \ldots z_t",
                font_size=NOTE_SIZE + 4,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        weights.next_to(rule, DOWN, buff=0.3).align_to(rule, LEFT)
        tracker = ValueTracker(0.0)
        key = legend(
            [
                ("x: where the loss is evaluated", x_colour, "line"),
                ("y: where the gradient is taken", Y_COLOUR, "line"),
                ("z: the base steps", Z_COLOUR, "line"),
                ("−∇L at y (scaled)", GRADIENT, "arrow"),
            ],
            font_size=NOTE_SIZE,
        )
        counter = step_counter(tracker, steps, font_size=NOTE_SIZE + 2)
        VGroup(key, counter).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        VGroup(key, counter).next_to(weights, DOWN, buff=0.3).align_to(rule, LEFT)
        racers = racing_paths(
            axes, [(z, Z_COLOUR), (y, Y_COLOUR), (x, x_colour)], tracker, width=3, bounds=bounds
        )
        scale = GRAD_LENGTH / np.linalg.norm(traj.grads[0])
        screen_y = to_screen(axes, y)

        def gradient_at_y():
            k = int(min(tracker.get_value(), steps - 1))
            end = to_screen(axes, [y[k] - scale * traj.grads[k]])[0]
            if np.linalg.norm(end - screen_y[k]) < 0.05:
                return VMobject()
            return arrow_between(screen_y[k], end, GRADIENT, width=3.5)

        arrow = always_redraw(gradient_at_y)
        distance = {p: float(np.linalg.norm(v[-1] - self.w_star)) for p, v in (("x", x), ("y", y), ("z", z))}
        ends = VGroup(
            text(f"after {steps} steps:", font_size=NOTE_SIZE),
            math(
                rf"|x - w^*| = {fmt(distance['x'])},\ |y - w^*| = {fmt(distance['y'])},"
                rf"\ |z - w^*| = {fmt(distance['z'])}",
                font_size=NOTE_SIZE + 4,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        ends.next_to(plane, DOWN, buff=0.25).align_to(plane, LEFT)

        words = (
            f"{self.label(name)} keeps three points: the gradient is taken at y, z takes the steps, and "
            "x, an average of the z's, is the point to evaluate."
        )
        open_section(self, heading, words)
        self.due = self.renderer.time + reading_time(words)
        self.play(Create(axes), FadeIn(axis_labels), Create(contours, lag_ratio=0.1), run_time=1.2)
        self.play(FadeIn(minimum, scale=1.5), FadeIn(start, scale=1.5), Write(rule), run_time=1.4)
        self.say(
            "Each new z's weight in the average, from the stored weight sum, is "
            + ("1/t: x is the plain mean of the z's. " if uniform else "c_t. ")
            + f"The stored y is (1 − β) z + β x to {plain(tex_number(mix))}.",
        )
        self.play(FadeIn(weights, shift=UP * 0.1), run_time=0.9)
        self.say(
            f"All {steps} steps: z swings wide, x follows slowly, averaging the swings away, and y stays "
            "close to x.",
        )
        self.play(FadeIn(key), FadeIn(counter), FadeIn(racers), FadeIn(arrow), run_time=0.6)
        self.bring_to_front(minimum)
        self.play(tracker.animate.set_value(steps), run_time=RACE_TIME * 1.6, rate_func=accelerate)
        racers.clear_updaters()
        arrow.clear_updaters()
        self.remove(arrow)
        self.say(
            f"After {steps} steps: x is {fmt(distance['x'])} from the minimum, y {fmt(distance['y'])}, "
            f"and z {fmt(distance['z'])}.",
        )
        self.play(FadeIn(ends, shift=UP * 0.1), run_time=0.8)
        self.settle()
        self.wait(1.0)
        fade_out_all(self)
