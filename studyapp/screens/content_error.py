"""A deck that fails validation: the list of problems, not a traceback."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from studyapp.content import DeckProblem
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.title_bar import TitleBar


class ContentErrorScreen(Screen[None]):
    """Lists every problem as ``FILE:LINE: message``; the learner fixes the files and
    starts again (``studyapp validate`` prints the same list)."""

    BINDINGS = [
        Binding("q", "app.quit", "終了", show=False),  # exit status 2 (app.action_quit)
        Binding("escape", "back", "ホーム"),
    ]

    def __init__(self, problems: Sequence[DeckProblem], *, over_home: bool = False) -> None:
        """``over_home``: shown over home because a deck broke while the app ran (the
        learner fixes it and opens the area again), not at start-up."""
        super().__init__()
        self.problems = list(problems)
        self.over_home = over_home

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.over_home
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        count = len(self.problems)
        heading = Text()
        heading.append("デッキを読み込めませんでした", style="bold red")
        heading.append(
            f"\n{count} 件の問題があります。ファイルを直してから"
            + ("、esc でホームに戻ってもう一度開いてください" if self.over_home
               else "起動し直してください")
            + "（studyapp validate でも同じ一覧が出ます）。" if count else
            "\nデッキが見つかりません。"
            "--content で deck.yaml のあるフォルダの親を指定してください。",
            style="",
        )
        yield Static(heading, id="error-heading")
        with VerticalScroll(id="error-list"):
            for problem in self.problems:
                yield Static(Text(str(problem)), classes="problem")
        yield KeyBar()
