"""Produce a network's training record: train the recipe's tiny MLP with a real torch optimizer."""

from __future__ import annotations

from typing import Any

from descent.arrays import npz_bytes
from descent.networks import train


def produce(recipe: dict[str, Any]) -> dict[str, bytes]:
    return {"network.npz": npz_bytes(train(recipe).arrays)}
