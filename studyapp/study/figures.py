"""The figures the explore screen and the practice feedback draw: what each one shows,
computed with numpy and the engine.

Every figure is a small frozen dataclass computed once, with no Textual and no plotting:
``studyapp.widgets.plots`` draws them. numpy and the engine are imported when a figure is
computed (the screens do it in a worker thread), so importing this module is cheap.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: The constraint figure's data: two correlated features, so the loss's contours are
#: tilted ellipses; y = X·(2.0, 0.6) + noise, the least-squares fit is about (2.0, 0.52).
CONSTRAINT_X = ((1.0, 0.4), (0.5, 1.0), (1.0, -0.3), (-0.2, 0.6), (0.8, 0.2))
CONSTRAINT_W = (2.0, 0.6)
CONSTRAINT_NOISE = (0.1, -0.2, 0.05, 0.1, -0.1)
#: The size of both constraint regions: |w1| + |w2| <= t and sqrt(w1² + w2²) <= t.
CONSTRAINT_T = 1.2

#: The coefficient-path data: 30 samples, 5 features, two of them useless.
PATH_TRUE_W = (3.0, -2.0, 0.0, 0.0, 1.5)
PATH_SEED = 0

#: Dropout demo: a layer's activations, 6 units high and 12 wide.
DROPOUT_SHAPE = (6, 12)
DROPOUT_PS = (0.5, 0.2, 0.8)


# ---------------------------------------------------------------------- constraint regions
@dataclass(frozen=True)
class ConstraintFigure:
    """Least squares Σ(yᵢ − wᵀxᵢ)² against an L1 and an L2 region of the same size.

    Attributes
    ----------
    ols : ndarray of shape (2,)
        The unconstrained minimum (the centre of the contours).
    gram : ndarray of shape (2, 2)
        XᵀX: the loss is ``rss_min + (w − ols)ᵀ gram (w − ols)``.
    rss_min : float
    t : float
        The region's size: ‖w‖₁ ≤ t and ‖w‖₂ ≤ t.
    l1, l2 : ndarray of shape (2,)
        The constrained minima: where the contours first touch the diamond and the circle.
    lam_l1, lam_l2 : float
        The λ of Lasso and Ridge whose penalised fit is that constrained minimum.
    """

    ols: np.ndarray
    gram: np.ndarray
    rss_min: float
    t: float
    l1: np.ndarray
    l2: np.ndarray
    lam_l1: float
    lam_l2: float

    def rss(self, w: np.ndarray) -> float:
        import numpy as np

        d = np.asarray(w, dtype=float) - self.ols
        return self.rss_min + float(d @ self.gram @ d)

    def contour(self, level: float, points: int = 240) -> tuple[np.ndarray, np.ndarray]:
        """Points of the ellipse where the loss equals ``level``."""
        import numpy as np

        c = np.sqrt(max(level - self.rss_min, 0.0))
        theta = np.linspace(0.0, 2 * np.pi, points)
        circle = np.stack([np.cos(theta), np.sin(theta)])
        chol = np.linalg.cholesky(self.gram)  # gram = L Lᵀ, so w = ols + c L⁻ᵀ u
        w = self.ols[:, None] + c * np.linalg.solve(chol.T, circle)
        return w[0], w[1]


def _lam_for_norm(fit: Callable[[float], np.ndarray], norm: Callable[[np.ndarray], float],
                  t: float) -> float:
    """The λ at which ``norm(fit(λ)) == t`` (the norm falls as λ grows): bisection."""
    lo, hi = 0.0, 1.0
    while norm(fit(hi)) > t:
        hi *= 2.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if norm(fit(mid)) > t:
            lo = mid
        else:
            hi = mid
    return hi


def constraint_figure(t: float = CONSTRAINT_T) -> ConstraintFigure:
    """Solve both constrained problems through their penalised forms (engine.lasso and
    engine.ridge with the λ that makes the fit's norm equal ``t``)."""
    import numpy as np

    import engine

    X = np.array(CONSTRAINT_X)
    y = X @ np.array(CONSTRAINT_W) + np.array(CONSTRAINT_NOISE)
    ols = np.linalg.lstsq(X, y, rcond=None)[0]
    gram = X.T @ X
    rss_min = float(np.sum((y - X @ ols) ** 2))

    def lasso_fit(lam: float) -> np.ndarray:
        return engine.lasso(X, y, lam).coef

    def ridge_fit(lam: float) -> np.ndarray:
        return engine.ridge(X, y, lam).coef

    lam_l1 = _lam_for_norm(lasso_fit, engine.l1_norm, t)
    lam_l2 = _lam_for_norm(ridge_fit, engine.l2_norm, t)
    l1 = lasso_fit(lam_l1)
    l1[np.abs(l1) < 1e-9] = 0.0
    return ConstraintFigure(ols=ols, gram=gram, rss_min=rss_min, t=t, l1=l1,
                            l2=ridge_fit(lam_l2), lam_l1=lam_l1, lam_l2=lam_l2)


def region_outline(kind: str, t: float, points: int = 240) -> tuple[np.ndarray, np.ndarray]:
    """The boundary of the L1 region |w1| + |w2| = t (``kind="l1"``) or of the L2 region
    w1² + w2² = t², as x and y coordinates."""
    import numpy as np

    theta = np.linspace(0.0, 2 * np.pi, points)
    if kind == "l1":  # |w1| + |w2| = t: the unit circle pushed onto the diamond
        c, s = np.cos(theta), np.sin(theta)
        scale = t / (np.abs(c) + np.abs(s))
        return c * scale, s * scale
    return t * np.cos(theta), t * np.sin(theta)


# ---------------------------------------------------------------------- coefficient paths
@dataclass(frozen=True)
class PathFigure:
    """Lasso and Ridge coefficients along λ (log scale) on a fixed small dataset.

    ``lams`` has shape (k,), ``lasso`` and ``ridge`` have shape (k, 5).
    """

    lams: np.ndarray
    lasso: np.ndarray
    ridge: np.ndarray

    @property
    def log_lams(self) -> np.ndarray:
        import numpy as np

        return np.log10(self.lams)

    def zero_at(self) -> list[float | None]:
        """For each feature, the smallest λ of the grid from which its Lasso coefficient
        stays 0 (None when it never does)."""
        import numpy as np

        out: list[float | None] = []
        for j in range(self.lasso.shape[1]):
            zero = np.abs(self.lasso[:, j]) < 1e-10
            k = len(zero)
            while k > 0 and zero[k - 1]:
                k -= 1
            out.append(float(self.lams[k]) if k < len(zero) else None)
        return out


def path_figure(points: int = 60) -> PathFigure:
    """Both paths on 30 samples of 5 features (seeded), λ from 1/1000 of the Lasso's
    λ_max = 2·max|Xᵀy| to a little above it."""
    import numpy as np

    import engine

    rng = np.random.default_rng(PATH_SEED)
    X = rng.normal(size=(30, 5))
    y = X @ np.array(PATH_TRUE_W) + rng.normal(scale=1.0, size=30)
    lam_max = 2 * float(np.max(np.abs(X.T @ y)))
    lams = np.logspace(np.log10(lam_max) - 3, np.log10(lam_max) + 0.2, points)
    return PathFigure(lams=lams, lasso=engine.lasso_path(X, y, lams).coefs,
                      ridge=engine.ridge_path(X, y, lams).coefs)


# ---------------------------------------------------------------------- penalties
@dataclass(frozen=True)
class PenaltyFigure:
    """|w| and w² over w, and their gradients λ·sign(w) and 2λw (λ = 1)."""

    w: np.ndarray
    l1: np.ndarray
    l2: np.ndarray
    l1_grad: np.ndarray
    l2_grad: np.ndarray

    @property
    def penalty_range(self) -> tuple[float, float]:
        """From 0 to the largest penalty on the grid."""
        return 0.0, float(max(self.l1.max(), self.l2.max()))

    @property
    def gradient_range(self) -> tuple[float, float]:
        """The smallest and the largest gradient on the grid."""
        return (float(min(self.l1_grad.min(), self.l2_grad.min())),
                float(max(self.l1_grad.max(), self.l2_grad.max())))

    def l1_grad_branches(self) -> list[tuple[list[float], list[float]]]:
        """sign(w) for w < 0 and for w > 0 as two (w, gradient) lines: it jumps at 0, so a
        plot draws each side apart instead of a vertical line through the origin."""
        return [(self.w[side].tolist(), self.l1_grad[side].tolist())
                for side in (self.w < 0, self.w > 0)]


def penalty_figure(points: int = 201, lam: float = 1.0) -> PenaltyFigure:
    """The curves on w in [−2, 2], each value from the engine."""
    import numpy as np

    import engine

    w = np.linspace(-2.0, 2.0, points)
    return PenaltyFigure(
        w=w,
        l1=np.array([engine.l1_penalty([v], lam) for v in w]),
        l2=np.array([engine.l2_penalty([v], lam) for v in w]),
        l1_grad=np.asarray(engine.l1_gradient(w, lam), dtype=float),
        l2_grad=np.asarray(engine.l2_gradient(w, lam), dtype=float),
    )


# ---------------------------------------------------------------------- dropout
@dataclass(frozen=True)
class DropoutFigure:
    """One draw of inverted dropout on a layer's activations.

    ``x`` are the activations, ``mask`` the kept units (1) and dropped ones (0),
    ``out = x·mask/(1 − p)`` what the next layer receives while training.
    """

    seed: int
    p: float
    x: np.ndarray
    mask: np.ndarray
    out: np.ndarray

    @property
    def kept(self) -> int:
        return int(self.mask.sum())


def dropout_figure(seed: int, p: float) -> DropoutFigure:
    """Activations 1…9 (fixed) and a mask drawn by ``engine.dropout`` with ``seed``."""
    import numpy as np

    import engine

    rows, cols = DROPOUT_SHAPE
    x = (np.arange(rows * cols).reshape(rows, cols) * 7 % 9 + 1).astype(float)
    out, mask = engine.dropout(x, p, seed)
    return DropoutFigure(seed=seed, p=p, x=x, mask=np.asarray(mask, dtype=int),
                         out=np.asarray(out, dtype=float))


# ---------------------------------------------------------------------- a problem's path
@dataclass(frozen=True)
class ProblemPathFigure:
    """The coefficient path of one generated Lasso or Ridge problem, around its λ."""

    kind: str
    lam: float
    lams: np.ndarray
    coefs: np.ndarray

    @property
    def log_lams(self) -> np.ndarray:
        import numpy as np

        return np.log10(self.lams)

    @property
    def log_lam(self) -> float | None:
        """log10 of the problem's λ (None for λ = 0, which a log axis cannot show)."""
        return math.log10(self.lam) if self.lam > 0 else None


def problem_path_figure(kind: str, X: list[list[float]], y: list[float], lam: float,
                        points: int = 60) -> ProblemPathFigure:
    """Lasso or Ridge coefficients of the problem's data for λ from lam/100 (or a small
    value) to well past where every Lasso coefficient is 0."""
    import numpy as np

    import engine

    Xa, ya = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    lam_max = max(2 * float(np.max(np.abs(Xa.T @ ya))), lam, 1e-3)
    low = max(min(lam, lam_max) / 100, lam_max / 1000)
    lams = np.logspace(np.log10(low), np.log10(lam_max * 4), points)
    fit = engine.lasso_path if kind == "lasso" else engine.ridge_path
    return ProblemPathFigure(kind=kind, lam=lam, lams=lams, coefs=fit(Xa, ya, lams).coefs)
