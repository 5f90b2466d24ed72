"""Training-time regularizers: weight decay and early stopping."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

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
    return wa - lr * (ga + decay * wa)


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
