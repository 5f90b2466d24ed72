"""Bagging and ensembles: why averaging models helps, and what a bootstrap sample holds.

* k models whose errors have variance v and pairwise covariance c: the mean of their
  predictions has expected squared error v/k + (k − 1)·c/k. Independent errors (c = 0)
  give v/k; perfectly correlated ones (c = v) give v, no gain at all.
* A bootstrap sample draws n examples from n with replacement: it holds on average a
  fraction 1 − (1 − 1/n)ⁿ of distinct examples, tending to 1 − 1/e ≈ 0.632; the rest
  (about 36.8 %) are left out ("out-of-bag") and duplicates take their place.
"""

from __future__ import annotations

import math

from engine._validate import as_scalar, non_negative, positive_int


def ensemble_error(k: int, v: float, c: float) -> float:
    """v/k + (k − 1)·c/k: the expected squared error of the mean of k models.

    With errors εᵢ of E[εᵢ²] = v and E[εᵢεⱼ] = c (i ≠ j), E[(Σεᵢ/k)²] = (k·v + k(k − 1)·c)/k².

    Parameters
    ----------
    k : int >= 1
        The number of models averaged.
    v : float >= 0
        The variance of each model's error.
    c : float
        The covariance of two models' errors: at most v, and at least −v/(k − 1) (below
        that no k errors can have these covariances).

    Examples
    --------
    >>> ensemble_error(4, 2.0, 0.0), ensemble_error(4, 2.0, 2.0), ensemble_error(4, 2.0, 1.0)
    (0.5, 2.0, 1.25)
    """
    k = positive_int(k, "k")
    v = non_negative(v, "v")
    c = as_scalar(c, "c")
    if c > v:
        raise ValueError(f"c: expected a covariance at most the variance v = {v:g}, got {c:g}")
    if k > 1 and c < -v / (k - 1):
        raise ValueError(f"c: expected a covariance >= −v/(k − 1) = {-v / (k - 1):g} (no {k} "
                         f"errors of variance {v:g} have a lower one), got {c:g}")
    # v/k + c·(k − 1)/k: each term at most max(v, |c|), so nothing overflows on the way
    return v / k + c * ((k - 1) / k)


def bootstrap_unique_fraction(n: int) -> float:
    """1 − (1 − 1/n)ⁿ: the expected fraction of distinct examples in a bootstrap sample.

    Each example is missed by all n draws with probability (1 − 1/n)ⁿ; as n grows this
    tends to 1/e, so a bootstrap sample holds about 63.2 % of the examples.

    Parameters
    ----------
    n : int >= 1
        The size of the data set, and of the sample drawn from it with replacement.

    Examples
    --------
    >>> bootstrap_unique_fraction(1), bootstrap_unique_fraction(2), bootstrap_unique_fraction(4)
    (1.0, 0.75, 0.68359375)
    """
    n = positive_int(n, "n")
    if n == 1:
        return 1.0
    if n > 2**62:  # (1 − 1/n)ⁿ = e⁻¹·(1 − 1/(2n) + …): the correction is below float64's
        return -math.expm1(-1.0)
    # (1 − 1/n)ⁿ = exp(n·log(1 − 1/n)), with log1p and expm1 so nothing cancels
    return -math.expm1(n * math.log1p(-1.0 / n))


__all__ = ["bootstrap_unique_fraction", "ensemble_error"]
