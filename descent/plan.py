"""Turn lesson specs into a build plan: every artifact with its content key and why it is stale.

An artifact's key is the sha256 of its canonical recipe, the keys of its inputs, a fingerprint of
the source that makes it and the versions of the libraries that matter. The source is found by
reading imports (``descent.code``): the kind's module and every project file it imports, the
modules of the kinds it reads (their loaders run in its process), and what its recipe names (a
figure's builder, a video's scene), with their imports. Changing a recipe changes its key and,
through the input keys, the keys of exactly the artifacts that read it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from descent.code import closure, fingerprint
from descent.kinds import Kind
from descent.kinds.registry import KINDS
from descent.lesson_spec import ArtifactSpec, Lesson, read_lessons
from descent.store import ArtifactStore, canonical_json, sha256_hex


@dataclass(frozen=True)
class Planned:
    """An artifact spec with everything its key is made of."""

    spec: ArtifactSpec
    key: str
    recipe_digest: str
    code_digest: str
    input_keys: tuple[str, ...]
    versions: dict[str, str]

    @property
    def node(self) -> str:
        return self.spec.node

    @property
    def kind(self) -> Kind:
        return KINDS[self.spec.kind]

    def provenance(self) -> dict[str, Any]:
        """What a reader needs to trace the artifact: recipe, key, code and versions."""
        return {
            "id": self.spec.id,
            "kind": self.spec.kind,
            "key": self.key,
            "recipe": self.spec.recipe,
            "code": self.code_digest,
            "versions": self.versions,
        }


@dataclass(frozen=True)
class Plan:
    lessons: tuple[Lesson, ...]
    artifacts: dict[str, Planned]  # by node name, inputs before the artifacts that read them

    def get(self, kind: str, artifact_id: str) -> Planned:
        node = f"{kind}:{artifact_id}"
        if node not in self.artifacts:
            known = ", ".join(a.spec.id for a in self.artifacts.values() if a.spec.kind == kind)
            raise KeyError(f"no {kind} {artifact_id!r} in any lesson; known: {known}")
        return self.artifacts[node]

    def with_inputs(self, nodes: list[str]) -> list[str]:
        """``nodes`` and everything they read, in build order."""
        wanted: set[str] = set()

        def add(n: str) -> None:
            if n not in wanted:
                wanted.add(n)
                for i in self.artifacts[n].spec.inputs:
                    add(i)

        for n in nodes:
            add(n)
        return [n for n in self.artifacts if n in wanted]


def make_plan(lesson_modules: list, quality: str = "medium") -> Plan:
    """Keys for every artifact of every lesson. ``quality`` is a build option: it enters the
    recipes of the kinds that name it in their ``build_options`` (videos)."""
    options = {"quality": quality}
    lessons = read_lessons(lesson_modules)
    rank = {name: i for i, name in enumerate(KINDS)}  # build order: inputs before their readers
    specs = sorted((a for lesson in lessons for a in lesson.artifacts), key=lambda a: rank[a.kind])
    planned: dict[str, Planned] = {}
    for spec in specs:
        kind = KINDS[spec.kind]
        if kind.build_options:
            recipe = {**spec.recipe, **{o: options[o] for o in kind.build_options}}
            spec = ArtifactSpec(spec.kind, spec.id, recipe, spec.inputs, spec.title, spec.lesson)
        input_keys = tuple(planned[i].key for i in spec.inputs)
        versions = library_versions(kind.versions)
        recipe_digest = sha256_hex(canonical_json(spec.recipe))
        code_digest = fingerprint(source_of(kind, spec.recipe, {i.split(":", 1)[0] for i in spec.inputs}))
        key = sha256_hex(
            canonical_json(
                {
                    "kind": spec.kind,
                    "recipe": spec.recipe,
                    "inputs": list(input_keys),
                    "code": code_digest,
                    "versions": versions,
                }
            )
        )
        planned[spec.node] = Planned(spec, key, recipe_digest, code_digest, input_keys, versions)
    return Plan(tuple(lessons), planned)


def source_of(kind: Kind, recipe: dict[str, Any], input_kinds: set[str] = frozenset()) -> tuple[str, ...]:
    """The project files an artifact's key covers: its kind's module, the modules of the kinds
    of its inputs (their loaders run where it is made), what its recipe names, and all they
    import."""
    modules = [kind, *(KINDS[k] for k in sorted(input_kinds))]
    return _closure((*(_module_file(k.produce.__module__) for k in modules), *kind.code(recipe)))


def _module_file(module: str) -> str:
    return module.replace(".", "/") + ".py"


@cache
def _closure(roots: tuple[str, ...]) -> tuple[str, ...]:
    return closure(roots)


@cache
def library_versions(names: tuple[str, ...]) -> dict[str, str]:
    return {n: version(n) for n in names}


class BuildIndex:
    """What was last built under each node name, to tell *why* an artifact is stale, and which
    entry of an item to keep publishing while it is not rebuilt."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.records: dict[str, dict] = json.loads(path.read_text())
        except (OSError, ValueError):
            self.records = {}
        self.changed = False

    def reason(self, planned: Planned, store: ArtifactStore) -> str | None:
        """``None`` if up to date, else ``new``, ``damaged``, ``recipe changed``, ..."""
        status = store.status(planned.spec.kind, planned.key)
        if status == "ok":
            return None
        if status == "damaged":
            return "damaged"
        last = self.records.get(planned.node)
        if last is None:
            return "new"
        for field, now, label in [
            ("recipe", planned.recipe_digest, "recipe changed"),
            ("code", planned.code_digest, "code changed"),
            ("inputs", list(planned.input_keys), "input changed"),
            ("versions", planned.versions, "versions changed"),
        ]:
            if last.get(field) != now:
                return label
        return "missing from store"

    def last_key(self, node: str) -> str | None:
        """The key ``node`` was last built under."""
        return self.records.get(node, {}).get("key")

    def record(self, planned: Planned) -> None:
        self.records[planned.node] = {
            "key": planned.key,
            "recipe": planned.recipe_digest,
            "code": planned.code_digest,
            "inputs": list(planned.input_keys),
            "versions": planned.versions,
        }
        self.changed = True

    def save(self) -> None:
        if not self.changed:  # a build that changed nothing writes nothing
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(self.records, indent=1, sort_keys=True))
        os.replace(tmp, self.path)
        self.changed = False
