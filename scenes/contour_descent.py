"""Placeholder while the scene is written."""

from manim import *


class ContourDescent(Scene):
    def construct(self):
        self.wait(0.1)
