"""What every part of the store shares: the connection, its lock, the clock, the calendar.

:class:`StoreBase` opens the file and holds the state; the parts of the store
(``sync``, ``cards``, ``answers``, ``practice``, ``progress``) are mixins on it, each
with its public methods wrapped by :func:`guarded`, and :class:`studyapp.store.Store`
is the sum of them. Every write is one ``BEGIN IMMEDIATE`` transaction
(:meth:`StoreBase._write`); a read of several queries is one read transaction
(:meth:`StoreBase._read`), so it sees one snapshot even while another copy writes.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from studyapp.store import daily
from studyapp.store.config import Calendar, StoreConfig, from_ms, load_timezone, to_ms
from studyapp.store.db import connect, prepare_folder
from studyapp.store.errors import CorruptDatabaseError, StoreError, translate
from studyapp.store.models import STATE_NAMES, CardState
from studyapp.store.scheduling import Scheduling, SrsRow

P = ParamSpec("P")
T = TypeVar("T")
S = TypeVar("S", bound="StoreBase")

#: The ``srs_state`` columns of a schedule, in :class:`SrsRow` order.
SRS_COLUMNS = "state, step, stability, difficulty, due, last_review, reps, lapses"


def _utc_now() -> datetime:
    from datetime import timezone

    return datetime.now(timezone.utc)


def guarded(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], T]:
    """Serialise calls and turn SQLite errors a learner can meet into StoreErrors.

    Every public method that touches the database is wrapped: calls from worker threads
    take turns, and the first sign of damage closes the store for good, so no later call
    can write to a damaged file.
    """

    @functools.wraps(method)
    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with self._lock:
            if self._broken is not None:
                raise self._broken
            if self._conn is None:
                raise RuntimeError("the store is closed")
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                mapped = translate(exc, self.path)
                if mapped is None:
                    raise
                if isinstance(mapped, CorruptDatabaseError):
                    self._broken = mapped
                    self.close()
                raise mapped from exc

    return wrapper


def deck_clause(deck: str | None) -> tuple[str, tuple[str, ...]]:
    """``(" AND i.deck = ?", (deck,))``, or nothing when every deck counts.

    For queries whose items table is aliased ``i``; the clause is appended to a ``WHERE``.
    """
    return ("", ()) if deck is None else (" AND i.deck = ?", (deck,))


def item_key(kind: str, deck: str, item: str) -> str:
    """The text the fuzz draw of an item is seeded with."""
    return f"{kind}/{deck}/{item}"


def state_of(row: SrsRow) -> CardState:
    """A stored schedule as the screens see it (names and aware datetimes)."""
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


def find_item(conn: sqlite3.Connection, kind: str, deck: str, item: str, *, create: bool,
              now_ms: int = 0) -> int | None:
    """The ``items.id`` of an item; with ``create``, added (active) when missing."""
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


def srs_row(conn: sqlite3.Connection, item_id: int | None) -> SrsRow | None:
    """The schedule of an item, or ``None`` while it is new (or unknown)."""
    if item_id is None:
        return None
    row = conn.execute(
        f"SELECT {SRS_COLUMNS} FROM srs_state WHERE item_id = ?", (item_id,)
    ).fetchone()
    return None if row is None else SrsRow(*row)


class StoreBase:
    """The open database and what every part of the store needs.

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
        self._undo: list[int] = []  # review ids this store may take back, last on top
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

    def reconfigure(self, config: StoreConfig) -> None:
        """Schedule and limit with ``config`` from now on (the settings screen saved new
        limits, order or retention). Calls already running finish with the old one.

        Raises
        ------
        ValueError
            ``config`` has another time zone or day-start hour: the calendar (and the
            per-day totals kept for it) belongs to the store; open another store for it.
        """
        if (config.timezone, config.day_start_hour) != (self.config.timezone,
                                                        self.config.day_start_hour):
            raise ValueError("reconfigure keeps the store's timezone and day_start_hour")
        with self._lock:
            self.config = config
            self._scheduling = Scheduling(config)

    def close(self) -> None:
        """Close the database (idempotent)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self: S) -> S:
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
        """One ``BEGIN IMMEDIATE`` transaction, committed on leaving, rolled back on error."""
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
        """One read transaction: every query inside sees the same snapshot."""
        conn = self.conn
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def _bump(self, conn: sqlite3.Connection, at_ms: int, **deltas: int) -> None:
        """Add to the activity counters of ``at_ms`` (inside a write)."""
        daily.bump(conn, at_ms, deltas, self._calendars)
