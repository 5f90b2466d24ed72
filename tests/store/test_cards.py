"""Flashcard scheduling: queue, new-card limit, day boundary, preview, undo, content changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from studyapp.store import ItemRef, Rating, Store, StoreConfig

from .conftest import TOKYO, Clock, cards, jst


def table(store: Store, name: str) -> list[tuple]:
    return store.conn.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()


def graduate(store: Store, clock: Clock, item: str, deck: str = "reg") -> None:
    """Take a new card to the review state (Good, then Good ten minutes later)."""
    store.rate_card(deck, item, Rating.Good)
    clock.advance(minutes=10)
    result = store.rate_card(deck, item, Rating.Good)
    assert result.state.state == "review"


def test_new_cards_come_in_content_order_up_to_the_daily_limit(store: Store) -> None:
    store.sync_content(cards(30), [])
    queue = store.due_queue()
    assert [c.item for c in queue.new] == [f"c{i}" for i in range(20)]
    assert queue.due_now == 0
    assert queue.next().item == "c0"
    assert store.new_cards_left() == 20


def test_daily_new_card_limit_resets_when_the_study_day_starts_at_4(
    store: Store, clock: Clock
) -> None:
    store.sync_content(cards(50), [])
    clock.set_local(2025, 4, 1, 22, 0)
    for i in range(20):
        store.rate_card("reg", f"c{i}", Rating.Easy)
    assert store.new_cards_left() == 0
    assert store.due_queue().new == []
    clock.set_local(2025, 4, 2, 3, 59)  # still the study day of 1 April
    assert store.new_cards_left() == 0
    clock.set_local(2025, 4, 2, 4, 0)
    assert store.new_cards_left() == 20
    assert [c.item for c in store.due_queue().new][:2] == ["c20", "c21"]


def test_new_card_limit_counts_first_ratings_only(make_store: Callable[..., Store],
                                                   clock: Clock) -> None:
    store = make_store(StoreConfig(new_cards_per_day=3))
    store.sync_content(cards(10), [])
    store.rate_card("reg", "c0", Rating.Again)
    clock.advance(minutes=1)
    store.rate_card("reg", "c0", Rating.Again)  # a second rating of the same card
    assert store.new_cards_left() == 2
    assert [c.item for c in store.due_queue().new] == ["c1", "c2"]


def test_review_card_is_due_from_the_start_of_its_due_day(store: Store, clock: Clock) -> None:
    store.sync_content(cards(1), [])
    clock.set_local(2025, 4, 1, 22, 0)
    graduate(store, clock, "c0")
    due = store.card_state("reg", "c0").due.astimezone(TOKYO)
    assert due.hour == 22  # due at the time of day of the review ...
    due_day = (due - timedelta(hours=4)).date()
    clock.set_local(due_day.year, due_day.month, due_day.day, 3, 59)
    assert store.due_queue().review == []
    clock.set_local(due_day.year, due_day.month, due_day.day, 4, 0)  # ... shown from 4:00
    assert [c.item for c in store.due_queue().review] == ["c0"]
    assert store.due_queue().due_now == 1


def test_day_start_hour_and_timezone_are_configurable(make_store: Callable[..., Store],
                                                      clock: Clock) -> None:
    store = make_store(StoreConfig(timezone="UTC", day_start_hour=0))
    clock.set_local(2025, 4, 1, 8, 30)  # 23:30 UTC on 31 March
    assert store.today().isoformat() == "2025-03-31"
    clock.set_local(2025, 4, 1, 9, 0)  # midnight UTC
    assert store.today().isoformat() == "2025-04-01"
    tokyo = make_store(name="other.sqlite3")
    clock.set_local(2025, 4, 2, 3, 0)
    assert tokyo.today().isoformat() == "2025-04-01"


def test_learning_cards_wait_for_their_minute_then_come_first(store: Store, clock: Clock) -> None:
    store.sync_content(cards(5), [])
    store.rate_card("reg", "c0", Rating.Good)  # learning, due in 10 minutes
    clock.advance(minutes=5)
    queue = store.due_queue()
    assert queue.learning == []
    assert [c.item for c in queue.ahead] == ["c0"]
    assert queue.next().item == "c1"  # new cards before learning ahead
    clock.advance(minutes=5)
    queue = store.due_queue()
    assert [c.item for c in queue.learning] == ["c0"]
    assert queue.next().item == "c0"


def test_learn_ahead_shows_a_learning_card_when_nothing_else_is_left(
    make_store: Callable[..., Store], clock: Clock
) -> None:
    store = make_store(StoreConfig(new_cards_per_day=1))
    store.sync_content(cards(3), [])
    store.rate_card("reg", "c0", Rating.Good)
    assert store.next_card().item == "c0"  # due in 10 min, within the 20-min learn-ahead
    store.rate_card("reg", "c0", Rating.Again)
    clock.advance(seconds=10)
    queue = store.due_queue()
    assert queue.due_now == 0 and queue.new == []
    assert queue.next().state == "learning"


def test_preview_labels_read_like_anki(store: Store) -> None:
    store.sync_content(cards(1), [])
    labels = {r: p.label for r, p in store.preview("reg", "c0").items()}
    assert labels[Rating.Again] == "1分"
    assert labels[Rating.Hard] == "6分"  # halfway between the 1- and 10-minute steps
    assert labels[Rating.Good] == "10分"
    assert labels[Rating.Easy].endswith("日")


def test_preview_gives_exactly_what_each_rating_does(store: Store, clock: Clock) -> None:
    store.sync_content(cards(1), [])
    graduate(store, clock, "c0")
    for _ in range(3):  # a long interval, so fuzz applies
        clock.current = store.card_state("reg", "c0").due + timedelta(days=2)
        store.rate_card("reg", "c0", Rating.Good)
    clock.current = store.card_state("reg", "c0").due + timedelta(days=1)
    preview = store.preview("reg", "c0")
    assert preview[Rating.Easy].interval > timedelta(days=10)
    for rating in Rating:
        result = store.rate_card("reg", "c0", rating)
        assert result.state.due == preview[rating].due
        assert result.interval == preview[rating].interval
        assert result.label == preview[rating].label
        store.undo_last_rating()
    labels = [preview[r].interval for r in Rating]
    assert labels == sorted(labels)


def test_undo_restores_the_card_state_and_counts_exactly(store: Store, clock: Clock) -> None:
    store.sync_content(cards(3), [])
    graduate(store, clock, "c0")
    clock.current = store.card_state("reg", "c0").due + timedelta(hours=3)
    tables = ("srs_state", "reviews", "activity", "daily", "items")
    before = {name: table(store, name) for name in tables}
    state_before = store.card_state("reg", "c0")
    stats_before = store.stats().to_dict()
    store.rate_card("reg", "c0", Rating.Again, duration_ms=4200)
    assert store.card_state("reg", "c0").lapses == 1
    undone = store.undo_last_rating()
    assert undone is not None and undone.rating == Rating.Again and undone.item == "c0"
    assert undone.state == state_before
    assert store.card_state("reg", "c0") == state_before
    assert {name: table(store, name) for name in tables} == before
    assert store.stats().to_dict() == stats_before


def test_undo_of_a_first_rating_makes_the_card_new_again(store: Store) -> None:
    store.sync_content(cards(3), [])
    activity = table(store, "activity")
    store.rate_card("reg", "c0", Rating.Good)
    assert store.new_cards_left() == 19
    undone = store.undo_last_rating()
    assert undone.state is None
    assert store.card_state("reg", "c0") is None
    assert store.new_cards_left() == 20
    assert store.due_queue().new[0].item == "c0"
    assert table(store, "reviews") == [] and table(store, "activity") == activity


def test_undo_walks_back_several_ratings_then_stops(store: Store, clock: Clock) -> None:
    store.sync_content(cards(3), [])
    store.rate_card("reg", "c0", Rating.Good)
    store.rate_card("reg", "c1", Rating.Hard)
    assert store.can_undo
    assert store.undo_last_rating().item == "c1"
    assert store.undo_last_rating().item == "c0"
    assert not store.can_undo
    assert store.undo_last_rating() is None
    assert store.stats().reviews == 0


def test_undo_refuses_when_another_copy_rated_the_card_since(
    make_store: Callable[..., Store], clock: Clock
) -> None:
    first = make_store()
    second = make_store()
    first.sync_content(cards(2), [])
    first.rate_card("reg", "c0", Rating.Good)
    clock.advance(minutes=10)
    second.rate_card("reg", "c0", Rating.Good)
    state = first.card_state("reg", "c0")
    assert first.undo_last_rating() is None
    assert first.card_state("reg", "c0") == state
    assert first.stats().reviews == 2


def test_bad_rating_is_refused(store: Store) -> None:
    store.sync_content(cards(1), [])
    with pytest.raises(ValueError, match="rating must be 1-4"):
        store.rate_card("reg", "c0", 5)
    assert store.stats().reviews == 0


def test_a_removed_card_keeps_its_history_but_is_not_scheduled(store: Store, clock: Clock) -> None:
    store.sync_content(cards(3), [])
    store.rate_card("reg", "c1", Rating.Again)
    clock.advance(minutes=2)
    assert [c.item for c in store.due_queue().learning] == ["c1"]
    result = store.sync_content([ItemRef("reg", "c0", ("l1",)), ItemRef("reg", "c2", ("l1",)),
                                 ItemRef("reg", "c3", ("l2",))], [])
    assert (result.added, result.retired, result.restored) == (1, 1, 0)
    queue = store.due_queue()
    assert queue.learning == []
    assert [c.item for c in queue.new] == ["c0", "c2", "c3"]
    assert store.card_state("reg", "c1") is not None
    assert store.stats().reviews == 1
    assert store.stats().due == 0
    back = store.sync_content(cards(3), [])
    assert (back.added, back.retired, back.restored) == (0, 1, 1)
    assert [c.item for c in store.due_queue().learning] == ["c1"]


def test_sync_updates_keywords_and_is_idempotent(store: Store) -> None:
    store.sync_content(cards(2, keywords=("l1",)), [])
    again = store.sync_content(cards(2, keywords=("l1",)), [])
    assert (again.added, again.retired, again.restored, again.active) == (0, 0, 0, 2)
    store.sync_content(cards(2, keywords=("l2", "norm")), [])
    assert sorted(k.keyword for k in store.keyword_progress()) == ["l2", "norm"]


def test_decks_are_separate_and_filterable(store: Store) -> None:
    store.sync_content(cards(2, deck="a") + cards(2, deck="b"), [])
    assert [c.deck for c in store.due_queue("b").new] == ["b", "b"]
    store.rate_card("b", "c0", Rating.Good)
    assert store.card_state("a", "c0") is None
    assert store.card_state("b", "c0") is not None


def test_rating_an_unknown_card_creates_it(store: Store) -> None:
    result = store.rate_card("reg", "never-synced", Rating.Good)
    assert result.state.reps == 1


def test_state_survives_reopening(make_store: Callable[..., Store], clock: Clock) -> None:
    store = make_store()
    store.sync_content(cards(2), [])
    graduate(store, clock, "c0")
    state = store.card_state("reg", "c0")
    store.close()
    again = make_store()
    assert again.card_state("reg", "c0") == state
    assert jst(2025, 4, 1) < state.due


def test_a_saved_deck_index_is_read_back_only_with_its_fingerprint(store) -> None:
    assert store.content_index("print-1") is None
    result = store.sync_library(cards(3), [], [ItemRef("", "lasso", ("lasso",))],
                                fingerprint="print-1", index='{"decks": []}')
    assert (result.added, result.active) == (4, 4)
    assert store.content_index("print-1") == '{"decks": []}'
    assert store.content_index("print-2") is None
    assert store.home().new_available == 3


@pytest.mark.parametrize("change", ["add card", "retire card", "keywords", "skill", "raw sql"])
def test_any_change_to_the_items_forgets_the_deck_index(store, change: str) -> None:
    store.sync_library(cards(3), [], ["lasso"], fingerprint="print-1", index="index")
    if change == "add card":
        store.sync_content(cards(4), [])
    elif change == "retire card":
        store.sync_content(cards(2), [])
    elif change == "keywords":
        store.sync_content(cards(3, keywords=("l2",)), [])
    elif change == "skill":
        store.sync_skills(["lasso", "ridge"])
    else:  # another copy of the app writing the items its own way
        store.conn.execute("UPDATE items SET active = 0 WHERE item = 'c0'")
    assert store.content_index("print-1") is None


def test_a_sync_that_changes_nothing_keeps_the_deck_index(store) -> None:
    store.sync_library(cards(3), [], ["lasso"], fingerprint="print-1", index="index")
    store.sync_content(cards(3), [])
    store.sync_skills(["lasso"])
    store.rate_card("reg", "c0", Rating.Good)
    assert store.content_index("print-1") == "index"


def test_syncing_the_same_decks_and_index_again_writes_nothing(store) -> None:
    # studyapp stats syncs as the app does: on a store already in step it must leave the
    # file as it is (the fault tests check a damaged store is not written before it is read)
    store.sync_library(cards(3), [], ["lasso"], fingerprint="print-1", index="index")
    before = store.conn.total_changes
    store.sync_library(cards(3), [], ["lasso"], fingerprint="print-1", index="index")
    assert store.conn.total_changes == before
    store.sync_library(cards(3), [], ["lasso"], fingerprint="print-2", index="index 2")
    assert store.conn.total_changes > before
    assert store.content_index("print-2") == "index 2"
