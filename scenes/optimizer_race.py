"""Seven optimizers race from the same start, each at the learning rate a stated search found best.

Reads every run of the lesson's search the build hands it (each optimizer at each learning rate on
the Rosenbrock valley, the axis-aligned ravine and the same ravine turned by 45 degrees) and picks
each optimizer's best run with ``descent.compare.best_per_optimizer``, the rule the page's figures
use, at the tolerance the video's settings give. Optimizers, rates and steps are read from the
runs' recipes, labels and colours from the optimizer registry; every number on screen (rates,
steps to tolerance, gaps) is read from the runs.
Preview: ``manim -ql scenes/optimizer_race.py OptimizerRace``.
"""

from manim import *
from style import *

from descent.compare import RULE, best_per_optimizer, loss_gap, search_budget
from descent.contours import contour_lines

ROSEN_LEVELS = [float(10**k) for k in np.arange(-1.0, 3.01, 0.5)]  # log-spaced: ×√10 apart
RAVINE_LEVELS = [float(v) for v in np.geomspace(0.1, 300.0, 8)]
ROSEN_UNIT = 1.3  # screen units per unit of w on the Rosenbrock plane
RAVINE_UNIT = 0.58
RACE_TIME = 8.0  # seconds for the whole race on Rosenbrock
RAVINE_TIME = 6.0  # seconds for the race on the ravines


def accelerate(t: float) -> float:
    """Steps per second grow over the race: the early steps, where most happens, get more time."""
    return t**2


def stretches(steps: np.ndarray) -> str:
    """Sorted step numbers as ranges: 1, 224–228."""
    parts, start = [], None
    for i, s in enumerate(steps):
        if start is None:
            start = s
        if i + 1 == len(steps) or steps[i + 1] != s + 1:
            parts.append(f"{start}" if start == s else f"{start}–{s}")
            start = None
    return ", ".join(parts)


def steps_label(outcome) -> str:
    return "—" if outcome.steps_to_tolerance is None else f"{outcome.steps_to_tolerance}"


def rate_label(lr: float) -> str:
    return f"{lr:.3g}"


def number_cell(tex: str) -> MathTex:
    """A table entry typeset as a formula; "—" (not reached) as a TeX dash."""
    return math(r"\text{---}" if tex == "—" else tex, font_size=BODY_SIZE + 4)


def header_cell(*lines: str) -> VGroup:
    """A column heading in one or two lines (words as text, formulas as TeX)."""
    cells = [
        math(s, font_size=NOTE_SIZE + 6, color=MUTED)
        if "\\" in s or "^" in s
        else text(s, font_size=NOTE_SIZE + 1, color=MUTED)
        for s in lines
    ]
    return VGroup(*cells).arrange(DOWN, buff=0.08)


class OptimizerRace(Scene):
    """The search budget and the chosen rates, the race on Rosenbrock, the ravine turned 45°, and
    the loss gap per step."""

    def construct(self):
        handed = inputs(self)
        everything = handed.load_all()  # the search on each surface, in the spec's order
        self.runs = {}  # surface -> its runs
        for run in everything:
            self.runs.setdefault(run.recipe["surface"], []).append(run)
        budget = search_budget(everything)
        self.optimizers, self.rates = budget["optimizers"], budget["learning_rates"]
        self.label = {o: optimizer_look(o).label for o in self.optimizers}
        self.colour = {o: optimizer_look(o).colour for o in self.optimizers}
        self.tolerance = handed.settings["tolerance"]
        self.on_ravines = handed.settings["ravine_paths"]  # the optimizers whose paths the ravines show
        self.best = {s: best_per_optimizer(runs, tolerance=self.tolerance) for s, runs in self.runs.items()}
        power = np.log10(self.tolerance)
        self.tol_tex = rf"10^{{{int(power)}}}" if float(power).is_integer() else tex_number(self.tolerance)

        self.title()
        self.the_fair_comparison()
        self.rosenbrock_race()
        self.the_adversarial_surface()
        self.convergence()

    # -- helpers ---------------------------------------------------------------------------------

    def surface_of(self, name: str):
        return self.runs[name][0].surface

    def within_tolerance(self, surface: str) -> str:
        """Who gets within the tolerance for good on ``surface``, and from which step, in words."""
        best = self.best[surface]
        reached = [
            f"{self.label[o]} from step {best[o].steps_to_tolerance}"
            for o in self.optimizers
            if best[o].steps_to_tolerance is not None
        ]
        return ", ".join(reached) if reached else "none"

    def marks(self, axes, surface, start, label_dir=UR):
        """The minimum (green) and the start (yellow), labelled."""
        return (
            marked_point(axes, surface.global_minimum.point, MINIMUM, "w^*", DR),
            marked_point(axes, start, POSITION, "w_0", label_dir),
        )

    def start_gradient(self, axes, surface, start, length=0.8) -> Arrow:
        """A red arrow along −∇L at the start (direction only: on Rosenbrock |∇L| is in the hundreds)."""
        g = np.asarray(surface.grad(np.asarray(start, dtype=float)))
        a = to_screen(axes, [start])[0]
        direction = -np.array([g[0] * axes.x_axis.get_unit_size(), g[1] * axes.y_axis.get_unit_size(), 0])
        direction /= np.linalg.norm(direction)
        return Arrow(a, a + direction * length, buff=0, color=GRADIENT, stroke_width=5)

    # -- sections --------------------------------------------------------------------------------

    def title(self):
        budget = f"{len(self.optimizers)} optimizers, each at its best of {len(self.rates)} learning rates"
        title_card(
            self,
            "Which optimizer is fastest? A fair race",
            math(self.surface_of("rosenbrock").latex, font_size=FORMULA_SIZE - 4),
            text(budget, font_size=BODY_SIZE + 2, color=MUTED),
            then=f"{budget}.",
        )

    def the_fair_comparison(self):
        """What the search tried (the same for everyone), the rule, and what it chose on Rosenbrock."""
        heading = section_title("A fair comparison: the same search for everyone")
        rosen = search_budget(self.runs["rosenbrock"])
        ravine = search_budget(self.runs["ravine"])
        rates = rosen["learning_rates"]
        w0, v0 = rosen["start"], ravine["start"]
        size = BODY_SIZE - 2
        budget = VGroup(
            text(f"{len(rosen['optimizers'])} optimizers × {len(rates)} learning rates", font_size=BODY_SIZE),
            math(
                rf"\eta = {rate_label(rates[0])},\ \dots,\ {rate_label(rates[-1])}\ \text{{(log-spaced)}}",
                font_size=size + 6,
            ),
            text("same start, same steps for all:", font_size=size),
            math(
                rf"\text{{Rosenbrock: }} w_0 = ({w0[0]:g}, {w0[1]:g}),\ {rosen['steps']}\text{{ steps}}",
                font_size=size + 4,
            ),
            math(
                rf"\text{{ravines: }} w_0 = ({v0[0]:g}, {v0[1]:g}),\ {ravine['steps']}\text{{ steps}}",
                font_size=size + 4,
            ),
            text("other hyperparameters at defaults", font_size=size),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        budget[3:5].shift(RIGHT * 0.3)
        budget[2:].shift(DOWN * 0.15)
        budget[5].shift(DOWN * 0.1)

        # The selection rule, word-wrapped, as descent.compare states it.
        lines, line = [], ""
        for word in f"Best run per optimizer: {RULE}.".replace("L − L*", "L\u00a0−\u00a0L*").split(" "):
            if line and len(line) + len(word) + 1 > 46:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        rule = VGroup(*(text(s, font_size=NOTE_SIZE - 1, color=MUTED) for s in lines))
        rule.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        left = VGroup(budget, rule).arrange(DOWN, aligned_edge=LEFT, buff=0.45)

        # The table: chosen rate, steps to tolerance, final gap on Rosenbrock.
        best = self.best["rosenbrock"]
        numbers = [
            (rate_label(best[o].lr), steps_label(best[o]), tex_number(best[o].final_gap))
            for o in self.optimizers
        ]
        prepare(lambda: [number_cell(n) for row in numbers for n in row])
        cells = [
            header_cell("optimizer"),
            header_cell(r"\eta", "chosen"),
            header_cell("steps to", "tolerance"),
            header_cell("final", r"L - L^*"),
        ]
        for opt, row in zip(self.optimizers, numbers, strict=True):
            cells += [
                text(self.label[opt], font_size=BODY_SIZE - 2, color=self.colour[opt]),
                *(number_cell(n) for n in row),
            ]
        table = VGroup(*cells).arrange_in_grid(
            rows=len(self.optimizers) + 1, cols=4, buff=(0.32, 0.22), col_alignments="lccc"
        )
        header = VGroup(*cells[:4])
        reached = [self.label[o] for o in self.optimizers if best[o].steps_to_tolerance is not None]
        caption = math(
            rf"\text{{Rosenbrock; tolerance: }} L - L^* \le {self.tol_tex}",
            font_size=NOTE_SIZE + 8,
            color=MUTED,
        )
        verdict = text(
            f"within tolerance in {rosen['steps']} steps: " + (", ".join(reached) if reached else "none"),
            font_size=NOTE_SIZE,
        )
        right = VGroup(caption, table, verdict).arrange(DOWN, buff=0.3)
        body = VGroup(left, right).arrange(RIGHT, buff=0.5, aligned_edge=UP)
        body.scale_to_fit_width(min(body.width, config.frame_width - 1.2))  # keep 0.6 from the edges
        body.next_to(heading, DOWN, buff=0.5).set_x(0)
        rule_line = Line(table.get_left(), table.get_right(), color=MUTED, stroke_width=1.5)
        rule_line.next_to(header, DOWN, buff=0.1).set_x(table.get_x())

        open_section(
            self,
            heading,
            f"A fair comparison: each optimizer gets the same {len(rates)} learning rates, "
            f"{rate_label(rates[0])} to {rate_label(rates[-1])}, from the same start. The table gives "
            "its best η, steps to tolerance and final L − L* on Rosenbrock.",
            run_time=0.8,
        )
        self.play(FadeIn(budget[:2], shift=UP * 0.1), run_time=0.8)
        self.play(FadeIn(budget[2:], shift=UP * 0.1), run_time=0.8)
        self.play(FadeIn(rule), run_time=0.7)
        self.play(FadeIn(caption), FadeIn(header), Create(rule_line), run_time=0.6)
        rows = [VGroup(*cells[4 * r : 4 * r + 4]) for r in range(1, len(self.optimizers) + 1)]
        self.play(LaggedStart(*(FadeIn(r, shift=UP * 0.1) for r in rows), lag_ratio=0.3), run_time=2.0)
        narrate(
            self,
            f"Within tolerance, L − L* ≤ {plain(self.tol_tex)}, in {rosen['steps']} steps: "
            f"{self.within_tolerance('rosenbrock')}.",
        )
        self.play(FadeIn(verdict), run_time=0.5)
        self.wait(2.5)
        fade_out_all(self)

    def rosenbrock_race(self):
        """Contours, minimum and start; then all seven best runs step by step together."""
        surface = self.surface_of("rosenbrock")
        best = self.best["rosenbrock"]
        start = np.array(best["sgd"].run.recipe["start"], dtype=float)
        n = max(o.run.trajectory.steps for o in best.values())
        bounds = surface.domain
        heading = section_title("The race on Rosenbrock's valley")
        axes, axis_labels = plane_axes(bounds, ROSEN_UNIT)
        plane = VGroup(axes, axis_labels).next_to(heading, DOWN, buff=0.25).to_edge(LEFT, buff=0.8)
        contours = contour_mobjects(axes, contour_lines(surface, ROSEN_LEVELS, n=200), stroke_width=1.6)
        contours.set_stroke(opacity=0.7)
        minimum, start_mark = self.marks(axes, surface, start, label_dir=UL)
        arrow = self.start_gradient(axes, surface, start)

        formula = math(surface.latex, font_size=FORMULA_SIZE - 8)
        levels = text(
            f"level sets L = {ROSEN_LEVELS[0]:g} … {ROSEN_LEVELS[-1]:g}, ×√10 apart",
            font_size=NOTE_SIZE,
            color=MUTED,
        )
        marks_key = legend(
            [("minimum w*", MINIMUM, "dot"), ("start w₀", POSITION, "dot"), ("−∇L(w₀)", GRADIENT, "arrow")],
            font_size=NOTE_SIZE - 1,
        ).arrange(RIGHT, buff=0.35)
        key = legend(
            [
                (f"{self.label[o]}  (η = {rate_label(best[o].lr)})", self.colour[o], "line")
                for o in self.optimizers
            ]
        )
        key.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        panel = VGroup(formula, levels, marks_key, key).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        panel.next_to(plane, RIGHT, buff=0.7).align_to(axes, UP)

        w_star = surface.global_minimum.point
        open_section(
            self,
            heading,
            f"The race on Rosenbrock's valley, {plain(surface.latex)}: the minimum w* = "
            f"({w_star[0]:g}, {w_star[1]:g}) in green, the start w₀ = ({start[0]:g}, {start[1]:g}) in "
            "yellow.",
        )
        self.play(Create(axes), FadeIn(axis_labels), Write(formula), run_time=1.0)
        self.play(Create(contours, lag_ratio=0.1), FadeIn(levels), run_time=1.5)
        self.play(FadeIn(minimum, scale=1.5), FadeIn(start_mark, scale=1.5), FadeIn(marks_key), run_time=0.8)
        self.play(GrowArrow(arrow), run_time=0.6)

        tracker = ValueTracker(0.0)
        runs = [(best[o].run.trajectory.params, self.colour[o]) for o in self.optimizers]
        racers = racing_paths(axes, runs, tracker, width=3, bounds=bounds)
        counter = step_counter(tracker, n).next_to(key, DOWN, buff=0.4).align_to(key, LEFT)
        narrate(
            self,
            f"The red arrow points downhill from the start. All {len(self.optimizers)} run {n} steps at "
            "once, each at its chosen η, the steps coming faster as the race goes on. Within tolerance "
            f"by the end: {self.within_tolerance('rosenbrock')}.",
        )
        self.play(FadeIn(key), FadeIn(counter), FadeIn(racers), run_time=0.8)
        self.bring_to_front(arrow)  # the start's −∇L stays visible over the paths
        self.play(tracker.animate.set_value(n), run_time=RACE_TIME, rate_func=accelerate)
        self.wait(1.5)
        fade_out_all(self)

    def the_adversarial_surface(self):
        """The ravine and the same bowl turned 45°, the best paths on both, then the steps to
        tolerance read from the outcomes."""
        heading = section_title("An adversarial surface: the ravine turned 45°")
        names = ("ravine", "rotated_ravine")
        n = max(self.best[s][o].run.trajectory.steps for s in names for o in self.on_ravines)
        tracker = ValueTracker(0.0)
        captions = ("axis-aligned: curvatures 1 and 100", "turned by 45°: the same bowl")
        panels, racers, statics = VGroup(), VGroup(), []
        for name, caption in zip(names, captions, strict=True):
            surface = self.surface_of(name)
            bounds = surface.domain
            axes, axis_labels = plane_axes(bounds, RAVINE_UNIT)
            contours = contour_mobjects(axes, contour_lines(surface, RAVINE_LEVELS, n=160), stroke_width=1.5)
            contours.set_stroke(opacity=0.7)
            start = np.array(self.best[name]["sgd"].run.recipe["start"], dtype=float)
            minimum, start_mark = self.marks(axes, surface, start, label_dir=UL)
            arrow = self.start_gradient(axes, surface, start, length=0.55)
            title = VGroup(
                text(caption, font_size=NOTE_SIZE),
                math(surface.latex, font_size=BODY_SIZE),
            ).arrange(DOWN, buff=0.12)
            title.next_to(axes, UP, buff=0.5)
            panels.add(VGroup(title, axes, axis_labels, contours, minimum, start_mark, arrow))
            statics.append((axes, bounds))
        panels.arrange(RIGHT, buff=0.5, aligned_edge=UP).next_to(heading, DOWN, buff=0.35)
        panels.to_edge(LEFT, buff=0.5)
        for (axes, bounds), name in zip(statics, names, strict=True):
            runs = [(self.best[name][o].run.trajectory.params, self.colour[o]) for o in self.on_ravines]
            racers.add(racing_paths(axes, runs, tracker, width=3, bounds=bounds))

        key = legend(
            [(self.label[o], self.colour[o], "line") for o in self.on_ravines]
            + [("minimum w*", MINIMUM, "dot"), ("start w₀", POSITION, "dot"), ("−∇L(w₀)", GRADIENT, "arrow")]
        )
        key.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        key.next_to(panels, RIGHT, buff=0.5).align_to(panels[0][1], UP)
        counter = step_counter(tracker, n).next_to(key, DOWN, buff=0.4).align_to(key, LEFT)
        note = text_lines(
            "each at its own best η",
            "on each surface",
            font_size=NOTE_SIZE - 1,
            color=MUTED,
            buff=0.08,
        )
        note.next_to(counter, DOWN, buff=0.3).align_to(key, LEFT)

        flat, turned = (self.surface_of(name) for name in names)
        low, high = flat.global_minimum.eigenvalues
        steepest = [
            np.linalg.eigh(s.hessian(np.array(s.global_minimum.point)))[1][:, -1] for s in (flat, turned)
        ]
        angle = np.degrees(np.arccos(min(1.0, abs(float(steepest[0] @ steepest[1])))))
        open_section(
            self,
            heading,
            f"An adversarial surface: a ravine with curvatures {low:g} and {high:g}, first aligned "
            f"with the axes, then the same bowl turned by {angle:.0f}°.",
        )
        self.play(*(Create(p[1]) for p in panels), *(FadeIn(p[0]) for p in panels), run_time=1.0)
        self.play(
            *(FadeIn(p[2]) for p in panels), *(Create(p[3], lag_ratio=0.1) for p in panels), run_time=1.2
        )
        self.play(
            *(FadeIn(p[4:6], scale=1.5) for p in panels), *(GrowArrow(p[6]) for p in panels), run_time=0.7
        )
        shown = [self.label[o] for o in self.on_ravines]
        narrate(
            self,
            f"{', '.join(shown[:-1])} and {shown[-1]} race on both, from the same start, each at its "
            "own best η on each surface.",
        )
        self.play(FadeIn(key), FadeIn(counter), FadeIn(note), FadeIn(racers), run_time=0.7)
        self.bring_to_front(*(p[6] for p in panels))  # the start's −∇L stays visible over the paths
        self.play(tracker.animate.set_value(n), run_time=RAVINE_TIME, rate_func=accelerate)

        # Steps outside the plotted square, read from the run, for any path that leaves it.
        leave_notes = VGroup()
        for (axes, bounds), name in zip(statics, names, strict=True):
            (x0, x1), (y0, y1) = bounds
            for o in self.on_ravines:
                p = self.best[name][o].run.trajectory.params
                outside = np.nonzero((p[:, 0] < x0) | (p[:, 0] > x1) | (p[:, 1] < y0) | (p[:, 1] > y1))[0]
                if len(outside):
                    words = text(
                        f"{self.label[o]} is off the plot at steps {stretches(outside)}",
                        font_size=NOTE_SIZE - 2,
                        color=self.colour[o],
                    )
                    leave_notes.add(words)
            if len(leave_notes):
                leave_notes.arrange(DOWN, buff=0.08).next_to(axes, DOWN, buff=0.15)
        if len(leave_notes):
            self.play(FadeIn(leave_notes), run_time=0.5)
        self.wait(1.5)

        # Phase two: the outcomes behind the pictures.
        for mob in self.mobjects:
            mob.clear_updaters()
        rest = [m for m in self.mobjects if m is not heading]
        self.play(*(FadeOut(m) for m in rest), run_time=0.7)
        self.remove(*rest)
        self.outcome_table(heading, names)

    def outcome_table(self, heading, names):
        """Chosen rate and steps to tolerance on both ravines, and what they say."""
        flat, turned = (self.best[s] for s in names)
        cells = [
            header_cell("optimizer"),
            header_cell(r"\eta"),
            header_cell("steps"),
            header_cell(r"\eta"),
            header_cell("steps"),
        ]
        numbers = [
            (rate_label(flat[o].lr), steps_label(flat[o]), rate_label(turned[o].lr), steps_label(turned[o]))
            for o in self.optimizers
        ]
        prepare(lambda: [number_cell(n) for row in numbers for n in row])
        for opt, row in zip(self.optimizers, numbers, strict=True):
            cells += [
                text(self.label[opt], font_size=BODY_SIZE - 2, color=self.colour[opt]),
                *(number_cell(n) for n in row),
            ]
        table = VGroup(*cells).arrange_in_grid(
            rows=len(self.optimizers) + 1, cols=5, buff=(0.7, 0.16), col_alignments="lcccc"
        )
        groups = VGroup(
            text("axis-aligned", font_size=NOTE_SIZE + 2).move_to(VGroup(cells[1], cells[2])),
            text("turned 45°", font_size=NOTE_SIZE + 2).move_to(VGroup(cells[3], cells[4])),
        )
        caption = math(
            rf"\text{{steps until }} L - L^* \le {self.tol_tex} \text{{ for good; --- = never in the run}}",
            font_size=NOTE_SIZE + 4,
            color=MUTED,
        )
        block = VGroup(caption, groups, table).arrange(DOWN, buff=0.15)
        block[0].shift(UP * 0.1)
        block.next_to(heading, DOWN, buff=0.3)
        for g, (a, b) in zip(groups, ((1, 2), (3, 4)), strict=True):  # each over its two columns
            g.set_x(VGroup(cells[a], cells[b]).get_x())
        rule_line = Line(table.get_left(), table.get_right(), color=MUTED, stroke_width=1.5)
        rule_line.next_to(VGroup(*cells[:5]), DOWN, buff=0.08).set_x(table.get_x())
        split = DashedLine(table.get_top(), table.get_bottom(), color=MUTED, stroke_width=1.5).set_x(
            (cells[2].get_right()[0] + cells[3].get_left()[0]) / 2
        )

        def row_box(opt):
            r = 1 + self.optimizers.index(opt)
            row = VGroup(*cells[5 * r : 5 * r + 5])
            box = Rectangle(
                width=table.width + 0.3, height=row.height + 0.1, color=self.colour[opt], stroke_width=2
            )
            return box.move_to([table.get_x(), row.get_y(), 0])

        reached = {
            s: {o for o in self.optimizers if self.best[s][o].steps_to_tolerance is not None} for s in names
        }
        lost = [o for o in self.optimizers if o in reached[names[0]] and o not in reached[names[1]]]
        kept = [o for o in ("momentum", "nesterov") if o in reached[names[0]] and o in reached[names[1]]]
        lost_said, kept_said = VGroup(), VGroup()
        if lost:
            names_lost = " and ".join(self.label[o] for o in lost)
            lost_said.add(text(f"{names_lost}: reached only axis-aligned", font_size=BODY_SIZE - 2))
            if {"adagrad", "rmsprop"} & set(lost):
                lost_said.add(
                    text(
                        "per-coordinate step sizes help only when the valley lines up with the axes",
                        font_size=NOTE_SIZE,
                        color=MUTED,
                    )
                )
        if kept:
            changes = ", ".join(
                f"{self.label[o]} {flat[o].steps_to_tolerance} → {turned[o].steps_to_tolerance}" for o in kept
            )
            kept_said.add(text(f"{changes} steps: reached on both", font_size=BODY_SIZE - 2))
            kept_said.add(
                text(
                    "they treat all directions alike; turning only moves where the start sits in the bowl",
                    font_size=NOTE_SIZE,
                    color=MUTED,
                )
            )
        for part in (lost_said, kept_said):
            part.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        said = VGroup(*(p for p in (lost_said, kept_said) if len(p))).arrange(
            DOWN, aligned_edge=LEFT, buff=0.25
        )
        said.next_to(block, DOWN, buff=0.35)
        boxes = VGroup(*(row_box(o) for o in lost + kept))

        narrate(
            self,
            "The outcomes: each chosen η and the steps to tolerance, axis-aligned against turned.",
        )
        self.play(
            FadeIn(caption), FadeIn(groups), FadeIn(VGroup(*cells[:5])), Create(rule_line), run_time=0.6
        )
        rows = [VGroup(*cells[5 * r : 5 * r + 5]) for r in range(1, len(self.optimizers) + 1)]
        self.play(
            LaggedStart(*(FadeIn(r, shift=UP * 0.1) for r in rows), lag_ratio=0.25),
            Create(split),
            run_time=1.8,
        )
        self.wait(0.6)
        if lost:
            narrate(
                self,
                f"{' and '.join(self.label[o] for o in lost)} reach it only axis-aligned: per-coordinate "
                "steps help only when the valley lines up with the axes.",
            )
            self.play(Create(boxes[: len(lost)]), FadeIn(lost_said), run_time=1.0)
            self.wait(2.0)
        if kept:
            narrate(
                self,
                f"{changes} steps: reached on both, as they treat all directions alike.",
            )
            self.play(Create(boxes[len(lost) :]), FadeIn(kept_said), run_time=1.0)
        self.wait(2.5)
        fade_out_all(self)

    def convergence(self):
        """L − L* per step (log axis) for the seven best Rosenbrock runs, with the tolerance line."""
        heading = section_title("Convergence on Rosenbrock: the loss gap per step")
        best = self.best["rosenbrock"]
        n = max(o.run.trajectory.steps for o in best.values())
        gaps = {o: loss_gap(best[o].run) for o in self.optimizers}
        positive = np.concatenate([g[g > 0] for g in gaps.values()])
        lo = int(np.floor(np.log10(min(positive.min(), self.tolerance)))) - 1
        hi = int(np.ceil(np.log10(positive.max())))
        # The y axis runs over log10(L − L*) shifted so that its bottom, 10^lo, is 0: the step axis
        # then sits at the bottom of the plot.
        axes = Axes(
            x_range=[0, n, n // 5],
            y_range=[0, hi - lo, 1],
            x_length=7.6,
            y_length=5.0,
            axis_config={"color": MUTED, "tip_width": 0.18, "tip_height": 0.18},
            x_axis_config={"include_numbers": True, "font_size": NOTE_SIZE},
            tips=True,
        )
        y_numbers = VGroup(
            *(
                math(rf"10^{{{k}}}", font_size=NOTE_SIZE + 4).next_to(axes.c2p(0, k - lo), LEFT, buff=0.15)
                for k in range(lo, hi + 1, 2)
            )
        )
        labels = VGroup(
            text("step", font_size=BODY_SIZE).next_to(axes.x_axis.get_end(), DOWN, buff=0.3),
            math(r"L - L^*", font_size=BODY_SIZE + 4).next_to(axes.y_axis.get_end(), RIGHT, buff=0.2),
        )
        plot = VGroup(axes, y_numbers, labels).next_to(heading, DOWN, buff=0.4).to_edge(LEFT, buff=0.8)
        tol_y = np.log10(self.tolerance) - lo
        tol = DashedLine(axes.c2p(0, tol_y), axes.c2p(n, tol_y), color=MINIMUM)
        tol_label = math(rf"\text{{tolerance }} {self.tol_tex}", font_size=NOTE_SIZE + 4, color=MINIMUM)
        tol_label.next_to(tol, DOWN, buff=0.1).align_to(tol, RIGHT)

        curves = VGroup()
        for opt in self.optimizers:
            g = np.log10(np.maximum(gaps[opt], 10.0**lo)) - lo
            pts = np.asarray(axes.c2p(np.arange(len(g)), g)).T.reshape(-1, 3)
            curves.add(VMobject(stroke_color=self.colour[opt], stroke_width=2.5).set_points_as_corners(pts))
        key = legend([(self.label[o], self.colour[o], "line") for o in self.optimizers])
        key.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        key.next_to(plot, RIGHT, buff=0.6).align_to(axes, UP)
        reached = [
            (o, best[o].steps_to_tolerance) for o in self.optimizers if best[o].steps_to_tolerance is not None
        ]
        summary = []
        for o, s in reached:
            summary.append(
                text(f"{self.label[o]}: within tolerance", font_size=NOTE_SIZE, color=self.colour[o])
            )
            summary.append(text(f"from step {s}", font_size=NOTE_SIZE, color=self.colour[o]))
        summary.append(
            text(
                "none within tolerance" if not reached else "the rest: still outside it",
                font_size=NOTE_SIZE,
                color=MUTED,
            )
        )
        summary.append(text(f"after {n} steps", font_size=NOTE_SIZE, color=MUTED))
        notes = VGroup(*summary).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
        notes.next_to(key, DOWN, buff=0.5).align_to(key, LEFT)

        open_section(
            self,
            heading,
            f"Convergence on Rosenbrock: the loss gap L − L* per step, on a log scale, for the "
            f"{len(self.optimizers)} best runs, with the tolerance {plain(self.tol_tex)} as a green line.",
        )
        self.play(Create(axes), FadeIn(y_numbers), FadeIn(labels), run_time=1.0)
        self.play(Create(tol), FadeIn(tol_label), FadeIn(key), run_time=0.7)
        self.play(*(Create(c) for c in curves), run_time=3.5, rate_func=linear)
        narrate(
            self,
            f"Within tolerance: {self.within_tolerance('rosenbrock')}; "
            + ("the rest are" if reached else "none is")
            + f" still outside it after {n} steps.",
        )
        self.play(FadeIn(notes), run_time=0.6)
        self.wait(2.5)
        fade_out_all(self)
