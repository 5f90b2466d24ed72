"""Values the store takes and returns: plain immutable records, no database handles.

They are ``typing.NamedTuple`` classes rather than frozen dataclasses: the store is on the
start-up path, and Python 3.11 builds a frozen dataclass by compiling generated methods,
about five times the cost of a named tuple (``bench/app.py`` counts it).

Times are aware ``datetime`` objects in UTC; convert with ``.astimezone(...)`` for display.
Items are named by ``(deck, item)``: the deck id and the card or question id of the content.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import IntEnum
from typing import Any, NamedTuple


class Rating(IntEnum):
    """The four FSRS ratings (same values as ``fsrs.Rating``; keys 1–4 on the flashcard screen)."""

    Again = 1
    Hard = 2
    Good = 3
    Easy = 4

    @property
    def label(self) -> str:
        """The button text (Anki's Japanese wording)."""
        return _RATING_LABELS[self]


_RATING_LABELS = {
    Rating.Again: "もう一度",
    Rating.Hard: "難しい",
    Rating.Good: "正解",
    Rating.Easy: "簡単",
}

#: ``srs_state.state`` values (same as ``fsrs.State``) and their names.
LEARNING, REVIEW, RELEARNING = 1, 2, 3
STATE_NAMES = {LEARNING: "learning", REVIEW: "review", RELEARNING: "relearning"}


class ItemRef(NamedTuple):
    """One card, question or skill as the content knows it.

    Attributes
    ----------
    deck : str
        Deck id (``""`` for practice skills).
    item : str
        Card or question id, or the generator kind of a skill (the name every record
        of the store gives it).
    keywords : tuple of str
        Keyword ids the item teaches.
    """

    deck: str
    item: str
    keywords: tuple[str, ...] = ()


class SyncResult(NamedTuple):
    """What :meth:`Store.sync_content` or :meth:`Store.sync_skills` changed."""

    added: int
    retired: int
    restored: int
    active: int


class QueueCard(NamedTuple):
    """A card the flashcard screen may show.

    ``state`` is ``"new"``, ``"learning"``, ``"relearning"`` or ``"review"``; ``due`` is
    ``None`` for a new card.
    """

    deck: str
    item: str
    state: str
    due: datetime | None


class DueQueue(NamedTuple):
    """The flashcard queue at one moment.

    Attributes
    ----------
    learning : list of QueueCard
        Learning and relearning cards due now, earliest first.
    review : list of QueueCard
        Review cards due today (their due day has come), earliest first.
    new : list of QueueCard
        Never-seen cards, content order, at most the new cards left today.
    ahead : list of QueueCard
        Learning cards due within the learn-ahead limit (shown when nothing else is left).
    later_today : int
        Learning cards due later today beyond the learn-ahead limit.
    """

    learning: list[QueueCard]
    review: list[QueueCard]
    new: list[QueueCard]
    ahead: list[QueueCard]
    later_today: int

    @property
    def due_now(self) -> int:
        """Cards due now (learning due now plus reviews due today)."""
        return len(self.learning) + len(self.review)

    def next(self) -> QueueCard | None:
        """The card to show next: learning, then reviews, then new, then learn-ahead."""
        for part in (self.learning, self.review, self.new, self.ahead):
            if part:
                return part[0]
        return None


class Tomorrow(NamedTuple):
    """The next study day as the end of a flashcard session shows it.

    Attributes
    ----------
    day : date
        The next study day.
    due : int
        Cards due on it as things stand now: review cards falling due on it or due today
        and not reviewed (those today's limit holds back included), at most
        ``reviews_per_day``, and learning cards falling due on it.
    new : int
        New cards its limit will offer (the limit, or the unseen cards when fewer).
    unseen : int
        Cards never studied (what more new cards today could draw on).
    """

    day: date
    due: int
    new: int
    unseen: int


class IntervalPreview(NamedTuple):
    """What one rating would do to a card (the labels above Anki's rating buttons)."""

    rating: Rating
    due: datetime
    interval: timedelta
    label: str


class CardState(NamedTuple):
    """The scheduling state of a card or skill (``None`` from the store while it is new)."""

    state: str
    step: int | None
    stability: float
    difficulty: float
    due: datetime
    last_review: datetime
    reps: int
    lapses: int


class ReviewResult(NamedTuple):
    """A recorded rating of a card or skill, committed to the database.

    ``leech`` is true when this rating made the card a leech (its lapses reached the
    leech threshold, or another half of it); it is then suspended too when the settings'
    ``leech_action`` is ``suspend``.
    """

    review_id: int
    deck: str
    item: str
    rating: Rating
    state: CardState
    interval: timedelta
    label: str
    leech: bool = False


class UndoResult(NamedTuple):
    """A rating taken back; ``state`` is the restored state (``None``: the card is new again)."""

    deck: str
    item: str
    rating: Rating
    state: CardState | None


class AnswerResult(NamedTuple):
    """A recorded quiz answer and what it did to the mistake list (間違いノート).

    ``in_mistakes`` tells whether the question is on the list after this answer;
    ``right_streak`` counts right answers since it last went wrong.
    """

    attempt_id: int
    deck: str
    item: str
    correct: bool
    in_mistakes: bool
    entered_mistakes: bool
    left_mistakes: bool
    right_streak: int


class PracticeResult(NamedTuple):
    """A recorded practice answer and the rating it gave the skill."""

    attempt_id: int
    problem_id: str
    skill: str
    correct: bool
    rating: Rating
    review: ReviewResult


class Mistake(NamedTuple):
    """A question on the mistake list."""

    deck: str
    item: str
    added_at: datetime
    wrong: int
    right_streak: int


class SkillStatus(NamedTuple):
    """A practice skill (generator kind) and its schedule; ``state`` is ``None`` when new."""

    skill: str
    keywords: tuple[str, ...]
    state: CardState | None
    due_now: bool


class Streak(NamedTuple):
    """Consecutive study days (a day counts when anything was rated or answered).

    ``current`` still counts yesterday's run while today has no activity yet.
    """

    current: int
    longest: int
    studied_today: bool


class KeywordProgress(NamedTuple):
    """Progress on one syllabus keyword.

    Attributes
    ----------
    keyword : str
        Keyword id.
    cards, cards_studied : int
        Active cards with the keyword, and how many have been rated at least once.
    questions, questions_answered : int
        Active questions with the keyword, and how many have been answered.
    skills : int
        Active practice skills with the keyword.
    attempts, correct : int
        Answers (quiz and practice) to items with the keyword, and the right ones.
    accuracy : float or None
        ``correct / attempts`` (``None`` before the first answer).
    mastery : float
        Mean over the keyword's items of: a card's or skill's FSRS retrievability now
        (0 while new); for a question 1 when answered and not on the mistake list, else 0.
    """

    keyword: str
    cards: int
    cards_studied: int
    questions: int
    questions_answered: int
    skills: int
    attempts: int
    correct: int
    accuracy: float | None
    mastery: float


class HomeSummary(NamedTuple):
    """What the home screen shows."""

    today: date
    due_now: int
    learning_due: int
    review_due: int
    due_today: int
    new_left: int
    new_available: int
    mistakes: int
    skills_due: int
    streak: Streak
    keywords: list[KeywordProgress]
    leeches: int = 0
    suspended: int = 0


class DayCount(NamedTuple):
    """Activity of one study day (for the heatmap)."""

    day: date
    reviews: int
    answers: int


class TodayStats(NamedTuple):
    """The current study day on the statistics page.

    Attributes
    ----------
    day : date
        The study day (``"date"`` in the JSON).
    reviews, new_cards, answers : int
        Card ratings (of them, first ratings) and answers recorded today.
    study_minutes : float
        Time spent on ratings and answers, to a tenth of a minute.
    new_left : int
        New cards today may still introduce (at most the new cards there are).
    learning_due, review_due : int
        Learning cards due now and review cards due today.
    """

    day: date
    reviews: int
    new_cards: int
    answers: int
    study_minutes: float
    new_left: int
    learning_due: int
    review_due: int


class ForecastDay(NamedTuple):
    """Cards due on one study day of the forecast (today counts the overdue ones too)."""

    day: date
    due: int


class Retention(NamedTuple):
    """Ratings of review-state cards in the last ``days`` study days, and how many were
    not Again; ``rate`` is ``passed / reviews`` (``None`` before the first)."""

    days: int
    reviews: int
    passed: int
    rate: float | None


class Accuracy(NamedTuple):
    """Answers (quiz, exam, practice) and right answers: all time, and in the last
    ``recent_days`` study days; each rate is ``None`` before the first answer."""

    attempts: int
    correct: int
    rate: float | None
    recent_days: int
    recent_attempts: int
    recent_correct: int
    recent_rate: float | None


class CardCounts(NamedTuple):
    """Active cards by schedule state; ``mature``: review cards with an interval of 21
    days or more. ``suspended`` and ``leeches`` count the cards so marked, whatever their
    state (a suspended card is counted in its state too)."""

    total: int
    new: int
    learning: int
    review: int
    relearning: int
    mature: int
    suspended: int = 0
    leeches: int = 0


class SkillCounts(NamedTuple):
    """Active practice skills: how many, never practised, due now (their names), and the
    ratings they have had."""

    total: int
    new: int
    due: tuple[str, ...]
    reviews: int


class CalendarSetting(NamedTuple):
    """The calendar the statistics count study days in."""

    timezone: str
    day_start_hour: int


class ExamOutlook(NamedTuple):
    """How ready the cards are for the exam date, keeping up with the scheduled reviews.

    Attributes
    ----------
    day : date
        The exam date (``"date"`` in the JSON).
    days_left : int
        Study days from today to it (0 on the day, negative once it has passed).
    predicted_recall : float
        The mean over the active cards of FSRS's retrievability at the start of the exam
        day (its ``day_start_hour``), each studied card projected through the reviews
        scheduled before it (``studyapp.store.exam.outlook``), a new card counting 0; 0
        without cards.
    cards, new_cards : int
        The active cards counted, and of them the never-studied ones.
    """

    day: date
    days_left: int
    predicted_recall: float
    cards: int
    new_cards: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: ``date`` (ISO), ``days_left``, ``predicted_recall``, ``cards``,
        ``new_cards``."""
        data = self._asdict()
        return {"date": data.pop("day").isoformat(), **data}


class Stats(NamedTuple):
    """The statistics page and ``studyapp stats``; :meth:`to_dict` gives the JSON object."""

    reviews: int
    quiz_attempts: int
    due: int
    today: TodayStats
    forecast: list[ForecastDay]
    reviews_per_day: list[DayCount]
    retention: Retention
    accuracy: Accuracy
    streak: Streak
    cards: CardCounts
    mistakes: int
    skills: SkillCounts
    keywords: list[KeywordProgress]
    calendar: CalendarSetting
    exam: ExamOutlook | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: pinned keys ``reviews``, ``quiz_attempts``, ``due``, then
        ``today``, ``exam`` (``None`` without an exam date) and the rest in field order;
        days are ISO dates under ``"date"``."""
        today = self.today._asdict()
        return {
            "reviews": self.reviews,
            "quiz_attempts": self.quiz_attempts,
            "due": self.due,
            "today": {"date": today.pop("day").isoformat(), **today},
            "exam": None if self.exam is None else self.exam.to_dict(),
            "forecast": [{"date": f.day.isoformat(), "due": f.due} for f in self.forecast],
            "reviews_per_day": [
                {"date": d.day.isoformat(), "reviews": d.reviews, "answers": d.answers}
                for d in self.reviews_per_day
            ],
            "retention": self.retention._asdict(),
            "accuracy": self.accuracy._asdict(),
            "streak": self.streak._asdict(),
            "cards": self.cards._asdict(),
            "mistakes": self.mistakes,
            "skills": {**self.skills._asdict(), "due": list(self.skills.due)},
            "keywords": [k._asdict() for k in self.keywords],
            "calendar": self.calendar._asdict(),
        }


class ItemStatus(NamedTuple):
    """A card or question as the card browser lists it.

    Attributes
    ----------
    kind : str
        ``"card"`` or ``"question"``.
    deck, item : str
        The item.
    state : str or None
        A card's schedule (``"learning"``, ``"relearning"``, ``"review"``); ``None``
        while it is new, and always for a question.
    due : datetime or None
        When the card is due (``None`` while new).
    reps, lapses : int
        The card's ratings, and its lapses (Again on a review card).
    last_rating : Rating or None
        The card's latest rating.
    suspended, flagged, leech : bool
        What is marked on the item (``item_marks``).
    attempts, correct : int
        A question's answers, and the right ones.
    last_correct : bool or None
        Whether a question's latest answer was right (``None`` before the first).
    in_mistakes : bool
        A question on the mistake list (間違いノート).
    """

    kind: str
    deck: str
    item: str
    state: str | None
    due: datetime | None
    reps: int
    lapses: int
    last_rating: Rating | None
    suspended: bool
    flagged: bool
    leech: bool
    attempts: int
    correct: int
    last_correct: bool | None
    in_mistakes: bool


class ReviewEntry(NamedTuple):
    """One rating of a card's history.

    Attributes
    ----------
    reviewed_at : datetime
        When it was rated.
    rating : Rating
    state_before : str or None
        The schedule before (``None``: the card was new).
    state_after : str
        The schedule it gave.
    interval : timedelta
        From the rating to the due time it set.
    elapsed : timedelta or None
        Since the rating before (``None`` for the first).
    duration_ms : int or None
        The time the learner took.
    """

    reviewed_at: datetime
    rating: Rating
    state_before: str | None
    state_after: str
    interval: timedelta
    elapsed: timedelta | None
    duration_ms: int | None


class AnswerEntry(NamedTuple):
    """One answer to a question: what was given (the stored JSON, decoded: an original
    option index, a list of them, a bool, a number or a list of numbers), whether it was
    right, where (``quiz``, ``exam``, ``mistakes`` …) and how long it took."""

    answered_at: datetime
    answer: Any
    correct: bool
    mode: str
    duration_ms: int | None
