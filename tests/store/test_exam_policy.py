"""The final-week policy (with an exam date, every card is seen the week before it) and
the forecast's memory model, checked against py-fsrs."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from fsrs import Card, Scheduler, State
from fsrs import Rating as FsrsRating
from fsrs.scheduler import DEFAULT_PARAMETERS

from studyapp.store import ItemRef, Rating, Store, StoreConfig
from studyapp.store.forecast import DEFAULT_PARAMETERS as OURS
from studyapp.store.forecast import (
    FINAL_DAYS,
    FINAL_RECALL,
    Fsrs,
    exam_review_day,
    final_gap,
)

from .conftest import UTC, Clock, jst


def test_the_weights_are_py_fsrs_defaults() -> None:
    assert tuple(DEFAULT_PARAMETERS) == OURS


@pytest.mark.parametrize("seed", range(5))
def test_the_model_steps_as_py_fsrs(seed: int) -> None:
    rng = random.Random(seed)
    scheduler = Scheduler(enable_fuzzing=False, desired_retention=0.9)
    model = Fsrs()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for _ in range(40):
        stability, difficulty = rng.uniform(0.5, 80), rng.uniform(1, 10)
        elapsed = rng.randint(1, 60)
        rating = rng.choice([1, 2, 3, 4])
        card = Card(card_id=1, state=State.Review, stability=stability,
                    difficulty=difficulty, due=start, last_review=start)
        after, _ = scheduler.review_card(card, FsrsRating(rating),
                                         start + timedelta(days=elapsed))
        recall = model.recall(stability, elapsed)
        assert model.stability(difficulty, stability, recall, rating) == pytest.approx(
            after.stability, rel=1e-9)
        assert model.difficulty(difficulty, rating) == pytest.approx(after.difficulty)
        if rating != 1:
            assert model.interval(after.stability) == (after.due - after.last_review).days
    # a new card rated Good at both learning steps
    first, _ = scheduler.review_card(Card(card_id=2), FsrsRating.Good, start)
    second, _ = scheduler.review_card(first, FsrsRating.Good, start + timedelta(minutes=10))
    assert model.learned() == pytest.approx((second.stability, second.difficulty))


def test_exam_review_day_rules() -> None:
    exam = 1000
    # no exam date, a due day well before the exam or in the final week, a review
    # already in the final week: nothing changes
    assert exam_review_day(900, 1200, None, 50.0, 0.1542, 0.5) == 1200
    assert exam_review_day(900, exam - 15, exam, 50.0, 0.1542, 0.5) == exam - 15
    assert exam_review_day(900, exam - 3, exam, 50.0, 0.1542, 0.5) == exam - 3
    assert exam_review_day(exam - 3, 1200, exam, 50.0, 0.1542, 0.5) == 1200
    assert exam_review_day(exam - 7, exam - 6, exam, 50.0, 0.1542, 0.5) == exam - 6
    # due in the week before the final week: it waits for the final week
    days = {exam_review_day(900, exam - 10, exam, 5.0, 0.1542, k / 10) for k in range(10)}
    assert days == set(range(exam - FINAL_DAYS, exam))
    # a strong card may come on any day of the final week, spread by the draw
    days = {exam_review_day(900, 1100, exam, 80.0, 0.1542, k / 10) for k in range(10)}
    assert days == set(range(exam - FINAL_DAYS, exam))
    # a weaker one only as late as keeps FINAL_RECALL on the exam morning
    gap = final_gap(10.0, 0.1542)
    assert 3 < gap < 5 and Fsrs().recall(10.0, gap) == pytest.approx(FINAL_RECALL)
    days = {exam_review_day(900, 1100, exam, 10.0, 0.1542, k / 10) for k in range(10)}
    assert min(days) == exam - int(gap) and max(days) == exam - 1
    # never later than the day before the exam, even for the weakest
    assert exam_review_day(900, 1001, exam, 0.5, 0.1542, 0.99) == exam - 1


def rate_due_cards(store: Store, clock: Clock, days: int) -> dict[str, list[date]]:
    """A learner who rates every due card Good each day at 20:00; the days each card was
    reviewed."""
    seen: dict[str, list[date]] = {}
    for _ in range(days):
        clock.current = clock.current.replace(hour=20, minute=0)
        while (card := store.next_card()) is not None:
            store.rate_card(card.deck, card.item, Rating.Good)
            seen.setdefault(card.item, []).append(store.today())
            clock.current += timedelta(seconds=5)  # learning steps come by learn-ahead
        clock.current += timedelta(days=1)
    return seen


@pytest.mark.parametrize("with_exam", [True, False])
def test_every_card_is_seen_in_the_final_week_when_an_exam_date_is_set(
        make_store: Callable[..., Store], clock: Clock, with_exam: bool) -> None:
    exam = date(2025, 5, 31)  # 60 days after 1 April
    config = StoreConfig(synchronous="OFF", new_cards_per_day=10,
                         exam_date=exam if with_exam else None)
    store = make_store(config)
    store.sync_content([ItemRef("reg", f"c{i:02d}", ("l1",)) for i in range(30)], [])
    clock.current = jst(2025, 4, 1, 20, 0)
    seen = rate_due_cards(store, clock, 60)
    assert len(seen) == 30
    final_week = {item for item, days in seen.items()
                  if any((exam - day).days <= FINAL_DAYS for day in days)}
    if with_exam:
        assert final_week == set(seen)
        # and it pays: the forecast for the exam morning is high
        assert store.exam_outlook(exam).predicted_recall > 0.93
    else:
        assert final_week != set(seen)  # FSRS alone lets long intervals pass the exam


def test_the_preview_shows_the_capped_interval(make_store: Callable[..., Store],
                                               clock: Clock) -> None:
    exam = date(2025, 4, 20)
    store = make_store(StoreConfig(exam_date=exam, enable_fuzz=False))
    store.sync_content([ItemRef("reg", "c0", ("l1",))], [])
    store.rate_card("reg", "c0", Rating.Easy)  # 8 days on its own
    clock.current = jst(2025, 4, 9, 10, 0)
    preview = store.preview("reg", "c0")
    store.rate_card("reg", "c0", Rating.Easy)  # FSRS: well past 20 April
    due = store.card_state("reg", "c0").due
    days = (due - clock.current).days
    assert preview[Rating.Easy].label == f"{days}日"
    assert exam - timedelta(days=FINAL_DAYS) <= (clock.current + timedelta(days=days)).date() \
        < exam


def test_the_prediction_over_time_beside_mock_exam_scores(
        make_store: Callable[..., Store], clock: Clock) -> None:
    exam = date(2025, 5, 1)
    store = make_store(StoreConfig(synchronous="OFF", exam_date=exam))
    store.sync_content([ItemRef("reg", f"c{i}", ("l1",)) for i in range(4)],
                       [ItemRef("reg", "q0", ("l1",)), ItemRef("reg", "q1", ("l2",))])
    store.rate_card("reg", "c0", Rating.Good)  # 1 April
    clock.current = jst(2025, 4, 2, 10, 0)
    store.rate_card("reg", "c1", Rating.Good)
    store.rate_card("reg", "c2", Rating.Good)
    store.record_answer("reg", "q0", answer=0, correct=True, duration_ms=1000, mode="exam")
    store.record_answer("reg", "q1", answer=1, correct=False, duration_ms=1000, mode="exam")
    store.record_answer("reg", "q1", answer=1, correct=True, duration_ms=1000, mode="quiz")
    clock.current = jst(2025, 4, 4, 10, 0)
    points, mock = store.exam_history(exam)
    assert [p.day for p in points] == [date(2025, 4, 1), date(2025, 4, 2), date(2025, 4, 4)]
    assert points[0].predicted_recall < points[1].predicted_recall  # more cards learned
    assert points[-1].predicted_recall == pytest.approx(
        store.exam_outlook(exam).predicted_recall, rel=0.02)
    assert [p.mock_score for p in points] == [None, 0.5, None]
    assert sorted(mock) == [("l1", 1, 1), ("l2", 1, 0)]  # the quiz answer is not a mock
