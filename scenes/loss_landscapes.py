"""Loss landscapes of a real network: slices through its weight space.

Reads the recorded landscapes the build hands it: first a tanh MLP 2 → 8 → 8 → 1 trained with Adam
on the moons data, then four of one ReLU MLP and of the same function with its first layer ×10 and
its second ÷10, each sliced with plain or filter-normalized random directions (told apart by their
recipes). Every surface and heatmap is
a bilinear lookup in the stored grids ``plane.loss``; every number on screen is read from the arrays.
Preview: ``manim -ql scenes/loss_landscapes.py LossLandscapes``.
"""

from manim import *
from style import *

ZOOM = 1  # index into plane.radii of the 3-D surfaces (radius 0.3)
RESOLUTION = 24  # checkerboard cells per side: enough to read the shape, cheap enough to render
ROTATION_RATE = 0.1  # rad/s of ambient camera rotation (the course's limit is 0.15)
EPOCHS = (0, 10, 40, 200)  # recorded epochs shown in "how the landscape changes"
HEAT_LEVELS = 24  # shades of a heatmap
SQUARE = np.array([(-1, 1), (1, 1), (1, -1), (-1, -1)])  # corners of a heatmap cell, clockwise
# Heatmap colours, low loss dark to high loss light (clear of red / yellow / green).
HEAT_STOPS = ("#0b1633", "#1f4e8c", "#58a6d6", "#e8f1fb")


class PlaneSlice:
    """The stored grid ``loss[j, i]`` at ``(coords[i], coords[j])`` as a surface: bilinear lookup."""

    dim = 2
    name = "plane slice"

    def __init__(self, coords: np.ndarray, loss: np.ndarray):
        self.coords = np.asarray(coords, dtype=float)
        self.loss = np.asarray(loss, dtype=float)
        self.domain = ((self.coords[0], self.coords[-1]), (self.coords[0], self.coords[-1]))

    def value(self, p: np.ndarray) -> np.ndarray:
        p = np.asarray(p, dtype=float)
        g = len(self.coords) - 1
        span = self.coords[-1] - self.coords[0]
        fi = np.clip((p[..., 0] - self.coords[0]) / span * g, 0, g)
        fj = np.clip((p[..., 1] - self.coords[0]) / span * g, 0, g)
        i0, j0 = np.minimum(fi.astype(int), g - 1), np.minimum(fj.astype(int), g - 1)
        ti, tj = fi - i0, fj - j0
        z = self.loss
        return (
            z[j0, i0] * (1 - ti) * (1 - tj)
            + z[j0, i0 + 1] * ti * (1 - tj)
            + z[j0 + 1, i0] * (1 - ti) * tj
            + z[j0 + 1, i0 + 1] * ti * tj
        )


def heat_colours(t: np.ndarray) -> list[ManimColor]:
    """Colours for values ``t`` in [0, 1] along HEAT_STOPS."""
    stops = np.array([ManimColor(c).to_rgb() for c in HEAT_STOPS])
    xs = np.linspace(0, 1, len(stops))
    t = np.clip(np.asarray(t, dtype=float), 0, 1)
    return [ManimColor([float(np.interp(v, xs, stops[:, k])) for k in range(3)]) for v in t]


def subscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def log_scale(z: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """``z`` on a log scale from ``lo`` (0) to ``hi`` (1)."""
    return (np.log10(np.maximum(z, lo)) - np.log10(lo)) / (np.log10(hi) - np.log10(lo))


class LossLandscapes(ThreeDScene):
    """A 1-D slice, a 2-D plane in 3-D, the plane over training, filter normalization, limits."""

    def construct(self):
        self.run, *relu = inputs(self).load_all()
        a = self.run.arrays
        self.epochs = [int(e) for e in a["record_epochs"]]
        # (directions, weights) -> the ReLU network's landscape
        self.relu = {
            (r.recipe["normalization"], "original" if r.recipe["rescale"] == 1 else "rescaled"): r
            for r in relu
        }

        self.one_dimension()
        self.the_plane()
        self.over_training()
        self.filter_normalization()
        self.limits()

    # Helpers ---------------------------------------------------------------------------------

    def flat_camera(self):
        """The camera straight above the plane, as in a 2-D scene."""
        self.set_camera_orientation(phi=0, theta=-90 * DEGREES, gamma=0, zoom=1, frame_center=ORIGIN)

    def plane(self, epoch: int, zoom: int = ZOOM) -> PlaneSlice:
        a = self.run.arrays
        k = self.epochs.index(epoch)
        return PlaneSlice(a["plane.coords"][zoom], a["plane.loss"][k, zoom])

    def stage(self, z_top: float):
        """3-D axes over the plane (a, b) of radius ``plane.radii[ZOOM]`` with the loss up."""
        r = float(self.run.arrays["plane.radii"][ZOOM])
        axes = ThreeDAxes(
            x_range=[-r, r, r / 3],
            y_range=[-r, r, r / 3],
            z_range=[0, z_top, z_top / 4],
            x_length=5.4,
            y_length=5.4,
            z_length=3.0,
            axis_config={"color": MUTED},
        )
        labels = VGroup(
            math("a", font_size=BODY_SIZE + 8).move_to(axes.c2p(r * 1.22, 0, 0)),
            math("b", font_size=BODY_SIZE + 8).move_to(axes.c2p(0, r * 1.22, 0)),
            text("loss", font_size=BODY_SIZE).move_to(axes.c2p(0, 0, z_top * 1.12)),
        )
        return axes, labels

    def heatmap(self, sl: PlaneSlice, lo: float, hi: float, side: float) -> VGroup:
        """``sl`` seen from above, one square per stored grid point: log loss from ``lo`` (dark) to
        ``hi`` (light), in HEAT_LEVELS shades, ``side`` wide. The squares of one shade form one
        path, so a panel is a few dozen mobjects rather than thousands."""
        g = len(sl.coords)
        cell = side / g
        level = np.minimum((log_scale(sl.loss, lo, hi) * HEAT_LEVELS).astype(int), HEAT_LEVELS - 1)
        shades = heat_colours(np.arange(HEAT_LEVELS) / (HEAT_LEVELS - 1))
        image = VGroup()
        for n in np.unique(level):
            squares = VMobject(fill_color=shades[n], fill_opacity=1, stroke_color=shades[n], stroke_width=0.6)
            # loss[j, i]: b = coords[j] up, a = coords[i] right
            for j, i in zip(*np.nonzero(level == n), strict=True):
                x, y = (i - (g - 1) / 2) * cell, (j - (g - 1) / 2) * cell
                corners = [np.array([x + dx, y + dy, 0]) for dx, dy in SQUARE * cell / 2]
                squares.start_new_path(corners[0])
                squares.add_points_as_corners([*corners[1:], corners[0]])
            image.add(squares)
        return image

    def colour_bar(self, lo: float, hi: float, height: float) -> VGroup:
        shades = heat_colours(np.arange(HEAT_LEVELS) / (HEAT_LEVELS - 1))
        bar = VGroup(
            *(
                Rectangle(
                    width=0.25, height=height / HEAT_LEVELS, fill_color=c, fill_opacity=1, stroke_width=0
                )
                for c in shades
            )
        ).arrange(UP, buff=0)
        top = text(fmt(hi, 1 if hi >= 1 else 2), font_size=NOTE_SIZE - 2).next_to(bar, RIGHT, buff=0.1)
        top.align_to(bar, UP)
        low = text(fmt(lo, 4), font_size=NOTE_SIZE - 2).next_to(bar, RIGHT, buff=0.1).align_to(bar, DOWN)
        name = text("loss (log scale)", font_size=NOTE_SIZE - 2).next_to(bar, UP, buff=0.15)
        return VGroup(bar, top, low, name)

    # Sections --------------------------------------------------------------------------------

    def one_dimension(self):
        """Context, then the loss on the straight line from the initial to the trained weights."""
        a = self.run.arrays
        recipe = self.run.recipe
        n_weights = int(a["direction1"].size)
        shape = " → ".join(str(n) for n in [2, *recipe["hidden"], 1])
        heading = section_title("Slicing a loss landscape")
        context = VGroup(
            text(
                f"This {shape} network already has {n_weights} weights; real ones have millions.",
                font_size=BODY_SIZE - 2,
            ),
            text(
                "The loss lives over all of them at once: we can only look at slices.",
                font_size=BODY_SIZE - 2,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        context.next_to(heading, DOWN, buff=0.35)
        open_section(
            self,
            heading,
            f"Slicing a loss landscape: this {shape} network has {n_weights} weights, and its loss "
            "lives over all of them at once. We can only look at slices.",
            run_time=0.8,
        )
        self.play(FadeIn(context, shift=UP * 0.2), run_time=1.0)
        self.wait(2.0)

        alpha, loss = a["interpolation.alpha"], a["interpolation.loss"].astype(float)
        top = float(np.ceil(loss.max() * 5) / 5)
        axes, labels = loss_axes(
            [float(alpha[0]), float(alpha[-1]), 0.5],
            [0, top, 0.2],
            6.6,
            3.6,
            labels=(math(r"\alpha", font_size=BODY_SIZE + 6), text("training loss", font_size=NOTE_SIZE)),
            decimals=1,
        )
        VGroup(axes, labels).to_corner(DL, buff=0.6).shift(RIGHT * 0.3)
        curve = axes.plot_line_graph(alpha, loss, add_vertex_dots=False, line_color=CURVE, stroke_width=4)
        i0, i1 = int(np.argmin(np.abs(alpha))), int(np.argmin(np.abs(alpha - 1)))
        start = Dot(axes.c2p(alpha[i0], loss[i0]), radius=0.09, color=WHITE)
        end = Dot(axes.c2p(alpha[i1], loss[i1]), radius=0.1, color=MINIMUM)
        start_tag = math(r"\theta_0", font_size=BODY_SIZE + 4).next_to(start, RIGHT, buff=0.15)
        end_tag = math(r"\theta_1", font_size=BODY_SIZE + 4, color=MINIMUM).next_to(end, UP, buff=0.2)

        formula = math(r"L\big((1-\alpha)\,\theta_0 + \alpha\,\theta_1\big)", font_size=FORMULA_SIZE - 4)
        where = VGroup(
            text("θ₀: the initial weights (α = 0)", font_size=NOTE_SIZE),
            text("θ₁: the trained weights (α = 1)", font_size=NOTE_SIZE),
            text("one straight line through weight space", font_size=NOTE_SIZE, color=MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        key = legend(
            [
                ("loss along the line", CURVE, "line"),
                (f"initial: L = {fmt(loss[i0], 3)}", WHITE, "dot"),
                (f"trained (minimum): L = {fmt(loss[i1], 4)}", MINIMUM, "dot"),
            ]
        )
        panel = VGroup(formula, where, key).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        panel.next_to(axes, RIGHT, buff=0.7).align_to(axes, UP)

        narrate(
            self,
            "The simplest slice: the training loss along the straight line from the initial weights "
            f"θ₀ (α = 0) to the trained weights θ₁ (α = 1). It falls from {fmt(loss[i0], 3)} to "
            f"{fmt(loss[i1], 4)}.",
        )
        self.play(Create(axes), FadeIn(labels), Write(formula), run_time=1.2)
        self.play(FadeIn(where, shift=UP * 0.2), run_time=0.7)
        self.play(Create(curve), FadeIn(key[0]), run_time=1.8)
        self.play(FadeIn(start, scale=2), FadeIn(start_tag), FadeIn(key[1]), run_time=0.6)
        self.play(FadeIn(end, scale=2), FadeIn(end_tag), FadeIn(key[2]), run_time=0.6)
        self.wait(3.0)
        fade_out_all(self)

    def the_plane(self):
        """Two random directions around the trained weights: a surface over the plane (a, b)."""
        a = self.run.arrays
        sl = self.plane(self.epochs[-1])
        top = float(np.ceil(a["plane.loss"][:, ZOOM].max() * 5) / 5)
        axes, labels = self.stage(top)
        mesh = checkerboard_surface(axes, sl, RESOLUTION)
        centre = float(sl.loss[(len(sl.coords) - 1) // 2, (len(sl.coords) - 1) // 2])
        dot = Dot(axes.c2p(0, 0, centre), radius=0.09, color=POSITION)
        freeze_lighting(self, axes, mesh)
        self.set_camera_orientation(phi=62 * DEGREES, theta=-60 * DEGREES, zoom=0.9, frame_center=OUT * 2.0)

        heading = section_title("A 2-D slice: the plane around the trained weights")
        formula = math(r"L(\theta^* + a\,\delta + b\,\eta)", font_size=FORMULA_SIZE)
        r = float(a["plane.radii"][ZOOM])
        where = VGroup(
            text("θ*: the trained weights", font_size=NOTE_SIZE),
            text("δ, η: random directions,", font_size=NOTE_SIZE),
            text("scaled filter by filter", font_size=NOTE_SIZE, color=MUTED),
            text(f"−{fmt(r, 1)} ≤ a, b ≤ {fmt(r, 1)}", font_size=NOTE_SIZE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        formula.to_corner(UL, buff=0.5).shift(DOWN * 0.9)
        key = legend([(f"θ*: L = {fmt(centre, 4)}", POSITION, "dot")])
        key.to_corner(DL, buff=0.6)
        where.next_to(key, UP, buff=0.4, aligned_edge=LEFT)
        panel = VGroup(formula, where)
        fix(self, heading, panel, key)
        face(self, *labels, dot)

        open_section(
            self,
            heading,
            "A 2-D slice: the loss over the plane through the trained weights θ*, along two random "
            "directions δ and η, scaled filter by filter.",
            run_time=0.8,
        )
        self.play(Create(axes), FadeIn(labels), Write(formula), run_time=1.2)
        self.begin_ambient_camera_rotation(rate=ROTATION_RATE)
        self.play(Create(mesh), FadeIn(where), run_time=2.0)
        narrate(
            self,
            f"The plane spans a and b from −{fmt(r, 1)} to {fmt(r, 1)}. θ*, in yellow, sits near the "
            f"bottom of the surface, at L = {fmt(centre, 4)}.",
        )
        self.play(FadeIn(dot, scale=2), FadeIn(key), run_time=0.7)
        self.wait(6.0)
        self.stop_ambient_camera_rotation()
        fade_out_all(self)

    def readout(self, epoch: int, centre: float) -> VGroup:
        rows = VGroup(
            text(f"epoch {epoch}", font_size=BODY_SIZE),
            math(rf"L(\theta_{{{epoch}}}) = {fmt(centre, 3)}", font_size=BODY_SIZE + 6, color=POSITION),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        rows.to_corner(DL, buff=0.6).shift(UP * 0.75)
        fix(self, rows)
        return rows

    def over_training(self):
        """The plane around the weights of a few recorded epochs, one surface turning into the next."""
        a = self.run.arrays
        top = float(np.ceil(a["plane.loss"][:, ZOOM].max() * 5) / 5)
        axes, labels = self.stage(top)
        slices = [self.plane(e) for e in EPOCHS]
        mid = (len(slices[0].coords) - 1) // 2
        centres = [float(s.loss[mid, mid]) for s in slices]
        meshes = [checkerboard_surface(axes, s, RESOLUTION) for s in slices]
        dot = Dot(axes.c2p(0, 0, centres[0]), radius=0.09, color=POSITION)
        freeze_lighting(self, axes, *meshes)  # each stays put once it has replaced the one before
        self.set_camera_orientation(phi=62 * DEGREES, theta=-60 * DEGREES, zoom=0.9, frame_center=OUT * 2.0)

        heading = section_title("The landscape changes as the network trains")
        note = text_lines(
            "Each plane is centred on",
            "that epoch's weights θₑ,",
            "with the same δ and η.",
        )
        note.to_corner(UL, buff=0.5).shift(DOWN * 0.9)
        key = legend([("current weights θₑ", POSITION, "dot")])
        key.to_corner(DL, buff=0.6)
        fix(self, heading, note, key)
        face(self, *labels)
        face(self, dot, moving=True)  # it follows the weights over training
        readout = self.readout(EPOCHS[0], centres[0])

        open_section(
            self,
            heading,
            "The landscape changes as the network trains: each plane is centred on that epoch's "
            f"weights, with the same δ and η. At epoch {EPOCHS[0]}, L = {fmt(centres[0], 3)}.",
            run_time=0.8,
        )
        self.play(Create(axes), FadeIn(labels), FadeIn(note), run_time=1.0)
        self.begin_ambient_camera_rotation(rate=ROTATION_RATE)
        self.play(Create(meshes[0]), FadeIn(dot), FadeIn(readout), FadeIn(key), run_time=1.6)
        self.wait(1.5)
        mesh = meshes[0]
        later = ", ".join(f"{fmt(c, 3)} at epoch {e}" for e, c in zip(EPOCHS[1:], centres[1:], strict=True))
        narrate(self, f"The surface sinks as training goes on; the loss at its centre is {later}.")
        for k in range(1, len(EPOCHS)):
            new_readout = self.readout(EPOCHS[k], centres[k])
            self.play(
                ReplacementTransform(mesh, meshes[k]),
                dot.animate.move_to(axes.c2p(0, 0, centres[k])),
                FadeOut(readout),
                FadeIn(new_readout),
                run_time=1.6,
            )
            mesh, readout = meshes[k], new_readout
            self.wait(1.6)
        done = text_lines(
            "The trained weights sit in a",
            "low, wide basin.",
        )
        done.to_corner(DR, buff=0.6)
        fix(self, done)
        narrate(self, "The trained weights sit in a low, wide basin.")
        self.play(FadeIn(done), run_time=0.6)
        self.wait(2.0)
        self.stop_ambient_camera_rotation()
        fade_out_all(self)

    def filter_normalization(self):
        """One function, two weight scalings; plain directions see two landscapes, filter-normalized
        directions one."""
        self.flat_camera()
        heading = section_title("Why filter normalization")
        slices = {}
        for key, run in self.relu.items():
            k = list(run.arrays["record_epochs"]).index(run.arrays["record_epochs"][-1])
            slices[key] = PlaneSlice(run.arrays["plane.coords"][0], run.arrays["plane.loss"][k, 0])
        values = np.concatenate([s.loss.ravel() for s in slices.values()])
        lo, hi = float(values.min()), float(values.max())
        side = 2.35
        panels = VGroup()
        for row in ("none", "filter"):
            for col in ("original", "rescaled"):
                sl = slices[(row, col)]
                img = self.heatmap(sl, lo, hi, side)
                frame = SurroundingRectangle(img, buff=0, color=MUTED, stroke_width=1.5)
                centre = Dot(img.get_center(), radius=0.05, color=POSITION)
                r = sl.coords[-1]
                span = text(f"a, b in ±{fmt(r, 0)}", font_size=NOTE_SIZE - 4, color=MUTED)
                span.next_to(img, DOWN, buff=0.08)
                panels.add(VGroup(img, frame, centre, span))
        panels.arrange_in_grid(rows=2, cols=2, buff=(0.5, 0.3))
        panels.move_to(LEFT * 1.2 + DOWN * 0.7)
        cols = VGroup(
            text("original", font_size=NOTE_SIZE + 2).next_to(panels[0], UP, buff=0.15),
            text("layer 1 ×10, layer 2 ÷10", font_size=NOTE_SIZE + 2).next_to(panels[1], UP, buff=0.15),
        )
        rows = VGroup(
            text("plain\ndirections", font_size=NOTE_SIZE + 2).next_to(panels[0], LEFT, buff=0.3),
            text("filter-\nnormalized", font_size=NOTE_SIZE + 2).next_to(panels[2], LEFT, buff=0.3),
        )
        bar = self.colour_bar(lo, hi, 2.6)
        bar.next_to(panels, RIGHT, buff=0.4).shift(UP * 0.9)
        note = text_lines(
            "Same function, so the",
            "same landscape; plain",
            "directions do not see it.",
            "Scaling each filter of δ, η",
            "to its weights' norm undoes",
            "the rescaling.",
            buff=0.1,
        )
        note.next_to(bar, DOWN, buff=0.4, aligned_edge=LEFT)

        scale = self.relu[("none", "rescaled")].recipe["rescale"]
        open_section(
            self,
            heading,
            "Why filter normalization: heatmaps of one ReLU network's loss, dark low, light high. "
            f"Left, its weights; right, layer 1 ×{scale:g} and layer 2 ÷{scale:g}: the same function.",
            run_time=0.8,
        )
        self.play(FadeIn(panels[:2]), FadeIn(cols), FadeIn(rows[0]), FadeIn(bar), run_time=1.0)
        self.wait(2.5)
        narrate(
            self,
            "Plain random directions (top row) see two different landscapes. Filter-normalized "
            "directions (bottom row) scale each filter of δ and η to its weights' norm, undo the "
            "rescaling and see one.",
        )
        self.play(FadeIn(panels[2:]), FadeIn(rows[1]), run_time=1.0)
        self.play(FadeIn(note, shift=UP * 0.2), run_time=0.8)
        self.wait(4.5)
        fade_out_all(self)

    def limits(self):
        """A random plane holds almost none of the training path: it hides most directions."""
        self.flat_camera()
        a = self.run.arrays
        heading = section_title("The limits of 2-D slices")
        first, last = self.epochs[0], self.epochs[-1]
        miss = float(a["path.error"][-1, 0])

        # The offset θ₀ − θ₂₀₀ split into its part in the plane (drawn as a sheet seen at a slant)
        # and its part out of it: the lengths of a right triangle whose hypotenuse is the offset.
        length = 4.4
        inside, outside = length * np.sqrt(max(1 - miss**2, 0.0)), length * miss
        o = LEFT * 4.9 + DOWN * 2.3
        sheet = Polygon(
            o + LEFT * 1.4 + DOWN * 0.6,
            o + RIGHT * 3.0 + DOWN * 0.6,
            o + RIGHT * 4.0 + UP * 0.7,
            o + LEFT * 0.4 + UP * 0.7,
            color=CURVE,
            fill_color=CURVE,
            fill_opacity=0.25,
            stroke_width=2,
        )
        sheet_tag = text(f"plane of epoch {last}", font_size=NOTE_SIZE, color=CURVE)
        sheet_tag.next_to(sheet, DOWN, buff=0.15)
        p_in = o + RIGHT * inside
        p_far = p_in + UP * outside
        plane_leg = Line(o, p_in, color=BLUE_B, stroke_width=7)
        out_leg = DashedLine(p_in, p_far, color=MUTED, stroke_width=4)
        real = Line(o, p_far, color=PATH, stroke_width=5)
        corner = VMobject(stroke_color=MUTED, stroke_width=2).set_points_as_corners(
            [p_in + LEFT * 0.2, p_in + LEFT * 0.2 + UP * 0.2, p_in + UP * 0.2]
        )
        end_dot = Dot(o, radius=0.1, color=MINIMUM)
        start_dot = Dot(p_far, radius=0.09, color=WHITE)
        tags = VGroup(
            math(rf"\theta_{{{last}}}", font_size=BODY_SIZE + 4, color=MINIMUM).next_to(
                end_dot, LEFT, buff=0.15
            ),
            math(rf"\theta_{{{first}}}", font_size=BODY_SIZE + 4).next_to(start_dot, LEFT, buff=0.15),
        )
        key = legend(
            [
                (f"θ{subscript(first)} − θ{subscript(last)}: the way training went", PATH, "line"),
                ("its part in the plane", BLUE_B, "line"),
                ("its part out of the plane", MUTED, "line"),
            ]
        )
        key.to_corner(DR, buff=0.6)
        claim = VGroup(
            text(f"The plane of epoch {last} misses", font_size=BODY_SIZE),
            text(f"{100 * miss:.1f}% of the distance to epoch {first}.", font_size=BODY_SIZE, color=PATH),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        claim.move_to(RIGHT * 0.2 + UP * 1.6, aligned_edge=LEFT)
        n = int(a["direction1"].size)
        hide = text_lines(
            f"It shows 2 of the {n} directions.",
            f"Along the other {n - 2} the loss may fall",
            "or rise: the slice never shows it.",
            font_size=NOTE_SIZE + 2,
        )
        hide.next_to(claim, DOWN, buff=0.5, aligned_edge=LEFT)

        open_section(
            self,
            heading,
            f"The limits of 2-D slices: the yellow line is the way training went, from θ{subscript(first)} "
            f"to θ{subscript(last)}; blue, its part in the plane of epoch {last}; grey, the part out of it.",
            run_time=0.8,
        )
        self.play(FadeIn(sheet), FadeIn(sheet_tag), run_time=0.6)
        self.play(FadeIn(end_dot), FadeIn(start_dot), FadeIn(tags), run_time=0.6)
        self.play(Create(real), FadeIn(key[0]), run_time=1.0)
        self.play(Create(plane_leg), FadeIn(key[1]), run_time=0.8)
        self.play(Create(out_leg), Create(corner), FadeIn(key[2]), run_time=0.8)
        narrate(
            self,
            f"The plane of epoch {last} misses {100 * miss:.1f}% of the distance to epoch {first}. It "
            f"shows 2 of the {n} directions; along the other {n - 2} the loss may fall or rise unseen.",
        )
        self.play(FadeIn(claim, shift=UP * 0.2), run_time=0.8)
        self.wait(2.0)
        self.play(FadeIn(hide, shift=UP * 0.2), run_time=0.8)
        self.wait(4.0)
        fade_out_all(self)
