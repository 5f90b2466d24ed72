"""Fixtures for the store tests: a clock the test moves, stores in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studyapp.store import ItemRef, Store, StoreConfig

TOKYO = ZoneInfo("Asia/Tokyo")
UTC = timezone.utc


class Clock:
    """A settable clock: ``clock()`` returns the current (aware) time."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set_local(self, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> None:
        """Set the time as a wall-clock time in Tokyo."""
        self.current = datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def jst(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def cards(n: int, deck: str = "reg", keywords: tuple[str, ...] = ("l1",),
          prefix: str = "c") -> list[ItemRef]:
    return [ItemRef(deck, f"{prefix}{i}", keywords) for i in range(n)]


@pytest.fixture
def clock() -> Clock:
    # 10:00 in Tokyo on 1 April 2025
    return Clock(jst(2025, 4, 1, 10, 0))


@pytest.fixture
def make_store(tmp_path: Path, clock: Clock) -> Iterator[Callable[..., Store]]:
    opened: list[Store] = []

    def make(config: StoreConfig | None = None, name: str = "progress.sqlite3",
             now: Callable[[], datetime] | None = None) -> Store:
        store = Store(tmp_path / name, config, now=now or clock)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(make_store: Callable[..., Store]) -> Store:
    return make_store()
