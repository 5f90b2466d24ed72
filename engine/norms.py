"""Vector norms: the sizes the L1 and L2 penalties measure."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from engine._validate import as_array, as_scalar


def norm(x: ArrayLike, p: float = 2) -> float:
    """The Lp norm of the entries of ``x``: (Σ|xᵢ|ᵖ)^(1/p), and max|xᵢ| for p = ∞.

    Parameters
    ----------
    x : array_like of shape (n,) or any shape
        The entries; a matrix is treated as the vector of its entries (Frobenius for p=2).
    p : float >= 1 or numpy.inf, default 2
        Below 1 the formula is not a norm (the triangle inequality fails): refused.

    Returns
    -------
    float

    Examples
    --------
    >>> norm([3, -4], 1), norm([3, -4], 2), norm([3, -4], np.inf)
    (7.0, 5.0, 4.0)
    """
    arr = as_array(x, "x")
    p = as_scalar(p, "p") if not (isinstance(p, float) and math.isinf(p)) else p
    if p == math.inf:
        return float(np.max(np.abs(arr)))
    if p < 1:
        raise ValueError(f"p: expected p >= 1 or inf (below 1 it is not a norm), got {p:g}")
    a = np.abs(arr).ravel()
    if p == 1:
        return float(a.sum())
    if p == 2:
        return float(math.sqrt(float(a @ a)))
    # Scale by the largest entry so large p neither overflows nor underflows.
    top = float(a.max())
    if top == 0.0:
        return 0.0
    return float(top * np.sum((a / top) ** p) ** (1.0 / p))


def l1_norm(x: ArrayLike) -> float:
    """‖x‖₁ = Σ|xᵢ| (the Manhattan length; the L1 penalty without λ).

    >>> l1_norm([1, -2, 3])
    6.0
    """
    return norm(x, 1)


def l2_norm(x: ArrayLike) -> float:
    """‖x‖₂ = √(Σxᵢ²) (the Euclidean length).

    >>> l2_norm([1, 2, 2])
    3.0
    """
    return norm(x, 2)


def squared_l2_norm(x: ArrayLike) -> float:
    """‖x‖₂² = Σxᵢ² — what the L2 penalty sums, with no square root.

    >>> squared_l2_norm([1, 2, 2])
    9.0
    """
    arr = as_array(x, "x").ravel()
    return float(arr @ arr)
