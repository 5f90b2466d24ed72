"""The numerical engine: norms, penalties, Lasso and Ridge, weight decay, dropout,
DropConnect and early stopping — pure numpy, in the source notes' conventions
(Σ(yᵢ − wᵀxᵢ)² with no 1/(2n), no intercept; dropout's p is the drop probability).

It never imports textual, yaml, sqlite3 or studyapp.
"""

from engine.dropout import apply_dropconnect_mask, apply_dropout_mask, dropconnect, dropout
from engine.linear import (
    ConvergenceWarning,
    LassoResult,
    PathResult,
    RidgeResult,
    lasso,
    lasso_path,
    ridge,
    ridge_path,
    soft_threshold,
)
from engine.norms import l1_norm, l2_norm, norm, squared_l2_norm
from engine.penalties import (
    l1_gradient,
    l1_penalty,
    l2_gradient,
    l2_penalty,
    penalty,
    regularized_loss,
)
from engine.training import early_stopping_epoch, weight_decay_step

__all__ = [
    "ConvergenceWarning",
    "LassoResult",
    "PathResult",
    "RidgeResult",
    "apply_dropconnect_mask",
    "apply_dropout_mask",
    "dropconnect",
    "dropout",
    "early_stopping_epoch",
    "l1_gradient",
    "l1_norm",
    "l1_penalty",
    "l2_gradient",
    "l2_norm",
    "l2_penalty",
    "lasso",
    "lasso_path",
    "norm",
    "penalty",
    "regularized_loss",
    "ridge",
    "ridge_path",
    "soft_threshold",
    "squared_l2_norm",
    "weight_decay_step",
]
