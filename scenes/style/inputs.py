"""What the build hands a scene: the inputs its video declares, loaded by the keys the build
resolved, and the video's settings. A bare preview gets what the last build of the video stored."""

from __future__ import annotations

from manim import Scene

from descent.scene_inputs import SceneInputs, scene_inputs


def inputs(scene: Scene) -> SceneInputs:
    """The inputs of ``scene``'s video, found by the file and class the scene is defined in."""
    cls = type(scene)
    return scene_inputs(cls.construct.__code__.co_filename, cls.__name__)


def one_run(scene: Scene):
    """For a scene about one recorded run (its video's one input): the run, its surface, its
    trajectory and its learning rate."""
    (run,) = inputs(scene).load_all()
    return run, run.surface, run.trajectory, run.recipe["hyperparameters"]["lr"]
