"""Adaptive methods: Adam's two moments read from the optimizer's own state, bias correction, one
step size per coordinate on the elongated bowl, and the memory each optimizer's state costs.

Reads what the build hands it: a run of Adam with its state (``exp_avg``, ``exp_avg_sq`` and
``step`` after every step, as PyTorch's ``optim.Adam`` stores them), then one run per optimizer on
the same bowl from the same start; the video's settings name the runs drawn on the bowl.
Hyperparameters come from the recipes, curvatures from the surface's Hessian, buffer names and
counts from each run's recorded state.
Preview: ``manim -ql scenes/adaptive_methods.py AdaptiveMethods``.
"""

from manim import *
from style import *

from descent.contours import contour_lines

M_COLOUR, V_COLOUR, M_HAT_COLOUR = TEAL_C, PURPLE_B, ORANGE
BIAS_STEPS = 20  # steps shown in the bias-correction plot
VIEW = ((-3.0, 3.0), (-1.5, 1.5))  # the bowl's plane: the domain's w_1 range, the paths' w_2 band
UNIT = 1.3  # screen units per unit of w (equal on both axes: ellipses keep their shape)
LEVELS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
SLOW_STEPS = 6  # steps drawn one at a time, with the gradient at each point
CHUNK = 12  # later steps drawn this many at a time
GRAD_LENGTH = 0.8  # length (in w) of the −∇L arrow at the start; the others scale with |∇L|


def nice_range(values: np.ndarray) -> tuple[float, float, float]:
    """An axis range ``(lo, hi, step)`` that covers ``values`` and 0, with about 3-4 ticks."""
    lo, hi = min(float(np.min(values)), 0.0), max(float(np.max(values)), 0.0)
    span = hi - lo
    step = next(s * 10**e for e in range(-3, 4) for s in (1, 2, 5) if span / (s * 10**e) <= 4)
    return np.floor(lo / step) * step, np.ceil(hi / step) * step, step


def decimals(step: float) -> int:
    return max(0, int(-np.floor(np.log10(step) + 1e-9)))


def step_plot(
    steps: tuple[int, int, int], values: np.ndarray, y_label: str, size=(2.4, 1.3), x_numbers: bool = True
) -> tuple[Axes, VGroup]:
    """Axes with ``step`` across and ``y_label`` up, covering ``values``; both axes labelled."""
    lo, hi, dy = nice_range(values)
    axes = Axes(
        x_range=list(steps),
        y_range=[lo, hi, dy],
        x_length=size[0],
        y_length=size[1],
        axis_config={"color": MUTED, "font_size": NOTE_SIZE - 2, "include_tip": False},
        x_axis_config={"include_numbers": x_numbers},
        y_axis_config={
            "include_numbers": True,
            "decimal_number_config": {"num_decimal_places": decimals(dy)},
        },
    )
    labels = VGroup(
        text("step", font_size=NOTE_SIZE - 2, color=MUTED).next_to(axes.x_axis.get_end(), RIGHT, buff=0.1),
        math(y_label, font_size=BODY_SIZE).next_to(axes, LEFT, buff=0.12),
    )
    return axes, labels


class AdaptiveMethods(Scene):
    """Title; Adam's moments are EMAs; bias correction; per-coordinate steps; memory of the state."""

    def construct(self):
        handed = inputs(self)
        self.moments, *runs = handed.load_all()  # Adam's moments, then one run per optimizer
        self.runs = {run.recipe["optimizer"]: run for run in runs}
        self.look = {name: optimizer_look(name) for name in self.runs}
        self.on_plane = handed.settings["on_plane"]  # the runs whose paths are drawn on the bowl
        self.surface = self.moments.surface
        self.hp = self.moments.recipe["hyperparameters"]
        traj = self.moments.trajectory
        self.g, self.t = traj.grads, traj.state["step"]
        self.m, self.v = traj.state["exp_avg"], traj.state["exp_avg_sq"]
        # Curvature along each coordinate: the Hessian's diagonal at the computed minimum.
        self.curvature = np.diag(self.surface.hessian(np.array(self.surface.global_minimum.point)))

        self.title()
        self.the_moments()
        self.bias_correction()
        self.per_coordinate_steps()
        self.memory()

    def title(self):
        run_title_card(self, "Adaptive methods: a step size per coordinate", self.moments)

    # -- 2. Adam's moments are EMAs ---------------------------------------------------------------

    def the_moments(self):
        """m and v as formulas, beside their recorded values per coordinate, with the gradients."""
        heading = section_title("Adam keeps two EMAs of the gradient")
        b1, b2 = self.hp["beta1"], self.hp["beta2"]
        recap = text("Last lesson's EMA:  new = β·old + (1 − β)·input", font_size=BODY_SIZE - 2, color=MUTED)
        m_formula = VGroup(
            math(r"m_t = \beta_1 m_{t-1}", font_size=FORMULA_SIZE - 2),
            math(r"{}+ (1-\beta_1)\, g_t", font_size=FORMULA_SIZE - 2),
            math(rf"\beta_1 = {b1:g}", font_size=BODY_SIZE + 2, color=M_COLOUR),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        v_formula = VGroup(
            math(r"v_t = \beta_2 v_{t-1}", font_size=FORMULA_SIZE - 2),
            math(r"{}+ (1-\beta_2)\, g_t^2", font_size=FORMULA_SIZE - 2),
            math(rf"\beta_2 = {b2:g}", font_size=BODY_SIZE + 2, color=V_COLOUR),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        for f in (m_formula, v_formula):
            f[1].shift(RIGHT * 0.5)
            f[2].shift(DOWN * 0.1)

        steps = (0, len(self.t), 20)
        plots = VGroup()  # [row][column]: rows m (with g) and v, columns w_1 and w_2
        for name in ("m", "v"):
            row_group = VGroup()
            for col in range(2):
                values = np.concatenate([self.m[:, col], self.g[:, col]]) if name == "m" else self.v[:, col]
                y_label = "m,\\ g" if name == "m" else "v"
                axes, labels = step_plot(steps, values, y_label, size=(2.9, 1.4), x_numbers=name == "v")
                row_group.add(VGroup(axes, labels))
            plots.add(row_group.arrange(RIGHT, buff=0.35, aligned_edge=DOWN))
        plots.arrange(DOWN, buff=0.5, aligned_edge=LEFT)
        heads = VGroup(
            *(
                math(rf"w_{{{i + 1}}}\ \text{{({kind}, curvature {c:g})}}", font_size=NOTE_SIZE + 2)
                for i, (kind, c) in enumerate(zip(("shallow", "steep"), self.curvature, strict=True))
            )
        )
        for head, plot in zip(heads, plots[0], strict=True):
            head.next_to(plot[0], UP, buff=0.25)
        recap.next_to(heading, DOWN, buff=0.3)
        VGroup(heads, plots).next_to(recap, DOWN, buff=0.25).to_edge(RIGHT, buff=0.5)
        curves = {}
        for row, series in enumerate(({"g": self.g, "m": self.m}, {"v": self.v})):
            for key, data in series.items():
                colour = {"m": M_COLOUR, "g": GRADIENT, "v": V_COLOUR}[key]
                for col in range(2):
                    curves[key, col] = plots[row][col][0].plot_line_graph(
                        self.t, data[:, col], add_vertex_dots=False, line_color=colour, stroke_width=3
                    )
        m_formula.to_edge(LEFT, buff=0.5).align_to(plots[0], UP)
        v_formula.to_edge(LEFT, buff=0.5).align_to(plots[1], UP)
        key = legend([("gradient g", GRADIENT, "line"), ("m", M_COLOUR, "line"), ("v", V_COLOUR, "line")])
        key.next_to(v_formula, DOWN, buff=0.35).align_to(v_formula, LEFT)
        source = VGroup(
            text(
                "Curves: PyTorch's optim.Adam state, read after every step:", font_size=NOTE_SIZE, color=MUTED
            ),
            text('m = state["exp_avg"],   v = state["exp_avg_sq"]', font_size=NOTE_SIZE, color=MUTED),
        ).arrange(DOWN, buff=0.1)
        source.to_edge(DOWN, buff=0.5).set_x(plots.get_x())

        narrate(
            self,
            "Adam keeps two moving averages of the gradient g, read here from PyTorch's own state: "
            f"m, with β₁ = {b1:g}, and v, of g², with β₂ = {b2:g}.",
        )
        self.play(Write(heading), FadeIn(recap), run_time=0.9)
        self.play(Write(m_formula), FadeIn(plots[0]), FadeIn(heads), FadeIn(key), run_time=1.2)
        self.play(*(Create(curves["g", c]) for c in range(2)), run_time=1.2)
        self.play(*(Create(curves["m", c]) for c in range(2)), run_time=1.8, rate_func=linear)
        c1, c2 = self.curvature
        narrate(
            self,
            f"Top row: g in red and m, for w₁ (shallow, curvature {c1:g}) and w₂ (steep, curvature "
            f"{c2:g}); m follows g, smoothed. Bottom row: v, large where g is.",
        )
        self.play(Write(v_formula), FadeIn(plots[1]), run_time=1.0)
        self.play(*(Create(curves["v", c]) for c in range(2)), run_time=1.6, rate_func=linear)
        self.play(FadeIn(source, shift=UP * 0.1), run_time=0.6)
        self.wait(2.2)
        fade_out_all(self)

    # -- 3. Bias correction -----------------------------------------------------------------------

    def bias_correction(self):
        """m starts near 0 (m_0 = 0); dividing by 1 − β1^t undoes that; the step uses m̂ and v̂."""
        heading = section_title("Bias correction: the EMAs start at 0")
        b1, b2, eps, lr = self.hp["beta1"], self.hp["beta2"], self.hp["eps"], self.hp["lr"]
        col = 1  # the steep coordinate w_2: the gap is largest there
        k = BIAS_STEPS
        t, m, v = self.t[:k], self.m[:k, col], self.v[:k, col]
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)

        axes, labels = step_plot((0, k, 5), np.concatenate([m, m_hat]), "m_2", size=(5.2, 3.6))
        plot = VGroup(axes, labels).to_edge(RIGHT, buff=0.6).shift(DOWN * 0.5)
        m_curve = axes.plot_line_graph(t, m, add_vertex_dots=False, line_color=M_COLOUR, stroke_width=4)
        hat_curve = axes.plot_line_graph(
            t, m_hat, add_vertex_dots=False, line_color=M_HAT_COLOUR, stroke_width=4
        )
        key = legend(
            [
                ("m (stored exp_avg)", M_COLOUR, "line"),
                ("m̂ = m / (1 − β₁ᵗ)", M_HAT_COLOUR, "line"),
            ]
        )
        key.next_to(axes, UP, buff=0.25).align_to(axes, RIGHT)

        formulas = VGroup(
            math(r"\hat m_t = \frac{m_t}{1-\beta_1^{\,t}}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^{\,t}}"),
            math(r"\Delta w = -\eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon}"),
            math(
                rf"\eta = {lr:g},\ \beta_1 = {b1:g},\ \beta_2 = {b2:g},\ \varepsilon = {tex_number(eps)}",
                font_size=BODY_SIZE + 2,
                color=MUTED,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        formulas.next_to(heading, DOWN, buff=0.5).to_edge(LEFT, buff=0.6)
        t1 = int(t[0])
        first = VGroup(
            text(f"At step t = {t1}, coordinate w₂:", font_size=NOTE_SIZE + 2),
            math(
                rf"m = {fmt(m[0])},\ \ \hat m = \frac{{{fmt(m[0])}}}{{{fmt(1 - b1**t1)}}}"
                rf" = {fmt(m_hat[0], 1)} = g",
                font_size=BODY_SIZE + 2,
                color=WHITE,
            ),
            math(
                rf"v = {fmt(v[0], 3)},\ \ \hat v = \frac{{{fmt(v[0], 3)}}}{{{fmt(1 - b2**t1, 3)}}}"
                rf" = {fmt(v_hat[0], 0)} = g^2",
                font_size=BODY_SIZE + 2,
                color=V_COLOUR,
            ),
            math(
                rf"\text{{first step: }} \eta\, \frac{{{fmt(m_hat[0], 0)}}}{{\sqrt{{{fmt(v_hat[0], 0)}}}}}"
                rf" = {fmt(abs(self.moments.trajectory.updates[0, col]), 2)}",
                font_size=BODY_SIZE + 2,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        first.next_to(formulas, DOWN, buff=0.35).align_to(formulas, LEFT)
        where = Dot(axes.c2p(t[0], m[0]), color=M_COLOUR, radius=0.07)
        where_hat = Dot(axes.c2p(t[0], m_hat[0]), color=M_HAT_COLOUR, radius=0.07)
        gap = DashedLine(where.get_center(), where_hat.get_center(), color=MUTED, stroke_width=2)
        bias_note = text("biased toward 0", font_size=NOTE_SIZE, color=M_COLOUR)
        bias_note.next_to(axes.c2p(t[2], m[2]), DR, buff=0.1)
        g_note = text("starts at g", font_size=NOTE_SIZE, color=M_HAT_COLOUR)
        g_note.next_to(where_hat, RIGHT, buff=0.2).shift(UP * 0.15)

        open_section(
            self,
            heading,
            "Bias correction: both averages start at 0, so the stored m of w₂ starts too small, "
            "biased toward 0. Dividing by 1 − β₁ᵗ gives m̂, which starts at the gradient itself.",
            run_time=0.8,
        )
        self.play(Write(formulas[0]), FadeIn(plot), run_time=1.2)
        self.play(FadeIn(key[0]), Create(m_curve), run_time=1.2, rate_func=linear)
        self.play(FadeIn(bias_note), run_time=0.5)
        self.play(FadeIn(key[1]), Create(hat_curve), run_time=1.2, rate_func=linear)
        self.play(FadeIn(where), FadeIn(where_hat), Create(gap), FadeIn(g_note), run_time=0.6)
        narrate(
            self,
            f"At step {t1}: m = {fmt(m[0])} but m̂ = {fmt(m_hat[0], 1)} = g; v = {fmt(v[0], 3)} but "
            f"v̂ = {fmt(v_hat[0], 0)} = g². So the first step, η m̂/√v̂, is "
            f"{fmt(abs(self.moments.trajectory.updates[0, col]), 2)}: η itself, whatever the size of g.",
        )
        self.play(FadeIn(first[:3], shift=UP * 0.1), run_time=1.0)
        self.play(Write(formulas[1]), FadeIn(formulas[2]), run_time=1.2)
        self.play(FadeIn(first[3], shift=UP * 0.1), run_time=0.8)
        self.wait(2.2)
        fade_out_all(self)

    # -- 4. Per-coordinate step sizes -------------------------------------------------------------

    def per_coordinate_steps(self):
        """Contours first, then the recorded paths; adaptive methods step alike in w_1 and w_2."""
        heading = section_title("One step size per coordinate")
        axes, axis_labels = plane_axes(VIEW, UNIT)
        plane = VGroup(axes, axis_labels).to_edge(LEFT, buff=0.6).next_to(heading, DOWN, buff=0.3)
        plane.to_edge(LEFT, buff=0.6)
        contours = contour_mobjects(axes, contour_lines(self.surface, LEVELS, n=240, bounds=VIEW))
        formula = math(self.surface.latex, font_size=FORMULA_SIZE - 6)
        formula.next_to(axes, DOWN, buff=0.25).align_to(axes, LEFT)

        start = self.runs["sgd"].trajectory.params[0]
        w_star = np.array(self.surface.global_minimum.point)
        min_dot = Dot(to_screen(axes, [w_star])[0], color=MINIMUM, radius=0.08)
        min_label = math("w^*", font_size=BODY_SIZE, color=MINIMUM).next_to(min_dot, UR, buff=0.05)
        min_label.add_background_rectangle(opacity=0.8, buff=0.03)
        start_dot = Dot(to_screen(axes, [start])[0], color=POSITION, radius=0.08)
        start_label = math("w_0", font_size=BODY_SIZE, color=POSITION).next_to(start_dot, UL, buff=0.05)

        rows = [(self.look[k].label, self.look[k].colour, "line") for k in self.on_plane]
        key = legend(
            rows
            + [
                ("−∇L (scaled)", GRADIENT, "arrow"),
                ("current point", POSITION, "dot"),
                ("level sets of L", contours[-1][0].get_color(), "line"),
            ]
        )
        key.next_to(plane, RIGHT, buff=0.5).align_to(axes, UP).shift(DOWN * 0.45)
        # First-step lengths per coordinate, in columns beside each path's legend row.
        header = VGroup(
            math(r"|\Delta w_1|", font_size=NOTE_SIZE + 2),
            math(r"|\Delta w_2|", font_size=NOTE_SIZE + 2),
            math(r"\text{ratio}", font_size=NOTE_SIZE + 2),
        )
        columns_x = max(row.get_right()[0] for row in key[: len(self.on_plane)]) + np.array([0.6, 1.45, 2.3])
        first = [np.abs(self.runs[name].trajectory.updates[0]) for name in self.on_plane]
        numbers = [(fmt(d[0]), fmt(d[1]), fmt(d[1] / d[0], 1)) for d in first]
        prepare(lambda: [math(n) for row in numbers for n in row])
        table = VGroup()
        for i, name in enumerate(self.on_plane):
            colour = self.look[name].colour
            cells = VGroup(*(math(n, font_size=NOTE_SIZE + 2, color=colour) for n in numbers[i]))
            for x, cell in zip(columns_x, cells, strict=True):
                cell.move_to([x, key[i].get_y(), 0])
            table.add(cells)
        for x, cell in zip(columns_x, header, strict=True):
            cell.move_to([x, key[0].get_y() + 0.45, 0])
        table_title = text("first step", font_size=NOTE_SIZE, color=MUTED).next_to(header, UP, buff=0.12)

        g0 = self.runs["sgd"].trajectory.grads[0]
        point = VGroup(
            math(
                rf"\text{{curvature: }} w_1\!: {self.curvature[0]:g},\ \ w_2\!: {self.curvature[1]:g}"
                rf"\qquad |g_2 / g_1| \text{{ at }} w_0 = {fmt(abs(g0[1] / g0[0]), 1)}",
                font_size=NOTE_SIZE + 4,
            ),
            math(
                r"\text{RMSprop, Adam: } \Delta w_i \propto \frac{g_i}{\sqrt{v_i}}"
                r"\ \text{ (one scale per coordinate)}",
                font_size=NOTE_SIZE + 6,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        point.next_to(formula, DOWN, buff=0.2).align_to(axes, LEFT)
        lam = self.runs["adamw"].recipe["hyperparameters"]["weight_decay"]
        adamw = VGroup(
            text("AdamW adds decoupled", font_size=NOTE_SIZE, color=self.look["adamw"].colour),
            text(f"weight decay, λ = {lam:g}:", font_size=NOTE_SIZE, color=self.look["adamw"].colour),
            math(
                r"w \leftarrow w - \eta\Big(\frac{\hat m}{\sqrt{\hat v} + \varepsilon} + \lambda w\Big)",
                font_size=BODY_SIZE + 2,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        adamw[2].shift(DOWN * 0.05)
        adamw.next_to(key, DOWN, buff=0.3).align_to(key, LEFT)

        open_section(
            self,
            heading,
            f"One step size per coordinate, on the same bowl, {self.curvature[1] / self.curvature[0]:g} "
            "times as curved along w₂ as along w₁: green marks the minimum w*, yellow the shared "
            "start w₀.",
            run_time=0.8,
        )
        self.play(Create(axes), FadeIn(axis_labels), Write(formula), run_time=1.0)
        self.play(Create(contours, lag_ratio=0.15), FadeIn(key[-1]), run_time=1.4)
        self.play(FadeIn(min_dot, scale=2), Write(min_label), run_time=0.5)
        self.play(FadeIn(start_dot, scale=2), Write(start_label), FadeIn(key[:-1]), run_time=0.8)
        names = [self.look[k].label for k in self.on_plane]
        narrate(
            self,
            f"{', '.join(names[:-1])} and {names[-1]} step together from w₀; red arrows show −∇L "
            f"for the first {SLOW_STEPS} steps. There the gradient is {fmt(abs(g0[1] / g0[0]), 1)} "
            "times steeper along w₂; the adaptive methods divide each coordinate by its own scale, "
            "so they step alike in both.",
        )
        self.play(FadeOut(start_dot), run_time=0.2)
        self.draw_paths(axes)
        ratios = ", ".join(
            f"{self.look[k].label} {fmt(d[1] / d[0], 1)}"
            for k in self.on_plane
            for d in [np.abs(self.runs[k].trajectory.updates[0])]
        )
        narrate(self, f"Their first steps, |Δw₂|/|Δw₁|: {ratios}.")
        self.play(FadeIn(table_title), FadeIn(header), FadeIn(table, lag_ratio=0.2), run_time=1.2)
        self.play(FadeIn(point, shift=UP * 0.1), run_time=1.0)
        self.wait(1.5)
        narrate(
            self,
            f"AdamW adds decoupled weight decay, λ = {lam:g}: each step also pulls the weights "
            "toward zero by ηλw.",
        )
        self.play(FadeIn(adamw, shift=UP * 0.1), run_time=0.9)
        self.wait(2.0)
        fade_out_all(self)

    def draw_paths(self, axes: Axes):
        """All runs step by step together: the first steps one at a time with −∇L, then faster."""
        trajs = [self.runs[name].trajectory for name in self.on_plane]
        colours = [self.look[name].colour for name in self.on_plane]
        scale = GRAD_LENGTH / np.linalg.norm(trajs[0].grads[0])
        dots = [Dot(to_screen(axes, tr.params[:1])[0], color=POSITION, radius=0.06) for tr in trajs]
        arrows = [step_arrow(axes, tr.params[0], -scale * tr.grads[0], width=4) for tr in trajs]
        self.play(*(FadeIn(d) for d in dots), *(GrowArrow(a) for a in arrows), run_time=0.6)
        n = min(tr.steps for tr in trajs)
        for k in range(SLOW_STEPS):
            moves = []
            for tr, colour, dot in zip(trajs, colours, dots, strict=True):
                a, b = to_screen(axes, tr.params[k : k + 2])
                moves += [Create(Line(a, b, color=colour, stroke_width=3)), dot.animate.move_to(b)]
            self.play(*moves, run_time=0.45)
            news = [step_arrow(axes, tr.params[k + 1], -scale * tr.grads[k + 1], width=4) for tr in trajs]
            self.play(*(Transform(a, b) for a, b in zip(arrows, news, strict=True)), run_time=0.3)
            for dot in dots:
                self.bring_to_front(dot)
        self.play(*(FadeOut(a) for a in arrows), run_time=0.3)
        for k in range(SLOW_STEPS, n, CHUNK):
            anims = []
            for tr, colour, dot in zip(trajs, colours, dots, strict=True):
                piece = VMobject(stroke_color=colour, stroke_width=3)
                piece.set_points_as_corners(to_screen(axes, tr.params[k : k + CHUNK + 1]))
                anims += [Create(piece), MoveAlongPath(dot, piece.copy())]
            self.play(*anims, run_time=0.35, rate_func=linear)
            for dot in dots:
                self.bring_to_front(dot)

    # -- 5. Memory ------------------------------------------------------------------------------

    def memory(self):
        """Per optimizer, the buffers of its recorded state with the parameters' shape."""
        heading = section_title("What the state costs: extra numbers per parameter")
        params_box = self.box("Model parameters (P numbers)", WHITE, width=5.2)
        params_box.next_to(heading, DOWN, buff=0.45)

        columns = VGroup()
        counts = {}
        for name, look in self.look.items():
            label, colour = look.label, look.colour
            traj = self.runs[name].trajectory
            shape = (traj.steps, *traj.params.shape[1:])
            buffers = [key for key, arr in traj.state.items() if np.shape(arr) == shape]
            counts[name] = len(buffers)
            counter = text("+ step count", font_size=NOTE_SIZE - 2, color=MUTED)
            names = [text(label, font_size=NOTE_SIZE)] + [text(k, font_size=NOTE_SIZE - 2) for k in buffers]
            width = max(1.7, counter.width + 0.15, *(w.width + 0.3 for w in names))
            head = self.box(label, colour, width=width, fill=0.25)
            stack = VGroup(
                *(self.box(k, colour, width=width, height=0.5, size=NOTE_SIZE - 2) for k in buffers)
            )
            if not buffers:
                stack.add(text("no extra buffer", font_size=NOTE_SIZE - 2, color=MUTED))
            stack.arrange(DOWN, buff=0.12)
            if "step" not in traj.state:
                counter.set_opacity(0)
            total = math(rf"\text{{total }} {1 + len(buffers)}\,P", font_size=BODY_SIZE + 2, color=colour)
            columns.add(VGroup(head, stack, counter, total))
        for col in columns:
            col[1].next_to(col[0], DOWN, buff=0.45)
        lowest = min(col[1].get_bottom()[1] for col in columns)
        for col in columns:
            col[2].set_x(col[0].get_x()).set_y(lowest - 0.3)
            col[3].next_to(col[2], DOWN, buff=0.2)
        columns.arrange(RIGHT, buff=0.18, aligned_edge=UP).next_to(params_box, DOWN, buff=0.9)
        arrows = VGroup(
            *(
                Arrow(
                    params_box.get_bottom(),
                    col[0].get_top(),
                    buff=0.08,
                    color=MUTED,
                    stroke_width=3,
                    tip_length=0.2,
                    max_tip_length_to_length_ratio=0.15,
                )
                for col in columns
            )
        )
        links = VGroup(
            *(
                Arrow(
                    col[0].get_bottom(),
                    col[1].get_top(),
                    buff=0.06,
                    color=MUTED,
                    stroke_width=3,
                    tip_length=0.15,
                )
                for name, col in zip(self.look, columns, strict=True)
                if counts[name]
            )
        )
        extra = counts["adam"]
        line = text(
            f"Adam: {extra} extra numbers per parameter → {1 + extra}× the parameter memory",
            font_size=BODY_SIZE,
            color=self.look["adam"].colour,
        )
        note = text(
            "boxes: recorded state arrays shaped like the parameters; step is one number, not per parameter",
            font_size=NOTE_SIZE - 2,
            color=MUTED,
        )
        bottom = VGroup(line, note).arrange(DOWN, buff=0.15).to_edge(DOWN, buff=0.5)

        kept = ", ".join(f"{look.label} {counts[name]}" for name, look in self.look.items())
        open_section(
            self,
            heading,
            "What the state costs: under each optimizer, one box per recorded state array as large "
            f"as the parameters: {kept}.",
            run_time=0.8,
        )
        self.play(FadeIn(params_box, shift=DOWN * 0.1), run_time=0.6)
        self.play(LaggedStart(*(GrowArrow(a) for a in arrows), lag_ratio=0.1), run_time=0.9)
        self.play(LaggedStart(*(FadeIn(col[0]) for col in columns), lag_ratio=0.1), run_time=0.9)
        self.play(
            LaggedStart(*(GrowArrow(a) for a in links), lag_ratio=0.1),
            LaggedStart(*(FadeIn(col[1], shift=DOWN * 0.15) for col in columns), lag_ratio=0.15),
            run_time=1.6,
        )
        self.play(FadeIn(VGroup(*(col[2] for col in columns))), run_time=0.6)
        self.play(LaggedStart(*(Write(col[3]) for col in columns), lag_ratio=0.1), run_time=1.0)
        narrate(
            self,
            f"Adam keeps {extra} extra numbers per parameter: {1 + extra} times the memory of the "
            "parameters alone. The step count is one number, not one per parameter.",
        )
        self.play(FadeIn(bottom, shift=UP * 0.1), run_time=0.9)
        self.wait(2.5)
        fade_out_all(self)

    def box(
        self,
        words: str,
        colour,
        width: float,
        height: float = 0.6,
        fill: float = 0.12,
        size: float = NOTE_SIZE,
    ) -> VGroup:
        label = text(words, font_size=size, color=colour)
        frame = RoundedRectangle(
            corner_radius=0.1, width=width, height=height, color=colour, fill_opacity=fill, stroke_width=2.5
        )
        return VGroup(frame, label.move_to(frame))
