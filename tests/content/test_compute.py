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
