"""Explore: the tabs switch, the plots draw the figures, the mask redraws (the figures'
maths: tests/study/test_figures.py)."""

from __future__ import annotations

import numpy as np
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
