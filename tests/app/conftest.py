"""Fixtures and helpers for driving the real app: the same factory as the command line, a
fixed clock, a fresh data folder, a fixed seed; what the screen in front shows; waiting
until the app gets somewhere. Test modules import the helpers from here."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.geometry import Region

from studyapp.app import StudyApp, create_app
from studyapp.store import Rating

FIXED_NOW = datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)  # 10:00 in Tokyo


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_app(tmp_path: Path, clock: Clock) -> Callable[..., StudyApp]:
    """Build the app on the bundled deck with a fresh data folder, fixed clock and seed."""

    def build(content_dir: Path | None = None, seed: int = 0) -> StudyApp:
        return create_app(content_dir, tmp_path, now=clock, seed=seed)

    return build


# ---------------------------------------------------------------------- what the screen shows
def plain(content) -> str:
    """Plain text of a str, a Rich Text, or any Rich renderable (a table: its cells)."""
    if isinstance(content, str):
        return content
    if hasattr(content, "plain"):
        return content.plain
    if hasattr(content, "__rich_console__") and not hasattr(content, "text"):
        from rich.console import Console

        console = Console(width=120, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(content)
        return console.export_text()
    return str(content)


def screen_text(app) -> str:
    """Everything the Static widgets and buttons of the current screen show, as plain text."""
    from textual.widgets import Button

    parts = []
    for widget in app.screen.query("Static, Button"):
        if widget.display and all(getattr(a, "display", True) for a in widget.ancestors):
            content = widget.label if isinstance(widget, Button) else widget.content
            parts.append(plain(content))
    return "\n".join(parts)


def shown(app) -> str:
    """What the Static widgets of the current screen draw, line by line (tables too)."""
    from textual.widgets import Static

    parts = []
    for widget in app.screen.query(Static):
        if not widget.display or widget.size.area == 0:
            continue
        lines = widget.render_lines(Region(0, 0, *widget.region.size))
        parts.append("\n".join("".join(s.text for s in line).rstrip() for line in lines))
    return "\n".join(parts)


# ---------------------------------------------------------------------- a history
def study_three_days(app, clock) -> None:
    """Day −2: a card and a right answer; day −1: a card and a wrong answer; today: a
    right answer. Three study days in a row, 2 of 3 answers right."""
    deck = app.context.deck
    store = app.context.store
    start = clock.now
    plan = [(2, True), (1, False), (0, True)]
    for k, (days_ago, right) in enumerate(plan):
        clock.now = start - timedelta(days=days_ago)
        if days_ago:
            store.rate_card(deck.id, deck.cards[k].id, Rating.Good)
        store.record_answer(deck.id, deck.questions[k].id, answer=0, correct=right,
                            duration_ms=20_000)
    clock.now = start


# ---------------------------------------------------------------------- waiting
def two_deck_content(root: Path) -> Path:
    """A content folder holding a copy of the bundled deck and, first in folder order, a
    one-card deck of the learner's own (``a-mine``)."""
    import shutil

    from studyapp.paths import bundled_content_dir

    content = root / "content"
    shutil.copytree(bundled_content_dir() / "regularization", content / "regularization")
    mine = content / "a-mine"
    mine.mkdir()
    (mine / "deck.yaml").write_text(
        "id: a-mine\ntitle: 自分のデッキ\nkeywords:\n  - {id: misc, name: その他, en: misc}\n",
        encoding="utf-8")
    (mine / "cards.yaml").write_text(
        "cards:\n  - {id: mine-1, keywords: [misc], front: 表, back: 裏}\n", encoding="utf-8")
    return content


async def wait_for(pilot, condition: Callable[[], bool], tries: int = 200) -> None:
    """Let the app run (workers, timers, messages) until ``condition`` holds."""
    for _ in range(tries):
        if condition():
            await pilot.pause()  # let a new screen compose and lay out
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the app did not get there")
