"""Dropout without the inverted scaling (the original scheme): x·mask in training,
x·(1 − p) at evaluation, checked against the exact expectation over every mask."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import apply_dropout_mask


def test_hand_worked() -> None:
    x, mask = [2.0, 4.0, 6.0, 8.0], [1, 0, 1, 0]
    assert apply_dropout_mask(x, mask, 0.5, inverted=False).tolist() == [2.0, 0.0, 6.0, 0.0]
    assert apply_dropout_mask(x, mask, 0.25, train=False, inverted=False).tolist() == [
        1.5, 3.0, 4.5, 6.0]
    # the default is still inverted
    assert apply_dropout_mask(x, mask, 0.5).tolist() == [4.0, 0.0, 12.0, 0.0]


def expectation_over_masks(x, p, inverted):
    """Σ over all 2ⁿ masks of P(mask)·output: the exact expected training output."""
    x = np.asarray(x, dtype=float)
    total = np.zeros_like(x)
    for bits in itertools.product((0, 1), repeat=x.size):
        mask = np.array(bits)
        prob = np.prod(np.where(mask == 1, 1 - p, p))
        total += prob * apply_dropout_mask(x, mask, p, inverted=inverted)
    return total


@given(st.lists(st.floats(-100, 100), min_size=1, max_size=6),
       st.floats(0, 0.95))
def test_evaluation_is_the_expected_training_output(x, p) -> None:
    standard_eval = apply_dropout_mask(x, np.ones(len(x)), p, train=False, inverted=False)
    assert standard_eval == pytest.approx(expectation_over_masks(x, p, inverted=False),
                                          abs=1e-9)
    # and the inverted scheme's expected training output, times (1 − p)
    inverted_eval = apply_dropout_mask(x, np.ones(len(x)), p, train=False)
    assert inverted_eval == pytest.approx(expectation_over_masks(x, p, inverted=True),
                                          abs=1e-9)
    assert standard_eval == pytest.approx((1 - p) * inverted_eval)


def test_training_outputs_differ_by_one_over_one_minus_p() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4))
    mask = (rng.random((3, 4)) >= 0.3).astype(int)
    standard = apply_dropout_mask(x, mask, 0.3, inverted=False)
    inverted = apply_dropout_mask(x, mask, 0.3)
    assert inverted == pytest.approx(standard / 0.7)


def test_mask_ignored_at_evaluation() -> None:
    out = apply_dropout_mask([1.0, 2.0], [0, 0], 0.5, train=False, inverted=False)
    assert out.tolist() == [0.5, 1.0]


@pytest.mark.parametrize(
    ("kwargs", "name", "fragment"),
    [
        ({"inverted": "no"}, "inverted", "True or False"),
        ({"inverted": 0}, "inverted", "True or False"),
        ({"p": 1.0, "inverted": False}, "p", "[0, 1)"),
        ({"mask": [1, 2], "inverted": False}, "mask", "0 and 1"),
    ],
)
def test_refusals(kwargs, name: str, fragment: str) -> None:
    args = {"x": [1.0, 2.0], "mask": [1, 0], "p": 0.5} | kwargs
    with pytest.raises(ValueError) as info:
        apply_dropout_mask(**args)
    assert str(info.value).startswith(f"{name}:")
    assert fragment in str(info.value)
