"""Kinds of data: what the course builds (trajectories, surfaces, networks, landscapes, figures,
videos, the visualizer's and the playground's data), one module each, all alike.

A kind is one :class:`Kind` object in its module (``descent/kinds/<name>.py``): how its lesson-spec
section is checked, how it is produced from its recipe and its inputs (one signature for all),
how its stored files are read back, which library versions enter its key, and whether the site
publishes it. ``descent.kinds.registry`` lists them; the plan, the pipeline, the loaders and the
site iterate over that list instead of naming kinds.

A kind's cache key covers the source of its module and of every project module it imports,
found by reading the imports (``descent.code``): so a kind module imports only what producing
it needs, and this package's ``__init__`` holds types only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from descent.plan import Planned
    from descent.spec_fields import SpecReader
    from descent.store import Entry


DATA = "data"  # in a kind's ``reads``: every kind of data (what reads nothing and is not published)


class Checked(NamedTuple):
    """What a kind's ``check`` makes of one entry of its section."""

    recipe: dict[str, Any]
    inputs: tuple[str, ...] = ()  # node names ("trajectory:<id>") of the data it reads
    title: str = ""


class Input(NamedTuple):
    """An input handed to a producer: as planned (id, key, recipe) and as loaded from the store."""

    planned: Planned
    data: Any


@dataclass(frozen=True)
class Kind:
    name: str  # "trajectory": the store's folder, the node prefix ("trajectory:<id>")
    section: str  # "trajectories": its section in a lesson spec
    # check(reader, where, value) -> Checked, where "where" is "<section>.<name>"
    check: Callable[[SpecReader, str, dict], Checked]
    # produce(planned, inputs) -> the files of its store entry
    produce: Callable[[Planned, Sequence[Input]], dict[str, bytes]]
    versions: tuple[str, ...]  # libraries whose versions enter its key
    # load(id, recipe, entry) -> the data a reader of it gets; None: nothing reads it
    load: Callable[[str, dict[str, Any], Entry], Any] | None = None
    reads: tuple[str, ...] = ()  # the kinds it takes as inputs (DATA: every kind of data)
    published: bool = False  # copied to the site, with a manifest entry
    # More sources its key covers, chosen by its recipe (a figure's builder, a video's scene).
    code: Callable[[dict[str, Any]], list[str]] = lambda recipe: []
    build_options: tuple[str, ...] = ()  # options of a build that enter its recipe ("quality")
    cost: int = 0  # longest first keeps every worker busy: the larger, the sooner it starts
