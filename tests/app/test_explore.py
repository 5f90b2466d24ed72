"""Explore: the figures are what the engine computes, the tabs switch, the mask redraws."""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import TabbedContent

import engine
from studyapp.screens.explore import ExploreScreen
from studyapp.widgets.plots import (
    CONSTRAINT_NOISE,
    CONSTRAINT_W,
    CONSTRAINT_X,
    PATH_TRUE_W,
    FigurePlot,
    constraint_figure,
    dropout_figure,
    path_figure,
    penalty_figure,
)

from .test_exam import shown, wait_for


def test_constraint_solutions_touch_the_regions_and_match_the_penalised_fits() -> None:
    fig = constraint_figure()
    X = np.array(CONSTRAINT_X)
    y = X @ np.array(CONSTRAINT_W) + np.array(CONSTRAINT_NOISE)
    assert engine.l1_norm(fig.l1) == pytest.approx(fig.t, abs=1e-6)
    assert engine.l2_norm(fig.l2) == pytest.approx(fig.t, abs=1e-6)
    assert fig.l1[1] == 0.0 and fig.l1[0] > 0     # the diamond's corner: a zero
    assert abs(fig.l2[1]) > 0.1                     # the circle: no zero
    # no point of the boundary has a smaller loss than the contact point
    theta = np.linspace(0, 2 * np.pi, 4001)
    c, s = np.cos(theta), np.sin(theta)
    diamond = np.stack([c, s]) * fig.t / (np.abs(c) + np.abs(s))
    circle = np.stack([c, s]) * fig.t
    for points, solution in ((diamond, fig.l1), (circle, fig.l2)):
        losses = np.sum((y[:, None] - X @ points) ** 2, axis=0)
        assert fig.rss(solution) <= losses.min() + 1e-6
    # the contour through a point is where the loss equals that level
    xs, ys = fig.contour(fig.rss(fig.l2))
    for k in range(0, len(xs), 40):
        assert fig.rss(np.array([xs[k], ys[k]])) == pytest.approx(fig.rss(fig.l2))


def test_paths_lasso_zeros_useless_features_first_ridge_never() -> None:
    fig = path_figure()
    assert fig.lasso.shape == fig.ridge.shape == (len(fig.lams), len(PATH_TRUE_W))
    assert np.all(fig.lasso[-1] == 0)              # above λ_max every coefficient is 0
    assert np.all(fig.ridge != 0)
    zeros = fig.zero_at()
    useless = [zeros[j] for j, w in enumerate(PATH_TRUE_W) if w == 0]
    useful = [zeros[j] for j, w in enumerate(PATH_TRUE_W) if w != 0]
    assert max(useless) < min(useful)


def test_penalties_and_gradients_come_from_the_engine() -> None:
    fig = penalty_figure(points=5)
    assert fig.w.tolist() == [-2, -1, 0, 1, 2]
    assert fig.l1.tolist() == [2, 1, 0, 1, 2]
    assert fig.l2.tolist() == [4, 1, 0, 1, 4]
    assert fig.l1_grad.tolist() == [-1, -1, 0, 1, 1]
    assert fig.l2_grad.tolist() == [-4, -2, 0, 2, 4]


def test_dropout_figure_is_inverted_dropout() -> None:
    fig = dropout_figure(3, 0.5)
    np.testing.assert_array_equal(fig.out, fig.x * fig.mask / 0.5)
    again = dropout_figure(3, 0.5)
    np.testing.assert_array_equal(fig.mask, again.mask)
    assert fig.kept == int(fig.mask.sum())


async def test_tabs_switch_and_the_mask_redraws(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExploreScreen)
        await wait_for(pilot, lambda: screen.figures is not None)
        tabs = screen.query_one(TabbedContent)
        assert tabs.active == "constraint"
        text = shown(app)
        assert "L1: w = (1.2, 0)" in text and "スパース" in text
        plot = screen.query_one("#plot-l1", FigurePlot)
        assert "|w1| + |w2| <= t" in plot.render().plain

        await pilot.press("2")
        await pilot.pause()
        assert tabs.active == "paths"
        assert "Lasso" in screen.query_one("#plot-lasso", FigurePlot).render().plain
        assert "0 になる順: w3" in shown(app).replace("\n", "")

        await pilot.press("3")
        await pilot.pause()
        assert tabs.active == "penalty"
        assert "2λw" in shown(app)

        await pilot.press("n")                      # not on the dropout tab: nothing
        await pilot.pause()
        assert screen.mask_seed == 0

        await pilot.press("4")
        await pilot.pause()
        assert tabs.active == "dropout"
        first = screen.dropout
        assert first is not None
        def kept_cells() -> int:  # the grid below the legend line
            return str(screen.query_one("#mask-grid").render()).split("\n", 1)[1].count("██")

        assert kept_cells() == first.kept
        assert f"残ったユニット {first.kept} / 72" in shown(app)
        await pilot.press("n")
        await pilot.pause()
        second = screen.dropout
        assert screen.mask_seed == 1 and second.seed == 1
        assert not np.array_equal(first.mask, second.mask)
        assert kept_cells() == second.kept
        await pilot.press("p")
        await pilot.pause()
        assert screen.dropout.p == 0.2
        assert "p = 0.2" in shown(app) and "1.25 倍" in shown(app)

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExploreScreen)
