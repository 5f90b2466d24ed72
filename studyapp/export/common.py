"""What both exporters share: the right answer as text, option notes, and safe writing."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
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
        temp, fd = _create_temp(target)
    except OSError as exc:
        raise UserError(f"{what}: cannot write {out}: {os_reason(exc)}") from None
    try:
        try:
            _keep_mode(fd, target)
        finally:
            os.close(fd)
        write(temp)
        os.replace(temp, target)
    except OSError as exc:
        raise UserError(f"{what}: cannot write {out}: {os_reason(exc)}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


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


def _create_temp(target: Path) -> tuple[Path, int]:
    """A new empty file beside ``target``, open for writing: its path and descriptor.

    Made with mode 0666, which the kernel narrows by the umask (and a default ACL) as for
    any new file; ``tempfile.mkstemp`` would make it 0600 whatever the umask says.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(target.parent))


def _keep_mode(fd: int, target: Path) -> None:
    """Give the new file ``target``'s owner and mode when ``target`` exists."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return  # a new file: the umask's mode stands
    # the owner first (a change of owner clears set-id bits); only root, or an owner
    # keeping a group of theirs, may do it, and the file is no less theirs without it
    with contextlib.suppress(PermissionError):
        os.fchown(fd, info.st_uid, info.st_gid)
    os.fchmod(fd, stat.S_IMODE(info.st_mode))


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
