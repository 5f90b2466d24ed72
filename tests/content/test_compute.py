"""The compute table: every entry against an independent numpy formula, its argument
checks, and agreement with the schema documentation."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from studyapp.content.compute import COMPUTE_TABLE, ComputeError, evaluate, evaluate_raw

DOCS = Path(__file__).resolve().parents[2] / "docs" / "content-schema.md"

X = [3.0, -4.0, 0.5]


@pytest.mark.parametrize(
    ("fn", "args", "expected"),
    [
        ("l1_norm", {"x": X}, np.abs(X).sum()),
        ("l2_norm", {"x": X}, np.sqrt(np.square(X).sum())),
        ("squared_l2_norm", {"x": X}, np.square(X).sum()),
        ("norm", {"x": X, "p": 3}, (np.abs(X) ** 3).sum() ** (1 / 3)),
        ("norm", {"x": X, "p": "inf"}, 4.0),
        ("norm", {"x": X, "p": float("inf")}, 4.0),
        ("l1_penalty", {"w": X, "lam": 0.5}, 0.5 * np.abs(X).sum()),
        ("l2_penalty", {"w": X, "lam": 0.5}, 0.5 * np.square(X).sum()),
        ("regularized_loss", {"data_loss": 2.0, "w": X, "lam": 0.1, "kind": "l2"},
         2.0 + 0.1 * np.square(X).sum()),
        ("regularized_loss", {"data_loss": 2.0, "w": X, "lam": 0.1, "kind": "l1"},
         2.0 + 0.1 * np.abs(X).sum()),
        ("l1_gradient", {"w": [2.0, 0.0, -1.0], "lam": 0.3}, (0.3, 0.0, -0.3)),
        ("l2_gradient", {"w": X, "lam": 0.1}, tuple(0.2 * np.array(X))),
        ("soft_threshold", {"z": 3.0, "t": 1.0}, 2.0),
        ("soft_threshold", {"z": [3.0, -0.5, -2.0], "t": 1.0}, (2.0, 0.0, -1.0)),
        ("weight_decay_step", {"w": [1.0, -2.0], "grad": [0.5, 0.5], "lr": 0.1, "decay": 0.1},
         (1.0 - 0.1 * (0.5 + 0.1), -2.0 - 0.1 * (0.5 - 0.2))),
        ("weight_decay_step", {"w": 1.0, "grad": 0.2, "lr": 0.5, "decay": 0.1},
         1.0 - 0.5 * (0.2 + 0.1)),
        ("dropout_apply", {"x": [1.0, 2.0, 3.0, 4.0], "mask": [1, 0, 1, 1], "p": 0.25},
         (1 / 0.75, 0.0, 3 / 0.75, 4 / 0.75)),
        ("dropout_apply", {"x": [1.0, 2.0], "mask": [0, 1], "p": 0.5, "train": False},
         (1.0, 2.0)),
        ("dropconnect_apply", {"x": [1.0, 2.0], "W": [[1.0, 1.0], [2.0, -1.0]],
                               "mask": [[1, 0], [1, 1]], "p": 0.5}, (2.0, 0.0)),
        ("dropconnect_apply", {"x": [1.0, 2.0], "W": [[1.0, 1.0], [2.0, -1.0]],
                               "mask": [[1, 0], [1, 1]], "p": 0.5, "scale": False}, (1.0, 0.0)),
        ("early_stopping_epoch", {"val_losses": [1.0, 0.8, 0.9, 0.85, 0.7], "patience": 2}, 4.0),
        ("early_stopping_epoch", {"val_losses": [1.0, 0.9, 0.8], "patience": 2}, 3.0),
    ],
)
def test_table_entries(fn: str, args: dict, expected) -> None:
    value = evaluate(fn, args)
    if isinstance(expected, tuple):
        assert isinstance(value, tuple)
        assert value == pytest.approx(expected)
    else:
        assert isinstance(value, float)
        assert value == pytest.approx(float(expected))


def test_lasso_orthogonal_design_is_the_soft_threshold_closed_form() -> None:
    # X^T X = 2 I: w_j = S(x_j^T y, lam/2) / 2
    X_ = [[1.0, 1.0], [1.0, -1.0]]
    y = [3.0, 1.0]
    lam = 2.0
    xty = np.array(X_).T @ np.array(y)
    expected = np.sign(xty) * np.maximum(np.abs(xty) - lam / 2, 0) / 2
    assert evaluate("lasso", {"X": X_, "y": y, "lam": lam}) == pytest.approx(tuple(expected))


def test_ridge_matches_normal_equations() -> None:
    X_ = [[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]]
    y = [1.0, 0.0, 2.0]
    A = np.array(X_)
    expected = np.linalg.solve(A.T @ A + 0.7 * np.eye(2), A.T @ np.array(y))
    assert evaluate("ridge", {"X": X_, "y": y, "lam": 0.7}) == pytest.approx(tuple(expected))


def test_one_entry_vector_is_a_number() -> None:
    """A one-feature fit is answered with one number."""
    value = evaluate("lasso", {"X": [[1.0], [2.0]], "y": [1.0, 2.0], "lam": 1.0})
    assert isinstance(value, float)
    assert value == pytest.approx((5.0 - 0.5) / 5.0)  # S(x^T y, lam/2) / x^T x


def test_evaluate_raw_keeps_arrays() -> None:
    out = evaluate_raw("dropout_apply", {"x": [[1.0, 2.0]], "mask": [[1, 0]], "p": 0.5})
    assert isinstance(out, np.ndarray) and out.shape == (1, 2)
    with pytest.raises(ComputeError, match="shape"):
        evaluate("dropout_apply", {"x": [[1.0, 2.0]], "mask": [[1, 0]], "p": 0.5})


@pytest.mark.parametrize(
    ("fn", "args", "fragment"),
    [
        ("l2norm", {"x": [1]}, "did you mean 'l2_norm'?"),
        ("eval", {}, "unknown compute function 'eval'"),
        ("__import__", {}, "unknown compute function"),
        ("l1_norm", {}, "missing argument 'x'"),
        ("l1_norm", {"x": [1], "y": [2]}, "unknown argument 'y'"),
        ("l1_penalty", {"w": [1], "lamda": 1}, "did you mean 'lam'?"),
        ("l1_norm", {"x": "abc"}, "argument 'x': expected a number, a list of numbers"),
        ("l1_norm", {"x": [[1, 2], [3]]}, "argument 'x'"),
        ("l1_penalty", {"w": [1], "lam": True}, "argument 'lam': expected a number, got true"),
        ("regularized_loss", {"data_loss": 1, "w": [1], "lam": 1, "kind": "l3"},
         "expected 'l1' or 'l2'"),
        ("early_stopping_epoch", {"val_losses": [1], "patience": 1.5}, "a whole number"),
        ("norm", {"x": [1], "p": 0.5}, "the engine refused the arguments: p:"),
        ("dropout_apply", {"x": [1.0], "mask": [1], "p": 1.0}, "drop probability"),
        ("lasso", {"X": [[1.0]], "y": [1.0, 2.0], "lam": 1}, "engine refused"),
    ],
)
def test_argument_problems(fn: str, args: dict, fragment: str) -> None:
    with pytest.raises(ComputeError) as caught:
        evaluate(fn, args)
    assert fragment in str(caught.value)


def test_all_argument_problems_in_one_message() -> None:
    with pytest.raises(ComputeError) as caught:
        evaluate("weight_decay_step", {"w": "a", "lr": 0.1, "decay": "x"})
    message = str(caught.value)
    assert "argument 'w'" in message and "missing argument 'grad'" in message
    assert "argument 'decay'" in message


def test_schema_doc_lists_exactly_the_table() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("### compute functions", 1)[1].split("\n### ", 1)[0]
    documented = re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.MULTILINE)
    assert documented == list(COMPUTE_TABLE)
    for name, function in COMPUTE_TABLE.items():
        row = next(line for line in section.splitlines() if line.startswith(f"| `{name}` |"))
        for param in function.params:
            assert f"`{param.name}`" in row, (name, param.name)


# ---------------------------------------------------------------- the new regularizers
@pytest.mark.parametrize(
    ("fn", "args", "expected"),
    [
        # X = I: S(y, lam1/2)/(1 + lam2) = S([4, −1, 0.5], 1)/2
        ("elastic_net", {"X": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "y": [4, -1, 0.5],
                         "lam1": 2, "lam2": 1}, (1.5, 0.0, 0.0)),
        ("elastic_net", {"X": [[1.0], [1.0]], "y": [2.0, 2.0], "lam1": 0, "lam2": 2},
         4.0 / (2.0 + 2.0)),  # Ridge: xᵀy/(xᵀx + lam2)
        ("label_smoothing", {"y": [0, 1, 0, 0], "eps": 0.1}, (0.025, 0.925, 0.025, 0.025)),
        ("label_smoothing", {"y": [1, 0], "eps": 0}, (1.0, 0.0)),
        ("max_norm", {"w": [3, 4], "c": 2}, (1.2, 1.6)),
        ("max_norm", {"w": [0.3, 0.4], "c": 2}, (0.3, 0.4)),
        ("max_norm", {"w": -6, "c": 2}, -2.0),
        ("noise_injection_loss", {"x": [1, 2], "w": [0.5, -1], "y": 1, "sigma": 0.5},
         (1 - (0.5 - 2)) ** 2 + 0.25 * (0.25 + 1)),
        ("noise_injection_loss", {"x": 2, "w": 3, "y": 1, "sigma": 0}, 25.0),
        ("fgsm", {"x": [1, 2, 3], "grad": [0.3, -2, 0], "eps": 0.1}, (1.1, 1.9, 3.0)),
        ("mixup", {"x1": [1, 0], "x2": [0, 1], "lam": 0.7}, (0.7, 0.3)),
        ("mixup", {"x1": [2, 4], "x2": [6, 0], "lam": 0.25}, (5.0, 1.0)),
        ("ensemble_error", {"k": 4, "v": 2, "c": 1}, 2 / 4 + 3 * 1 / 4),
        ("ensemble_error", {"k": 10, "v": 2, "c": 0}, 0.2),
        ("ensemble_error", {"k": 10, "v": 2, "c": 2}, 2.0),
        ("bootstrap_unique_fraction", {"n": 2}, 0.75),
        ("bootstrap_unique_fraction", {"n": 10}, 1 - 0.9**10),
        ("conv_parameter_count", {"kernel_h": 3, "kernel_w": 3, "in_channels": 3,
                                  "out_channels": 64}, 3 * 3 * 3 * 64 + 64),
        ("conv_parameter_count", {"kernel_h": 5, "kernel_w": 3, "in_channels": 2,
                                  "out_channels": 4, "bias": False}, 5 * 3 * 2 * 4),
        ("dense_parameter_count", {"in_features": 784, "out_features": 100}, 78_500),
        ("dense_parameter_count", {"in_features": 784, "out_features": 100, "bias": False},
         78_400),
        # first step from m = v = 0: w·(1 − lr·decay) − lr·g/(|g| + eps)
        ("adamw_step", {"w": [1.0, -2.0], "grad": [0.5, -0.1], "lr": 0.1, "decay": 0.1},
         (0.99 - 0.1 * 0.5 / (0.5 + 1e-8), -1.98 + 0.1 * 0.1 / (0.1 + 1e-8))),
        ("adamw_step", {"w": 1.0, "grad": 0.5, "lr": 0.1, "decay": 0.0, "m": 0.1, "v": 0.04,
                        "t": 2, "beta1": 0.5, "beta2": 0.5, "eps": 0.0001},
         1.0 - 0.1 * ((0.5 * 0.1 + 0.5 * 0.5) / 0.75)
         / (np.sqrt((0.5 * 0.04 + 0.5 * 0.25) / 0.75) + 0.0001)),
        ("dropout_apply", {"x": [2, 4, 6, 8], "mask": [1, 0, 1, 0], "p": 0.5,
                           "inverted": False}, (2.0, 0.0, 6.0, 0.0)),
        ("dropout_apply", {"x": [2, 4], "mask": [1, 0], "p": 0.25, "train": False,
                           "inverted": False}, (1.5, 3.0)),
        ("dropout_apply", {"x": [2, 4], "mask": [1, 0], "p": 0.5, "inverted": True},
         (4.0, 0.0)),
    ],
)
def test_new_table_entries(fn: str, args: dict, expected) -> None:
    test_table_entries(fn, args, expected)


def test_elastic_net_general_design_meets_its_optimality_conditions() -> None:
    X_ = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [2.0, 1.0]])
    y = np.array([1.0, -2.0, 0.5, 3.0])
    lam1, lam2 = 1.0, 0.5
    w = np.array(evaluate("elastic_net", {"X": X_.tolist(), "y": y.tolist(), "lam1": lam1,
                                          "lam2": lam2}))
    g = -2 * X_.T @ (y - X_ @ w) + 2 * lam2 * w
    on = w != 0
    assert np.allclose(g[on] + lam1 * np.sign(w[on]), 0, atol=1e-9)
    assert np.all(np.abs(g[~on]) <= lam1 + 1e-9)


def test_non_inverted_evaluation_is_the_expected_training_output() -> None:
    x, p = [2.0, -4.0], 0.25
    masks = [[a, b] for a in (0, 1) for b in (0, 1)]
    probs = [np.prod([(1 - p) if m else p for m in mask]) for mask in masks]
    expected = sum(q * np.array(evaluate("dropout_apply", {"x": x, "mask": m, "p": p,
                                                           "inverted": False}))
                   for q, m in zip(probs, masks, strict=True))
    evaluation = evaluate("dropout_apply", {"x": x, "mask": [1, 1], "p": p, "train": False,
                                            "inverted": False})
    assert evaluation == pytest.approx(tuple(expected))


@pytest.mark.parametrize(
    ("fn", "args", "fragment"),
    [
        ("elastic_net", {"X": [[1.0]], "y": [1.0], "lam1": -1, "lam2": 0},
         "the engine refused the arguments: lam1: expected a value >= 0"),
        ("elastic_net", {"X": [[1.0]], "y": [1.0], "lam1": 1}, "missing argument 'lam2'"),
        ("elastic_net", {"X": [[1.0] * 101], "y": [1.0], "lam1": 1, "lam2": 1},
         "at most 100 columns"),
        ("label_smoothing", {"y": [0, 1], "eps": 1.5}, "eps: expected a value in [0, 1]"),
        ("label_smoothing", {"y": [0.5, 0.4], "eps": 0.1}, "y: expected a one-hot"),
        ("label_smoothing", {"y": 1, "eps": 0.1}, "argument 'y': expected a list of numbers"),
        ("max_norm", {"w": [1, 2], "c": 0}, "c: expected a value > 0"),
        ("max_norm", {"w": [[1, 2]], "c": 1}, "argument 'w': expected a number or a list"),
        ("noise_injection_loss", {"x": [1, 2], "w": [1], "y": 0, "sigma": 1},
         "w: expected 2 values"),
        ("noise_injection_loss", {"x": [1], "w": [1], "y": 0, "sigma": -1},
         "sigma: expected a value >= 0"),
        ("noise_injection_loss", {"x": [1], "w": [1], "y": [0], "sigma": 1},
         "argument 'y': expected a number"),
        ("fgsm", {"x": [1, 2], "grad": [1], "eps": 0.1}, "grad: expected the shape of x"),
        ("fgsm", {"x": [1], "grad": [1], "eps": -0.1}, "eps: expected a value >= 0"),
        ("mixup", {"x1": [1], "x2": [1], "lam": 2}, "lam: expected a value in [0, 1]"),
        ("mixup", {"x1": [1, 2], "x2": [1], "lam": 0.5}, "x2: expected the shape of x1"),
        ("ensemble_error", {"k": 0, "v": 1, "c": 0}, "argument 'k': expected a whole number >= 1"),
        ("ensemble_error", {"k": 2.0, "v": 1, "c": 0}, "argument 'k': expected a whole number"),
        ("ensemble_error", {"k": 3, "v": 1, "c": 2}, "c: expected a covariance at most"),
        ("ensemble_error", {"k": 3, "v": 1, "c": -0.9}, "c: expected a covariance >="),
        ("ensemble_error", {"k": 3, "v": -1, "c": 0}, "v: expected a value >= 0"),
        ("bootstrap_unique_fraction", {"n": 0}, "argument 'n': expected a whole number >= 1"),
        ("bootstrap_unique_fraction", {"n": True}, "argument 'n': expected a whole number"),
        ("conv_parameter_count", {"kernel_h": 3, "kernel_w": 3, "in_channels": 0,
                                  "out_channels": 1}, "argument 'in_channels'"),
        ("conv_parameter_count", {"kernel_h": 3, "kernel_w": 3, "in_channels": 1,
                                  "out_channels": 1, "bias": "yes"}, "argument 'bias'"),
        ("conv_parameter_count", {"kernel_h": 10**200, "kernel_w": 10**200,
                                  "in_channels": 1, "out_channels": 1}, "beyond float64"),
        ("dense_parameter_count", {"in_features": 3}, "missing argument 'out_features'"),
        ("adamw_step", {"w": [1.0], "grad": [1.0], "lr": 0.1, "decay": 0.1, "t": 0},
         "argument 't': expected a whole number >= 1"),
        ("adamw_step", {"w": [1.0], "grad": [1.0], "lr": 0.1, "decay": 0.1, "beta1": 1},
         "beta1: expected a decay rate in [0, 1)"),
        ("adamw_step", {"w": [1.0], "grad": [1.0], "lr": 0.1, "decay": 0.1, "eps": 0},
         "eps: expected a value > 0"),
        ("adamw_step", {"w": [1.0], "grad": [1.0], "lr": 0.1, "decay": 0.1, "v": [-1.0]},
         "v: expected a second moment >= 0"),
        ("adamw_step", {"w": [1.0], "grad": [1.0], "lr": 0.1, "decay": 0.1, "beta": 0.9},
         "did you mean"),
        ("dropout_apply", {"x": [1.0], "mask": [1], "p": 0.5, "inverted": "no"},
         "argument 'inverted': expected true or false"),
    ],
)
def test_new_argument_problems(fn: str, args: dict, fragment: str) -> None:
    test_argument_problems(fn, args, fragment)
