"""Progress: the home summary, the statistics page, the streak and mastery per keyword.

Each page is read in one read transaction, from the per-day totals of ``daily`` (a few
hundred rows whatever the length of the history) and the current schedules.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING

from studyapp.store import daily
from studyapp.store.answers import count_mistakes
from studyapp.store.core import deck_clause, guarded
from studyapp.store.marks import NOT_SUSPENDED, count_marked_cards
from studyapp.store.models import (
    Accuracy,
    CalendarSetting,
    CardCounts,
    DayCount,
    ExamOutlook,
    ForecastDay,
    HomeSummary,
    KeywordProgress,
    Retention,
    SkillCounts,
    Stats,
    Streak,
    TodayStats,
)
from studyapp.store.practice import PracticeMixin

if TYPE_CHECKING:
    from studyapp.store.exam import ExamInputs

_MATURE_DAYS = 21


class ProgressMixin(PracticeMixin):
    """What the home and statistics pages show (reads only)."""

    def _days(
        self, conn: sqlite3.Connection, first: date, last: date
    ) -> dict[date, daily.Counters]:
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

    @guarded
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

    @guarded
    def keyword_progress(self) -> list[KeywordProgress]:
        """Accuracy and mastery per keyword (keywords of active items, in content order)."""
        with self._read() as conn:
            return self._keywords(conn, self.now_ms())

    def _count_new(self, conn: sqlite3.Connection, deck: str | None) -> int:
        deck_sql, params = deck_clause(deck)
        return int(conn.execute(
            "SELECT COUNT(*) FROM items i WHERE i.kind = 'card' AND i.active = 1"
            f"{deck_sql}{NOT_SUSPENDED} "
            "AND NOT EXISTS (SELECT 1 FROM srs_state s WHERE s.item_id = i.id)",
            params,
        ).fetchone()[0])

    @guarded
    def home(self, deck: str | None = None) -> HomeSummary:
        """Everything the home screen shows, from one consistent snapshot."""
        with self._read() as conn:
            now_ms = self.now_ms()
            today = self.calendar.day_of(now_ms)
            queue = self._queue(conn, now_ms, deck, new_limit=0)
            new_left = self._new_left(conn, today)
            available = self._count_new(conn, deck)
            mistakes = count_mistakes(conn, deck)
            skills_due = sum(s.due_now for s in self._skills(conn, now_ms))
            suspended, leeches = count_marked_cards(conn, deck)
            return HomeSummary(
                today=today,
                due_now=queue.due_now,
                learning_due=len(queue.learning),
                review_due=len(queue.review),
                due_today=queue.due_now + len(queue.ahead) + queue.later_today,
                new_left=min(new_left, available),
                new_available=available,
                mistakes=mistakes,
                skills_due=skills_due,
                streak=self._streak(conn, today),
                keywords=self._keywords(conn, now_ms, deck),
                leeches=leeches,
                suspended=suspended,
            )

    def _exam(self, conn: sqlite3.Connection, exam_day: date, today: date,
              deck: str | None) -> ExamOutlook:
        # The one forecast (``exam.outlook``): each card's scheduled reviews before the
        # exam made (recalled with FSRS's probability), its recall on the exam morning;
        # a new card counts 0. ``studyapp plan`` reads the same.
        from studyapp.store import exam as forecast

        cards = forecast.read_cards(conn, self.calendar, exam_day, deck)
        # the final-week policy is assumed: the settings that give the exam date put it
        # in force (``Settings.store_config``)
        result = forecast.outlook(cards, forecast.model_of(self.config), today, exam_day)
        studied = sum(card.memory is not None for card in cards)
        return ExamOutlook(day=exam_day, days_left=(exam_day - today).days,
                           predicted_recall=result.predicted_recall,
                           cards=len(cards), new_cards=len(cards) - studied)

    @guarded
    def exam_history(self, exam_day: date, days: int = 30, *,
                     since: date | None = None) -> tuple[list, list]:
        """The exam-day recall predicted at the end of each recent study day (with the
        mock-exam score of that day), and the mock-exam answers per keyword
        (``exam.history``, ``exam.mock_keywords``): the stats screen's exam section.
        ``since``: only the days from it on (the screen keeps the earlier ones)."""
        from studyapp.store import exam as forecast

        with self._read() as conn:
            return (forecast.history(conn, self.calendar, self.config, exam_day,
                                     self.today(), days, since=since),
                    forecast.mock_keywords(conn))

    @guarded
    def exam_keywords(self, exam_day: date) -> list:
        """The predicted exam-day recall per keyword (``exam.outlook``'s ``keywords``)."""
        from studyapp.store import exam as forecast

        with self._read() as conn:
            cards = forecast.read_cards(conn, self.calendar, exam_day, None)
            return forecast.outlook(cards, forecast.model_of(self.config), self.today(),
                                    exam_day).keywords

    @guarded
    def exam_inputs(self, exam_day: date, deck: str | None = None) -> ExamInputs:
        """What a plan to ``exam_day`` reads, from one snapshot: every active card with its
        memory state and keywords (teaching order), today's new cards and what today's
        limit still allows, and the settings (``studyapp.study.plan``)."""
        from studyapp.store import exam as forecast

        with self._read() as conn:
            today = self.today()
            return forecast.ExamInputs(
                today=today, exam_day=exam_day,
                cards=forecast.read_cards(conn, self.calendar, exam_day, deck),
                new_today=self._new_today(conn, today),
                new_limit_left=self._new_left(conn, today),
                config=self.config,
            )

    @guarded
    def exam_outlook(self, exam_day: date, deck: str | None = None) -> ExamOutlook:
        """Days left to the exam and the mean recall FSRS predicts for it over the active
        cards (a new card counting 0), if nothing more were studied.

        Parameters
        ----------
        exam_day : date
            The exam date (the settings' ``exam_date``).
        deck : str, optional
            Only this deck's cards (default: every deck's).
        """
        with self._read() as conn:
            return self._exam(conn, exam_day, self.today(), deck)

    @guarded
    def stats(self, *, heatmap_days: int = 365, window_days: int = 30,
              exam_date: date | None = None) -> Stats:
        """The statistics page: counts, forecast, heatmap, retention, accuracy, mastery, streak.

        Parameters
        ----------
        exam_date : date, optional
            The exam date: ``exam`` is then its :meth:`exam_outlook` (else ``None``).
        heatmap_days : int
            How many study days ``reviews_per_day`` covers, today included (default 365).
        window_days : int
            The window of ``retention`` and recent accuracy (default 30 days).
        """
        with self._read() as conn:
            now_ms = self.now_ms()
            today = self.calendar.day_of(now_ms)
            queue = self._queue(conn, now_ms, None, limit_reviews=False)
            all_time = daily.totals(conn, self._calendar_id)
            days = self._days(conn, today - timedelta(days=heatmap_days - 1), today)
            window = [v for d, v in days.items() if (today - d).days < window_days]
            recall = sum(v.recall_reviews for v in window)
            passed = sum(v.recall_passed for v in window)
            answered = sum(v.answers for v in window)
            right = sum(v.answers_correct for v in window)
            on_today = days.get(today, daily.Counters())
            new_left = self._new_left(conn, today)
            all_attempts, all_correct = (int(v) for v in conn.execute(
                "SELECT COALESCE(SUM(attempts), 0), COALESCE(SUM(correct), 0) FROM item_stats"
            ).fetchone())
            cards = self._card_counts(conn)
            skills = self._skills(conn, now_ms)
            return Stats(
                reviews=all_time.card_reviews,
                quiz_attempts=all_time.answers,
                due=queue.due_now,
                today=TodayStats(
                    day=today,
                    reviews=on_today.card_reviews,
                    new_cards=on_today.card_new,
                    answers=on_today.answers,
                    study_minutes=round(on_today.study_ms / 60_000, 1),
                    new_left=min(new_left, cards.new),
                    learning_due=len(queue.learning),
                    review_due=len(queue.review),
                ),
                forecast=self._forecast(conn, today, 7),
                reviews_per_day=[DayCount(d, v.card_reviews, v.answers)
                                 for d, v in sorted(days.items())],
                retention=Retention(days=window_days, reviews=recall, passed=passed,
                                    rate=passed / recall if recall else None),
                accuracy=Accuracy(
                    attempts=all_attempts, correct=all_correct,
                    rate=all_correct / all_attempts if all_attempts else None,
                    recent_days=window_days, recent_attempts=answered, recent_correct=right,
                    recent_rate=right / answered if answered else None,
                ),
                streak=self._streak(conn, today),
                cards=cards,
                mistakes=count_mistakes(conn, None),
                skills=SkillCounts(
                    total=len(skills),
                    new=sum(s.state is None for s in skills),
                    due=tuple(s.skill for s in skills if s.due_now),
                    reviews=all_time.skill_reviews,
                ),
                keywords=self._keywords(conn, now_ms),
                calendar=CalendarSetting(self.config.timezone, self.config.day_start_hour),
                exam=None if exam_date is None else self._exam(conn, exam_date, today, None),
            )

    def _forecast(self, conn: sqlite3.Connection, today: date, days: int) -> list[ForecastDay]:
        """Cards due on today (overdue included) and each of the next ``days`` study days."""
        ends = [self.calendar.end_ms(today + timedelta(days=k)) for k in range(days + 1)]
        counts = [0] * (days + 1)
        for (due,) in conn.execute(
            "SELECT s.due FROM srs_state s JOIN items i ON i.id = s.item_id "
            f"WHERE i.kind = 'card' AND i.active = 1 AND s.due < ?{NOT_SUSPENDED}", (ends[-1],),
        ):
            k = 0
            while due >= ends[k]:
                k += 1
            counts[k] += 1
        return [ForecastDay(today + timedelta(days=k), counts[k]) for k in range(days + 1)]

    def _card_counts(self, conn: sqlite3.Connection) -> CardCounts:
        total, studied, learning, review, relearning, mature = (int(v) for v in conn.execute(
            "SELECT COUNT(*), COUNT(s.item_id), "
            "COALESCE(SUM(s.state = 1), 0), COALESCE(SUM(s.state = 2), 0), "
            "COALESCE(SUM(s.state = 3), 0), "
            "COALESCE(SUM(s.state = 2 AND s.due - s.last_review >= ?), 0) "
            "FROM items i LEFT JOIN srs_state s ON s.item_id = i.id "
            "WHERE i.kind = 'card' AND i.active = 1", (_MATURE_DAYS * 86_400_000,),
        ).fetchone())
        suspended, leeches = count_marked_cards(conn, None)
        return CardCounts(total=total, new=total - studied, learning=learning, review=review,
                          relearning=relearning, mature=mature, suspended=suspended,
                          leeches=leeches)
