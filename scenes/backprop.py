"""One real backward pass through a tiny network, coloured by gradient magnitude; then how the
gradients fade on the way back through six sigmoid layers and do not through ReLU.

Reads the recorded networks the build hands it: a small one (2 → 6 → 6 → 1, tanh), then a sigmoid
and a ReLU one (2 → 16×6 → 1), told apart by their recipes. Every number on screen comes from their
arrays: the training loss per epoch, the weight gradients ``layer{l}.weight_grad`` and the neuron
gradients ``neurons{i}.grad`` of the backward passes recorded during training. Colours are
normalised per recorded epoch (each value divided by the largest of its kind at that epoch).
Preview: ``manim -ql scenes/backprop.py Backpropagation``.
"""

from manim import *
from style import *

# Seed 001: gradient magnitude from dark blue (small) to red (large), wider lines for larger ones.
LOW, HIGH = ManimColor("#1e3a5f"), ManimColor("#ff6b6b")
LAYER_X = (-5.7, -3.75, -1.8, 0.15)  # screen x of the neuron layers of the small network
NET_Y = 0.7  # screen y of the network's middle
NEURON_GAP = 0.62  # vertical distance between neurons of a layer
RADIUS = 0.2
PANEL_LEFT = 2.9  # left edge of the right-hand panel (colour key, readouts)
PANEL_TOP = 2.45
DEEP_COLOURS = {"sigmoid": BLUE_C, "relu": ORANGE}  # clear of red/yellow/green


def shade(n: float) -> ManimColor:
    return interpolate_color(LOW, HIGH, float(n))


class Backpropagation(Scene):
    """Loss first, then the backward pass step by step, then over training, then vanishing."""

    def construct(self):
        self.net, *deep = inputs(self).load_all()
        self.deep = {net.recipe["activation"]: net for net in deep}
        a = self.net.arrays
        self.epochs = [int(e) for e in a["record_epochs"]]
        self.loss = a["loss_train"]
        self.n_train = len(a["y_train"])
        self.activation = self.net.recipe["activation"]
        # Per recorded epoch k: neuron magnitudes (mean |dL/dz|) and connection magnitudes |dL/dW|.
        self.z_grads = [a[f"neurons{i}.grad"] for i in range(self.net.layers + 1)]
        self.w_grads = [np.abs(a[f"layer{l}.weight_grad"]) for l in range(self.net.layers)]

        self.title()
        self.the_loss()
        self.backward_pass()
        self.over_training()
        self.vanishing()

    # ---- data for the colours -------------------------------------------------------------------

    def z_max(self, k: int) -> float:
        return max(float(z[k].max()) for z in self.z_grads)

    def w_max(self, k: int) -> float:
        return max(float(w[k].max()) for w in self.w_grads)

    def neuron_style(self, k: int, i: int) -> list[ManimColor]:
        return [shade(v / self.z_max(k)) for v in self.z_grads[i][k]]

    def edge_style(self, k: int, l: int) -> list[tuple[ManimColor, float]]:
        """(colour, stroke width) of layer l's connections, in the order of ``edges[l]``."""
        norm = self.w_grads[l][k].ravel() / self.w_max(k)
        return [(shade(n), 2 + 4 * n) for n in norm]

    # ---- pieces ----------------------------------------------------------------------------------

    def diagram(self) -> tuple[VGroup, VGroup, VGroup]:
        """Neurons (one VGroup per layer), connections (one per linear layer, [out, in] row-major)
        and the labels: x₁, x₂, ŷ and the layer captions."""
        neurons = VGroup()
        for x, width in zip(LAYER_X, self.net.widths, strict=True):
            ys = NET_Y + NEURON_GAP * ((width - 1) / 2 - np.arange(width))
            neurons.add(
                VGroup(
                    *(
                        Circle(
                            RADIUS, stroke_color=MUTED, stroke_width=2, fill_color=BLACK, fill_opacity=1
                        ).move_to([x, y, 0])
                        for y in ys
                    )
                )
            )
        edges = VGroup()
        for l in range(self.net.layers):
            edges.add(
                VGroup(
                    *(
                        Line(a.get_center(), b.get_center(), stroke_color=MUTED, stroke_width=1.5).set_stroke(
                            opacity=0.5
                        )
                        for b in neurons[l + 1]
                        for a in neurons[l]
                    )
                )
            )
        labels = VGroup(
            *(
                math(f"x_{j + 1}", font_size=BODY_SIZE + 4).next_to(n, LEFT, buff=0.2)
                for j, n in enumerate(neurons[0])
            ),
            math(r"\hat y = \sigma(z)", font_size=BODY_SIZE + 4).next_to(neurons[-1], RIGHT, buff=0.2),
        )
        names = [
            ("input", "x"),
            *((f"hidden {i}", self.activation) for i in range(1, self.net.layers)),
            ("output", "logit z"),
        ]
        bottom = min(layer.get_bottom()[1] for layer in neurons)
        captions = VGroup(
            *(
                VGroup(
                    text(name, font_size=NOTE_SIZE, color=MUTED),
                    text(sub, font_size=NOTE_SIZE - 2, color=MUTED),
                )
                .arrange(DOWN, buff=0.08)
                .next_to([x, bottom, 0], DOWN, buff=0.2)
                for x, (name, sub) in zip(LAYER_X, names, strict=True)
            )
        )
        return neurons, edges, VGroup(labels, captions)

    def colour_key(self) -> VGroup:
        """The colour bar (dark blue = small, red = large) and what is normalised how."""
        head = text("gradient magnitude", font_size=NOTE_SIZE)
        bar = VGroup(*(Rectangle(width=0.12, height=0.28, stroke_width=0) for _ in range(24)))
        bar.arrange(RIGHT, buff=0)
        for i, r in enumerate(bar):
            r.set_fill(shade(i / (len(bar) - 1)), opacity=1)
        ends = VGroup(
            text("small", font_size=NOTE_SIZE - 2, color=MUTED).next_to(
                bar, DOWN, buff=0.1, aligned_edge=LEFT
            ),
            text("large", font_size=NOTE_SIZE - 2, color=HIGH).next_to(
                bar, DOWN, buff=0.1, aligned_edge=RIGHT
            ),
        )
        notes = text_lines(
            "÷ largest value, per epoch",
            "neurons: mean |∂L/∂z|",
            "lines: |∂L/∂W|, also width",
            font_size=NOTE_SIZE - 2,
            color=MUTED,
            buff=0.1,
        )
        key = VGroup(head, VGroup(bar, ends), notes).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        return key.move_to([PANEL_LEFT, PANEL_TOP, 0], aligned_edge=UL)

    def maxima(self, k: int) -> VGroup:
        lines = VGroup(
            math(rf"\max |\partial L/\partial z| = {tex_number(self.z_max(k))}", font_size=BODY_SIZE),
            math(rf"\max |\partial L/\partial W| = {tex_number(self.w_max(k))}", font_size=BODY_SIZE),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        return lines.next_to(self.key, DOWN, buff=0.3, aligned_edge=LEFT)

    def chain_rule(self) -> VGroup:
        formula = math(
            r"\delta_l = \big(W_{l+1}^{\top} \delta_{l+1}\big) \odot f'(z_l), \qquad "
            r"\partial L / \partial W_l = \textstyle\sum_n \delta_l^{(n)}\, a_{l-1}^{(n)\top}",
            font_size=FORMULA_SIZE - 2,
        )
        note = text(
            f"δ = ∂L/∂z (pre-activation),  f = {self.activation},  a = a layer's outputs,  "
            f"n = the {self.n_train} training samples",
            font_size=NOTE_SIZE - 2,
            color=MUTED,
        )
        return VGroup(formula, note).arrange(DOWN, buff=0.2).to_edge(DOWN, buff=0.5)

    def status(self, head: str, tex: str) -> VGroup:
        group = VGroup(text(head, font_size=NOTE_SIZE), math(tex, font_size=BODY_SIZE))
        group.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        return group.next_to(self.maxima(0), DOWN, buff=0.45, aligned_edge=LEFT)

    def recolour(self, k: int, layers=None, edge_layers=None, animate: bool = True) -> list:
        """Animations taking the chosen neuron layers and connection layers to epoch k's colours
        (or, with ``animate=False``, set them at once on mobjects not yet on screen)."""
        layers = range(len(self.neurons)) if layers is None else layers
        edge_layers = range(len(self.edges)) if edge_layers is None else edge_layers
        anims = []
        for i in layers:
            for circle, colour in zip(self.neurons[i], self.neuron_style(k, i), strict=True):
                target = circle.animate if animate else circle
                anims.append(target.set_fill(colour, opacity=1).set_stroke(WHITE, width=1.5))
        for l in edge_layers:
            for line, (colour, width) in zip(self.edges[l], self.edge_style(k, l), strict=True):
                target = line.animate if animate else line
                anims.append(target.set_stroke(colour, width=width, opacity=1))
        return anims

    def loss_axes(self, x_length: float, y_length: float, font: float, step: int = 50) -> tuple[Axes, VGroup]:
        top = float(np.ceil(self.loss.max() * 5) / 5)
        axes = Axes(
            x_range=[0, len(self.loss) - 1, step],
            y_range=[0, top, 0.2 if y_length > 2 else top / 2],
            x_length=x_length,
            y_length=y_length,
            axis_config={
                "include_numbers": True,
                "font_size": font,
                "color": MUTED,
                "tip_width": 0.15,
                "tip_height": 0.15,
            },
            y_axis_config={"decimal_number_config": {"num_decimal_places": 1}},
        )
        labels = VGroup(
            text("epoch", font_size=font + 2).next_to(axes.x_axis.get_end(), DOWN, buff=0.25),
            text("loss", font_size=font + 2).next_to(axes.y_axis.get_end(), RIGHT, buff=0.15),
        )
        return axes, labels

    # ---- sections --------------------------------------------------------------------------------

    def title(self):
        r = self.net.recipe
        optimizer, lr = optimizer_look(r["optimizer"]).label, r["hyperparameters"]["lr"]
        arch = r" \to ".join(str(w) for w in self.net.widths)
        sub = math(
            rf"{arch},\ \{r['activation']},\ \text{{{optimizer}}},\ "
            rf"\eta = {lr:g},\ {r['epochs']}\text{{ epochs on {r['dataset']}}}",
            font_size=FORMULA_SIZE - 4,
        )
        then = (
            f"a {' → '.join(map(str, self.net.widths))} {r['activation']} network, trained with "
            f"{optimizer} at η = {lr:g} for {r['epochs']} epochs on {r['dataset']}."
        )
        title_card(self, "Backpropagation and gradient magnitudes", sub, then=then)

    def the_loss(self):
        """The training loss per epoch, the recorded epochs marked, and the loss's formula."""
        heading = section_title("First, the loss the network minimises")
        axes, labels = self.loss_axes(5.6, 4.3, NOTE_SIZE)
        plot = VGroup(axes, labels).to_edge(LEFT, buff=0.7).shift(DOWN * 0.35)
        epochs = np.arange(len(self.loss))
        curve = VMobject(stroke_color=CURVE, stroke_width=4)
        curve.set_points_as_corners(
            np.array([axes.c2p(e, v) for e, v in zip(epochs, self.loss, strict=True)])
        )
        marks = VGroup(*(Dot(axes.c2p(e, self.loss[e]), radius=0.07, color=WHITE) for e in self.epochs))

        formula = VGroup(
            math(r"L = -\frac{1}{N}\sum_{n=1}^{N} \Big[\, y_n \log \hat y_n", font_size=FORMULA_SIZE - 2),
            math(r"+ (1 - y_n) \log (1 - \hat y_n) \Big]", font_size=FORMULA_SIZE - 2),
            math(rf"\hat y_n = \sigma(z_n), \quad N = {self.n_train}", font_size=FORMULA_SIZE - 4),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        formula[1].shift(RIGHT * 0.9)
        name = text("binary cross-entropy (z = output logit)", font_size=NOTE_SIZE, color=MUTED)
        rows = VGroup(
            *(
                math(rf"\text{{epoch }} {e}:\quad L = {fmt(self.loss[e], 3)}", font_size=BODY_SIZE)
                for e in self.epochs
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        rows_head = text("backward passes recorded at", font_size=NOTE_SIZE)
        key = legend([("training loss", CURVE, "line"), ("recorded epoch", WHITE, "dot")])
        key.next_to(axes.c2p(len(self.loss) - 1, self.loss.max()), DL, buff=0).shift(LEFT * 0.2)
        panel = VGroup(formula, name, VGroup(rows_head, rows).arrange(DOWN, aligned_edge=LEFT, buff=0.2))
        panel.arrange(DOWN, aligned_edge=LEFT, buff=0.4).next_to(plot, RIGHT, buff=0.6).align_to(plot, UP)

        recorded = ", ".join(map(str, self.epochs[:-1])) + f" and {self.epochs[-1]}"
        open_section(
            self,
            heading,
            f"First, the loss the network minimises: binary cross-entropy over N = {self.n_train} "
            f"training samples. It falls from {fmt(self.loss[0], 3)} to {fmt(self.loss[-1], 3)}; "
            f"white dots mark epochs {recorded}, whose backward passes were recorded.",
        )
        self.play(Create(axes), FadeIn(labels), run_time=1.0)
        self.play(Write(formula), FadeIn(name), run_time=1.5)
        self.play(Create(curve), FadeIn(key), run_time=1.5)
        self.play(
            LaggedStart(*(FadeIn(m, scale=2) for m in marks), lag_ratio=0.3),
            FadeIn(rows_head),
            LaggedStart(*(FadeIn(r, shift=LEFT * 0.1) for r in rows), lag_ratio=0.3),
            run_time=1.5,
        )
        self.wait(1.5)
        fade_out_all(self)

    def backward_pass(self):
        """The network, then epoch 0's backward pass coloured layer by layer from output to input."""
        k, last = 0, self.net.layers
        heading = section_title(f"One backward pass, at epoch {self.epochs[k]}")
        self.neurons, self.edges, labels = self.diagram()
        self.key = self.colour_key()
        maxima = self.maxima(k)
        rule = self.chain_rule()

        open_section(
            self,
            heading,
            f"One backward pass, at epoch {self.epochs[k]}: neurons and connections are coloured by "
            "gradient magnitude, from dark blue (small) to red (large), each kind divided by its "
            "largest value.",
        )
        self.play(Create(self.edges), FadeIn(self.neurons), FadeIn(labels), run_time=1.5)
        self.play(FadeIn(self.key), FadeIn(maxima), Write(rule[0]), FadeIn(rule[1]), run_time=1.5)

        steps = [("output neuron", last, None)]
        for l in reversed(range(last)):
            steps.append((f"connections W{l + 1}", None, l))
            steps.append(("input neurons" if l == 0 else f"hidden layer {l}", l, None))
        shown = None
        for n, (head, i, l) in enumerate(steps):
            if n == 0:
                narrate(
                    self,
                    "The chain rule carries δ = ∂L/∂z back from the output, one layer at a time.",
                )
            if n == len(steps) // 2:
                peaks = ", ".join(
                    f"W{m + 1} {plain(tex_number(float(self.w_grads[m][k].max())))}" for m in range(last)
                )
                narrate(
                    self,
                    "Each layer's weight gradient follows from its δ and its inputs. The largest "
                    f"|∂L/∂W| per layer at epoch {self.epochs[k]}: {peaks}.",
                )
            head = f"step {n + 1} of {len(steps)}: {head}"
            if i is not None:
                value = float(self.z_grads[i][k].max())
                which = (
                    r"\delta_{\text{out}}"
                    if i == last
                    else rf"\delta_{{{i}}}"
                    if i
                    else r"\partial L/\partial x"
                )
                tex = rf"\max |{which}| = {tex_number(value)}"
                anims = self.recolour(k, layers=[i], edge_layers=[])
            else:
                value = float(self.w_grads[l][k].max())
                tex = rf"\max |\partial L / \partial W_{{{l + 1}}}| = {tex_number(value)}"
                anims = self.recolour(k, layers=[], edge_layers=[l])
            readout = self.status(head, tex)
            change = FadeIn(readout) if shown is None else FadeTransform(shown, readout)
            self.play(LaggedStart(*anims, lag_ratio=0.03), change, run_time=1.2)
            self.wait(0.4)
            shown = readout
        self.wait(1.2)
        fade_out_all(self)

    def over_training(self):
        """The same diagram recoloured at each recorded epoch, with the loss at that epoch."""
        heading = section_title("The backward pass as training goes on")
        self.neurons, self.edges, labels = self.diagram()
        self.key = self.colour_key()
        axes, axis_labels = self.loss_axes(2.7, 1.1, NOTE_SIZE - 2, step=100)
        VGroup(axes, axis_labels).next_to(self.maxima(0), DOWN, buff=0.45, aligned_edge=LEFT)
        curve = VMobject(stroke_color=CURVE, stroke_width=3)
        curve.set_points_as_corners(np.array([axes.c2p(e, v) for e, v in enumerate(self.loss)]))

        def readout(k: int) -> VGroup:
            e = self.epochs[k]
            group = VGroup(
                text(f"epoch {e}", font_size=BODY_SIZE + 2, color=POSITION),
                math(rf"L = {fmt(self.loss[e], 3)}", font_size=BODY_SIZE + 4),
            ).arrange(RIGHT, buff=0.5)
            return group.move_to([(LAYER_X[0] + LAYER_X[-1]) / 2, -2.9, 0])

        prepare(lambda: [(self.maxima(k), readout(k)) for k in range(len(self.epochs))])
        k = 0
        maxima, label = self.maxima(k), readout(k)
        dot = Dot(axes.c2p(self.epochs[k], self.loss[self.epochs[k]]), color=POSITION, radius=0.08)
        self.recolour(k, animate=False)  # start from epoch 0's colours, as the previous section ended
        open_section(
            self,
            heading,
            "The backward pass as training goes on: the same colours at each recorded epoch, with "
            "the loss curve below.",
        )
        self.play(
            FadeIn(self.edges),
            FadeIn(self.neurons),
            FadeIn(labels),
            FadeIn(self.key),
            FadeIn(maxima),
            run_time=1.0,
        )
        self.play(Create(axes), FadeIn(axis_labels), Create(curve), FadeIn(dot), FadeIn(label), run_time=1.2)
        self.wait(0.8)
        for k in range(1, len(self.epochs)):
            e = self.epochs[k]
            if k == 1:
                last = len(self.epochs) - 1
                narrate(
                    self,
                    f"Epochs {', '.join(map(str, self.epochs[1:]))}: as the loss falls to "
                    f"{fmt(self.loss[self.epochs[last]], 3)}, the largest |∂L/∂W| goes from "
                    f"{plain(tex_number(self.w_max(0)))} to {plain(tex_number(self.w_max(last)))}.",
                )
            self.play(
                *self.recolour(k),
                Transform(maxima, self.maxima(k)),
                Transform(label, readout(k)),
                dot.animate.move_to(axes.c2p(e, self.loss[e])),
                run_time=1.6,
            )
            self.wait(1.0)
        self.wait(0.6)
        fade_out_all(self)

    def vanishing(self):
        """Per-layer ‖∂L/∂W‖ at epoch 0 for six sigmoid layers against six ReLU layers (log scale)."""
        heading = section_title("Deeper: gradients that vanish on the way back")
        norms = {
            name: np.array(
                [np.linalg.norm(run.arrays[f"layer{l}.weight_grad"][0]) for l in range(run.layers)]
            )
            for name, run in self.deep.items()
        }
        layers = self.deep["sigmoid"].layers
        lo = int(np.floor(np.log10(min(n.min() for n in norms.values()))))
        hi = int(np.ceil(np.log10(max(n.max() for n in norms.values()))))
        axes = Axes(
            x_range=[0, layers + 0.5, 1],
            y_range=[lo, hi, 1],
            x_length=5.8,
            y_length=4.4,
            axis_config={
                "include_numbers": True,
                "font_size": NOTE_SIZE,
                "color": MUTED,
                "tip_width": 0.15,
                "tip_height": 0.15,
            },
            x_axis_config={"numbers_to_exclude": [0]},
            y_axis_config={"scaling": LogBase(custom_labels=True)},
        )
        axis_labels = VGroup(
            text("layer (input side → output side)", font_size=NOTE_SIZE).next_to(
                axes.x_axis, DOWN, buff=0.45
            ),
            math(r"\|\partial L / \partial W_l\|", font_size=BODY_SIZE + 2).next_to(
                axes.y_axis.get_end(), RIGHT, buff=0.2
            ),
        )
        plot = VGroup(axes, axis_labels).to_edge(LEFT, buff=0.8).shift(DOWN * 0.3)
        graphs = {
            name: axes.plot_line_graph(
                np.arange(1, layers + 1),
                values,
                line_color=DEEP_COLOURS[name],
                stroke_width=4,
                vertex_dot_radius=0.06,
                vertex_dot_style={"color": DEEP_COLOURS[name]},
            )
            for name, values in norms.items()
        }
        hidden = self.deep["sigmoid"].recipe["hidden"]
        key = legend(
            [(f"{name}, {len(hidden)} × {hidden[0]} hidden", DEEP_COLOURS[name], "line") for name in norms]
        )
        epoch = int(self.deep["sigmoid"].arrays["record_epochs"][0])
        when = text(f"at epoch {epoch} (before training)", font_size=NOTE_SIZE, color=MUTED)
        ratios = VGroup(
            text("‖∂L/∂W‖ of the first layer ÷ the last:", font_size=NOTE_SIZE),
            VGroup(
                *(
                    math(
                        rf"\text{{{name}}}\ \ {tex_number(values[0] / values[-1])}",
                        font_size=FORMULA_SIZE - 4,
                        color=DEEP_COLOURS[name],
                    )
                    for name, values in norms.items()
                )
            ).arrange(RIGHT, buff=0.6),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        why = VGroup(
            math(r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z)) \le \tfrac{1}{4}", font_size=FORMULA_SIZE - 4),
            text_lines(
                "On the way back, every sigmoid layer",
                "multiplies the signal by σ'(z) ≤ 1/4, so it",
                "shrinks layer after layer; ReLU's slope",
                "is 1 wherever the neuron is active.",
                buff=0.1,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        panel = VGroup(VGroup(key, when).arrange(DOWN, aligned_edge=LEFT, buff=0.2), ratios, why)
        panel.arrange(DOWN, aligned_edge=LEFT, buff=0.45).next_to(plot, RIGHT, buff=0.6).align_to(plot, UP)

        open_section(
            self,
            heading,
            f"Deeper: gradients that vanish on the way back. Per-layer norms of ∂L/∂W at epoch {epoch}, "
            f"log scale, for {len(hidden)} hidden layers of {hidden[0]}: sigmoid blue, ReLU orange.",
        )
        self.play(Create(axes), FadeIn(axis_labels), FadeIn(key), FadeIn(when), run_time=1.2)
        for name in norms:
            self.play(Create(graphs[name]), run_time=1.5)
        drops = ", ".join(
            f"{plain(tex_number(values[0] / values[-1]))} for {name}" for name, values in norms.items()
        )
        narrate(
            self,
            f"First layer ÷ last: {drops}. On the way back every sigmoid layer multiplies the "
            "signal by σ′(z) ≤ ¼, so it shrinks; ReLU's slope is 1 wherever the neuron is active.",
        )
        self.play(Write(ratios), run_time=1.5)
        self.wait(0.8)
        self.play(Write(why[0]), run_time=1.0)
        self.play(FadeIn(why[1:], shift=UP * 0.1), run_time=0.8)
        self.wait(2.5)
        fade_out_all(self)
