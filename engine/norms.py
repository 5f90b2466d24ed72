"""Vector norms: the sizes the L1 and L2 penalties measure."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine._scaled import overflow, sum_abs, sum_squares, to_float
from engine._validate import as_array, as_scalar


def _vector(x: ArrayLike) -> NDArray[np.float64]:
    """``x`` as a number or a 1-D array: the norms here are vector norms, and a matrix
    flattened without a word would hide a wrong argument."""
    arr = as_array(x, "x")
    if arr.ndim > 1:
        raise ValueError(
            f"x: expected a vector (a number or a 1-D list of numbers), got a {arr.ndim}-D "
            f"array of shape {arr.shape}; for the norm of a matrix's entries, give them as "
            "one list"
        )
    return arr


def norm(x: ArrayLike, p: float = 2) -> float:
    """The Lp norm of the vector ``x``: (Σ|xᵢ|ᵖ)^(1/p), and max|xᵢ| for p = ∞.

    The sums are scaled by the largest entry, so any result float64 can hold is returned
    to full precision, even when |xᵢ|ᵖ itself would overflow or vanish.

    Parameters
    ----------
    x : array_like of shape (n,), or a number
        A matrix is refused: give ``np.ravel(x)`` for the norm of its entries (Frobenius
        for p = 2).
    p : float >= 1 or numpy.inf, default 2
        Below 1 the formula is not a norm (the triangle inequality fails): refused.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Naming ``x`` when the true norm is beyond float64 (about 1.8e308).

    Examples
    --------
    >>> norm([3, -4], 1), norm([3, -4], 2), norm([3, -4], np.inf)
    (7.0, 5.0, 4.0)
    """
    arr = _vector(x)
    # inf is the one non-finite p: numpy's float32 inf as well as math.inf
    p = math.inf if isinstance(p, float | np.floating) and p == math.inf else as_scalar(p, "p")
    if p == math.inf:
        return float(np.max(np.abs(arr)))
    if p < 1:
        raise ValueError(f"p: expected p >= 1 or inf (below 1 it is not a norm), got {p:g}")
    if p == 1:
        return to_float(sum_abs(arr), "x", "‖x‖₁ = Σ|xᵢ|")
    if p == 2:
        s, k = sum_squares(arr)
        return to_float((math.sqrt(s), k // 2), "x", "‖x‖₂")
    return _lp(np.abs(arr).ravel(), p)


def _lp(a: NDArray[np.float64], p: float) -> float:
    """(Σaᵢᵖ)^(1/p) for aᵢ >= 0, scaled by the largest entry: (aᵢ/max)ᵖ <= 1 cannot
    overflow, and a term that vanishes adds less than 2⁻¹⁰⁷⁴ to a sum of at least 1."""
    top = float(a.max())
    if top == 0.0:
        return 0.0
    with np.errstate(under="ignore"):
        root = float(np.sum((a / top) ** p)) ** (1.0 / p)
    out = top * root  # Python floats: inf, not a warning, when the true norm overflows
    if math.isinf(out):
        raise overflow("x", f"‖x‖_p for p = {p:g}")
    return out


def l1_norm(x: ArrayLike) -> float:
    """‖x‖₁ = Σ|xᵢ| (the Manhattan length; the L1 penalty without λ).

    >>> l1_norm([1, -2, 3])
    6.0
    """
    return norm(x, 1)


def l2_norm(x: ArrayLike) -> float:
    """‖x‖₂ = √(Σxᵢ²) (the Euclidean length), scaled so that no square overflows.

    >>> l2_norm([1, 2, 2])
    3.0
    """
    return norm(x, 2)


def squared_l2_norm(x: ArrayLike) -> float:
    """‖x‖₂² = Σxᵢ² — what the L2 penalty sums, with no square root.

    Raises ``ValueError`` naming ``x`` when Σxᵢ² is beyond float64 (any |xᵢ| above
    1.35e154 is enough).

    >>> squared_l2_norm([1, 2, 2])
    9.0
    """
    return to_float(sum_squares(_vector(x)), "x", "‖x‖₂² = Σxᵢ²")
