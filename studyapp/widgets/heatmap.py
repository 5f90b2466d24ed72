"""The stats screen's calendar heatmap of study activity, as wide as the screen allows.

The drawing is :func:`studyapp.render.heatmap.heatmap_text`, which ``studyapp stats``
prints too, so both shade a day alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from textual import events
from textual.widgets import Static

from studyapp.render.heatmap import LABEL_CELLS, MAX_WEEKS, heatmap_text


class Heatmap(Static):
    """The screen sets the counts with :meth:`show`; the grid shows as many of the last
    53 weeks as fit the widget's width."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.counts: dict[date, int] = {}
        self.today: date | None = None

    def weeks(self) -> int:
        width = self.content_size.width or self.size.width or (LABEL_CELLS + MAX_WEEKS)
        return max(4, min(MAX_WEEKS, width - LABEL_CELLS))

    def show(self, counts: Mapping[date, int], today: date) -> None:
        self.counts = dict(counts)
        self.today = today
        self.update(heatmap_text(self.counts, today, self.weeks()))

    def on_resize(self, event: events.Resize) -> None:
        if self.today is not None:
            self.update(heatmap_text(self.counts, self.today, self.weeks()))
