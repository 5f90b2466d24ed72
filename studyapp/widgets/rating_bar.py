"""The four rating buttons of a flashcard, each with the interval it would give."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from studyapp.store import IntervalPreview, Rating


class RatingBar(Horizontal):
    """Again / Hard / Good / Easy with "10分 / 2日 …" under each; posts :class:`Rated`."""

    @dataclass
    class Rated(Message):
        """A rating button was pressed."""

        rating: Rating

    def compose(self) -> ComposeResult:
        for rating in Rating:
            yield Button(f"{int(rating)} {rating.label}", id=f"rate-{int(rating)}",
                         classes=f"rating rating-{rating.name.lower()}")

    def show_previews(self, previews: dict[Rating, IntervalPreview]) -> None:
        """Put each rating's next interval on its button."""
        for rating in Rating:
            preview = previews.get(rating)
            label = f"{int(rating)} {rating.label}"
            if preview is not None:
                label += f"\n{preview.label}"
            self.query_one(f"#rate-{int(rating)}", Button).label = label

    @on(Button.Pressed, ".rating")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        assert event.button.id is not None
        self.post_message(self.Rated(Rating(int(event.button.id.rsplit("-", 1)[1]))))
