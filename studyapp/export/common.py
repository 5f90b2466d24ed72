"""What both exporters share: the right answer as text, option notes, and safe writing."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from studyapp.content import Question
from studyapp.content.answers import (  # re-exported: the exporters' names
    FALSE_TEXT,
    TRUE_TEXT,
    OptionNote,
    answer_text,
    option_notes,
    right_options,
)
from studyapp.errors import UserError, os_reason
from studyapp.files import replace_file


def misconception_notes(question: Question) -> list[tuple[str, str]]:
    """A numeric question's named wrong answers as ``(value as shown, why)``."""
    notes = []
    for misconception in question.misconceptions:
        value = misconception.resolved()
        if isinstance(value, tuple):
            shown = "[" + ", ".join(question.format_number(v) for v in value) + "]"
        else:
            shown = question.format_number(value)
        notes.append((shown, misconception.why))
    return notes


def write_atomic(out: Path, write: Callable[[Path], None], what: str) -> None:
    """Write a file through a temporary one beside it, then rename it over the file.

    A reader never sees a half-written file, and a failure leaves the file as it was. A
    symlink stays a link: the file it leads to is the one replaced, by a temporary file
    made in *that* file's folder, so the rename is still atomic. The file gets the mode a
    shell's ``>`` would give it: an existing file keeps its mode (and owner, where the
    system allows), a new one gets 0666 less the umask.

    Parameters
    ----------
    out : Path
        The file to create or replace, or a symlink to it.
    write : callable
        Called with the temporary path; writes the whole file there (opening it for
        writing keeps the mode it was made with).
    what : str
        The command, for messages (``"export anki"``).

    Raises
    ------
    UserError
        When ``out`` is not a file that can be replaced (see :func:`check_output_path`)
        or cannot be written.
    """
    target = check_output_path(out, what)
    try:
        replace_file(target, lambda temp: write(Path(temp)))
    except OSError as exc:
        raise UserError(f"{what}: cannot write {out}: {os_reason(exc)}") from None


def check_output_path(out: Path, what: str) -> Path:
    """The regular file an export of ``out`` writes: ``out``, or where its links lead.

    Refuses a folder, a FIFO, a device or a socket (replacing one would break whatever
    uses it; as root, ``/dev/null`` itself), a link loop, and a path in a missing folder.

    Parameters
    ----------
    out : Path
        The path the learner gave.
    what : str
        The command, for messages.

    Returns
    -------
    Path
        The file to replace (it may not exist yet), with every symlink resolved.

    Raises
    ------
    UserError
    """
    target = Path(os.path.realpath(out))
    linked = out.is_symlink() and target != Path(os.path.abspath(out))
    shown = f"{out} (a link to {target})" if linked else f"{out}"
    try:
        info = target.stat()
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as exc:  # a link loop, a folder that may not be searched
        raise UserError(f"{what}: cannot write {shown}: {os_reason(exc)}") from None
    if info is None:
        parent = target.parent if linked else out.parent
        if not parent.exists():
            raise UserError(f"{what}: cannot write {out}: folder {parent} does not exist")
        if not parent.is_dir():
            raise UserError(f"{what}: cannot write {out}: {parent} is not a folder")
        return target
    if stat.S_ISDIR(info.st_mode):
        if not linked:
            raise UserError(f"{what}: {out} is a folder; give a file name")
        raise UserError(f"{what}: cannot write {shown}: it is a folder; give a file name")
    if not stat.S_ISREG(info.st_mode):
        raise UserError(f"{what}: cannot write {shown}: it is {_kind(info.st_mode)}, "
                        "not a regular file")
    return target


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


__all__ = [
    "FALSE_TEXT",
    "TRUE_TEXT",
    "OptionNote",
    "answer_text",
    "check_output_path",
    "misconception_notes",
    "option_notes",
    "right_options",
    "write_atomic",
]
