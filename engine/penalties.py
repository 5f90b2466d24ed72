"""Regularization terms: L_total = L_data + λ·R(w), with R the L1 or L2 penalty.

``w`` may have any shape (the weights of a layer are a matrix; R sums over all of them).
The sums are scaled as the norms are, so λ·R(w) is exact whenever float64 can hold it,
however large R(w) alone would be, and a ``ValueError`` naming ``w`` when it cannot.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine._scaled import Scaled, overflow, sum_abs, sum_squares, times, to_float
from engine._validate import as_array, as_scalar, non_negative

PenaltyKind = Literal["l1", "l2"]


def l1_penalty(w: ArrayLike, lam: float) -> float:
    """λ·Σ|wⱼ| — the L1 (Lasso) penalty.

    >>> l1_penalty([1, -2, 0], 0.5)
    1.5
    """
    return to_float(_scaled_penalty(w, lam, "l1"), "w", _WHAT["l1"])


def l2_penalty(w: ArrayLike, lam: float) -> float:
    """λ·Σwⱼ² = λ·‖w‖₂² — the L2 (Ridge) penalty, with no 1/2 in front.

    >>> l2_penalty([1, -2, 0], 0.5)
    2.5
    """
    return to_float(_scaled_penalty(w, lam, "l2"), "w", _WHAT["l2"])


_WHAT = {"l1": "λ·Σ|wⱼ|", "l2": "λ·Σwⱼ²"}


def _scaled_penalty(w: ArrayLike, lam: float, kind: str) -> Scaled:
    """λ·R(w) as (s, k), the value being s·2ᵏ (see ``engine._scaled``)."""
    arr = as_array(w, "w")
    total = sum_abs(arr) if kind == "l1" else sum_squares(arr)
    return times(non_negative(lam, "lam"), total)


def _check_kind(kind: object) -> str:
    if isinstance(kind, str) and kind in _WHAT:
        return kind
    raise ValueError(f"kind: expected 'l1' or 'l2', got {kind!r}")


def penalty(w: ArrayLike, lam: float, kind: PenaltyKind) -> float:
    """λ·R(w) with R = Σ|wⱼ| for ``kind="l1"`` and Σwⱼ² for ``kind="l2"``."""
    kind = _check_kind(kind)
    return to_float(_scaled_penalty(w, lam, kind), "w", _WHAT[kind])


def regularized_loss(data_loss: float, w: ArrayLike, lam: float, kind: PenaltyKind) -> float:
    """L_total = L_data + λ·R(w), R as in :func:`penalty`.

    Exact whenever float64 can hold the total, even if λ·R(w) alone cannot (a negative
    ``data_loss`` may bring it back); otherwise ``ValueError`` naming ``w`` when the
    penalty alone is beyond float64, else ``data_loss``.

    >>> regularized_loss(2.0, [1, -2], 0.1, "l2")
    2.5
    """
    data = as_scalar(data_loss, "data_loss")
    kind = _check_kind(kind)
    s, k = _scaled_penalty(w, lam, kind)
    # Both terms as mantissa·2^exponent, added at the larger exponent and scaled back:
    # scaling by powers of two is exact, so this is the plain sum data + λ·R(w) whenever
    # that does not overflow, and only the final scaling can.
    md, ed = math.frexp(data)
    mp, ep = math.frexp(s)
    ep += k
    top = max(e for m, e in ((md, ed), (mp, ep)) if m != 0.0) if data or s else 0
    try:
        return math.ldexp(math.ldexp(md, ed - top) + math.ldexp(mp, ep - top), top)
    except OverflowError:
        pass
    try:
        math.ldexp(s, k)
    except OverflowError:
        raise overflow("w", _WHAT[kind]) from None
    raise overflow("data_loss", "data_loss + " + _WHAT[kind])


def l1_gradient(w: ArrayLike, lam: float) -> NDArray[np.float64]:
    """A subgradient of λ·Σ|wⱼ|: λ·sign(wⱼ), taking 0 at wⱼ = 0.

    Its size does not shrink as wⱼ → 0, which is why L1 pushes weights to exactly zero.
    """
    return non_negative(lam, "lam") * np.sign(as_array(w, "w"))


def l2_gradient(w: ArrayLike, lam: float) -> NDArray[np.float64]:
    """The gradient of λ·Σwⱼ²: 2λ·w (with the (λ/2)·‖w‖² convention it is λ·w).

    Raises ``ValueError`` naming ``w`` when an entry of 2λ·w is beyond float64.
    """
    lam = non_negative(lam, "lam")
    arr = as_array(w, "w")
    # (λ·w)·2: one rounding, and doubling is exact, so an entry overflows only when its
    # true value does (2λ first could overflow for a λ near float64's limit).
    with np.errstate(over="raise", under="ignore"):
        try:
            return (lam * arr) * 2.0
        except FloatingPointError:
            raise overflow("w", "2·λ·w") from None
