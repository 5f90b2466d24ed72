"""Dropout (masks over unit outputs) and DropConnect (masks over weights).

``p`` is always the probability of DROPPING an entry, as in PyTorch and Keras (the
original dropout paper wrote p for the probability of keeping one). Both use the
"inverted" scaling by default: the kept values are divided by (1 − p) during training so
the expected output equals the evaluation-time output, and evaluation needs no scaling.
Dropout also takes the original scheme (``inverted=False``, as in the original paper and
ゼロから作るDeep Learning): x·mask in training and x·(1 − p) at evaluation, which again
is the expected training output.

An output beyond float64 (x/(1 − p) for an x near 1.8e308) is a ``ValueError`` naming
the argument, not inf.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine._scaled import overflow, sum_terms
from engine._validate import as_array, as_flag, as_matrix, as_vector, probability, rng_from

FloatArray = NDArray[np.float64]
Mask = NDArray[np.int8]


def _check_mask(mask: ArrayLike, shape: tuple[int, ...], name: str = "mask") -> FloatArray:
    m = as_array(mask, name, allow_empty=True, allow_bool=True)
    if m.shape != shape:
        raise ValueError(f"{name}: expected shape {shape}, got {m.shape}")
    if not np.all((m == 0) | (m == 1)):
        raise ValueError(f"{name}: expected only 0 and 1")
    return m


def _check_layer(x: ArrayLike, W: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """x as a vector and W as a matrix with one column per entry of x."""
    xa = as_vector(x, "x")
    Wa = as_matrix(W, "W")
    if Wa.shape[1] != xa.shape[0]:
        raise ValueError(
            f"W: expected {xa.shape[0]} columns (one per entry of x), got shape {Wa.shape}"
        )
    return xa, Wa


def apply_dropout_mask(
    x: ArrayLike, mask: ArrayLike, p: float, train: bool = True, inverted: bool = True
) -> FloatArray:
    """Dropout with a given mask.

    Inverted (the default, as PyTorch and Keras): x·mask / (1 − p) in training, x at
    evaluation. Not inverted (the original scheme): x·mask in training, x·(1 − p) at
    evaluation. Either way the evaluation output is the expected training output.

    Parameters
    ----------
    x : array_like, any shape
        The unit outputs.
    mask : array_like of x's shape, 0/1
        1 keeps an entry, 0 drops it.
    p : float in [0, 1)
        Drop probability the mask was drawn with.
    train : bool, default True
    inverted : bool, default True
        Whether the 1/(1 − p) scaling is applied in training (True) or the (1 − p)
        scaling at evaluation (False).

    Examples
    --------
    >>> apply_dropout_mask([2.0, 4.0, 6.0, 8.0], [1, 0, 1, 0], p=0.5)
    array([ 4.,  0., 12.,  0.])
    >>> apply_dropout_mask([2.0, 4.0, 6.0, 8.0], [1, 0, 1, 0], p=0.5, inverted=False)
    array([2., 0., 6., 0.])
    >>> apply_dropout_mask([2.0, 4.0, 6.0, 8.0], [1, 0, 1, 0], p=0.5, train=False,
    ...                    inverted=False)
    array([1., 2., 3., 4.])
    """
    xa = as_array(x, "x")
    p = probability(p)
    m = _check_mask(mask, xa.shape)
    train = as_flag(train, "train")
    if not as_flag(inverted, "inverted"):
        # x·mask is exact; x·(1 − p) is smaller than x: neither can overflow
        with np.errstate(under="ignore"):
            return xa * m if train else xa * (1.0 - p)
    if not train:
        return xa.copy()
    # x·mask is exact and the division rounds once: it overflows only when x/(1 − p) does
    with np.errstate(over="raise", under="ignore"):
        try:
            return xa * m / (1.0 - p)
        except FloatingPointError:
            raise overflow("x", "x·mask/(1 − p)") from None


def dropout(
    x: ArrayLike, p: float, rng: np.random.Generator | int, train: bool = True
) -> tuple[FloatArray, Mask]:
    """Inverted dropout: drop each entry with probability ``p``, scale the rest by 1/(1 − p).

    Parameters
    ----------
    x : array_like, any shape
    p : float in [0, 1)
        Probability of dropping an entry.
    rng : numpy.random.Generator or int
        Source of the mask; the same seed gives the same mask.
    train : bool, default True
        At evaluation (False) nothing is dropped: out = x and the mask is all ones.

    Returns
    -------
    out : ndarray of x's shape
        x·mask / (1 − p) in training, x at evaluation; E[out] = x either way.
    mask : ndarray of int8, x's shape
        1 where an entry was kept. Drawn as ``rng.random(x.shape) >= p``.

    Examples
    --------
    >>> out, mask = dropout(np.ones(4), 0.5, rng=0)
    >>> sorted(set(out.tolist())) in ([0.0, 2.0], [2.0], [0.0])
    True
    """
    xa = as_array(x, "x")
    p = probability(p)
    if not as_flag(train, "train"):
        return xa.copy(), np.ones(xa.shape, dtype=np.int8)
    gen = rng_from(rng)
    keep = gen.random(xa.shape) >= p
    out = np.multiply(xa, keep)
    with np.errstate(over="raise", under="ignore"):
        try:
            out *= 1.0 / (1.0 - p)
        except FloatingPointError:
            raise overflow("x", "x·mask/(1 − p)") from None
    return out, keep.view(np.int8)


def apply_dropconnect_mask(
    x: ArrayLike, W: ArrayLike, mask: ArrayLike, p: float, scale: bool = True
) -> FloatArray:
    """DropConnect with a given mask over the weights: (W ⊙ mask)·x, divided by (1 − p)
    where ``scale``.

    Parameters
    ----------
    x : array_like of shape (n_in,)
    W : array_like of shape (n_out, n_in)
    mask : array_like of W's shape, 0/1
        1 keeps a connection (weight), 0 drops it.
    p : float in [0, 1)
    scale : bool, default True

    Examples
    --------
    >>> apply_dropconnect_mask([1.0, 2.0], [[1.0, 1.0], [2.0, -1.0]], [[1, 0], [1, 1]], 0.5)
    array([2., 0.])
    """
    xa, Wa = _check_layer(x, W)
    p = probability(p)
    m = _check_mask(mask, Wa.shape)
    return _connect(Wa * m, xa, p, as_flag(scale, "scale"))


def dropconnect(
    x: ArrayLike, W: ArrayLike, p: float, rng: np.random.Generator | int, scale: bool = True
) -> tuple[FloatArray, Mask]:
    """DropConnect: drop each WEIGHT with probability ``p`` (dropout drops unit outputs).

    Returns
    -------
    out : ndarray of shape (n_out,)
        (W ⊙ mask)·x, divided by (1 − p) where ``scale``.
    mask : ndarray of int8, W's shape
        Drawn as ``rng.random(W.shape) >= p``.
    """
    xa, Wa = _check_layer(x, W)
    p = probability(p)
    scale = as_flag(scale, "scale")
    gen = rng_from(rng)
    keep = (gen.random(Wa.shape) >= p).astype(np.int8)
    return _connect(Wa * keep, xa, p, scale), keep


def _connect(Wm: FloatArray, x: FloatArray, p: float, scale: bool) -> FloatArray:
    """(W ⊙ mask)·x, divided by (1 − p) where ``scale``; ``ValueError`` naming W when an
    entry is beyond float64.

    The plain product is kept for the rows it is exact on. A row whose sum overflowed on
    the way (a sum may cancel what its terms do not) or is so small that a product lost
    to underflow could matter (1/(1 − p) would magnify the loss) is redone term by term
    with nothing on the way to overflow or vanish. Finiteness is checked on the result,
    not by floating-point flags, which a threaded BLAS does not report.
    """
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        out = Wm @ x
        redo = ~(np.isfinite(out) & (np.abs(out) >= _TRUSTED_SUM))
        if scale:
            out = out / (1.0 - p)
            redo |= ~np.isfinite(out)
        if np.any(redo):
            mW, eW = np.frexp(Wm[redo])
            mx, ex = np.frexp(x)
            s, k = sum_terms(mW * mx, eW + ex)
            out[redo] = np.ldexp(s / (1.0 - p) if scale else s, k)
    if not np.all(np.isfinite(out)):
        raise overflow("W", "(W⊙mask)·x" + ("/(1 − p)" if scale else ""))
    return out


# A sum of products at least this large lost at most n·2⁻¹⁰⁷⁴ to underflow: below 2⁻¹¹⁴
# of itself for any n that fits in memory.
_TRUSTED_SUM = 2.0**-960


__all__ = ["apply_dropconnect_mask", "apply_dropout_mask", "dropconnect", "dropout"]
