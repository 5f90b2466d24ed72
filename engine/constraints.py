"""Norm constraints: max-norm, the projection that keeps a weight vector inside a ball.

After each update, a unit's incoming weight vector w is projected back onto
{w : ‖w‖₂ <= c}: w·min(1, c/‖w‖₂). A vector already inside is left alone; one outside
keeps its direction and gets length c. Unlike an L2 penalty the weights are never
pulled when inside the ball, and a large learning rate cannot make them explode.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine._scaled import sum_squares
from engine._validate import as_array, positive

FloatArray = NDArray[np.float64]


def max_norm(w: ArrayLike, c: float) -> FloatArray:
    """w·min(1, c/‖w‖₂): w projected onto the L2 ball of radius c.

    Parameters
    ----------
    w : array_like of shape (d,)
        One unit's weight vector (a number for a single weight).
    c : float > 0
        The largest L2 norm allowed.

    Returns
    -------
    ndarray of w's shape
        Of norm min(‖w‖₂, c) and w's direction; w = 0 stays 0.

    Examples
    --------
    >>> max_norm([3.0, 4.0], 2.0)
    array([1.2, 1.6])
    >>> max_norm([0.3, 0.4], 2.0)
    array([0.3, 0.4])
    """
    wa = as_array(w, "w")
    if wa.ndim > 1:
        raise ValueError(f"w: expected one weight vector (a number or a 1-D list), got a "
                         f"{wa.ndim}-D array of shape {wa.shape}; max-norm constrains each "
                         "unit's vector separately, so give one row at a time")
    c = positive(c, "c")
    if not np.any(wa):
        return wa + 0.0
    # ‖w‖₂ = √s·2^(k/2) (k even); c/‖w‖₂ formed without ever forming ‖w‖₂, which can be
    # beyond float64 for entries near its limit.
    s, k = sum_squares(wa)
    try:
        ratio = math.ldexp(c / math.sqrt(s), -k // 2)
    except OverflowError:  # ‖w‖₂ far below c
        ratio = math.inf
    if ratio >= 1.0:
        return wa.copy()
    with np.errstate(under="ignore"):
        return wa * ratio


__all__ = ["max_norm"]
