"""The numerical engine: norms, penalties, Lasso, Ridge and Elastic Net, weight decay,
AdamW, dropout, DropConnect, early stopping, max-norm, noise injection, label smoothing,
mixup, FGSM, ensembles and bagging, and the parameter counts of shared and dense layers
— pure numpy, in the source notes' conventions (Σ(yᵢ − wᵀxᵢ)² with no 1/(2n), no
intercept; dropout's p is the drop probability).

It never imports textual, yaml, sqlite3 or studyapp.
"""

from engine.constraints import max_norm
from engine.dropout import apply_dropconnect_mask, apply_dropout_mask, dropconnect, dropout
from engine.ensembles import bootstrap_unique_fraction, ensemble_error
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
from engine.parameters import conv_parameter_count, dense_parameter_count
from engine.penalties import (
    l1_gradient,
    l1_penalty,
    l2_gradient,
    l2_penalty,
    penalty,
    regularized_loss,
)
from engine.robustness import fgsm, label_smoothing, mixup, noise_injection_loss
from engine.training import AdamWStep, adamw_step, early_stopping_epoch, weight_decay_step

__all__ = [
    "AdamWStep",
    "ConvergenceWarning",
    "ElasticNetResult",
    "LassoResult",
    "PathResult",
    "RidgeResult",
    "adamw_step",
    "apply_dropconnect_mask",
    "apply_dropout_mask",
    "bootstrap_unique_fraction",
    "conv_parameter_count",
    "dense_parameter_count",
    "dropconnect",
    "dropout",
    "early_stopping_epoch",
    "elastic_net",
    "ensemble_error",
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
