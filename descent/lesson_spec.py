"""Read and check lesson specs: plain data in, typed artifact specs out.

A lesson module holds one ``LESSON`` dict. Every error names the lesson file and the field
(``trajectories.parabola.hyperparameters.lr``), and is raised before any work starts.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from descent.datasets import DATASETS
from descent.optim import OPTIMIZERS, resolve_hyperparameters
from descent.surfaces import SURFACES, get_surface

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCENES_DIR = PROJECT_ROOT / "scenes"
ACTIVATIONS = ("relu", "sigmoid", "tanh")  # descent.networks builds them (and imports torch)
# Figure builders: the kind of data each reads, and whether it draws on a surface named by the
# figure's ``surface`` field.
FIGURE_BUILDERS = {
    "contour_paths": ("trajectory", True),
    "surface_path_3d": ("trajectory", True),
    "lr_sweep": ("trajectory", True),
    "race": ("trajectory", True),
    "convergence": ("trajectory", True),
    "optimizer_state": ("trajectory", False),
    "surface_gallery": ("surface", False),
    "network_gradients": ("network", False),
    "layer_gradients": ("network", False),
    "interpolation": ("landscape", False),
    "loss_planes": ("landscape", False),
}
# The data an artifact can be made from, by lesson section: section name -> artifact kind.
DATA_SECTIONS = {
    "trajectories": "trajectory",
    "surfaces": "surface",
    "networks": "network",
    "landscapes": "landscape",
}
DATA_KINDS = tuple(DATA_SECTIONS.values())
NETWORK_FIELDS = {"dataset", "samples", "noise", "seed", "hidden", "activation", "optimizer",
                  "hyperparameters", "epochs", "record"}  # fmt: skip
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

    kind: str  # one of DATA_KINDS, "figure", "video" or "visualizer"
    id: str  # "<lesson slug>/<name>"
    recipe: dict[str, Any]
    inputs: tuple[str, ...] = ()  # node names ("trajectory:<id>", "surface:<id>") this artifact reads
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
    check.known_fields(
        spec,
        "LESSON",
        {"slug", "title", "page", "figures", "videos", "visualizers", "playgrounds", *DATA_SECTIONS},
    )
    slug = check.string(spec, "LESSON", "slug", pattern=SLUG)
    title = check.string(spec, "LESSON", "title")
    page = check.string(spec, "LESSON", "page")

    artifacts: list[ArtifactSpec] = []
    known: dict[str, str] = {}  # data name -> its kind; one namespace for all data sections
    for section, kind in DATA_SECTIONS.items():
        for name, value in check.named_section(spec, section).items():
            if name in known:
                check.fail(f"{section}.{name}", f"name already used by a {known[name]} of this lesson")
            artifacts.append(getattr(check, kind)(slug, name, value))
            known[name] = kind
    playgrounds = check.named_section(spec, "playgrounds")
    for name, v in playgrounds.items():
        artifacts.append(check.playground(slug, name, v))
    if not known and not playgrounds:
        check.fail("trajectories", "a lesson needs data: trajectories, surfaces, networks or landscapes")
    for name, f in check.named_section(spec, "figures").items():
        artifacts.append(check.figure(slug, title, name, f, known))
    for name, v in check.named_section(spec, "videos").items():
        artifacts.append(check.video(slug, title, name, v, known))
    for name, v in check.named_section(spec, "visualizers").items():
        artifacts.append(check.visualizer(slug, name, v, known, artifacts))
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
        surface_name = self.surface_name(t, where)
        optimizer, resolved = self.optimizer(t, where)
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

    def inputs(self, slug: str, where: str, value: dict, known: dict[str, str]) -> tuple[str, ...]:
        names = self.present(value, where, "inputs")
        if not isinstance(names, list) or not names:
            self.fail(f"{where}.inputs", "must be a non-empty list of names of this lesson's data")
        for n in names:
            if n not in known:
                self.fail(f"{where}.inputs", f"no data named {n!r} in this lesson")
        return tuple(f"{known[n]}:{slug}/{n}" for n in names)

    def integer(self, value: dict, where: str, key: str, low: int, high: int) -> int:
        n = self.present(value, where, key)
        if not isinstance(n, int) or isinstance(n, bool) or not low <= n <= high:
            self.fail(f"{where}.{key}", f"must be a whole number from {low} to {high}, got {n!r}")
        return n

    def optimizer(self, value: dict, where: str) -> tuple[str, dict[str, float]]:
        optimizer = self.string(value, where, "optimizer")
        hp = self.present(value, where, "hyperparameters")
        self.mapping(hp, f"{where}.hyperparameters")
        try:
            return optimizer, resolve_hyperparameters(optimizer, hp)
        except ValueError as e:
            bad = re.search(r"hyperparameter '([^']+)'", str(e))
            self.fail(f"{where}.hyperparameters.{bad.group(1)}" if bad else f"{where}.optimizer", str(e))

    def surface(self, slug: str, name: str, value: dict) -> ArtifactSpec:
        where = f"surfaces.{name}"
        self.known_fields(value, where, {"surface", "grid"})
        surface_name = self.surface_name(value, where)
        grid = self.integer(value, where, "grid", 8, 400)
        return ArtifactSpec("surface", f"{slug}/{name}", {"surface": surface_name, "grid": grid}, lesson=slug)

    def surface_name(self, value: dict, where: str) -> str:
        surface_name = self.string(value, where, "surface")
        if surface_name not in SURFACES:
            self.fail(f"{where}.surface", f"unknown surface {surface_name!r}; known: {', '.join(SURFACES)}")
        return surface_name

    def network(self, slug: str, name: str, value: dict) -> ArtifactSpec:
        where = f"networks.{name}"
        self.known_fields(value, where, NETWORK_FIELDS)
        return ArtifactSpec("network", f"{slug}/{name}", self.network_recipe(value, where), lesson=slug)

    def network_recipe(self, value: dict, where: str) -> dict[str, Any]:
        dataset = self.string(value, where, "dataset")
        if dataset not in DATASETS:
            self.fail(f"{where}.dataset", f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
        noise = self.present(value, where, "noise")
        if not _is_number(noise) or not 0 <= noise <= 1:
            self.fail(f"{where}.noise", f"must be a number from 0 to 1, got {noise!r}")
        hidden = self.present(value, where, "hidden")
        if (
            not isinstance(hidden, list)
            or not hidden
            or not all(isinstance(w, int) and not isinstance(w, bool) and 1 <= w <= 256 for w in hidden)
        ):
            self.fail(f"{where}.hidden", f"must be a non-empty list of widths from 1 to 256, got {hidden!r}")
        activation = self.string(value, where, "activation")
        if activation not in ACTIVATIONS:
            known_ones = ", ".join(ACTIVATIONS)
            self.fail(f"{where}.activation", f"unknown activation {activation!r}; known: {known_ones}")
        optimizer, hp = self.optimizer(value, where)
        epochs = self.integer(value, where, "epochs", 0, MAX_STEPS)
        record = self.present(value, where, "record")
        if (
            not isinstance(record, list)
            or not record
            or not all(isinstance(e, int) and not isinstance(e, bool) and 0 <= e <= epochs for e in record)
        ):
            self.fail(f"{where}.record", f"must be a non-empty list of epochs 0 to {epochs}, got {record!r}")
        return {
            "dataset": dataset,
            "samples": self.integer(value, where, "samples", 10, 100_000),
            "noise": float(noise),
            "seed": self.integer(value, where, "seed", 0, 2**31 - 1),
            "hidden": list(hidden),
            "activation": activation,
            "optimizer": optimizer,
            "hyperparameters": hp,
            "epochs": epochs,
            "record": sorted(set(record)),
        }

    def landscape(self, slug: str, name: str, value: dict) -> ArtifactSpec:
        """A network and the planes through its weights: the network's fields, and ``radii`` (zoom
        radii of the plane), ``grid`` and ``boundary_grid`` (points per side), ``directions_seed``,
        optionally ``normalization`` (``filter``, the default, or ``none``) and ``rescale``."""
        where = f"landscapes.{name}"
        plane_fields = {"radii", "grid", "boundary_grid", "directions_seed", "normalization", "rescale"}
        self.known_fields(value, where, NETWORK_FIELDS | plane_fields)
        recipe = self.network_recipe(value, where)
        radii = self.present(value, where, "radii")
        if (
            not isinstance(radii, list)
            or not radii
            or not all(_is_number(r) and math.isfinite(r) and r > 0 for r in radii)
        ):
            self.fail(f"{where}.radii", f"must be a non-empty list of finite numbers > 0, got {radii!r}")
        grid = self.integer(value, where, "grid", 3, 201)
        if grid % 2 == 0:
            self.fail(
                f"{where}.grid", f"must be odd, so that the grid has the weights at its centre; got {grid}"
            )
        normalization = value.get("normalization", "filter")
        if normalization not in ("filter", "none"):
            self.fail(f"{where}.normalization", f"must be 'filter' or 'none', got {normalization!r}")
        rescale = value.get("rescale", 1.0)
        if not _is_number(rescale) or not math.isfinite(rescale) or rescale <= 0:
            self.fail(f"{where}.rescale", f"must be a finite number > 0, got {rescale!r}")
        if rescale != 1 and recipe["activation"] != "relu":
            self.fail(f"{where}.rescale", "rescaling keeps the function only for ReLU networks")
        recipe.update(
            {
                "radii": [float(r) for r in radii],
                "grid": grid,
                "boundary_grid": self.integer(value, where, "boundary_grid", 8, 400),
                "directions_seed": self.integer(value, where, "directions_seed", 0, 2**31 - 1),
                "normalization": normalization,
                "rescale": float(rescale),
            }
        )
        return ArtifactSpec("landscape", f"{slug}/{name}", recipe, lesson=slug)

    def figure(self, slug: str, lesson_title: str, name: str, f: dict, known: dict[str, str]) -> ArtifactSpec:
        where = f"figures.{name}"
        self.known_fields(f, where, {"title", "builder", "surface", "inputs", "default", "tolerance"})
        title = self.string(f, where, "title")
        builder = self.string(f, where, "builder")
        if builder not in FIGURE_BUILDERS:
            self.fail(
                f"{where}.builder",
                f"unknown builder {builder!r}; known: {', '.join(FIGURE_BUILDERS)}",
            )
        inputs = self.inputs(slug, where, f, known)
        reads, draws_surface = FIGURE_BUILDERS[builder]
        for node in inputs:
            if not node.startswith(f"{reads}:"):
                self.fail(f"{where}.inputs", f"the {builder} builder reads {reads} data, not {node}")
        default = f.get("default", 0)
        if not isinstance(default, int) or isinstance(default, bool) or not 0 <= default < len(inputs):
            self.fail(f"{where}.default", f"must be an index into inputs, got {default!r}")
        recipe = {"builder": builder, "title": title, "default": default}
        if draws_surface:
            recipe["surface"] = self.surface_name(f, where)
        elif "surface" in f:
            self.fail(f"{where}.surface", f"the {builder} builder draws no surface of its own")
        if "tolerance" in f or builder in ("lr_sweep", "race", "convergence"):
            tolerance = self.present(f, where, "tolerance")
            if not _is_number(tolerance) or not math.isfinite(tolerance) or tolerance <= 0:
                self.fail(f"{where}.tolerance", f"must be a finite number > 0, got {tolerance!r}")
            recipe["tolerance"] = float(tolerance)
        return ArtifactSpec("figure", f"{slug}/{name}", recipe, inputs, title, slug)

    def video(self, slug: str, lesson_title: str, name: str, v: dict, known: dict[str, str]) -> ArtifactSpec:
        where = f"videos.{name}"
        self.known_fields(v, where, {"title", "scene", "class", "inputs", "settings"})
        title = self.string(v, where, "title")
        scene = self.string(v, where, "scene")
        if not (SCENES_DIR / scene).is_file():
            self.fail(f"{where}.scene", f"no file scenes/{scene}")
        cls = self.string(v, where, "class", pattern=re.compile(r"^[A-Z][A-Za-z0-9_]*$"))
        inputs = self.inputs(slug, where, v, known)
        recipe = {"scene": scene, "class": cls, "title": title}
        if "settings" in v:  # plain values the scene reads (a tolerance), so it repeats none
            settings = v["settings"]
            self.mapping(settings, f"{where}.settings")
            try:
                json.dumps(settings, allow_nan=False)
            except (TypeError, ValueError) as e:
                self.fail(f"{where}.settings", f"must be plain JSON data ({e})")
            recipe["settings"] = settings
        return ArtifactSpec("video", f"{slug}/{name}", recipe, inputs, title, slug)

    def visualizer(self, slug: str, name: str, v: dict, known: dict[str, str],
                   made: list[ArtifactSpec]) -> ArtifactSpec:  # fmt: skip
        """The in-browser visualizer over landscapes: one per (model, dataset) combination, each
        model of equal widths (``2x16`` is two layers of 16), and the default among them."""
        where = f"visualizers.{name}"
        self.known_fields(v, where, {"title", "inputs", "default"})
        title = self.string(v, where, "title")
        inputs = self.inputs(slug, where, v, known)
        for node in inputs:
            if not node.startswith("landscape:"):
                self.fail(f"{where}.inputs", f"a visualizer reads landscapes, not {node}")
        default = self.string(v, where, "default", pattern=re.compile(r"^[a-z]+/[0-9]+x[0-9]+$"))
        recipes = {a.node: a.recipe for a in made}
        combinations = set()
        for node in inputs:
            hidden, dataset = recipes[node]["hidden"], recipes[node]["dataset"]
            if len(set(hidden)) != 1:
                self.fail(
                    f"{where}.inputs",
                    f"{node} has layers of unequal widths {hidden}; the page picks by depth x width",
                )
            combination = f"{dataset}/{len(hidden)}x{hidden[0]}"
            if combination in combinations:
                self.fail(f"{where}.inputs", f"two landscapes for {combination}")
            combinations.add(combination)
        if default not in combinations:
            self.fail(f"{where}.default", f"{default!r} is not among the inputs' dataset/model pairs")
        recipe = {"title": title, "default": default}
        return ArtifactSpec("visualizer", f"{slug}/{name}", recipe, inputs, title, slug)

    def playground(self, slug: str, name: str, v: dict) -> ArtifactSpec:
        """The optimizer playground: its 2-D surfaces with their default starts, and the settings
        whose torch.optim trajectories the page is checked against (``steps`` each)."""
        where = f"playgrounds.{name}"
        self.known_fields(v, where, {"title", "surfaces", "grid", "initial", "steps", "reference"})
        title = self.string(v, where, "title")
        surfaces = self.present(v, where, "surfaces")
        self.mapping(surfaces, f"{where}.surfaces")
        starts = {}
        for surface_name, start in surfaces.items():
            self.surface_name({"surface": surface_name}, f"{where}.surfaces")
            if get_surface(surface_name).dim != 2:
                self.fail(f"{where}.surfaces.{surface_name}", "the playground draws 2-D surfaces only")
            if not (isinstance(start, list) and len(start) == 2 and all(_is_number(x) for x in start)):
                self.fail(f"{where}.surfaces.{surface_name}", f"must be a start [x, y], got {start!r}")
            starts[surface_name] = [float(x) for x in start]
        grid = self.integer(v, where, "grid", 8, 400)
        initial = v.get("initial", {})
        self.mapping(initial, f"{where}.initial")
        known_hp = {key for rule in OPTIMIZERS.values() for key in rule.hyperparameters}
        for key, value in initial.items():
            if key not in known_hp:
                self.fail(f"{where}.initial.{key}", f"no optimizer has a hyperparameter {key!r}")
            if not _is_number(value) or not math.isfinite(value):
                self.fail(f"{where}.initial.{key}", f"must be a finite number, got {value!r}")
        steps = self.integer(v, where, "steps", 1, MAX_STEPS)
        reference = self.present(v, where, "reference")
        if not isinstance(reference, list):
            self.fail(f"{where}.reference", "must be a list of settings")
        settings = []
        for i, setting in enumerate(reference):
            here = f"{where}.reference[{i}]"
            self.mapping(setting, here)
            self.known_fields(setting, here, {"surface", "optimizer", "hyperparameters", "start"})
            if self.surface_name(setting, here) not in starts:
                self.fail(f"{here}.surface", "not one of the playground's surfaces")
            optimizer, resolved = self.optimizer(setting, here)
            start = self.present(setting, here, "start")
            if not (isinstance(start, list) and len(start) == 2 and all(_is_number(x) for x in start)):
                self.fail(f"{here}.start", f"must be [x, y], got {start!r}")
            settings.append({"surface": setting["surface"], "optimizer": optimizer,
                             "hyperparameters": resolved, "start": [float(x) for x in start]})  # fmt: skip
        recipe = {"title": title, "surfaces": starts, "grid": grid, "steps": steps, "reference": settings}
        if initial:
            recipe["initial"] = {key: float(value) for key, value in initial.items()}
        return ArtifactSpec("playground", f"{slug}/{name}", recipe, (), title, slug)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)
