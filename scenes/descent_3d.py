"""Placeholder while the scene is written."""

from manim import *


class Descent3D(ThreeDScene):
    def construct(self):
        self.wait(0.1)
