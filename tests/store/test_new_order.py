"""New cards in the decks' teaching order (``new_order = deck``) or in a stable shuffle
(``random``), and the schema v4 that records each item's place."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from studyapp.store import ItemRef, Rating, Store, StoreConfig
from studyapp.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

from .conftest import Clock


def new_ids(store: Store, deck: str | None = None) -> list[str]:
    return [card.item for card in store.due_queue(deck).new]


def test_new_cards_follow_the_order_of_the_last_sync_not_the_order_they_were_added(
    make_store: Callable[..., Store]
) -> None:
    store = make_store()
    store.sync_content([ItemRef("reg", "dropout-1"), ItemRef("reg", "norm-1")], [])
    assert new_ids(store) == ["dropout-1", "norm-1"]
    # the deck is reordered (keywords in teaching order): the queue follows at once
    store.sync_content([ItemRef("reg", "norm-1"), ItemRef("reg", "dropout-1")], [])
    assert new_ids(store) == ["norm-1", "dropout-1"]


def test_a_version_3_database_is_migrated_with_its_items_and_history(
    tmp_path: Path, clock: Clock
) -> None:
    from studyapp.store.db import _statements

    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:3]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 3")
    conn.executemany(
        "INSERT INTO items (kind, deck, item, active, added_at) VALUES ('card', 'reg', ?, 1, 0)",
        [("c-old-1",), ("c-old-2",)],
    )
    conn.close()

    with Store(path, now=clock) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
        # not synced since: the items keep the order they were added in
        assert new_ids(store) == ["c-old-1", "c-old-2"]
        store.sync_content([ItemRef("reg", "c-new"), ItemRef("reg", "c-old-2"),
                            ItemRef("reg", "c-old-1")], [])
        assert new_ids(store) == ["c-new", "c-old-2", "c-old-1"]


# ---------------------------------------------------------------------- the bundled deck
def bundled_store(make_store: Callable[..., Store], config: StoreConfig | None = None,
                  name: str = "progress.sqlite3") -> tuple[Store, object]:
    """A store synced with the bundled decks the way the app syncs them (a problem in a
    question, say while the deck is being written, does not matter to the cards)."""
    from studyapp.content import validate_roots
    from studyapp.context import sync_store
    from studyapp.paths import bundled_content_dir

    library, _problems = validate_roots([bundled_content_dir()], evaluate=False)
    store = make_store(config, name=name)
    sync_store(store, library, "stamp")
    return store, library


def first_keyword_rank(library: object) -> dict[str, int]:
    deck = library.decks[0]  # type: ignore[attr-defined]
    rank = {keyword.id: i for i, keyword in enumerate(deck.keywords)}
    return {card.id: rank[card.keywords[0]] for card in deck.cards}


def test_the_first_new_cards_of_the_bundled_deck_follow_its_keyword_order(
    make_store: Callable[..., Store], tmp_path: Path
) -> None:
    store, library = bundled_store(make_store)
    deck = library.decks[0]  # type: ignore[attr-defined]
    keyword_of = {card.id: card.keywords[0] for card in deck.cards}
    first = new_ids(store, deck.id)
    assert len(first) == 20
    # 正則化項 first, then ノルム: the penalty and the norms before anything built on them
    assert keyword_of[first[0]] == "regularization-term"
    assert {keyword_of[c] for c in first[:12]} <= {"regularization-term", "norm"}
    assert not any(keyword_of[c] in ("dropout", "dropconnect", "early-stopping")
                   for c in first)
    ranks = first_keyword_rank(library)
    assert [ranks[c] for c in first] == sorted(ranks[c] for c in first)
    # within a keyword, the order of the files and of the cards in them
    file_order = [card.id for card in deck.cards]
    same_keyword = [c for c in first if keyword_of[c] == "norm"]
    assert same_keyword == sorted(same_keyword, key=file_order.index)

    # the database holds the same order, for every card of the deck
    conn = sqlite3.connect(tmp_path / "progress.sqlite3")
    try:
        ordered = [item for (item,) in conn.execute(
            "SELECT i.item FROM items i JOIN item_order o ON o.item_id = i.id "
            "WHERE i.kind = 'card' AND i.deck = ? ORDER BY o.position", (deck.id,))]
    finally:
        conn.close()
    assert ordered[:20] == first
    assert len(ordered) == len(deck.cards)
    assert [ranks[c] for c in ordered] == sorted(ranks.values())


def test_rating_new_cards_moves_on_to_the_next_in_teaching_order(
    make_store: Callable[..., Store]
) -> None:
    store, library = bundled_store(make_store, StoreConfig(new_cards_per_day=30))
    deck = library.decks[0]  # type: ignore[attr-defined]
    order = new_ids(store, deck.id)
    for card in order[:5]:
        store.rate_card(deck.id, card, Rating.Easy)
    assert new_ids(store, deck.id) == order[5:]


def test_random_order_is_a_stable_shuffle_of_the_learners_own(
    make_store: Callable[..., Store]
) -> None:
    shuffled = StoreConfig(new_order="random", new_cards_per_day=1000)
    store, library = bundled_store(make_store, shuffled)
    deck = library.decks[0]  # type: ignore[attr-defined]
    by_deck = [card.item for card in
               make_store(StoreConfig(new_cards_per_day=1000)).due_queue(deck.id).new]
    first = new_ids(store, deck.id)
    assert sorted(first) == sorted(by_deck)  # every card, once
    assert first != by_deck
    assert new_ids(store, deck.id) == first  # the same on every refresh ...
    assert new_ids(make_store(shuffled), deck.id) == first  # ... and every start
    store.rate_card(deck.id, first[0], Rating.Good)  # studying does not reshuffle the rest
    assert new_ids(store, deck.id) == first[1:]
    # another learner's file has its own shuffle
    other, _ = bundled_store(make_store, shuffled, name="other.sqlite3")
    assert new_ids(other, deck.id) != first
