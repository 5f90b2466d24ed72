"""The daily review limit (``reviews_per_day``) and the target retention FSRS schedules
for (``desired_retention``), as the settings give them to the store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from studyapp.store import Rating, Store, StoreConfig

from .conftest import Clock, cards


def review_cards(store: Store, clock: Clock, n: int) -> None:
    """``n`` cards in the review state, all due today (Easy on a new card: a few days)."""
    store.sync_content(cards(n), [])
    start = clock.current
    for i in range(n):
        store.rate_card("reg", f"c{i}", Rating.Easy)
    clock.current = start + timedelta(days=60)


def test_the_review_limit_caps_the_reviews_offered_today(
    make_store: Callable[..., Store], clock: Clock
) -> None:
    store = make_store(StoreConfig(reviews_per_day=3, new_cards_per_day=0))
    review_cards(store, clock, 5)
    queue = store.due_queue()
    assert len(queue.review) == 3 and queue.due_now == 3
    first = queue.next()
    store.rate_card("reg", first.item, Rating.Good)  # one of today's three
    assert len(store.due_queue().review) == 2
    assert store.home().review_due == 2
    for _ in range(2):
        store.rate_card("reg", store.next_card().item, Rating.Good)
    assert store.due_queue().review == [] and store.next_card() is None
    # the two left wait for tomorrow's limit; the statistics still count them as due
    assert store.stats().due == 2
    clock.advance(days=1)
    assert len(store.due_queue().review) == 2


def test_a_failed_review_counts_once_and_its_relearning_is_not_limited(
    make_store: Callable[..., Store], clock: Clock
) -> None:
    store = make_store(StoreConfig(reviews_per_day=1, new_cards_per_day=0))
    review_cards(store, clock, 3)
    card = store.next_card()
    store.rate_card("reg", card.item, Rating.Again)
    clock.advance(minutes=10)
    queue = store.due_queue()
    assert queue.review == []
    assert [c.item for c in queue.learning] == [card.item]  # relearning comes back


def test_undoing_a_review_gives_its_slot_back(make_store: Callable[..., Store],
                                              clock: Clock) -> None:
    store = make_store(StoreConfig(reviews_per_day=1, new_cards_per_day=0))
    review_cards(store, clock, 2)
    store.rate_card("reg", store.next_card().item, Rating.Good)
    assert store.due_queue().review == []
    store.undo_last_rating()
    assert len(store.due_queue().review) == 1


def test_a_review_limit_of_zero_offers_no_reviews(make_store: Callable[..., Store],
                                                  clock: Clock) -> None:
    store = make_store(StoreConfig(reviews_per_day=0))
    review_cards(store, clock, 2)
    assert store.due_queue().review == []


def test_the_default_review_limit_holds_back_the_201st_review(store: Store,
                                                               clock: Clock) -> None:
    review_cards(store, clock, 201)
    assert len(store.due_queue().review) == 200  # Anki's maximum reviews/day
    assert store.stats().due == 201


def today_and_tomorrow(store: Store, clock: Clock, today: int, tomorrow: int) -> None:
    """``today`` review cards due today, ``tomorrow`` more due on the next study day (Easy
    a day apart: the same interval, no fuzz)."""
    store.sync_content(cards(today + tomorrow), [])
    start = clock.current
    for i in range(today + tomorrow):
        clock.current = start + timedelta(days=int(i >= today))
        store.rate_card("reg", f"c{i}", Rating.Easy)
    interval = store.card_state("reg", "c0").due - start
    clock.current = start + timedelta(days=interval.days)
    assert store.stats().due == today and store.tomorrow().day == store.today() + timedelta(1)


def test_review_ahead_keeps_the_limit_on_todays_cards_and_lifts_it_for_tomorrows(
    make_store: Callable[..., Store], clock: Clock
) -> None:
    store = make_store(StoreConfig(reviews_per_day=2, new_cards_per_day=0, enable_fuzz=False))
    today_and_tomorrow(store, clock, 6, 3)
    for _ in range(2):
        store.rate_card("reg", store.next_card().item, Rating.Good)
    assert store.due_queue().review == []
    # review ahead brings tomorrow's three only: today's four stay held back by the limit
    ahead = store.due_queue(ahead_days=1).review
    assert sorted(c.item for c in ahead) == ["c6", "c7", "c8"]
    for _ in range(3):  # past the limit: the cards due ahead are not limited
        card = store.next_card(ahead_days=1)
        assert card is not None and card.item in ("c6", "c7", "c8")
        store.rate_card("reg", card.item, Rating.Good)
    assert store.next_card(ahead_days=1) is None
    assert store.stats().due == 4


def test_review_ahead_under_the_limit_offers_todays_cards_first(
    make_store: Callable[..., Store], clock: Clock
) -> None:
    store = make_store(StoreConfig(reviews_per_day=4, new_cards_per_day=0, enable_fuzz=False))
    today_and_tomorrow(store, clock, 6, 2)
    store.rate_card("reg", store.next_card().item, Rating.Good)
    # three of today's five left within the limit, then tomorrow's two
    assert [c.item for c in store.due_queue(ahead_days=1).review] == [
        "c1", "c2", "c3", "c6", "c7"]


def test_tomorrow_counts_the_reviews_held_back_today_within_the_limit(
    make_store: Callable[..., Store], clock: Clock
) -> None:
    store = make_store(StoreConfig(reviews_per_day=3, new_cards_per_day=0, enable_fuzz=False))
    today_and_tomorrow(store, clock, 5, 1)
    for _ in range(3):
        store.rate_card("reg", store.next_card().item, Rating.Good)
    assert store.next_card() is None
    # two held back today and one due tomorrow: three, the limit
    assert store.tomorrow().due == 3
    # held back or not, tomorrow offers at most the limit
    other = make_store(StoreConfig(reviews_per_day=2, new_cards_per_day=0,
                                   enable_fuzz=False))
    assert other.tomorrow().due == 2


def test_desired_retention_from_the_settings_changes_the_interval_fsrs_gives(
    make_store: Callable[..., Store], clock: Clock
) -> None:
    from studyapp.settings import Settings

    def interval_days(retention: float, name: str) -> float:
        config = Settings(desired_retention=retention).store_config(
            StoreConfig(enable_fuzz=False))
        assert config.desired_retention == retention
        store = make_store(config, name=name)
        store.sync_content(cards(1), [])
        start = clock.current
        store.rate_card("reg", "c0", Rating.Good)
        clock.advance(minutes=10)
        store.rate_card("reg", "c0", Rating.Good)  # graduates: a first review interval
        clock.current += timedelta(days=30)
        result = store.rate_card("reg", "c0", Rating.Good)
        clock.current = start
        return result.interval / timedelta(days=1)

    strict, default, loose = (interval_days(r, f"{r}.sqlite3") for r in (0.97, 0.9, 0.7))
    # a higher target recall means reviewing sooner
    assert strict < default < loose
    assert loose > 3 * strict


def test_new_settings_take_effect_in_a_running_store(make_store: Callable[..., Store],
                                                     clock: Clock) -> None:
    from dataclasses import replace

    store = make_store()
    store.sync_content(cards(30), [])
    assert len(store.due_queue().new) == 20
    store.reconfigure(replace(store.config, new_cards_per_day=3, new_order="random"))
    assert len(store.due_queue().new) == 3 and store.home().new_left == 3
    store.reconfigure(replace(store.config, desired_retention=0.7))
    assert store._scheduling.scheduler.desired_retention == 0.7
    # the calendar is the store's own: another one needs another store
    with pytest.raises(ValueError, match="timezone"):
        store.reconfigure(replace(store.config, timezone="UTC"))
