"""Exam-day forecasts: FSRS's memory model in study days, the final-week policy, and the
projection of one card's reviews up to the exam.

Pure Python: no ``fsrs`` import (home draws the exam panel without paying for it), no
SQL. The formulas are py-fsrs 6's own (``Scheduler._next_stability`` and friends); a test
checks them against the package state by state.

The final-week policy (``docs/store.md``, "The exam date"): when an exam date is set, a
review made before the last :data:`FINAL_DAYS` days whose next due day would fall on or
after the exam is brought forward into the final week, so that every card is seen once in
the week before the exam: on a day early enough for the card's stability to keep
:data:`FINAL_RECALL` on the exam morning, spread over the allowed days by a draw fixed per
card and review (as the fuzz is). A review falling due in the :data:`POSTPONE_DAYS` days
before the final week waits for the final week instead (it would be followed by the
final-week review within days).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

#: py-fsrs 6's default weights (``fsrs.scheduler.DEFAULT_PARAMETERS``; a test checks them).
DEFAULT_PARAMETERS: tuple[float, ...] = (
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
)
#: The days before the exam in which every card is seen once (the final week).
FINAL_DAYS = 7
#: The recall a card must keep on the exam morning from its final-week review on, with
#: no gain from that review counted: it sets how early in the final week a card may come.
FINAL_RECALL = 0.95
#: A review falling due this many days before the final week waits for it.
POSTPONE_DAYS = 7
#: Projected branches less likely than this are dropped (their weight goes to the rest).
MIN_BRANCH = 0.01

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
_STABILITY_MIN = 0.001


class Fsrs:
    """FSRS-6's memory model with day granularity (py-fsrs's formulas).

    Parameters
    ----------
    parameters : sequence of float, optional
        The 21 weights (default py-fsrs's).
    desired_retention : float
        The target recall of the intervals.
    maximum_interval : int
        The longest interval in days.
    """

    def __init__(self, parameters: Sequence[float] | None = None,
                 desired_retention: float = 0.9, maximum_interval: int = 36500) -> None:
        self.w = tuple(DEFAULT_PARAMETERS if parameters is None else parameters)
        self.decay = self.w[20]
        self.factor = 0.9 ** (1 / -self.decay) - 1
        self.desired_retention = desired_retention
        self.maximum_interval = maximum_interval

    def recall(self, stability: float, elapsed_days: float) -> float:
        """R = (1 + F·t/S)^(−decay), t in days (floored at 0)."""
        return (1 + self.factor * max(0.0, elapsed_days) / stability) ** -self.decay

    def interval(self, stability: float) -> int:
        """The next interval in whole days (at least 1), as py-fsrs rounds it."""
        days = stability / self.factor * (self.desired_retention ** (1 / -self.decay) - 1)
        return min(max(round(days), 1), self.maximum_interval)

    def initial(self, rating: int) -> tuple[float, float]:
        """Stability and difficulty after a new card's first rating."""
        return (max(self.w[rating - 1], _STABILITY_MIN),
                _clamp_d(self._initial_difficulty(rating)))

    def _initial_difficulty(self, rating: int) -> float:
        return self.w[4] - math.e ** (self.w[5] * (rating - 1)) + 1

    def difficulty(self, difficulty: float, rating: int) -> float:
        """The difficulty after a rating (linear damping and mean reversion)."""
        delta = -(self.w[6] * (rating - 3))
        damped = difficulty + (10.0 - difficulty) * delta / 9.0
        easy = self._initial_difficulty(EASY)
        return _clamp_d(self.w[7] * easy + (1 - self.w[7]) * damped)

    def short_term(self, stability: float, rating: int) -> float:
        """The stability after a same-day rating (a learning or relearning step)."""
        increase = math.e ** (self.w[17] * (rating - 3 + self.w[18])) * stability ** -self.w[19]
        if rating != AGAIN:
            increase = max(increase, 1.0)
        return max(stability * increase, _STABILITY_MIN)

    def stability(self, difficulty: float, stability: float, recall: float,
                  rating: int) -> float:
        """The stability after a rating at least a day after the last one."""
        w = self.w
        if rating == AGAIN:
            long_term = (w[11] * difficulty ** -w[12] * ((stability + 1) ** w[13] - 1)
                         * math.e ** ((1 - recall) * w[14]))
            value = min(long_term, stability / math.e ** (w[17] * w[18]))
        else:
            bonus = (w[15] if rating == HARD else 1) * (w[16] if rating == EASY else 1)
            value = stability * (1 + math.e ** w[8] * (11 - difficulty)
                                 * stability ** -w[9]
                                 * (math.e ** ((1 - recall) * w[10]) - 1) * bonus)
        return max(value, _STABILITY_MIN)

    def learned(self) -> tuple[float, float]:
        """Stability and difficulty of a new card rated Good at both learning steps (the
        1- and 10-minute steps, the same day): how a planned new card is projected."""
        stability, difficulty = self.initial(GOOD)
        return self.short_term(stability, GOOD), self.difficulty(difficulty, GOOD)


def _clamp_d(value: float) -> float:
    return min(max(value, 1.0), 10.0)


def final_gap(stability: float, decay: float, target: float = FINAL_RECALL) -> float:
    """The days a card of this stability keeps at least ``target`` recall."""
    factor = 0.9 ** (1 / -decay) - 1
    return stability * (target ** (1 / -decay) - 1) / factor


def exam_review_day(review_day: int, due_day: int, exam_day: int | None,
                    stability: float, decay: float, draw: float) -> int:
    """The due day the final-week policy gives a review (days as ordinals).

    Parameters
    ----------
    review_day : int
        The study day of the review just made.
    due_day : int
        The due day FSRS (and the fuzz) gave it.
    exam_day : int or None
        The exam's study day (``None``: no exam date, nothing changes).
    stability : float
        The card's stability after the review.
    decay : float
        FSRS's decay weight.
    draw : float
        A number in [0, 1) fixed per card and review, to spread the final week's load.

    Returns
    -------
    int
        ``due_day``, unless this review is before the final week and the due day falls
        on or after the exam (then a day of the final week, at most ``final_gap`` days
        before the exam, at least the day before it, drawn evenly over the allowed days)
        or in the ``POSTPONE_DAYS`` days before the final week (then a day of the final
        week, drawn evenly).
    """
    if exam_day is None or review_day >= exam_day - FINAL_DAYS:
        return due_day
    if due_day < exam_day - POSTPONE_DAYS - FINAL_DAYS:
        return due_day
    if due_day < exam_day - FINAL_DAYS:
        # due in the days just before the final week: wait for the final week
        return exam_day - FINAL_DAYS + min(math.floor(draw * POSTPONE_DAYS), FINAL_DAYS - 1)
    if due_day < exam_day:
        return due_day
    days = min(max(math.floor(final_gap(stability, decay)), 1), FINAL_DAYS)
    low, high = exam_day - days, exam_day - 1
    return min(low + math.floor(draw * (high - low + 1)), high)


class CardMemory(NamedTuple):
    """A studied card as the projection takes it (days as ordinals).

    ``elapsed_at_exam`` is the whole days from the last review to the exam morning (the
    store's own count, from the stored times); ``draws`` gives the fuzz-like draw of the
    card's review made after ``reps`` earlier ones (``project``'s ``draw``).
    """

    stability: float
    difficulty: float
    last_day: int
    due_day: int
    elapsed_at_exam: int
    reps: int


class Projection(NamedTuple):
    """A card's expected exam-morning recall and its expected reviews per study day."""

    recall: float
    reviews: dict[int, float]


def project(memory: CardMemory, model: Fsrs, today: int, exam_day: int,
            draw: object = None, reviewed: bool = True,
            final_week: bool = True) -> Projection:
    """Project a studied card from its state to the exam morning.

    Every review falling due before the exam is made on its due day (an overdue one
    today), recalled with FSRS's probability: Good when recalled, else Again and Good at
    the relearning step the same day. The next due day follows FSRS's interval and the
    final-week policy. Branches less likely than :data:`MIN_BRANCH` are dropped.

    Parameters
    ----------
    memory : CardMemory
        The card's state now.
    model : Fsrs
        The memory model and the desired retention.
    today, exam_day : int
        Study days as ordinals.
    draw : callable, optional
        ``draw(reps) -> float`` in [0, 1), the final-week spread of the review made with
        that many earlier reviews; default 0.5.
    reviewed : bool
        ``False``: the card is not reviewed (suspended): only forgetting.
    final_week : bool
        Whether the final-week policy is in force (``False``: FSRS's intervals as they are).

    Returns
    -------
    Projection
    """
    reviews: dict[int, float] = {}
    policy_day = exam_day if final_week else None
    pick = (lambda _reps: 0.5) if draw is None else draw  # type: ignore[assignment]
    total = 0.0
    weight_kept = 0.0

    def walk(s: float, d: float, last: int, due: int, elapsed: float, reps: int,
             weight: float) -> None:
        nonlocal total, weight_kept
        day = max(due, today)
        if not reviewed or day >= exam_day:
            total += weight * model.recall(s, elapsed)
            weight_kept += weight
            return
        reviews[day] = reviews.get(day, 0.0) + weight
        p = model.recall(s, day - last)
        outcomes = ((p, GOOD), (1 - p, AGAIN))
        for chance, rating in outcomes:
            w = weight * chance
            if w < MIN_BRANCH:
                continue
            if day - last >= 1:
                s2 = model.stability(d, s, p, rating)
            else:
                s2 = model.short_term(s, rating)
            d2 = model.difficulty(d, rating)
            if rating == AGAIN:
                s2, d2 = model.short_term(s2, GOOD), model.difficulty(d2, GOOD)
            lapsed = rating == AGAIN
            next_due = exam_review_day(day, day + model.interval(s2), policy_day, s2,
                                       model.decay, float(pick(reps + lapsed)))
            walk(s2, d2, day, next_due, exam_day - day, reps + 1 + lapsed, w)

    walk(memory.stability, memory.difficulty, memory.last_day, memory.due_day,
         memory.elapsed_at_exam, memory.reps, 1.0)
    # the dropped branches' weight goes to the others (their later reviews are not
    # counted: a few hundredths of a review at most)
    return Projection(total / weight_kept if weight_kept > 0 else 0.0, reviews)
