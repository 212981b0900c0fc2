"""Imported once by the build's fork server, so that every worker forked from it starts warm:
the heavy imports, and torch's first ``step()`` (which spends seconds on lazy imports), happen
here once instead of in each worker."""

import descent.figures  # noqa: F401
from descent.optim import torch_backend

torch_backend.warm_up()
