"""Regularizers that act on the data: noise injection, label smoothing, mixup and the
adversarial examples of FGSM.

* Noise injection: adding ε ~ N(0, σ²I) to the input x of a linear model w makes the
  expected squared error E[(y − wᵀ(x + ε))²] = (y − wᵀx)² + σ²·‖w‖₂²: training with input
  noise is, on average, L2 regularization with λ = σ² (per example).
* Label smoothing replaces a one-hot target y over K classes by (1 − ε)·y + ε/K.
* Mixup trains on λ·x₁ + (1 − λ)·x₂ with the labels mixed the same way.
* FGSM (the fast gradient sign method) moves x by ε in the sign of the loss gradient:
  x + ε·sign(∇ₓL), the worst case of a max-norm (L∞) perturbation of size ε for a
  linear model; adversarial training adds such examples to the training set.

A value beyond float64 is a ``ValueError`` naming the argument, never inf.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine._scaled import Scaled, overflow, sum_squares, sum_terms, to_float
from engine._validate import (
    as_array,
    as_scalar,
    as_vector,
    non_negative,
    same_shape,
    unit_interval,
)

FloatArray = NDArray[np.float64]

# |Σyᵢ − 1| allowed for a probability vector (labels written with decimals, 1/3 + 1/3 + 1/3)
_SUM_TOLERANCE = 1e-9


def label_smoothing(y: ArrayLike, eps: float) -> FloatArray:
    """(1 − ε)·y + ε/K: the target y over K classes mixed with the uniform distribution.

    The true class of a one-hot y keeps 1 − ε + ε/K, every other class gets ε/K; the
    result still sums to 1. The model is no longer pushed towards infinitely large
    logits (a softmax reaches exactly 1 only in the limit).

    Parameters
    ----------
    y : array_like of shape (K,), K >= 2
        A one-hot vector, or any probability vector (entries in [0, 1] summing to 1).
    eps : float in [0, 1]
        ε, the amount of smoothing; 0 leaves y unchanged, 1 gives the uniform 1/K.

    Examples
    --------
    >>> label_smoothing([0, 1, 0, 0], 0.1)
    array([0.025, 0.925, 0.025, 0.025])
    """
    ya = as_vector(y, "y")
    k = ya.shape[0]
    if k < 2:
        raise ValueError(f"y: expected at least 2 classes, got {k}")
    if np.any(ya < 0) or np.any(ya > 1):
        raise ValueError("y: expected a one-hot or probability vector, entries in [0, 1]; "
                         f"got {float(ya.min()):g} .. {float(ya.max()):g}")
    total = float(ya.sum())
    if abs(total - 1.0) > _SUM_TOLERANCE:
        raise ValueError(f"y: expected a one-hot or probability vector summing to 1, "
                         f"got a sum of {total:g}")
    eps = unit_interval(eps, "eps")
    return (1.0 - eps) * ya + eps / k


def _vector_pair(x: ArrayLike, w: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """x and w as vectors of one length (a number is a vector of one)."""
    xa = as_array(x, "x", ndim=(0, 1)).reshape(-1)
    wa = as_array(w, "w", ndim=(0, 1)).reshape(-1)
    if wa.shape != xa.shape:
        raise ValueError(f"w: expected {xa.shape[0]} values (one per entry of x), "
                         f"got {wa.shape[0]}")
    return xa, wa


def _add(a: Scaled, b: Scaled) -> Scaled:
    """a + b for two non-negative values s·2ᵏ, with nothing on the way to overflow."""
    ma, ea = math.frexp(a[0])
    mb, eb = math.frexp(b[0])
    s, k = sum_terms(np.array([ma, mb]), np.array([ea + a[1], eb + b[1]]))
    return float(s), int(k)


_SMALLEST_PRODUCT = 2.0**-960


def _residual(y: float, w: FloatArray, x: FloatArray) -> float:
    """y − Σwⱼxⱼ, correctly rounded; ``ValueError`` naming x when beyond float64.

    The products are added with ``math.fsum``; when one of them (or a partial sum) is
    beyond float64 although the residual may not be (1e200·1e150 − 1e200·1e150), or so
    small that it lost digits, the sum is taken exactly in rationals instead.
    """
    with np.errstate(over="ignore", under="ignore"):
        products = w * x
    # a product below 2⁻⁹⁶⁰ may have lost digits to underflow: the exact sum then
    lost = np.any((np.abs(products) < _SMALLEST_PRODUCT) & (w != 0.0) & (x != 0.0))
    if np.all(np.isfinite(products)) and not lost:
        try:
            out = math.fsum([y, *(-products).tolist()])
        except OverflowError:  # a partial sum beyond float64
            out = math.inf
        if math.isfinite(out):
            return out
    pairs = zip(w.tolist(), x.tolist(), strict=True)
    exact = Fraction(y) - sum((Fraction(a) * Fraction(b) for a, b in pairs), Fraction(0))
    try:
        return float(exact)
    except OverflowError:
        raise overflow("x", "y − wᵀx") from None


def noise_injection_loss(x: ArrayLike, w: ArrayLike, y: float, sigma: float) -> float:
    """E[(y − wᵀ(x + ε))²] for ε ~ N(0, σ²I): (y − wᵀx)² + σ²·‖w‖₂².

    The cross term 2(y − wᵀx)·wᵀε has mean 0 and E[(wᵀε)²] = σ²·Σwⱼ², so the expected
    loss under input noise is the clean loss plus an L2 penalty with λ = σ².

    Parameters
    ----------
    x : array_like of shape (d,)
        The input (a number for one feature).
    w : array_like of shape (d,)
        The weights of the linear model wᵀx.
    y : float
        The target.
    sigma : float >= 0
        σ, the standard deviation of the noise added to each input.

    Examples
    --------
    >>> noise_injection_loss([1.0, 2.0], [0.5, -1.0], 1.0, 0.5)   # (1 − (−1.5))² + 0.25·1.25
    6.5625
    """
    xa, wa = _vector_pair(x, w)
    ya = as_scalar(y, "y")
    sigma = non_negative(sigma, "sigma")
    residual_value = _residual(ya, wa, xa)
    m_r, e_r = math.frexp(residual_value)
    residual = (m_r * m_r, 2 * e_r)  # r² as mantissa² · 2^(2e): never overflows here
    # σ²·Σwⱼ² with σ split into mantissa and exponent: σ² may underflow or overflow alone
    m, e = math.frexp(sigma)
    ss, ks = sum_squares(wa)
    noise = (m * m * ss, 2 * e + ks)
    what = "(y − wᵀx)² + σ²·‖w‖₂²"
    return to_float(_add(residual, noise), "x", what)


def fgsm(x: ArrayLike, grad: ArrayLike, eps: float) -> FloatArray:
    """x + ε·sign(grad): the fast gradient sign method's adversarial example.

    Each entry moves by exactly ε (up where the loss grows with it, down where it
    shrinks), none where the gradient is 0: the largest first-order increase of the
    loss among perturbations with max|δᵢ| <= ε.

    Parameters
    ----------
    x : array_like
        The input.
    grad : array_like of x's shape
        ∇ₓL, the gradient of the loss with respect to the input.
    eps : float >= 0

    Examples
    --------
    >>> fgsm([1.0, 2.0, 3.0], [0.3, -2.0, 0.0], 0.1)
    array([1.1, 1.9, 3. ])
    """
    xa = as_array(x, "x")
    ga = as_array(grad, "grad")
    same_shape(xa, ga, "x", "grad")
    eps = non_negative(eps, "eps")
    with np.errstate(over="ignore"):
        out = xa + eps * np.sign(ga)
    if not np.all(np.isfinite(out)):
        raise overflow("x", "x + eps·sign(grad)")
    return out + 0.0


def mixup(x1: ArrayLike, x2: ArrayLike, lam: float) -> FloatArray:
    """λ·x₁ + (1 − λ)·x₂: a mixup example (inputs) or its target (one-hot labels).

    Parameters
    ----------
    x1, x2 : array_like of one shape
        Two inputs, or their one-hot labels.
    lam : float in [0, 1]
        λ, drawn from Beta(α, α) in training.

    Examples
    --------
    >>> mixup([1.0, 0.0], [0.0, 1.0], 0.7)
    array([0.7, 0.3])
    """
    a = as_array(x1, "x1")
    b = as_array(x2, "x2")
    same_shape(a, b, "x1", "x2")
    lam = unit_interval(lam, "lam")
    with np.errstate(over="ignore", under="ignore"):
        out = lam * a + (1.0 - lam) * b
    if not np.all(np.isfinite(out)):  # x1, x2 both near ±1.8e308: the sum rounds past it
        raise overflow("x1", "lam·x1 + (1 − lam)·x2")
    return out


__all__ = ["fgsm", "label_smoothing", "mixup", "noise_injection_loss"]
