"""Faults: damaged, foreign and newer files are refused untouched; bad folders are explained."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

import pytest

from studyapp.store import (
    SCHEMA_VERSION,
    CorruptDatabaseError,
    DataDirError,
    ItemRef,
    NewerSchemaError,
    Rating,
    Store,
    StoreConfig,
    open_store,
)
from studyapp.store.schema import APPLICATION_ID

from .conftest import Clock, cards, jst, unwritable


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def filled(path: Path, clock: Clock) -> Path:
    """A real database with some history, closed cleanly."""
    with Store(path, now=clock) as store:
        store.sync_content(cards(300), [ItemRef("reg", "q1", ("l1",))])
        for i in range(150):
            store.rate_card("reg", f"c{i}", Rating.Good)
        store.record_answer("reg", "q1", answer=1, correct=False)
    return path


def test_a_new_database_is_versioned_in_wal_mode(store: Store) -> None:
    conn = store.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopening_does_not_migrate_again(tmp_path: Path, clock: Clock) -> None:
    path = filled(tmp_path / "progress.sqlite3", clock)
    with Store(path, now=clock) as store:
        assert store.stats().reviews == 150
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_garbage_file_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(random.Random(5).randbytes(50_000))
    before = digest(path)
    with pytest.raises(CorruptDatabaseError) as info:
        Store(path)
    message = info.value.message
    assert str(path) in message and "壊れています" in message and "mv" in message
    assert "\n" not in message
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.sqlite3"]


def test_truncated_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\x10\x00")
    with pytest.raises(CorruptDatabaseError):
        Store(path)
    assert path.read_bytes() == b"SQLite format 3\x00\x10\x00"


def test_damaged_pages_are_reported_and_the_file_is_kept(tmp_path: Path, clock: Clock) -> None:
    path = filled(tmp_path / "progress.sqlite3", clock)
    data = bytearray(path.read_bytes())
    noise = random.Random(7)
    for i in range(4096, len(data)):  # keep page 1 (the header), scramble the rest
        data[i] = noise.randrange(256)
    path.write_bytes(bytes(data))
    before = digest(path)
    # at open, or at the first query
    with pytest.raises(CorruptDatabaseError) as info, Store(path, now=clock) as store:
        store.stats()
    assert str(path) in info.value.message
    assert digest(path) == before


def test_a_damaged_table_stops_the_store_for_good(tmp_path: Path, clock: Clock) -> None:
    path = filled(tmp_path / "progress.sqlite3", clock)
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute(  # a table the store does not read when it opens
        "SELECT rootpage FROM sqlite_master WHERE name = 'mistakes'"
    ).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size:root * page_size] = random.Random(3).randbytes(page_size)
    path.write_bytes(bytes(data))
    before = digest(path)
    store = Store(path, now=clock)  # the schema and header are sound: it opens
    with pytest.raises(CorruptDatabaseError) as info:
        store.mistakes()
    assert str(path) in info.value.message
    with pytest.raises(CorruptDatabaseError):  # and stays stopped: nothing more is written
        store.record_answer("reg", "q1", answer=1, correct=True)
    store.close()
    assert digest(path) == before


def test_newer_schema_is_refused_untouched(tmp_path: Path, clock: Clock) -> None:
    path = filled(tmp_path / "progress.sqlite3", clock)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(path)
    with pytest.raises(NewerSchemaError) as info:
        Store(path)
    assert f"v{SCHEMA_VERSION + 1}" in info.value.message and "更新" in info.value.message
    assert digest(path) == before


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(CorruptDatabaseError, match="studyapp の進捗データベースではありません"):
        Store(path)
    assert digest(path) == before


def test_an_empty_file_starts_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    path.touch()
    with Store(path) as store:
        assert store.stats().reviews == 0


def test_two_stores_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    with Store(path) as first, Store(path) as second:
        first.rate_card("reg", "c0", Rating.Good)
        assert second.stats().reviews == 1


def test_a_named_data_folder_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "typo"
    with pytest.raises(DataDirError) as info:
        open_store(missing)
    assert str(missing) in info.value.message and "mkdir" in info.value.message
    assert not missing.exists()
    monkeypatch.setenv("STUDYAPP_DATA_DIR", str(missing))
    with pytest.raises(DataDirError):
        open_store()
    assert not missing.exists()


def test_the_default_data_folder_is_created(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDYAPP_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with open_store() as store:
        assert store.path.parent.is_dir()
        assert store.path.name == "progress.sqlite3"
        assert tmp_path in store.path.parents


def test_a_data_folder_that_is_a_file_is_explained(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("x")
    with pytest.raises(DataDirError, match="フォルダではありません"):
        open_store(not_a_folder)


def test_an_unwritable_data_folder_is_explained(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    with unwritable(folder), pytest.raises(DataDirError) as info:
        open_store(folder)
    assert str(folder) in info.value.message and "書き込めません" in info.value.message
    assert list(folder.iterdir()) == []


def test_an_existing_database_in_an_unwritable_folder_is_explained(
    tmp_path: Path, clock: Clock
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = filled(folder / "progress.sqlite3", clock)
    before = digest(path)
    with unwritable(folder), pytest.raises(DataDirError, match="書き込めません"):
        open_store(folder)
    assert digest(path) == before


def test_a_read_only_database_file_is_explained(tmp_path: Path, clock: Clock) -> None:
    path = filled(tmp_path / "progress.sqlite3", clock)
    before = digest(path)
    with unwritable(path), pytest.raises(DataDirError, match="書き込めません"):
        Store(path)
    assert digest(path) == before


def test_errors_are_user_errors_with_one_line(tmp_path: Path) -> None:
    from studyapp.errors import UserError

    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"not a database at all" * 10)
    with pytest.raises(UserError) as info:
        Store(path)
    assert info.value.exit_code == 1 and "\n" not in info.value.message


def test_a_version_1_database_is_migrated_and_keeps_its_history(tmp_path: Path,
                                                                clock: Clock) -> None:
    from studyapp.store.config import to_ms
    from studyapp.store.db import _statements
    from studyapp.store.schema import BUCKET_MS, MIGRATIONS

    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    for moment, reviews, answers in ((jst(2025, 4, 1, 10), 2, 0), (jst(2025, 4, 2, 2), 0, 1),
                                     (jst(2025, 4, 3, 12), 1, 0)):
        conn.execute("INSERT INTO activity (bucket, card_reviews, answers) VALUES (?, ?, ?)",
                     (to_ms(moment) // BUCKET_MS, reviews, answers))
    conn.close()

    clock.current = jst(2025, 4, 3, 13)
    with Store(path, now=clock) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6
        stats = store.stats()
        assert (stats.reviews, stats.quiz_attempts) == (3, 1)
        assert [(d.day.isoformat(), d.reviews, d.answers) for d in stats.reviews_per_day] == [
            ("2025-04-01", 2, 1), ("2025-04-03", 1, 0)]
        assert (stats.streak.current, stats.streak.longest) == (1, 1)


def test_per_day_totals_are_kept_for_every_calendar_in_use(
    tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "progress.sqlite3"
    tokyo = Store(path, now=clock)
    clock.current = jst(2025, 4, 2, 8, 30)  # 23:30 UTC on 1 April
    tokyo.record_answer("reg", "q1", answer=1, correct=True)
    utc = Store(path, StoreConfig(timezone="UTC", day_start_hour=0), now=clock)
    clock.current = jst(2025, 4, 2, 10, 0)  # 1:00 UTC on 2 April
    tokyo.record_answer("reg", "q1", answer=1, correct=True)  # written by the Tokyo store
    in_tokyo = [(d.day.isoformat(), d.answers) for d in tokyo.stats().reviews_per_day]
    in_utc = [(d.day.isoformat(), d.answers) for d in utc.stats().reviews_per_day]
    assert in_tokyo == [("2025-04-02", 2)]
    assert in_utc == [("2025-04-01", 1), ("2025-04-02", 1)]
    tokyo.close()
    utc.close()
