"""Practice: answers to generated problems, and the skills (generator kinds) they schedule.

A practice answer is an attempt like a quiz answer (``answers``) that also rates its
skill as a flashcard rating rates a card (``cards``): wrong → Again; right → Easy when
quick, Hard when slow, Good otherwise.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from studyapp.store.answers import AnswersMixin
from studyapp.store.cards import CardsMixin
from studyapp.store.core import SRS_COLUMNS, find_item, guarded, state_of
from studyapp.store.models import REVIEW, PracticeResult, SkillStatus
from studyapp.store.scheduling import SrsRow, skill_rating


class PracticeMixin(CardsMixin, AnswersMixin):
    """Practice answers and the schedule of each skill."""

    @guarded
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
            item_id = find_item(conn, "skill", "", skill, create=True, now_ms=now_ms)
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
            "WHERE i.kind = 'skill' AND i.deck = '' AND i.active = 1"
        ):
            keywords.setdefault(item_id, []).append(keyword)
        out = []
        for item_id, skill, *srs in conn.execute(
            f"SELECT i.id, i.item, {', '.join('s.' + c for c in SRS_COLUMNS.split(', '))} "
            "FROM items i LEFT JOIN srs_state s ON s.item_id = i.id "
            "WHERE i.kind = 'skill' AND i.deck = '' AND i.active = 1 ORDER BY i.id"
        ):
            row = None if srs[0] is None else SrsRow(*srs)
            due = row is not None and (row.due < end if row.state == REVIEW else row.due <= now_ms)
            out.append(SkillStatus(skill, tuple(sorted(keywords.get(item_id, []))),
                                   None if row is None else state_of(row), due))
        return out

    @guarded
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
