"""Which items exist: the cards and questions of the decks, the practice skills, and the
decks' index saved for the next start-up.

An item gone from the content is retired (kept with its history, not scheduled, not
counted) and restored with its history if it comes back; a new id starts new.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from studyapp.store.core import StoreBase, guarded
from studyapp.store.models import ItemRef, SyncResult
from studyapp.store.schema import INDEX_KEYS, SALT_KEY


def _total(parts: list[SyncResult]) -> SyncResult:
    return SyncResult(*(sum(getattr(p, f) for p in parts) for f in SyncResult._fields))


def _skill_refs(skills: Iterable[ItemRef | str]) -> list[ItemRef]:
    return [ItemRef("", s) if isinstance(s, str) else s for s in skills]


def shuffle_key(salt: str, kind: str, deck: str, item: str) -> int:
    """The place of an item in the ``new_order = random`` order: a number fixed by the
    file's salt and the item, so the shuffle is the learner's own and never changes."""
    import hashlib  # not at import time: only a sync that adds items draws one

    digest = hashlib.sha256(f"{salt}\x1f{kind}/{deck}/{item}".encode()).digest()
    return int.from_bytes(digest[:7], "big")  # 56 bits: a positive SQLite integer


def _salt(conn: sqlite3.Connection) -> str:
    """The file's random salt of the shuffle, made the first time one is needed."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (SALT_KEY,)).fetchone()
    if row is not None:
        return str(row[0])
    import secrets

    salt = secrets.token_hex(16)
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (SALT_KEY, salt))
    return salt


def _keep_order(conn: sqlite3.Connection, kind: str,
                positions: dict[int, tuple[int, str, str]]) -> None:
    """Record each item's place in the content's order (``item_order``), writing only the
    rows that change. ``positions``: ``items.id -> (position, deck, item)``."""
    stored = dict(conn.execute(
        "SELECT o.item_id, o.position FROM item_order o JOIN items i ON i.id = o.item_id "
        "WHERE i.kind = ?", (kind,)))
    moved = [(position, item_id) for item_id, (position, _, _) in positions.items()
             if item_id in stored and stored[item_id] != position]
    conn.executemany("UPDATE item_order SET position = ? WHERE item_id = ?", moved)
    missing = [(item_id, *place) for item_id, place in positions.items()
               if item_id not in stored]
    if missing:
        salt = _salt(conn)
        conn.executemany(
            "INSERT INTO item_order (item_id, position, shuffle) VALUES (?, ?, ?)",
            [(item_id, position, shuffle_key(salt, kind, deck, item))
             for item_id, position, deck, item in missing],
        )


def sync_kind(conn: sqlite3.Connection, kind: str, refs: Iterable[ItemRef],
              deck_of: str | None, now_ms: int) -> SyncResult:
    """Make the active items of one kind exactly ``refs`` (inside a write).

    Parameters
    ----------
    conn : sqlite3.Connection
        In a ``BEGIN IMMEDIATE`` transaction.
    kind : str
        ``"card"``, ``"question"`` or ``"skill"``.
    refs : iterable of ItemRef
        The items the content has now, in the order new ones are to be shown (kept in
        ``item_order``: a later sync in another order reorders the new ones).
    deck_of : str or None
        The deck every item is stored under (``""`` for skills); ``None``: each ref's own.
    now_ms : int
        The time a new item is added at.
    """
    wanted: dict[tuple[str, str], tuple[str, ...]] = {}
    for ref in refs:
        deck = ref.deck if deck_of is None else deck_of
        wanted.setdefault((deck, ref.item), tuple(dict.fromkeys(ref.keywords)))
    added = retired = restored = 0
    # with one deck for all (skills: ''), items of other decks are not this sync's (the
    # exercise skills live under 'exercise')
    only = "" if deck_of is None else " AND deck = ?"
    args = (kind,) if deck_of is None else (kind, deck_of)
    existing = {
        (deck, item): (item_id, active)
        for item_id, deck, item, active in conn.execute(
            "SELECT id, deck, item, active FROM items WHERE kind = ?" + only, args
        )
    }
    keywords: dict[int, set[str]] = {}
    for item_id, keyword in conn.execute(
        "SELECT k.item_id, k.keyword FROM item_keywords k "
        "JOIN items i ON i.id = k.item_id WHERE i.kind = ?" + only.replace("deck", "i.deck"),
        args,
    ):
        keywords.setdefault(item_id, set()).add(keyword)
    positions: dict[int, tuple[int, str, str]] = {}
    for position, ((deck, item), kws) in enumerate(wanted.items()):
        found = existing.get((deck, item))
        if found is None:
            cur = conn.execute(
                "INSERT INTO items (kind, deck, item, active, added_at) "
                "VALUES (?, ?, ?, 1, ?)", (kind, deck, item, now_ms),
            )
            item_id = int(cur.lastrowid or 0)
            added += 1
        else:
            item_id, active = found
            if not active:
                conn.execute("UPDATE items SET active = 1 WHERE id = ?", (item_id,))
                restored += 1
        positions[item_id] = (position, deck, item)
        if keywords.get(item_id, set()) != set(kws):
            conn.execute("DELETE FROM item_keywords WHERE item_id = ?", (item_id,))
            conn.executemany(
                "INSERT INTO item_keywords (item_id, keyword) VALUES (?, ?)",
                [(item_id, k) for k in kws],
            )
    for key, (item_id, active) in existing.items():
        if active and key not in wanted:
            conn.execute("UPDATE items SET active = 0 WHERE id = ?", (item_id,))
            retired += 1
    _keep_order(conn, kind, positions)
    return SyncResult(added=added, retired=retired, restored=restored, active=len(wanted))


class SyncMixin(StoreBase):
    """Telling the store which cards, questions and skills exist, and the decks' index."""

    @guarded
    def sync_content(self, cards: Iterable[ItemRef], questions: Iterable[ItemRef]) -> SyncResult:
        """Tell the store which cards and questions the content has now.

        New items start new (in the order given: that is the order new cards are shown);
        items no longer in the content keep their history but are retired (not scheduled,
        not counted); items that come back are restored with their history. Call it at
        start-up with everything loaded (not a filtered subset).

        Parameters
        ----------
        cards, questions : iterable of ItemRef
            Every card and every question of every loaded deck.

        Returns
        -------
        SyncResult
            Added, retired and restored counts (cards and questions together).
        """
        with self._write() as conn:
            now_ms = self.now_ms()
            return _total([sync_kind(conn, "card", cards, None, now_ms),
                           sync_kind(conn, "question", questions, None, now_ms)])

    @guarded
    def sync_skills(self, skills: Iterable[ItemRef | str]) -> SyncResult:
        """Tell the store which practice skills (generator kinds) exist now.

        Parameters
        ----------
        skills : iterable of ItemRef or str
            A kind name, or an ``ItemRef`` whose ``item`` is the kind and whose
            ``keywords`` are the keyword ids the skill trains (its ``deck`` is ignored).
        """
        with self._write() as conn:
            return sync_kind(conn, "skill", _skill_refs(skills), "", self.now_ms())

    @guarded
    def sync_library(self, cards: Iterable[ItemRef], questions: Iterable[ItemRef],
                     skills: Iterable[ItemRef | str], *, fingerprint: str,
                     index: str) -> SyncResult:
        """``sync_content`` and ``sync_skills``, then save the decks' index with the
        fingerprint of their files, all in one transaction (``create_app`` at a start-up
        whose deck files changed). :meth:`content_index` gives the index back.

        Returns
        -------
        SyncResult
            Cards, questions and skills together.
        """
        with self._write() as conn:
            now_ms = self.now_ms()
            parts = [sync_kind(conn, "card", cards, None, now_ms),
                     sync_kind(conn, "question", questions, None, now_ms),
                     sync_kind(conn, "skill", _skill_refs(skills), "", now_ms)]
            saved = dict(conn.execute(
                "SELECT key, value FROM meta WHERE key IN (?, ?)", INDEX_KEYS))
            wanted = dict(zip(INDEX_KEYS, (fingerprint, index), strict=True))
            if saved != wanted:  # the same index again writes nothing: the file stays as it is
                conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                 wanted.items())
        return _total(parts)

    @guarded
    def content_index(self, fingerprint: str) -> str | None:
        """The decks' index saved by :meth:`sync_library` with this fingerprint, or None.

        A start-up whose deck files have the same fingerprint reads it instead of loading
        the YAML (``studyapp.content.index``). Any change to the items or their keywords
        deletes it (triggers of schema v3), whichever copy of the app makes it, so a saved
        index always describes the items the store holds.
        """
        with self._read() as conn:
            rows = dict(conn.execute(
                "SELECT key, value FROM meta WHERE key IN (?, ?)", INDEX_KEYS))
        if rows.get(INDEX_KEYS[0]) != fingerprint:
            return None
        return rows.get(INDEX_KEYS[1])
