"""Every kind of data, in build order: a kind comes after the kinds it reads.

Adding a kind is a module in this package with its ``KIND``, and a line here. A kind that reads
``DATA`` (figures, videos) reads every kind of data registered before it, a new one included.
"""

from __future__ import annotations

from dataclasses import replace

from descent.kinds import (
    DATA,
    Kind,
    batch_scaling,
    figure,
    gradient_cloud,
    landscape,
    minibatch,
    network,
    optimizer_steps,
    playground,
    sharpness,
    surface,
    trajectory,
    tuning,
    video,
    visualizer,
)


def _in_build_order(*kinds: Kind) -> dict[str, Kind]:
    registered: dict[str, Kind] = {}
    for kind in kinds:
        if DATA in kind.reads:  # every kind of data registered before it
            data = [k.name for k in registered.values() if not k.reads and not k.published]
            reads = [r for entry in kind.reads for r in (data if entry == DATA else [entry])]
            kind = replace(kind, reads=tuple(dict.fromkeys(reads)))
        unknown = [r for r in kind.reads if r not in registered]
        if unknown:
            raise ValueError(f"kind {kind.name!r} reads {unknown}, which must be registered before it")
        if kind.name in registered or kind.section in {k.section for k in registered.values()}:
            raise ValueError(f"kind {kind.name!r} (section {kind.section!r}) is registered twice")
        registered[kind.name] = kind
    return registered


KINDS: dict[str, Kind] = _in_build_order(
    trajectory.KIND,
    surface.KIND,
    network.KIND,
    landscape.KIND,
    minibatch.KIND,
    gradient_cloud.KIND,
    batch_scaling.KIND,
    sharpness.KIND,
    optimizer_steps.KIND,
    tuning.KIND,
    playground.KIND,
    figure.KIND,
    video.KIND,
    visualizer.KIND,
)
PUBLISHED = tuple(name for name, kind in KINDS.items() if kind.published)
