"""Fixtures for driving the real app: the same factory as the command line, a fixed clock,
a fresh data folder, a fixed seed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from studyapp.app import StudyApp, create_app

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
