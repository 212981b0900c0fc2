"""Where an optimizer's step stops being stable on a quadratic of curvature λ: the thresholds the
curvature lesson draws against a network's sharpness.

- Gradient descent, ``w -= η g``: stable while λ < 2/η.
- Heavy-ball momentum as ``torch.optim.SGD`` runs it (``b = β b + g``, ``w -= η b``): stable
  while λ < (2 + 2β)/η.
- Adam: with its preconditioner P held fixed, the update is EMA momentum on P⁻¹g
  (``m = β₁ m + (1 − β₁) g``, ``w -= η P⁻¹ m``), stable while the preconditioned sharpness
  λ_max(P⁻¹H) < (2 + 2β₁)/((1 − β₁)η) (Cohen et al. 2022). Here
  P = (1 − β₁ᵗ)(√(v / (1 − β₂ᵗ)) + ε), so that ``w -= η P⁻¹ m`` is torch's bias-corrected step.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def stability_threshold(optimizer: str, hp: Mapping[str, float]) -> float:
    """The largest (preconditioned, for Adam) sharpness at which ``optimizer`` with
    hyperparameters ``hp`` is stable on a quadratic."""
    lr = hp["lr"]
    if optimizer == "sgd":
        return 2 / lr
    if optimizer == "momentum" and not hp.get("dampening", 0.0):
        return (2 + 2 * hp["momentum"]) / lr
    if optimizer in ("adam", "adamw"):
        b1 = hp["beta1"]
        return (2 + 2 * b1) / ((1 - b1) * lr)
    raise ValueError(f"no stability threshold for {optimizer!r}; known: sgd, momentum, adam, adamw")


def adam_preconditioner(exp_avg_sq: np.ndarray, step: float, hp: Mapping[str, float]) -> np.ndarray:
    """The diagonal P of Adam's step ``w -= η P⁻¹ m`` after ``step`` steps, from its buffer v."""
    b1, b2 = hp["beta1"], hp["beta2"]
    return (1 - b1**step) * (np.sqrt(exp_avg_sq / (1 - b2**step)) + hp["eps"])


def preconditioned(optimizer: str) -> bool:
    """Whether the optimizer's threshold is on the preconditioned sharpness λ_max(P⁻¹H)."""
    return optimizer in ("adam", "adamw")
