"""A yes/no question over the current screen (``ModalScreen[bool]``)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from studyapp.widgets.prose import Prose


class ConfirmDialog(ModalScreen[bool]):
    """Ask ``question``; ``y`` or the first button answer True, ``n``/``escape`` False."""

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
        background: $background 60%;
    }
    ConfirmDialog > #dialog {
        width: 64;
        max-width: 90%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    ConfirmDialog #question {
        width: 100%;
        margin: 0 0 1 0;
    }
    ConfirmDialog #buttons {
        height: auto;
        align: center middle;
    }
    ConfirmDialog Button {
        margin: 0 1;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "はい"),
        Binding("n,escape", "answer(False)", "いいえ"),
    ]

    def __init__(self, question: str, *, yes: str = "はい", no: str = "いいえ") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Prose(self.question), id="question")
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes} (y)", variant="primary", id="yes")
                yield Button(f"{self.no} (n)", id="no")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")
