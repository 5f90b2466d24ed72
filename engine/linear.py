"""Lasso and Ridge regression, in the source notes' convention.

Both fit a linear model with no intercept and no 1/(2n) in front of the squared error:

* Lasso minimises  Σᵢ (yᵢ − wᵀxᵢ)² + λ·Σⱼ |wⱼ|
* Ridge minimises  Σᵢ (yᵢ − wᵀxᵢ)² + λ·Σⱼ wⱼ²
* Elastic Net minimises  Σᵢ (yᵢ − wᵀxᵢ)² + λ₁·Σⱼ |wⱼ| + λ₂·Σⱼ wⱼ²

In scikit-learn's terms, ``Lasso(alpha=λ / (2n), fit_intercept=False)`` and
``Ridge(alpha=λ, fit_intercept=False)`` solve the same problems.

When the products xᵢⱼ·yᵢ would overflow or underflow (y or X near float64's limits), a
fit first divides y by the power of two that brings the largest product near 1, and
multiplies the coefficients back at the end: Lasso(X, y, λ) = 2ᵇ·Lasso(X, y/2ᵇ, λ/2ᵇ) and
Ridge(X, y, λ) = 2ᵇ·Ridge(X, y/2ᵇ, λ), exact in binary. Data that float64 cannot fit
(XᵀX overflowing, a column so small that its products underflow, coefficients or an
objective beyond 1.8e308) is a ``ValueError`` naming the argument, never inf, NaN or a
warning.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from engine._scaled import overflow, sum_abs, sum_squares, times, to_float
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
class ElasticNetResult:
    """An Elastic Net fit.

    Attributes
    ----------
    coef : ndarray of shape (n_features,)
    objective : float
        Σ(yᵢ − wᵀxᵢ)² + λ₁·Σ|wⱼ| + λ₂·Σwⱼ² at ``coef``.
    n_iter : int
        Full sweeps over the coordinates.
    converged : bool
    lam1, lam2 : float
    """

    coef: FloatArray
    objective: float
    n_iter: int
    converged: bool
    lam1: float
    lam2: float


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


# A column whose Σxᵢⱼ² is below this has products in XᵀX that underflow: refused rather
# than fitted on a Gram matrix that has lost them (2⁻⁹⁶⁰ ≈ 1.1e-289).
_SMALLEST_GRAM = 2.0**-960


@dataclass(frozen=True)
class _Data:
    """X, y divided by 2ᵇ, and XᵀX, Xᵀ(y/2ᵇ): what every fit starts from."""

    X: FloatArray
    y: FloatArray  # y / 2ᵇ (b is 0 unless the products xᵢⱼ·yᵢ leave float64's range)
    b: int
    G: FloatArray
    c: FloatArray


def _data(Xa: FloatArray, ya: FloatArray) -> _Data:
    """The checked X and y made ready: y scaled if need be, XᵀX and Xᵀy formed and checked.

    Xᵀy sums n products of at most 2ᵗ (t the exponents of max|X| and max|y| added): it
    can overflow when t + log₂n nears 1024, and its products vanish when t nears −1074.
    Outside that range y is divided by 2ᵗ; inside it nothing changes, so that ordinary
    data (and a y whose entries span a range a single scale could not keep) is fitted
    as given.
    """
    b = 0
    if np.any(ya) and np.any(Xa):
        t = _exponent(Xa) + _exponent(ya)
        if t + Xa.shape[0].bit_length() > 1000 or t < -900:
            b = t
    with np.errstate(under="ignore"):
        ys = np.ldexp(ya, -b) if b else ya
    G, c = _gram(Xa, ys)
    return _Data(Xa, ys, b, G, c)


def _exponent(a: FloatArray) -> int:
    """k with max|aᵢ| in [2ᵏ⁻¹, 2ᵏ)."""
    return math.frexp(float(np.max(np.abs(a))))[1]


def _gram(X: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """XᵀX and Xᵀy, refusing data so large that they overflow (a fit on inf is no fit) or
    so small that they underflow (a fit on lost products is a wrong fit)."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        G = X.T @ X
        c = X.T @ y
    if not (np.all(np.isfinite(G)) and np.all(np.isfinite(c))):
        raise ValueError("X: values too large: XᵀX or Xᵀy overflows float64; rescale X and y")
    diag = np.diag(G)
    low = diag < _SMALLEST_GRAM
    # an all-zero column is fine (its coefficient is 0); look at X only when one is low
    tiny = low & np.any(X != 0.0, axis=0) if np.any(low) else low
    if np.any(tiny):
        j = int(np.argmax(tiny))
        raise ValueError(f"X: values too small: column {j} has Σxᵢ² = {diag[j]:.3g}, below "
                         "1e-289, where float64 loses the products of XᵀX; rescale X")
    return G, c


def _unscaled(w: FloatArray, b: int) -> FloatArray:
    """Coefficients of the scaled problem times 2ᵇ, refusing any beyond float64."""
    with np.errstate(over="ignore", under="ignore"):
        out = np.ldexp(w, b)
    if not np.all(np.isfinite(out)):
        raise ValueError("y: the coefficients overflow float64 (y is too large for the "
                         "columns of X); rescale y or X")
    return out


def _objective(data: _Data, w_scaled: FloatArray, w: FloatArray, lam: float,
               kind: str) -> float:
    """Σ(yᵢ − wᵀxᵢ)² + λ·R(w), from the scaled residual so no square overflows.

    At the optimum it is at most Σyᵢ² (its value at w = 0), so it overflows only for a y
    whose own squares do: the error names y.
    """
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        r = data.y - data.X @ w_scaled
    s, k = sum_squares(r)
    name, what = "y", "the objective Σ(yᵢ − wᵀxᵢ)² + λ·R(w)"
    error = to_float((s, k + 2 * data.b), name, what)
    reg = sum_abs(w) if kind == "l1" else sum_squares(w)
    total = error + to_float(times(lam, reg), name, what)
    if math.isinf(total):
        raise overflow(name, what)
    return total


def _scaled_lam(lam: float, b: int) -> float:
    """λ/2ᵇ for the Lasso on y/2ᵇ; inf where that is beyond float64 (every wⱼ is then 0,
    as it would be for any λ that large)."""
    try:
        return math.ldexp(lam, -b)
    except OverflowError:
        return math.inf


def _lasso_gram(
    G: FloatArray, c: FloatArray, lam: float, w: FloatArray, max_iter: int, tol: float
) -> tuple[FloatArray, int, bool]:
    """:func:`_descend`, refusing a run that overflowed on the way.

    Once an entry of q = Gw is inf or NaN it stays so (q is only added to), and NaN
    comparisons would quietly set coordinates to 0: checking q at the end catches both.
    """
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        coef, q, n_iter, converged = _descend(G, c, lam, w, max_iter, tol)
    if not (np.all(np.isfinite(q)) and np.all(np.isfinite(coef))):
        raise ValueError("X: coordinate descent overflows float64 on these data; "
                         "rescale X and y")
    return coef, n_iter, converged


def _descend(
    G: FloatArray, c: FloatArray, lam: float, w: FloatArray, max_iter: int, tol: float
) -> tuple[FloatArray, FloatArray, int, bool]:
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
                return np.array(wl), q, n_iter, True
            active = [j for j in range(d) if wl[j] != 0.0]
            full = not active
        elif settled:
            full = True
    return np.array(wl), q, n_iter, False


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
    data = _data(Xa, ya)
    with np.errstate(under="ignore"):
        w = np.ldexp(w, -data.b)  # a new array: the warm start given is not changed
    if not np.any(data.c) and not np.any(w):
        coef_s, n_iter, converged = np.zeros(d), 0, True
    else:
        coef_s, n_iter, converged = _lasso_gram(data.G, data.c, _scaled_lam(lam, data.b), w,
                                                max_iter, tol)
    if not converged:
        warnings.warn(
            f"lasso did not converge in {max_iter} sweeps (lam={lam:g}); raise max_iter or tol",
            ConvergenceWarning,
            stacklevel=2,
        )
    coef = _unscaled(coef_s, data.b)
    objective = _objective(data, coef_s, coef, lam, "l1")
    return LassoResult(coef=coef, objective=objective, n_iter=n_iter, converged=converged, lam=lam)


def elastic_net(
    X: ArrayLike,
    y: ArrayLike,
    lam1: float,
    lam2: float,
    *,
    max_iter: int = 10_000,
    tol: float = 1e-12,
) -> ElasticNetResult:
    """Fit Elastic Net: minimise Σᵢ (yᵢ − wᵀxᵢ)² + λ₁·Σⱼ |wⱼ| + λ₂·Σⱼ wⱼ² (no intercept,
    no 1/(2n)).

    The L2 term only adds λ₂ to the diagonal of XᵀX, so this is the Lasso's coordinate
    descent on XᵀX + λ₂I: each coordinate becomes S(ρⱼ, λ₁/2) / ((XᵀX)ⱼⱼ + λ₂). When
    XᵀX = I the answer is the closed form wⱼ = S(zⱼ, λ₁/2) / (1 + λ₂) with z = Xᵀy:
    soft-thresholding (Lasso) followed by shrinking (Ridge). λ₂ = 0 is the Lasso and
    λ₁ = 0 is Ridge. In scikit-learn's terms ``ElasticNet(alpha=a, l1_ratio=r,
    fit_intercept=False)`` with a·r = λ₁/(2n) and a·(1 − r) = λ₂/n.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
    y : array_like of shape (n_samples,)
    lam1 : float >= 0
        λ₁, the weight of the L1 penalty.
    lam2 : float >= 0
        λ₂, the weight of the L2 penalty.
    max_iter, tol
        As for :func:`lasso`.

    Returns
    -------
    ElasticNetResult

    Examples
    --------
    >>> elastic_net([[1.0, 0.0], [0.0, 1.0]], [3.0, -0.5], lam1=2.0, lam2=1.0).coef
    array([1., 0.])
    """
    Xa, ya = _check_xy(X, y)
    lam1 = non_negative(lam1, "lam1")
    lam2 = non_negative(lam2, "lam2")
    max_iter = positive_int(max_iter, "max_iter")
    tol = non_negative(tol, "tol")
    d = Xa.shape[1]
    data = _data(Xa, ya)
    with np.errstate(over="ignore"):
        G = data.G + lam2 * np.eye(d)
    if not np.all(np.isfinite(G)):
        raise ValueError(f"lam2: XᵀX + λ₂I overflows float64 (lam2 = {lam2:g}); "
                         "rescale lam2 or X")
    if not np.any(data.c):
        coef_s, n_iter, converged = np.zeros(d), 0, True
    else:
        coef_s, n_iter, converged = _lasso_gram(G, data.c, _scaled_lam(lam1, data.b),
                                                np.zeros(d), max_iter, tol)
    if not converged:
        warnings.warn(
            f"elastic_net did not converge in {max_iter} sweeps (lam1={lam1:g}, "
            f"lam2={lam2:g}); raise max_iter or tol",
            ConvergenceWarning,
            stacklevel=2,
        )
    coef = _unscaled(coef_s, data.b)
    objective = _objective(data, coef_s, coef, lam1, "l1")
    total = objective + to_float(times(lam2, sum_squares(coef)), "y",
                                 "the objective Σ(yᵢ − wᵀxᵢ)² + λ₁·Σ|wⱼ| + λ₂·Σwⱼ²")
    if math.isinf(total):
        raise overflow("y", "the objective Σ(yᵢ − wᵀxᵢ)² + λ₁·Σ|wⱼ| + λ₂·Σwⱼ²")
    return ElasticNetResult(coef=coef, objective=total, n_iter=n_iter, converged=converged,
                            lam1=lam1, lam2=lam2)


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
    data = _data(Xa, ya)
    coef_s = _ridge_solve(data, lam)
    coef = _unscaled(coef_s, data.b)
    objective = _objective(data, coef_s, coef, lam, "l2")
    return RidgeResult(coef=coef, objective=objective, lam=lam)


def _ridge_solve(data: _Data, lam: float) -> FloatArray:
    """(XᵀX + λI)⁻¹Xᵀy on the scaled y; least squares for λ = 0 or a singular system."""
    with np.errstate(over="ignore"):
        A = data.G + lam * np.eye(data.G.shape[0])
    if not np.all(np.isfinite(A)):
        raise ValueError(f"lam: XᵀX + λI overflows float64 (λ = {lam:g}); rescale lam or X")
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        if lam > 0:
            try:
                return np.linalg.solve(A, data.c)
            except np.linalg.LinAlgError:  # pragma: no cover - positive definite for lam > 0
                pass
        return np.linalg.lstsq(data.X, data.y, rcond=None)[0]


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
    data = _data(Xa, ya)
    d = Xa.shape[1]
    coefs = np.zeros((lam_arr.size, d))
    objectives = np.zeros(lam_arr.size)
    w = np.zeros(d)
    for k in np.argsort(-lam_arr, kind="stable"):
        lam = float(lam_arr[k])
        w, _, converged = _lasso_gram(data.G, data.c, _scaled_lam(lam, data.b), w.copy(),
                                      max_iter, tol)
        if not converged:
            warnings.warn(
                f"lasso_path: no convergence at lam={lam:g}", ConvergenceWarning, stacklevel=2
            )
        coefs[k] = _unscaled(w, data.b)
        objectives[k] = _objective(data, w, coefs[k], lam, "l1")
    return PathResult(lams=lam_arr, coefs=coefs, objectives=objectives)


def ridge_path(X: ArrayLike, y: ArrayLike, lams: ArrayLike) -> PathResult:
    """Ridge fits along ``lams``; one eigendecomposition of XᵀX serves every λ."""
    Xa, ya = _check_xy(X, y)
    lam_arr = _check_lams(lams)
    data = _data(Xa, ya)
    evals, evecs = np.linalg.eigh(data.G)
    proj = evecs.T @ data.c
    coefs = np.zeros((lam_arr.size, Xa.shape[1]))
    objectives = np.zeros(lam_arr.size)
    for k, lam in enumerate(lam_arr.tolist()):
        with np.errstate(over="ignore"):
            denom = evals + lam
        if not np.all(np.isfinite(denom)):
            raise ValueError(f"lams: XᵀX + λI overflows float64 at lams[{k}] = {lam:g}; "
                             "rescale lams or X")
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            if lam == 0 and np.any(denom <= 1e-12 * max(float(evals.max()), 1.0)):
                w = np.linalg.lstsq(data.X, data.y, rcond=None)[0]
            else:
                w = evecs @ (proj / denom)
        coefs[k] = _unscaled(w, data.b)
        objectives[k] = _objective(data, w, coefs[k], lam, "l2")
    return PathResult(lams=lam_arr, coefs=coefs, objectives=objectives)
