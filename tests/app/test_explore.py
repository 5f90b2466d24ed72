"""Explore: the tabs switch, the plots draw the figures, the mask redraws, the Elastic Net
mix changes what is drawn (the figures' maths: tests/study/test_figures.py, and here the
Elastic Net figure's)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from textual.widgets import TabbedContent

from studyapp.screens.explore import ExploreScreen
from studyapp.widgets.plots import FigurePlot

from .conftest import shown, wait_for


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


async def test_elastic_net_tab_redraws_when_the_mix_changes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExploreScreen)
        await wait_for(pilot, lambda: screen.figures is not None)
        await pilot.press("a")                      # not on the Elastic Net tab: nothing
        await pilot.pause()
        assert screen.enet is not None and screen.enet.alpha == 0.5

        await pilot.press("5")
        await pilot.pause()
        tabs = screen.query_one(TabbedContent)
        assert tabs.active == "enet"
        regions = screen.query_one("#plot-enet-regions", FigurePlot)
        solution = screen.query_one("#plot-enet-solution", FigurePlot)
        first_regions, first_solution = regions.render().plain, solution.render().plain
        assert "0.5(|w1|+|w2|) + 0.5(w1^2+w2^2) <= 1" in first_regions
        text = shown(app).replace("\n", "")
        assert "α = 0.5" in text and "143°" in text and "グループ効果" in text
        assert "どちらも 0 ではありません" in text     # at α = 0.5 the contact is on an edge
        assert "\\" not in text

        await pilot.press("a")
        await pilot.pause()
        assert screen.enet.alpha == 0.75
        assert regions.render().plain != first_regions
        assert solution.render().plain != first_solution
        assert "0.75(|w1|+|w2|) + 0.25(w1^2+w2^2) <= 1" in regions.render().plain
        text = shown(app).replace("\n", "")
        assert "α = 0.75" in text and "接点が角 → w₂ = 0" in text and "118°" in text

        await pilot.press("a")                      # α = 1: the ひし形 itself
        await pilot.pause()
        assert "|w1| + |w2| <= 1" in regions.render().plain
        assert "90°" in shown(app)
        await pilot.press("A", "A", "A", "A")       # back to α = 0: the circle, no corner
        await pilot.pause()
        assert screen.enet.alpha == 0.0
        assert "w1^2 + w2^2 <= 1" in regions.render().plain
        assert "角がなく" in shown(app).replace("\n", "")


# ---------------------------------------------------------------------- the figure's maths
def test_elastic_net_region_lies_between_the_diamond_and_the_circle() -> None:
    from studyapp.study.figures import elastic_net_outline

    theta = np.linspace(0, 2 * np.pi, 241)
    c, s = np.cos(theta), np.sin(theta)
    for alpha in (0.0, 0.25, 0.5, 0.75, 1.0):
        xs, ys = elastic_net_outline(alpha, 1.0)
        r = np.hypot(xs, ys)
        # every point is on its boundary α‖w‖₁ + (1 − α)‖w‖₂² = t
        np.testing.assert_allclose(alpha * (np.abs(xs) + np.abs(ys))
                                   + (1 - alpha) * (xs**2 + ys**2), 1.0, atol=1e-12)
        assert np.all(r >= 1 / (np.abs(c) + np.abs(s)) - 1e-12)   # outside the ひし形
        assert np.all(r <= 1 + 1e-12)                              # inside the circle
        np.testing.assert_allclose(r[[0, 60, 120, 180]], 1.0, atol=1e-12)  # corners on the axes
    xs, ys = elastic_net_outline(1.0, 1.0)
    np.testing.assert_allclose(np.abs(xs) + np.abs(ys), 1.0, atol=1e-12)
    xs, ys = elastic_net_outline(0.0, 1.0)
    np.testing.assert_allclose(np.hypot(xs, ys), 1.0, atol=1e-12)


def test_elastic_net_figures_corner_contact_and_grouping() -> None:
    """The corner's inner angle grows from 90° (ひし形) to 180° (circle, no corner) as α
    falls; the loss's first touch is a corner (w₂ = 0) for large α only and is the
    constrained minimum over the boundary; with correlated features the Lasso keeps one
    and every α < 1 shares the weight almost equally."""
    import engine
    from studyapp.study.figures import (
        ENET_ALPHAS,
        constraint_data,
        elastic_net_figures,
        elastic_net_penalty,
    )

    figs = elastic_net_figures()
    assert [f.alpha for f in figs] == list(ENET_ALPHAS)
    angles = [f.corner_angle for f in figs]
    assert angles[0] == 180 and angles[-1] == pytest.approx(90)
    assert all(a > b for a, b in itertools.pairwise(angles))
    assert [f.sparse for f in figs] == [False, False, False, True, True]
    X, y = constraint_data()
    for f in figs:
        assert elastic_net_penalty(f.solution, f.alpha) == pytest.approx(f.t, abs=1e-6)
        fit = engine.elastic_net(X, y, f.lam1, f.lam2).coef
        np.testing.assert_allclose(fit, f.solution, atol=1e-8)
        xs, ys = f.outline(4001)
        losses = np.sum((y[:, None] - X @ np.stack([xs, ys])) ** 2, axis=0)
        assert f.rss(f.solution) <= losses.min() + 1e-6
        assert 0 in f.group_lasso.tolist() and abs(f.group_corr) > 0.99
        if f.alpha < 1:
            w1, w2 = f.group_enet
            assert w1 > 0 and w2 > 0 and min(w1, w2) / max(w1, w2) > 0.9
