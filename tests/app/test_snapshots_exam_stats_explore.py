"""Snapshots (pytest-textual-snapshot, Textual pinned) of the mock exam, stats and explore
at 120×40, built by the command line's factory with a fixed clock and seed.

Update after an intended change with ``pytest tests/app/test_snapshots_exam_stats_explore.py
--snapshot-update`` and look at the SVGs under ``tests/app/__snapshots__/``.
"""

from __future__ import annotations

from datetime import timedelta

from studyapp.screens.exam import ExamScreen
from studyapp.screens.exam_result import ExamResultScreen

from .conftest import study_three_days, wait_for

SIZE = (120, 40)


async def open_exam(pilot) -> None:
    await pilot.press("e", "enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExamScreen))


def test_exam_setup(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), press=["e"], terminal_size=SIZE)


def test_exam_question(make_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await open_exam(pilot)
        await pilot.press("2", "enter", "f", "3")  # answered, then flagged and answered

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_exam_result(make_app, clock, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await open_exam(pilot)
        questions = pilot.app.screen.run.questions
        for k, seconds in enumerate((25, 55, 12, 70)):  # two of them over the budget
            right = questions[k].answer_position
            pick = right if k % 2 == 0 else (right + 1) % 4
            await pilot.press(str(pick + 1))
            clock.now += timedelta(seconds=seconds)
            await pilot.press("enter")
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExamResultScreen))

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_stats(make_app, clock, snap_compare) -> None:
    app = make_app()
    study_three_days(app, clock)
    assert snap_compare(app, press=["s"], terminal_size=SIZE)


def test_explore_constraint_regions(make_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("x")
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "figures", None) is not None)

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)


def test_explore_dropout_mask(make_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("x")
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "dropout", None) is not None)
        await pilot.press("4", "n")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=SIZE)
