"""Descent's engine: surfaces, optimizers, trajectories, the artifact store and the build pipeline.

Producers here are pure functions of a recipe and a seed; they import neither Manim, Plotly nor
MkDocs, so they run and test in milliseconds.
"""
