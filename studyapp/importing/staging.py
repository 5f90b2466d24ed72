"""Where an import writes a deck before it is complete: a hidden folder beside its target.

Both importers (``import tsv``, ``import notes``) write the new deck into a hidden folder
in the content folder, validate it there, and rename it into place, so a failed import
leaves nothing behind (not even the content folder, when the import created it).
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from studyapp.errors import UserError, os_reason

#: The ``card 'x': `` / ``question #3: `` start of a validator message about one item.
ITEM_PREFIX = re.compile(r"(?:card|question) (?:'[^']*'|#\d+): ")


@contextlib.contextmanager
def staged_deck(content_root: Path, name: str, target: Path) -> Iterator[Path]:
    """A new hidden folder in ``content_root`` to write the deck ``name`` into.

    The caller fills it and renames it to ``target``. Whatever happens, the folder is
    gone afterwards, and so is ``content_root`` when this created it and ``target`` did
    not come to be. An ``OSError`` inside becomes one :class:`UserError` line.
    """
    created_root = not content_root.exists()
    try:
        content_root.mkdir(parents=True, exist_ok=True)
        temp = make_temp(content_root, name)
    except OSError as exc:
        remove_if_created(content_root, created_root)
        raise UserError(f"import: cannot write in {content_root}: {os_reason(exc)}") from None
    try:
        yield temp
    except OSError as exc:
        raise UserError(f"import: cannot write {target}: {os_reason(exc)}") from None
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
        if not target.exists():
            remove_if_created(content_root, created_root)


def make_temp(content_root: Path, name: str) -> Path:
    """A new hidden folder in ``content_root`` for the deck being written.

    Made with ``mkdir``, so it gets the mode the umask gives (``tempfile.mkdtemp`` would
    make it private, 0700, and the rename would keep that).
    """
    while True:
        temp = content_root / f".{name}.import-{secrets.token_hex(4)}"
        try:
            temp.mkdir()
        except FileExistsError:
            continue
        return temp


def remove_if_created(folder: Path, created: bool) -> None:
    """Remove the content folder this import created, once it is empty again."""
    if created:
        with contextlib.suppress(OSError):
            folder.rmdir()
