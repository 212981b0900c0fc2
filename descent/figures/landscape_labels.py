"""How a landscape's network is named on a figure."""

from __future__ import annotations


def network_label(recipe: dict) -> str:
    """``moons, 2 × 16 tanh``, with the plane's peculiarities when it has any."""
    hidden = recipe["hidden"]
    shape = f"{len(hidden)} × {hidden[0]}" if len(set(hidden)) == 1 else "-".join(map(str, hidden))
    label = f"{recipe['dataset']}, {shape} {recipe['activation']}"
    if recipe.get("rescale", 1.0) != 1.0:
        label += f", first layer ×{recipe['rescale']:g}"
    if recipe.get("normalization") == "none":
        label += ", plain directions"
    return label
