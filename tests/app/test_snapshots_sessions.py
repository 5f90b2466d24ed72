"""Snapshots of the end of a session and of the help, at 80×24 and 120×40: the flashcard
summary, a revealed cloze card, the quiz set-up's marks and count, the quiz results with
their retry, and the help over flashcards and home. Fixed clock and seed, as in
``test_snapshots.py``; update with ``pytest tests/app/test_snapshots_sessions.py
--snapshot-update`` and look at the SVGs under ``tests/app/__snapshots__/``."""

from __future__ import annotations

from pathlib import Path

from studyapp.app import create_app
from studyapp.screens.quiz import QuizScreen
from studyapp.store import StoreConfig

from .test_quiz import answer_right, wrong_key
from .test_sessions import CLOZE_DECK

BIG = (120, 40)
SMALL = (80, 24)


def one_new_card(tmp_path: Path, clock):
    return create_app(None, tmp_path, now=clock, seed=0,
                      config=StoreConfig(new_cards_per_day=1))


def test_flashcard_summary(tmp_path, clock, snap_compare) -> None:
    assert snap_compare(one_new_card(tmp_path, clock), press=["f", "space", "4"],
                        terminal_size=BIG)


def test_flashcard_summary_small(tmp_path, clock, snap_compare) -> None:
    assert snap_compare(one_new_card(tmp_path, clock), press=["f", "space", "4"],
                        terminal_size=SMALL)


def test_flashcard_cloze_revealed_small(tmp_path, clock, snap_compare) -> None:
    content = tmp_path / "decks"
    (content / "d").mkdir(parents=True)
    for name, text in CLOZE_DECK.items():
        (content / "d" / name).write_text(text, encoding="utf-8")
    (tmp_path / "data").mkdir()
    app = create_app(content, tmp_path / "data", now=clock, seed=0)
    assert snap_compare(app, press=["f", "space"], terminal_size=SMALL)


def test_quiz_setup_marks_and_count(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), press=["q", "space", "down", "down", "space"],
                        terminal_size=BIG)


def test_quiz_setup_marks_and_count_small(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), press=["q", "space", "down", "down", "space"],
                        terminal_size=SMALL)


async def _results_with_a_wrong_answer(pilot) -> None:
    await pilot.press("q", "enter")
    screen = pilot.app.screen
    assert isinstance(screen, QuizScreen)
    items = screen.run.items
    items.sort(key=lambda item: item.question.type != "choice")
    del items[3:]
    screen.show_question()
    await pilot.pause()
    await pilot.press(wrong_key(screen.run.current), "enter")
    await pilot.pause()
    await pilot.press("enter")
    for _ in range(2):
        await answer_right(pilot, screen)
        await pilot.press("enter")
    await pilot.pause()


def test_quiz_results_offer_retry(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), run_before=_results_with_a_wrong_answer,
                        terminal_size=BIG)


def test_quiz_results_offer_retry_small(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), run_before=_results_with_a_wrong_answer,
                        terminal_size=SMALL)


def test_help_over_flashcards_small(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), press=["f", "question_mark"], terminal_size=SMALL)


def test_help_over_home(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=BIG)
