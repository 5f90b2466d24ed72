"""Printing a command's result: all of it, or one line saying why not.

Every command prints through :func:`write_stdout`. It writes UTF-8 bytes straight to the
file descriptor and loops until the kernel has taken every one: ``sys.stdout.buffer``
drops the rest of a short write without a word when Python runs unbuffered
(``PYTHONUNBUFFERED``), so a worksheet on a nearly full disk would end early with exit 0.
A standard output that cannot be written (a full disk, ``>&-``, a descriptor opened for
reading) becomes :class:`StdoutError`, one line and exit 1; a reader that has gone
(``| head``) stays a ``BrokenPipeError``, which the command line ends quietly.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from studyapp.errors import UserError, os_reason


class StdoutError(UserError):
    """Standard output cannot be written; the message names why (exit 1)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"cannot write to standard output: {reason}", 1)


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output as UTF-8, every byte, whatever the locale says.

    The bytes never depend on the terminal (a worksheet or JSON piped to a file is the
    same everywhere), and what earlier ``print`` calls left in ``sys.stdout`` goes first.

    Parameters
    ----------
    text : str

    Raises
    ------
    StdoutError
        Standard output is closed or a write fails (full disk, file size limit, ...).
    BrokenPipeError
        The reader has gone.
    """
    stream = sys.stdout
    if stream is None:  # started with ``>&-``: Python has no stdout at all
        raise StdoutError("it is closed")
    flush_stdout()
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        # a stream with no descriptor (a test's capture): it keeps every byte it is given
        _write_stream(stream, text)
        return
    _write_all(fd, text.encode("utf-8"))


def write_report(data: dict[str, Any], render: Callable[[dict[str, Any]], str],
                 as_json: bool) -> None:
    """Print a command's collected ``data``: one JSON object (``--json``) or ``render``'s
    text for a reader, each ending in a newline."""
    text = json.dumps(data, ensure_ascii=False) if as_json else render(data)
    write_stdout(text + "\n")


def flush_stdout() -> None:
    """Flush ``sys.stdout`` (what ``print`` buffered), turning its errors into one line.

    Raises
    ------
    StdoutError
    BrokenPipeError
    """
    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise StdoutError(os_reason(exc)) from None


def silence_stdout() -> None:
    """Point standard output at the null device after it failed.

    Python flushes ``sys.stdout`` once more as it exits; bytes still buffered there would
    fail again and print "Exception ignored …" under the one line already given.
    """
    stream = sys.stdout
    if stream is None:
        return
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return  # no descriptor (a test's capture): nothing the exit could fail on
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return  # out of descriptors: the exit's complaint is the lesser harm
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def _write_all(fd: int, data: bytes) -> None:
    """``os.write`` until every byte is taken; a short write is followed by the next."""
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise StdoutError(os_reason(exc)) from None
        if written == 0:  # a device that takes nothing would loop forever
            raise StdoutError("the device took no bytes")
        view = view[written:]


def _write_stream(stream: io.TextIOBase, text: str) -> None:
    buffer = getattr(stream, "buffer", None)
    try:
        if buffer is None:
            stream.write(text)
            stream.flush()
        else:
            buffer.write(text.encode("utf-8"))
            buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise StdoutError(os_reason(exc)) from None
