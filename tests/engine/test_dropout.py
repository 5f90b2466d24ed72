"""Dropout and DropConnect: drop rate, kept mean, reproducibility, explicit loops."""

from __future__ import annotations

import numpy as np
import pytest

from engine import apply_dropconnect_mask, apply_dropout_mask, dropconnect, dropout


def test_worked_example_with_given_mask() -> None:
    out = apply_dropout_mask([2.0, 4.0, 6.0, 8.0], [1, 0, 1, 0], p=0.5)
    np.testing.assert_array_equal(out, [4.0, 0.0, 12.0, 0.0])
    np.testing.assert_array_equal(
        apply_dropout_mask([2.0, 4.0], [1, 0], p=0.5, train=False), [2.0, 4.0]
    )


@pytest.mark.parametrize("p", [0.0, 0.1, 0.5, 0.8])
def test_drop_rate_and_kept_mean(p: float) -> None:
    x = np.full((400, 500), 3.0)
    out, mask = dropout(x, p, rng=123)
    n = x.size
    rate = 1 - mask.mean()
    # binomial standard error; 5 sigma
    assert abs(rate - p) <= 5 * np.sqrt(p * (1 - p) / n) + 1e-12
    assert out.mean() == pytest.approx(3.0, abs=5 * 3.0 * np.sqrt(p / ((1 - p) * n)) + 1e-12)
    kept = out[mask == 1]
    np.testing.assert_allclose(kept, 3.0 / (1 - p))
    assert np.all(out[mask == 0] == 0)


def test_same_seed_same_mask_and_generator_accepted() -> None:
    x = np.arange(20.0)
    a = dropout(x, 0.3, rng=7)
    b = dropout(x, 0.3, rng=7)
    c = dropout(x, 0.3, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a[1], b[1])
    np.testing.assert_array_equal(a[1], c[1])
    assert not np.array_equal(a[1], dropout(x, 0.3, rng=8)[1])
    # the mask is documented as rng.random(shape) >= p
    np.testing.assert_array_equal(a[1], np.random.default_rng(7).random(20) >= 0.3)


def test_evaluation_is_identity() -> None:
    x = np.array([[1.0, -2.0], [3.0, 4.0]])
    out, mask = dropout(x, 0.5, rng=0, train=False)
    np.testing.assert_array_equal(out, x)
    assert mask.all()


def test_dropout_against_explicit_loop() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(7, 9))
    out, mask = dropout(x, 0.35, rng=11)
    for i in range(7):
        for j in range(9):
            expected = x[i, j] / (1 - 0.35) if mask[i, j] else 0.0
            assert out[i, j] == pytest.approx(expected)


def test_dropconnect_masks_weights_not_outputs() -> None:
    x = np.array([1.0, 2.0, 3.0])
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 1.0]])
    mask = np.array([[1, 0, 1], [0, 1, 1]])
    out = apply_dropconnect_mask(x, W, mask, p=0.5)
    # explicit loop over connections
    expected = [sum(W[i, j] * mask[i, j] * x[j] for j in range(3)) / 0.5 for i in range(2)]
    np.testing.assert_allclose(out, expected)
    np.testing.assert_allclose(apply_dropconnect_mask(x, W, mask, 0.5, scale=False),
                               np.array(expected) * 0.5)


def test_dropconnect_random_is_reproducible_and_unbiased() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=30)
    W = rng.normal(size=(4, 30))
    out1, m1 = dropconnect(x, W, 0.4, rng=3)
    out2, m2 = dropconnect(x, W, 0.4, rng=3)
    np.testing.assert_array_equal(out1, out2)
    np.testing.assert_array_equal(m1, m2)
    np.testing.assert_allclose(out1, apply_dropconnect_mask(x, W, m1, 0.4))
    assert m1.shape == W.shape
    # E[(W ⊙ M) x / (1 − p)] = W x
    outs = np.array([dropconnect(x, W, 0.4, rng=s)[0] for s in range(4000)])
    np.testing.assert_allclose(outs.mean(axis=0), W @ x, atol=0.25 * np.abs(W @ x).max() + 0.3)
