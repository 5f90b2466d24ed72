"""Bad input raises ValueError naming the argument and what was expected."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import engine

X = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
Y = [1.0, 2.0, 3.0]

CASES = [
    (lambda: engine.norm([1, 2], 0.5), "p", "p >= 1"),
    (lambda: engine.norm([], 2), "x", "at least one"),
    (lambda: engine.norm([1, math.nan], 2), "x", "finite"),
    (lambda: engine.norm([1, math.inf], 1), "x", "finite"),
    (lambda: engine.norm(["a"], 1), "x", "numbers"),
    (lambda: engine.l1_penalty([1, 2], -0.1), "lam", ">= 0"),
    (lambda: engine.l2_penalty([1, 2], math.nan), "lam", "finite"),
    (lambda: engine.penalty([1], 1.0, "l3"), "kind", "'l1' or 'l2'"),
    (lambda: engine.regularized_loss("x", [1], 1.0, "l1"), "data_loss", "number"),
    (lambda: engine.soft_threshold(1.0, -1.0), "t", ">= 0"),
    (lambda: engine.lasso(X, Y, -1.0), "lam", ">= 0"),
    (lambda: engine.lasso(X, [1.0, 2.0], 1.0), "y", "3 values"),
    (lambda: engine.lasso([1.0, 2.0], [1.0, 2.0], 1.0), "X", "2-D"),
    (lambda: engine.lasso(X, Y, 1.0, max_iter=0), "max_iter", ">= 1"),
    (lambda: engine.lasso(X, Y, 1.0, w0=[1.0]), "w0", "2 values"),
    (lambda: engine.ridge(X, Y, -0.5), "lam", ">= 0"),
    (lambda: engine.ridge(np.zeros((0, 2)), [], 1.0), "X", "at least one"),
    (lambda: engine.ridge(X, [1.0, math.nan, 2.0], 1.0), "y", "finite"),
    (lambda: engine.lasso_path(X, Y, [1.0, -1.0]), "lams", ">= 0"),
    (lambda: engine.lasso_path(X, Y, [1.0], tol=-1.0), "tol", ">= 0"),
    (lambda: engine.lasso([[1e200], [1.0]], [1e200, 2.0], 1.0), "X", "overflows"),
    (lambda: engine.ridge([[1e200], [1.0]], [1e200, 2.0], 1.0), "X", "overflows"),
    (lambda: engine.weight_decay_step([1, 2], [1], 0.1, 0.1), "grad", "shape"),
    (lambda: engine.weight_decay_step([1], [1], -0.1, 0.1), "lr", ">= 0"),
    (lambda: engine.weight_decay_step([1], [1], 0.1, -0.1), "decay", ">= 0"),
    (lambda: engine.dropout([1.0], 1.0, rng=0), "p", "[0, 1)"),
    (lambda: engine.dropout([1.0], -0.1, rng=0), "p", "[0, 1)"),
    (lambda: engine.dropout([1.0], 0.5, rng="seed"), "rng", "Generator or an int"),
    (lambda: engine.dropout([1.0], 0.5, rng=-1), "rng", ">= 0"),
    (lambda: engine.apply_dropout_mask([1.0, 2.0], [1], 0.5), "mask", "shape"),
    (lambda: engine.apply_dropout_mask([1.0, 2.0], [1, 2], 0.5), "mask", "0 and 1"),
    (lambda: engine.dropconnect([1.0, 2.0], [[1.0, 2.0, 3.0]], 0.5, rng=0), "W", "columns"),
    (lambda: engine.apply_dropconnect_mask([1.0], [[1.0]], [[1, 1]], 0.5), "mask", "shape"),
    (lambda: engine.early_stopping_epoch([1.0, 2.0], 0), "patience", ">= 1"),
    (lambda: engine.early_stopping_epoch([1.0, 2.0], 1.5), "patience", "whole number"),
    (lambda: engine.early_stopping_epoch([], 2), "val_losses", "at least one"),
    (lambda: engine.early_stopping_epoch([[1.0]], 2), "val_losses", "1-D"),
]


@pytest.mark.parametrize(("call", "arg", "expected"), CASES)
def test_error_names_argument(call, arg: str, expected: str) -> None:
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    assert message.startswith(f"{arg}:")
    assert expected in message


@given(st.floats(allow_nan=False).filter(lambda p: not 0 <= p < 1))
def test_dropout_rejects_every_p_outside_unit_interval(p: float) -> None:
    with pytest.raises(ValueError, match=r"^p:"):
        engine.dropout([1.0, 2.0], p, rng=0)


@given(st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False))
def test_negative_lambda_always_refused(lam: float) -> None:
    for fn in (engine.l1_penalty, engine.l2_penalty):
        with pytest.raises(ValueError, match=r"^lam:"):
            fn([1.0], lam)
    with pytest.raises(ValueError, match=r"^lam:"):
        engine.ridge(X, Y, lam)
