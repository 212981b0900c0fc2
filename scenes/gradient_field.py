"""Placeholder while the scene is written."""

from manim import *


class GradientField(Scene):
    def construct(self):
        self.wait(0.1)
