"""Nothing confirmed is lost: a killed writer, and two writers at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.store import Store

ROOT = Path(__file__).resolve().parents[2]


def writer(path: Path, count: int, session: str, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.writer", str(path), str(count), session, *extra],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )


def check_consistent(path: Path) -> sqlite3.Connection:
    """Every card's state is the product of its last review, and the file is sound."""
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = conn.execute(
        "SELECT s.review_id, s.reps, MAX(r.id), COUNT(r.id) FROM srs_state s "
        "JOIN reviews r ON r.item_id = s.item_id GROUP BY s.item_id"
    ).fetchall()
    assert rows
    for review_id, reps, last_id, count in rows:
        assert (review_id, reps) == (last_id, count)
    return conn


def test_every_rating_reported_committed_survives_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    proc = writer(path, 1_000_000, "killed")
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    reported: list[int] = []
    while len(reported) < 300:  # however slow the disk's fsync: no deadline to race
        line = proc.stdout.readline()
        if not line:  # the writer ended before it was killed: say why
            proc.wait(timeout=30)
            raise AssertionError(f"writer stopped: {proc.stderr.read()}")
        reported.append(int(line))
    os.kill(proc.pid, signal.SIGKILL)  # in the middle of the next rating
    rest, _ = proc.communicate(timeout=30)
    reported += [int(line) for line in rest.split()]
    assert proc.returncode == -signal.SIGKILL
    assert len(reported) >= 300

    conn = check_consistent(path)
    stored = {r[0] for r in conn.execute("SELECT id FROM reviews WHERE session = 'killed'")}
    conn.close()
    assert set(reported) <= stored
    assert len(stored) - len(reported) <= 1  # at most the one committed but not yet printed
    with Store(path) as store:  # the file opens normally afterwards
        assert store.stats().reviews == len(stored)


def test_two_processes_writing_500_ratings_each_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    procs = [writer(path, 500, name, "20", "wait") for name in ("left", "right")]
    for proc in procs:  # both have opened the (new) file: start them together
        assert proc.stdout is not None
        first_line = proc.stdout.readline().strip()
        if first_line != "ready":
            proc.wait(timeout=60)
            raise AssertionError(f"writer failed to start: {proc.stderr.read()}")
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert len(out.split()) == 500
    conn = check_consistent(path)
    counts = dict(conn.execute("SELECT session, COUNT(*) FROM reviews GROUP BY session"))
    assert counts == {"left": 500, "right": 500}
    assert conn.execute("SELECT SUM(reps) FROM srs_state").fetchone()[0] == 1000
    assert conn.execute("SELECT SUM(card_reviews) FROM activity").fetchone()[0] == 1000
    conn.close()


OPEN_AND_RATE = """
import sys
import pytest

from studyapp.store import Store
with Store(sys.argv[1]) as store:
    store.rate_card("reg", "c0", 3)
"""


def test_copies_starting_together_on_a_new_file_all_open_it(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for trial in range(3):
        path = tmp_path / f"trial{trial}" / "progress.sqlite3"
        path.parent.mkdir()
        procs = [subprocess.Popen([sys.executable, "-c", OPEN_AND_RATE, str(path)], cwd=ROOT,
                                  env=env, stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
        errors = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 4, errors
        conn = check_consistent(path)
        assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 4
        conn.close()


class _Racing:
    """A connection whose switch to WAL meets another copy switching the same new file:
    SQLite answers "database is locked" at once, ``busy`` times, then the mode."""

    def __init__(self, busy: int, error: str = "database is locked") -> None:
        self.busy = busy
        self.error = error
        self.tries = 0

    def execute(self, sql: str) -> sqlite3.Cursor:
        assert sql == "PRAGMA journal_mode = WAL"
        self.tries += 1
        if self.tries <= self.busy:
            raise sqlite3.OperationalError(self.error)
        return sqlite3.connect(":memory:").execute("SELECT 'wal'")


def test_the_switch_to_wal_is_tried_again_while_another_copy_makes_it() -> None:
    from studyapp.store.db import _set_wal

    racing = _Racing(busy=3)
    assert _set_wal(racing, busy_timeout_ms=10_000) == "wal"  # type: ignore[arg-type]
    assert racing.tries == 4
    # past busy_timeout the copy gives up, with the error the store names in one line
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _set_wal(_Racing(busy=10**9), busy_timeout_ms=50)  # type: ignore[arg-type]
    # any other error is not a race
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        _set_wal(_Racing(busy=1, error="disk I/O error"), busy_timeout_ms=10_000)  # type: ignore[arg-type]
