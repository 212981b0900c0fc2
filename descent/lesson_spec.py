"""Read and check lesson specs: plain data in, typed artifact specs out.

A lesson module holds one ``LESSON`` dict. Every error names the lesson file and the field
(``trajectories.parabola.hyperparameters.lr``), and is raised before any work starts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from descent.optim import resolve_hyperparameters
from descent.surfaces import SURFACES, get_surface

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCENES_DIR = PROJECT_ROOT / "scenes"
FIGURE_BUILDERS = ("contour_paths", "surface_path_3d", "lr_sweep")
MAX_STEPS = 100_000
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
NAME = re.compile(r"^[a-z0-9]+([-.][a-z0-9]+)*$")


class SpecError(ValueError):
    """A lesson spec that cannot be built; the message names the file and the field."""

    def __init__(self, source: str, field_path: str, message: str):
        self.source, self.field, self.message = source, field_path, message
        super().__init__(f"{source}: {field_path}: {message}")


@dataclass(frozen=True)
class ArtifactSpec:
    """One artifact to build: what it is, the recipe that determines it, and what it reads."""

    kind: str  # "trajectory", "figure" or "video"
    id: str  # "<lesson slug>/<name>"
    recipe: dict[str, Any]
    inputs: tuple[str, ...] = ()  # node names ("trajectory:<id>") this artifact reads
    title: str = ""
    lesson: str = ""

    @property
    def node(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    page: str
    source: str
    artifacts: tuple[ArtifactSpec, ...] = field(default_factory=tuple)


def read_lesson(module: ModuleType) -> Lesson:
    """The checked artifacts of a lesson module; raises :class:`SpecError` on the first problem."""
    source = _relative(getattr(module, "__file__", module.__name__))
    check = _Checker(source)
    spec = getattr(module, "LESSON", None)
    check.mapping(spec, "LESSON")
    check.known_fields(spec, "LESSON", {"slug", "title", "page", "trajectories", "figures", "videos"})
    slug = check.string(spec, "LESSON", "slug", pattern=SLUG)
    title = check.string(spec, "LESSON", "title")
    page = check.string(spec, "LESSON", "page")

    artifacts: list[ArtifactSpec] = []
    trajectories = check.named_section(spec, "trajectories", required=True)
    for name, t in trajectories.items():
        artifacts.append(check.trajectory(slug, name, t))
    known = {a.id.split("/", 1)[1] for a in artifacts}
    for name, f in check.named_section(spec, "figures").items():
        artifacts.append(check.figure(slug, title, name, f, known))
    for name, v in check.named_section(spec, "videos").items():
        artifacts.append(check.video(slug, title, name, v, known))
    return Lesson(slug, title, page, source, tuple(artifacts))


def read_lessons(modules: list[ModuleType]) -> list[Lesson]:
    lessons = [read_lesson(m) for m in modules]
    seen: dict[str, str] = {}
    for lesson in lessons:
        if lesson.slug in seen:
            raise SpecError(lesson.source, "LESSON.slug", f"{lesson.slug!r} is used by {seen[lesson.slug]}")
        seen[lesson.slug] = lesson.source
    return lessons


def _relative(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


class _Checker:
    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, message: str):
        raise SpecError(self.source, where, message)

    def mapping(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            self.fail(where, f"must be a dict, got {type(value).__name__}")

    def known_fields(self, value: dict, where: str, allowed: set[str]) -> None:
        for key in value:
            if key not in allowed:
                self.fail(f"{where}.{key}", f"unknown field; expected one of {', '.join(sorted(allowed))}")

    def present(self, value: dict, where: str, key: str) -> Any:
        if key not in value:
            self.fail(f"{where}.{key}", "missing")
        return value[key]

    def string(self, value: dict, where: str, key: str, pattern: re.Pattern | None = None) -> str:
        s = self.present(value, where, key)
        if not isinstance(s, str) or not s:
            self.fail(f"{where}.{key}", f"must be a non-empty string, got {s!r}")
        if pattern and not pattern.match(s):
            self.fail(f"{where}.{key}", f"{s!r} must match {pattern.pattern}")
        return s

    def named_section(self, spec: dict, key: str, required: bool = False) -> dict[str, dict]:
        if key not in spec:
            if required:
                self.fail(key, "missing")
            return {}
        section = spec[key]
        self.mapping(section, key)
        for name, value in section.items():
            if not isinstance(name, str) or not NAME.match(name):
                self.fail(f"{key}.{name}", f"name must match {NAME.pattern}")
            self.mapping(value, f"{key}.{name}")
        return section

    def trajectory(self, slug: str, name: str, t: dict) -> ArtifactSpec:
        where = f"trajectories.{name}"
        self.known_fields(t, where, {"surface", "optimizer", "hyperparameters", "start", "steps"})
        surface_name = self.string(t, where, "surface")
        if surface_name not in SURFACES:
            self.fail(
                f"{where}.surface",
                f"unknown surface {surface_name!r}; known: {', '.join(SURFACES)}",
            )
        optimizer = self.string(t, where, "optimizer")
        hp = self.present(t, where, "hyperparameters")
        self.mapping(hp, f"{where}.hyperparameters")
        try:
            resolved = resolve_hyperparameters(optimizer, hp)
        except ValueError as e:
            bad = re.search(r"hyperparameter '([^']+)'", str(e))
            self.fail(f"{where}.hyperparameters.{bad.group(1)}" if bad else f"{where}.optimizer", str(e))
        dim = get_surface(surface_name).dim
        start = self.present(t, where, "start")
        if (
            not isinstance(start, list | tuple)
            or len(start) != dim
            or not all(_is_number(v) and math.isfinite(v) for v in start)
        ):
            self.fail(f"{where}.start", f"must be a list of {dim} finite numbers, got {start!r}")
        steps = self.present(t, where, "steps")
        if not isinstance(steps, int) or isinstance(steps, bool) or not 0 <= steps <= MAX_STEPS:
            self.fail(f"{where}.steps", f"must be a whole number from 0 to {MAX_STEPS}, got {steps!r}")
        recipe = {
            "surface": surface_name,
            "optimizer": optimizer,
            "hyperparameters": resolved,
            "start": [float(v) for v in start],
            "steps": steps,
        }
        return ArtifactSpec("trajectory", f"{slug}/{name}", recipe, lesson=slug)

    def inputs(self, slug: str, where: str, value: dict, known: set[str]) -> tuple[str, ...]:
        names = self.present(value, where, "inputs")
        if not isinstance(names, list) or not names:
            self.fail(f"{where}.inputs", "must be a non-empty list of trajectory names")
        for n in names:
            if n not in known:
                self.fail(f"{where}.inputs", f"no trajectory named {n!r} in this lesson")
        return tuple(f"trajectory:{slug}/{n}" for n in names)

    def figure(self, slug: str, lesson_title: str, name: str, f: dict, known: set[str]) -> ArtifactSpec:
        where = f"figures.{name}"
        self.known_fields(f, where, {"title", "builder", "surface", "inputs", "default", "tolerance"})
        title = self.string(f, where, "title")
        builder = self.string(f, where, "builder")
        if builder not in FIGURE_BUILDERS:
            self.fail(
                f"{where}.builder",
                f"unknown builder {builder!r}; known: {', '.join(FIGURE_BUILDERS)}",
            )
        surface = self.string(f, where, "surface")
        if surface not in SURFACES:
            self.fail(f"{where}.surface", f"unknown surface {surface!r}; known: {', '.join(SURFACES)}")
        inputs = self.inputs(slug, where, f, known)
        default = f.get("default", 0)
        if not isinstance(default, int) or isinstance(default, bool) or not 0 <= default < len(inputs):
            self.fail(f"{where}.default", f"must be an index into inputs, got {default!r}")
        recipe = {"builder": builder, "surface": surface, "title": title, "default": default}
        if "tolerance" in f or builder == "lr_sweep":
            tolerance = self.present(f, where, "tolerance")
            if not _is_number(tolerance) or not math.isfinite(tolerance) or tolerance <= 0:
                self.fail(f"{where}.tolerance", f"must be a finite number > 0, got {tolerance!r}")
            recipe["tolerance"] = float(tolerance)
        return ArtifactSpec("figure", f"{slug}/{name}", recipe, inputs, title, slug)

    def video(self, slug: str, lesson_title: str, name: str, v: dict, known: set[str]) -> ArtifactSpec:
        where = f"videos.{name}"
        self.known_fields(v, where, {"title", "scene", "class", "inputs"})
        title = self.string(v, where, "title")
        scene = self.string(v, where, "scene")
        if not (SCENES_DIR / scene).is_file():
            self.fail(f"{where}.scene", f"no file scenes/{scene}")
        cls = self.string(v, where, "class", pattern=re.compile(r"^[A-Z][A-Za-z0-9_]*$"))
        inputs = self.inputs(slug, where, v, known)
        recipe = {"scene": scene, "class": cls, "title": title}
        return ArtifactSpec("video", f"{slug}/{name}", recipe, inputs, title, slug)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)
