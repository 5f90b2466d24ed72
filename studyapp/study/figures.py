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

#: The Elastic Net tab: the mixes α a learner steps through (α = 1 is the L1 ひし形, α = 0
#: the L2 circle), the one shown first, and the regions' size t (with t = 1 all of them
#: cross the axes at ±1).
ENET_ALPHAS = (0.0, 0.25, 0.5, 0.75, 1.0)
ENET_FIRST = 2
ENET_T = 1.0
#: The grouping example: two features with correlation ≈ 0.997 and y = x₁ + x₂, fitted
#: with the penalty strength μ (λ₁ = μα, λ₂ = μ(1 − α)).
GROUP_X1 = (1.0, 2.0, -1.0, 0.5, -1.5, 1.0, -0.5, 2.0)
GROUP_NOISE = (0.1, -0.1, 0.1, -0.1, 0.1, 0.0, -0.1, 0.1)
GROUP_MU = 16.0

#: The coefficient-path data: 30 samples, 5 features, two of them useless.
PATH_TRUE_W = (3.0, -2.0, 0.0, 0.0, 1.5)
PATH_SEED = 0

#: Dropout demo: a layer's activations, 6 units high and 12 wide.
DROPOUT_SHAPE = (6, 12)
DROPOUT_PS = (0.5, 0.2, 0.8)


# ---------------------------------------------------------------------- constraint regions
@dataclass(frozen=True)
class LossContours:
    """The least-squares loss Σ(yᵢ − wᵀxᵢ)² of the constraint data, as contours in (w₁, w₂).

    Attributes
    ----------
    ols : ndarray of shape (2,)
        The unconstrained minimum (the centre of the contours).
    gram : ndarray of shape (2, 2)
        XᵀX: the loss is ``rss_min + (w − ols)ᵀ gram (w − ols)``.
    rss_min : float
    """

    ols: np.ndarray
    gram: np.ndarray
    rss_min: float

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


@dataclass(frozen=True)
class ConstraintFigure(LossContours):
    """Least squares against an L1 and an L2 region of the same size (the loss as in
    :class:`LossContours`).

    Attributes
    ----------
    t : float
        The region's size: ‖w‖₁ ≤ t and ‖w‖₂ ≤ t.
    l1, l2 : ndarray of shape (2,)
        The constrained minima: where the contours first touch the diamond and the circle.
    lam_l1, lam_l2 : float
        The λ of Lasso and Ridge whose penalised fit is that constrained minimum.
    """

    t: float
    l1: np.ndarray
    l2: np.ndarray
    lam_l1: float
    lam_l2: float


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


def constraint_data() -> tuple[np.ndarray, np.ndarray]:
    """The constraint figures' X (5×2, correlated columns) and y."""
    import numpy as np

    X = np.array(CONSTRAINT_X)
    return X, X @ np.array(CONSTRAINT_W) + np.array(CONSTRAINT_NOISE)


def loss_contours() -> LossContours:
    """The least-squares loss of :func:`constraint_data`."""
    import numpy as np

    X, y = constraint_data()
    ols = np.linalg.lstsq(X, y, rcond=None)[0]
    return LossContours(ols=ols, gram=X.T @ X, rss_min=float(np.sum((y - X @ ols) ** 2)))


def constraint_figure(t: float = CONSTRAINT_T) -> ConstraintFigure:
    """Solve both constrained problems through their penalised forms (engine.lasso and
    engine.ridge with the λ that makes the fit's norm equal ``t``)."""
    import numpy as np

    import engine

    X, y = constraint_data()
    loss = loss_contours()
    ols, gram, rss_min = loss.ols, loss.gram, loss.rss_min

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


# ---------------------------------------------------------------------- elastic net
def elastic_net_radius(alpha: float, t: float, c: np.ndarray, s: np.ndarray) -> np.ndarray:
    """How far from 0 the boundary α(|w₁| + |w₂|) + (1 − α)(w₁² + w₂²) = t lies in the
    directions (c, s) (unit vectors): the positive root r of (1 − α)r² + α(|c| + |s|)r = t,
    written 2t / (a + √(a² + 4(1 − α)t)) so that α = 1 (no r² term) needs no special case."""
    import numpy as np

    a = alpha * (np.abs(c) + np.abs(s))
    return 2 * t / (a + np.sqrt(a * a + 4 * (1 - alpha) * t))


def elastic_net_outline(alpha: float, t: float = ENET_T,
                        points: int = 241) -> tuple[np.ndarray, np.ndarray]:
    """The boundary of the Elastic Net region α‖w‖₁ + (1 − α)‖w‖₂² ≤ t, as x and y
    coordinates: the L1 ひし形 at α = 1, the circle w₁² + w₂² = t at α = 0."""
    import numpy as np

    theta = np.linspace(0.0, 2 * np.pi, points)
    c, s = np.cos(theta), np.sin(theta)
    r = elastic_net_radius(alpha, t, c, s)
    return c * r, s * r


def elastic_net_penalty(w: np.ndarray, alpha: float) -> float:
    """α‖w‖₁ + (1 − α)‖w‖₂², with the engine's norms."""
    import engine

    return alpha * float(engine.l1_norm(w)) + (1 - alpha) * float(engine.squared_l2_norm(w))


@dataclass(frozen=True)
class ElasticNetFigure(LossContours):
    """The Elastic Net region α‖w‖₁ + (1 − α)‖w‖₂² ≤ t for one mix α, where the loss of the
    constraint data first touches it, and what the mix does to two correlated features.

    Attributes
    ----------
    alpha, t : float
    axis_point : float
        Where the boundary crosses each axis, (±axis_point, 0) and (0, ±axis_point).
    solution : ndarray of shape (2,)
        The constrained minimum of the loss (its contours' first touch of the region).
    lam1, lam2 : float
        The penalised fit with these λ₁ = μα, λ₂ = μ(1 − α) is that minimum.
    group_corr : float
        The correlation of the two features of the grouping example (y = x₁ + x₂).
    group_lasso, group_enet : ndarray of shape (2,)
        Their fits with the same strength μ: the Lasso (α = 1) and this α.
    """

    alpha: float
    t: float
    axis_point: float
    solution: np.ndarray
    lam1: float
    lam2: float
    group_corr: float
    group_lasso: np.ndarray
    group_enet: np.ndarray

    @property
    def corner_angle(self) -> float:
        """The inner angle, in degrees, of the boundary at its corner on an axis: 90 for the
        ひし形, 180 (no corner) for the circle. Near (r, 0) the boundary's tangent leaves the
        axis with slope (α + 2(1 − α)r)/α, from the gradient of the penalty on either side."""
        if self.alpha == 0:
            return 180.0
        slope = (self.alpha + 2 * (1 - self.alpha) * self.axis_point) / self.alpha
        return math.degrees(2 * math.atan(slope))

    @property
    def sparse(self) -> bool:
        """The solution sits on a corner: one coefficient is exactly 0."""
        return bool(min(abs(float(self.solution[0])), abs(float(self.solution[1]))) == 0.0)

    def outline(self, points: int = 241) -> tuple[np.ndarray, np.ndarray]:
        return elastic_net_outline(self.alpha, self.t, points)


def elastic_net_figure(alpha: float, t: float = ENET_T) -> ElasticNetFigure:
    """The figure of one mix α: the constrained minimum through the penalised form
    (engine.elastic_net with λ₁ = μα, λ₂ = μ(1 − α) and the μ that puts the fit on the
    boundary), and the grouping example fitted with ``GROUP_MU``."""
    import numpy as np

    import engine

    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha: expected a mix from 0 to 1, got {alpha}")
    X, y = constraint_data()
    loss = loss_contours()

    def fit(mu: float) -> np.ndarray:
        return engine.elastic_net(X, y, mu * alpha, mu * (1 - alpha)).coef

    mu = _lam_for_norm(fit, lambda w: elastic_net_penalty(w, alpha), t)
    solution = fit(mu)
    solution[np.abs(solution) < 1e-9] = 0.0

    x1 = np.array(GROUP_X1)
    Xg = np.stack([x1, x1 + np.array(GROUP_NOISE)], axis=1)
    yg = Xg.sum(axis=1)
    group_lasso = engine.elastic_net(Xg, yg, GROUP_MU, 0.0).coef
    group_enet = engine.elastic_net(Xg, yg, GROUP_MU * alpha, GROUP_MU * (1 - alpha)).coef
    for w in (group_lasso, group_enet):
        w[np.abs(w) < 1e-9] = 0.0
    axis = float(elastic_net_radius(alpha, t, np.array(1.0), np.array(0.0)))
    return ElasticNetFigure(
        ols=loss.ols, gram=loss.gram, rss_min=loss.rss_min, alpha=alpha, t=t,
        axis_point=axis, solution=solution, lam1=mu * alpha, lam2=mu * (1 - alpha),
        group_corr=float(np.corrcoef(Xg.T)[0, 1]), group_lasso=group_lasso,
        group_enet=group_enet,
    )


def elastic_net_figures() -> tuple[ElasticNetFigure, ...]:
    """One figure per mix of :data:`ENET_ALPHAS`, in that order."""
    return tuple(elastic_net_figure(alpha) for alpha in ENET_ALPHAS)


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
