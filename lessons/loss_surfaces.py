"""Lesson 1: loss surfaces. Plain data: which surfaces the lesson samples, and what it shows."""

# Every two-parameter test surface of the course, for the gallery; the first four are in the video.
GALLERY = {
    "bowl": "bowl",
    "wavy-bowl": "wavy_bowl",
    "saddle": "saddle",
    "elongated-bowl": "elongated_bowl",
    "rosenbrock": "rosenbrock",
    "rastrigin": "rastrigin",
    "plateau": "plateau",
    "ravine": "ravine",
    "rotated-ravine": "rotated_ravine",
}

LESSON = {
    "slug": "loss-surfaces",
    "title": "Loss surfaces",
    "page": "lessons/loss-surfaces.md",
    "surfaces": {name: {"surface": surface, "grid": 71} for name, surface in GALLERY.items()},
    "figures": {
        "gallery": {
            "title": "Every test surface of the course, with the critical points the engine found (drag to rotate)",
            "builder": "surface_gallery",
            "inputs": list(GALLERY),
        },
    },
    "videos": {
        "surfaces": {
            "title": "A convex bowl, a non-convex surface, a saddle point and their contour lines",
            "scene": "loss_surfaces.py",
            "class": "LossSurfaces",
            "inputs": ["bowl", "wavy-bowl", "saddle", "elongated-bowl"],
        },
    },
}
