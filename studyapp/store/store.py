"""The progress store: every rating and answer, FSRS schedules, the mistake list, statistics.

One :class:`Store` per running app. Every write is one ``BEGIN IMMEDIATE`` transaction,
committed before the method returns; reads that need several queries run in one read
transaction, so they see one consistent snapshot even while another copy of the app writes.
Methods may be called from worker threads (calls are serialised by a lock).
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from studyapp.store import daily
from studyapp.store.config import Calendar, StoreConfig, from_ms, load_timezone, to_ms
from studyapp.store.db import connect, prepare_folder
from studyapp.store.errors import CorruptDatabaseError, StoreError, translate
from studyapp.store.models import (
    REVIEW,
    STATE_NAMES,
    AnswerResult,
    CardState,
    DayCount,
    DueQueue,
    HomeSummary,
    IntervalPreview,
    ItemRef,
    KeywordProgress,
    Mistake,
    PracticeResult,
    QueueCard,
    Rating,
    ReviewResult,
    SkillStatus,
    Stats,
    Streak,
    SyncResult,
    UndoResult,
)
from studyapp.store.scheduling import (
    Scheduling,
    SrsRow,
    format_interval,
    skill_rating,
)
from studyapp.store.schema import COUNTERS, INDEX_KEYS

P = ParamSpec("P")
T = TypeVar("T")

#: A question leaves the mistake list after this many right answers in a row.
MISTAKE_CLEAR_STREAK = 2

_MATURE_DAYS = 21
_SRS_COLUMNS = "state, step, stability, difficulty, due, last_review, reps, lapses"


def _utc_now() -> datetime:
    from datetime import timezone

    return datetime.now(timezone.utc)


def _guarded(method: Callable[P, T]) -> Callable[P, T]:
    """Serialise calls and turn SQLite errors a learner can meet into StoreErrors."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        self = args[0]
        assert isinstance(self, Store)
        with self._lock:
            if self._broken is not None:
                raise self._broken
            if self._conn is None:
                raise RuntimeError("the store is closed")
            try:
                return method(*args, **kwargs)
            except sqlite3.Error as exc:
                mapped = translate(exc, self.path)
                if mapped is None:
                    raise
                if isinstance(mapped, CorruptDatabaseError):
                    # stop at the first sign of damage: no later call may write to the file
                    self._broken = mapped
                    self.close()
                raise mapped from exc

    return wrapper


def _total(parts: list[SyncResult]) -> SyncResult:
    return SyncResult(*(sum(getattr(p, f) for p in parts) for f in SyncResult._fields))


def _skill_refs(skills: Iterable[ItemRef | str]) -> list[ItemRef]:
    return [ItemRef("", s) if isinstance(s, str) else s for s in skills]


def _state_of(row: SrsRow) -> CardState:
    return CardState(
        state=STATE_NAMES[row.state],
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=from_ms(row.due),
        last_review=from_ms(row.last_review),
        reps=row.reps,
        lapses=row.lapses,
    )


def _key(kind: str, deck: str, item: str) -> str:
    return f"{kind}/{deck}/{item}"


def _check_rating(rating: int) -> Rating:
    try:
        return Rating(int(rating))
    except ValueError:
        raise ValueError(f"rating must be 1-4 (Again/Hard/Good/Easy), got {rating!r}") from None


class Store:
    """The learner's progress in ``progress.sqlite3``.

    Parameters
    ----------
    path : Path
        The database file (its folder must exist unless ``create_dir``).
    config : StoreConfig, optional
        Scheduling and calendar settings.
    now : callable, optional
        Returns the current time as an aware ``datetime`` (tests inject a clock).
    create_dir : bool
        Create a missing data folder (for the platform default, not for a named one).

    Raises
    ------
    StoreError
        The folder cannot be used, the file is damaged or foreign, or its schema is newer.
    """

    def __init__(
        self,
        path: str | Path,
        config: StoreConfig | None = None,
        *,
        now: Callable[[], datetime] | None = None,
        create_dir: bool = True,
    ) -> None:
        self.path = Path(path)
        self.config = config or StoreConfig()
        self.calendar = Calendar(load_timezone(self.config.timezone), self.config.day_start_hour)
        self._now = now or _utc_now
        self._lock = threading.RLock()
        self._undo: list[int] = []
        self._broken: StoreError | None = None
        self._scheduling = Scheduling(self.config)
        self.session = uuid.uuid4().hex
        prepare_folder(self.path.parent, create=create_dir)
        self._conn: sqlite3.Connection | None = connect(
            self.path,
            synchronous=self.config.synchronous,
            busy_timeout_ms=self.config.busy_timeout_ms,
        )
        self._calendars: dict[tuple[str, int], Calendar] = {
            (self.config.timezone, self.config.day_start_hour): self.calendar
        }
        try:
            self._calendar_id = self._register_calendar()
        except sqlite3.Error as exc:
            self.close()
            raise (translate(exc, self.path) or exc) from None
        except BaseException:
            self.close()
            raise

    def _register_calendar(self) -> int:
        """This store's calendar id; registering it fills its per-day totals once."""
        tz, hour = self.config.timezone, self.config.day_start_hour
        found = daily.calendar_id(self.conn, tz, hour)
        if found is not None:
            return found
        with self._write() as conn:
            return daily.register(conn, tz, hour, self.calendar)

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        """Close the database (idempotent)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        """The open connection (for tests and the benchmark; the app uses the methods)."""
        if self._conn is None:
            raise RuntimeError("the store is closed")
        return self._conn

    def now_ms(self) -> int:
        """The injected clock's current time in epoch milliseconds."""
        return to_ms(self._now())

    def today(self) -> date:
        """The current study day."""
        return self.calendar.day_of(self.now_ms())

    def new_session(self) -> str:
        """Start a new session id (a quiz run, a mock exam) and return it."""
        with self._lock:
            self.session = uuid.uuid4().hex
            return self.session

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def _item_id(self, conn: sqlite3.Connection, kind: str, deck: str, item: str,
                 *, create: bool, now_ms: int = 0) -> int | None:
        row = conn.execute(
            "SELECT id FROM items WHERE kind = ? AND deck = ? AND item = ?", (kind, deck, item)
        ).fetchone()
        if row is not None:
            return int(row[0])
        if not create:
            return None
        cur = conn.execute(
            "INSERT INTO items (kind, deck, item, active, added_at) VALUES (?, ?, ?, 1, ?)",
            (kind, deck, item, now_ms),
        )
        return int(cur.lastrowid or 0)

    @staticmethod
    def _srs(conn: sqlite3.Connection, item_id: int | None) -> SrsRow | None:
        if item_id is None:
            return None
        row = conn.execute(
            f"SELECT {_SRS_COLUMNS} FROM srs_state WHERE item_id = ?", (item_id,)
        ).fetchone()
        return None if row is None else SrsRow(*row)

    def _bump(self, conn: sqlite3.Connection, at_ms: int, **deltas: int) -> None:
        daily.bump(conn, at_ms, deltas, self._calendars)

    # ------------------------------------------------------------------ content

    def _sync(self, conn: sqlite3.Connection, kind: str, refs: Iterable[ItemRef],
              deck_of: str | None) -> SyncResult:
        wanted: dict[tuple[str, str], tuple[str, ...]] = {}
        for ref in refs:
            deck = ref.deck if deck_of is None else deck_of
            wanted.setdefault((deck, ref.id), tuple(dict.fromkeys(ref.keywords)))
        now_ms = self.now_ms()
        added = retired = restored = 0
        existing = {
            (deck, item): (item_id, active)
            for item_id, deck, item, active in conn.execute(
                "SELECT id, deck, item, active FROM items WHERE kind = ?", (kind,)
            )
        }
        keywords: dict[int, set[str]] = {}
        for item_id, keyword in conn.execute(
            "SELECT k.item_id, k.keyword FROM item_keywords k "
            "JOIN items i ON i.id = k.item_id WHERE i.kind = ?", (kind,)
        ):
            keywords.setdefault(item_id, set()).add(keyword)
        for (deck, item), kws in wanted.items():
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
        return SyncResult(added=added, retired=retired, restored=restored, active=len(wanted))

    @_guarded
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
            return _total([self._sync(conn, "card", cards, None),
                           self._sync(conn, "question", questions, None)])

    @_guarded
    def sync_skills(self, skills: Iterable[ItemRef | str]) -> SyncResult:
        """Tell the store which practice skills (generator kinds) exist now.

        Parameters
        ----------
        skills : iterable of ItemRef or str
            A kind name, or an ``ItemRef`` whose ``id`` is the kind and whose
            ``keywords`` are the keyword ids the skill trains (its ``deck`` is ignored).
        """
        with self._write() as conn:
            return self._sync(conn, "skill", _skill_refs(skills), "")

    @_guarded
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
            parts = [self._sync(conn, "card", cards, None),
                     self._sync(conn, "question", questions, None),
                     self._sync(conn, "skill", _skill_refs(skills), "")]
            conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                             zip(INDEX_KEYS, (fingerprint, index), strict=True))
        return _total(parts)

    @_guarded
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

    # ------------------------------------------------------------------ flashcards

    def _new_today(self, conn: sqlite3.Connection, today: date) -> int:
        row = conn.execute(
            "SELECT card_new FROM daily WHERE calendar_id = ? AND day = ?",
            (self._calendar_id, today.toordinal()),
        ).fetchone()
        return 0 if row is None else int(row[0])

    def _queue(self, conn: sqlite3.Connection, now_ms: int, deck: str | None,
               kind: str = "card", new_limit: int | None = None) -> DueQueue:
        today = self.calendar.day_of(now_ms)
        end = self.calendar.end_ms(today)
        ahead_until = now_ms + round(self.config.learn_ahead_min * 60_000)
        deck_sql, params = ("", ()) if deck is None else (" AND i.deck = ?", (deck,))
        learning: list[QueueCard] = []
        review: list[QueueCard] = []
        ahead: list[QueueCard] = []
        later = 0
        for d, item, state, due in conn.execute(
            "SELECT i.deck, i.item, s.state, s.due FROM srs_state s "
            "JOIN items i ON i.id = s.item_id "
            f"WHERE s.due < ? AND i.kind = ? AND i.active = 1{deck_sql} ORDER BY s.due, i.id",
            (max(end, ahead_until), kind, *params),
        ):
            if state == REVIEW:
                if due < end:
                    review.append(QueueCard(d, item, "review", from_ms(due)))
            elif due <= now_ms:
                learning.append(QueueCard(d, item, STATE_NAMES[state], from_ms(due)))
            elif due <= ahead_until:
                ahead.append(QueueCard(d, item, STATE_NAMES[state], from_ms(due)))
            elif due < end:
                later += 1
        if new_limit is None:
            new_limit = max(0, self.config.new_cards_per_day - self._new_today(conn, today))
        new = [
            QueueCard(d, item, "new", None)
            for d, item in conn.execute(
                "SELECT i.deck, i.item FROM items i "
                f"WHERE i.kind = ? AND i.active = 1{deck_sql} "
                "AND NOT EXISTS (SELECT 1 FROM srs_state s WHERE s.item_id = i.id) "
                "ORDER BY i.id LIMIT ?",
                (kind, *params, new_limit),
            )
        ]
        return DueQueue(learning=learning, review=review, new=new, ahead=ahead, later_today=later)

    @_guarded
    def due_queue(self, deck: str | None = None) -> DueQueue:
        """The flashcard queue now: learning and review cards due, new cards within today's limit.

        A review card is due from the start of its due day (local, ``day_start_hour``);
        a learning card from its due minute. Retired cards never appear.

        Parameters
        ----------
        deck : str, optional
            Only this deck's cards (the new-card limit stays global).
        """
        with self._read() as conn:
            return self._queue(conn, self.now_ms(), deck)

    def next_card(self, deck: str | None = None) -> QueueCard | None:
        """The card to show next, or ``None`` when nothing is left for now."""
        return self.due_queue(deck).next()

    @_guarded
    def new_cards_left(self) -> int:
        """How many more new cards today may introduce (the daily limit minus those seen)."""
        with self._read() as conn:
            return max(0, self.config.new_cards_per_day - self._new_today(conn, self.today()))

    @_guarded
    def card_state(self, deck: str, item: str) -> CardState | None:
        """The scheduling state of a card (``None`` while it is new)."""
        conn = self.conn
        row = self._srs(conn, self._item_id(conn, "card", deck, item, create=False))
        return None if row is None else _state_of(row)

    @_guarded
    def preview(self, deck: str, item: str) -> dict[Rating, IntervalPreview]:
        """What each rating would do to a card now: due time, interval and its label.

        The labels are the ones Anki puts above its buttons (``"1分"``, ``"10分"``,
        ``"2日"``, ``"5日"``); rating the card at the same moment gives exactly these.
        """
        conn = self.conn
        now_ms = self.now_ms()
        before = self._srs(conn, self._item_id(conn, "card", deck, item, create=False))
        key = _key("card", deck, item)
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
        item_id = self._item_id(conn, kind, deck, item, create=True, now_ms=now_ms)
        assert item_id is not None
        before = self._srs(conn, item_id)
        after = self._scheduling.review(_key(kind, deck, item), before, rating, now_ms)
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
            review_id=review_id, deck=deck, item=item, rating=rating, state=_state_of(after),
            interval=timedelta(milliseconds=after.due - now_ms),
            label=format_interval(after.due - now_ms),
        )

    @_guarded
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
        rating = _check_rating(rating)
        with self._write() as conn:
            result = self._review(conn, "card", deck, item, rating, duration_ms,
                                  session or self.session, None, self.now_ms())
        self._undo.append(result.review_id)
        return result

    @property
    def can_undo(self) -> bool:
        """Whether this store has a rating it can take back."""
        return bool(self._undo)

    @_guarded
    def undo_last_rating(self) -> UndoResult | None:
        """Take back the last flashcard rating made through this store.

        The card's state (stability, difficulty, step, due, counters) becomes exactly what it
        was before, the review row is deleted and the day's counts go back. Returns ``None``
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
                    (*(getattr(restored, f) for f in _SRS_COLUMNS.split(", ")), previous,
                     item_id),
                )
            conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
            recall = state_b == REVIEW
            self._bump(
                conn, reviewed_at, card_reviews=-1, card_new=-int(state_b is None),
                recall_reviews=-int(recall), recall_passed=-int(recall and rating != 1),
                study_ms=-(duration_ms or 0),
            )
        return UndoResult(deck=deck, item=item, rating=Rating(rating),
                          state=None if restored is None else _state_of(restored))

    # ------------------------------------------------------------------ quiz

    @staticmethod
    def _encode(answer: Any) -> str | None:
        if answer is None:
            return None
        import json  # not at import time: start-up writes no answer

        return json.dumps(answer, ensure_ascii=False, default=str)

    def _attempt(self, conn: sqlite3.Connection, item_id: int, variant: str | None,
                 answer: Any, correct: bool, duration_ms: int | None, session: str | None,
                 mode: str, now_ms: int) -> int:
        cur = conn.execute(
            "INSERT INTO attempts (item_id, variant, answered_at, answer, correct, duration_ms, "
            "session, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (item_id, variant, now_ms, self._encode(answer), int(correct), duration_ms,
             session or self.session, mode),
        )
        conn.execute(
            "INSERT INTO item_stats (item_id, attempts, correct, last_correct, last_answered_at) "
            "VALUES (?, 1, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET "
            "attempts = attempts + 1, correct = correct + excluded.correct, "
            "last_correct = excluded.last_correct, last_answered_at = excluded.last_answered_at",
            (item_id, int(correct), int(correct), now_ms),
        )
        self._bump(conn, now_ms, answers=1, answers_correct=int(correct),
                   study_ms=duration_ms or 0)
        return int(cur.lastrowid or 0)

    @_guarded
    def record_answer(self, deck: str, item: str, *, answer: Any, correct: bool,
                      duration_ms: int | None = None, mode: str = "quiz",
                      session: str | None = None) -> AnswerResult:
        """Record an answer to a quiz or exam question (committed on return).

        A wrong answer puts the question on the mistake list (間違いノート), or resets its
        run of right answers; it leaves the list after ``MISTAKE_CLEAR_STREAK`` (2) right
        answers in a row.

        Parameters
        ----------
        deck, item : str
            The question.
        answer : Any
            What the learner gave (a choice index, a list, a number, text), stored as JSON.
        correct : bool
            Whether it was right.
        duration_ms : int, optional
            Time taken.
        mode : str
            ``"quiz"``, ``"exam"``, ``"mistakes"`` ... (free text, kept with the answer).
        session : str, optional
            Defaults to the store's current session.
        """
        correct = bool(correct)
        now_ms = self.now_ms()
        with self._write() as conn:
            item_id = self._item_id(conn, "question", deck, item, create=True, now_ms=now_ms)
            assert item_id is not None
            attempt_id = self._attempt(conn, item_id, None, answer, correct, duration_ms,
                                       session, mode, now_ms)
            row = conn.execute(
                "SELECT right_streak FROM mistakes WHERE item_id = ?", (item_id,)
            ).fetchone()
            entered = left = False
            streak = 0
            if not correct:
                if row is None:
                    conn.execute(
                        "INSERT INTO mistakes (item_id, added_at, wrong, right_streak) "
                        "VALUES (?, ?, 1, 0)", (item_id, now_ms),
                    )
                    entered = True
                else:
                    conn.execute(
                        "UPDATE mistakes SET wrong = wrong + 1, right_streak = 0 "
                        "WHERE item_id = ?", (item_id,),
                    )
            elif row is not None:
                streak = row[0] + 1
                if streak >= MISTAKE_CLEAR_STREAK:
                    conn.execute("DELETE FROM mistakes WHERE item_id = ?", (item_id,))
                    left = True
                else:
                    conn.execute(
                        "UPDATE mistakes SET right_streak = ? WHERE item_id = ?",
                        (streak, item_id),
                    )
            in_list = (not correct) or (row is not None and not left)
        return AnswerResult(
            attempt_id=attempt_id, deck=deck, item=item, correct=correct, in_mistakes=in_list,
            entered_mistakes=entered, left_mistakes=left, right_streak=streak,
        )

    @_guarded
    def mistakes(self, deck: str | None = None) -> list[Mistake]:
        """The mistake list (間違いノート): questions answered wrong and not yet cleared.

        Oldest first; retired questions are left out.
        """
        deck_sql, params = ("", ()) if deck is None else (" AND i.deck = ?", (deck,))
        return [
            Mistake(d, item, from_ms(added), wrong, streak)
            for d, item, added, wrong, streak in self.conn.execute(
                "SELECT i.deck, i.item, m.added_at, m.wrong, m.right_streak FROM mistakes m "
                f"JOIN items i ON i.id = m.item_id WHERE i.active = 1{deck_sql} "
                "ORDER BY m.added_at, i.id",
                params,
            )
        ]

    # ------------------------------------------------------------------ practice

    @_guarded
    def record_practice(self, problem_id: str, *, answer: Any, correct: bool,
                        duration_ms: int | None = None, expected_ms: int | None = None,
                        mode: str = "practice", session: str | None = None) -> PracticeResult:
        """Record an answer to a generated problem and rate its skill (committed on return).

        The rating comes from the answer: wrong → Again; right → Easy when quick (at most
        half the expected time), Hard when slow (more than twice it), Good otherwise.

        Parameters
        ----------
        problem_id : str
            ``"KIND#SEED"`` as the generator names its items (``"lasso#42"``); the skill
            is ``KIND``.
        answer : Any
            What the learner typed (stored as JSON).
        correct : bool
            Whether the engine accepted it.
        duration_ms : int, optional
            Time taken.
        expected_ms : int, optional
            Expected solving time; defaults to the config's value for the skill.
        """
        skill, sep, seed = problem_id.rpartition("#")
        if not sep or not skill or not seed:
            raise ValueError(f"problem id must look like 'KIND#SEED', got {problem_id!r}")
        correct = bool(correct)
        expected = self.config.expected_ms(skill) if expected_ms is None else expected_ms
        rating = skill_rating(correct, duration_ms, expected)
        now_ms = self.now_ms()
        with self._write() as conn:
            item_id = self._item_id(conn, "skill", "", skill, create=True, now_ms=now_ms)
            assert item_id is not None
            attempt_id = self._attempt(conn, item_id, problem_id, answer, correct, duration_ms,
                                       session, mode, now_ms)
            review = self._review(conn, "skill", "", skill, rating, duration_ms,
                                  session or self.session, attempt_id, now_ms)
        return PracticeResult(attempt_id=attempt_id, problem_id=problem_id, skill=skill,
                              correct=correct, rating=rating, review=review)

    def _skills(self, conn: sqlite3.Connection, now_ms: int) -> list[SkillStatus]:
        end = self.calendar.end_ms(self.calendar.day_of(now_ms))
        keywords: dict[int, list[str]] = {}
        for item_id, keyword in conn.execute(
            "SELECT k.item_id, k.keyword FROM item_keywords k JOIN items i ON i.id = k.item_id "
            "WHERE i.kind = 'skill' AND i.active = 1"
        ):
            keywords.setdefault(item_id, []).append(keyword)
        out = []
        for item_id, skill, *srs in conn.execute(
            f"SELECT i.id, i.item, {', '.join('s.' + c for c in _SRS_COLUMNS.split(', '))} "
            "FROM items i LEFT JOIN srs_state s ON s.item_id = i.id "
            "WHERE i.kind = 'skill' AND i.active = 1 ORDER BY i.id"
        ):
            row = None if srs[0] is None else SrsRow(*srs)
            due = row is not None and (row.due < end if row.state == REVIEW else row.due <= now_ms)
            out.append(SkillStatus(skill, tuple(sorted(keywords.get(item_id, []))),
                                   None if row is None else _state_of(row), due))
        return out

    @_guarded
    def skills(self) -> list[SkillStatus]:
        """Every active practice skill with its schedule, in the order they were synced."""
        with self._read() as conn:
            return self._skills(conn, self.now_ms())

    def skills_due(self, include_new: bool = False) -> list[SkillStatus]:
        """Skills due for practice now (earliest due first), then new ones if asked."""
        everything = self.skills()
        due = sorted((s for s in everything if s.due_now and s.state is not None),
                     key=lambda s: s.state.due if s.state is not None else 0)
        if include_new:
            due += [s for s in everything if s.state is None]
        return due

    def next_skill(self) -> str | None:
        """The skill to practise next: the most overdue, else a new one, else ``None``."""
        candidates = self.skills_due(include_new=True)
        return candidates[0].skill if candidates else None

    # ------------------------------------------------------------------ progress

    def _days(
        self, conn: sqlite3.Connection, first: date, last: date
    ) -> dict[date, tuple[int, ...]]:
        """Counters per study day in [first, last], days without activity left out."""
        return {
            date.fromordinal(day): values
            for day, values in daily.days(
                conn, self._calendar_id, first.toordinal(), last.toordinal()
            ).items()
        }

    def _streak(self, conn: sqlite3.Connection, today: date) -> Streak:
        now = today.toordinal()
        active = [d for d in daily.active_days(conn, self._calendar_id) if d <= now]
        longest = run = 0
        previous = None
        for day in active:
            run = run + 1 if previous is not None and day == previous + 1 else 1
            longest = max(longest, run)
            previous = day
        present = set(active)
        current = 0
        day = now if now in present else now - 1
        while day in present:
            current += 1
            day -= 1
        return Streak(current=current, longest=longest, studied_today=now in present)

    @_guarded
    def streak(self) -> Streak:
        """Consecutive study days (today counts once anything is rated or answered)."""
        with self._read() as conn:
            return self._streak(conn, self.today())

    def _keywords(
        self, conn: sqlite3.Connection, now_ms: int, deck: str | None = None
    ) -> list[KeywordProgress]:
        # One pass in SQL: each active item's score (FSRS retrievability for cards and
        # skills, answered-and-not-on-the-mistake-list for questions), summed per keyword.
        # Same formula as ``scheduling.retrievability`` (whole days elapsed, floored at 0).
        decay = self._scheduling.decay
        rows = conn.execute(
            "WITH scored AS ("
            " SELECT i.id, i.kind, s.stability IS NOT NULL AS studied,"
            " st.attempts IS NOT NULL AS answered,"
            " COALESCE(st.attempts, 0) AS attempts, COALESCE(st.correct, 0) AS correct,"
            " CASE WHEN i.kind = 'question'"
            "  THEN (st.attempts IS NOT NULL AND m.item_id IS NULL) * 1.0"
            "  WHEN s.stability IS NULL THEN 0.0"
            "  ELSE pow(1.0 + :factor * max(0, (:now - s.last_review) / 86400000)"
            "   / s.stability, -:decay) END AS score"
            " FROM items i LEFT JOIN srs_state s ON s.item_id = i.id"
            " LEFT JOIN item_stats st ON st.item_id = i.id"
            " LEFT JOIN mistakes m ON m.item_id = i.id WHERE i.active = 1"
            + ("" if deck is None else " AND (i.deck = :deck OR i.kind = 'skill')")
            + ") "
            "SELECT k.keyword, MIN(k.item_id) AS first,"
            " SUM(kind = 'card'), SUM(kind = 'card' AND studied),"
            " SUM(kind = 'question'), SUM(kind = 'question' AND answered),"
            " SUM(kind = 'skill'), SUM(attempts), SUM(correct), TOTAL(score), COUNT(*) "
            "FROM item_keywords k JOIN scored ON scored.id = k.item_id "
            "GROUP BY k.keyword ORDER BY first",
            {"factor": 0.9 ** (1 / -decay) - 1, "decay": decay, "now": now_ms, "deck": deck},
        ).fetchall()
        return [
            KeywordProgress(
                keyword=keyword, cards=cards, cards_studied=studied, questions=questions,
                questions_answered=answered, skills=skills, attempts=attempts,
                correct=correct, accuracy=correct / attempts if attempts else None,
                mastery=score / total if total else 0.0,
            )
            for (keyword, _first, cards, studied, questions, answered, skills, attempts,
                 correct, score, total) in rows
        ]

    @_guarded
    def keyword_progress(self) -> list[KeywordProgress]:
        """Accuracy and mastery per keyword (keywords of active items, in content order)."""
        with self._read() as conn:
            return self._keywords(conn, self.now_ms())

    def _count_new(self, conn: sqlite3.Connection, deck: str | None) -> int:
        deck_sql, params = ("", ()) if deck is None else (" AND i.deck = ?", (deck,))
        return int(conn.execute(
            "SELECT COUNT(*) FROM items i WHERE i.kind = 'card' AND i.active = 1"
            f"{deck_sql} AND NOT EXISTS (SELECT 1 FROM srs_state s WHERE s.item_id = i.id)",
            params,
        ).fetchone()[0])

    @_guarded
    def home(self, deck: str | None = None) -> HomeSummary:
        """Everything the home screen shows, from one consistent snapshot."""
        with self._read() as conn:
            now_ms = self.now_ms()
            today = self.calendar.day_of(now_ms)
            queue = self._queue(conn, now_ms, deck, new_limit=0)
            new_left = max(0, self.config.new_cards_per_day - self._new_today(conn, today))
            available = self._count_new(conn, deck)
            mistakes = conn.execute(
                "SELECT COUNT(*) FROM mistakes m JOIN items i ON i.id = m.item_id "
                "WHERE i.active = 1" + ("" if deck is None else " AND i.deck = ?"),
                () if deck is None else (deck,),
            ).fetchone()[0]
            skills_due = sum(s.due_now for s in self._skills(conn, now_ms))
            return HomeSummary(
                today=today,
                due_now=queue.due_now,
                learning_due=len(queue.learning),
                review_due=len(queue.review),
                due_today=queue.due_now + len(queue.ahead) + queue.later_today,
                new_left=min(new_left, available),
                new_available=available,
                mistakes=int(mistakes),
                skills_due=skills_due,
                streak=self._streak(conn, today),
                keywords=self._keywords(conn, now_ms, deck),
            )

    @_guarded
    def stats(self, *, heatmap_days: int = 365, window_days: int = 30) -> Stats:
        """The statistics page: counts, forecast, heatmap, retention, accuracy, mastery, streak.

        Parameters
        ----------
        heatmap_days : int
            How many study days ``reviews_per_day`` covers, today included (default 365).
        window_days : int
            The window of ``retention`` and recent accuracy (default 30 days).
        """
        with self._read() as conn:
            now_ms = self.now_ms()
            today = self.calendar.day_of(now_ms)
            queue = self._queue(conn, now_ms, None)
            all_time = daily.totals(conn, self._calendar_id)
            totals = (all_time["card_reviews"], all_time["answers"], all_time["skill_reviews"])
            first = today - timedelta(days=heatmap_days - 1)
            days = self._days(conn, first, today)
            window = [v for d, v in days.items() if (today - d).days < window_days]
            recall = sum(v[2] for v in window)
            passed = sum(v[3] for v in window)
            answered = sum(v[5] for v in window)
            right = sum(v[6] for v in window)
            today_totals = days.get(today, (0,) * len(COUNTERS))
            new_left = max(0, self.config.new_cards_per_day - today_totals[1])
            all_attempts, all_correct = conn.execute(
                "SELECT COALESCE(SUM(attempts), 0), COALESCE(SUM(correct), 0) FROM item_stats"
            ).fetchone()
            forecast = self._forecast(conn, now_ms, today, 7)
            cards = self._card_counts(conn, now_ms)
            mistakes = conn.execute(
                "SELECT COUNT(*) FROM mistakes m JOIN items i ON i.id = m.item_id "
                "WHERE i.active = 1"
            ).fetchone()[0]
            skills = self._skills(conn, now_ms)
            return Stats(
                reviews=int(totals[0]),
                quiz_attempts=int(totals[1]),
                due=queue.due_now,
                today={
                    "date": today.isoformat(),
                    "reviews": today_totals[0],
                    "new_cards": today_totals[1],
                    "answers": today_totals[5],
                    "study_minutes": round(today_totals[7] / 60_000, 1),
                    "new_left": min(new_left, cards["new"]),
                    "learning_due": len(queue.learning),
                    "review_due": len(queue.review),
                },
                forecast=forecast,
                reviews_per_day=[DayCount(d, v[0], v[5]) for d, v in sorted(days.items())],
                retention={
                    "days": window_days, "reviews": recall, "passed": passed,
                    "rate": passed / recall if recall else None,
                },
                accuracy={
                    "attempts": int(all_attempts), "correct": int(all_correct),
                    "rate": all_correct / all_attempts if all_attempts else None,
                    "recent_days": window_days, "recent_attempts": answered,
                    "recent_correct": right,
                    "recent_rate": right / answered if answered else None,
                },
                streak=self._streak(conn, today),
                cards=cards,
                mistakes=int(mistakes),
                skills={
                    "total": len(skills),
                    "new": sum(s.state is None for s in skills),
                    "due": [s.skill for s in skills if s.due_now],
                    "reviews": int(totals[2]),
                },
                keywords=self._keywords(conn, now_ms),
                calendar={
                    "timezone": self.config.timezone,
                    "day_start_hour": self.config.day_start_hour,
                },
            )

    def _forecast(self, conn: sqlite3.Connection, now_ms: int, today: date,
                  days: int) -> list[dict[str, Any]]:
        ends = [self.calendar.end_ms(today + timedelta(days=k)) for k in range(days + 1)]
        counts = [0] * (days + 1)
        for (due,) in conn.execute(
            "SELECT s.due FROM srs_state s JOIN items i ON i.id = s.item_id "
            "WHERE i.kind = 'card' AND i.active = 1 AND s.due < ?", (ends[-1],),
        ):
            k = 0
            while due >= ends[k]:
                k += 1
            counts[k] += 1
        return [
            {"date": (today + timedelta(days=k)).isoformat(), "due": counts[k]}
            for k in range(days + 1)
        ]

    def _card_counts(self, conn: sqlite3.Connection, now_ms: int) -> dict[str, int]:
        total, studied, learning, review, relearning, mature = conn.execute(
            "SELECT COUNT(*), COUNT(s.item_id), "
            "COALESCE(SUM(s.state = 1), 0), COALESCE(SUM(s.state = 2), 0), "
            "COALESCE(SUM(s.state = 3), 0), "
            "COALESCE(SUM(s.state = 2 AND s.due - s.last_review >= ?), 0) "
            "FROM items i LEFT JOIN srs_state s ON s.item_id = i.id "
            "WHERE i.kind = 'card' AND i.active = 1", (_MATURE_DAYS * 86_400_000,),
        ).fetchone()
        return {
            "total": int(total), "new": int(total - studied), "learning": int(learning),
            "review": int(review), "relearning": int(relearning), "mature": int(mature),
        }
