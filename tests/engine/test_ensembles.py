"""Ensembles and bagging: the error of an averaged ensemble against the covariance
algebra and a Monte Carlo draw, and the bootstrap's distinct fraction against a direct
count over every sample."""

from __future__ import annotations

import doctest
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import engine.ensembles
from engine import bootstrap_unique_fraction, ensemble_error


# ---------------------------------------------------------------- ensemble_error
def test_ensemble_error_hand_worked() -> None:
    assert ensemble_error(4, 2.0, 0.0) == 0.5  # independent: v/k
    assert ensemble_error(4, 2.0, 2.0) == 2.0  # perfectly correlated: no gain
    assert ensemble_error(4, 2.0, 1.0) == 1.25  # 2/4 + 3·1/4
    assert ensemble_error(1, 3.0, -1.0) == 3.0  # one model: its own error


@given(st.integers(1, 50), st.floats(0, 1e6))
def test_ensemble_error_limits(k, v) -> None:
    assert ensemble_error(k, v, v) == pytest.approx(v)
    assert ensemble_error(k, v, 0.0) == pytest.approx(v / k)


def covariance(k: int, v: float, c: float) -> np.ndarray:
    return np.full((k, k), c) + np.eye(k) * (v - c)


@given(st.integers(1, 12), st.floats(0, 100), st.floats(0, 1))
def test_ensemble_error_is_the_covariance_algebra(k, v, share) -> None:
    # Var(Σεᵢ/k) = 1ᵀΣ1/k² for the covariance matrix Σ of the errors
    lowest = -v / (k - 1) if k > 1 else -v
    c = min(v, max(lowest, lowest + share * (v - lowest)))  # rounding kept inside
    ones = np.ones(k)
    expected = ones @ covariance(k, v, c) @ ones / k**2
    assert ensemble_error(k, v, c) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(("k", "v", "c"), [(5, 2.0, 0.5), (3, 1.0, -0.4), (10, 4.0, 0.0),
                                           (2, 1.0, 1.0)])
def test_ensemble_error_is_the_monte_carlo_mean(k, v, c) -> None:
    rng = np.random.default_rng(k)
    errors = rng.multivariate_normal(np.zeros(k), covariance(k, v, c), size=400_000,
                                     method="eigh")
    squared = errors.mean(axis=1) ** 2
    se = squared.std() / math.sqrt(squared.size)
    assert ensemble_error(k, v, c) == pytest.approx(squared.mean(), abs=5 * se + 1e-12)


@pytest.mark.parametrize(
    ("args", "name", "fragment"),
    [
        ((0, 1.0, 0.0), "k", ">= 1"),
        ((2.5, 1.0, 0.0), "k", "whole number"),
        ((True, 1.0, 0.0), "k", "whole number"),
        ((3, -1.0, 0.0), "v", ">= 0"),
        ((3, 1.0, 1.5), "c", "at most the variance"),
        ((3, 1.0, -0.6), "c", ">= −v/(k − 1)"),
        ((3, math.nan, 0.0), "v", "finite"),
        ((3, 1.0, math.inf), "c", "finite"),
    ],
)
def test_ensemble_error_refusals(args, name: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        ensemble_error(*args)
    assert str(info.value).startswith(f"{name}:")
    assert fragment in str(info.value)


# ---------------------------------------------------------------- bootstrap
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_bootstrap_fraction_is_a_direct_count_over_all_samples(n: int) -> None:
    # every one of the nⁿ equally likely samples, counted exactly
    distinct = sum(len(set(sample)) for sample in itertools.product(range(n), repeat=n))
    expected = Fraction(distinct, n * n**n)
    assert bootstrap_unique_fraction(n) == pytest.approx(float(expected), rel=1e-15)


def test_bootstrap_fraction_hand_worked() -> None:
    assert bootstrap_unique_fraction(1) == 1.0
    assert bootstrap_unique_fraction(2) == 0.75  # 1 − (1/2)²
    assert bootstrap_unique_fraction(10) == pytest.approx(1 - 0.9**10)


def test_bootstrap_fraction_tends_to_one_minus_one_over_e() -> None:
    limit = 1 - 1 / math.e
    values = [bootstrap_unique_fraction(n) for n in (1, 2, 5, 10, 100, 10**4, 10**8)]
    assert values == sorted(values, reverse=True)  # decreasing towards the limit
    for n in (10, 100, 10**4, 10**8, 10**15):
        # 1 − (1 − 1/n)ⁿ − (1 − 1/e) lies between 0 and 1/(2e·n)·(1 + 1/n)
        gap = bootstrap_unique_fraction(n) - limit
        assert -1e-16 <= gap <= (1 + 1 / n) / (2 * math.e * n) + 1e-16
    assert bootstrap_unique_fraction(10**30) == pytest.approx(limit, rel=1e-15)


def test_bootstrap_fraction_is_the_monte_carlo_mean() -> None:
    rng = np.random.default_rng(0)
    n = 50
    samples = rng.integers(0, n, size=(20_000, n))
    fractions = np.array([len(np.unique(s)) / n for s in samples])
    se = fractions.std() / math.sqrt(fractions.size)
    assert bootstrap_unique_fraction(n) == pytest.approx(fractions.mean(), abs=5 * se)


@pytest.mark.parametrize(("n", "fragment"), [(0, ">= 1"), (-3, ">= 1"), (2.0, "whole number"),
                                             (None, "whole number")])
def test_bootstrap_fraction_refusals(n, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        bootstrap_unique_fraction(n)
    assert str(info.value).startswith("n:")
    assert fragment in str(info.value)


def test_docstring_examples() -> None:
    result = doctest.testmod(engine.ensembles)
    assert result.attempted > 0
    assert result.failed == 0
