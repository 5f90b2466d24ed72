"""Activity counters: per UTC quarter hour (the record) and per study day (for statistics).

``activity`` does not depend on the learner's calendar; ``daily`` holds the same counters
per study day for every calendar (time zone, day-start hour) registered in ``calendars``.
Every write updates ``activity`` and the ``daily`` rows of all registered calendars in the
same transaction, so a second running copy with another calendar stays exact too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import NamedTuple

from studyapp.store.config import Calendar, load_timezone
from studyapp.store.errors import StoreError
from studyapp.store.schema import BUCKET_MS, COUNTERS

_ACTIVE = "(card_reviews > 0 OR answers > 0 OR skill_reviews > 0)"


class Counters(NamedTuple):
    """The activity counters of a study day (or of all time), read by name.

    The fields are ``schema.COUNTERS``, in the columns' order (a test keeps them equal).

    Attributes
    ----------
    card_reviews, card_new : int
        Flashcard ratings, and of them the first ratings of new cards.
    recall_reviews, recall_passed : int
        Ratings of review-state cards, and of them those not Again (retention).
    skill_reviews : int
        Practice skill ratings.
    answers, answers_correct : int
        Quiz, exam and practice answers, and the right ones.
    study_ms : int
        Time spent on ratings and answers.
    """

    card_reviews: int = 0
    card_new: int = 0
    recall_reviews: int = 0
    recall_passed: int = 0
    skill_reviews: int = 0
    answers: int = 0
    answers_correct: int = 0
    study_ms: int = 0


def calendar_id(conn: sqlite3.Connection, timezone: str, day_start_hour: int) -> int | None:
    """The id of a registered calendar, or ``None``."""
    row = conn.execute(
        "SELECT id FROM calendars WHERE timezone = ? AND day_start_hour = ?",
        (timezone, day_start_hour),
    ).fetchone()
    return None if row is None else int(row[0])


def register(conn: sqlite3.Connection, timezone: str, day_start_hour: int,
             calendar: Calendar) -> int:
    """Register a calendar and fill its ``daily`` rows from ``activity`` (inside a write).

    Returns
    -------
    int
        The calendar's id (existing or new).
    """
    found = calendar_id(conn, timezone, day_start_hour)
    if found is not None:
        return found
    cur = conn.execute(
        "INSERT INTO calendars (timezone, day_start_hour) VALUES (?, ?)",
        (timezone, day_start_hour),
    )
    new_id = int(cur.lastrowid or 0)
    totals: dict[int, list[int]] = {}
    for bucket, *values in conn.execute(f"SELECT bucket, {', '.join(COUNTERS)} FROM activity"):
        day = calendar.day_of(bucket * BUCKET_MS).toordinal()
        row = totals.setdefault(day, [0] * len(COUNTERS))
        for k, v in enumerate(values):
            row[k] += v
    conn.executemany(
        f"INSERT INTO daily (calendar_id, day, {', '.join(COUNTERS)}) "
        f"VALUES (?, ?, {', '.join('?' for _ in COUNTERS)})",
        [(new_id, day, *row) for day, row in totals.items()],
    )
    return new_id


def bump(conn: sqlite3.Connection, at_ms: int, deltas: Mapping[str, int],
         calendars: dict[tuple[str, int], Calendar]) -> None:
    """Add ``deltas`` to the counters of the instant ``at_ms`` (inside a write).

    Parameters
    ----------
    conn : sqlite3.Connection
        In a ``BEGIN IMMEDIATE`` transaction.
    at_ms : int
        The instant of the rating or answer (epoch ms).
    deltas : mapping of str to int
        Counter name to amount (negative to take back an undone rating).
    calendars : dict
        Cache of ``Calendar`` objects by (time zone, day-start hour), filled as needed.
    """
    columns = [c for c in COUNTERS if deltas.get(c)]
    if not columns:
        return
    values = [deltas[c] for c in columns]
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    update = ", ".join(f"{c} = {c} + excluded.{c}" for c in columns)
    conn.execute(
        f"INSERT INTO activity (bucket, {names}) VALUES (?, {marks}) "
        f"ON CONFLICT (bucket) DO UPDATE SET {update}",
        (at_ms // BUCKET_MS, *values),
    )
    negative = any(v < 0 for v in values)
    for cal_id, timezone, hour in conn.execute(
        "SELECT id, timezone, day_start_hour FROM calendars"
    ).fetchall():
        calendar = calendars.get((timezone, hour))
        if calendar is None:
            try:
                calendar = Calendar(load_timezone(timezone), hour)
            except StoreError:
                continue  # a zone this machine does not know: only that calendar goes stale
            calendars[(timezone, hour)] = calendar
        day = calendar.day_of(at_ms).toordinal()
        conn.execute(
            f"INSERT INTO daily (calendar_id, day, {names}) VALUES (?, ?, {marks}) "
            f"ON CONFLICT (calendar_id, day) DO UPDATE SET {update}",
            (cal_id, day, *values),
        )
        if negative:
            conn.execute(
                "DELETE FROM daily WHERE calendar_id = ? AND day = ? AND "
                + " AND ".join(f"{c} = 0" for c in COUNTERS),
                (cal_id, day),
            )
    if negative:
        conn.execute(
            "DELETE FROM activity WHERE bucket = ? AND "
            + " AND ".join(f"{c} = 0" for c in COUNTERS),
            (at_ms // BUCKET_MS,),
        )


def days(conn: sqlite3.Connection, cal_id: int, first: int, last: int,
         ) -> dict[int, Counters]:
    """Counters per study day (ordinal) in [first, last], days without activity left out."""
    return {
        day: Counters(*values)
        for day, *values in conn.execute(
            f"SELECT day, {', '.join(COUNTERS)} FROM daily WHERE calendar_id = ? "
            f"AND day BETWEEN ? AND ? AND {_ACTIVE} ORDER BY day",
            (cal_id, first, last),
        )
    }


def active_days(conn: sqlite3.Connection, cal_id: int) -> list[int]:
    """Every study day (ordinal) with a rating or an answer, in order."""
    return [
        r[0]
        for r in conn.execute(
            f"SELECT day FROM daily WHERE calendar_id = ? AND {_ACTIVE} ORDER BY day",
            (cal_id,),
        )
    ]


def totals(conn: sqlite3.Connection, cal_id: int) -> Counters:
    """All-time sums of every counter."""
    row = conn.execute(
        f"SELECT {', '.join(f'COALESCE(SUM({c}), 0)' for c in COUNTERS)} FROM daily "
        "WHERE calendar_id = ?", (cal_id,),
    ).fetchone()
    return Counters(*(int(v) for v in row))
