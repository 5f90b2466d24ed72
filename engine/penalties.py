"""Regularization terms: L_total = L_data + λ·R(w), with R the L1 or L2 penalty."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine._validate import as_array, as_scalar, non_negative

PenaltyKind = Literal["l1", "l2"]


def l1_penalty(w: ArrayLike, lam: float) -> float:
    """λ·Σ|wⱼ| — the L1 (Lasso) penalty.

    >>> l1_penalty([1, -2, 0], 0.5)
    1.5
    """
    arr = as_array(w, "w")
    return non_negative(lam, "lam") * float(np.abs(arr).sum())


def l2_penalty(w: ArrayLike, lam: float) -> float:
    """λ·Σwⱼ² = λ·‖w‖₂² — the L2 (Ridge) penalty, with no 1/2 in front.

    >>> l2_penalty([1, -2, 0], 0.5)
    2.5
    """
    arr = as_array(w, "w").ravel()
    return non_negative(lam, "lam") * float(arr @ arr)


def penalty(w: ArrayLike, lam: float, kind: PenaltyKind) -> float:
    """λ·R(w) with R = Σ|wⱼ| for ``kind="l1"`` and Σwⱼ² for ``kind="l2"``."""
    if kind == "l1":
        return l1_penalty(w, lam)
    if kind == "l2":
        return l2_penalty(w, lam)
    raise ValueError(f"kind: expected 'l1' or 'l2', got {kind!r}")


def regularized_loss(data_loss: float, w: ArrayLike, lam: float, kind: PenaltyKind) -> float:
    """L_total = L_data + λ·R(w), R as in :func:`penalty`.

    >>> regularized_loss(2.0, [1, -2], 0.1, "l2")
    2.5
    """
    return as_scalar(data_loss, "data_loss") + penalty(w, lam, kind)


def l1_gradient(w: ArrayLike, lam: float) -> NDArray[np.float64]:
    """A subgradient of λ·Σ|wⱼ|: λ·sign(wⱼ), taking 0 at wⱼ = 0.

    Its size does not shrink as wⱼ → 0, which is why L1 pushes weights to exactly zero.
    """
    return non_negative(lam, "lam") * np.sign(as_array(w, "w"))


def l2_gradient(w: ArrayLike, lam: float) -> NDArray[np.float64]:
    """The gradient of λ·Σwⱼ²: 2λ·w (with the (λ/2)·‖w‖² convention it is λ·w)."""
    return 2.0 * non_negative(lam, "lam") * as_array(w, "w")
