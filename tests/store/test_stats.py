"""Statistics on a history built by hand, where every number can be counted on paper."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, Scheduler, State

from studyapp.store import ItemRef, Rating, Store, StoreConfig, daily
from studyapp.store.scheduling import FSRS_DEFAULT_DECAY, retrievability
from studyapp.store.schema import COUNTERS

from .conftest import TOKYO, UTC, Clock, jst


def fsrs_r(store: Store, kind: str, deck: str, item: str, now: datetime) -> float:
    """Retrievability computed by py-fsrs itself from the stored state."""
    if kind == "card":
        state = store.card_state(deck, item)
    else:
        state = next(s.state for s in store.skills() if s.skill == item)
    card = Card(card_id=1, state=State.Review, stability=state.stability,
                difficulty=state.difficulty, due=state.due, last_review=state.last_review)
    return Scheduler().get_card_retrievability(card, now.astimezone(UTC))


@pytest.fixture
def history(make_store: Callable[..., Store], clock: Clock) -> Store:
    """The history of the module docstring's test, one step per line."""
    store = make_store(StoreConfig(enable_fuzz=False))
    store.sync_content(
        [ItemRef("reg", "c0", ("l1",)), ItemRef("reg", "c1", ("l1",)),
         ItemRef("reg", "c2", ("l1",)), ItemRef("reg", "c3", ("norm",))],
        [ItemRef("reg", "q1", ("l1", "l2")), ItemRef("reg", "q2", ("l2",))],
    )
    store.sync_skills([ItemRef("", "lasso", ("lasso",))])
    clock.current = jst(2025, 4, 1, 10, 0)
    store.rate_card("reg", "c0", Rating.Easy, duration_ms=5_000)   # review, due 9 Apr
    store.rate_card("reg", "c1", Rating.Easy, duration_ms=5_000)   # review, due 9 Apr
    store.rate_card("reg", "c2", Rating.Again, duration_ms=5_000)  # learning
    store.record_answer("reg", "q1", answer=0, correct=False)      # -> mistakes
    store.record_answer("reg", "q2", answer=1, correct=True)
    clock.current = jst(2025, 4, 2, 2, 30)                         # still the study day of 1 Apr
    store.record_answer("reg", "q1", answer=1, correct=True)       # 1 right, stays on the list
    clock.current = jst(2025, 4, 2, 20, 0)
    store.rate_card("reg", "c2", Rating.Good)
    clock.current = jst(2025, 4, 2, 20, 10)
    store.rate_card("reg", "c2", Rating.Good)                      # review
    clock.current = jst(2025, 4, 3, 9, 0)
    store.record_practice("lasso#1", answer=[0.5], correct=True, duration_ms=10_000)  # Easy
    clock.current = jst(2025, 4, 9, 11, 0)                         # 4-8 Apr: no study
    store.rate_card("reg", "c0", Rating.Good)                      # recall, passed
    store.rate_card("reg", "c1", Rating.Again)                     # recall, failed
    clock.current = jst(2025, 4, 10, 3, 0)                         # study day of 9 Apr
    store.record_answer("reg", "q2", answer=0, correct=False)      # -> mistakes
    clock.current = jst(2025, 4, 10, 12, 0)
    store.rate_card("reg", "c1", Rating.Good)                      # relearning -> review
    clock.current = jst(2025, 4, 10, 13, 0)
    return store


def test_counts_and_heatmap(history: Store) -> None:
    stats = history.stats()
    assert stats.reviews == 8
    assert stats.quiz_attempts == 5
    assert [(d.day.isoformat(), d.reviews, d.answers) for d in stats.reviews_per_day] == [
        ("2025-04-01", 3, 3),
        ("2025-04-02", 2, 0),
        ("2025-04-03", 0, 1),
        ("2025-04-09", 2, 1),
        ("2025-04-10", 1, 0),
    ]
    assert stats.today.day == date(2025, 4, 10)
    assert (stats.today.reviews, stats.today.new_cards, stats.today.answers) == (1, 0, 0)
    intervals = {c: history.card_state("reg", c).due - history.card_state("reg", c).last_review
                 for c in ("c0", "c1", "c2")}
    assert [c for c, i in intervals.items() if i >= timedelta(days=21)] == ["c0"]
    assert stats.cards._asdict() == {"total": 4, "new": 1, "learning": 0, "review": 3,
                                     "relearning": 0, "mature": 1, "suspended": 0,
                                     "leeches": 0}
    assert stats.skills.reviews == 1 and stats.skills.total == 1


def test_retention_accuracy_and_mistakes(history: Store) -> None:
    stats = history.stats()
    assert stats.retention._asdict() == {"days": 30, "reviews": 2, "passed": 1, "rate": 0.5}
    assert (stats.accuracy.attempts, stats.accuracy.correct) == (5, 3)
    assert stats.accuracy.rate == pytest.approx(0.6)
    assert stats.mistakes == 2
    assert [m.item for m in history.mistakes()] == ["q1", "q2"]
    assert history.mistakes()[0].right_streak == 1


def test_streak(history: Store, clock: Clock) -> None:
    streak = history.stats().streak
    assert (streak.current, streak.longest, streak.studied_today) == (2, 3, True)
    clock.current = jst(2025, 4, 11, 10, 0)  # not yet studied today: yesterday's run holds
    assert history.streak() == type(streak)(current=2, longest=3, studied_today=False)
    clock.current = jst(2025, 4, 12, 10, 0)
    assert history.streak().current == 0


def test_keyword_accuracy_and_mastery(history: Store, clock: Clock) -> None:
    now = clock.current
    by_id = {k.keyword: k for k in history.stats().keywords}
    assert list(by_id) == ["l1", "norm", "l2", "lasso"]  # content order

    l1 = by_id["l1"]
    assert (l1.cards, l1.cards_studied, l1.questions, l1.questions_answered) == (3, 3, 1, 1)
    assert (l1.attempts, l1.correct, l1.accuracy) == (2, 1, 0.5)
    expected = sum(fsrs_r(history, "card", "reg", c, now) for c in ("c0", "c1", "c2")) / 4
    assert l1.mastery == pytest.approx(expected, rel=1e-12)  # q1 is still on the list: 0

    l2 = by_id["l2"]
    assert (l2.attempts, l2.correct, l2.accuracy, l2.mastery) == (4, 2, 0.5, 0.0)

    norm = by_id["norm"]
    assert (norm.cards, norm.cards_studied, norm.accuracy, norm.mastery) == (1, 0, None, 0.0)

    lasso = by_id["lasso"]
    assert (lasso.skills, lasso.attempts, lasso.correct, lasso.accuracy) == (1, 1, 1, 1.0)
    assert lasso.mastery == pytest.approx(fsrs_r(history, "skill", "", "lasso", now), rel=1e-12)
    assert history.home().keywords == history.keyword_progress()


def test_forecast_counts_each_card_on_its_due_day(history: Store, clock: Clock) -> None:
    stats = history.stats()
    today = date(2025, 4, 10)
    expected = [0] * 8
    for item in ("c0", "c1", "c2"):
        due = history.card_state("reg", item).due.astimezone(TOKYO)
        day = max((due - timedelta(hours=4)).date(), today)
        if (day - today).days < 8:
            expected[(day - today).days] += 1
    assert [f.due for f in stats.forecast] == expected
    assert [f.day for f in stats.forecast] == [today + timedelta(days=k) for k in range(8)]
    assert stats.due == expected[0] == history.due_queue().due_now
    home = history.home()
    assert (home.due_now, home.new_left, home.new_available, home.mistakes) == (
        expected[0], 1, 1, 2)


def test_json_has_the_pinned_keys_and_round_trips(history: Store) -> None:
    data = json.loads(json.dumps(history.stats().to_dict()))
    assert (data["reviews"], data["quiz_attempts"]) == (8, 5)
    assert isinstance(data["due"], int)
    for key in ("forecast", "reviews_per_day", "retention", "accuracy", "keywords", "streak",
                "cards", "mistakes", "skills", "today", "calendar"):
        assert key in data
    assert data["reviews_per_day"][0] == {"date": "2025-04-01", "reviews": 3, "answers": 3}


def test_empty_store_has_zero_stats(store: Store) -> None:
    stats = store.stats()
    assert (stats.reviews, stats.quiz_attempts, stats.due) == (0, 0, 0)
    assert stats.retention.rate is None and stats.accuracy.rate is None
    assert (stats.streak.current, stats.streak.longest) == (0, 0)
    assert stats.reviews_per_day == [] and stats.keywords == []


def test_old_activity_leaves_the_heatmap_but_counts_in_totals(store: Store, clock: Clock) -> None:
    store.sync_content([ItemRef("reg", "c0"), ItemRef("reg", "c1")], [])
    clock.current = jst(2024, 1, 10, 10)
    store.rate_card("reg", "c0", Rating.Good)
    clock.current = jst(2024, 1, 11, 10)
    store.rate_card("reg", "c1", Rating.Good)
    clock.current = jst(2025, 4, 1, 10)
    stats = store.stats()
    assert stats.reviews == 2 and stats.reviews_per_day == []
    assert (stats.streak.current, stats.streak.longest) == (0, 2)


def test_long_streaks_span_several_query_chunks(store: Store, clock: Clock) -> None:
    store.sync_content([ItemRef("reg", "c0")], [])
    clock.current = jst(2024, 1, 1, 21)
    for _ in range(400):
        store.record_answer("reg", "q", answer=1, correct=True)
        clock.advance(days=1)
    clock.advance(days=-1)
    streak = store.streak()
    assert (streak.current, streak.longest, streak.studied_today) == (400, 400, True)
    assert len(store.stats().reviews_per_day) == 365


def test_days_follow_daylight_saving_time(make_store: Callable[..., Store],
                                          clock: Clock) -> None:
    york = ZoneInfo("America/New_York")
    store = make_store(StoreConfig(timezone="America/New_York"))
    # 9 March 2025: clocks jump from 2:00 to 3:00; that study day is 23 hours long
    clock.current = datetime(2025, 3, 9, 3, 30, tzinfo=york)  # before 4:00: 8 March
    store.record_answer("reg", "q1", answer=1, correct=True)
    clock.current = datetime(2025, 3, 9, 4, 0, tzinfo=york)
    store.record_answer("reg", "q1", answer=1, correct=True)
    store.record_answer("reg", "q1", answer=1, correct=True)
    clock.current = datetime(2025, 3, 10, 3, 59, tzinfo=york)
    store.record_answer("reg", "q1", answer=1, correct=True)
    days = [(d.day.isoformat(), d.answers) for d in store.stats().reviews_per_day]
    assert days == [("2025-03-08", 1), ("2025-03-09", 3)]


def test_retrievability_matches_py_fsrs() -> None:
    from fsrs.scheduler import FSRS_DEFAULT_DECAY as PACKAGE_DECAY

    assert FSRS_DEFAULT_DECAY == PACKAGE_DECAY
    last = datetime(2025, 4, 1, 1, 0, tzinfo=UTC)
    for stability in (0.5, 2.3, 8.3, 40.0):
        for hours in (0, 23, 24, 100, 1000):
            now = last + timedelta(hours=hours)
            card = Card(card_id=1, state=State.Review, stability=stability, difficulty=5.0,
                        due=now, last_review=last)
            ours = retrievability(stability, int(last.timestamp() * 1000),
                                  int(now.timestamp() * 1000))
            assert ours == pytest.approx(Scheduler().get_card_retrievability(card, now),
                                         rel=1e-12)


def test_the_json_object_keeps_its_pinned_keys_in_order(history: Store) -> None:
    data = history.stats().to_dict()
    assert list(data) == ["reviews", "quiz_attempts", "due", "today", "exam", "forecast",
                          "reviews_per_day", "retention", "accuracy", "streak", "cards",
                          "mistakes", "skills", "keywords", "calendar"]
    assert data["today"] == {"date": "2025-04-10", "reviews": 1, "new_cards": 0, "answers": 0,
                             "study_minutes": 0.0, "new_left": 1, "learning_due": 0,
                             "review_due": 1}
    assert [list(day) for day in data["forecast"]] == [["date", "due"]] * 8
    assert data["forecast"][0]["date"] == "2025-04-10"
    assert list(data["retention"]) == ["days", "reviews", "passed", "rate"]
    assert list(data["accuracy"]) == ["attempts", "correct", "rate", "recent_days",
                                      "recent_attempts", "recent_correct", "recent_rate"]
    assert list(data["streak"]) == ["current", "longest", "studied_today"]
    assert list(data["cards"]) == ["total", "new", "learning", "review", "relearning",
                                   "mature", "suspended", "leeches"]
    assert data["skills"] == {"total": 1, "new": 0, "due": [], "reviews": 1}
    assert list(data["keywords"][0]) == ["keyword", "cards", "cards_studied", "questions",
                                         "questions_answered", "skills", "attempts",
                                         "correct", "accuracy", "mastery"]
    assert data["calendar"] == {"timezone": "Asia/Tokyo", "day_start_hour": 4}


def test_records_are_read_by_name(history: Store) -> None:
    stats = history.stats()
    assert stats.today.study_minutes == 0.0 and stats.today.learning_due == 0
    assert stats.accuracy.recent_days == stats.retention.days == 30
    assert (stats.accuracy.recent_attempts, stats.accuracy.recent_correct) == (5, 3)
    assert stats.accuracy.recent_rate == pytest.approx(0.6)
    assert stats.skills.due == () and stats.skills.new == 0
    assert (stats.calendar.timezone, stats.calendar.day_start_hour) == ("Asia/Tokyo", 4)


def test_day_counters_are_the_schema_columns_by_name(history: Store) -> None:
    assert daily.Counters._fields == COUNTERS
    with history._read() as conn:
        totals = daily.totals(conn, history._calendar_id)
    assert (totals.card_reviews, totals.answers, totals.skill_reviews) == (8, 5, 1)
    assert totals.recall_reviews == 2 and totals.recall_passed == 1
    assert totals.card_new == 3 and totals.answers_correct == 3
    assert totals.study_ms == 3 * 5_000 + 10_000
