"""The plan to the exam date: pacing of new cards, the days, the predictions, and the
study day it counts from (``day_start_hour``, the time zone)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studyapp.store import ItemRef, Rating, Store, StoreConfig
from studyapp.store.forecast import FINAL_DAYS
from studyapp.study.plan import pace, plan_for

TOKYO = ZoneInfo("Asia/Tokyo")


class Clock:
    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 4, 1, 10, 0, tzinfo=TOKYO))


@pytest.fixture
def make_store(tmp_path: Path, clock: Clock) -> Iterator[Callable[..., Store]]:
    opened: list[Store] = []

    def make(n: int, config: StoreConfig | None = None, name: str = "p.sqlite3") -> Store:
        store = Store(tmp_path / name, config or StoreConfig(synchronous="OFF"), now=clock)
        store.sync_content([ItemRef("reg", f"c{i:03d}", ("l1" if i % 2 else "l2",))
                            for i in range(n)], [])
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


TODAY = date(2025, 4, 1)


def test_every_new_card_is_planned_at_least_a_week_before_the_exam(
        make_store: Callable[..., Store]) -> None:
    store = make_store(150)
    plan = plan_for(store, TODAY + timedelta(days=60))
    assert plan.days_left == 60 and plan.new_left == 150 and plan.new_per_day == 20
    assert [d.day for d in plan.days] == [TODAY + timedelta(days=k) for k in range(60)]
    assert sum(d.new for d in plan.days) == 150
    last = max(d.day for d in plan.days if d.new)
    assert (plan.exam_date - last).days >= FINAL_DAYS
    # spread, not front-loaded: 150 cards over the 54 days that may take new cards
    assert max(d.new for d in plan.days) == 3
    assert plan.new_needed_per_day is None and not plan.short_of_time
    assert plan.new_unplanned == 0
    # nothing studied yet: the exam-day prediction counts every card 0; the plan, if
    # followed, brings most of it back
    assert plan.predicted_recall == 0.0
    assert 0.8 < plan.planned_recall <= 1.0
    assert sum(d.reviews for d in plan.days) > 150
    assert {k.keyword for k in plan.keywords} == {"l1", "l2"}


def test_the_exam_today_has_no_days_and_plans_nothing(
        make_store: Callable[..., Store], clock: Clock) -> None:
    store = make_store(5)
    store.rate_card("reg", "c000", Rating.Good)
    clock.current += timedelta(minutes=10)
    store.rate_card("reg", "c000", Rating.Good)
    clock.current += timedelta(days=1)
    plan = plan_for(store, TODAY + timedelta(days=1))
    assert plan.days_left == 0 and plan.days == []
    assert plan.new_left == 4 and plan.new_unplanned == 4 and plan.asap
    # one card of five, reviewed yesterday: its recall this morning, the rest 0
    outlook = store.exam_outlook(TODAY + timedelta(days=1))
    assert plan.predicted_recall == pytest.approx(outlook.predicted_recall)
    assert 0.9 / 5 < plan.predicted_recall <= 1 / 5
    assert plan.planned_recall == pytest.approx(plan.predicted_recall)


def test_in_three_days_with_200_new_cards_as_soon_as_possible(
        make_store: Callable[..., Store]) -> None:
    store = make_store(200)
    plan = plan_for(store, TODAY + timedelta(days=3))
    assert plan.asap and plan.days_left == 3
    assert [d.new for d in plan.days] == [20, 20, 20]
    assert plan.new_needed_per_day == 67  # 200 cards in 3 days
    assert plan.short_of_time and plan.new_unplanned == 140
    # the 60 planned cards are most of what the plan can give: 60 of 200
    assert 0.2 < plan.planned_recall <= 0.3


def test_a_limit_too_low_says_how_many_a_day_it_needs(
        make_store: Callable[..., Store]) -> None:
    store = make_store(400)
    plan = plan_for(store, TODAY + timedelta(days=21))  # 15 days may take new cards
    assert plan.new_needed_per_day == 27 and plan.new_pace == 20
    # at the limit to the 7th day before, then on at the limit: late beats never
    assert [d.new for d in plan.days[:15]] == [20] * 15
    assert [d.new for d in plan.days[15:]] == [20, 20, 20, 20, 20, 0]
    assert plan.new_unplanned == 0


def test_no_new_cards_left(make_store: Callable[..., Store], clock: Clock) -> None:
    store = make_store(3)
    for item in ("c000", "c001", "c002"):
        store.rate_card("reg", item, Rating.Easy)
    plan = plan_for(store, TODAY + timedelta(days=30))
    assert plan.new_left == 0 and plan.new_pace == 0 and plan.new_needed_per_day is None
    assert all(d.new == 0 for d in plan.days)
    assert plan.planned_recall == pytest.approx(plan.predicted_recall)
    # the scheduled reviews, every card seen in the final week
    assert sum(d.reviews for d in plan.days) >= 3
    assert sum(d.reviews for d in plan.days[-FINAL_DAYS:]) >= 3
    assert plan.predicted_recall > 0.9
    assert plan.predicted_recall == pytest.approx(
        store.stats(exam_date=TODAY + timedelta(days=30)).exam.predicted_recall)


def test_new_cards_already_introduced_today_count_toward_today(
        make_store: Callable[..., Store]) -> None:
    store = make_store(100)
    exam = TODAY + timedelta(days=27)  # 21 days for new cards: 4 or 5 a day
    assert plan_for(store, exam).days[0].new == 4
    store.rate_card("reg", "c000", Rating.Good)
    store.rate_card("reg", "c001", Rating.Good)
    plan = plan_for(store, exam)
    assert plan.days[0].new == 2 and plan.days[1].new == 5
    assert plan.new_pace == 5
    assert sum(d.new for d in plan.days) == 98


def test_the_study_day_starts_at_day_start_hour(
        make_store: Callable[..., Store], clock: Clock) -> None:
    store = make_store(10)
    exam = date(2025, 4, 11)
    clock.current = datetime(2025, 4, 2, 3, 30, tzinfo=TOKYO)  # still 1 April's study day
    plan = plan_for(store, exam)
    assert plan.today == date(2025, 4, 1) and plan.days_left == 10
    assert plan.days[0].day == date(2025, 4, 1)
    clock.current = datetime(2025, 4, 2, 4, 0, tzinfo=TOKYO)
    plan = plan_for(store, exam)
    assert plan.today == date(2025, 4, 2) and plan.days_left == 9
    # a learner whose day starts at midnight is on 2 April already at 3:30
    clock.current = datetime(2025, 4, 2, 3, 30, tzinfo=TOKYO)
    midnight = make_store(10, StoreConfig(day_start_hour=0, synchronous="OFF"), "m.sqlite3")
    assert plan_for(midnight, exam).days_left == 9


def test_the_time_zone_sets_today(make_store: Callable[..., Store], clock: Clock) -> None:
    # 10:00 in Tokyo on 1 April is 21:00 on 31 March in New York
    tokyo = make_store(10)
    new_york = make_store(10, StoreConfig(timezone="America/New_York", synchronous="OFF"),
                          "ny.sqlite3")
    exam = date(2025, 4, 11)
    assert plan_for(tokyo, exam).days_left == 10
    plan = plan_for(new_york, exam)
    assert plan.today == date(2025, 3, 31) and plan.days_left == 11
    assert plan.days[0].day == date(2025, 3, 31)


def test_pace_rules() -> None:
    assert pace(0, 30, 20).per_day == 0
    assert pace(10, 0, 20).per_day == 0  # the exam is today
    on_time = pace(46, 30, 20)  # 24 days for new cards
    assert (on_time.per_day, on_time.needed_per_day, on_time.last_day) == (2, None, 23)
    assert pace(46, 7, 20) == (20, 46, 0, False)  # only today before the final week
    assert pace(10, 6, 20).asap and pace(10, 6, 20).per_day == 20
