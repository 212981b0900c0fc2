"""Read built artifacts by id: how scenes and figure builders get their data.

Renderers never compute: they ask for ``load_trajectory("gradient-descent/parabola")`` and get what
the build stored. The plan gives the id's key; the store verifies the entry. Inside a build, a
video may read only the inputs its spec declares (``DESCENT_INPUTS``), so a scene cannot depend on
data its key does not cover.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Any

from descent.arrays import load_npz
from descent.plan import Plan, make_plan, store_root
from descent.store import ArtifactStore, DamagedEntry, Entry
from descent.surfaces import Surface, get_surface
from descent.trajectory import Trajectory


class ArtifactMissing(LookupError):
    """The artifact is not in the store (not built yet, or damaged)."""


@dataclass(frozen=True)
class TrajectoryRun:
    """A recorded optimizer run with the recipe and surface it came from."""

    id: str
    recipe: dict[str, Any]
    surface: Surface
    trajectory: Trajectory


@cache
def _plan() -> Plan:
    import lessons

    return make_plan(lessons.ALL)


def load_trajectory(artifact_id: str) -> TrajectoryRun:
    """The stored trajectory ``artifact_id`` (``"<lesson>/<name>"``)."""
    allowed = os.environ.get("DESCENT_INPUTS")
    if allowed is not None and f"trajectory:{artifact_id}" not in allowed.split(","):
        raise ArtifactMissing(
            f"trajectory {artifact_id!r} is not among this video's declared inputs ({allowed}); "
            "add it to the video's 'inputs' in its lesson spec"
        )
    planned = _plan().get("trajectory", artifact_id)
    try:
        entry = ArtifactStore(store_root()).get("trajectory", planned.key)
    except DamagedEntry as e:
        raise ArtifactMissing(f"trajectory {artifact_id!r} is damaged ({e}); rebuild it") from None
    if entry is None:
        raise ArtifactMissing(
            f"trajectory {artifact_id!r} is not built yet: run python build_assets.py --only '{artifact_id}'"
        )
    return run_from_entry(planned.spec.id, planned.spec.recipe, entry)


def run_from_entry(artifact_id: str, recipe: dict[str, Any], entry: Entry) -> TrajectoryRun:
    arrays = load_npz(entry.file("trajectory.npz"))
    surface = get_surface(recipe["surface"])
    return TrajectoryRun(artifact_id, recipe, surface, Trajectory.from_arrays(arrays))
