"""A deck that fails validation: the list of problems, not a traceback."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from studyapp.content import Problem
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.title_bar import TitleBar


class ContentErrorScreen(Screen[None]):
    """Lists every problem as ``FILE:LINE: message``; the learner fixes the files and
    starts again (``studyapp validate`` prints the same list)."""

    BINDINGS = [
        Binding("q", "app.quit", "終了", show=False),  # exit status 2 (app.action_quit)
        Binding("escape", "app.home", "ホーム", show=False),  # when shown over home
    ]

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__()
        self.problems = list(problems)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        count = len(self.problems)
        heading = Text()
        heading.append("デッキを読み込めませんでした", style="bold red")
        heading.append(
            f"\n{count} 件の問題があります。ファイルを直してから起動し直してください"
            "（studyapp validate でも同じ一覧が出ます）。" if count else
            "\nデッキが見つかりません。"
            "--content で deck.yaml のあるフォルダの親を指定してください。",
            style="",
        )
        yield Static(heading, id="error-heading")
        with VerticalScroll(id="error-list"):
            for problem in self.problems:
                yield Static(Text(str(problem)), classes="problem")
        yield KeyBar()
