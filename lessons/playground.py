"""The optimizer playground: every 2-D surface with a default start, and the settings its in-page
optimizers are checked against, which are every setting the other lessons run on those surfaces
(each for ``STEPS`` steps, whatever the lesson's own count). Plain data."""

from lessons import TAUGHT

STEPS = 200
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
            "steps": STEPS,
            "reference": lesson_settings(),
        }
    },
}
