"""Norms against explicit sums and the norm axioms (property-based)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from engine import l1_norm, l2_norm, norm, squared_l2_norm

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
vectors = st.integers(min_value=1, max_value=12).flatmap(
    lambda n: arrays(np.float64, n, elements=finite)
)
ps = st.sampled_from([1.0, 1.5, 2.0, 3.0, 4.0, math.inf])


def test_worked_examples() -> None:
    assert l1_norm([3, -4]) == 7.0
    assert l2_norm([3, -4]) == 5.0
    assert norm([3, -4], np.inf) == 4.0
    assert l2_norm([1, 2, 2]) == 3.0
    assert squared_l2_norm([1, 2, 2]) == 9.0
    assert norm([0, 0, 0], 3) == 0.0
    assert norm([1, 1, 1, 1], 4) == pytest.approx(math.sqrt(2))


@given(vectors, st.floats(min_value=1.0, max_value=8.0))
def test_matches_explicit_sum(x: np.ndarray, p: float) -> None:
    explicit = sum(abs(v) ** p for v in x.tolist()) ** (1 / p)
    assert norm(x, p) == pytest.approx(explicit, rel=1e-9, abs=1e-12)


@given(vectors, vectors, ps)
def test_triangle_inequality(x: np.ndarray, y: np.ndarray, p: float) -> None:
    n = min(x.size, y.size)
    x, y = x[:n], y[:n]
    assert norm(x + y, p) <= norm(x, p) + norm(y, p) + 1e-9 * (1 + norm(x, p) + norm(y, p))


@given(vectors, finite, ps)
def test_absolute_homogeneity(x: np.ndarray, a: float, p: float) -> None:
    assert norm(a * x, p) == pytest.approx(abs(a) * norm(x, p), rel=1e-9, abs=1e-9)


@given(vectors)
def test_inf_le_l2_le_l1(x: np.ndarray) -> None:
    tol = 1e-12 * (1 + l1_norm(x))
    assert norm(x, np.inf) <= l2_norm(x) + tol
    assert l2_norm(x) <= l1_norm(x) + tol


@given(vectors)
def test_squared_l2_is_l2_squared(x: np.ndarray) -> None:
    assert squared_l2_norm(x) == pytest.approx(l2_norm(x) ** 2, rel=1e-9, abs=1e-12)


def test_large_p_does_not_overflow() -> None:
    assert norm([1e200, 1e200], 4) == pytest.approx(1e200 * 2 ** 0.25)
