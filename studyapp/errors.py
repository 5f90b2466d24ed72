"""Errors a user can cause. The command line turns each into one line on stderr."""

from __future__ import annotations

import errno


class UserError(Exception):
    """A problem the user can fix: bad flag value, missing file, corrupt database, ...

    ``exit_code`` is the process exit status the command line uses for it.
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


#: the words for the errors a learner meets, the same on every system (macOS says "disc
#: quota exceeded"); the others are the system's own, in lowercase
_REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EFBIG: "file too large",
    errno.EBADF: "bad file descriptor",
    errno.EDQUOT: "disk quota exceeded",
    errno.EIO: "input/output error",
}


def os_reason(exc: OSError) -> str:
    """Why an operation failed, in a few lowercase words for the end of a one-line message.

    Parameters
    ----------
    exc : OSError

    Returns
    -------
    str
        ``"no space left on device"``, ``"permission denied"``, ...; the exception's type
        name when the system gave no words.
    """
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return exc.strerror.lower() if exc.strerror else type(exc).__name__
