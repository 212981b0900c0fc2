"""Animation patterns the scenes share: the title card, the end of a section, paths that race as a
step count moves, a step counter, and a walk of recorded steps, each shown by its arrow first."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    Integer,
    Line,
    Mobject,
    Scene,
    Transform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
)

from style.axes import to_screen
from style.look import (
    BODY_SIZE,
    FORMULA_SIZE,
    GRADIENT,
    NOTE_SIZE,
    PATH,
    POSITION,
    fmt,
    math,
    tex_number,
    text,
)
from style.narration import narrate, plain
from style.tex_store import prepare
from style.three_d import fix

# -- sections ---------------------------------------------------------------------------------


def title_card(scene: Scene, heading: str, *lines: Mobject, then: str, fixed_in_frame: bool = False) -> None:
    """The opening section: the video's question, then ``lines`` under it, narrated as one sentence,
    the heading followed by ``then``. A 3-D scene keeps the card flat on the screen."""
    joint = "." if ":" in heading else ":"  # "Momentum: averaging the gradients. L(w) = ..."
    narrate(scene, f"{heading}{joint} {then}")
    title = text(heading, font_size=44)
    card = VGroup(title, *lines).arrange(DOWN, buff=0.5)
    if fixed_in_frame:
        fix(scene, card)
    scene.play(Write(title), run_time=1)
    scene.play(*(FadeIn(line, shift=UP * 0.2) for line in lines), run_time=0.7)
    scene.wait(0.8)
    fade_out_all(scene, run_time=0.6)


def run_title_card(scene: Scene, heading: str, run, fixed_in_frame: bool = False) -> None:
    """The title card of a scene about one recorded run: its loss, learning rate and number of
    steps, read from the run's recipe."""
    lr, steps = run.recipe["hyperparameters"]["lr"], run.trajectory.steps
    values = math(
        rf"{run.surface.latex}, \quad \eta = {lr:g}, \quad {steps}\text{{ steps}}", font_size=FORMULA_SIZE - 4
    )
    then = f"{plain(run.surface.latex)}, η = {lr:g}, {steps} steps."
    title_card(scene, heading, values, then=then, fixed_in_frame=fixed_in_frame)


def open_section(scene: Scene, heading: Mobject, words: str, run_time: float = 0.7) -> None:
    """Start a section: say what it shows while its heading is written."""
    narrate(scene, words)
    scene.play(Write(heading), run_time=run_time)


def fade_out_all(scene: Scene, run_time: float = 0.8) -> None:
    """End a section: fade out everything on screen (fixed-in-frame mobjects included)."""
    for mobject in scene.mobjects:
        mobject.clear_updaters()
    if scene.mobjects:
        scene.play(*(FadeOut(m) for m in scene.mobjects), run_time=run_time)
    scene.clear()


# -- arrows and paths ---------------------------------------------------------------------------


def arrow_between(a: np.ndarray, b: np.ndarray, colour, width: float = 5, tip: float = 0.3) -> Arrow:
    """An arrow from screen point ``a`` to ``b`` whose stroke stays ``width`` however short it is."""
    return Arrow(
        a,
        b,
        buff=0,
        color=colour,
        stroke_width=width,
        max_tip_length_to_length_ratio=tip,
        max_stroke_width_to_length_ratio=20,
    )


def step_arrow(axes: Axes, start: np.ndarray, step: np.ndarray, width: float = 5) -> Arrow:
    """A red arrow from parameter point ``start`` to ``start + step`` (e.g. a step −η∇L)."""
    a, b = to_screen(axes, np.array([start, np.asarray(start) + step]))
    return Arrow(a, b, buff=0, color=GRADIENT, stroke_width=width, max_tip_length_to_length_ratio=0.3)


def polyline(points: np.ndarray, colour, width: float = 3.5) -> VMobject:
    """Straight segments through screen ``points``."""
    mob = VMobject(stroke_color=colour, stroke_width=width)
    mob.set_points_as_corners(points)
    return mob


def path_until(points: np.ndarray, k: float) -> np.ndarray:
    """A recorded path after ``k`` steps: ``points[:k + 1]``, and for a fractional ``k`` the next
    segment partly drawn. Never fewer than two points (a path of no steps is its start twice)."""
    i = int(np.floor(np.clip(k, 0, len(points) - 1)))
    head = points[: i + 1]
    if i < len(points) - 1 and k > i:
        head = np.vstack([head, points[i] + (k - i) * (points[i + 1] - points[i])])
    return head if len(head) > 1 else np.vstack([head, head])


def visible_pieces(points: np.ndarray, bounds) -> list[np.ndarray]:
    """The parts of polyline ``points`` [k, 2] inside ``bounds``, segments cut at the box edge."""
    (x0, x1), (y0, y1) = bounds
    x, y = points[:, 0], points[:, 1]
    inside = (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    if inside.all():
        return [points]
    p0, d = points[:-1], np.diff(points, axis=0)
    t0, t1 = np.zeros(len(d)), np.ones(len(d))
    edges = (
        (-d[:, 0], p0[:, 0] - x0),
        (d[:, 0], x1 - p0[:, 0]),
        (-d[:, 1], p0[:, 1] - y0),
        (d[:, 1], y1 - p0[:, 1]),
    )
    for p, q in edges:  # Liang-Barsky
        with np.errstate(divide="ignore", invalid="ignore"):
            r = q / p
        t0 = np.where(p < 0, np.maximum(t0, r), t0)
        t1 = np.where(p > 0, np.minimum(t1, r), t1)
        t1 = np.where((p == 0) & (q < 0), -1.0, t1)
    a, b = p0 + t0[:, None] * d, p0 + t1[:, None] * d
    pieces, last = [], -2
    for i in np.nonzero(t0 < t1)[0]:
        if last == i - 1 and t1[last] == 1.0 and t0[i] == 0.0:
            pieces[-1].append(b[i])
        else:
            pieces.append([a[i], b[i]])
        last = i
    return [np.array(piece) for piece in pieces]


def traced_path(
    axes: Axes, points: np.ndarray, colour, tracker: ValueTracker, width: float = 3.5, bounds=None
) -> VMobject:
    """The path through ``points`` (in ``axes``' coordinates) up to step ``tracker``, redrawn as the
    tracker moves; only what lies inside ``bounds`` is drawn, if given."""
    screen, box = to_screen(axes, points), screen_box(axes, bounds)
    mob = VMobject(stroke_color=colour, stroke_width=width)

    def update(m: VMobject) -> None:
        drawn = path_until(screen, tracker.get_value())
        m.clear_points()
        for piece in [drawn] if box is None else visible_pieces(drawn, box):
            m.start_new_path(piece[0])
            m.add_points_as_corners(piece[1:])

    update(mob)
    return mob.add_updater(update)


def screen_box(axes: Axes, bounds) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Where ``bounds`` (in ``axes``' coordinates) are on the screen. The axes map the plane
    linearly, so paths are put on the screen once and cut there, not again on every frame."""
    if bounds is None:
        return None
    corners = to_screen(axes, np.transpose(bounds))
    return tuple(tuple(sorted(corners[:, i])) for i in (0, 1))


def racing_paths(
    axes: Axes, runs: Sequence[tuple[np.ndarray, str]], tracker: ValueTracker, width: float = 3.5, bounds=None
) -> VGroup:
    """Runs ``(points, colour)`` racing as ``tracker`` counts the steps: ``VGroup(paths, dots)``,
    each path in its run's colour and each run's current point a yellow dot ringed in that colour
    (hidden while outside ``bounds``, if given). The dots are drawn over every path."""
    box = screen_box(axes, bounds)
    paths, dots = VGroup(), VGroup()
    for points, colour in runs:
        paths.add(traced_path(axes, points, colour, tracker, width, bounds))
        dot = Dot(radius=0.065, color=POSITION).set_stroke(colour, width=2.5)
        screen = to_screen(axes, points)

        def follow(mob: Dot, screen=screen) -> None:
            head = path_until(screen, tracker.get_value())[-1].copy()
            inside = box is None or all(lo <= v <= hi for v, (lo, hi) in zip(head, box, strict=False))
            if box is not None:
                head[:2] = np.clip(head[:2], *np.transpose(box))
            mob.move_to(head)
            mob.set_fill(opacity=float(inside)).set_stroke(opacity=float(inside))

        follow(dot)
        dots.add(dot.add_updater(follow))
    return VGroup(paths, dots)


def step_counter(tracker: ValueTracker, total: int, font_size: float = BODY_SIZE) -> VGroup:
    """ "step k of total" with k following ``tracker``; "of total" leaves room for every digit of
    ``total``, so it never moves. Only the number is set again as the tracker moves (its digits
    typeset once, copied as it changes), at the size that makes TeX's digits as tall as the text's."""
    number_size = font_size * 20 / 13  # 40 beside text of 26
    number = Integer(0, font_size=number_size, group_with_commas=False)
    widest = Integer(total, font_size=number_size, group_with_commas=False)
    counter = VGroup(text("step", font_size=font_size), number, text(f"of {total}", font_size=font_size))
    counter.arrange(RIGHT, buff=0.15, aligned_edge=DOWN)
    counter[2].shift(RIGHT * (widest.width - number.width))
    number.add_updater(lambda m: m.set_value(int(tracker.get_value())))  # its left edge stays put
    return counter


# -- walking the recorded steps ---------------------------------------------------------------------


def walk_steps(
    scene: Scene,
    points: Sequence[np.ndarray],
    walker: Mobject,
    arrow: Callable[[int], Mobject],
    readout: Callable[[int], Mobject],
    slow: int,
    width: float = 4,
    times: tuple[float, float, float] = (0.6, 0.4, 0.15),
    show=GrowArrow,
    fixed_in_frame: bool = False,
    walker_on_top: bool = True,
    words: str | None = None,
    faster_words: str | None = None,
) -> Mobject:
    """Walk ``walker`` through the recorded steps between screen ``points``, leaving a yellow path
    ``width`` wide. Each step is announced by its arrow (``arrow(k)``, the step from point ``k``),
    with ``readout(k)`` (the numbers after ``k`` steps) on screen. The first ``slow`` steps go one
    at a time: the move (``times[0]`` s), then the next arrow appears (``times[1]`` s); later ones
    take ``times[2]`` s each, the arrow turning into the next as the step is taken. ``words`` are
    said as the walk starts, ``faster_words`` when the pace changes. The walker is drawn over its
    path and the arrows, unless not ``walker_on_top``.

    A readout ``fixed_in_frame`` (a 3-D scene's) is faded into the next rather than transformed:
    a transform would add pieces the camera does not know are fixed in the frame, and they would
    turn with the scene. Returns the readout on screen."""
    if words:
        narrate(scene, words)
    prepare(lambda: [readout(k) for k in range(len(points))])  # every readout's formulas at once
    shown = readout(0)
    scene.play(FadeIn(shown), run_time=0.4)
    current = arrow(0)
    scene.play(show(current), run_time=0.5)
    steps = len(points) - 1
    for k in range(steps):
        animations = [Create(Line(points[k], points[k + 1], color=PATH, stroke_width=width))]
        animations.append(walker.animate.move_to(points[k + 1]))
        if fixed_in_frame:
            following = readout(k + 1)
            animations += [FadeOut(shown), FadeIn(following)]
            shown = following
        else:
            animations.append(Transform(shown, readout(k + 1)))
        last = k + 1 == steps
        if k == slow and faster_words:
            narrate(scene, faster_words)
        if k < slow and not last:
            scene.play(*animations, FadeOut(current), run_time=times[0])
            current = arrow(k + 1)
            scene.play(show(current), run_time=times[1])
        elif not last:
            scene.play(*animations, Transform(current, arrow(k + 1)), run_time=times[2])
        else:
            scene.play(*animations, FadeOut(current), run_time=times[2])
        if walker_on_top:
            scene.bring_to_front(walker)
    return shown


def position_readout(trajectory, k: int, below: Mobject) -> VGroup:
    """Step ``k`` of a run over the plane, under ``below`` and aligned with it: "step k of n",
    then ``w_k`` and its loss."""
    w, loss = trajectory.params[k], trajectory.loss[k]
    rows = VGroup(
        text(f"step {k} of {trajectory.steps}", font_size=NOTE_SIZE + 2),
        math(
            rf"w_{{{k}}} = ({fmt(w[0])},\ {fmt(w[1])}),\quad L = {tex_number(loss)}",
            font_size=BODY_SIZE + 2,
            color=POSITION,
        ),
    ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
    return rows.next_to(below, DOWN, buff=0.6).align_to(below, LEFT)
