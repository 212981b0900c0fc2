"""The course's lessons, in reading order. Each module holds one ``LESSON`` dict of plain data."""

from lessons import gradient_descent, learning_rate

ALL = [gradient_descent, learning_rate]
