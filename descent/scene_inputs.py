"""What a video's scene is handed: its inputs as the build resolved them (id, kind, key, recipe).

The video producer writes them to a JSON file and names it in ``$DESCENT_SCENE_INPUTS`` for the
Manim process; it also leaves a copy in the store (``previews/<scene file>.<class>.json``), so
that a bare ``manim -ql scenes/<file>.py <Scene>`` previews from what the last build stored. A
scene loads its data by those keys: it never imports the lesson specs nor plans the course, and
it can read nothing but the inputs its spec declares (their keys cover it).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from descent.store import ArtifactStore, DamagedEntry, store_root

INPUTS_ENV = "DESCENT_SCENE_INPUTS"
FORMAT = 1


class InputsMissing(LookupError):
    """A scene's inputs are not in the store (never built, or damaged)."""


@dataclass(frozen=True)
class ResolvedInput:
    """One input of a video as the build planned it."""

    id: str  # "<lesson>/<name>"
    kind: str
    key: str
    recipe: dict[str, Any]

    @property
    def name(self) -> str:
        """The name the lesson gave it (the id without the lesson)."""
        return self.id.split("/", 1)[1]


@dataclass(frozen=True)
class SceneInputs:
    """A video's own recipe (title, scene, class, settings) and its inputs, in declared order."""

    video_id: str
    recipe: dict[str, Any]
    inputs: tuple[ResolvedInput, ...]
    store: Path

    @property
    def title(self) -> str:
        return self.recipe["title"]

    @property
    def settings(self) -> dict[str, Any]:
        """Plain values the spec gives the scene (a tolerance, say), so the scene repeats none."""
        return self.recipe.get("settings", {})

    def names(self, kind: str | None = None) -> list[str]:
        return [i.name for i in self.inputs if kind is None or i.kind == kind]

    def load(self, name: str):
        """The stored data of input ``name`` (its lesson-local name or its id)."""
        found = [i for i in self.inputs if name in (i.name, i.id)]
        if not found:
            raise InputsMissing(
                f"{name!r} is not an input of video {self.video_id!r} (its inputs: "
                f"{', '.join(self.names())}); add it to the video's 'inputs' in its lesson spec"
            )
        return load_input(found[0], ArtifactStore(self.store))

    def load_all(self, kind: str | None = None) -> list:
        """Every input (of ``kind``), in the order the spec declares them."""
        return [self.load(name) for name in self.names(kind)]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "video": self.video_id,
                "recipe": self.recipe,
                "inputs": [vars(i) for i in self.inputs],
            },
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str, store: Path) -> SceneInputs:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise InputsMissing(f"scene inputs of format {data.get('format')!r}, expected {FORMAT}")
        inputs = tuple(ResolvedInput(**i) for i in data["inputs"])
        return cls(data["video"], data["recipe"], inputs, store)


def load_input(resolved: ResolvedInput, store: ArtifactStore):
    """The data of one resolved input, verified by the store."""
    # By the kind's module, not the registry: a video's key covers the kinds it reads
    # (descent.kinds.video: reads), not every kind there is.
    kind = import_module(f"descent.kinds.{resolved.kind}").KIND
    try:
        entry = store.get(resolved.kind, resolved.key)
    except DamagedEntry as e:
        raise InputsMissing(f"{resolved.kind} {resolved.id!r} is damaged ({e}); rebuild it") from None
    if entry is None:
        raise InputsMissing(
            f"{resolved.kind} {resolved.id!r} is not in the store {store.root}: "
            f"run python build_assets.py --only '{resolved.id}'"
        )
    return kind.load(resolved.id, resolved.recipe, entry)


def preview_record(store: Path, scene_file: str, scene_class: str) -> Path:
    """Where the last build left a scene's inputs for previews."""
    return store / "previews" / f"{Path(scene_file).name}.{scene_class}.json"


def write_preview_record(inputs: SceneInputs) -> None:
    """Leave ``inputs`` for a preview of the scene (atomically: a reader sees the old or the new)."""
    path = preview_record(inputs.store, inputs.recipe["scene"], inputs.recipe["class"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(inputs.to_json())
    os.replace(tmp, path)


def scene_inputs(scene_file: str, scene_class: str) -> SceneInputs:
    """The inputs of the scene ``scene_class`` of ``scene_file``: those the build hands it, or in a
    bare preview those the last build of its video stored."""
    store = store_root()
    handed = os.environ.get(INPUTS_ENV)
    path = Path(handed) if handed else preview_record(store, scene_file, scene_class)
    try:
        text = path.read_text()
    except OSError:
        raise InputsMissing(
            f"no inputs for {Path(scene_file).name} {scene_class} in {store}: build its video first "
            "(python build_assets.py --only 'video:*'), then preview it"
        ) from None
    return SceneInputs.from_json(text, store)
