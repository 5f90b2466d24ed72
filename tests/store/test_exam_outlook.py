"""The exam outlook: days left to the exam date and the mean recall predicted for it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from fsrs import Card, Scheduler, State

from studyapp.store import ItemRef, Rating, Store, StoreConfig

from .conftest import TOKYO, UTC, Clock, jst


def py_fsrs_recall(store: Store, deck: str, item: str, at: datetime) -> float:
    """The recall py-fsrs itself predicts at ``at`` from the stored state."""
    state = store.card_state(deck, item)
    card = Card(card_id=1, state=State.Review, stability=state.stability,
                difficulty=state.difficulty, due=state.due, last_review=state.last_review)
    return Scheduler().get_card_retrievability(card, at.astimezone(UTC))


@pytest.fixture
def studied(make_store: Callable[..., Store], clock: Clock) -> Store:
    store = make_store(StoreConfig(enable_fuzz=False))
    store.sync_content([ItemRef("reg", f"c{i}", ("l1",)) for i in range(4)]
                       + [ItemRef("other", "o0", ("x",))], [])
    clock.current = jst(2025, 4, 1, 10, 0)
    store.rate_card("reg", "c0", Rating.Easy)
    store.rate_card("reg", "c1", Rating.Good)
    clock.current = jst(2025, 4, 1, 10, 10)
    store.rate_card("reg", "c1", Rating.Good)
    store.rate_card("reg", "c2", Rating.Again)
    store.rate_card("other", "o0", Rating.Easy)
    clock.current = jst(2025, 4, 3, 9, 0)
    return store


def test_the_outlook_is_the_mean_recall_on_the_exam_day_new_cards_counting_zero(
    studied: Store
) -> None:
    # the exam today: no review is left before it, the outlook is py-fsrs's recall on
    # the exam morning, a new card counting 0
    today = date(2025, 4, 3)
    outlook = studied.exam_outlook(today, deck="reg")
    assert outlook.day == today and outlook.days_left == 0
    assert (outlook.cards, outlook.new_cards) == (4, 1)
    at = datetime(2025, 4, 3, 4, 0, tzinfo=TOKYO)  # the exam's study day begins
    expected = sum(py_fsrs_recall(studied, "reg", c, at) for c in ("c0", "c1", "c2")) / 4
    assert outlook.predicted_recall == pytest.approx(expected, rel=1e-9)
    # a month ahead, the reviews scheduled before the exam are counted as made: without
    # them the month would forget more than the reviews let it
    exam = date(2025, 5, 3)
    later = studied.exam_outlook(exam, deck="reg")
    at = datetime(2025, 5, 3, 4, 0, tzinfo=TOKYO)
    unreviewed = sum(py_fsrs_recall(studied, "reg", c, at) for c in ("c0", "c1", "c2")) / 4
    assert unreviewed < later.predicted_recall < 3 / 4
    # every deck: the other deck's card counts too
    both = studied.exam_outlook(today)
    assert both.cards == 5
    assert both.predicted_recall == pytest.approx(
        (expected * 4 + py_fsrs_recall(studied, "other", "o0",
                                       datetime(2025, 4, 3, 4, 0, tzinfo=TOKYO))) / 5,
        rel=1e-9)


def test_retired_cards_do_not_count(studied: Store) -> None:
    studied.sync_content([ItemRef("reg", "c0", ("l1",)), ItemRef("reg", "c3", ("l1",))], [])
    outlook = studied.exam_outlook(date(2025, 5, 3))
    assert (outlook.cards, outlook.new_cards) == (2, 1)
    assert 0 < outlook.predicted_recall < 0.5


def test_an_exam_day_past_has_negative_days_left(studied: Store) -> None:
    assert studied.exam_outlook(date(2025, 4, 1)).days_left == -2
    assert studied.exam_outlook(date(2025, 4, 3)).days_left == 0


def test_no_cards_no_recall(store: Store) -> None:
    outlook = store.exam_outlook(date(2025, 5, 1))
    assert (outlook.cards, outlook.predicted_recall) == (0, 0.0)


def test_stats_carry_the_exam_only_with_an_exam_date(studied: Store) -> None:
    assert studied.stats().exam is None
    assert studied.stats().to_dict()["exam"] is None
    data = json.loads(json.dumps(studied.stats(exam_date=date(2025, 5, 3)).to_dict()))
    exam = data["exam"]
    assert list(exam) == ["date", "days_left", "predicted_recall", "cards", "new_cards"]
    assert exam["date"] == "2025-05-03" and exam["days_left"] == 30
    assert exam["predicted_recall"] == pytest.approx(
        studied.exam_outlook(date(2025, 5, 3)).predicted_recall)
    assert list(data)[:5] == ["reviews", "quiz_attempts", "due", "today", "exam"]


def test_the_exam_day_counts_from_the_day_start(studied: Store, clock: Clock) -> None:
    clock.current = jst(2025, 4, 4, 3, 0)  # still the study day of 3 April
    assert studied.exam_outlook(date(2025, 4, 13)).days_left == 10
    clock.current += timedelta(hours=1)
    assert studied.exam_outlook(date(2025, 4, 13)).days_left == 9


def test_todays_history_point_is_the_outlook_from_today(studied: Store, clock: Clock) -> None:
    """Stats' last point and home's prediction are one number."""
    clock.current = jst(2025, 4, 3, 9, 0)
    studied.rate_card("reg", "c3", Rating.Good)  # today counts as a study day
    exam = date(2025, 4, 20)
    points, _ = studied.exam_history(exam, days=5)
    assert points[-1].day == date(2025, 4, 3)
    assert points[-1].predicted_recall == pytest.approx(
        studied.exam_outlook(exam).predicted_recall, rel=1e-12)


def test_a_short_window_starts_from_each_cards_state_before_it(studied: Store,
                                                               clock: Clock) -> None:
    """The days shown are the same whether the reviews before them are read in full or
    only each card's latest state (and its review count) before the first day shown."""
    clock.current = jst(2025, 4, 5, 9, 0)
    studied.rate_card("reg", "c2", Rating.Good)
    studied.rate_card("reg", "c3", Rating.Hard)
    clock.current = jst(2025, 4, 8, 9, 0)
    studied.rate_card("reg", "c0", Rating.Good)
    studied.rate_card("reg", "c2", Rating.Good)
    exam = date(2025, 4, 30)
    every = studied.exam_history(exam, days=30)[0]
    assert [p.day for p in every] == [date(2025, 4, 1), date(2025, 4, 5), date(2025, 4, 8)]
    short = studied.exam_history(exam, days=4)[0]  # from 5 April
    assert short == every[1:]
    today_only = studied.exam_history(exam, days=1)[0]
    assert today_only == every[2:]
    # the screen's cache: the days from ``since`` on, read as the full window reads them
    again = studied.exam_history(exam, days=30, since=date(2025, 4, 8))[0]
    assert again == every[2:]
