"""Turn lesson specs into a build plan: every artifact with its content key and why it is stale.

An artifact's key is the sha256 of its canonical recipe, the keys of its inputs, a fingerprint of
the source files that make it and the versions of the libraries that matter. Changing a recipe
changes its key and, through the input keys, the keys of exactly the artifacts that read it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from descent.lesson_spec import PROJECT_ROOT, ArtifactSpec, Lesson, read_lessons
from descent.store import ArtifactStore, canonical_json, file_digest, sha256_hex

ENGINE = ["descent/surfaces.py", "descent/arrays.py"]
OPTIM = [
    "descent/optim/__init__.py",
    "descent/optim/protocol.py",
    "descent/optim/registry.py",
    "descent/optim/torch_backend.py",
    "descent/optim/reference.py",
]
# The source files whose content each kind of artifact depends on (the scene file is added per video).
CODE: dict[str, list[str]] = {
    "trajectory": [*ENGINE, *OPTIM, "descent/trajectory.py", "descent/producers/trajectory.py"],
    "surface": [*ENGINE, "descent/artifacts.py", "descent/producers/surface.py"],
    "network": [
        *ENGINE,
        "descent/optim/registry.py",
        "descent/datasets.py",
        "descent/networks.py",
        "descent/producers/network.py",
    ],
    "landscape": [
        *ENGINE,
        "descent/optim/registry.py",
        "descent/datasets.py",
        "descent/networks.py",
        "descent/landscape.py",
        "descent/producers/landscape.py",
    ],
    "visualizer": [
        *ENGINE,
        "descent/artifacts.py",
        "descent/datasets.py",
        "descent/producers/visualizer.py",
        "descent/producers/bundle.py",
    ],
    "figure": [
        *ENGINE,
        "descent/trajectory.py",
        "descent/artifacts.py",
        "descent/figures/__init__.py",
        "descent/figures/theme.py",
        "descent/figures/plane.py",
        "descent/figures/landscape_labels.py",
        "descent/compare.py",
        "descent/optim/registry.py",
        "descent/producers/bundle.py",
    ],
    "playground": [*ENGINE, *OPTIM, "descent/trajectory.py", "descent/playground.py"],
    "video": [
        *ENGINE,
        "descent/trajectory.py",
        "descent/artifacts.py",
        "descent/contours.py",
        "descent/compare.py",
        "descent/producers/video.py",
        "descent/producers/bundle.py",
        "descent/scene_inputs.py",
        "descent/optim/registry.py",  # the optimizers' labels and colours
        *sorted(str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "scenes" / "style").glob("*.py")),
    ],
}
VERSIONS = {
    "trajectory": ["numpy", "torch"],
    "surface": ["numpy"],
    "network": ["numpy", "torch"],
    "landscape": ["numpy", "torch"],
    "visualizer": ["numpy"],
    "figure": ["numpy", "plotly"],
    "video": ["numpy", "manim", "av"],
    "playground": ["numpy", "torch"],
}
QUALITIES = {"low": "l", "medium": "m", "high": "h"}


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
    """Keys for every artifact of every lesson; videos are keyed by the render quality too."""
    lessons = read_lessons(lesson_modules)
    planned: dict[str, Planned] = {}
    # Trajectories first, then what reads them: inputs are always planned before their readers.
    order = {
        "trajectory": 0,
        "surface": 0,
        "network": 0,
        "landscape": 0,
        "figure": 1,
        "video": 1,
        "visualizer": 1,
        "playground": 0,
    }
    specs = sorted((a for lesson in lessons for a in lesson.artifacts), key=lambda a: order[a.kind])
    for spec in specs:
        if spec.kind == "video":
            spec = ArtifactSpec(
                spec.kind,
                spec.id,
                {**spec.recipe, "quality": quality},
                spec.inputs,
                spec.title,
                spec.lesson,
            )
        code = list(CODE[spec.kind])
        if spec.kind == "video":
            code.append(f"scenes/{spec.recipe['scene']}")
        if spec.kind == "figure":
            code.append(f"descent/figures/{spec.recipe['builder']}.py")
        input_keys = tuple(planned[i].key for i in spec.inputs)
        versions = library_versions(tuple(VERSIONS[spec.kind]))
        recipe_digest = sha256_hex(canonical_json(spec.recipe))
        code_digest = code_fingerprint(tuple(code))
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


def code_fingerprint(paths: tuple[str, ...]) -> str:
    """sha256 over the named source files (a missing file counts as empty, and so as a change)."""
    parts = []
    for rel in sorted(set(paths)):
        p = PROJECT_ROOT / rel
        parts.append(f"{rel}:{file_digest(p) if p.exists() else 'missing'}")
    return sha256_hex("\n".join(parts))


@cache
def library_versions(names: tuple[str, ...]) -> dict[str, str]:
    return {n: version(n) for n in names}


def store_root() -> Path:
    """Where the store lives: ``$DESCENT_STORE`` or ``.cache/store`` in the project."""
    return Path(os.environ.get("DESCENT_STORE", PROJECT_ROOT / ".cache" / "store"))


class BuildIndex:
    """What was last built under each node name, to tell *why* an artifact is stale."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.records: dict[str, dict] = json.loads(path.read_text())
        except (OSError, ValueError):
            self.records = {}

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

    def record(self, planned: Planned) -> None:
        self.records[planned.node] = {
            "key": planned.key,
            "recipe": planned.recipe_digest,
            "code": planned.code_digest,
            "inputs": list(planned.input_keys),
            "versions": planned.versions,
        }

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(self.records, indent=1, sort_keys=True))
        os.replace(tmp, self.path)
