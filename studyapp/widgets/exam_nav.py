"""The strip of question numbers of a mock exam: answered, flagged, current."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from studyapp.study.exam import QuestionStatus

CELL = 5  # cells per number: " 12* "

ANSWERED = "bold green"
UNANSWERED = "dim"
FLAG = "bold yellow"
CURRENT = "reverse bold"


def nav_text(statuses: Sequence[QuestionStatus], per_line: int) -> Text:
    """The numbers, ``per_line`` to a line; ``*`` marks a flagged question."""
    text = Text()
    for k, status in enumerate(statuses):
        if k and k % per_line == 0:
            text.append("\n")
        style = ANSWERED if status.answered else UNANSWERED
        if status.current:
            style = CURRENT
        text.append(f" {status.number:>2}", style=style)
        text.append("*" if status.flagged else " ", style=FLAG if status.flagged else style)
        text.append(" ")
    return text


def legend() -> Text:
    """What the colours and marks of the strip mean."""
    text = Text()
    text.append(" 1 ", style=ANSWERED)
    text.append("解答済み  ")
    text.append(" 1 ", style=UNANSWERED)
    text.append("未解答  ")
    text.append("*", style=FLAG)
    text.append(" 見直し  ")
    text.append(" 1 ", style=CURRENT)
    text.append(" 表示中")
    return text


class ExamNav(Static):
    """Question numbers with their state. The screen sets the states with :meth:`show`;
    a click on a number posts :class:`Jumped` with its 0-based index."""

    @dataclass
    class Jumped(Message):
        """A number was clicked (0-based question index)."""

        index: int

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.statuses: list[QuestionStatus] = []

    def per_line(self) -> int:
        width = self.content_size.width or self.size.width or 80
        return max(1, width // CELL)

    def show(self, statuses: Sequence[QuestionStatus]) -> None:
        """Redraw with these states."""
        self.statuses = list(statuses)
        self.update(nav_text(self.statuses, self.per_line()))

    def on_resize(self, event: events.Resize) -> None:
        if self.statuses:
            self.update(nav_text(self.statuses, self.per_line()))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = offset.y * self.per_line() + offset.x // CELL
        if 0 <= index < len(self.statuses):
            event.stop()
            self.post_message(self.Jumped(index))
