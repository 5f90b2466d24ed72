"""Reading a file without trusting it, and replacing one at once: the one copy of each
that the exporters, the importers, ``settings.json``, ``studyapp check`` and its
graded-case cache use.

* :func:`read_limited` opens without waiting (opening a FIFO for reading waits for a
  writer for ever), looks at what was opened (not at the path, which may change in
  between) and reads no further than a byte limit, so even ``/dev/zero`` ends.
* :func:`replace_file` writes a temporary file beside the target and renames it over the
  target: a reader never sees half a file, a failure leaves the old one.

Both raise ``OSError``; each caller turns it into its own message, in its own language.
Only ``os``, ``stat`` and ``errno`` are imported at the top: ``studyapp check`` uses this
on its fast path, and ``content``/``store`` may import it (no Textual).
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeAlias

    StrPath: TypeAlias = "str | os.PathLike[str]"


class NotRegularFile(OSError):
    """The path is a FIFO, a socket or a device, not a regular file.

    ``kind`` is ``"fifo"`` (a FIFO or a socket: reading waits for a writer) or
    ``"device"``.
    """

    def __init__(self, path: StrPath, kind: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({kind})", os.fspath(path))
        self.kind = kind


class TooLarge(OSError):
    """The file holds more than ``limit`` bytes."""

    def __init__(self, path: StrPath, limit: int) -> None:
        super().__init__(errno.EFBIG, f"larger than {limit} bytes", os.fspath(path))
        self.limit = limit


def read_limited(path: StrPath, max_bytes: int, *, devices: bool = False,
                 head: bool = False) -> bytes:
    """The bytes of ``path``, no more than ``max_bytes``.

    Parameters
    ----------
    path : str or PathLike
    max_bytes : int
    devices : bool
        Read a character or block device too (up to the limit: ``/dev/zero`` then is
        :class:`TooLarge`); by default a device is :class:`NotRegularFile`.
    head : bool
        Return the first ``max_bytes`` bytes of a larger file instead of raising
        :class:`TooLarge`.

    Raises
    ------
    FileNotFoundError
    IsADirectoryError
        A folder.
    NotRegularFile
        A FIFO or a socket (always), or a device (unless ``devices``).
    TooLarge
        More than ``max_bytes`` bytes (unless ``head``).
    OSError
        Any other failure to open or read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            raise NotRegularFile(path, "fifo")
        if not stat.S_ISREG(mode) and not devices:
            raise NotRegularFile(path, "device")
        chunks = []
        left = max_bytes if head else max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise TooLarge(path, max_bytes)
    return data


def replace_file(target: StrPath, write: Callable[[str], None] | bytes, *,
                 sync: bool = False) -> None:
    """Replace ``target`` at once: a new file beside it, written, then renamed over it.

    The new file gets the mode a shell's ``>`` would give: an existing file keeps its mode
    (and owner, where the system allows), a new one gets 0666 less the umask.

    Parameters
    ----------
    target : str or PathLike
        The file to create or replace, every symlink already resolved (the caller decides
        what a link, a folder or a FIFO at the path means).
    write : callable or bytes
        The whole new content, or a function called with the temporary file's path that
        writes it there (opening that path for writing keeps its mode).
    sync : bool
        Flush the file and the rename to disk before returning (a file that must survive
        a power cut: settings, a cache).

    Raises
    ------
    OSError
        The file cannot be written (nothing is changed; no temporary file is left).
    """
    target = os.fspath(target)
    temp, fd = _create_temp(target)
    try:
        try:
            _keep_mode(fd, target)
            if isinstance(write, bytes):
                view = memoryview(write)
                while view:
                    view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        if not isinstance(write, bytes):
            write(temp)
        if sync:
            _sync(temp)
        os.replace(temp, target)
    finally:
        try:  # noqa: SIM105 - no contextlib import on the check's fast path
            os.unlink(temp)
        except FileNotFoundError:
            pass
    if sync:
        try:  # noqa: SIM105 - where the system allows opening a folder
            _sync(os.path.dirname(target) or ".")
        except OSError:
            pass


def _create_temp(target: str) -> tuple[str, int]:
    """A new empty file beside ``target``, open for writing: its path and descriptor.

    Made with mode 0666, which the kernel narrows by the umask (and a default ACL) as for
    any new file; ``tempfile.mkstemp`` would make it 0600 whatever the umask says.
    """
    import secrets

    folder, name = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", folder or ".")


def _keep_mode(fd: int, target: str) -> None:
    """Give the new file ``target``'s owner and mode when ``target`` exists."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return  # a new file: the umask's mode stands
    # the owner first (a change of owner clears set-id bits); only root, or an owner
    # keeping a group of theirs, may do it, and the file is no less theirs without it
    try:  # noqa: SIM105 - no contextlib import on the check's fast path
        os.fchown(fd, info.st_uid, info.st_gid)
    except PermissionError:
        pass
    os.fchmod(fd, stat.S_IMODE(info.st_mode))


def _sync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
