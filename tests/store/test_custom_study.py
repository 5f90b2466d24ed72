"""More study once today's cards are done, as Anki's custom study offers it: a raised
new-card allowance for today only, and the reviews due soon brought forward."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from studyapp.store import Rating, Store, StoreConfig
from studyapp.store.config import to_ms

from .conftest import Clock, cards


def test_more_new_cards_raise_todays_allowance_only(make_store: Callable[..., Store],
                                                     clock: Clock) -> None:
    store = make_store(StoreConfig(new_cards_per_day=2))
    store.sync_content(cards(30), [])
    for _ in range(2):
        store.rate_card("reg", store.next_card().item, Rating.Easy)
    assert store.new_cards_left() == 0 and store.next_card() is None
    assert store.add_new_cards_today(10) == 10
    assert store.new_cards_left() == 10
    assert len(store.due_queue().new) == 10
    store.rate_card("reg", store.next_card().item, Rating.Easy)
    assert store.new_cards_left() == 9
    assert store.stats().today.new_left == 9  # stats --json reads the same allowance
    assert store.add_new_cards_today(10) == 19  # twice: twenty more in all
    # a second copy of the app (or a restart) sees the same allowance that day
    other = make_store(StoreConfig(new_cards_per_day=2))
    assert other.new_cards_left() == 19
    clock.advance(days=1)
    assert store.new_cards_left() == 2 and other.new_cards_left() == 2


def test_more_new_cards_survive_undo_and_refuse_a_bad_count(
        make_store: Callable[..., Store]) -> None:
    store = make_store(StoreConfig(new_cards_per_day=0))
    store.sync_content(cards(3), [])
    store.add_new_cards_today(10)
    store.rate_card("reg", store.next_card().item, Rating.Good)
    store.undo_last_rating()
    assert store.new_cards_left() == 10
    for bad in (0, -5):
        try:
            store.add_new_cards_today(bad)
        except ValueError:
            pass
        else:
            raise AssertionError(f"{bad} accepted")
    assert store.new_cards_left() == 10


def test_review_ahead_brings_tomorrows_reviews_forward(make_store: Callable[..., Store],
                                                       clock: Clock) -> None:
    store = make_store(StoreConfig(new_cards_per_day=0))
    store.sync_content(cards(3), [])
    start = clock.current
    for i in range(3):
        store.rate_card("reg", f"c{i}", Rating.Easy)  # review cards due in some days
    due_days = sorted(store.calendar.day_of(to_ms(store.card_state("reg", f"c{i}").due))
                      for i in range(3))
    first = due_days[0]
    # the day before the first one is due
    clock.current = start + timedelta(days=(first - store.today()).days - 1)
    assert store.due_queue().review == [] and store.next_card() is None
    tomorrow = store.tomorrow()
    assert tomorrow.day == store.today() + timedelta(days=1) == first
    assert tomorrow.due == due_days.count(first)
    ahead = store.due_queue(ahead_days=1)
    assert len(ahead.review) == due_days.count(first)
    card = store.next_card(ahead_days=1)
    assert card is not None and card.state == "review"
    store.rate_card("reg", card.item, Rating.Good)
    state = store.card_state("reg", card.item)
    assert state.last_review == clock.current  # reviewed a day early, rescheduled from now
    assert store.calendar.day_of(to_ms(state.due)) > first
    assert len(store.due_queue(ahead_days=1).review) == due_days.count(first) - 1
    assert store.due_queue().review == []  # the plain queue still waits for tomorrow
    # a card reviewed ahead does not come back ahead the same day, however far ahead
    assert card.item not in [c.item for c in store.due_queue(ahead_days=3650).review]
    assert store.tomorrow().due == due_days.count(first) - 1
    clock.advance(days=1)  # the next day it is scheduled as usual
    assert card.item in [c.item for c in store.due_queue(ahead_days=3650).review]


def test_a_card_reviewed_ahead_counts_for_tomorrow_when_due_then(
        make_store: Callable[..., Store], clock: Clock) -> None:
    store = make_store(StoreConfig(new_cards_per_day=1, enable_fuzz=False))
    store.sync_content(cards(1), [])
    store.rate_card("reg", "c0", Rating.Easy)  # review, due in some days
    clock.advance(days=1)
    due = store.calendar.day_of(to_ms(store.card_state("reg", "c0").due))
    days = (due - store.today()).days
    assert days >= 1 and store.due_queue().review == []
    assert store.tomorrow().due == int(days == 1)
    assert [c.item for c in store.due_queue(ahead_days=days).review] == ["c0"]
    store.rate_card("reg", "c0", Rating.Hard)  # ahead: a short interval again
    after = store.calendar.day_of(to_ms(store.card_state("reg", "c0").due))
    assert store.due_queue(ahead_days=days + 30).review == []
    assert store.tomorrow().due == int(after == store.today() + timedelta(days=1))


def test_tomorrow_counts_new_cards_within_the_limit(make_store: Callable[..., Store]) -> None:
    store = make_store(StoreConfig(new_cards_per_day=5))
    store.sync_content(cards(3), [])
    assert store.tomorrow().new == 3  # fewer left than the limit
    assert store.tomorrow().unseen == 3
    store.sync_content(cards(8), [])
    assert store.tomorrow().new == 5
