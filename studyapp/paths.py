"""Where the bundled decks and the learner's progress live."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "studyapp"
DATA_DIR_ENV = "STUDYAPP_DATA_DIR"
DB_FILENAME = "progress.sqlite3"
USER_DECKS = "decks"


def bundled_content_dir() -> Path:
    """The decks shipped with the package.

    In a wheel they are installed as ``studyapp/_decks``; in a source checkout (or an
    editable install) they are the repository's top-level ``content/`` folder.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "_decks"
    if packaged.is_dir():
        return packaged
    return here.parent / "content"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder of the progress database.

    ``--data-dir`` wins, then ``$STUDYAPP_DATA_DIR``, then the platform's user data dir.
    """
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def data_dir_is_named(override: str | os.PathLike[str] | None = None) -> bool:
    """Whether the learner named the data folder (``--data-dir`` or ``$STUDYAPP_DATA_DIR``).

    A named folder is used as it is and never created: a typo in the name would otherwise
    start a new, empty history beside the real one. Only the platform's default folder is
    created on first use.
    """
    return bool(override) or bool(os.environ.get(DATA_DIR_ENV))


def user_decks_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """``decks/`` in the data folder: where ``studyapp import`` puts the learner's own decks
    when no ``--content`` is given. The app studies them beside the bundled decks."""
    return data_dir(override) / USER_DECKS


def content_roots(
    content: str | os.PathLike[str] | None = None,
    data_dir_override: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """The content folders a command reads: ``--content`` alone when given; otherwise the
    bundled decks, then the learner's imported decks (``user_decks_dir``) if there are any."""
    if content:
        return [Path(content).expanduser()]
    roots = [bundled_content_dir()]
    user = user_decks_dir(data_dir_override)
    if user.is_dir() and any((p / "deck.yaml").is_file() for p in user.iterdir()):
        roots.append(user)
    return roots


def database_path(override: str | os.PathLike[str] | None = None) -> Path:
    """``progress.sqlite3`` inside :func:`data_dir`."""
    return data_dir(override) / DB_FILENAME
