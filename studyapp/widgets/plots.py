"""The teaching plots: the figures of ``studyapp.study.figures`` drawn on a plotext figure.

Each ``draw_*`` function draws a computed figure on a ``textual_plotext`` figure of a given
size; :class:`FigurePlot` is a ``PlotextPlot`` that calls its drawing function at every
render, so a plot keeps an equal aspect (a circle looks round) whatever its size. No
numbers are computed here beyond the axes' ranges. This module imports textual-plotext:
import it lazily.

A drawing function may return a legend, ``[(label, colour), …]``: the plot draws it in
its own rows under the axes (plotext's legend sits inside the frame, over the curves).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from studyapp.widgets.pieces import Pieces

if TYPE_CHECKING:
    from studyapp.study.figures import (
        ConstraintFigure,
        PathFigure,
        PenaltyFigure,
        ProblemPathFigure,
    )

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

#: A legend: each curve's label and colour.
Legend = list[tuple[str, RGB]]
Drawer = Callable[[Plot, int, int], "Legend | None"]
#: A plot keeps at least this many rows when its legend takes some.
MIN_PLOT_ROWS = 6


def legend_lines(legend: Legend, width: int) -> list[Text]:
    """``━━ w1  ━━ w2 …`` in the curves' colours, wrapped between entries to ``width``."""
    pieces = []
    for label, rgb in legend:
        piece = Text("━━ ", style=Style(color=Color.from_rgb(*rgb), bold=True))
        piece.append(label)
        pieces.append(piece)
    return Pieces(pieces, "  ").lines(width)


def _axes(plt: Plot, x_range: tuple[float, float] | None,
          y_range: tuple[float, float] | None) -> None:
    """The lines w = 0 (vertical, when ``x_range`` holds 0) and 0 on the y axis, drawn
    as data so they stay inside the frame."""
    if y_range is not None and x_range is not None and x_range[0] <= 0 <= x_range[1]:
        plt.plot([0.0, 0.0], list(y_range), marker="braille", color=AXIS_COLOR)
    if x_range is not None and (y_range is None or y_range[0] <= 0 <= y_range[1]):
        plt.plot(list(x_range), [0.0, 0.0], marker="braille", color=AXIS_COLOR)


# ---------------------------------------------------------------------- constraint regions
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


def draw_constraint(plt: Plot, fig: ConstraintFigure, kind: str, width: int,
                    height: int) -> None:
    """The L1 diamond (``kind="l1"``) or the L2 circle with the loss contours touching it."""
    from studyapp.study.figures import region_outline

    solution = fig.l1 if kind == "l1" else fig.l2
    color = L1_COLOR if kind == "l1" else L2_COLOR
    touch = fig.rss(solution)
    x_range, y_range = _equal_aspect((-1.6, 2.6), (-1.5, 1.5), width, height)
    _axes(plt, x_range, y_range)
    for level in (fig.rss_min + (touch - fig.rss_min) * f for f in (0.15, 0.5, 1.0, 1.8)):
        xs, ys = fig.contour(level)
        plt.plot(xs.tolist(), ys.tolist(), marker="braille", color=LOSS_COLOR)
    xs, ys = region_outline(kind, fig.t)
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
def _feature_legend(n: int) -> Legend:
    return [(f"w{j + 1}", FEATURE_COLORS[j % len(FEATURE_COLORS)]) for j in range(n)]


def draw_path(plt: Plot, fig: PathFigure, kind: str, width: int, height: int) -> Legend:
    """One coefficient per line against log10 λ (``kind`` "lasso" or "ridge")."""
    coefs = fig.lasso if kind == "lasso" else fig.ridge
    x = fig.log_lams.tolist()
    _axes(plt, (x[0], x[-1]), None)
    for j in range(coefs.shape[1]):
        plt.plot(x, coefs[:, j].tolist(), marker="braille",
                 color=FEATURE_COLORS[j % len(FEATURE_COLORS)])
    decades = range(math.ceil(x[0]), math.floor(x[-1]) + 1)
    plt.xticks(list(decades), [f"{10.0 ** k:g}" for k in decades])
    plt.xlabel("lambda (log scale)")
    plt.title("Lasso" if kind == "lasso" else "Ridge")
    return _feature_legend(coefs.shape[1])


# ---------------------------------------------------------------------- penalties
def draw_penalties(plt: Plot, fig: PenaltyFigure, gradient: bool, width: int,
                   height: int) -> Legend:
    """The penalties (``gradient=False``) or their gradients."""
    w = fig.w.tolist()
    if gradient:
        _axes(plt, (w[0], w[-1]), fig.gradient_range)
        (neg_w, neg_grad), (pos_w, pos_grad) = fig.l1_grad_branches()
        plt.plot(neg_w, neg_grad, marker="braille", color=L1_COLOR)
        plt.plot(pos_w, pos_grad, marker="braille", color=L1_COLOR)
        plt.plot(w, fig.l2_grad.tolist(), marker="braille", color=L2_COLOR)
        plt.title("gradient")
        plt.xlabel("w")
        return [("λ·sign(w)", L1_COLOR), ("2λw", L2_COLOR)]  # as the text under it
    _axes(plt, (w[0], w[-1]), fig.penalty_range)
    plt.plot(w, fig.l1.tolist(), marker="braille", color=L1_COLOR)
    plt.plot(w, fig.l2.tolist(), marker="braille", color=L2_COLOR)
    plt.title("penalty")
    plt.xlabel("w")
    return [("|w|", L1_COLOR), ("w²", L2_COLOR)]


# ---------------------------------------------------------------------- the widget
class FigurePlot(PlotextPlot):
    """A plotext plot redrawn from ``drawer(plt, width, height)`` at every render.

    The screen sets ``drawer`` (attributes down); the plot only draws.
    """

    DEFAULT_CSS = """
    FigurePlot {
        background: $surface;  /* the plot's own canvas colour, under the legend too */
    }
    """

    def __init__(self, drawer: Drawer | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.drawer = drawer

    def set_drawer(self, drawer: Drawer) -> None:
        self.drawer = drawer
        self.refresh()

    def render(self):  # type: ignore[no-untyped-def]
        self.plt.clear_figure()
        width, height = self.size
        legend = self.drawer(self.plt, width, height) if self.drawer is not None else None
        if not legend:
            return super().render()
        # the legend takes its own rows under the plot instead of covering the curves
        lines = legend_lines(legend, width)
        rows = max(height - len(lines), MIN_PLOT_ROWS)
        self.plt.plotsize(width, rows)
        self.plt._set_size(width, rows)  # as PlotextPlot.render does (textual-plotext #5)
        self.plt.theme(self._get_plotext_theme_name(self.app.theme))
        text = Text.from_ansi(self.plt.build().rstrip("\n"))
        for line in lines:
            text.append("\n")
            text.append_text(line)
        return text


# ---------------------------------------------------------------------- a problem's path
def draw_problem_path(plt: Plot, fig: ProblemPathFigure, width: int,
                      height: int) -> Legend:
    """Each coefficient against log10 λ, with the problem's λ as a vertical line."""
    x = fig.log_lams.tolist()
    _axes(plt, (x[0], x[-1]), None)
    for j in range(fig.coefs.shape[1]):
        plt.plot(x, fig.coefs[:, j].tolist(), marker="braille",
                 color=FEATURE_COLORS[j % len(FEATURE_COLORS)])
    legend = _feature_legend(fig.coefs.shape[1])
    if fig.log_lam is not None:
        plt.vline(fig.log_lam, color=OLS_COLOR)
        legend.append((f"この問題の λ = {fig.lam:g}", OLS_COLOR))
    decades = range(math.ceil(x[0]), math.floor(x[-1]) + 1)
    plt.xticks(list(decades), [f"{10.0 ** k:g}" for k in decades])
    plt.xlabel("lambda (log scale)")
    plt.title(("Lasso" if fig.kind == "lasso" else "Ridge") + " path of this problem's data")
    return legend
