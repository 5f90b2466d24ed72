"""Elastic Net against its orthonormal closed form, its optimality (KKT) conditions, an
independent proximal-gradient solver, a brute-force grid, and its two special cases."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine.linear
from engine import ElasticNetResult, elastic_net, lasso, ridge


def objective(X, y, w, lam1, lam2) -> float:
    r = y - X @ w
    return float(r @ r + lam1 * np.abs(w).sum() + lam2 * w @ w)


def random_problem(seed: int, n: int = 30, d: int = 5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=d) * (rng.random(d) < 0.6)
    y = X @ w_true + 0.3 * rng.normal(size=n)
    return X, y


def orthonormal_design(seed: int, n: int = 6, d: int = 3):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(n, d)))
    return Q, rng.normal(size=n) * 3


def ista(X, y, lam1, lam2, n_steps=20_000):
    """Proximal gradient descent (ISTA), written independently of the engine."""
    L = 2 * (np.linalg.eigvalsh(X.T @ X).max() + lam2)  # Lipschitz constant of the smooth part
    w = np.zeros(X.shape[1])
    for _ in range(n_steps):
        grad = -2 * X.T @ (y - X @ w) + 2 * lam2 * w
        z = w - grad / L
        w = np.sign(z) * np.maximum(np.abs(z) - lam1 / L, 0.0)
    return w


def test_returns_a_result_object_like_lasso() -> None:
    fit = elastic_net([[1.0, 0.0], [0.0, 1.0]], [3.0, -0.5], 2.0, 1.0)
    assert isinstance(fit, ElasticNetResult)
    assert fit.coef.tolist() == [1.0, 0.0]  # S(3, 1)/2 and S(−0.5, 1)/2
    assert fit.converged
    assert (fit.lam1, fit.lam2) == (2.0, 1.0)
    assert fit.objective == pytest.approx(2.0**2 + 0.5**2 + 2.0 * 1.0 + 1.0 * 1.0)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(("lam1", "lam2"), [(0.0, 0.0), (1.0, 0.0), (0.0, 1.5), (1.0, 0.5),
                                            (4.0, 2.0), (50.0, 0.1)])
def test_orthonormal_closed_form(seed: int, lam1: float, lam2: float) -> None:
    X, y = orthonormal_design(seed)
    assert np.allclose(X.T @ X, np.eye(3))
    z = X.T @ y
    expected = np.sign(z) * np.maximum(np.abs(z) - lam1 / 2, 0.0) / (1 + lam2)
    assert elastic_net(X, y, lam1, lam2).coef == pytest.approx(expected, abs=1e-10)


def test_hand_worked_identity_design() -> None:
    # X = I: w_j = S(y_j, lam1/2)/(1 + lam2) = S([4, −1, 0.5], 1)/2
    w = elastic_net(np.eye(3), [4.0, -1.0, 0.5], lam1=2.0, lam2=1.0).coef
    assert w.tolist() == [1.5, 0.0, 0.0]


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize(("lam1", "lam2"), [(0.5, 0.5), (5.0, 1.0), (20.0, 3.0), (2.0, 0.0)])
def test_kkt_conditions(seed: int, lam1: float, lam2: float) -> None:
    X, y = random_problem(seed)
    w = elastic_net(X, y, lam1, lam2).coef
    g = -2 * X.T @ (y - X @ w) + 2 * lam2 * w  # gradient of the smooth part
    scale = max(1.0, float(np.abs(X.T @ y).max()))
    on = w != 0
    assert np.allclose(g[on] + lam1 * np.sign(w[on]), 0.0, atol=1e-8 * scale)
    assert np.all(np.abs(g[~on]) <= lam1 + 1e-8 * scale)


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_proximal_gradient(seed: int) -> None:
    X, y = random_problem(seed, n=20, d=4)
    w = elastic_net(X, y, 3.0, 1.0).coef
    w_ista = ista(X, y, 3.0, 1.0)
    assert w == pytest.approx(w_ista, abs=1e-7)
    assert objective(X, y, w, 3.0, 1.0) <= objective(X, y, w_ista, 3.0, 1.0) + 1e-9


def test_no_grid_point_does_better() -> None:
    X = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.5], [-1.0, 1.0]])
    y = np.array([2.0, -1.0, 3.0, 0.5])
    lam1, lam2 = 1.5, 0.7
    w = elastic_net(X, y, lam1, lam2).coef
    grid = np.linspace(-2, 2, 801)
    A, B = np.meshgrid(grid, grid, indexing="ij")
    W = np.stack([A.ravel(), B.ravel()], axis=1)
    R = y[None, :] - W @ X.T
    values = (R**2).sum(axis=1) + lam1 * np.abs(W).sum(axis=1) + lam2 * (W**2).sum(axis=1)
    best = W[np.argmin(values)]
    assert objective(X, y, w, lam1, lam2) <= values.min() + 1e-12
    assert w == pytest.approx(best, abs=2 * (grid[1] - grid[0]))


@pytest.mark.parametrize("seed", range(5))
def test_special_cases_are_lasso_and_ridge(seed: int) -> None:
    X, y = random_problem(seed)
    assert elastic_net(X, y, 2.0, 0.0).coef == pytest.approx(lasso(X, y, 2.0).coef, abs=1e-10)
    assert elastic_net(X, y, 0.0, 2.0).coef == pytest.approx(ridge(X, y, 2.0).coef, abs=1e-9)


def test_l2_part_shrinks_and_l1_part_zeroes() -> None:
    X, y = random_problem(3)
    lam_big = 2 * float(np.abs(X.T @ y).max())  # λ₁ >= 2·max|Xᵀy| gives w = 0
    assert not np.any(elastic_net(X, y, lam_big, 1.0).coef)
    norms = [np.linalg.norm(elastic_net(X, y, 1.0, lam2).coef) for lam2 in (0.0, 1.0, 10.0, 100.0)]
    assert norms == sorted(norms, reverse=True)


def test_objective_attribute_is_the_objective() -> None:
    X, y = random_problem(1)
    fit = elastic_net(X, y, 2.0, 0.5)
    assert fit.objective == pytest.approx(objective(X, y, fit.coef, 2.0, 0.5), rel=1e-12)


def test_zero_column_gets_zero_weight() -> None:
    X = np.array([[1.0, 0.0], [2.0, 0.0], [0.5, 0.0]])
    w = elastic_net(X, [1.0, 2.0, 3.0], 0.5, 0.0).coef
    assert w[1] == 0.0
    w = elastic_net(X, [1.0, 2.0, 3.0], 0.5, 1.0).coef
    assert w[1] == 0.0


def test_products_beyond_float64_are_scaled_back() -> None:
    # xⱼ·yⱼ near 1e302: the fit runs on y/2ᵇ and λ₁/2ᵇ and multiplies back by 2ᵇ
    X = np.eye(2) * 1e150
    y = np.array([1e152, -3e151])
    w = elastic_net(X, y, 2e301, 1e300).coef
    # S(1e302, 1e301)/(1e300 + 1e300) and S(−3e301, 1e301)/(2e300)
    assert w == pytest.approx([45.0, -10.0], rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.floats(0, 10), st.floats(0, 10))
def test_never_worse_than_the_closed_form_on_orthonormal_data(seed, lam1, lam2) -> None:
    X, y = orthonormal_design(seed, n=5, d=2)
    z = X.T @ y
    closed = np.sign(z) * np.maximum(np.abs(z) - lam1 / 2, 0.0) / (1 + lam2)
    w = elastic_net(X, y, lam1, lam2).coef
    assert objective(X, y, w, lam1, lam2) <= objective(X, y, closed, lam1, lam2) + 1e-9
    assert w == pytest.approx(closed, abs=1e-9)


@pytest.mark.parametrize(
    ("args", "name", "fragment"),
    [
        (([[1.0]], [1.0], -1.0, 0.0), "lam1", ">= 0"),
        (([[1.0]], [1.0], 1.0, -0.5), "lam2", ">= 0"),
        (([[1.0]], [1.0], math.nan, 0.0), "lam1", "finite"),
        (([[1.0]], [1.0], 1.0, math.inf), "lam2", "finite"),
        (([[1.0], [2.0]], [1.0], 1.0, 1.0), "y", "2 values"),
        (([1.0, 2.0], [1.0, 2.0], 1.0, 1.0), "X", "2-D"),
        (([[1.0]], [math.nan], 1.0, 1.0), "y", "finite"),
        (([[1e154]], [1.0], 1.0, 1.7e308), "lam2", "overflows"),
    ],
)
def test_refusals_name_the_argument(args, name: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        elastic_net(*args)
    assert str(info.value).startswith(f"{name}:")
    assert fragment in str(info.value)


def test_docstring_example() -> None:
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    for test in finder.find(engine.linear.elastic_net, "elastic_net",
                            globs={"elastic_net": elastic_net, "np": np}):
        runner.run(test)
    assert runner.tries > 0
    assert runner.failures == 0


@pytest.mark.parametrize("seed", range(3))
def test_agrees_with_scikit_learn(seed: int) -> None:
    sklearn = pytest.importorskip("sklearn.linear_model")
    X, y = random_problem(seed)
    n = X.shape[0]
    lam1, lam2 = 3.0, 2.0
    # sklearn: 1/(2n)‖y − Xw‖² + a·r‖w‖₁ + a(1 − r)/2‖w‖²;
    # times 2n: λ₁ = 2n·a·r, λ₂ = n·a(1 − r)
    alpha = lam1 / (2 * n) + lam2 / n
    model = sklearn.ElasticNet(alpha=alpha, l1_ratio=lam1 / (2 * n) / alpha,
                               fit_intercept=False, tol=1e-14, max_iter=100_000).fit(X, y)
    assert elastic_net(X, y, lam1, lam2).coef == pytest.approx(model.coef_, abs=1e-7)
