"""Descent's engine: surfaces, optimizers, trajectories, tiny networks and their landscapes, the
kinds of data the course builds (``descent.kinds``), the artifact store, the plan and the build
pipeline, the figures, and the site's MkDocs plugins (``descent.site``).

Producers are pure functions of a recipe and their inputs: none imports Manim or MkDocs (the
scenes draw with Manim, the plugins use MkDocs), so they run and test in milliseconds.
"""
