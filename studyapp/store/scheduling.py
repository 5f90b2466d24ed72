"""FSRS glue: one review step, deterministic fuzz, interval labels, skill ratings.

``fsrs`` is imported inside :class:`Scheduling` only, the first time something is
scheduled, so that opening the store for the home screen does not pay for it.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING, NamedTuple

from studyapp.store.config import Calendar, StoreConfig, from_ms, load_timezone, to_ms
from studyapp.store.models import LEARNING, REVIEW, Rating

if TYPE_CHECKING:
    from fsrs import Scheduler

#: py-fsrs's default decay (the 21st FSRS-6 weight), used to compute retrievability
#: without importing ``fsrs``; a test checks it against the package.
FSRS_DEFAULT_DECAY = 0.1542

#: A practice answer is "quick" up to this fraction of the expected time ...
QUICK_FACTOR = 0.5
#: ... and "slow" beyond this multiple of it.
SLOW_FACTOR = 2.0

_DAY_MS = 86_400_000


class SrsRow(NamedTuple):
    """The scheduling state of one item, as stored in ``srs_state`` (times in epoch ms)."""

    state: int
    step: int | None
    stability: float
    difficulty: float
    due: int
    last_review: int
    reps: int
    lapses: int


def retrievability(
    stability: float, last_review_ms: int, now_ms: int, decay: float = FSRS_DEFAULT_DECAY
) -> float:
    """FSRS's probability of recall now, exactly as ``Scheduler.get_card_retrievability``.

    R = (1 + F·t/S)^(−decay) with F = 0.9^(−1/decay) − 1 and t the whole days elapsed.

    Parameters
    ----------
    stability : float
        The card's stability S in days.
    last_review_ms, now_ms : int
        Epoch milliseconds of the last review and of now.
    decay : float
        The positive decay weight (``parameters[20]``).

    Returns
    -------
    float
        A probability in (0, 1].
    """
    elapsed_days = max(0, (now_ms - last_review_ms) // _DAY_MS)
    factor = 0.9 ** (1 / -decay) - 1
    return (1 + factor * elapsed_days / stability) ** -decay


def fuzz_draw(key: str, reps: int) -> float:
    """A number in [0, 1) fixed by the item's key and its review count (the fuzz draw)."""
    import hashlib  # not at import time: the home screen never draws a fuzz

    digest = hashlib.sha256(f"{key}\x1f{reps}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def fuzzed_days(days: int, maximum: int, draw: float) -> int:
    """Spread an interval over py-fsrs's fuzz range, picking the day with ``draw`` in [0, 1).

    Intervals under 2.5 days are not fuzzed (as in py-fsrs).
    """
    from fsrs.scheduler import FUZZ_RANGES

    if days < 2.5:
        return days
    delta = 1.0
    for fuzz_range in FUZZ_RANGES:
        delta += fuzz_range["factor"] * max(
            min(float(days), fuzz_range["end"]) - fuzz_range["start"], 0.0
        )
    low = max(2, round(days - delta))
    high = min(round(days + delta), maximum)
    low = min(low, high)
    return min(low + math.floor(draw * (high - low + 1)), high, maximum)


def format_interval(ms: int) -> str:
    """An interval as Anki labels its buttons, in Japanese: ``"<1分"``, ``"10分"``, ``"3日"``.

    Parameters
    ----------
    ms : int
        The interval in milliseconds.

    Returns
    -------
    str
        Minutes below an hour, hours below a day, days below a month, then months
        (30 days) and years (365 days) with one decimal when it is not whole.
    """
    minutes = ms / 60_000
    if minutes < 1:
        return "<1分"
    if minutes < 60:
        return f"{round(minutes)}分"
    hours = minutes / 60
    if hours < 24:
        return f"{_one_decimal(hours)}時間"
    days = hours / 24
    if days < 30:
        return f"{round(days)}日"
    if days < 365:
        return f"{_one_decimal(days / 30)}か月"
    return f"{_one_decimal(days / 365)}年"


def _one_decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def skill_rating(correct: bool, duration_ms: int | None, expected_ms: int) -> Rating:
    """The rating a practice answer gives its skill.

    Wrong: Again. Right: Easy when it took at most ``QUICK_FACTOR`` of the expected time,
    Hard when it took more than ``SLOW_FACTOR`` times it, Good otherwise (and when the
    time is unknown).

    Parameters
    ----------
    correct : bool
        Whether the answer was right.
    duration_ms : int or None
        Time taken.
    expected_ms : int
        Expected solving time of this skill.

    Returns
    -------
    Rating
    """
    if not correct:
        return Rating.Again
    if duration_ms is None:
        return Rating.Good
    if duration_ms <= QUICK_FACTOR * expected_ms:
        return Rating.Easy
    if duration_ms > SLOW_FACTOR * expected_ms:
        return Rating.Hard
    return Rating.Good


class Scheduling:
    """FSRS with the store's settings; builds the ``fsrs.Scheduler`` on first use.

    Parameters
    ----------
    config : StoreConfig
        Retention, steps, maximum interval, fuzz and weights.
    """

    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        self._scheduler: Scheduler | None = None
        self._calendar: Calendar | None = None

    @property
    def decay(self) -> float:
        """The decay weight used for retrievability."""
        if self.config.parameters is None:
            return FSRS_DEFAULT_DECAY
        return self.config.parameters[20]

    @property
    def scheduler(self) -> Scheduler:
        """The ``fsrs.Scheduler`` (fuzz off: the store fuzzes deterministically itself)."""
        if self._scheduler is None:
            from fsrs import Scheduler

            kwargs = {}
            if self.config.parameters is not None:
                kwargs["parameters"] = self.config.parameters
            self._scheduler = Scheduler(
                desired_retention=self.config.desired_retention,
                learning_steps=tuple(
                    timedelta(minutes=m) for m in self.config.learning_steps_min
                ),
                relearning_steps=tuple(
                    timedelta(minutes=m) for m in self.config.relearning_steps_min
                ),
                maximum_interval=self.config.maximum_interval_days,
                enable_fuzzing=False,
                **kwargs,
            )
        return self._scheduler

    @property
    def calendar(self) -> Calendar:
        """The study-day calendar of the settings (the final-week policy counts in it)."""
        if self._calendar is None:
            self._calendar = Calendar(load_timezone(self.config.timezone),
                                      self.config.day_start_hour)
        return self._calendar

    def _exam_due(self, key: str, reps: int, stability: float, now_ms: int,
                  due_ms: int) -> int:
        """The due time after the final-week policy (``forecast.exam_review_day``): the
        same time of day, on the day the policy gives."""
        from studyapp.store.forecast import exam_review_day

        calendar, exam = self.calendar, self.config.exam_date
        assert exam is not None
        review_day = calendar.day_of(now_ms).toordinal()
        due_day = calendar.day_of(due_ms).toordinal()
        day = exam_review_day(review_day, due_day, exam.toordinal(), stability,
                              self.decay, fuzz_draw(key, reps))
        return due_ms - (due_day - day) * _DAY_MS

    def review(self, key: str, before: SrsRow | None, rating: Rating, now_ms: int) -> SrsRow:
        """The state after rating an item now (pure: the same inputs give the same state).

        Parameters
        ----------
        key : str
            The item's identity ``kind/deck/item`` (seeds the fuzz, so a preview and the
            rating itself give the same interval).
        before : SrsRow or None
            The current state; ``None`` for a new item.
        rating : Rating
            The learner's rating.
        now_ms : int
            The time of the review (epoch ms).

        Returns
        -------
        SrsRow
        """
        from fsrs import Card, State
        from fsrs import Rating as FsrsRating

        now = from_ms(now_ms)
        if before is None:
            card = Card(card_id=0, state=State.Learning, step=0, due=now)
            reps = lapses = 0
        else:
            card = Card(
                card_id=0,
                state=State(before.state),
                step=before.step,
                stability=before.stability,
                difficulty=before.difficulty,
                due=from_ms(before.due),
                last_review=from_ms(before.last_review),
            )
            reps, lapses = before.reps, before.lapses
        after, _log = self.scheduler.review_card(card, FsrsRating(int(rating)), now)
        due_ms = to_ms(after.due)
        if self.config.enable_fuzz and after.state == State.Review:
            days = (due_ms - now_ms) // _DAY_MS
            days = fuzzed_days(days, self.config.maximum_interval_days, fuzz_draw(key, reps))
            due_ms = now_ms + days * _DAY_MS
        if self.config.exam_date is not None and after.state == State.Review:
            due_ms = self._exam_due(key, reps, float(after.stability), now_ms, due_ms)
        lapsed = before is not None and before.state == REVIEW and rating == Rating.Again
        assert after.stability is not None and after.difficulty is not None
        return SrsRow(
            state=int(after.state),
            step=after.step,
            stability=float(after.stability),
            difficulty=float(after.difficulty),
            due=due_ms,
            last_review=now_ms,
            reps=reps + 1,
            lapses=lapses + int(lapsed),
        )


__all__ = [
    "FSRS_DEFAULT_DECAY",
    "LEARNING",
    "Scheduling",
    "SrsRow",
    "format_interval",
    "fuzzed_days",
    "retrievability",
    "skill_rating",
]
