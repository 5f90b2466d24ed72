"""A countdown to a deadline, read from an injected clock once a second."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from studyapp.study.exam import format_clock

#: Below these many milliseconds the countdown turns to a warning, then an alarm style.
LOW_MS = 5 * 60_000
LAST_MINUTE_MS = 60_000


class Countdown(Static):
    """``残り mm:ss`` until ``deadline_ms`` of ``clock`` (epoch milliseconds).

    The widget reads the clock once a second (and on :meth:`tick`), so a test or a
    snapshot with a fixed clock always shows the same time. It posts :class:`Ticked`
    after each reading and :class:`Expired` once when the time is up, then stops.
    """

    @dataclass
    class Ticked(Message):
        """The countdown read the clock (``remaining_ms`` left, never below 0)."""

        remaining_ms: int

    @dataclass
    class Expired(Message):
        """The deadline has passed."""

    def __init__(self, deadline_ms: int, clock: Callable[[], int], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.deadline_ms = deadline_ms
        self.clock = clock
        self.expired = False
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        self.tick()
        if not self.expired:
            self._timer = self.set_interval(1.0, self.tick)

    def stop(self) -> None:
        """Stop reading the clock (the exam was submitted)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def tick(self) -> None:
        """Read the clock, redraw, and post :class:`Ticked` (and :class:`Expired` at 0)."""
        if self.expired:
            return
        remaining = max(0, self.deadline_ms - self.clock())
        self.update(Text(f"残り {format_clock(remaining)}"))
        self.set_class(LAST_MINUTE_MS < remaining <= LOW_MS, "-low")
        self.set_class(remaining <= LAST_MINUTE_MS, "-last-minute")
        self.post_message(self.Ticked(remaining))
        if remaining <= 0:
            self.expired = True
            self.stop()
            self.post_message(self.Expired())
