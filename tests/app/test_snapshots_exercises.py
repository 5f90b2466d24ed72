"""Snapshots of the code exercises at 80×24 and 120×40: the list, the editor after a check
that fails with a named mistake, and after a check that passes (the model solution and
the rating shown). Fixed clock and seed, as in ``test_snapshots.py``; update only these
with ``pytest tests/app/test_snapshots_exercises.py --snapshot-update`` and look at the
SVGs under ``tests/app/__snapshots__/test_snapshots_exercises/``."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static, TextArea

from studyapp.exercises.catalog import get
from studyapp.screens.exercises import ExerciseScreen, ExercisesScreen
from tests.app.conftest import plain, wait_for

BIG = (120, 40)
SMALL = (80, 24)


@pytest.fixture(autouse=True)
def _no_highlighting(monkeypatch) -> None:
    """What a default install shows: Python highlighting needs the optional ``syntax``
    extra (tree-sitter), so a machine that has it must not draw other snapshots."""
    monkeypatch.setattr("studyapp.screens.exercises._highlighting", lambda: None)


async def _open(pilot, exercise_id: str) -> ExerciseScreen:
    app = pilot.app
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
    options = app.screen.query_one("#exercise-list", OptionList)
    options.highlighted = next(i for i in range(options.option_count)
                               if options.get_option_at_index(i).id == exercise_id)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
    return app.screen


async def _check(pilot, code: str, starts: str) -> None:
    screen = pilot.app.screen
    editor = screen.query_one("#editor", TextArea)
    editor.select_all()
    editor.replace(code, *editor.selection)
    editor.move_cursor((0, 0))
    await pilot.pause()
    await pilot.press("ctrl+r")

    def done() -> bool:
        return plain(screen.query_one("#results", Static).render()).startswith(starts)

    await wait_for(pilot, done, tries=400)


async def _failing(pilot) -> None:
    exercise = get("weight-decay-step")
    assert exercise is not None
    await _open(pilot, exercise.id)
    await _check(pilot, exercise.mistakes[0].example, "NG")


async def _passing(pilot) -> None:
    exercise = get("soft-threshold")
    assert exercise is not None
    await _open(pilot, exercise.id)
    await _check(pilot, exercise.solution, "OK")


def test_exercise_list(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), press=["c"], terminal_size=BIG)


def test_exercise_list_small(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), press=["c"], terminal_size=SMALL)


def test_exercise_failing_check(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), run_before=_failing, terminal_size=BIG)


def test_exercise_failing_check_small(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), run_before=_failing, terminal_size=SMALL)


def test_exercise_passing_check(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), run_before=_passing, terminal_size=BIG)


def test_exercise_passing_check_small(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), run_before=_passing, terminal_size=SMALL)
