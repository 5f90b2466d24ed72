"""Reading a file the learner names (or one in the data folder) without trusting it.

:func:`read_limited` opens without waiting (opening a FIFO for reading waits for a writer
for ever), looks at what was opened (not at the path, which may change in between) and
reads no further than a byte limit, so even ``/dev/zero`` ends. It raises; each caller
turns the exception into its own message, in its own language.

Only ``os``, ``stat`` and ``errno`` are imported: ``studyapp check`` uses this on its fast
path, and ``content``/``store`` may import it (no Textual).
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing)
if TYPE_CHECKING:
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
