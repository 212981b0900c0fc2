"""The optimizer playground: every 2-D surface with a default start, the learning-rate schedules,
race lengths and gradient noise it offers, and the settings its in-page optimizers are checked
against: every setting the other lessons run on those surfaces (each for ``STEPS`` steps, whatever
the lesson's own count), and settings with each schedule and with gradient noise. Plain data."""

from lessons import TAUGHT

STEPS = 200
SCHEDULES = ["constant", "step", "cosine", "warmup_cosine"]
LENGTHS = [100, 200, 500, 1000, 2000, 5000, 10000]
SURFACES = {
    "rosenbrock": [-1.5, 2.5],
    "bowl": [-2.5, 2.0],
    "elongated_bowl": [-2.5, 1.5],
    "ravine": [-2.5, 1.5],
    "rotated_ravine": [-2.5, 1.5],
    "saddle": [1.4, 0.05],
    "rastrigin": [2.3, 1.7],
    "wavy_bowl": [2.5, -2.0],
    "plateau": [3.2, 2.4],
}


def lesson_settings() -> list[dict]:
    """Every distinct (surface, optimizer, hyperparameters, start) the lessons run here."""
    seen, settings = set(), []
    for lesson in TAUGHT:
        for t in lesson.LESSON.get("trajectories", {}).values():
            if t["surface"] not in SURFACES:
                continue
            setting = {k: t[k] for k in ("surface", "optimizer", "hyperparameters", "start")}
            key = repr(sorted((k, repr(v)) for k, v in setting.items()))
            if key not in seen:
                seen.add(key)
                settings.append(setting)
    return settings


# Settings run with every schedule offered, spanning the STEPS: each (surface, optimizer,
# hyperparameters, σ, seed); σ = 0 for a schedule alone (not with the constant one: a plain run).
NOISY = [
    ("bowl", "sgd", {"lr": 0.1}, 1.0, 1),
    ("rosenbrock", "adam", {"lr": 0.02}, 5.0, 2),
    ("wavy_bowl", "nesterov", {"lr": 0.01, "momentum": 0.9}, 0.5, 3),
    ("ravine", "rmsprop", {"lr": 0.01}, 0.0, 0),
    ("saddle", "sgd", {"lr": 0.1}, 0.2, 4),  # leaves the plot, then diverges
    ("bowl", "lion", {"lr": 0.05}, 1.0, 5),
    ("rosenbrock", "schedule_free_adamw", {"lr": 0.02}, 5.0, 6),
    ("wavy_bowl", "nadam", {"lr": 0.02}, 0.5, 7),
    ("ravine", "adafactor", {"lr": 0.05}, 0.0, 0),
    ("elongated_bowl", "radam", {"lr": 0.02}, 0.3, 8),
]


# Today's optimizers that step a point, each on every surface from its start, at a rate where
# its path is not trivial: the page's rules are held to their production backends (torch.optim;
# Optax for Lion and Schedule-Free AdamW, which torch has not). Muon steps matrices: not here.
TODAY = {
    "nadam": {"lr": 0.05},
    "radam": {"lr": 0.02},
    "adafactor": {"lr": 0.02},
    "lion": {"lr": 0.02},
    "schedule_free_adamw": {"lr": 0.05},
}


def today_settings() -> list[dict]:
    return [
        {"surface": surface, "optimizer": optimizer, "hyperparameters": hp, "start": start}
        for optimizer, hp in TODAY.items()
        for surface, start in SURFACES.items()
    ]


def noisy_settings() -> list[dict]:
    """The settings of NOISY with each schedule."""
    return [
        {
            "surface": surface,
            "optimizer": optimizer,
            "hyperparameters": hp,
            "start": SURFACES[surface],
            "schedule": schedule,
            "sigma": sigma,
            "seed": seed,
        }
        for schedule in SCHEDULES
        for surface, optimizer, hp, sigma, seed in NOISY
        if schedule != "constant" or sigma != 0
    ]


LESSON = {
    "slug": "playground",
    "title": "Optimizer playground",
    "page": "playground.md",
    "playgrounds": {
        "optimizers": {
            "title": "Optimizer playground",
            "surfaces": SURFACES,
            "grid": 96,
            # Where the sliders start for hyperparameters with no default of their own.
            "initial": {"lr": 0.01},
            "schedules": SCHEDULES,
            "lengths": LENGTHS,
            # σ of the gradient noise: 0 (off) or within this range; Rosenbrock's gradients
            # reach thousands, the bowl's a few units.
            "noise": [0.01, 100.0],
            "steps": STEPS,
            "reference": lesson_settings() + today_settings() + noisy_settings(),
        }
    },
}
