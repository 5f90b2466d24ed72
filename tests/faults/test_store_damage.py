"""Damaged stores: a file with our identity but a broken schema, an impossible schema
version, garbage in a schedule, a full disk or another copy's lock when the store opens.

Each ends in one line naming the problem and the file, in the store, in ``studyapp stats``
and in the app; the file is left byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from studyapp.store import (
    CorruptDatabaseError,
    ItemRef,
    Rating,
    Store,
    StoreConfig,
    StoreError,
)
from studyapp.store.db import _statements
from studyapp.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from tests.store.conftest import unwritable

ROOT = Path(__file__).resolve().parents[2]

#: Runs the app without a terminal (Textual's headless driver); ``ctrl+q`` ends a sound run.
HEADLESS = {"TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
            "TEXTUAL_PRESS": "ctrl+q"}

#: ``studyapp`` with file writes limited to 0 bytes (a full disk), SIGXFSZ ignored so a
#: write fails with EFBIG instead of killing the process.
FULL_DISK = """
import resource, runpy, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
sys.argv = ["studyapp", *sys.argv[1:]]
runpy.run_module("studyapp", run_name="__main__", alter_sys=True)
"""

COMMANDS = {"stats": ("stats",), "stats --json": ("stats", "--json"), "app": ()}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def filled(folder: Path) -> Path:
    """A real store with some history (ratings, a wrong answer), closed cleanly."""
    path = folder / "progress.sqlite3"
    with Store(path) as store:
        store.sync_content([ItemRef("reg", f"c{i}", ("l1",)) for i in range(20)],
                           [ItemRef("reg", "q1", ("l1",))])
        for i in range(10):
            store.rate_card("reg", f"c{i}", Rating.Good)
        store.record_answer("reg", "q1", answer=1, correct=False)
    return path


def alter(path: Path, *sql: str) -> None:
    """Change a closed store with plain SQLite, as another tool would."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in sql:
        conn.execute(statement)
    conn.close()


def schema_objects() -> list[tuple[str, str]]:
    """``(type, name)`` of every table, index and trigger the migrations create."""
    conn = sqlite3.connect(":memory:")
    for script in MIGRATIONS:
        conn.executescript(script)
    rows = conn.execute("SELECT type, name FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()
    conn.close()
    return rows


def refused(path: Path, *words: str) -> str:
    """Opening ``path`` raises a one-line CorruptDatabaseError naming it and ``words``; the
    file is unchanged."""
    before = digest(path)
    with pytest.raises(CorruptDatabaseError) as info:
        Store(path)
    message = info.value.message
    assert str(path) in message and "\n" not in message
    for word in words:
        assert word in message
    assert digest(path) == before
    return message


def run(data_dir: Path, *args: str, env: dict[str, str] | None = None,
        prefix: tuple[str, ...] = ("-m", "studyapp")) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *prefix, *args, "--data-dir", str(data_dir)], cwd=ROOT,
        env={**os.environ, **HEADLESS, **(env or {})}, capture_output=True, text=True,
        timeout=120, stdin=subprocess.DEVNULL)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout[-500:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("studyapp: "), result.stderr[-2000:]
    return lines[0]


# ---------------------------------------------------------------- the schema, in the store


@pytest.mark.parametrize(("kind", "name"), schema_objects(), ids=lambda v: v)
def test_every_missing_table_index_and_trigger_is_named(tmp_path: Path, kind: str,
                                                        name: str) -> None:
    path = filled(tmp_path)
    alter(path, f"DROP {kind.upper()} {name}")
    refused(path, name)


CHANGED = {
    "a column dropped": ("srs_state", ["ALTER TABLE srs_state DROP COLUMN review_id"]),
    "a column added": ("reviews", ["ALTER TABLE reviews ADD COLUMN note TEXT"]),
    "an index on other columns": ("srs_state_due", [
        "DROP INDEX srs_state_due", "CREATE INDEX srs_state_due ON srs_state (reps)"]),
    "a trigger doing something else": ("items_insert_forgets_index", [
        "DROP TRIGGER items_insert_forgets_index",
        "CREATE TRIGGER items_insert_forgets_index AFTER INSERT ON items BEGIN SELECT 1; END",
    ]),
    "a check removed": ("mistakes", [
        "ALTER TABLE mistakes RENAME TO old_mistakes",
        "CREATE TABLE mistakes (item_id INTEGER PRIMARY KEY, added_at INTEGER NOT NULL, "
        "wrong INTEGER NOT NULL, right_streak INTEGER NOT NULL)",
        "DROP TABLE old_mistakes",
    ]),
}


@pytest.mark.parametrize("case", CHANGED)
def test_a_table_index_or_trigger_of_another_shape_is_named(tmp_path: Path, case: str) -> None:
    name, sql = CHANGED[case]
    path = filled(tmp_path)
    alter(path, *sql)
    refused(path, name)


@pytest.mark.parametrize("sql", [
    "CREATE TRIGGER no_new_items BEFORE INSERT ON items BEGIN SELECT RAISE(ABORT, 'no'); END",
    "CREATE UNIQUE INDEX one_review_per_item ON reviews (item_id)",
])
def test_a_trigger_or_index_added_to_our_tables_is_refused(tmp_path: Path, sql: str) -> None:
    # either could make a rating or a sync fail half-way with an error the app cannot explain
    path = filled(tmp_path)
    alter(path, sql)
    refused(path, sql.split()[3 if "UNIQUE" in sql else 2])


def test_the_learners_own_tables_views_and_their_indexes_are_kept(tmp_path: Path) -> None:
    path = filled(tmp_path)
    alter(path, "CREATE TABLE my_notes (text TEXT)",
          "CREATE INDEX my_notes_text ON my_notes (text)",
          "CREATE VIEW my_reviews AS SELECT reviewed_at, rating FROM reviews")
    with Store(path) as store:
        assert store.stats().reviews == 10
        store.rate_card("reg", "c10", Rating.Easy)
        names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    assert {"my_notes", "my_notes_text", "my_reviews"} <= names


@pytest.mark.parametrize("version", [-1, -(2**31)])
def test_a_negative_schema_version_is_refused_untouched(tmp_path: Path, version: int) -> None:
    path = filled(tmp_path)
    alter(path, f"PRAGMA user_version = {version}")
    refused(path, f"user_version {version}")


def test_our_file_with_its_version_reset_to_0_is_damaged_not_foreign(tmp_path: Path) -> None:
    path = filled(tmp_path)
    alter(path, "PRAGMA user_version = 0")
    refused(path, "user_version 0", "壊れています")


def test_an_older_file_missing_a_table_is_refused_before_migrating(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("DROP TABLE srs_state")
    conn.close()
    refused(path, "srs_state")


@pytest.mark.parametrize("version", [1, 2])
def test_a_foreign_file_with_a_user_version_is_refused_untouched(tmp_path: Path,
                                                                 version: int) -> None:
    # many programs number their schema in user_version and leave application_id at 0
    path = tmp_path / "progress.sqlite3"
    alter(path, "CREATE TABLE recipes (name TEXT)", f"PRAGMA user_version = {version}")
    message = refused(path, "recipes")
    assert "studyapp の進捗データベースではありません" in message


@pytest.mark.parametrize(("column", "value"), [
    ("due", "'tomorrow'"), ("last_review", "X'00'"), ("stability", "'x'"),
    ("difficulty", "'hard'"), ("reps", "1.5"), ("lapses", "'none'"), ("step", "'first'"),
    ("stability", "-2.5"),
])
def test_garbage_in_a_schedule_is_named(tmp_path: Path, column: str, value: str) -> None:
    # SQLite keeps any value in any column: a tool writing text into a time would otherwise
    # stop the app with a TypeError the first time that card is shown or rated
    path = filled(tmp_path)
    alter(path, f"UPDATE srs_state SET {column} = {value} "
                "WHERE item_id = (SELECT id FROM items WHERE item = 'c3')")
    refused(path, "c3", column)


def test_a_store_locked_by_another_copy_is_explained_and_opens_once_free(
        tmp_path: Path) -> None:
    path = filled(tmp_path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another copy in the middle of a write
    try:
        with pytest.raises(StoreError) as info:
            Store(path, StoreConfig(busy_timeout_ms=200))
        assert str(path) in info.value.message and "他のプロセス" in info.value.message
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Store(path) as store:
        assert store.stats().reviews == 10


def test_the_expected_schema_is_what_the_migrations_leave() -> None:
    from studyapp.store.db import _applied_schema, expected_schema

    for version in range(1, SCHEMA_VERSION + 1):
        assert expected_schema(version) == _applied_schema(version)


def test_a_migration_that_alters_a_table_is_read_from_sqlite(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from studyapp.store import db

    monkeypatch.setattr(db, "MIGRATIONS", [*MIGRATIONS, "ALTER TABLE meta ADD COLUMN note TEXT;"])
    db.expected_schema.cache_clear()
    try:
        kind, table, sql = db.expected_schema(SCHEMA_VERSION + 1)["meta"]
        assert (kind, table) == ("table", "meta") and "note TEXT" in sql
    finally:
        db.expected_schema.cache_clear()


# ---------------------------------------------------------------- the command line and the app


@pytest.fixture(scope="module")
def learners_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store as a learner has it after some days: the bundled decks synced and their
    index saved by the app, ten cards rated, a question answered wrong. Neither ``stats``
    nor the app writes anything to it before reading."""
    folder = tmp_path_factory.mktemp("learner")
    result = run(folder)  # the app, started once and quit
    assert result.returncode == 0, result.stderr[-2000:]
    path = folder / "progress.sqlite3"
    with Store(path) as store:
        cards = store.conn.execute(
            "SELECT deck, item FROM items WHERE kind = 'card' ORDER BY id LIMIT 10").fetchall()
        for deck, item in cards:
            store.rate_card(deck, item, Rating.Good)
        deck, item = store.conn.execute(
            "SELECT deck, item FROM items WHERE kind = 'question' LIMIT 1").fetchone()
        store.record_answer(deck, item, answer=0, correct=False)
    return path


@pytest.fixture
def learner(learners_store: Path, tmp_path: Path) -> Path:
    """A copy of :func:`learners_store` in this test's own folder."""
    path = tmp_path / "progress.sqlite3"
    shutil.copyfile(learners_store, path)
    return path


def broken_page(path: Path, table: str = "mistakes") -> None:
    """Scramble the first page of ``table``: the schema is sound, its first read fails
    (home and ``stats`` count the mistakes; nothing reads them when the store opens)."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    conn.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size:root * page_size] = random.Random(3).randbytes(page_size)
    path.write_bytes(bytes(data))


DAMAGE: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "missing table": (lambda p: alter(p, "DROP TABLE srs_state"), ("srs_state",)),
    "negative version": (lambda p: alter(p, "PRAGMA user_version = -1"), ("user_version -1",)),
    "trigger that aborts": (lambda p: alter(
        p, "CREATE TRIGGER no_new_items BEFORE INSERT ON items "
           "BEGIN SELECT RAISE(ABORT, 'no'); END"), ("no_new_items",)),
    "garbage in a schedule": (lambda p: alter(
        p, "UPDATE srs_state SET due = 'tomorrow' WHERE rowid = "
           "(SELECT MIN(rowid) FROM srs_state)"), ("due is text",)),
    "damaged page of a schedule": (lambda p: broken_page(p, "srs_state"), ("malformed",)),
    "damaged page read after start": (broken_page, ("malformed",)),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_store_is_one_line_in_stats_and_the_app(learner: Path, damage: str,
                                                          command: str) -> None:
    make, words = DAMAGE[damage]
    make(learner)
    before = digest(learner)
    line = one_line(run(learner.parent, *COMMANDS[command]))
    assert str(learner) in line and "壊れています" in line
    for word in words:
        assert word in line
    assert digest(learner) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_disk_at_open_names_the_disk_not_a_commit(learner: Path, command: str) -> None:
    before = digest(learner)
    line = one_line(run(learner.parent, *COMMANDS[command], prefix=("-c", FULL_DISK)))
    assert str(learner) in line and "ディスク" in line and "disk" in line
    assert "commit" not in line
    assert digest(learner) == before
    # nothing was lost: with room on the disk again, the history is all there
    result = run(learner.parent, "stats", "--json")
    assert result.returncode == 0, result.stderr
    assert '"reviews": 10' in result.stdout


def test_a_full_disk_on_a_first_start_leaves_nothing_in_the_way(tmp_path: Path) -> None:
    line = one_line(run(tmp_path, "stats", prefix=("-c", FULL_DISK)))
    assert str(tmp_path / "progress.sqlite3") in line and "ディスク" in line
    result = run(tmp_path, "stats", "--json")
    assert result.returncode == 0, result.stderr
    assert '"reviews": 0' in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_a_sound_store_opens_unchanged(learner: Path, command: str) -> None:
    # the guard of the tests above: each command does run on the sound store, and reading
    # it writes nothing (so an unchanged hash above means the damage stopped nothing)
    before = digest(learner)
    result = run(learner.parent, *COMMANDS[command])
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr == ""
    assert digest(learner) == before


@pytest.mark.parametrize("command", ["stats", "app"])
@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_store_is_one_line_and_kept(learner: Path, what: str,
                                                command: str) -> None:
    before = digest(learner)
    with unwritable(learner if what == "file" else learner.parent):
        line = one_line(run(learner.parent, *COMMANDS[command]))
    assert str(learner if what == "file" else learner.parent) in line
    assert "書き込めません" in line
    assert digest(learner) == before


async def test_a_store_fault_in_a_screens_worker_ends_the_app_with_its_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from studyapp.app import create_app

    app = create_app(None, tmp_path, seed=0)
    fault = CorruptDatabaseError(f"進捗データベースが壊れています: {tmp_path} (test)")

    def damaged(*args: object, **kwargs: object) -> None:
        raise fault

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.context is not None
        monkeypatch.setattr(app.context.store, "skills_due", damaged)
        await pilot.press("p")  # practice lists the kinds from a worker thread
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.error is fault and app.return_code == 1


@pytest.mark.parametrize("command", ["stats", "app"])
def test_a_store_from_a_newer_studyapp_is_one_line_and_kept(learner: Path,
                                                            command: str) -> None:
    alter(learner, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = digest(learner)
    line = one_line(run(learner.parent, *COMMANDS[command]))
    assert str(learner) in line and f"v{SCHEMA_VERSION + 1}" in line and "更新" in line
    assert digest(learner) == before


# ---------------------------------------------------------------- not a file at all

@pytest.mark.parametrize("command", [("stats",), ("stats", "--json"), ()])
def test_a_fifo_in_place_of_the_database_is_refused_not_waited_on(tmp_path: Path,
                                                                  command: tuple[str, ...]
                                                                  ) -> None:
    # SQLite opens a FIFO and blocks on it for ever: the command hung until killed.
    os.mkfifo(tmp_path / "progress.sqlite3")
    message = one_line(run(tmp_path, *command))
    assert "progress.sqlite3" in message and "通常のファイルではありません" in message
    assert (tmp_path / "progress.sqlite3").is_fifo()


def test_a_link_to_a_device_in_place_of_the_database_is_refused(tmp_path: Path) -> None:
    (tmp_path / "progress.sqlite3").symlink_to("/dev/zero")
    message = one_line(run(tmp_path, "stats"))
    assert "通常のファイルではありません" in message
    assert (tmp_path / "progress.sqlite3").is_symlink()
