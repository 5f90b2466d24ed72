"""Weight decay and early stopping against their definitions and simulations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import early_stopping_epoch, l2_gradient, weight_decay_step


def test_weight_decay_worked_example() -> None:
    np.testing.assert_allclose(
        weight_decay_step([1.0, -2.0], [0.5, 0.5], lr=0.1, decay=0.1), [0.94, -2.03]
    )


@given(st.lists(st.floats(-10, 10), min_size=1, max_size=6), st.floats(0, 1), st.floats(0, 1))
def test_weight_decay_is_l2_gradient_step(w: list[float], lr: float, lam: float) -> None:
    """decay = 2λ for the penalty λ‖w‖² (the notes' convention); data gradient zero here."""
    w_arr = np.array(w)
    grad = np.zeros_like(w_arr)
    by_penalty = w_arr - lr * (grad + l2_gradient(w_arr, lam))
    np.testing.assert_allclose(weight_decay_step(w_arr, grad, lr, 2 * lam), by_penalty,
                               atol=1e-12)
    # multiplicative form: w(1 − ηd) − ηg
    np.testing.assert_allclose(weight_decay_step(w_arr, grad, lr, lam), w_arr * (1 - lr * lam),
                               atol=1e-12)


def simulate(losses: list[float], patience: int) -> int:
    """Early stopping as a training loop would run it, with a 'best so far' checkpoint."""
    best_epoch, best = 0, float("inf")
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            best, best_epoch = loss, epoch
        if epoch - best_epoch >= patience:
            return epoch
    return len(losses)


def test_early_stopping_worked_examples() -> None:
    assert early_stopping_epoch([1.0, 0.8, 0.9, 0.85, 0.7], patience=2) == 4
    assert early_stopping_epoch([1.0, 0.9, 0.8], patience=1) == 3  # never stalls
    assert early_stopping_epoch([1.0, 1.0, 1.0], patience=1) == 2  # equal is not better
    assert early_stopping_epoch([0.5], patience=3) == 1


@given(st.lists(st.integers(0, 6).map(float), min_size=1, max_size=30), st.integers(1, 6))
def test_early_stopping_matches_simulation(losses: list[float], patience: int) -> None:
    assert early_stopping_epoch(losses, patience) == simulate(losses, patience)


@pytest.mark.parametrize("patience", [1, 2, 5])
def test_stop_epoch_is_best_plus_patience_when_it_stops(patience: int) -> None:
    losses = [5.0, 4.0, 3.0, 3.5, 3.2, 3.1, 3.05, 3.3, 3.4]
    stop = early_stopping_epoch(losses, patience)
    best = int(np.argmin(losses[:stop])) + 1
    assert stop == min(best + patience, len(losses))
