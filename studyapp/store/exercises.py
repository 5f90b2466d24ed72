"""Exercises: every check of a learner's code, and the exercise skills FSRS schedules.

An exercise is a skill like a practice kind: an ``items`` row of kind ``'skill'`` under
the deck ``'exercise'`` (practice skills are under ``''``, so neither list sees the
other), rated once per sitting: solved on the first check without hints → Good; solved
after hints or failed checks → Hard; given up (the model solution shown first, or left
after failing) → Again. Each check is an ``attempts`` row (``mode = 'exercise'``) with
its code and result in ``exercise_attempts``. The code a learner leaves in the editor
without checking it is a draft, one per exercise, kept in ``meta`` under
``exercise_draft:<id>`` until they come back.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, NamedTuple

from studyapp.store.answers import AnswersMixin
from studyapp.store.cards import CardsMixin, check_rating
from studyapp.store.core import SRS_COLUMNS, find_item, guarded, state_of
from studyapp.store.models import REVIEW, CardState, Rating, ReviewResult
from studyapp.store.scheduling import SrsRow

#: the ``items.deck`` of exercise skills
EXERCISE_DECK = "exercise"
#: ``meta`` key prefix of a draft (the code left in the editor), one per exercise
DRAFT_KEY = "exercise_draft:"


def exercise_rating(solved: bool, hints: int, failed_checks: int) -> Rating:
    """The rating one sitting of an exercise gives its skill.

    Solved at the first check without a hint: Good; solved after hints or failed checks:
    Hard; not solved: Again.
    """
    if not solved:
        return Rating.Again
    return Rating.Good if hints == 0 and failed_checks == 0 else Rating.Hard


class ExerciseStatus(NamedTuple):
    """An exercise's progress: ``status`` is ``new``, ``attempted``, ``solved`` or ``due``."""

    exercise: str
    status: str
    attempts: int
    solved: bool
    state: CardState | None
    due_now: bool


class ExerciseAttempt(NamedTuple):
    """One recorded check."""

    attempt_id: int
    exercise: str
    answered_at: int
    code: str
    result: dict[str, Any]
    passed: int
    total: int
    hints: int


class ExercisesMixin(CardsMixin, AnswersMixin):
    """Exercise checks and the schedule of each exercise."""

    @guarded
    def record_exercise_check(self, exercise: str, *, code: str, result: dict[str, Any],
                              passed: int, total: int, hints: int = 0,
                              duration_ms: int | None = None,
                              session: str | None = None) -> int:
        """Keep one check of ``code`` (committed on return); its ``attempts.id``.

        ``result`` is the grader's JSON summary; the check is correct when every one of
        ``total`` cases passed.
        """
        now_ms = self.now_ms()
        correct = total > 0 and passed == total
        with self._write() as conn:
            item_id = find_item(conn, "skill", EXERCISE_DECK, exercise, create=True,
                                now_ms=now_ms)
            assert item_id is not None
            attempt_id = self._attempt(conn, item_id, exercise, {"passed": passed,
                                                                  "total": total},
                                       correct, duration_ms, session, "exercise", now_ms)
            conn.execute(
                "INSERT INTO exercise_attempts (attempt_id, exercise, code, result, passed, "
                "total, hints) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (attempt_id, exercise, code, json.dumps(result, ensure_ascii=False),
                 int(passed), int(total), int(hints)),
            )
        return attempt_id

    @guarded
    def rate_exercise(self, exercise: str, rating: int, *, attempt_id: int | None = None,
                      duration_ms: int | None = None) -> ReviewResult:
        """Rate an exercise's skill and reschedule it (committed on return)."""
        rating = check_rating(rating)
        now_ms = self.now_ms()
        with self._write() as conn:
            return self._review(conn, "skill", EXERCISE_DECK, exercise, rating, duration_ms,
                                self.session, attempt_id, now_ms)

    @guarded
    def exercise_statuses(self, exercises: list[str]) -> list[ExerciseStatus]:
        """The progress of each of ``exercises``, in that order."""
        now_ms = self.now_ms()
        end = self.calendar.end_ms(self.calendar.day_of(now_ms))
        with self._read() as conn:
            rows = _exercise_rows(conn)
        out = []
        for exercise in exercises:
            attempts, solved, srs = rows.get(exercise, (0, False, None))
            due = srs is not None and (srs.due < end if srs.state == REVIEW
                                       else srs.due <= now_ms)
            if due:
                status = "due"
            elif solved:
                status = "solved"
            elif attempts:
                status = "attempted"
            else:
                status = "new"
            out.append(ExerciseStatus(exercise, status, attempts, solved,
                                      None if srs is None else state_of(srs), due))
        return out

    @guarded
    def save_exercise_draft(self, exercise: str, code: str) -> None:
        """Keep ``code`` as the exercise's draft (replacing the last one; committed on
        return). A draft is the code a learner left in the editor, not a check."""
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (DRAFT_KEY + exercise, code))

    @guarded
    def exercise_draft(self, exercise: str) -> str | None:
        """The exercise's draft, or ``None``."""
        with self._read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?",
                               (DRAFT_KEY + exercise,)).fetchone()
        return None if row is None else str(row[0])

    @guarded
    def clear_exercise_draft(self, exercise: str) -> None:
        """Drop the exercise's draft (committed on return; nothing to drop is fine)."""
        with self._write() as conn:
            conn.execute("DELETE FROM meta WHERE key = ?", (DRAFT_KEY + exercise,))

    @guarded
    def exercise_attempts(self, exercise: str | None = None) -> list[ExerciseAttempt]:
        """The recorded checks (of one exercise, or all), oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT e.attempt_id, e.exercise, a.answered_at, e.code, e.result, e.passed, "
                "e.total, e.hints FROM exercise_attempts e JOIN attempts a "
                "ON a.id = e.attempt_id"
                + ("" if exercise is None else " WHERE e.exercise = ?")
                + " ORDER BY e.attempt_id",
                () if exercise is None else (exercise,),
            ).fetchall()
        return [ExerciseAttempt(a, e, t, code, json.loads(result), p, n, h)
                for a, e, t, code, result, p, n, h in rows]


def _exercise_rows(conn: sqlite3.Connection) -> dict[str, tuple[int, bool, SrsRow | None]]:
    out: dict[str, tuple[int, bool, SrsRow | None]] = {}
    for item, attempts, correct, *srs in conn.execute(
        f"SELECT i.item, COALESCE(st.attempts, 0), COALESCE(st.correct, 0), "
        f"{', '.join('s.' + c for c in SRS_COLUMNS.split(', '))} "
        "FROM items i LEFT JOIN item_stats st ON st.item_id = i.id "
        "LEFT JOIN srs_state s ON s.item_id = i.id "
        "WHERE i.kind = 'skill' AND i.deck = ?", (EXERCISE_DECK,)
    ):
        out[item] = (int(attempts), int(correct) > 0, None if srs[0] is None else SrsRow(*srs))
    return out
