"""What the screens of the areas share: the study context, the notice of a write the store
refused, and the protocol of a screen that asks before it is left."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.screen import Screen

if TYPE_CHECKING:
    from studyapp.context import StudyContext
    from studyapp.store import StoreError

#: The title of the notice when a rating or an answer could not be saved.
NOT_SAVED = "保存できませんでした"


class StudyScreen(Screen[None]):
    """A screen of the study tool, given the learner's context as an attribute.

    Parameters
    ----------
    context : StudyContext
        The decks, the progress store and the seeded random source.
    """

    def __init__(self, context: StudyContext) -> None:
        super().__init__()
        self.context = context

    def notify_store_error(self, error: StoreError, title: str = NOT_SAVED) -> None:
        """Say that the store refused a write. Nothing was recorded and the screen stays as
        it was, so the learner can try again (a locked database is often free a moment
        later)."""
        self.notify(error.message, title=title, severity="error", timeout=10)


@runtime_checkable
class ConfirmsLeave(Protocol):
    """A screen with work that is not recorded yet (a running mock exam).

    The app calls :meth:`confirm_leave` before anything takes the learner away from it
    (``escape``, ``ctrl+q``, an area from the command palette), instead of leaving at once.
    """

    def confirm_leave(self, then: Callable[[], None]) -> None:
        """Call ``then`` now, or once the learner agrees to leave; never when they do not."""
        ...
