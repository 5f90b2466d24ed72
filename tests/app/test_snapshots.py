"""Snapshots (pytest-textual-snapshot, Textual pinned) of home, flashcards, quiz, practice
and the content-error screen, at 120×40 and, for home and a question, at 80×24. The app
comes from the command line's factory with a fixed clock and seed.

Update after an intended change with ``pytest tests/app/test_snapshots.py
--snapshot-update`` and look at the SVGs under ``tests/app/__snapshots__/``.
"""

from __future__ import annotations

from pathlib import Path

from studyapp.app import create_app
from studyapp.screens.practice import PracticeScreen
from studyapp.screens.quiz import QuizScreen

from .conftest import wait_for

BIG = (120, 40)
SMALL = (80, 24)
BROKEN = Path(__file__).resolve().parents[1] / "content" / "fixtures"


def test_home(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=BIG)


def test_home_small(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SMALL)


def test_flashcard_front(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), press=["f"], terminal_size=BIG)


def test_flashcard_answer_with_intervals(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), press=["f", "space"], terminal_size=BIG)


async def _first_choice_question(pilot) -> None:
    await pilot.press("q", "enter")
    screen = pilot.app.screen
    assert isinstance(screen, QuizScreen)
    # a 4択 question first, whatever the draw: move choice questions to the front
    items = screen.run.items
    items.sort(key=lambda item: item.question.type != "choice")
    screen.show_question()
    await pilot.pause()


def test_quiz_question(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), run_before=_first_choice_question, terminal_size=BIG)


def test_quiz_question_small(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), run_before=_first_choice_question, terminal_size=SMALL)


def test_quiz_wrong_answer_feedback(make_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _first_choice_question(pilot)
        item = pilot.app.screen.run.current
        wrong = min(set(range(4)) - item.correct_positions)
        await pilot.press(str(wrong + 1), "enter")

    assert snap_compare(make_app(), run_before=run_before, terminal_size=BIG)


def test_practice_solved(make_app, snap_compare) -> None:
    async def run_before(pilot) -> None:
        await pilot.press("p")
        screen = pilot.app.screen
        assert isinstance(screen, PracticeScreen)
        await wait_for(pilot, lambda: bool(screen.titles))  # the kinds load in a worker
        await pilot.press("down", "down", "enter")  # the second kind: l2-norm
        assert screen.problem is not None
        await pilot.press(*str(screen.problem.answer), "enter")
        await pilot.pause()

    assert snap_compare(make_app(), run_before=run_before, terminal_size=BIG)


def test_content_error_screen(tmp_path, snap_compare) -> None:
    app = create_app(BROKEN, tmp_path)
    assert snap_compare(app, terminal_size=BIG)
