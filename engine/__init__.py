"""The numerical engine: norms, penalties, Lasso, Ridge and Elastic Net, weight decay,
dropout, DropConnect, early stopping, max-norm, noise injection, label smoothing, mixup
and FGSM — pure numpy, in the source notes' conventions
(Σ(yᵢ − wᵀxᵢ)² with no 1/(2n), no intercept; dropout's p is the drop probability).

It never imports textual, yaml, sqlite3 or studyapp.
"""

from engine.constraints import max_norm
from engine.dropout import apply_dropconnect_mask, apply_dropout_mask, dropconnect, dropout
from engine.linear import (
    ConvergenceWarning,
    ElasticNetResult,
    LassoResult,
    PathResult,
    RidgeResult,
    elastic_net,
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
from engine.robustness import fgsm, label_smoothing, mixup, noise_injection_loss
from engine.training import early_stopping_epoch, weight_decay_step

__all__ = [
    "ConvergenceWarning",
    "ElasticNetResult",
    "LassoResult",
    "PathResult",
    "RidgeResult",
    "apply_dropconnect_mask",
    "apply_dropout_mask",
    "dropconnect",
    "dropout",
    "early_stopping_epoch",
    "elastic_net",
    "fgsm",
    "l1_gradient",
    "l1_norm",
    "l1_penalty",
    "l2_gradient",
    "l2_norm",
    "l2_penalty",
    "label_smoothing",
    "lasso",
    "lasso_path",
    "max_norm",
    "mixup",
    "noise_injection_loss",
    "norm",
    "penalty",
    "regularized_loss",
    "ridge",
    "ridge_path",
    "soft_threshold",
    "squared_l2_norm",
    "weight_decay_step",
]
