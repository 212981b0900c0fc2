"""The course's lessons, in the order they are taught."""

from lessons import (
    adaptive,
    backprop,
    comparisons,
    gradient_descent,
    landscapes,
    learning_rate,
    loss_surfaces,
    momentum,
)

ALL = [loss_surfaces, gradient_descent, learning_rate, momentum, adaptive, comparisons, backprop, landscapes]
