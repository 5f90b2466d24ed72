"""Training-time regularizers: weight decay and early stopping."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine._scaled import overflow, sum_terms
from engine._validate import as_array, as_vector, non_negative, positive_int, same_shape


def weight_decay_step(
    w: ArrayLike, grad: ArrayLike, lr: float, decay: float
) -> NDArray[np.float64]:
    """One gradient step with weight decay: w − lr·(grad + decay·w).

    Equivalently w·(1 − lr·decay) − lr·grad: each step first shrinks the weights by a
    constant factor. For plain gradient descent this is L2 regularization:

    * with the penalty (λ/2)·‖w‖₂², whose gradient is λw, ``decay = λ``;
    * with the penalty λ·‖w‖₂² (the source notes' convention), whose gradient is 2λw,
      ``decay = 2λ``.

    (With adaptive optimizers such as Adam the two are no longer the same; AdamW applies
    the decay separately from the adaptive gradient.)

    Parameters
    ----------
    w : array_like
        Current weights.
    grad : array_like of w's shape
        Gradient of the data loss at w.
    lr : float >= 0
        Learning rate η.
    decay : float >= 0
        Weight-decay coefficient.

    Returns
    -------
    ndarray of w's shape
        Exact to rounding whenever float64 can hold it, even where a product on the way
        (decay·w, lr·grad) would overflow.

    Raises
    ------
    ValueError
        Naming ``w`` when an entry of the new weights is beyond float64.

    Examples
    --------
    >>> weight_decay_step([1.0, -2.0], [0.5, 0.5], lr=0.1, decay=0.1)
    array([ 0.94, -2.03])
    """
    wa = as_array(w, "w")
    ga = as_array(grad, "grad")
    same_shape(wa, ga, "w", "grad")
    lr = non_negative(lr, "lr")
    decay = non_negative(decay, "decay")
    with np.errstate(over="raise", under="raise"):
        try:
            return wa - lr * (ga + decay * wa)
        except FloatingPointError:
            pass
    # A product on the way overflowed, or underflowed and lost a term that mattered
    # (decay·w below 1e-308 times a huge lr): redo the step with nothing on the way to
    # overflow or underflow, and refuse it if the true value is beyond float64.
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        out = _step_scaled(wa.reshape(-1), ga.reshape(-1), lr, decay)
    if not np.all(np.isfinite(out)):
        raise overflow("w", "w − lr·(grad + decay·w)")
    return out.reshape(wa.shape) if wa.ndim else out[0]


def _step_scaled(w: NDArray[np.float64], g: NDArray[np.float64], lr: float,
                 decay: float) -> NDArray[np.float64]:
    """w − lr·g − lr·decay·w entry by entry, each term as mantissa·2^exponent.

    The mantissas (in [1/8, 1)) are brought to the exponent of each entry's largest term
    and added there, so only the final scaling by 2^exponent can overflow: inf exactly
    where the true value is beyond float64. A term that vanishes on the way is below
    2⁻¹⁰⁷⁴ of the largest. The caller sets the errstate.
    """
    mw, ew = np.frexp(w)
    mg, eg = np.frexp(g)
    ml, el = math.frexp(lr)
    md, ed = math.frexp(decay)
    m = np.stack([mw, -ml * mg, -(ml * md) * mw], axis=-1)
    e = np.stack([ew, eg + el, ew + (el + ed)], axis=-1)
    s, k = sum_terms(m, e)
    return np.ldexp(s, k)


def early_stopping_epoch(val_losses: ArrayLike, patience: int) -> int:
    """The 1-based epoch at which early stopping ends training.

    Training stops at the first epoch that ends ``patience`` epochs in a row without a
    new strict minimum of the validation loss; if that never happens, at the last epoch.
    (The weights kept are those of the best epoch, which is a different number.)

    Parameters
    ----------
    val_losses : array_like of shape (n_epochs,)
        Validation loss after each epoch.
    patience : int >= 1

    Examples
    --------
    >>> early_stopping_epoch([1.0, 0.8, 0.9, 0.85, 0.7], patience=2)
    4
    """
    losses = as_vector(val_losses, "val_losses")
    patience = positive_int(patience, "patience")
    best = np.inf
    waited = 0
    for epoch, loss in enumerate(losses.tolist(), start=1):
        if loss < best:
            best = loss
            waited = 0
        else:
            waited += 1
            if waited >= patience:
                return epoch
    return int(losses.shape[0])
