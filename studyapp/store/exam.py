"""What the exam forecast reads from the database: every active card's memory state, its
keywords and whether it is suspended, in the order new cards are offered.

One computation serves ``stats``' ``exam`` and ``studyapp plan``: :func:`outlook` projects
every card with :func:`studyapp.store.forecast.project` and averages, a new card counting 0.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from studyapp.store.config import Calendar, StoreConfig
from studyapp.store.core import deck_clause, item_key
from studyapp.store.forecast import CardMemory, Fsrs, Projection, project
from studyapp.store.scheduling import _DAY_MS, fuzz_draw


class ExamCard(NamedTuple):
    """One active card for the forecast.

    Attributes
    ----------
    key : str
        ``card/deck/item`` (seeds the final-week draw, as the store's scheduling does).
    deck, item : str
        The card.
    keywords : tuple of str
        Its keyword ids.
    memory : CardMemory or None
        Its memory state (``None``: never studied).
    suspended : bool
        Suspended cards are neither reviewed nor introduced.
    """

    key: str
    deck: str
    item: str
    keywords: tuple[str, ...]
    memory: CardMemory | None
    suspended: bool


class ExamInputs(NamedTuple):
    """Everything a plan to the exam reads from the store, from one snapshot."""

    today: date
    exam_day: date
    cards: list[ExamCard]
    new_today: int
    new_limit_left: int
    config: StoreConfig


class KeywordRecall(NamedTuple):
    """The mean exam-day recall of a keyword's cards."""

    keyword: str
    predicted_recall: float
    cards: int


class Outlook(NamedTuple):
    """The projection of every card: mean recall, per keyword, expected reviews per day."""

    predicted_recall: float
    keywords: list[KeywordRecall]
    reviews: dict[int, float]
    projections: list[Projection | None]


def model_of(config: StoreConfig) -> Fsrs:
    """The memory model of the store's settings."""
    return Fsrs(config.parameters, config.desired_retention, config.maximum_interval_days)


def read_cards(conn: sqlite3.Connection, calendar: Calendar, exam_day: date,
               deck: str | None) -> list[ExamCard]:
    """Every active card, in the teaching order (``item_order.position``), with its state."""
    deck_sql, params = deck_clause(deck)
    exam_ms = calendar.start_ms(exam_day)
    rows = conn.execute(
        "SELECT i.deck, i.item, s.stability, s.difficulty, s.due, s.last_review, s.reps,"
        " EXISTS (SELECT 1 FROM item_marks mk WHERE mk.item_id = i.id"
        "  AND mk.suspended_at IS NOT NULL),"
        " (SELECT group_concat(k.keyword, char(31)) FROM item_keywords k"
        "  WHERE k.item_id = i.id)"
        " FROM items i LEFT JOIN srs_state s ON s.item_id = i.id"
        " LEFT JOIN item_order o ON o.item_id = i.id"
        f" WHERE i.kind = 'card' AND i.active = 1{deck_sql}"
        " ORDER BY o.position IS NULL, o.position, i.id",
        params,
    ).fetchall()
    cards = []
    for (d, item, stability, difficulty, due, last, reps, suspended, keywords) in rows:
        memory = None
        if stability is not None:
            memory = CardMemory(
                stability=float(stability), difficulty=float(difficulty),
                last_day=calendar.day_of(last).toordinal(),
                due_day=calendar.day_of(due).toordinal(),
                elapsed_at_exam=max(0, (exam_ms - last) // _DAY_MS), reps=int(reps))
        cards.append(ExamCard(item_key("card", d, item), d, item,
                              tuple(sorted(keywords.split("\x1f"))) if keywords else (),
                              memory, bool(suspended)))
    return cards


def project_card(card: ExamCard, model: Fsrs, today: int, exam: int,
                 scheduled: bool) -> Projection | None:
    """A studied card's projection (``None`` for a new card). ``scheduled``: the final-week
    policy is in force (an exam date in the settings), as the store schedules."""
    if card.memory is None:
        return None
    draw = (lambda reps: fuzz_draw(card.key, reps)) if scheduled else None
    return project(card.memory, model, today, exam, draw=draw, reviewed=not card.suspended,
                   final_week=scheduled)


def outlook(cards: Iterable[ExamCard], model: Fsrs, today: date, exam_day: date,
            scheduled: bool = True) -> Outlook:
    """Project every card to the exam morning; new cards count 0.

    Parameters
    ----------
    cards : iterable of ExamCard
    model : Fsrs
    today, exam_day : date
    scheduled : bool
        Whether the reviews follow the final-week policy (they do once the exam date is
        set, which is when anything asks for an outlook).
    """
    projections = []
    total = 0.0
    per_keyword: dict[str, list[float]] = {}
    reviews: dict[int, float] = {}
    count = 0
    for card in cards:
        projection = project_card(card, model, today.toordinal(), exam_day.toordinal(),
                                  scheduled)
        projections.append(projection)
        recall = 0.0 if projection is None else projection.recall
        total += recall
        count += 1
        for keyword in card.keywords:
            per_keyword.setdefault(keyword, []).append(recall)
        if projection is not None:
            for day, n in projection.reviews.items():
                reviews[day] = reviews.get(day, 0.0) + n
    return Outlook(
        predicted_recall=total / count if count else 0.0,
        keywords=[KeywordRecall(k, sum(v) / len(v), len(v)) for k, v in per_keyword.items()],
        reviews=reviews,
        projections=projections,
    )


class HistoryPoint(NamedTuple):
    """The exam-day recall predicted at the end of a past study day, and the mock exams
    (answers with mode ``exam``) of that day: ``mock_score`` is ``None`` without any."""

    day: date
    predicted_recall: float
    mock_score: float | None


class MockKeyword(NamedTuple):
    """Mock-exam answers of one keyword: how many, how many right."""

    keyword: str
    answers: int
    correct: int


def history(conn: sqlite3.Connection, calendar: Calendar, config: StoreConfig,
            exam_day: date, today: date, days: int, *,
            since: date | None = None) -> list[HistoryPoint]:
    """The predicted exam-day recall as it stood at the end of each of the last ``days``
    study days with a card review or a mock exam (today last, projected from today as
    :func:`outlook` is for ``stats`` and the plan; a past day from the day after it),
    from the reviews' after-states; new cards then count 0, as in :func:`outlook`.

    Only the reviews from the first day shown are read, with each card's latest state
    (and its number of reviews) before it. ``since`` leaves out the days before it (a
    caller keeping the past days of this study day)."""
    first = today - timedelta(days=days - 1)
    if since is not None:
        first = max(first, since)
    start_ms = calendar.start_ms(first)
    cards = read_cards(conn, calendar, exam_day, None)
    keys = {card.key: card for card in cards}
    columns = ("i.deck, i.item, r.reviewed_at, r.stability_after, r.difficulty_after,"
               " r.due_after")
    before = conn.execute(
        f"SELECT deck, item, reviewed_at, stability_after, difficulty_after, due_after, n"
        f" FROM (SELECT {columns}, ROW_NUMBER() OVER (PARTITION BY r.item_id"
        "   ORDER BY r.reviewed_at DESC, r.id DESC) AS latest,"
        "  COUNT(*) OVER (PARTITION BY r.item_id) AS n"
        "  FROM reviews r JOIN items i ON i.id = r.item_id"
        "  WHERE i.kind = 'card' AND i.active = 1 AND r.reviewed_at < ?)"
        " WHERE latest = 1", (start_ms,)).fetchall()
    reviewed = conn.execute(
        f"SELECT {columns} FROM reviews r JOIN items i ON i.id = r.item_id"
        " WHERE i.kind = 'card' AND i.active = 1 AND r.reviewed_at >= ?"
        " ORDER BY r.reviewed_at, r.id", (start_ms,)).fetchall()
    mocks: dict[date, list[int]] = {}
    for answered_at, correct in conn.execute(
            "SELECT answered_at, correct FROM attempts WHERE mode = 'exam'"
            " AND answered_at >= ?", (start_ms,)):
        score = mocks.setdefault(calendar.day_of(answered_at), [0, 0])
        score[0] += 1
        score[1] += int(correct)
    active = {calendar.day_of(row[2]) for row in reviewed}
    active |= set(mocks) | {today}
    model = model_of(config)
    exam_ms = calendar.start_ms(exam_day)
    state: dict[str, CardMemory] = {}
    reps: dict[str, int] = {}

    def after(deck: str, item: str, at: int, stability: float, difficulty: float,
              due: int, count: int) -> None:
        key = item_key("card", deck, item)
        reps[key] = count
        state[key] = CardMemory(float(stability), float(difficulty),
                                calendar.day_of(at).toordinal(),
                                calendar.day_of(due).toordinal(),
                                max(0, (exam_ms - at) // _DAY_MS), count)

    for deck, item, at, stability, difficulty, due, count in before:
        after(deck, item, at, stability, difficulty, due, int(count))
    points = []
    index = 0
    for day in sorted(d for d in active if first <= d <= today):
        end = calendar.end_ms(day)
        while index < len(reviewed) and reviewed[index][2] < end:
            deck, item, at, stability, difficulty, due = reviewed[index]
            after(deck, item, at, stability, difficulty, due,
                  reps.get(item_key("card", deck, item), 0) + 1)
            index += 1
        as_of = [card._replace(memory=state.get(card.key)) for card in keys.values()]
        start = day if day == today else day + timedelta(days=1)
        recall = outlook(as_of, model, start, exam_day).predicted_recall
        mock = mocks.get(day)
        points.append(HistoryPoint(day, recall, mock[1] / mock[0] if mock else None))
    return points


def mock_keywords(conn: sqlite3.Connection) -> list[MockKeyword]:
    """Mock-exam answers per keyword (answers with mode ``exam``), all time."""
    return [MockKeyword(k, int(n), int(c)) for k, n, c in conn.execute(
        "SELECT k.keyword, COUNT(*), SUM(a.correct) FROM attempts a"
        " JOIN item_keywords k ON k.item_id = a.item_id WHERE a.mode = 'exam'"
        " GROUP BY k.keyword")]
