"""What the tuning figures share: each study's problem named for a reader, and the table of scores
``[problems, optimizers]`` of one tuning mode (NaN: the optimizer does not apply there)."""

from __future__ import annotations

import numpy as np

from descent.surfaces import get_surface


def problem_name(recipe: dict) -> str:
    """ "Rosenbrock" or "moons, 2×8 tanh"."""
    problem = recipe["problem"]
    if "surface" in problem:
        return get_surface(problem["surface"]).title
    net = problem["network"]
    return f"{net['dataset']}, {len(net['hidden'])}×{net['hidden'][0]} {net['activation']}"


def optimizer_order(studies: list) -> list[str]:
    """Every optimizer of the studies, in the order they list them."""
    return list(dict.fromkeys(str(name) for s in studies for name in s["optimizers"]))


def score_table(studies: list, mode: str, optimizers: list[str]) -> np.ndarray:
    """Each study's scores in ``mode`` by optimizer (NaN where it does not apply or is not studied)."""
    table = np.full((len(studies), len(optimizers)), np.nan)
    for p, study in enumerate(studies):
        names = [str(n) for n in study["optimizers"]]
        for o, name in enumerate(optimizers):
            if name in names:
                table[p, o] = study[f"{mode}.scores"][names.index(name)]
    return table
