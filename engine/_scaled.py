"""Sums of magnitudes and squares that overflow only when their true value does.

float64 holds magnitudes up to about 1.8e308, but a square overflows from 1.35e154 and
vanishes below 1e-162, so Σxᵢ² computed naively is inf for [1e200, 1e200] (whose L2 norm,
1.41e200, is an ordinary number) and 0 for [1e-200, 1e-200]. The sums here are returned
as a pair (s, k) standing for s·2ᵏ: when the plain sum cannot be trusted, the entries are
first divided by the power of two just above the largest (exact in binary, as LAPACK's
nrm2 and ``math.hypot`` scale), so s stays between 2⁻² and n. Only the final
:func:`to_float` can overflow, and then the true value is beyond float64 and the caller
gets a ``ValueError`` naming its argument.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

# Below this, a sum of squares may have lost terms to underflow (each lost term is under
# 2⁻¹⁰⁷⁴, so above it the loss is below 2⁻¹¹⁴ relative for any array that fits in memory).
_TRUSTED_SQUARES = 2.0**-960

Scaled = tuple[float, int]


def _top_exponent(a: NDArray[np.float64]) -> int:
    """k with max|aᵢ| < 2ᵏ (0 for an all-zero array)."""
    return math.frexp(float(np.max(np.abs(a))))[1]


def sum_abs(a: NDArray[np.float64]) -> Scaled:
    """Σ|aᵢ| as (s, k), the value being s·2ᵏ.

    A sum of magnitudes only overflows when its true value is near float64's limit, so the
    plain sum is kept when it is finite; otherwise the entries are scaled first.
    """
    with np.errstate(over="ignore"):
        total = float(np.abs(a).sum())
    if math.isfinite(total):
        return total, 0
    k = _top_exponent(a)
    with np.errstate(under="ignore"):
        return float(np.abs(np.ldexp(a, -k)).sum()), k


def sum_squares(a: NDArray[np.float64]) -> Scaled:
    """Σaᵢ² as (s, k), the value being s·2ᵏ (k is even: its square root is √s·2^(k/2)).

    The plain dot product is kept when it is finite and large enough that no square
    can have underflowed to a meaningful loss; otherwise the entries are scaled first.
    """
    flat = a.ravel()
    with np.errstate(over="ignore", under="ignore"):
        total = float(flat @ flat)
    if math.isfinite(total) and total >= _TRUSTED_SQUARES:
        return total, 0
    k = _top_exponent(flat)
    with np.errstate(under="ignore"):
        scaled = np.ldexp(flat, -k)
        return float(scaled @ scaled), 2 * k


def times(factor: float, value: Scaled) -> Scaled:
    """factor·(s·2ᵏ) for a finite factor, with no overflow or underflow on the way: both
    are split into mantissa and exponent, and the mantissas' product is in [1/4, 1)."""
    m, e = math.frexp(factor)
    ms, es = math.frexp(value[0])
    return m * ms, value[1] + e + es


def to_float(value: Scaled, name: str, what: str) -> float:
    """s·2ᵏ as a float, or ``ValueError`` naming ``name`` when it is beyond float64.

    Parameters
    ----------
    value : (float, int)
    name : str
        The argument the caller reports (the one whose size made the value).
    what : str
        The quantity, as the message shows it (e.g. ``"Σxᵢ²"``).
    """
    s, k = value
    try:
        return math.ldexp(s, k)
    except OverflowError:
        raise overflow(name, what) from None


# The exponent given to a zero term, far below any real one, so that it never sets the
# common exponent of a sum (frexp gives zero the exponent 0).
_ABSENT = -(1 << 20)


def sum_terms(m: NDArray[np.float64], e: NDArray[np.integer]) -> tuple[NDArray[np.float64],
                                                                      NDArray[np.integer]]:
    """Σⱼ mⱼ·2^eⱼ along the last axis, as arrays (s, k) with the value s·2ᵏ.

    Each row's terms are brought to the exponent of its largest term and added there, so
    nothing on the way overflows, and a term can vanish only if it is below 2⁻¹⁰⁷⁴ of the
    largest. The mantissas m are frexp's (|m| in [1/2, 1), or a product of such). The
    caller sets the errstate (ldexp underflows the vanishing terms).
    """
    e = np.where(m != 0.0, e, _ABSENT)
    top = e.max(axis=-1, keepdims=True)
    s = np.ldexp(m, np.maximum(e - top, -1100)).sum(axis=-1)
    k = top[..., 0]
    return s, np.where(k == _ABSENT, 0, k)


def overflow(name: str, what: str) -> ValueError:
    """The error for a true value beyond float64, in one wording for the whole engine."""
    return ValueError(f"{name}: {what} overflows float64 (its true value is beyond "
                      f"±1.8e308); rescale {name}")
