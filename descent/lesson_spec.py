"""Read and check lesson specs: plain data in, typed artifact specs out.

A lesson module holds one ``LESSON`` dict: its slug, title and page, and one section per kind of
data (``trajectories``, ``figures``, ``videos`` ...), each a dict of named entries that the kind
checks (``descent.kinds``). Every error names the lesson file and the field
(``trajectories.parabola.hyperparameters.lr``), and is raised before any work starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from descent.kinds.registry import KINDS
from descent.spec_fields import SpecError, SpecReader
from descent.store import PROJECT_ROOT

__all__ = ["ArtifactSpec", "Lesson", "SpecError", "read_lesson", "read_lessons"]
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class ArtifactSpec:
    """One artifact to build: what it is, the recipe that determines it, and what it reads."""

    kind: str  # a name in descent.kinds.registry.KINDS
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
    spec = getattr(module, "LESSON", None)
    check = SpecReader(source)
    check.mapping(spec, "LESSON")
    check.known_fields(spec, "LESSON", {"slug", "title", "page", *(k.section for k in KINDS.values())})
    slug = check.string(spec, "LESSON", "slug", pattern=SLUG)
    title = check.string(spec, "LESSON", "title")
    page = check.string(spec, "LESSON", "page")
    check.slug = slug

    # Kinds come in build order: what a section reads is declared before it is read.
    artifacts: list[ArtifactSpec] = []
    for kind in KINDS.values():
        check.reads = kind.reads
        for name, value in check.named_section(spec, kind.section).items():
            where = f"{kind.section}.{name}"
            if not kind.reads:  # data: one namespace of names, which readers refer to
                if name in check.data:
                    check.fail(where, f"name already used by a {check.data[name]} of this lesson")
                check.data[name] = kind.name
            recipe, inputs, item_title = kind.check(check, where, value)
            artifact = ArtifactSpec(kind.name, f"{slug}/{name}", recipe, inputs, item_title, slug)
            check.recipes[artifact.node] = recipe
            artifacts.append(artifact)
    if not any(not KINDS[a.kind].reads for a in artifacts):
        sections = ", ".join(k.section for k in KINDS.values() if not k.reads)
        check.fail(next(k.section for k in KINDS.values()), f"a lesson needs data: one of {sections}")
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
