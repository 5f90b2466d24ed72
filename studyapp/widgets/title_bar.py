"""The line at the top of every screen: the app's title and the deck being studied."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class TitleBar(Static):
    """``E資格 学習ツール — 正則化``, centred on one docked line.

    What Textual's ``Header`` shows here, as one widget instead of four (no icon and no
    clock): every screen has one, and each widget costs a share of every layout pass. It
    follows ``app.title`` and ``app.sub_title`` (``d`` on home switches the deck).
    """

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        text-align: center;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._show, init=False)
        self.watch(self.app, "sub_title", self._show, init=False)
        self._show()

    def _show(self, _value: object = None) -> None:
        line = Text(self.app.title)
        if self.app.sub_title:
            line.append(" — ", style="dim")
            line.append(self.app.sub_title, style="dim")
        self.update(line)
