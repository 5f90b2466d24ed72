"""Errors of the progress store, each a :class:`~studyapp.errors.UserError` with one clear line.

The messages are shown to a learner (Japanese, with the file path and what to do). None of
them is raised after anything was written to a damaged file: the store stops at the first
sign of damage and leaves the file exactly as it found it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from studyapp.errors import UserError


class StoreError(UserError):
    """Base class of every error the progress store raises for a learner to read."""


class DataDirError(StoreError):
    """The data folder is missing, is not a folder, or cannot be written."""


class CorruptDatabaseError(StoreError):
    """The database file is damaged or is not a studyapp database; it is left untouched."""


class NewerSchemaError(StoreError):
    """The database was written by a newer studyapp; this version refuses to touch it."""


def corrupt_message(path: Path, detail: str) -> str:
    """The one-line message for a damaged database file.

    Parameters
    ----------
    path : Path
        The database file.
    detail : str
        What SQLite (or the header check) reported, in English.

    Returns
    -------
    str
        A Japanese message naming the file and the ways to recover.
    """
    return (
        f"進捗データベースが壊れています: {path} ({detail})。"
        "ファイルは変更せずに残してあります。"
        f"復旧するには、このファイルを別の名前に移して (例: mv '{path}' '{path}.broken') "
        "再実行すると新しいデータベースで始まります。"
        f"古い記録は sqlite3 '{path}.broken' '.recover' で取り出せることがあります"
    )


def translate(exc: sqlite3.Error, path: Path) -> StoreError | None:
    """Map an SQLite error a learner can meet to a :class:`StoreError`, or ``None``.

    ``None`` means the error is a programming error (bad SQL, a constraint the code
    should never break) and must propagate as it is.

    Parameters
    ----------
    exc : sqlite3.Error
        The error raised by ``sqlite3``.
    path : Path
        The database file, named in the message.

    Returns
    -------
    StoreError or None
    """
    text = str(exc)
    low = text.lower()
    if isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in low or "not a database" in low or "encrypted" in low
    ):
        return CorruptDatabaseError(corrupt_message(path, text))
    if "readonly" in low or "read-only" in low or "unable to open" in low:
        return DataDirError(
            f"進捗データベースに書き込めません: {path} ({text})。"
            "フォルダとファイルの書き込み権限を確かめるか、"
            "--data-dir で書き込めるフォルダを指定してください"
        )
    if "disk is full" in low or "disk i/o error" in low:
        # when the store opens as well as on a write: SQLite writes beside the file (its
        # -wal and -shm) just to read it. A failed write is rolled back whole.
        return StoreError(
            f"進捗データベースを読み書きできません: {path} ({text})。"
            "ディスクの空き容量と状態を確かめてください。これまでの記録はファイルに残っています"
        )
    if "locked" in low or "busy" in low:
        return StoreError(
            f"進捗データベースが他のプロセスに使われたままです: {path} ({text})。"
            "もう一方の studyapp を終了してから再実行してください"
        )
    return None
