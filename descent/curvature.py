"""Curvature of a network's training loss: the top eigenvalues of its Hessian, from
Hessian-vector products (``torch.func``) and the Lanczos iteration, without ever forming the
Hessian; and the full Hessian, for networks small enough, to check them against.

A network's loss is seen as a function of one flat vector of its parameters (in the order of their
sorted names, as ``descent.landscape.flatten`` orders them), so the same code serves any of the
course's MLPs and any loss.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch.func import functional_call, grad, hessian, jvp

FlatLoss = Callable[[torch.Tensor], torch.Tensor]


def flat_loss(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, loss: Callable) -> FlatLoss:
    """``θ -> loss(model with parameters θ (x), y)``, ``θ`` flat, in sorted-name order."""
    names = sorted(name for name, _ in model.named_parameters())
    shapes = {name: p.shape for name, p in model.named_parameters()}
    sizes = [shapes[name].numel() for name in names]

    def at(theta: torch.Tensor) -> torch.Tensor:
        parts = torch.split(theta, sizes)
        params = {name: part.reshape(shapes[name]) for name, part in zip(names, parts, strict=True)}
        return loss(functional_call(model, params, (x,)), y)

    return at


def flat_parameters(model: torch.nn.Module) -> torch.Tensor:
    return torch.cat([p.detach().reshape(-1) for _, p in sorted(model.named_parameters())])


def hvp(f: FlatLoss, theta: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """The Hessian of ``f`` at ``theta`` times ``v``: forward-mode derivative of the gradient."""
    return jvp(grad(f), (theta,), (v,))[1]


def full_hessian(f: FlatLoss, theta: torch.Tensor) -> torch.Tensor:
    """The whole ``n x n`` Hessian (``n`` parameters): for checking, on small networks."""
    return hessian(f)(theta)


def lanczos(f: FlatLoss, theta: torch.Tensor, steps: int = 40, seed: int = 0) -> tuple[torch.Tensor, int]:
    """The Ritz values of ``f``'s Hessian at ``theta`` after ``steps`` Lanczos steps (fewer if the
    Krylov space closes), in increasing order, and the number of Hessian-vector products used; a
    single NaN where a product is not finite (diverged weights).

    Full reorthogonalization keeps the basis orthogonal in finite precision, so the extreme Ritz
    values converge to the extreme eigenvalues without spurious copies (the basis is small: the
    course's networks have at most a few thousand parameters)."""
    n = theta.numel()
    steps = min(steps, n)
    generator = torch.Generator().manual_seed(seed)
    q = torch.randn(n, generator=generator, dtype=theta.dtype)
    q = q / q.norm()
    basis = [q]
    alphas: list[torch.Tensor] = []
    betas: list[torch.Tensor] = []
    products = 0
    for _ in range(steps):
        w = hvp(f, theta, basis[-1])
        products += 1
        if not torch.isfinite(w).all():  # weights that diverged have no curvature to speak of
            return torch.full((1,), float("nan"), dtype=theta.dtype), products
        alpha = w @ basis[-1]
        alphas.append(alpha)
        stacked = torch.stack(basis)
        w = w - stacked.T @ (stacked @ w)  # full reorthogonalization, twice is enough
        w = w - stacked.T @ (stacked @ w)
        beta = w.norm()
        if beta <= 1e-12 * max(1.0, float(alpha.abs())):
            break  # an invariant subspace: its Ritz values are exact eigenvalues
        betas.append(beta)
        basis.append(w / beta)
    k = len(alphas)
    tridiagonal = torch.diag(torch.stack(alphas))
    if k > 1:
        off = torch.stack(betas[: k - 1])
        tridiagonal = tridiagonal + torch.diag(off, 1) + torch.diag(off, -1)
    return torch.linalg.eigvalsh(tridiagonal), products


def top_eigenvalue(f: FlatLoss, theta: torch.Tensor, steps: int = 40, seed: int = 0) -> float:
    """The largest eigenvalue of ``f``'s Hessian at ``theta`` (the sharpness), by Lanczos."""
    values, _ = lanczos(f, theta, steps, seed)
    return float(values[-1])


def preconditioned_top_eigenvalue(
    f: FlatLoss, theta: torch.Tensor, preconditioner: torch.Tensor, steps: int = 40, seed: int = 0
) -> float:
    """The largest eigenvalue of P⁻¹H, ``H`` the Hessian of ``f`` at ``theta`` and ``P`` the
    positive diagonal ``preconditioner``: that of the symmetric P^(-1/2) H P^(-1/2), which is the
    Hessian of ``u -> f(theta + P^(-1/2) u)`` at ``u = 0``."""
    d = preconditioner.rsqrt()
    values, _ = lanczos(lambda u: f(theta + d * u), torch.zeros_like(theta), steps, seed)
    return float(values[-1])
