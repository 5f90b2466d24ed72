"""The learner's progress: SQLite store, FSRS scheduling of cards and skills, statistics.

No Textual import here (the app imports this, never the other way round), and no import
of ``fsrs`` until something is scheduled. The app opens one store at start-up::

    from studyapp.store import open_store, items_from_library

    store = open_store(args.data_dir)              # UserError with a clear message on faults
    store.sync_content(*items_from_library(library))
    card = store.next_card()                       # QueueCard or None
    store.preview(card.deck, card.item)            # {Rating: IntervalPreview(label="10分")}
    store.rate_card(card.deck, card.item, Rating.Good, duration_ms=5400)
    store.undo_last_rating()

``docs/store.md`` documents the schema and the whole API.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import Any

from studyapp.store.config import Calendar, StoreConfig
from studyapp.store.errors import (
    CorruptDatabaseError,
    DataDirError,
    NewerSchemaError,
    StoreError,
)
from studyapp.store.models import (
    Accuracy,
    AnswerEntry,
    AnswerResult,
    CalendarSetting,
    CardCounts,
    CardState,
    DayCount,
    DueQueue,
    ExamOutlook,
    ForecastDay,
    HomeSummary,
    IntervalPreview,
    ItemRef,
    ItemStatus,
    KeywordProgress,
    Mistake,
    PracticeResult,
    QueueCard,
    Rating,
    Retention,
    ReviewEntry,
    ReviewResult,
    SkillCounts,
    SkillStatus,
    Stats,
    Streak,
    SyncResult,
    TodayStats,
    UndoResult,
)
from studyapp.store.scheduling import format_interval, skill_rating
from studyapp.store.schema import SCHEMA_VERSION
from studyapp.store.store import MISTAKE_CLEAR_STREAK, Store


def open_store(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    config: StoreConfig | None = None,
    now: Callable[[], datetime] | None = None,
) -> Store:
    """Open (creating if needed) ``progress.sqlite3`` in the learner's data folder.

    The folder is ``data_dir`` (``--data-dir``), else ``$STUDYAPP_DATA_DIR``, else the
    platform's user data folder. Only the last is created when missing: a folder the
    learner named must exist, so a typo never starts an empty history.

    Parameters
    ----------
    data_dir : path, optional
        ``--data-dir`` as given on the command line.
    config : StoreConfig, optional
        Scheduling and calendar settings (defaults: Asia/Tokyo, day starts 4:00,
        retention 0.9, 20 new cards a day).
    now : callable, optional
        Clock returning an aware ``datetime`` (tests).

    Raises
    ------
    StoreError
        A clear one-line message (a ``UserError``) for every fault a learner can meet.
    """
    from studyapp.paths import DATA_DIR_ENV, database_path

    explicit = bool(data_dir) or bool(os.environ.get(DATA_DIR_ENV))
    return Store(database_path(data_dir), config, now=now, create_dir=not explicit)


def teaching_order(deck: Any, items: Any) -> list[Any]:
    """``items`` of ``deck`` in the order a learner is taught them: by the place of each
    item's first keyword in the deck's ``keywords`` (deck.yaml lists them in teaching
    order), then in file order (the files by name, the items as they come in each).

    Duck-typed on ``deck.keywords`` (with ``id``) and ``item.keywords``; an item whose
    first keyword the deck does not list comes last.
    """
    rank: dict[str, int] = {}
    for keyword in deck.keywords:
        rank.setdefault(keyword.id, len(rank))
    return sorted(items, key=lambda item: rank.get(next(iter(item.keywords), ""), len(rank)))


def items_from_library(library: Any) -> tuple[list[ItemRef], list[ItemRef]]:
    """The cards and questions of a loaded content library, as the store keys them.

    Each deck's cards come in :func:`teaching_order`, the order new cards are shown in
    (``new_order = deck``); the decks in the library's order, questions in file order.
    Duck-typed on ``library.decks`` / ``deck.id`` / ``deck.keywords`` / ``deck.cards`` /
    ``deck.questions`` / ``item.id`` / ``item.keywords``, so the store never imports the
    content package.

    Returns
    -------
    (cards, questions) : tuple of list of ItemRef
    """
    cards: list[ItemRef] = []
    questions: list[ItemRef] = []
    for deck in library.decks:
        for item in teaching_order(deck, deck.cards):
            cards.append(ItemRef(deck.id, item.id, tuple(item.keywords)))
        for item in deck.questions:
            questions.append(ItemRef(deck.id, item.id, tuple(item.keywords)))
    return cards, questions


__all__ = [
    "MISTAKE_CLEAR_STREAK",
    "SCHEMA_VERSION",
    "Accuracy",
    "AnswerEntry",
    "AnswerResult",
    "Calendar",
    "CalendarSetting",
    "CardCounts",
    "CardState",
    "CorruptDatabaseError",
    "DataDirError",
    "DayCount",
    "DueQueue",
    "ExamOutlook",
    "ForecastDay",
    "HomeSummary",
    "IntervalPreview",
    "ItemRef",
    "ItemStatus",
    "KeywordProgress",
    "Mistake",
    "NewerSchemaError",
    "PracticeResult",
    "QueueCard",
    "Rating",
    "Retention",
    "ReviewEntry",
    "ReviewResult",
    "SkillCounts",
    "SkillStatus",
    "Stats",
    "Store",
    "StoreConfig",
    "StoreError",
    "Streak",
    "SyncResult",
    "TodayStats",
    "UndoResult",
    "format_interval",
    "items_from_library",
    "open_store",
    "skill_rating",
    "teaching_order",
]
