"""Lesson 2: gradient descent. Plain data: which artifacts the lesson needs, with which parameters."""

LESSON = {
    "slug": "gradient-descent",
    "title": "Gradient descent",
    "page": "lessons/gradient-descent.md",
    "trajectories": {
        # L(w) = w^2: each step multiplies w by (1 - 2 lr); lr = 0.15 shrinks it by 0.7.
        "parabola": {
            "surface": "parabola",
            "optimizer": "sgd",
            "hyperparameters": {"lr": 0.15},
            "start": [2.5],
            "steps": 8,
        },
        "bowl": {
            "surface": "bowl",
            "optimizer": "sgd",
            "hyperparameters": {"lr": 0.1},
            "start": [2.5, 2.0],
            "steps": 25,
        },
        # On x^2 + 10 y^2 the curvatures are 2 and 20: lr must stay below 2/20 = 0.1.
        "elongated": {
            "surface": "elongated_bowl",
            "optimizer": "sgd",
            "hyperparameters": {"lr": 0.085},
            "start": [-2.5, 1.2],
            "steps": 40,
        },
        **{
            f"elongated-lr-{lr}": {
                "surface": "elongated_bowl",
                "optimizer": "sgd",
                "hyperparameters": {"lr": lr},
                "start": [-2.5, 1.2],
                "steps": 60,
            }
            for lr in (0.01, 0.03, 0.06, 0.085, 0.1, 0.104)
        },
    },
    "figures": {
        "contour-lr": {
            "title": "Gradient descent on an elongated bowl: pick a learning rate, scrub the steps",
            "builder": "contour_paths",
            "surface": "elongated_bowl",
            "inputs": [f"elongated-lr-{lr}" for lr in (0.01, 0.03, 0.06, 0.085, 0.1, 0.104)],
            "default": 3,
        },
        "surface-3d": {
            "title": "The same descent on the surface itself (drag to rotate)",
            "builder": "surface_path_3d",
            "surface": "bowl",
            "inputs": ["bowl"],
        },
    },
    "videos": {
        "parabola": {
            "title": "Gradient descent on L(w) = w², one step at a time",
            "scene": "gradient_descent_1d.py",
            "class": "GradientDescent1D",
            "inputs": ["parabola"],
        },
        "vector-field": {
            "title": "The negative gradient field and the path that follows it",
            "scene": "gradient_field.py",
            "class": "GradientField",
            "inputs": ["bowl"],
        },
        "surface-3d": {
            "title": "A ball rolling down the loss surface",
            "scene": "descent_3d.py",
            "class": "Descent3D",
            "inputs": ["bowl"],
        },
        "contours": {
            "title": "Contours of an elongated bowl and the zig-zag path to its minimum",
            "scene": "contour_descent.py",
            "class": "ContourDescent",
            "inputs": ["elongated"],
        },
    },
}
