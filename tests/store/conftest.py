"""Fixtures for the store tests: a clock the test moves, stores in a temporary folder, a
folder or file made unwritable (``tests/faults`` uses it too)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


@contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """Make a folder or file unwritable, even for root (immutable attribute)."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a folder unwritable")
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i is not supported here: {done.stderr.decode().strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
