"""Opening the SQLite file safely: folder checks, header check, schema version, the schema
itself and the schedules, migrations.

Nothing is written to a file that fails a check: a damaged or foreign file, or one from a
newer schema, is reported and left byte for byte as it was. The checks read one snapshot:
``sqlite_master`` once and ``srs_state`` once, so a start-up stays cheap.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import re
import sqlite3
import time
from pathlib import Path

from studyapp.store.errors import (
    CorruptDatabaseError,
    DataDirError,
    NewerSchemaError,
    corrupt_message,
    translate,
)
from studyapp.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

_HEADER = b"SQLite format 3\x00"


def prepare_folder(folder: Path, *, create: bool) -> None:
    """Make sure the data folder exists and can be written.

    Parameters
    ----------
    folder : Path
        The data folder.
    create : bool
        Create it (with parents) when missing: right for the platform's default folder,
        wrong for one the learner named (a typo would start an empty history).

    Raises
    ------
    DataDirError
        Missing (and not to be created), not a folder, or not writable.
    """
    if not folder.exists():
        if not create:
            raise DataDirError(
                f"データフォルダがありません: {folder}。"
                f"作成してから再実行するか (mkdir -p '{folder}')、--data-dir / STUDYAPP_DATA_DIR "
                "で既存のフォルダを指定してください"
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataDirError(
                f"データフォルダを作成できません: {folder} ({exc.strerror or exc})。"
                "--data-dir または STUDYAPP_DATA_DIR で書き込めるフォルダを指定してください"
            ) from None
    if not folder.is_dir():
        raise DataDirError(
            f"データフォルダの場所がフォルダではありません: {folder}。"
            "--data-dir または STUDYAPP_DATA_DIR でフォルダを指定してください"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DataDirError(
            f"データフォルダに書き込めません: {folder}。"
            "書き込み権限を確かめるか、--data-dir で書き込めるフォルダを指定してください"
        )


def check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database before SQLite touches it.

    An empty file is accepted (SQLite starts a new database in it; nothing is lost).

    Raises
    ------
    CorruptDatabaseError
        The file is shorter than an SQLite header or its first bytes are not one.
    DataDirError
        The path is a folder, a FIFO, a device or a socket, or cannot be read.
    """
    if not path.exists():
        return
    if path.is_dir():
        raise DataDirError(f"データベースの場所がフォルダになっています: {path}")
    if not path.is_file():  # a FIFO would block the open for ever; a device is no store
        raise DataDirError(
            f"データベースの場所が通常のファイルではありません (FIFO・デバイスなど): {path}"
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
    except OSError as exc:
        raise DataDirError(
            f"進捗データベースを読めません: {path} ({exc.strerror or exc})"
        ) from None
    if head and not os.access(path, os.W_OK):
        raise DataDirError(
            f"進捗データベースに書き込めません: {path}。"
            "ファイルの書き込み権限を確かめるか、--data-dir で書き込めるフォルダを指定してください"
        )
    if not head:
        return
    if len(head) < 100 or not head.startswith(_HEADER):
        raise CorruptDatabaseError(corrupt_message(path, "file is not a database"))


def connect(path: Path, *, synchronous: str, busy_timeout_ms: int) -> sqlite3.Connection:
    """Open, check and migrate the database at ``path``.

    The connection is in autocommit mode (``isolation_level=None``): the store opens its
    own ``BEGIN IMMEDIATE`` transactions. WAL journal, ``busy_timeout``, foreign keys on.

    Raises
    ------
    StoreError
        Damaged, foreign or newer-schema file, or a folder that cannot be written.
    """
    check_header(path)
    try:
        conn = sqlite3.connect(
            path,
            isolation_level=None,
            check_same_thread=False,
            timeout=busy_timeout_ms / 1000,
        )
    except sqlite3.Error as exc:
        raise (translate(exc, path) or exc) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("BEGIN")  # one snapshot: another process may be migrating this file
        try:
            _check_identity(conn, path)
        except BaseException:
            # An I/O error (a full disk) has already ended the transaction: a COMMIT here
            # would raise "no transaction is active" in place of the real cause.
            _end_quietly(conn)
            raise
        conn.execute("COMMIT")
        mode = _set_wal(conn, busy_timeout_ms)
        if str(mode).lower() != "wal":
            raise DataDirError(
                f"進捗データベースを WAL モードにできません: {path} (journal_mode={mode})"
            )
        conn.execute(f"PRAGMA synchronous = {synchronous.upper()}")
        conn.execute("PRAGMA foreign_keys = ON")
        _ensure_pow(conn)
        migrate(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise (translate(exc, path) or exc) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _set_wal(conn: sqlite3.Connection, busy_timeout_ms: int) -> str:
    """Switch the file to WAL and return the journal mode SQLite reports.

    Copies opening a new file at the same moment may each try the switch; SQLite then
    answers "database is locked" at once, without waiting for ``busy_timeout``, so the
    switch is tried again until that much time has passed (a copy that got there first
    has made the file WAL for good, and the next try only reads that).
    """
    deadline = time.monotonic() + busy_timeout_ms / 1000
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if ("locked" not in text and "busy" not in text) or time.monotonic() >= deadline:
                raise
            time.sleep(0.005)


def _ensure_pow(conn: sqlite3.Connection) -> None:
    """Give SQLite a ``pow`` function where it was built without its math functions."""
    try:
        conn.execute("SELECT pow(2.0, 0.5)").fetchone()
    except sqlite3.OperationalError:
        conn.create_function("pow", 2, math.pow, deterministic=True)


def _end_quietly(conn: sqlite3.Connection) -> None:
    """Roll back what is left of a transaction, keeping the error already on its way."""
    if conn.in_transaction:
        # the connection is closed next; the first error is the one to report
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _foreign(path: Path, detail: str) -> CorruptDatabaseError:
    return CorruptDatabaseError(
        f"{path} は studyapp の進捗データベースではありません ({detail})。"
        "ファイルは変更していません。--data-dir で別のフォルダを指定してください"
    )


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse, before anything is written, a file that is not ours, is newer, or is damaged.

    Damage found here: an impossible ``user_version``, a schema that is not exactly the one
    of its version (:func:`_check_schema`), garbage in a schedule (:func:`_check_schedules`).
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise _foreign(path, f"application_id={app_id}")
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"進捗データベース {path} は新しい studyapp で作られています "
            f"(スキーマ v{version}、このバージョンは v{SCHEMA_VERSION} まで)。"
            "データを守るため開きません: studyapp を更新してください"
        )
    if version < 0:  # never written by any studyapp: MIGRATIONS[-1] would run
        raise CorruptDatabaseError(corrupt_message(
            path, f"impossible schema version: user_version {version}"))
    if _check_schema(conn, path, version, ours=app_id == APPLICATION_ID):
        _check_schedules(conn, path)


def _check_schema(conn: sqlite3.Connection, path: Path, version: int, *, ours: bool) -> bool:
    """Refuse a file whose tables, indexes and triggers are not those of ``version``.

    Returns False for a new, empty file (``migrate`` creates everything), True for a
    file holding exactly the schema of its version. ``ours``: the file has our
    ``application_id`` (so a difference is damage, not another program's file).
    """
    found = {
        name: (kind, table, sql)
        for kind, name, table, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE name NOT LIKE 'sqlite_%'"
        )
    }
    tables = sorted(name for name, (kind, _, _) in found.items() if kind == "table")
    if version == 0:
        if not found:
            return False
        if ours:  # the id is set together with v1: ours, its version lost
            raise CorruptDatabaseError(corrupt_message(
                path, f"user_version 0 with tables {', '.join(tables[:5])}"))
        raise _foreign(path, f"知らないテーブル: {', '.join((tables or sorted(found))[:5])}")
    problems = _schema_problems(found, version)
    if not problems:
        return True
    if not ours:  # another program's file that numbers its schema in user_version too
        unknown = [name for name in tables if name not in expected_schema(version)]
        raise _foreign(path, f"user_version {version}, "
                       + (f"知らないテーブル: {', '.join(unknown[:5])}" if unknown
                          else problems[0]))
    shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more"
                                       if len(problems) > 3 else "")
    raise CorruptDatabaseError(corrupt_message(path, f"schema v{version}: {shown}"))


def _normal(sql: str | None) -> str:
    """``sql`` with its whitespace collapsed (a tool that rewrote a file may reflow it)."""
    return " ".join((sql or "").split()).rstrip(";").rstrip()


@functools.cache
def expected_schema(version: int) -> dict[str, tuple[str, str, str]]:
    """The tables, indexes and triggers a sound file of schema ``version`` holds.

    Read from the migrations' own text: SQLite keeps each ``CREATE`` statement as it was
    written (without its final ``;``), so a sound file holds exactly these.

    Parameters
    ----------
    version : int
        A schema version from 1 to :data:`SCHEMA_VERSION`.

    Returns
    -------
    dict
        ``name -> (type, table, sql)``: ``type`` is ``table``, ``index`` or ``trigger``,
        ``table`` the table it belongs to, ``sql`` the statement without its ``;``.
    """
    out: dict[str, tuple[str, str, str]] = {}
    for script in MIGRATIONS[:version]:
        for statement in _statements(script):
            match = _CREATE.match(statement)
            if match is None:  # a migration that alters or drops: let SQLite apply it
                return _applied_schema(version)
            kind, name = match.group(1).lower(), match.group(2)
            on = _ON.search(statement) if kind in ("index", "trigger") else None
            out[name] = (kind, on.group(1) if on else name, statement.rstrip(";").rstrip())
    return out


def _applied_schema(version: int) -> dict[str, tuple[str, str, str]]:
    """:func:`expected_schema` read from a database in memory migrated to ``version``
    (about a millisecond; the text of the migrations is enough while they only create)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for script in MIGRATIONS[:version]:
            for statement in _statements(script):
                conn.execute(statement)
        return {
            name: (kind, table, sql)
            for kind, name, table, sql in conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master "
                "WHERE name NOT LIKE 'sqlite_%'"
            )
        }
    finally:
        conn.close()


# "CREATE [UNIQUE] kind name", a plain name (no "IF NOT EXISTS", "TEMP", "main.", quotes)
_CREATE = re.compile(r"CREATE\s+(?:UNIQUE\s+)?(TABLE|INDEX|TRIGGER|VIEW)\s+(?!IF\b)(\w+)\b(?!\.)",
                     re.IGNORECASE)
_ON = re.compile(r"\bON\s+(\w+)", re.IGNORECASE)


def _schema_problems(found: dict[str, tuple[str, str, str | None]], version: int) -> list[str]:
    """What differs from the schema of ``version``, in English, most telling first.

    The learner's own tables and views (and their indexes) are left alone; an index or
    trigger added to one of ours is not, since it can make a rating fail half-way.
    """
    expected = expected_schema(version)
    missing, changed, added = [], [], []
    for name, (kind, _table, sql) in expected.items():
        if name not in found:
            missing.append(f"missing {kind} {name}")
        elif found[name][0] != kind or (found[name][2] != sql
                                        and _normal(found[name][2]) != _normal(sql)):
            changed.append(f"{kind} {name} is defined differently")
    ours = {name for name, (kind, _, _) in expected.items() if kind == "table"}
    for name, (kind, table, _sql) in sorted(found.items()):
        if name not in expected and kind in ("index", "trigger") and table in ours:
            added.append(f"unknown {kind} {name} on {table}")
    return missing + changed + added


# The columns a schedule is computed from, and the storage class each must have: SQLite
# keeps any value in any column, and text in a time would stop the app with a TypeError the
# first time that card is shown. One pass over srs_state (one row per studied item).
_SCHEDULE_TYPES = {
    "state": ("integer",), "step": ("integer", "null"), "stability": ("real",),
    "difficulty": ("real",), "due": ("integer",), "last_review": ("integer",),
    "reps": ("integer",), "lapses": ("integer",), "review_id": ("integer",),
}
_BAD_SCHEDULE = (
    "SELECT item_id, " + ", ".join(f"typeof({column})" for column in _SCHEDULE_TYPES)
    + " FROM srs_state WHERE NOT ("
    + " AND ".join(f"typeof({column}) IN ({', '.join(repr(t) for t in types)})"
                   for column, types in _SCHEDULE_TYPES.items())
    + " AND stability > 0) LIMIT 1"
)


def _check_schedules(conn: sqlite3.Connection, path: Path) -> None:
    row = conn.execute(_BAD_SCHEDULE).fetchone()
    if row is None:
        return
    item_id, *types = row
    found = conn.execute("SELECT kind, deck, item FROM items WHERE id = ?",
                         (item_id,)).fetchone()
    if found is None:
        where = f"item id {item_id}"
    else:
        kind, deck, item = found
        where = f"{kind} {deck}/{item}" if deck else f"{kind} {item}"
    bad = [f"{column} is {kind}" for (column, allowed), kind
           in zip(_SCHEDULE_TYPES.items(), types, strict=True) if kind not in allowed]
    raise CorruptDatabaseError(corrupt_message(
        path, f"the schedule of {where}: {', '.join(bad) or 'stability is not positive'}"))


def _statements(script: str) -> list[str]:
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the schema to :data:`SCHEMA_VERSION`, one migration per transaction.

    The version is re-read inside each ``BEGIN IMMEDIATE`` transaction, so two processes
    opening a fresh file together apply each migration once.

    Returns
    -------
    int
        The schema version after migrating.
    """
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise NewerSchemaError(
                    f"進捗データベース {path} は新しい studyapp で作られています "
                    f"(スキーマ v{version}、このバージョンは v{SCHEMA_VERSION} まで)。"
                    "studyapp を更新してください"
                )
            if version < 0:  # set by another program since the check at open
                raise CorruptDatabaseError(corrupt_message(path, f"user_version {version}"))
            if version == SCHEMA_VERSION:
                conn.execute("COMMIT")
                return version
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


