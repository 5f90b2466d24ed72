"""Lasso and Ridge against closed forms, optimality conditions and independent solvers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import (
    ConvergenceWarning,
    lasso,
    lasso_path,
    ridge,
    ridge_path,
    soft_threshold,
)


def objective_lasso(X, y, w, lam):
    r = y - X @ w
    return float(r @ r + lam * np.abs(w).sum())


def random_problem(seed: int, n: int = 40, d: int = 6):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=d) * (rng.random(d) < 0.6)
    y = X @ w_true + 0.3 * rng.normal(size=n)
    return X, y


# ---------------------------------------------------------------- soft threshold
def test_soft_threshold_worked_examples() -> None:
    assert soft_threshold(3.0, 1.0) == 2.0
    assert soft_threshold(-3.0, 1.0) == -2.0
    assert soft_threshold(0.5, 1.0) == 0.0
    assert soft_threshold(-0.5, 1.0) == 0.0
    assert str(soft_threshold(-0.5, 1.0)) == "0.0"  # not -0.0
    np.testing.assert_array_equal(soft_threshold([3, -0.5, -2], 1), [2, 0, -1])


@given(st.floats(-100, 100), st.floats(0, 50))
def test_soft_threshold_is_the_prox_of_abs(z: float, t: float) -> None:
    """S(z, t) minimises ½(w − z)² + t|w|: compare with a fine grid search."""
    grid = np.linspace(-110, 110, 220_001)
    best = grid[np.argmin(0.5 * (grid - z) ** 2 + t * np.abs(grid))]
    assert soft_threshold(z, t) == pytest.approx(best, abs=2e-3)


# ---------------------------------------------------------------- lasso
def test_lasso_scikit_learn_toy() -> None:
    """scikit-learn's test_lasso_toy: X = y = [−1, 0, 1]; alpha = λ/(2n)."""
    X = [[-1.0], [0.0], [1.0]]
    y = [-1.0, 0.0, 1.0]
    expected = {0.1: 0.85, 0.5: 0.25, 1.0: 0.0}
    for alpha, coef in expected.items():
        fit = lasso(X, y, lam=2 * 3 * alpha)
        assert fit.coef == pytest.approx([coef])
        assert fit.converged


@pytest.mark.parametrize("seed", range(5))
def test_lasso_orthogonal_design_is_soft_threshold(seed: int) -> None:
    """With XᵀX = c·I, w = S(Xᵀy, λ/2) / c exactly."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(12, 4)))
    c = 3.0
    X = Q * np.sqrt(c)
    y = rng.normal(size=12) * 4
    lam = 2.5
    fit = lasso(X, y, lam)
    np.testing.assert_allclose(fit.coef, soft_threshold(X.T @ y, lam / 2) / c, atol=1e-10)


@pytest.mark.parametrize("seed", range(20))
def test_lasso_kkt_conditions(seed: int) -> None:
    """Optimality: 2xⱼᵀ(y − Xw) = λ·sign(wⱼ) where wⱼ ≠ 0, and |2xⱼᵀ(y − Xw)| ≤ λ where wⱼ = 0."""
    X, y = random_problem(seed)
    lam = float(np.random.default_rng(seed + 100).uniform(0.5, 30))
    fit = lasso(X, y, lam)
    assert fit.converged
    g = 2 * X.T @ (y - X @ fit.coef)
    nz = fit.coef != 0
    np.testing.assert_allclose(g[nz], lam * np.sign(fit.coef[nz]), atol=1e-7)
    assert np.all(np.abs(g[~nz]) <= lam + 1e-7)
    assert fit.objective == pytest.approx(objective_lasso(X, y, fit.coef, lam))


@pytest.mark.parametrize("seed", range(10))
def test_lasso_objective_not_beaten_by_perturbations(seed: int) -> None:
    X, y = random_problem(seed)
    fit = lasso(X, y, 5.0)
    rng = np.random.default_rng(seed)
    for _ in range(200):
        w = fit.coef + rng.normal(scale=0.05, size=fit.coef.size)
        assert objective_lasso(X, y, w, 5.0) >= fit.objective - 1e-9


def test_lasso_large_lambda_gives_zero_and_zero_lambda_gives_least_squares() -> None:
    X, y = random_problem(3)
    lam_max = float(np.max(np.abs(2 * X.T @ y)))
    assert np.all(lasso(X, y, lam_max * 1.0001).coef == 0)
    assert np.any(lasso(X, y, lam_max * 0.9).coef != 0)
    ols = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(lasso(X, y, 0.0).coef, ols, atol=1e-8)


def test_lasso_matches_scikit_learn_when_installed() -> None:
    sk = pytest.importorskip("sklearn.linear_model")
    X, y = random_problem(7, n=60, d=8)
    lam = 12.0
    ref = sk.Lasso(alpha=lam / (2 * 60), fit_intercept=False, tol=1e-12, max_iter=100_000)
    ref.fit(X, y)
    np.testing.assert_allclose(lasso(X, y, lam).coef, ref.coef_, atol=1e-7)


def test_lasso_warns_when_not_converged() -> None:
    X, y = random_problem(1, n=30, d=10)
    X[:, 1] = X[:, 0] + 1e-3 * X[:, 1]  # nearly collinear: slow coordinate descent
    with pytest.warns(ConvergenceWarning):
        fit = lasso(X, y, 0.01, max_iter=2)
    assert not fit.converged
    assert fit.n_iter == 2


def test_lasso_warm_start_and_zero_column() -> None:
    X, y = random_problem(2)
    X[:, 3] = 0.0
    cold = lasso(X, y, 3.0)
    warm = lasso(X, y, 3.0, w0=cold.coef)
    assert cold.coef[3] == 0.0
    np.testing.assert_allclose(warm.coef, cold.coef, atol=1e-10)
    assert warm.n_iter <= 2


def test_lasso_more_lambda_more_zeros() -> None:
    X, y = random_problem(5, n=50, d=10)
    lams = np.array([0.1, 5, 20, 60, 150, 400])
    path = lasso_path(X, y, lams)
    zeros = (path.coefs == 0).sum(axis=1)
    assert np.all(np.diff(zeros) >= 0)
    for k, lam in enumerate(lams):
        np.testing.assert_allclose(path.coefs[k], lasso(X, y, lam).coef, atol=1e-8)


# ---------------------------------------------------------------- ridge
@pytest.mark.parametrize("seed", range(20))
def test_ridge_normal_equations_and_augmented_lstsq(seed: int) -> None:
    """(XᵀX + λI)w = Xᵀy, and w solves the least squares of [X; √λ I] w ≈ [y; 0]."""
    X, y = random_problem(seed)
    lam = float(np.random.default_rng(seed).uniform(0.01, 20))
    fit = ridge(X, y, lam)
    d = X.shape[1]
    np.testing.assert_allclose((X.T @ X + lam * np.eye(d)) @ fit.coef, X.T @ y, atol=1e-9)
    aug = np.vstack([X, np.sqrt(lam) * np.eye(d)])
    ref = np.linalg.lstsq(aug, np.concatenate([y, np.zeros(d)]), rcond=None)[0]
    np.testing.assert_allclose(fit.coef, ref, atol=1e-9)
    r = y - X @ fit.coef
    assert fit.objective == pytest.approx(float(r @ r + lam * fit.coef @ fit.coef))


def test_ridge_orthogonal_closed_form_and_collinear_columns() -> None:
    X = np.eye(3) * 2.0  # XᵀX = 4I
    y = np.array([4.0, -8.0, 2.0])
    np.testing.assert_allclose(ridge(X, y, 4.0).coef, X.T @ y / (4 + 4))
    Xc = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])  # XᵀX singular
    fit = ridge(Xc, [1.0, 2.0, 3.0], 1.0)
    assert np.all(np.isfinite(fit.coef))
    assert fit.coef[0] == pytest.approx(fit.coef[1])
    # lam = 0 on a singular design: the minimum-norm least-squares solution
    np.testing.assert_allclose(ridge(Xc, [1.0, 2.0, 3.0], 0.0).coef, [0.5, 0.5])


def test_ridge_shrinks_but_keeps_weights() -> None:
    X, y = random_problem(4)
    lams = [0.0, 1.0, 10.0, 100.0, 1000.0]
    path = ridge_path(X, y, lams)
    norms = np.linalg.norm(path.coefs, axis=1)
    assert np.all(np.diff(norms) < 0)
    assert np.all(path.coefs[-1] != 0)
    for k, lam in enumerate(lams):
        np.testing.assert_allclose(path.coefs[k], ridge(X, y, lam).coef, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.0, 50.0))
def test_ridge_path_equals_ridge(seed: int, lam: float) -> None:
    X, y = random_problem(seed, n=15, d=4)
    np.testing.assert_allclose(ridge_path(X, y, [lam]).coefs[0], ridge(X, y, lam).coef,
                               atol=1e-8)


def test_paths_keep_the_order_given() -> None:
    X, y = random_problem(0)
    lams = [3.0, 0.5, 10.0]
    path = lasso_path(X, y, lams)
    np.testing.assert_array_equal(path.lams, lams)
    assert path.coefs.shape == (3, X.shape[1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ridge_path(X, y, lams)
