"""The course's lessons, in the order they are taught, then the playground (which checks itself
against the settings the lessons run)."""

from lessons import (
    adaptive,
    backprop,
    comparisons,
    curvature,
    gradient_descent,
    landscapes,
    learning_rate,
    loss_surfaces,
    momentum,
    schedules,
    stochastic,
    today,
)

TAUGHT = [
    loss_surfaces,
    gradient_descent,
    learning_rate,
    momentum,
    adaptive,
    stochastic,
    schedules,
    today,
    comparisons,
    backprop,
    landscapes,
    curvature,
]

from lessons import playground  # noqa: E402 - it reads TAUGHT

ALL = [*TAUGHT, playground]
