"""Lasso and Ridge regression, in the source notes' convention.

Both fit a linear model with no intercept and no 1/(2n) in front of the squared error:

* Lasso minimises  Σᵢ (yᵢ − wᵀxᵢ)² + λ·Σⱼ |wⱼ|
* Ridge minimises  Σᵢ (yᵢ − wᵀxᵢ)² + λ·Σⱼ wⱼ²

In scikit-learn's terms, ``Lasso(alpha=λ / (2n), fit_intercept=False)`` and
``Ridge(alpha=λ, fit_intercept=False)`` solve the same problems.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine._validate import as_array, as_matrix, as_vector, non_negative, positive_int

FloatArray = NDArray[np.float64]


class ConvergenceWarning(UserWarning):
    """Coordinate descent stopped at ``max_iter`` before meeting ``tol``."""


@overload
def soft_threshold(z: float, t: float) -> float: ...
@overload
def soft_threshold(z: ArrayLike, t: float) -> FloatArray: ...
def soft_threshold(z: ArrayLike, t: float) -> float | FloatArray:
    """S(z, t) = sign(z)·max(|z| − t, 0), element-wise.

    The proximal operator of t·|·|: the exact minimiser of ½(w − z)² + t·|w|. Values
    within t of zero become exactly zero — the source of Lasso's sparsity.

    Parameters
    ----------
    z : float or array_like
    t : float >= 0
        The threshold.

    Returns
    -------
    float if ``z`` is a scalar, else ndarray of z's shape.

    Examples
    --------
    >>> soft_threshold(3.0, 1.0), soft_threshold(-0.5, 1.0)
    (2.0, 0.0)
    """
    t = non_negative(t, "t")
    arr = as_array(z, "z")
    out = np.sign(arr) * np.maximum(np.abs(arr) - t, 0.0) + 0.0  # + 0.0 turns -0.0 into 0.0
    if arr.ndim == 0:
        return float(out)
    return out


@dataclass(frozen=True)
class LassoResult:
    """A Lasso fit.

    Attributes
    ----------
    coef : ndarray of shape (n_features,)
    objective : float
        Σ(yᵢ − wᵀxᵢ)² + λ·Σ|wⱼ| at ``coef``.
    n_iter : int
        Full sweeps over the coordinates.
    converged : bool
    lam : float
    """

    coef: FloatArray
    objective: float
    n_iter: int
    converged: bool
    lam: float


@dataclass(frozen=True)
class RidgeResult:
    """A Ridge fit: ``coef`` (n_features,), ``objective`` Σ(yᵢ − wᵀxᵢ)² + λ·Σwⱼ², ``lam``."""

    coef: FloatArray
    objective: float
    lam: float


@dataclass(frozen=True)
class PathResult:
    """Coefficients along a sequence of λ: ``coefs[k]`` is the fit at ``lams[k]``."""

    lams: FloatArray
    coefs: FloatArray  # shape (n_lams, n_features)
    objectives: FloatArray


def _check_xy(X: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    Xa = as_matrix(X, "X")
    ya = as_vector(y, "y")
    if Xa.shape[0] != ya.shape[0]:
        raise ValueError(
            f"y: expected {Xa.shape[0]} values (one per row of X), got {ya.shape[0]}"
        )
    return Xa, ya


def _gram(X: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """XᵀX and Xᵀy, refusing data so large that they overflow (a fit on inf is no fit)."""
    with np.errstate(over="ignore", invalid="ignore"):
        G = X.T @ X
        c = X.T @ y
    if not (np.all(np.isfinite(G)) and np.all(np.isfinite(c))):
        raise ValueError("X: values too large: XᵀX or Xᵀy overflows; rescale X and y")
    return G, c


def _squared_error(X: FloatArray, y: FloatArray, w: FloatArray) -> float:
    r = y - X @ w
    return float(r @ r)


def _lasso_gram(
    G: FloatArray, c: FloatArray, lam: float, w: FloatArray, max_iter: int, tol: float
) -> tuple[FloatArray, int, bool]:
    """Cyclic coordinate descent on the Gram form of the Lasso objective.

    With G = XᵀX and c = Xᵀy the objective is yᵀy − 2cᵀw + wᵀGw + λ‖w‖₁, and the exact
    minimiser over wⱼ alone is S(ρⱼ, λ/2) / Gⱼⱼ with ρⱼ = cⱼ − (Gw)ⱼ + Gⱼⱼwⱼ. ``q = Gw`` is
    kept up to date with one axpy per changed coordinate. After a full sweep, sweeps run
    over the non-zero coordinates only until they settle; then a full sweep confirms.
    """
    d = G.shape[0]
    diag = np.diag(G).tolist()
    cl = c.tolist()
    half = lam / 2.0
    q = G @ w
    wl = w.tolist()
    cols = [G[:, j] for j in range(d)]
    scale = max(float(np.max(np.abs(c))), 1e-300)
    n_iter = 0
    full = True
    active = list(range(d))
    while n_iter < max_iter:
        n_iter += 1
        idx = range(d) if full else active
        max_step = 0.0
        for j in idx:
            gjj = diag[j]
            if gjj == 0.0:
                continue
            wj = wl[j]
            rho = cl[j] - q[j] + gjj * wj
            if rho > half:
                new = (rho - half) / gjj
            elif rho < -half:
                new = (rho + half) / gjj
            else:
                new = 0.0
            delta = new - wj
            if delta != 0.0:
                wl[j] = new
                q += delta * cols[j]
                step = abs(delta) * gjj
                if step > max_step:
                    max_step = step
        settled = max_step <= tol * scale
        if full:
            if settled:
                return np.array(wl), n_iter, True
            active = [j for j in range(d) if wl[j] != 0.0]
            full = not active
        elif settled:
            full = True
    return np.array(wl), n_iter, False


def lasso(
    X: ArrayLike,
    y: ArrayLike,
    lam: float,
    *,
    max_iter: int = 10_000,
    tol: float = 1e-12,
    w0: ArrayLike | None = None,
) -> LassoResult:
    """Fit Lasso: minimise Σᵢ (yᵢ − wᵀxᵢ)² + λ·Σⱼ |wⱼ| (no intercept, no 1/(2n)).

    Cyclic coordinate descent with soft-thresholding on the precomputed Gram matrix XᵀX.
    When the columns of X are orthogonal with XᵀX = c·I the answer is the closed form
    wⱼ = S(xⱼᵀy, λ/2) / c, reached in one sweep.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,)
    lam : float >= 0
        λ, the weight of the L1 penalty. scikit-learn's ``alpha`` is λ / (2n).
    max_iter : int, default 10_000
        Most coordinate sweeps; a ``ConvergenceWarning`` is issued if they run out.
    tol : float, default 1e-12
        Stop when no coordinate moves the gradient by more than tol·max|Xᵀy|.
    w0 : array_like of shape (n_features,), optional
        Starting coefficients (warm start); zeros by default.

    Returns
    -------
    LassoResult

    Examples
    --------
    >>> lasso([[-1.0], [0.0], [1.0]], [-1, 0, 1], lam=0.6).coef   # S(2, 0.3) / 2
    array([0.85])
    """
    Xa, ya = _check_xy(X, y)
    lam = non_negative(lam, "lam")
    max_iter = positive_int(max_iter, "max_iter")
    tol = non_negative(tol, "tol")
    d = Xa.shape[1]
    if w0 is None:
        w = np.zeros(d)
    else:
        w = as_vector(w0, "w0")
        if w.shape[0] != d:
            raise ValueError(f"w0: expected {d} values (one per column of X), got {w.shape[0]}")
        w = w.copy()
    G, c = _gram(Xa, ya)
    if not np.any(c) and not np.any(w):
        coef, n_iter, converged = np.zeros(d), 0, True
    else:
        coef, n_iter, converged = _lasso_gram(G, c, lam, w, max_iter, tol)
    if not converged:
        warnings.warn(
            f"lasso did not converge in {max_iter} sweeps (lam={lam:g}); raise max_iter or tol",
            ConvergenceWarning,
            stacklevel=2,
        )
    objective = _squared_error(Xa, ya, coef) + lam * float(np.abs(coef).sum())
    return LassoResult(coef=coef, objective=objective, n_iter=n_iter, converged=converged, lam=lam)


def ridge(X: ArrayLike, y: ArrayLike, lam: float) -> RidgeResult:
    """Fit Ridge: minimise Σᵢ (yᵢ − wᵀxᵢ)² + λ·Σⱼ wⱼ² (no intercept).

    The closed form w = (XᵀX + λI)⁻¹ Xᵀy, solved as a linear system (never an explicit
    inverse). For λ > 0 the matrix is positive definite, so a solution always exists,
    even with collinear columns; for λ = 0 and a singular XᵀX, the minimum-norm least
    squares solution is returned.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,)
    lam : float >= 0
        λ, the weight of the L2 penalty (scikit-learn's ``alpha``).

    Returns
    -------
    RidgeResult

    Examples
    --------
    >>> ridge([[1.0, 0.0], [0.0, 1.0]], [3.0, -6.0], lam=2.0).coef   # Xᵀy / (1 + λ)
    array([ 1., -2.])
    """
    Xa, ya = _check_xy(X, y)
    lam = non_negative(lam, "lam")
    G, c = _gram(Xa, ya)
    coef = _ridge_solve(G, c, lam, Xa, ya)
    objective = _squared_error(Xa, ya, coef) + lam * float(coef @ coef)
    return RidgeResult(coef=coef, objective=objective, lam=lam)


def _ridge_solve(
    G: FloatArray, c: FloatArray, lam: float, X: FloatArray, y: FloatArray
) -> FloatArray:
    A = G + lam * np.eye(G.shape[0])
    if lam > 0:
        try:
            return np.linalg.solve(A, c)
        except np.linalg.LinAlgError:  # pragma: no cover - positive definite for lam > 0
            pass
    return np.linalg.lstsq(X, y, rcond=None)[0]


def _check_lams(lams: ArrayLike) -> FloatArray:
    arr = as_vector(lams, "lams")
    if np.any(arr < 0):
        raise ValueError(f"lams: expected values >= 0, got {float(arr.min()):g}")
    return arr


def lasso_path(
    X: ArrayLike, y: ArrayLike, lams: ArrayLike, *, max_iter: int = 10_000, tol: float = 1e-12
) -> PathResult:
    """Lasso fits along ``lams`` (for the coefficient-path plot), warm-started from large λ
    to small. Returned in the order given."""
    Xa, ya = _check_xy(X, y)
    lam_arr = _check_lams(lams)
    positive_int(max_iter, "max_iter")
    tol = non_negative(tol, "tol")
    G, c = _gram(Xa, ya)
    d = Xa.shape[1]
    coefs = np.zeros((lam_arr.size, d))
    objectives = np.zeros(lam_arr.size)
    w = np.zeros(d)
    for k in np.argsort(-lam_arr, kind="stable"):
        lam = float(lam_arr[k])
        w, _, converged = _lasso_gram(G, c, lam, w.copy(), max_iter, tol)
        if not converged:
            warnings.warn(
                f"lasso_path: no convergence at lam={lam:g}", ConvergenceWarning, stacklevel=2
            )
        coefs[k] = w
        objectives[k] = _squared_error(Xa, ya, w) + lam * float(np.abs(w).sum())
    return PathResult(lams=lam_arr, coefs=coefs, objectives=objectives)


def ridge_path(X: ArrayLike, y: ArrayLike, lams: ArrayLike) -> PathResult:
    """Ridge fits along ``lams``; one eigendecomposition of XᵀX serves every λ."""
    Xa, ya = _check_xy(X, y)
    lam_arr = _check_lams(lams)
    G, c = _gram(Xa, ya)
    evals, evecs = np.linalg.eigh(G)
    proj = evecs.T @ c
    coefs = np.zeros((lam_arr.size, Xa.shape[1]))
    objectives = np.zeros(lam_arr.size)
    for k, lam in enumerate(lam_arr):
        denom = evals + lam
        if lam == 0 and np.any(denom <= 1e-12 * max(float(evals.max()), 1.0)):
            w = np.linalg.lstsq(Xa, ya, rcond=None)[0]
        else:
            w = evecs @ (proj / denom)
        coefs[k] = w
        objectives[k] = _squared_error(Xa, ya, w) + float(lam) * float(w @ w)
    return PathResult(lams=lam_arr, coefs=coefs, objectives=objectives)
