"""Flashcards: the due queue, what each rating would do, the rating itself, and its undo.

Skills are scheduled by the same :meth:`CardsMixin._review` (``practice``), and the
home and statistics pages read the same queue (``progress``).
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

from studyapp.store.config import from_ms
from studyapp.store.core import (
    SRS_COLUMNS,
    StoreBase,
    deck_clause,
    find_item,
    guarded,
    item_key,
    srs_row,
    state_of,
)
from studyapp.store.marks import NOT_SUSPENDED, is_leech_lapse, mark_leech, unmark_review
from studyapp.store.models import (
    REVIEW,
    STATE_NAMES,
    CardState,
    DueQueue,
    IntervalPreview,
    QueueCard,
    Rating,
    ReviewResult,
    Tomorrow,
    UndoResult,
)
from studyapp.store.scheduling import SrsRow, format_interval

#: The ``item_order`` column of each ``StoreConfig.new_order``.
_NEW_ORDER = {"deck": "position", "random": "shuffle"}
#: ``meta`` key of today's extra new cards (``"YYYY-MM-DD N"``: the study day and how many
#: the learner added beyond ``new_cards_per_day``); another day's value counts nothing.
EXTRA_NEW_KEY = "extra_new_cards"


def check_rating(rating: int) -> Rating:
    """The :class:`Rating` of 1–4; a ``ValueError`` naming the four otherwise."""
    try:
        return Rating(int(rating))
    except ValueError:
        raise ValueError(f"rating must be 1-4 (Again/Hard/Good/Easy), got {rating!r}") from None


class CardsMixin(StoreBase):
    """The flashcard queue, ratings and their undo."""

    def _new_today(self, conn: sqlite3.Connection, today: date) -> int:
        """New cards first rated on the study day ``today``."""
        row = conn.execute(
            "SELECT card_new FROM daily WHERE calendar_id = ? AND day = ?",
            (self._calendar_id, today.toordinal()),
        ).fetchone()
        return 0 if row is None else int(row[0])

    def _extra_new(self, conn: sqlite3.Connection, today: date) -> int:
        """New cards the learner added to the limit of ``today`` (``add_new_cards_today``)."""
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (EXTRA_NEW_KEY,)).fetchone()
        if row is None:
            return 0
        day, _, count = str(row[0]).partition(" ")
        return int(count) if day == today.isoformat() and count.isdigit() else 0

    def _new_left(self, conn: sqlite3.Connection, today: date) -> int:
        """How many new cards the daily limit (and today's extra) still allows on ``today``."""
        limit = self.config.new_cards_per_day + self._extra_new(conn, today)
        return max(0, limit - self._new_today(conn, today))

    def _reviews_left(self, conn: sqlite3.Connection, today: date) -> int:
        """How many review cards the daily review limit still allows on ``today`` (ratings
        of review-state cards count; an undone one gives its slot back)."""
        row = conn.execute(
            "SELECT recall_reviews FROM daily WHERE calendar_id = ? AND day = ?",
            (self._calendar_id, today.toordinal()),
        ).fetchone()
        return max(0, self.config.reviews_per_day - (0 if row is None else int(row[0])))

    def _queue(self, conn: sqlite3.Connection, now_ms: int, deck: str | None,
               kind: str = "card", new_limit: int | None = None,
               limit_reviews: bool = True, review_days: int = 0) -> DueQueue:
        """The queue now. ``limit_reviews``: offer at most the reviews today's limit
        leaves of the review cards due today (``False``: every one, as the statistics
        count them). ``review_days``: review cards due within that many study days after
        today come too, after today's and with no limit (review ahead), except those
        already reviewed today (a card reviewed ahead would otherwise come back while its
        new due day is still ahead)."""
        today = self.calendar.day_of(now_ms)
        start = self.calendar.start_ms(today)
        end = self.calendar.end_ms(today)
        review_end = self.calendar.end_ms(today + timedelta(days=review_days))
        ahead_until = now_ms + round(self.config.learn_ahead_min * 60_000)
        deck_sql, params = deck_clause(deck)
        learning: list[QueueCard] = []
        review: list[QueueCard] = []
        review_ahead: list[QueueCard] = []
        ahead: list[QueueCard] = []
        later = 0
        for d, item, state, due, last in conn.execute(
            "SELECT i.deck, i.item, s.state, s.due, s.last_review FROM srs_state s "
            "JOIN items i ON i.id = s.item_id "
            f"WHERE s.due < ? AND i.kind = ? AND i.active = 1{deck_sql}{NOT_SUSPENDED} "
            "ORDER BY s.due, i.id",
            (max(review_end, ahead_until), kind, *params),
        ):
            if state == REVIEW:
                if due < end:
                    review.append(QueueCard(d, item, "review", from_ms(due)))
                elif due < review_end and last < start:
                    review_ahead.append(QueueCard(d, item, "review", from_ms(due)))
            elif due <= now_ms:
                learning.append(QueueCard(d, item, STATE_NAMES[state], from_ms(due)))
            elif due <= ahead_until:
                ahead.append(QueueCard(d, item, STATE_NAMES[state], from_ms(due)))
            elif due < end:
                later += 1
        if limit_reviews:
            del review[self._reviews_left(conn, today):]
        review += review_ahead
        if new_limit is None:
            new_limit = self._new_left(conn, today)
        new = [
            QueueCard(d, item, "new", None)
            for d, item in conn.execute(
                "SELECT i.deck, i.item FROM items i "
                "LEFT JOIN item_order o ON o.item_id = i.id "
                f"WHERE i.kind = ? AND i.active = 1{deck_sql}{NOT_SUSPENDED} "
                "AND NOT EXISTS (SELECT 1 FROM srs_state s WHERE s.item_id = i.id) "
                f"ORDER BY o.position IS NULL, o.{_NEW_ORDER[self.config.new_order]}, i.id "
                "LIMIT ?",
                (kind, *params, new_limit),
            )
        ]
        return DueQueue(learning=learning, review=review, new=new, ahead=ahead, later_today=later)

    @guarded
    def due_queue(self, deck: str | None = None, *, ahead_days: int = 0) -> DueQueue:
        """The flashcard queue now: learning cards due, review cards due within today's
        review limit, new cards within today's new-card limit.

        A review card is due from the start of its due day (local, ``day_start_hour``);
        a learning card from its due minute. Retired and suspended cards never appear
        (a suspended card keeps its schedule for when it is unsuspended). New cards come
        in ``config.new_order``: the order of the last sync, or the database's shuffle.

        Parameters
        ----------
        deck : str, optional
            Only this deck's cards (the new-card limit stays global).
        ahead_days : int
            Review ahead (Anki's custom study): the review cards due within this many
            study days after today come now too, after today's, with no review limit
            (0: today's only). Today's own review cards keep the limit: those it holds
            back wait for tomorrow, as without review ahead.
        """
        if ahead_days < 0:
            raise ValueError(f"ahead_days must be >= 0, got {ahead_days}")
        with self._read() as conn:
            return self._queue(conn, self.now_ms(), deck, review_days=ahead_days)

    def next_card(self, deck: str | None = None, *, ahead_days: int = 0) -> QueueCard | None:
        """The card to show next, or ``None`` when nothing is left for now (``ahead_days``:
        as :meth:`due_queue`)."""
        return self.due_queue(deck, ahead_days=ahead_days).next()

    @guarded
    def add_new_cards_today(self, count: int = 10) -> int:
        """Allow ``count`` more new cards today only (Anki's custom study "increase today's
        new card limit"): committed, so it survives a restart that day; the next study day
        has the plain limit again. Returns :meth:`new_cards_left` after it.

        Raises
        ------
        ValueError
            ``count`` is not a positive number.
        """
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"count must be a positive int, got {count!r}")
        with self._write() as conn:
            today = self.calendar.day_of(self.now_ms())
            extra = self._extra_new(conn, today) + count
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (EXTRA_NEW_KEY, f"{today.isoformat()} {extra}"),
            )
            return self._new_left(conn, today)

    @guarded
    def tomorrow(self, deck: str | None = None) -> Tomorrow:
        """What the next study day holds as things stand now: its review cards (those
        falling due on it and those due today that are not reviewed, the ones today's
        limit holds back included, at most ``reviews_per_day``), the learning cards
        falling due on it, and the new cards its limit will offer (what the end of a
        flashcard session shows).

        Parameters
        ----------
        deck : str, optional
            Only this deck's cards.
        """
        deck_sql, params = deck_clause(deck)
        with self._read() as conn:
            today = self.calendar.day_of(self.now_ms())
            tomorrow = today + timedelta(days=1)
            reviews, learning = conn.execute(
                "SELECT COALESCE(SUM(s.state = ?), 0), "
                "COALESCE(SUM(s.state != ? AND s.due >= ?), 0) "
                "FROM srs_state s JOIN items i ON i.id = s.item_id "
                "WHERE s.due < ? AND i.kind = 'card' AND i.active = 1"
                f"{deck_sql}{NOT_SUSPENDED}",
                (REVIEW, REVIEW, self.calendar.end_ms(today), self.calendar.end_ms(tomorrow),
                 *params),
            ).fetchone()
            unseen = conn.execute(
                "SELECT COUNT(*) FROM items i "
                f"WHERE i.kind = 'card' AND i.active = 1{deck_sql}{NOT_SUSPENDED} "
                "AND NOT EXISTS (SELECT 1 FROM srs_state s WHERE s.item_id = i.id)",
                params,
            ).fetchone()[0]
        due = min(self.config.reviews_per_day, int(reviews)) + int(learning)
        return Tomorrow(day=tomorrow, due=due,
                        new=min(self.config.new_cards_per_day, int(unseen)), unseen=int(unseen))

    @guarded
    def new_cards_left(self) -> int:
        """How many more new cards today may introduce (the daily limit minus those seen)."""
        with self._read() as conn:
            return self._new_left(conn, self.today())

    @guarded
    def card_state(self, deck: str, item: str) -> CardState | None:
        """The scheduling state of a card (``None`` while it is new)."""
        with self._read() as conn:
            row = srs_row(conn, find_item(conn, "card", deck, item, create=False))
        return None if row is None else state_of(row)

    @guarded
    def preview(self, deck: str, item: str) -> dict[Rating, IntervalPreview]:
        """What each rating would do to a card now: due time, interval and its label.

        The labels are the ones Anki puts above its buttons (``"1分"``, ``"10分"``,
        ``"2日"``, ``"5日"``); rating the card at the same moment gives exactly these.
        """
        with self._read() as conn:
            now_ms = self.now_ms()
            before = srs_row(conn, find_item(conn, "card", deck, item, create=False))
        key = item_key("card", deck, item)
        out = {}
        for rating in Rating:
            after = self._scheduling.review(key, before, rating, now_ms)
            interval = after.due - now_ms
            out[rating] = IntervalPreview(
                rating=rating,
                due=from_ms(after.due),
                interval=timedelta(milliseconds=interval),
                label=format_interval(interval),
            )
        return out

    def _review(self, conn: sqlite3.Connection, kind: str, deck: str, item: str,
                rating: Rating, duration_ms: int | None, session: str | None,
                attempt_id: int | None, now_ms: int) -> ReviewResult:
        """Rate a card or skill and reschedule it (inside a write)."""
        item_id = find_item(conn, kind, deck, item, create=True, now_ms=now_ms)
        assert item_id is not None
        before = srs_row(conn, item_id)
        after = self._scheduling.review(item_key(kind, deck, item), before, rating, now_ms)
        was: tuple[Any, ...] = (None,) * 6 if before is None else (
            before.state, before.step, before.stability, before.difficulty, before.due,
            before.last_review,
        )
        cur = conn.execute(
            "INSERT INTO reviews (item_id, reviewed_at, rating, duration_ms, session, attempt_id, "
            "state_before, step_before, stability_before, difficulty_before, due_before, "
            "last_review_before, state_after, step_after, stability_after, difficulty_after, "
            "due_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (item_id, now_ms, int(rating), duration_ms, session, attempt_id, *was,
             after.state, after.step, after.stability, after.difficulty, after.due),
        )
        review_id = int(cur.lastrowid or 0)
        conn.execute(
            "INSERT INTO srs_state (item_id, state, step, stability, difficulty, due, "
            "last_review, reps, lapses, review_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (item_id) DO UPDATE SET state = excluded.state, step = excluded.step, "
            "stability = excluded.stability, difficulty = excluded.difficulty, "
            "due = excluded.due, last_review = excluded.last_review, reps = excluded.reps, "
            "lapses = excluded.lapses, review_id = excluded.review_id",
            (item_id, after.state, after.step, after.stability, after.difficulty, after.due,
             after.last_review, after.reps, after.lapses, review_id),
        )
        leech = kind == "card" and is_leech_lapse(
            0 if before is None else before.lapses, after.lapses, self.config.leech_threshold)
        if leech:
            mark_leech(conn, item_id, review_id, now_ms,
                       suspend=self.config.leech_action == "suspend")
        if kind == "card":
            recall = before is not None and before.state == REVIEW
            self._bump(
                conn, now_ms, card_reviews=1, card_new=int(before is None),
                recall_reviews=int(recall), recall_passed=int(recall and rating != Rating.Again),
                study_ms=duration_ms or 0,
            )
        else:
            self._bump(conn, now_ms, skill_reviews=1)
        return ReviewResult(
            review_id=review_id, deck=deck, item=item, rating=rating, state=state_of(after),
            interval=timedelta(milliseconds=after.due - now_ms),
            label=format_interval(after.due - now_ms), leech=leech,
        )

    @guarded
    def rate_card(self, deck: str, item: str, rating: int, *, duration_ms: int | None = None,
                  session: str | None = None) -> ReviewResult:
        """Record a flashcard rating and reschedule the card (committed on return).

        Parameters
        ----------
        deck, item : str
            The card.
        rating : int or Rating
            1 Again, 2 Hard, 3 Good, 4 Easy.
        duration_ms : int, optional
            Time from showing the card to the rating.
        session : str, optional
            Defaults to the store's current session.

        Returns
        -------
        ReviewResult
            The new state, interval and its label. The rating can be taken back with
            :meth:`undo_last_rating`.
        """
        rating = check_rating(rating)
        with self._write() as conn:
            result = self._review(conn, "card", deck, item, rating, duration_ms,
                                  session or self.session, None, self.now_ms())
        self._undo.append(result.review_id)
        return result

    @property
    def can_undo(self) -> bool:
        """Whether this store has a rating it can take back."""
        return bool(self._undo)

    @guarded
    def undo_last_rating(self) -> UndoResult | None:
        """Take back the last flashcard rating made through this store.

        The card's state (stability, difficulty, step, due, counters) becomes exactly what it
        was before, the review row is deleted and the day's counts go back; a leech mark or
        a suspension the rating made is taken back. Returns ``None``
        when there is nothing to undo, or when the card was rated again since (by another
        running copy), in which case nothing changes.
        """
        if not self._undo:
            return None
        review_id = self._undo.pop()
        with self._write() as conn:
            row = conn.execute(
                "SELECT r.item_id, i.deck, i.item, r.reviewed_at, r.rating, r.duration_ms, "
                "r.state_before, r.step_before, r.stability_before, r.difficulty_before, "
                "r.due_before, r.last_review_before, s.review_id, s.reps, s.lapses "
                "FROM reviews r JOIN items i ON i.id = r.item_id "
                "LEFT JOIN srs_state s ON s.item_id = r.item_id WHERE r.id = ?",
                (review_id,),
            ).fetchone()
            if row is None or row[12] != review_id:
                self._undo.clear()
                return None
            (item_id, deck, item, reviewed_at, rating, duration_ms, state_b, step_b, stab_b,
             diff_b, due_b, last_b, _current, reps, lapses) = row
            restored: SrsRow | None = None
            if state_b is None:
                conn.execute("DELETE FROM srs_state WHERE item_id = ?", (item_id,))
            else:
                previous = conn.execute(
                    "SELECT MAX(id) FROM reviews WHERE item_id = ? AND id < ?",
                    (item_id, review_id),
                ).fetchone()[0]
                lapsed = int(state_b == REVIEW and rating == Rating.Again)
                restored = SrsRow(state_b, step_b, stab_b, diff_b, due_b, last_b,
                                  reps - 1, lapses - lapsed)
                conn.execute(
                    "UPDATE srs_state SET state = ?, step = ?, stability = ?, difficulty = ?, "
                    "due = ?, last_review = ?, reps = ?, lapses = ?, review_id = ? "
                    "WHERE item_id = ?",
                    (*(getattr(restored, f) for f in SRS_COLUMNS.split(", ")), previous,
                     item_id),
                )
            conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
            unmark_review(conn, item_id, review_id, 0 if restored is None else restored.lapses,
                          self.config.leech_threshold)
            recall = state_b == REVIEW
            self._bump(
                conn, reviewed_at, card_reviews=-1, card_new=-int(state_b is None),
                recall_reviews=-int(recall), recall_passed=-int(recall and rating != 1),
                study_ms=-(duration_ms or 0),
            )
        return UndoResult(deck=deck, item=item, rating=Rating(rating),
                          state=None if restored is None else state_of(restored))
