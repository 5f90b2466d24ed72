"""The progress store: every rating and answer, FSRS schedules, the mistake list, statistics.

One :class:`Store` per running app. Every write is one ``BEGIN IMMEDIATE`` transaction,
committed before the method returns; reads that need several queries run in one read
transaction, so they see one consistent snapshot even while another copy of the app writes.
Methods may be called from worker threads (calls are serialised by a lock).

The store is assembled from its parts, one module each, every part a mixin on the one
before it needs:

- ``core.StoreBase``: the connection, its lock, the clock, transactions;
- ``sync.SyncMixin``: which cards, questions and skills exist; the decks' index;
- ``cards.CardsMixin``: the due queue, previews, ratings and their undo;
- ``answers.AnswersMixin``: quiz and exam answers, the mistake list;
- ``practice.PracticeMixin``: practice answers and the skills they schedule (on cards
  and answers);
- ``progress.ProgressMixin``: home, statistics, streak, mastery per keyword (on all);
- ``marks.MarksMixin``: suspending and flagging, and what the card browser reads;
- ``exercises.ExercisesMixin``: the checks of exercise code and the exercise skills.
"""

from __future__ import annotations

from studyapp.store.answers import MISTAKE_CLEAR_STREAK
from studyapp.store.exercises import ExercisesMixin
from studyapp.store.marks import MarksMixin
from studyapp.store.progress import ProgressMixin
from studyapp.store.sync import SyncMixin


class Store(ProgressMixin, SyncMixin, MarksMixin, ExercisesMixin):
    """The learner's progress in ``progress.sqlite3``.

    Parameters
    ----------
    path : Path
        The database file (its folder must exist unless ``create_dir``).
    config : StoreConfig, optional
        Scheduling and calendar settings.
    now : callable, optional
        Returns the current time as an aware ``datetime`` (tests inject a clock).
    create_dir : bool
        Create a missing data folder (for the platform default, not for a named one).

    Raises
    ------
    StoreError
        The folder cannot be used, the file is damaged or foreign, or its schema is newer.
    """


__all__ = ["MISTAKE_CLEAR_STREAK", "Store"]
