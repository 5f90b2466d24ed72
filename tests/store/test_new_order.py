"""New cards in the decks' teaching order (``new_order = deck``) or in a stable shuffle
(``random``), and the schema v4 that records each item's place."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from studyapp.store import ItemRef, Store
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
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        # not synced since: the items keep the order they were added in
        assert new_ids(store) == ["c-old-1", "c-old-2"]
        store.sync_content([ItemRef("reg", "c-new"), ItemRef("reg", "c-old-2"),
                            ItemRef("reg", "c-old-1")], [])
        assert new_ids(store) == ["c-new", "c-old-2", "c-old-1"]
