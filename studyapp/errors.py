"""Errors a user can cause. The command line turns each into one line on stderr."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix: bad flag value, missing file, corrupt database, ...

    ``exit_code`` is the process exit status the command line uses for it.
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
