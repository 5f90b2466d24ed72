"""Printing a command's result."""

from __future__ import annotations

import sys


def write_stdout(text: str) -> None:
    """Write ``text`` as UTF-8 whatever the locale says, so the bytes never depend on the
    terminal (a worksheet or JSON piped to a file is the same everywhere)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()
