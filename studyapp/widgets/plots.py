"""The teaching plots of the explore screen: what each one shows, computed with the
engine, and how it is drawn on a plotext figure.

Every figure is a small frozen dataclass computed once (numpy and the engine, no
Textual), and a ``draw_*`` function that draws it on a ``textual_plotext`` figure of a
given size. :class:`FigurePlot` is a ``PlotextPlot`` that calls its drawing function at
every render, so a plot keeps an equal aspect (a circle looks round) whatever its size.
This module imports textual-plotext; the figure functions import numpy and the engine
when called (the screen calls them in a worker thread). Import it lazily.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

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

# Colours as RGB (distinct on dark and light themes): the constraint regions and their
# solutions, the loss contours, the least-squares point, one colour per feature.
RGB = tuple[int, int, int]
L1_COLOR: RGB = (235, 80, 80)
L2_COLOR: RGB = (40, 185, 225)
LOSS_COLOR: RGB = (150, 150, 150)
OLS_COLOR: RGB = (225, 180, 0)
AXIS_COLOR = "default"  # the theme's foreground
FEATURE_COLORS: tuple[RGB, ...] = (
    (235, 80, 80), (80, 200, 90), (90, 140, 255), (240, 170, 40), (200, 100, 230),
)

Drawer = Callable[[Plot, int, int], None]


def _axes(plt: Plot, x_range: tuple[float, float] | None,
          y_range: tuple[float, float] | None) -> None:
    """The lines w = 0 (vertical, when ``x_range`` holds 0) and 0 on the y axis, drawn
    as data so they stay inside the frame."""
    if y_range is not None and x_range is not None and x_range[0] <= 0 <= x_range[1]:
        plt.plot([0.0, 0.0], list(y_range), marker="braille", color=AXIS_COLOR)
    if x_range is not None and (y_range is None or y_range[0] <= 0 <= y_range[1]):
        plt.plot(list(x_range), [0.0, 0.0], marker="braille", color=AXIS_COLOR)


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


def _equal_aspect(x: tuple[float, float], y: tuple[float, float], width: int,
                  height: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Widen one range so one unit is as long across as down (a cell is about twice as
    tall as it is wide; the axes take about 8 columns and 3 rows)."""
    cols = max(width - 8, 4)
    rows = max(height - 3, 2)
    per_col = (x[1] - x[0]) / cols
    per_row = (y[1] - y[0]) / (2 * rows)
    if per_col < per_row:
        mid, half = (x[0] + x[1]) / 2, per_row * cols / 2
        x = (mid - half, mid + half)
    else:
        mid, half = (y[0] + y[1]) / 2, per_col * rows
        y = (mid - half, mid + half)
    return x, y


def _region(kind: str, t: float, points: int = 240) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    theta = np.linspace(0.0, 2 * np.pi, points)
    if kind == "l1":  # |w1| + |w2| = t: the unit circle pushed onto the diamond
        c, s = np.cos(theta), np.sin(theta)
        scale = t / (np.abs(c) + np.abs(s))
        return c * scale, s * scale
    return t * np.cos(theta), t * np.sin(theta)


def draw_constraint(plt: Plot, fig: ConstraintFigure, kind: str, width: int,
                    height: int) -> None:
    """The L1 diamond (``kind="l1"``) or the L2 circle with the loss contours touching it."""
    solution = fig.l1 if kind == "l1" else fig.l2
    color = L1_COLOR if kind == "l1" else L2_COLOR
    touch = fig.rss(solution)
    x_range, y_range = _equal_aspect((-1.6, 2.6), (-1.5, 1.5), width, height)
    _axes(plt, x_range, y_range)
    for level in (fig.rss_min + (touch - fig.rss_min) * f for f in (0.15, 0.5, 1.0, 1.8)):
        xs, ys = fig.contour(level)
        plt.plot(xs.tolist(), ys.tolist(), marker="braille", color=LOSS_COLOR)
    xs, ys = _region(kind, fig.t)
    plt.plot(xs.tolist(), ys.tolist(), marker="braille", color=color)
    plt.scatter([float(fig.ols[0])], [float(fig.ols[1])], marker="x", color=OLS_COLOR)
    plt.scatter([float(solution[0])], [float(solution[1])], marker="●", color=color)
    plt.xlim(*x_range)
    plt.ylim(*y_range)
    for axis, (low, high) in ((plt.xticks, x_range), (plt.yticks, y_range)):
        whole = list(range(math.ceil(low), math.floor(high) + 1))  # whole numbers
        axis(whole, [str(v) for v in whole])
    plt.xlabel("w1")
    plt.ylabel("w2")
    plt.title("|w1| + |w2| <= t" if kind == "l1" else "w1^2 + w2^2 <= t^2")


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


def draw_path(plt: Plot, fig: PathFigure, kind: str, width: int, height: int) -> None:
    """One coefficient per line against log10 λ (``kind`` "lasso" or "ridge")."""
    coefs = fig.lasso if kind == "lasso" else fig.ridge
    x = fig.log_lams.tolist()
    _axes(plt, (x[0], x[-1]), None)
    for j in range(coefs.shape[1]):
        plt.plot(x, coefs[:, j].tolist(), marker="braille",
                 color=FEATURE_COLORS[j % len(FEATURE_COLORS)], label=f"w{j + 1}")
    decades = range(math.ceil(x[0]), math.floor(x[-1]) + 1)
    plt.xticks(list(decades), [f"{10.0 ** k:g}" for k in decades])
    plt.xlabel("lambda (log scale)")
    plt.title("Lasso" if kind == "lasso" else "Ridge")


# ---------------------------------------------------------------------- penalties
@dataclass(frozen=True)
class PenaltyFigure:
    """|w| and w² over w, and their gradients λ·sign(w) and 2λw (λ = 1)."""

    w: np.ndarray
    l1: np.ndarray
    l2: np.ndarray
    l1_grad: np.ndarray
    l2_grad: np.ndarray


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


def draw_penalties(plt: Plot, fig: PenaltyFigure, gradient: bool, width: int,
                   height: int) -> None:
    """The penalties (``gradient=False``) or their gradients."""
    w = fig.w.tolist()
    if gradient:
        low = float(min(fig.l1_grad.min(), fig.l2_grad.min()))
        high = float(max(fig.l1_grad.max(), fig.l2_grad.max()))
        _axes(plt, (w[0], w[-1]), (low, high))
        neg, pos = fig.w < 0, fig.w > 0  # sign(w) jumps at 0: draw each side apart
        plt.plot(fig.w[neg].tolist(), fig.l1_grad[neg].tolist(), marker="braille",
                 color=L1_COLOR, label="d|w|/dw = sign(w)")
        plt.plot(fig.w[pos].tolist(), fig.l1_grad[pos].tolist(), marker="braille",
                 color=L1_COLOR)
        plt.plot(w, fig.l2_grad.tolist(), marker="braille", color=L2_COLOR,
                 label="d(w^2)/dw = 2w")
        plt.title("gradient")
    else:
        _axes(plt, (w[0], w[-1]), (0.0, float(max(fig.l1.max(), fig.l2.max()))))
        plt.plot(w, fig.l1.tolist(), marker="braille", color=L1_COLOR, label="|w|")
        plt.plot(w, fig.l2.tolist(), marker="braille", color=L2_COLOR, label="w^2")
        plt.title("penalty")
    plt.xlabel("w")


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


# ---------------------------------------------------------------------- the widget
class FigurePlot(PlotextPlot):
    """A plotext plot redrawn from ``drawer(plt, width, height)`` at every render.

    The screen sets ``drawer`` (attributes down); the plot only draws.
    """

    def __init__(self, drawer: Drawer | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.drawer = drawer

    def set_drawer(self, drawer: Drawer) -> None:
        self.drawer = drawer
        self.refresh()

    def render(self):  # type: ignore[no-untyped-def]
        self.plt.clear_figure()
        if self.drawer is not None:
            self.drawer(self.plt, self.size.width, self.size.height)
        return super().render()


# ---------------------------------------------------------------------- a problem's path
@dataclass(frozen=True)
class ProblemPathFigure:
    """The coefficient path of one generated Lasso or Ridge problem, around its λ."""

    kind: str
    lam: float
    lams: np.ndarray
    coefs: np.ndarray


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


def draw_problem_path(plt: Plot, fig: ProblemPathFigure, width: int, height: int) -> None:
    """Each coefficient against log10 λ, with the problem's λ as a vertical line."""
    import numpy as np

    x = np.log10(fig.lams).tolist()
    _axes(plt, (x[0], x[-1]), None)
    for j in range(fig.coefs.shape[1]):
        plt.plot(x, fig.coefs[:, j].tolist(), marker="braille",
                 color=FEATURE_COLORS[j % len(FEATURE_COLORS)], label=f"w{j + 1}")
    if fig.lam > 0:
        plt.vline(math.log10(fig.lam), color=OLS_COLOR)
    decades = range(math.ceil(x[0]), math.floor(x[-1]) + 1)
    plt.xticks(list(decades), [f"{10.0 ** k:g}" for k in decades])
    plt.xlabel(f"lambda (log scale); this problem: {fig.lam:g}")
    plt.title(("Lasso" if fig.kind == "lasso" else "Ridge") + " path of this problem's data")
