"""Training-time regularizers: weight decay (with SGD and with AdamW) and early stopping."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine._scaled import overflow, sum_terms
from engine._validate import (
    as_array,
    as_scalar,
    as_vector,
    non_negative,
    positive,
    positive_int,
    same_shape,
)


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


@dataclass(frozen=True)
class AdamWStep:
    """One AdamW step: the new weights ``w`` and moments ``m``, ``v`` (w's shape), to be
    passed back with ``t + 1`` for the next step."""

    w: NDArray[np.float64]
    m: NDArray[np.float64]
    v: NDArray[np.float64]


def _moment(value: ArrayLike, name: str, shape: tuple[int, ...]) -> NDArray[np.float64]:
    """A moment estimate: a number (the same for every weight) or an array of w's shape."""
    arr = as_array(value, name)
    if arr.ndim == 0:
        return np.full(shape, float(arr))
    if arr.shape != shape:
        raise ValueError(f"{name}: expected a number or the shape of w {shape}, got {arr.shape}")
    return arr


def _beta(value: float, name: str) -> float:
    out = as_scalar(value, name)
    if not 0.0 <= out < 1.0:
        raise ValueError(f"{name}: expected a decay rate in [0, 1), got {out:g}")
    return out


def adamw_step(
    w: ArrayLike,
    grad: ArrayLike,
    lr: float,
    decay: float,
    m: ArrayLike = 0.0,
    v: ArrayLike = 0.0,
    t: int = 1,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> AdamWStep:
    """One step of AdamW (decoupled weight decay), as ``torch.optim.AdamW`` takes it.

    1. w ← w·(1 − lr·decay)                 the decay, apart from the gradient
    2. m ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²
    3. m̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ)      bias correction
    4. w ← w − lr·m̂/(√v̂ + ε)

    With Adam and an L2 penalty the term decay·w would be added to g and then divided by
    √v̂, so weights with large gradients would be decayed less; AdamW decays every weight
    by the same factor. On the first step (m = v = 0, t = 1) m̂ = g and v̂ = g², so each
    weight moves by lr·decay·w plus about lr·sign(g).

    Parameters
    ----------
    w : array_like
        Current weights.
    grad : array_like of w's shape
        Gradient of the loss at w (without the decay).
    lr : float >= 0
    decay : float >= 0
        PyTorch's ``weight_decay`` (multiplied by lr in step 1).
    m, v : number or array_like of w's shape, default 0
        First and second moment estimates from the previous step (v >= 0).
    t : int >= 1, default 1
        The number of this step (1 for the first).
    beta1, beta2 : float in [0, 1), default 0.9 and 0.999
    eps : float > 0, default 1e-8

    Returns
    -------
    AdamWStep
        ``w``, ``m`` and ``v`` after the step.

    Examples
    --------
    >>> step = adamw_step([1.0, -2.0], [0.5, -0.1], lr=0.1, decay=0.1)
    >>> np.round(step.w, 6)
    array([ 0.89, -1.88])
    """
    wa = as_array(w, "w")
    ga = as_array(grad, "grad")
    same_shape(wa, ga, "w", "grad")
    lr = non_negative(lr, "lr")
    decay = non_negative(decay, "decay")
    ma = _moment(m, "m", wa.shape)
    va = _moment(v, "v", wa.shape)
    if np.any(va < 0):
        raise ValueError(f"v: expected a second moment >= 0, got {float(va.min()):g}")
    t = positive_int(t, "t")
    beta1 = _beta(beta1, "beta1")
    beta2 = _beta(beta2, "beta2")
    eps = positive(eps, "eps")
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        m_new = beta1 * ma + (1.0 - beta1) * ga
        v_new = beta2 * va + (1.0 - beta2) * ga * ga
        if not (np.all(np.isfinite(m_new)) and np.all(np.isfinite(v_new))):
            raise overflow("grad", "the moment estimate β₂·v + (1 − β₂)·grad²")
        # 1 − βᵗ without cancellation: −expm1(t·log β) (β = 0 gives 1)
        c1 = -math.expm1(t * math.log(beta1)) if beta1 > 0 else 1.0
        c2 = -math.expm1(t * math.log(beta2)) if beta2 > 0 else 1.0
        m_hat = m_new / c1
        v_hat = v_new / c2
        w_new = wa * (1.0 - lr * decay) - lr * m_hat / (np.sqrt(v_hat) + eps)
    if not np.all(np.isfinite(w_new)):
        raise overflow("w", "w·(1 − lr·decay) − lr·m̂/(√v̂ + eps)")
    return AdamWStep(w=w_new, m=m_new, v=v_new)
