"""A figure: an interactive Plotly figure built from stored data by a builder of
``descent/figures/`` (chosen by the recipe's ``builder``), with its data and recipe to download."""

from __future__ import annotations

from importlib import import_module
from typing import NamedTuple

from descent.downloads import downloads
from descent.kinds import DATA, Checked, Kind


class Builder(NamedTuple):
    reads: str  # the kind of data it draws
    draws_surface: bool  # it draws a surface named by the figure's "surface" field
    needs_tolerance: bool = False


BUILDERS = {
    "contour_paths": Builder("trajectory", True),
    "surface_path_3d": Builder("trajectory", True),
    "lr_sweep": Builder("trajectory", True, True),
    "race": Builder("trajectory", True, True),
    "convergence": Builder("trajectory", True, True),
    "optimizer_state": Builder("trajectory", False),
    "surface_gallery": Builder("surface", False),
    "network_gradients": Builder("network", False),
    "layer_gradients": Builder("network", False),
    "interpolation": Builder("landscape", False),
    "loss_planes": Builder("landscape", False),
    "minibatch_paths": Builder("minibatch", False),
    "noise_ball": Builder("minibatch", False),
    "schedule_runs": Builder("minibatch", False),
    "gradient_cloud": Builder("gradient_cloud", False),
    "batch_scaling": Builder("batch_scaling", False),
    "training_curves": Builder("network", False),
    "warmup_search": Builder("network", False),
    "sharpness_runs": Builder("sharpness", False),
    "performance_profiles": Builder("tuning", False),
    "tuning_scores": Builder("tuning", False),
    "update_sizes": Builder("optimizer_steps", False),
    "muon_spectrum": Builder("optimizer_steps", False),
    "schedule_free_average": Builder("optimizer_steps", False),
    "grid_best": Builder("network", False, True),
}


def check(spec, where: str, f: dict) -> Checked:
    spec.known_fields(f, where, {"title", "builder", "surface", "inputs", "default", "tolerance"})
    title = spec.string(f, where, "title")
    builder = spec.string(f, where, "builder")
    if builder not in BUILDERS:
        spec.fail(f"{where}.builder", f"unknown builder {builder!r}; known: {', '.join(BUILDERS)}")
    reads, draws_surface, needs_tolerance = BUILDERS[builder]
    inputs = spec.inputs(f, where, (reads,))
    default = f.get("default", 0)
    if not isinstance(default, int) or isinstance(default, bool) or not 0 <= default < len(inputs):
        spec.fail(f"{where}.default", f"must be an index into inputs, got {default!r}")
    recipe = {"builder": builder, "title": title, "default": default}
    if draws_surface:
        recipe["surface"] = spec.surface_name(f, where)
    elif "surface" in f:
        spec.fail(f"{where}.surface", f"the {builder} builder draws no surface of its own")
    if "tolerance" in f or needs_tolerance:
        recipe["tolerance"] = spec.positive(f, where, "tolerance")
    return Checked(recipe, inputs, title)


def produce(planned, inputs) -> dict[str, bytes]:
    from descent.figures import figure_json  # plotly: only where a figure is drawn

    builder = import_module(f"descent.figures.{planned.spec.recipe['builder']}")
    fig, controls = builder.build(planned.spec.recipe, [i.data for i in inputs])
    return {"figure.json": figure_json(fig, controls), **downloads(planned, inputs)}


def builder_source(recipe: dict) -> list[str]:
    """The builder's module: its key covers the builder it draws with, and what that imports."""
    return [f"descent/figures/{recipe['builder']}.py"]


KIND = Kind(
    "figure",
    "figures",
    check=check,
    produce=produce,
    versions=("numpy", "plotly"),
    reads=(DATA,),
    published=True,
    code=builder_source,
)
