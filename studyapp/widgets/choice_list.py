"""Numbered options of a 4択 (or multi-answer) question, with marks after grading."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from studyapp.widgets.prose import Prose


class ChoiceLine(Static):
    """One option; a click posts :class:`ChoiceList.Clicked` through its list."""

    def __init__(self, position: int, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.position = position

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(ChoiceList.Clicked(self.position))


class ChoiceList(Vertical):
    """The options ``1 … 4``. The screen sets ``selected`` and, after grading, the right
    positions; the list only draws. Code options are shown verbatim in a code style."""

    @dataclass
    class Clicked(Message):
        """An option was clicked (0-based display position)."""

        position: int

    def __init__(self, options: Sequence[str], *, code: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.options = list(options)
        self.code = code
        self.selected: set[int] = set()
        self.correct: frozenset[int] | None = None

    def compose(self) -> ComposeResult:
        for k in range(len(self.options)):
            yield ChoiceLine(k, classes="choice code" if self.code else "choice")

    def on_mount(self) -> None:
        self.redraw()

    def set_selected(self, positions: set[int]) -> None:
        self.selected = set(positions)
        self.redraw()

    def show_result(self, correct: frozenset[int]) -> None:
        self.correct = correct
        self.redraw()

    def redraw(self) -> None:
        for line in self.query(ChoiceLine):
            k = line.position
            mark = "  "
            style = ""
            if self.correct is not None:
                if k in self.correct:
                    mark, style = "○ ", "bold green"
                elif k in self.selected:
                    mark, style = "× ", "bold red"
            elif k in self.selected:
                mark, style = "▶ ", "bold"
            text = Text()
            text.append(mark, style=style)
            text.append(f"{k + 1}. ", style="bold")
            text.append(self.options[k], style=style)
            line.update(Prose(text, hang=cell_len(mark) + len(f"{k + 1}. ")))
            line.set_class(k in self.selected, "-selected")
