"""Checks of a lesson spec's fields that every kind of data shares, each error naming the file and
the field (``trajectories.parabola.hyperparameters.lr``).

A kind's ``check`` is handed a :class:`SpecReader` for its lesson: it reads its section's fields
through it and never formats an error of its own.
"""

from __future__ import annotations

import math
import re
from typing import Any

from descent.optim import OPTIMIZERS, HyperparameterError, resolve_hyperparameters
from descent.optim.schedules import resolve_schedule
from descent.surfaces import SURFACES, get_surface

NAME = re.compile(r"^[a-z0-9]+([-.][a-z0-9]+)*$")
MAX_STEPS = 100_000


class SpecError(ValueError):
    """A lesson spec that cannot be built; the message names the file and the field."""

    def __init__(self, source: str, field_path: str, message: str):
        self.source, self.field, self.message = source, field_path, message
        super().__init__(f"{source}: {field_path}: {message}")


def is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


class SpecReader:
    """Reads one lesson's spec: typed fields, and the names of the data it declared so far.

    Kinds get their reader handed to them and import nothing from here: what a kind imports
    enters its cache key, and how a spec is read does not change what is built.
    """

    MAX_STEPS = MAX_STEPS
    is_number = staticmethod(is_number)

    def __init__(self, source: str):
        self.source = source
        self.slug = ""  # the lesson's, once read
        self.reads: tuple[str, ...] = ()  # the kinds the section being read may take as inputs
        self.data: dict[str, str] = {}  # a data name -> its kind; one namespace for all data
        self.recipes: dict[str, dict[str, Any]] = {}  # node -> recipe, of what was read so far

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

    def integer(self, value: dict, where: str, key: str, low: int, high: int) -> int:
        n = self.present(value, where, key)
        if not isinstance(n, int) or isinstance(n, bool) or not low <= n <= high:
            self.fail(f"{where}.{key}", f"must be a whole number from {low} to {high}, got {n!r}")
        return n

    def positive(self, value: dict, where: str, key: str) -> float:
        x = self.present(value, where, key)
        if not is_number(x) or not math.isfinite(x) or x <= 0:
            self.fail(f"{where}.{key}", f"must be a finite number > 0, got {x!r}")
        return float(x)

    def named_section(self, spec: dict, key: str) -> dict[str, dict]:
        """The ``{name: dict}`` section ``key`` of a lesson (empty when absent)."""
        if key not in spec:
            return {}
        section = spec[key]
        self.mapping(section, key)
        for name, value in section.items():
            if not isinstance(name, str) or not NAME.match(name):
                self.fail(f"{key}.{name}", f"name must match {NAME.pattern}")
            self.mapping(value, f"{key}.{name}")
        return section

    def surface_name(self, value: dict, where: str) -> str:
        name = self.string(value, where, "surface")
        if name not in SURFACES:
            self.fail(f"{where}.surface", f"unknown surface {name!r}; known: {', '.join(SURFACES)}")
        return name

    def point(self, value: dict, where: str, key: str, dim: int) -> list[float]:
        p = self.present(value, where, key)
        if (
            not isinstance(p, list | tuple)
            or len(p) != dim
            or not all(is_number(v) and math.isfinite(v) for v in p)
        ):
            self.fail(f"{where}.{key}", f"must be a list of {dim} finite numbers, got {p!r}")
        return [float(v) for v in p]

    def surface_dim(self, name: str) -> int:
        return get_surface(name).dim

    def optimizer(self, value: dict, where: str, matrices: bool = False) -> tuple[str, dict[str, float]]:
        """An optimizer's name and its hyperparameters, defaults filled in, each checked; one that
        steps weight matrices only (Muon) where ``matrices`` says the parameters have some."""
        optimizer = self.string(value, where, "optimizer")
        hp = self.present(value, where, "hyperparameters")
        self.mapping(hp, f"{where}.hyperparameters")
        try:
            resolved = resolve_hyperparameters(optimizer, hp)
        except HyperparameterError as e:
            self.fail(f"{where}.hyperparameters.{e.key}" if e.key else f"{where}.optimizer", str(e))
        if not matrices and OPTIMIZERS[optimizer].matrices_only:
            self.fail(f"{where}.optimizer", OPTIMIZERS[optimizer].matrices_only)
        return optimizer, resolved

    def schedule(self, value: dict, where: str, steps: int) -> dict[str, Any]:
        """``value["schedule"]`` (``{"name": ..., parameters}``, constant when absent) for a run of
        ``steps`` steps: a schedule of the registry, its parameters defaulted and checked."""
        schedule = value.get("schedule", {"name": "constant"})
        self.mapping(schedule, f"{where}.schedule")
        name = self.string(schedule, f"{where}.schedule", "name")
        try:
            parameters = resolve_schedule(name, {k: v for k, v in schedule.items() if k != "name"}, steps)
        except HyperparameterError as e:
            self.fail(f"{where}.schedule.{e.key or 'name'}", str(e))
        return {"name": name, **parameters}

    def inputs(self, value: dict, where: str, reads: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """The node names of ``value["inputs"]``: names of this lesson's data of the kinds ``reads``
        (by default, those its section's kind reads)."""
        reads = self.reads if reads is None else reads
        names = self.present(value, where, "inputs")
        if not isinstance(names, list) or not names:
            self.fail(f"{where}.inputs", "must be a non-empty list of names of this lesson's data")
        nodes = []
        for n in names:
            if n not in self.data:
                self.fail(f"{where}.inputs", f"no data named {n!r} in this lesson")
            node = f"{self.data[n]}:{self.slug}/{n}"
            if self.data[n] not in reads:
                self.fail(f"{where}.inputs", f"reads {' or '.join(reads)} data, not {node}")
            nodes.append(node)
        return tuple(nodes)
