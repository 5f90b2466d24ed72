"""Answers to quiz and exam questions, and the mistake list (間違いノート) they keep.

Practice answers are recorded by the same :meth:`AnswersMixin._attempt` (``practice``).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from studyapp.store.config import from_ms
from studyapp.store.core import StoreBase, deck_clause, find_item, guarded
from studyapp.store.models import AnswerResult, Mistake

#: A question leaves the mistake list after this many right answers in a row.
MISTAKE_CLEAR_STREAK = 2
#: The mode of an answer given in a retry of the questions just answered wrong (a quiz's
#: or a mock exam's ``r``): moments after the solution was shown, so a right one is
#: recorded but does not count toward leaving the mistake list (a wrong one still resets
#: the run).
RETRY_MODE = "retry"


def _encode(answer: Any) -> str | None:
    if answer is None:
        return None
    import json  # not at import time: start-up writes no answer

    return json.dumps(answer, ensure_ascii=False, default=str)


def count_mistakes(conn: sqlite3.Connection, deck: str | None) -> int:
    """Active questions on the mistake list (of one deck, or of all)."""
    deck_sql, params = deck_clause(deck)
    return int(conn.execute(
        "SELECT COUNT(*) FROM mistakes m JOIN items i ON i.id = m.item_id "
        f"WHERE i.active = 1{deck_sql}", params,
    ).fetchone()[0])


class AnswersMixin(StoreBase):
    """Answers, their running totals per item, and the mistake list."""

    def _attempt(self, conn: sqlite3.Connection, item_id: int, variant: str | None,
                 answer: Any, correct: bool, duration_ms: int | None, session: str | None,
                 mode: str, now_ms: int) -> int:
        """Record one answer and count it (inside a write); its ``attempts.id``."""
        cur = conn.execute(
            "INSERT INTO attempts (item_id, variant, answered_at, answer, correct, duration_ms, "
            "session, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (item_id, variant, now_ms, _encode(answer), int(correct), duration_ms,
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

    @guarded
    def record_answer(self, deck: str, item: str, *, answer: Any, correct: bool,
                      duration_ms: int | None = None, mode: str = "quiz",
                      session: str | None = None) -> AnswerResult:
        """Record an answer to a quiz or exam question (committed on return).

        A wrong answer puts the question on the mistake list (間違いノート), or resets its
        run of right answers; it leaves the list after ``MISTAKE_CLEAR_STREAK`` (2) right
        answers in a row. A right answer with the mode :data:`RETRY_MODE` (given just
        after the solution was shown) is recorded but leaves the run as it was.

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
            ``"quiz"``, ``"exam"``, ``"mistakes"``, ``"retry"`` ... (free text, kept with
            the answer; ``"retry"`` does not advance the run of right answers).
        session : str, optional
            Defaults to the store's current session.
        """
        correct = bool(correct)
        now_ms = self.now_ms()
        with self._write() as conn:
            item_id = find_item(conn, "question", deck, item, create=True, now_ms=now_ms)
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
            elif row is not None and mode == RETRY_MODE:
                streak = int(row[0])
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

    @guarded
    def mistakes(self, deck: str | None = None) -> list[Mistake]:
        """The mistake list (間違いノート): questions answered wrong and not yet cleared.

        Oldest first; retired questions are left out.
        """
        deck_sql, params = deck_clause(deck)
        with self._read() as conn:
            return [
                Mistake(d, item, from_ms(added), wrong, streak)
                for d, item, added, wrong, streak in conn.execute(
                    "SELECT i.deck, i.item, m.added_at, m.wrong, m.right_streak FROM mistakes m "
                    f"JOIN items i ON i.id = m.item_id WHERE i.active = 1{deck_sql} "
                    "ORDER BY m.added_at, i.id",
                    params,
                )
            ]
