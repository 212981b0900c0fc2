"""Lesson 5: adaptive methods. Plain data: which runs the lesson needs, with which parameters."""

START = [-2.5, 1.2]

# One run per optimizer on the elongated bowl, each at a rate that suits it (the comparisons
# lesson chooses rates by a stated search; here the point is how each one scales its steps).
PER_OPTIMIZER = {
    "sgd": {"lr": 0.03},
    "momentum": {"lr": 0.03, "momentum": 0.8},
    "adagrad": {"lr": 0.5},
    "rmsprop": {"lr": 0.05},
    "adam": {"lr": 0.1},
    "adamw": {"lr": 0.1, "weight_decay": 0.1},
}

# Adam's knobs: beta1 (the first moment's memory), beta2 (the second's) and eps.
BETA1 = [0.0, 0.5, 0.9, 0.99]
BETA2 = [0.9, 0.99, 0.999]
EPS = [1e-8, 0.01, 1.0]


def _run(optimizer, hp, steps, surface="elongated_bowl"):
    return {"surface": surface, "optimizer": optimizer, "hyperparameters": hp, "start": START, "steps": steps}


LESSON = {
    "slug": "adaptive",
    "title": "Adaptive methods",
    "page": "lessons/adaptive.md",
    "trajectories": {
        **{name: _run(name, hp, 150) for name, hp in PER_OPTIMIZER.items()},
        # Adam's moments, read from torch.optim.Adam's state after every step.
        "adam-moments": _run("adam", {"lr": 0.1}, 60),
        **{
            f"grid-{b1}-{b2}-{eps}": _run("adam", {"lr": 0.1, "beta1": b1, "beta2": b2, "eps": eps}, 150)
            for b1 in BETA1
            for b2 in BETA2
            for eps in EPS
        },
    },
    "figures": {
        "paths": {
            "title": "SGD, momentum, AdaGrad, RMSprop, Adam and AdamW on the elongated bowl",
            "builder": "race",
            "surface": "elongated_bowl",
            "inputs": list(PER_OPTIMIZER),
            "tolerance": 1e-6,
        },
        "moments": {
            "title": "Adam's first and second moments per step, as torch.optim.Adam stores them, and bias-corrected",
            "builder": "optimizer_state",
            "inputs": ["adam-moments"],
        },
        "betas-eps": {
            "title": "Adam with every combination of β₁, β₂ and ε (learning rate 0.1)",
            "builder": "contour_paths",
            "surface": "elongated_bowl",
            "inputs": [f"grid-{b1}-{b2}-{eps}" for b1 in BETA1 for b2 in BETA2 for eps in EPS],
            "default": BETA1.index(0.9) * 9 + BETA2.index(0.999) * 3 + EPS.index(1e-8),
        },
    },
    "videos": {
        "adaptive": {
            "title": "Adam's moments from the optimizer's own state, bias correction, and what the state costs",
            "scene": "adaptive_methods.py",
            "class": "AdaptiveMethods",
            "inputs": ["adam-moments", *PER_OPTIMIZER],
            # The runs whose paths the video draws step by step on the bowl.
            "settings": {"on_plane": ["sgd", "adagrad", "rmsprop", "adam", "adamw"]},
        },
    },
}
