"""Opening the SQLite file safely: folder checks, header check, schema version, migrations.

Nothing is written to a file that fails a check: a damaged or foreign file, or one from a
newer schema, is reported and left byte for byte as it was.
"""

from __future__ import annotations

import math
import os
import sqlite3
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
        The path is a folder or cannot be read.
    """
    if not path.exists():
        return
    if path.is_dir():
        raise DataDirError(f"データベースの場所がフォルダになっています: {path}")
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
        finally:
            conn.execute("COMMIT")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
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


def _ensure_pow(conn: sqlite3.Connection) -> None:
    """Give SQLite a ``pow`` function where it was built without its math functions."""
    try:
        conn.execute("SELECT pow(2.0, 0.5)").fetchone()
    except sqlite3.OperationalError:
        conn.create_function("pow", 2, math.pow, deterministic=True)


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise CorruptDatabaseError(
            f"{path} は studyapp の進捗データベースではありません (application_id={app_id})。"
            "ファイルは変更していません。--data-dir で別のフォルダを指定してください"
        )
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"進捗データベース {path} は新しい studyapp で作られています "
            f"(スキーマ v{version}、このバージョンは v{SCHEMA_VERSION} まで)。"
            "データを守るため開きません: studyapp を更新してください"
        )
    if version == 0:
        names = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        }
        if names:
            raise CorruptDatabaseError(
                f"{path} は studyapp の進捗データベースではありません "
                f"(知らないテーブル: {', '.join(sorted(names)[:5])})。"
                "ファイルは変更していません。--data-dir で別のフォルダを指定してください"
            )


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


