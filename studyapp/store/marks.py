"""What a learner marks on an item (suspended, flagged), the leeches, and the histories the
card browser shows.

A suspended card or question is never offered (the flashcard queue leaves it out, the quiz
asks :meth:`MarksMixin.suspended_items`) but keeps its schedule: unsuspended, it is due as
it was. A card becomes a leech when its lapses (Again on a review card) reach
``StoreConfig.leech_threshold`` (8, as Anki), and again at every half of it after (12,
16 …); with ``leech_action = "suspend"`` it is suspended then too. The rating that made a
leech is kept with the mark, so undoing it takes the mark back.

Marks live in ``item_marks`` (schema v5): one row while anything is marked on the item.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from studyapp.store.config import from_ms
from studyapp.store.core import StoreBase, deck_clause, find_item, guarded
from studyapp.store.models import (
    STATE_NAMES,
    AnswerEntry,
    ItemStatus,
    Rating,
    ReviewEntry,
)

#: The kinds of item a learner can mark (practice skills are not listed in the browser).
MARKABLE = ("card", "question")

#: A ``WHERE`` clause part (items aliased ``i``): the item is not suspended.
NOT_SUSPENDED = (" AND NOT EXISTS (SELECT 1 FROM item_marks mk WHERE mk.item_id = i.id"
                 " AND mk.suspended_at IS NOT NULL)")


def is_leech_lapse(lapses_before: int, lapses_after: int, threshold: int) -> bool:
    """Whether a rating that took a card's lapses from ``lapses_before`` to
    ``lapses_after`` makes it a leech: at the threshold, then every half of it (Anki's
    rule: 8, 12, 16 … for 8)."""
    if lapses_after <= lapses_before or lapses_after < threshold:
        return False
    return (lapses_after - threshold) % max(1, threshold // 2) == 0


def mark_leech(conn: sqlite3.Connection, item_id: int, review_id: int, now_ms: int, *,
               suspend: bool) -> None:
    """Mark a card a leech by the rating ``review_id`` (inside a write); with ``suspend``
    suspend it too, unless the learner already has."""
    conn.execute(
        "INSERT INTO item_marks (item_id, leech_at, leech_review) VALUES (?, ?, ?) "
        "ON CONFLICT (item_id) DO UPDATE SET leech_at = COALESCE(leech_at, excluded.leech_at), "
        "leech_review = excluded.leech_review",
        (item_id, now_ms, review_id),
    )
    if suspend:
        conn.execute(
            "UPDATE item_marks SET suspended_at = ?, suspended_review = ? "
            "WHERE item_id = ? AND suspended_at IS NULL",
            (now_ms, review_id, item_id),
        )


def unmark_review(conn: sqlite3.Connection, item_id: int, review_id: int, lapses: int,
                  threshold: int) -> None:
    """Take back what the rating ``review_id`` marked, as it is undone (inside a write):
    the suspension it made, and the leech when the card's restored ``lapses`` are below the
    threshold again. A suspension the learner made stays."""
    conn.execute(
        "UPDATE item_marks SET suspended_at = NULL, suspended_review = NULL "
        "WHERE item_id = ? AND suspended_review = ?", (item_id, review_id),
    )
    conn.execute(
        "UPDATE item_marks SET leech_at = CASE WHEN ? < ? THEN NULL ELSE leech_at END, "
        "leech_review = NULL WHERE item_id = ? AND leech_review = ?",
        (lapses, threshold, item_id, review_id),
    )
    _drop_if_empty(conn, item_id)


def _drop_if_empty(conn: sqlite3.Connection, item_id: int) -> None:
    conn.execute(
        "DELETE FROM item_marks WHERE item_id = ? AND suspended_at IS NULL "
        "AND flagged_at IS NULL AND leech_at IS NULL", (item_id,),
    )


def count_marked_cards(conn: sqlite3.Connection, deck: str | None) -> tuple[int, int]:
    """Active cards suspended, and active cards that are leeches (of one deck, or all)."""
    deck_sql, params = deck_clause(deck)
    suspended, leeches = conn.execute(
        "SELECT COALESCE(SUM(mk.suspended_at IS NOT NULL), 0), "
        "COALESCE(SUM(mk.leech_at IS NOT NULL), 0) FROM item_marks mk "
        f"JOIN items i ON i.id = mk.item_id WHERE i.kind = 'card' AND i.active = 1{deck_sql}",
        params,
    ).fetchone()
    return int(suspended), int(leeches)


def _markable(conn: sqlite3.Connection, kind: str, deck: str, item: str) -> int:
    if kind not in MARKABLE:
        raise ValueError(f"only cards and questions can be marked, not a {kind!r}")
    item_id = find_item(conn, kind, deck, item, create=False)
    if item_id is None:
        raise KeyError(f"{kind} {deck}/{item} is not in the store")
    return item_id


class MarksMixin(StoreBase):
    """Suspending and flagging items, and what the card browser reads."""

    @guarded
    def set_suspended(self, kind: str, deck: str, item: str, suspended: bool) -> bool:
        """Suspend or unsuspend a card or question (committed on return).

        A suspended item is never offered (flashcards, quiz) and keeps its schedule.
        Suspending an item already suspended keeps the first time.

        Returns
        -------
        bool
            Whether it is suspended now.

        Raises
        ------
        KeyError
            The store does not know the item (the decks were not synced).
        ValueError
            ``kind`` is not ``"card"`` or ``"question"``.
        """
        with self._write() as conn:
            item_id = _markable(conn, kind, deck, item)
            if suspended:
                conn.execute(
                    "INSERT INTO item_marks (item_id, suspended_at) VALUES (?, ?) "
                    "ON CONFLICT (item_id) DO UPDATE SET "
                    "suspended_at = COALESCE(suspended_at, excluded.suspended_at)",
                    (item_id, self.now_ms()),
                )
            else:
                conn.execute(
                    "UPDATE item_marks SET suspended_at = NULL, suspended_review = NULL "
                    "WHERE item_id = ?", (item_id,),
                )
                _drop_if_empty(conn, item_id)
        return bool(suspended)

    @guarded
    def set_flagged(self, kind: str, deck: str, item: str, flagged: bool) -> bool:
        """Flag or unflag a card or question (committed on return); a flag only marks it
        for the learner (the browser shows and filters it), the queue ignores it.

        Returns
        -------
        bool
            Whether it is flagged now.

        Raises
        ------
        KeyError, ValueError
            As :meth:`set_suspended`.
        """
        with self._write() as conn:
            item_id = _markable(conn, kind, deck, item)
            if flagged:
                conn.execute(
                    "INSERT INTO item_marks (item_id, flagged_at) VALUES (?, ?) "
                    "ON CONFLICT (item_id) DO UPDATE SET "
                    "flagged_at = COALESCE(flagged_at, excluded.flagged_at)",
                    (item_id, self.now_ms()),
                )
            else:
                conn.execute("UPDATE item_marks SET flagged_at = NULL WHERE item_id = ?",
                             (item_id,))
                _drop_if_empty(conn, item_id)
        return bool(flagged)

    @guarded
    def suspended_items(self, deck: str, kind: str) -> frozenset[str]:
        """The ids of the deck's suspended items of one kind (``"card"`` or
        ``"question"``): the quiz leaves these questions out."""
        with self._read() as conn:
            return frozenset(item for (item,) in conn.execute(
                "SELECT i.item FROM item_marks mk JOIN items i ON i.id = mk.item_id "
                "WHERE i.kind = ? AND i.deck = ? AND mk.suspended_at IS NOT NULL",
                (kind, deck),
            ))

    @guarded
    def item_statuses(self, deck: str) -> list[ItemStatus]:
        """Every active card and question of a deck with its schedule, marks and answers:
        the card browser's rows. Cards first, then questions, each in the order of the
        last sync."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT i.kind, i.item, s.state, s.due, s.reps, s.lapses, r.rating, "
                "mk.suspended_at IS NOT NULL, mk.flagged_at IS NOT NULL, "
                "mk.leech_at IS NOT NULL, st.attempts, st.correct, st.last_correct, "
                "m.item_id IS NOT NULL "
                "FROM items i LEFT JOIN srs_state s ON s.item_id = i.id "
                "LEFT JOIN reviews r ON r.id = s.review_id "
                "LEFT JOIN item_marks mk ON mk.item_id = i.id "
                "LEFT JOIN item_stats st ON st.item_id = i.id "
                "LEFT JOIN mistakes m ON m.item_id = i.id "
                "LEFT JOIN item_order o ON o.item_id = i.id "
                "WHERE i.kind IN ('card', 'question') AND i.deck = ? AND i.active = 1 "
                "ORDER BY i.kind = 'question', o.position IS NULL, o.position, i.id",
                (deck,),
            ).fetchall()
        return [
            ItemStatus(
                kind=kind, deck=deck, item=item,
                state=None if state is None else STATE_NAMES[state],
                due=None if due is None else from_ms(due),
                reps=reps or 0, lapses=lapses or 0,
                last_rating=None if rating is None else Rating(rating),
                suspended=bool(suspended), flagged=bool(flagged), leech=bool(leech),
                attempts=attempts or 0, correct=correct or 0,
                last_correct=None if last_correct is None else bool(last_correct),
                in_mistakes=bool(in_mistakes),
            )
            for (kind, item, state, due, reps, lapses, rating, suspended, flagged, leech,
                 attempts, correct, last_correct, in_mistakes) in rows
        ]

    @guarded
    def review_history(self, kind: str, deck: str, item: str) -> list[ReviewEntry]:
        """Every rating of a card (or skill), oldest first: when, the rating, the state
        before and after, the interval it set and the time since the rating before.
        Empty for an item never rated or unknown."""
        with self._read() as conn:
            item_id = find_item(conn, kind, deck, item, create=False)
            rows = [] if item_id is None else conn.execute(
                "SELECT reviewed_at, rating, state_before, state_after, due_after, "
                "last_review_before, duration_ms FROM reviews WHERE item_id = ? ORDER BY id",
                (item_id,),
            ).fetchall()
        return [
            ReviewEntry(
                reviewed_at=from_ms(at), rating=Rating(rating),
                state_before=None if before is None else STATE_NAMES[before],
                state_after=STATE_NAMES[after],
                interval=timedelta(milliseconds=due - at),
                elapsed=None if last is None else timedelta(milliseconds=at - last),
                duration_ms=duration,
            )
            for at, rating, before, after, due, last, duration in rows
        ]

    @guarded
    def answer_history(self, deck: str, item: str) -> list[AnswerEntry]:
        """Every answer to a question, oldest first (quiz, mock exam, mistake list).
        Empty for a question never answered or unknown."""
        with self._read() as conn:
            item_id = find_item(conn, "question", deck, item, create=False)
            rows = [] if item_id is None else conn.execute(
                "SELECT answered_at, answer, correct, mode, duration_ms FROM attempts "
                "WHERE item_id = ? ORDER BY answered_at, id", (item_id,),
            ).fetchall()
        import json  # not at import time: start-up reads no history

        return [
            AnswerEntry(answered_at=from_ms(at),
                        answer=None if answer is None else json.loads(answer),
                        correct=bool(correct), mode=mode, duration_ms=duration)
            for at, answer, correct, mode, duration in rows
        ]
