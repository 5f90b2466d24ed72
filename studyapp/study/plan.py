"""The study plan to the exam date: how many new cards a day, the reviews each day brings,
and the recall predicted for the exam morning (no Textual, no SQL).

Pacing: the new cards left are spread evenly over the study days from today to the 7th
day before the exam (:data:`studyapp.store.forecast.FINAL_DAYS`; the remainder on the
later days), so that every card is introduced at least a week before it and the final
week is for reviews. With fewer days left they come as soon as the daily limit allows.
When ``new_per_day`` cannot introduce them all in time, the plan keeps to the limit and
says how many a day it would take (``new_needed_per_day``); the days after the
7th-before keep introducing at the limit until none is left, since a card seen late is
better than one never seen.

Prediction: ``predicted_recall`` is the store's exam outlook (``studyapp stats``' ``exam``,
the same computation): every studied card's scheduled reviews made, a new card counting
0. ``planned_recall`` is what the plan gives if followed: the new cards introduced on
their planned days and projected the same way.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from studyapp.store.exam import ExamInputs, model_of, outlook
from studyapp.store.forecast import FINAL_DAYS, CardMemory, project
from studyapp.store.scheduling import fuzz_draw

if TYPE_CHECKING:
    from studyapp.store import Store

#: How many of the weakest keywords home names.
WEAKEST_SHOWN = 3


class PlanDay(NamedTuple):
    """One study day of the plan: new cards to introduce, reviews expected."""

    day: date
    new: int
    reviews: int


class KeywordForecast(NamedTuple):
    """A keyword's predicted exam-day recall (its new cards counting 0) and the plan's."""

    keyword: str
    predicted_recall: float
    planned_recall: float
    cards: int


class Pace(NamedTuple):
    """How the new cards are spread (see :func:`pace`)."""

    per_day: int
    needed_per_day: int | None
    last_day: int
    asap: bool


class StudyPlan(NamedTuple):
    """The plan to the exam; :meth:`to_dict` is ``studyapp plan --json``."""

    exam_date: date
    today: date
    days_left: int
    new_left: int
    new_per_day: int
    new_pace: int
    new_needed_per_day: int | None
    new_unplanned: int
    asap: bool
    predicted_recall: float
    planned_recall: float
    cards: int
    keywords: list[KeywordForecast]
    days: list[PlanDay]

    @property
    def short_of_time(self) -> bool:
        """``new_per_day`` cannot introduce every new card a week before the exam."""
        return self.new_needed_per_day is not None

    def weakest(self, count: int = WEAKEST_SHOWN, *,
                among: Collection[str] | None = None) -> list[KeywordForecast]:
        """The keywords with the lowest predicted recall (ties: content order), only those
        in ``among`` when given (one deck's keywords in a plan over every deck)."""
        keywords = self.keywords
        if among is not None:
            wanted = set(among)
            keywords = [k for k in keywords if k.keyword in wanted]
        return sorted(keywords, key=lambda k: k.predicted_recall)[:count]

    def to_dict(self) -> dict[str, Any]:
        """The pinned keys first: ``exam_date``, ``days_left``, ``new_left``,
        ``new_per_day``, ``predicted_recall``, ``keywords``, ``days``; then the rest."""
        return {
            "exam_date": self.exam_date.isoformat(),
            "days_left": self.days_left,
            "new_left": self.new_left,
            "new_per_day": self.new_per_day,
            "predicted_recall": self.predicted_recall,
            "keywords": [{"keyword": k.keyword, "predicted_recall": k.predicted_recall,
                          "planned_recall": k.planned_recall, "cards": k.cards}
                         for k in self.keywords],
            "days": [{"date": d.day.isoformat(), "new": d.new, "reviews": d.reviews}
                     for d in self.days],
            "today": self.today.isoformat(),
            "new_pace": self.new_pace,
            "new_needed_per_day": self.new_needed_per_day,
            "new_unplanned": self.new_unplanned,
            "asap": self.asap,
            "planned_recall": self.planned_recall,
            "cards": self.cards,
        }


def pace(new_total: int, days_left: int, new_per_day: int) -> Pace:
    """How many new cards a day, counting today's already introduced ones in ``new_total``.

    Parameters
    ----------
    new_total : int
        New cards left plus those introduced today.
    days_left : int
        Study days from today to the exam (0: the exam is today).
    new_per_day : int
        The learner's daily limit.

    Returns
    -------
    Pace
        ``per_day``: the cards a day the plan introduces; ``needed_per_day``: what it
        would take to finish in time when the limit cannot (else ``None``); ``last_day``:
        the last day index (0 = today) meant for new cards; ``asap``: fewer than
        :data:`FINAL_DAYS` days are left.
    """
    if days_left <= 0:
        return Pace(0, None, -1, True)
    asap = days_left < FINAL_DAYS
    last_day = days_left - 1 if asap else days_left - FINAL_DAYS
    if new_total <= 0:
        return Pace(0, None, last_day, asap)
    needed = math.ceil(new_total / (last_day + 1))
    per_day = new_per_day if asap else min(needed, new_per_day)
    return Pace(per_day, needed if needed > new_per_day else None, last_day, asap)


def new_cards_on_days(new_left: int, new_today: int, today_left: int, days_left: int,
                      new_per_day: int) -> tuple[list[int], Pace]:
    """New cards to introduce on each day from today to the day before the exam."""
    # today's new cards count toward today's share (none left: nothing to pace)
    plan_pace = pace(new_left + new_today if new_left else 0, days_left, new_per_day)
    days = [0] * max(days_left, 0)
    total = new_left + new_today
    spread = not plan_pace.asap and plan_pace.needed_per_day is None
    introduced = new_today
    for index in range(len(days)):
        if introduced >= total:
            break
        if spread:
            # an even spread ending on the last day for new cards: by the end of day
            # ``index`` the first ⌊(index + 1)·N / D⌋ cards (a day behind catches up)
            target = (index + 1) * total // (plan_pace.last_day + 1)
            quota = min(target - introduced, new_per_day)
        else:
            quota = new_per_day  # as soon as the limit allows
        if index == 0:
            quota = min(quota, today_left)
        days[index] = max(0, min(quota, total - introduced))
        introduced += days[index]
    return days, plan_pace


def build_plan(inputs: ExamInputs) -> StudyPlan:
    """The plan from the store's snapshot (:meth:`Store.exam_inputs`)."""
    config = inputs.config
    today, exam = inputs.today, inputs.exam_day
    days_left = (exam - today).days
    model = model_of(config)
    current = outlook(inputs.cards, model, today, exam)
    new_cards = [c for c in inputs.cards if c.memory is None and not c.suspended]
    counts, plan_pace = new_cards_on_days(
        len(new_cards), inputs.new_today, inputs.new_limit_left, days_left,
        config.new_cards_per_day)
    reviews = dict(current.reviews)
    planned = [0.0 if p is None else p.recall for p in current.projections]
    index_of = {card.key: i for i, card in enumerate(inputs.cards)}
    stability, difficulty = model.learned()
    queue = iter(new_cards)
    for offset, count in enumerate(counts):
        day = today.toordinal() + offset
        for _ in range(count):
            card = next(queue)
            memory = CardMemory(stability, difficulty, day, day + model.interval(stability),
                                exam.toordinal() - day, 2)
            projection = project(memory, model, today.toordinal(), exam.toordinal(),
                                 draw=lambda reps, key=card.key: fuzz_draw(key, reps))
            planned[index_of[card.key]] = projection.recall
            for d, n in projection.reviews.items():
                reviews[d] = reviews.get(d, 0.0) + n
    per_keyword: dict[str, list[float]] = {}
    for card, recall in zip(inputs.cards, planned, strict=True):
        for keyword in card.keywords:
            per_keyword.setdefault(keyword, []).append(recall)
    keywords = [
        KeywordForecast(k.keyword, k.predicted_recall,
                        sum(per_keyword[k.keyword]) / len(per_keyword[k.keyword]), k.cards)
        for k in current.keywords
    ]
    days = [PlanDay(today + timedelta(days=k), counts[k],
                    round(reviews.get(today.toordinal() + k, 0.0)))
            for k in range(len(counts))]
    planned_total = sum(counts)
    return StudyPlan(
        exam_date=exam, today=today, days_left=days_left, new_left=len(new_cards),
        new_per_day=config.new_cards_per_day, new_pace=plan_pace.per_day,
        new_needed_per_day=plan_pace.needed_per_day,
        new_unplanned=len(new_cards) - planned_total, asap=plan_pace.asap,
        predicted_recall=current.predicted_recall,
        planned_recall=sum(planned) / len(planned) if planned else 0.0,
        cards=len(inputs.cards), keywords=keywords, days=days,
    )


def plan_for(store: Store, exam_date: date, deck: str | None = None) -> StudyPlan:
    """The plan to ``exam_date`` from the store's current state."""
    return build_plan(store.exam_inputs(exam_date, deck))
