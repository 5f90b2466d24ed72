"""``studyapp check ID FILE [--watch]``: grade a learner's file against exercise ID.

The file runs in the sandbox (``studyapp/exercises/sandbox.py``: a separate, limited
process that cannot write files, start processes or open sockets) and its outputs are
compared with the engine's. Exit 0 and ``OK: N/N cases`` when every case passes; exit 1
with the first failing case (inputs, expected, got, the mistake when it is a known one)
or the reason the code was stopped (時間切れ, メモリ上限, 禁止された操作 …); exit 2 for an
unknown exercise or a missing file. ``--watch`` checks again whenever the file is saved
(Ctrl+C stops).

A check should cost about one ``python -c "import numpy"``, so the order matters:

1. the sandboxed child is started first — before the command line is even parsed
   (:func:`start_early`, with nothing but ``os``) — so its interpreter and numpy start
   while this process does the rest;
2. this process never imports numpy or the engine: the graded cases (the engine's
   expected outputs) come from the cache in the data folder (``graded.load``; the engine
   computes them only when the cache is missing, stale or damaged) and are compared in
   pure Python;
3. the progress store opens in a thread meanwhile; the check is recorded (code, result,
   cases passed, as the app records it) after the verdict is printed. When the store
   cannot be used the verdict stands and one warning line goes to stderr.
"""

from __future__ import annotations

import sys
import time

from studyapp.errors import UserError, os_reason

# this module is imported before the child starts: nothing heavier than ``sys`` here
TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing)
if TYPE_CHECKING:
    import argparse
    from pathlib import Path
    from typing import Any

    from studyapp.exercises.graded import GradedCase
    from studyapp.exercises.grading import Report
    from studyapp.exercises.model import Exercise
    from studyapp.exercises.sandbox import Pending
    from studyapp.exercises.spawn import Child

EXIT_USAGE = 2
#: The largest file a check reads (an answer is a few dozen lines; every check keeps its
#: code in the progress database, every save under --watch too)
MAX_SOURCE_BYTES = 256 * 1024
#: how often --watch looks at the file (seconds)
POLL_S = 0.3

#: the child :func:`start_early` started, until :func:`run` takes it
_early: Child | None = None


def start_early() -> None:
    """Start the sandbox's child now, before the command line is parsed (``cli.main``
    calls this when the command is ``check``): its interpreter and numpy start while the
    rest of this process starts. Only ``os`` is needed for it (``spawn.py``)."""
    global _early
    if _early is not None:
        return
    from studyapp.exercises import spawn

    try:
        _early = spawn.spawn()
    except OSError:
        _early = None  # run() starts one itself and reports what fails


def discard_early() -> None:
    """Stop a child :func:`start_early` started that no check took (a usage error)."""
    global _early
    child, _early = _early, None
    if child is not None:
        from studyapp.exercises import sandbox

        sandbox.adopt(child).cancel()


def run(args: argparse.Namespace) -> int:
    from studyapp.commands._output import flush_stdout, write_stdout

    global _early
    child, _early = _early, None
    if child is None:  # not started by cli.main (run called directly)
        from studyapp.exercises import spawn

        child = spawn.spawn()
    folder = _data_folder(args.data_dir)
    # the store opens in a thread from now on: its imports overlap the child's numpy start
    recorder = _Recorder(args.data_dir)
    recorder.start()
    try:
        # the fast path: the job goes out while the child still imports numpy
        sent = _send_from_cache(child, args.id, args.file, folder)
    except BaseException:
        _cancel(child)
        recorder.close()
        raise
    from studyapp.exercises import sandbox

    pending: Pending | None = sandbox.adopt(child)
    assert pending is not None
    try:
        try:
            exercise, path = _resolve(args)
        except BaseException:
            pending.cancel()
            raise
        if not args.watch:
            return _check_once(exercise, path, folder, recorder, pending, sent)
        last = None
        while True:
            stamp = _stamp(path)
            if stamp != last:
                last = stamp
                if stamp is not None:
                    write_stdout(f"--- {time.strftime('%H:%M:%S')} {path.name} ---\n")
                    _check_once(exercise, path, folder, recorder, pending, sent)
                    pending, sent = None, None
                    write_stdout("（保存すると再採点します。Ctrl+C で終了）\n")
                    flush_stdout()
            time.sleep(POLL_S)
    finally:
        if pending is not None:
            pending.cancel()
        recorder.close()


def _data_folder(arg: str | None) -> str | None:
    """The data folder as ``paths.data_dir`` names it (``platformdirs`` is imported only
    when neither ``--data-dir`` nor ``$STUDYAPP_DATA_DIR`` names it); ``None`` if it
    cannot be named."""
    try:
        from studyapp.paths import data_dir

        return str(data_dir(arg))
    except Exception:  # no data folder: the cases are computed, not cached
        return None


def _send_from_cache(child: Child, exercise_id: str, file: str,
                     folder: str | None) -> tuple[str, list[GradedCase]] | None:
    """Send the job when the cache holds the exercise's cases and the file reads (the
    source and the cases sent), else nothing (``None``: the usual path checks the id and
    the file, and says what is wrong)."""
    if folder is None:
        return None
    from studyapp.exercises import graded, spawn

    cases = graded.read_cached(exercise_id, folder)
    if cases is None:
        return None
    from studyapp.files import read_limited

    try:  # never waits (a FIFO) nor reads past the limit (/dev/zero): _resolve says why
        source = read_limited(file, MAX_SOURCE_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    import os

    child.send(spawn.encode_job(source, os.path.basename(file),
                                [{"steps": c.steps} for c in cases]))
    return source, cases


def _cancel(child: Child) -> None:
    from studyapp.exercises import sandbox

    sandbox.adopt(child).cancel()


def _resolve(args: argparse.Namespace) -> tuple[Exercise, Path]:
    from pathlib import Path

    from studyapp.exercises.catalog import get

    exercise = get(args.id)
    if exercise is None:
        from studyapp.commands.exercise import unknown

        raise unknown(args.id)
    path = Path(args.file)
    if not path.is_file():
        state = "is not a file" if path.exists() else "not found"
        raise UserError(f"check: {state}: {args.file}", EXIT_USAGE)
    return exercise, path


def _read_source(path: Path) -> str:
    """The learner's file as text, read no further than :data:`MAX_SOURCE_BYTES`.

    Raises
    ------
    UserError
        (exit 2) A file that is missing, not a regular file (a folder, a FIFO, a device),
        larger than the limit, or unreadable.
    """
    from studyapp.files import NotRegularFile, TooLarge, read_limited

    try:
        data = read_limited(path, MAX_SOURCE_BYTES)
    except FileNotFoundError:
        raise UserError(f"check: not found: {path}", EXIT_USAGE) from None
    except (IsADirectoryError, NotRegularFile):
        raise UserError(f"check: is not a file: {path}", EXIT_USAGE) from None
    except TooLarge:
        raise UserError(f"check: {path} is larger than {MAX_SOURCE_BYTES // 1024} KiB; an "
                        "exercise's answer is a few dozen lines", EXIT_USAGE) from None
    except OSError as exc:
        raise UserError(f"check: cannot read {path}: {os_reason(exc)}", EXIT_USAGE) from None
    return data.decode("utf-8", errors="replace")


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _check_once(exercise: Exercise, path: Path, folder: str | None, recorder: _Recorder,
                pending: Pending | None,
                sent: tuple[str, list[GradedCase]] | None = None) -> int:
    """One check: grade, print the verdict, then record it.

    ``sent`` is the source and cases of a job :func:`_send_from_cache` already sent to
    ``pending``'s child; otherwise the file is read and the cases loaded here.
    """
    from studyapp.commands._output import flush_stdout, write_stdout
    from studyapp.exercises import graded, sandbox
    from studyapp.exercises.grading import describe, grade

    if sent is not None and not graded.fits(exercise, sent[1]):
        pending.cancel()  # type: ignore[union-attr]  # cases of another catalog: redo
        pending, sent = None, None
    pending = pending or sandbox.start()
    cache_warning = None
    try:
        if sent is None:
            source = _read_source(path)
            cases, cache_warning = graded.load(exercise, folder)
            pending.submit(source, path.name, [{"steps": c.steps} for c in cases])
        else:
            source, cases = sent
    except BaseException:
        pending.cancel()
        raise
    recorder.start()  # (started already by run)
    report = grade(exercise, pending.finish(), cases)
    hint = None
    if not report.ok and (report.failure is None or report.failure.mistake is None):
        hint = f"studyapp exercise {report.exercise.id} --hint 1 で段階的に表示します"
    write_stdout("\n".join(describe(report, hint)) + "\n")
    flush_stdout()  # the verdict first; keeping it comes after
    if cache_warning:
        _warn(cache_warning)
    recorder.record(exercise.id, source, report)
    return 0 if report.ok else 1


def _warn(message: str) -> None:
    print(f"studyapp: warning: {message}", file=sys.stderr, flush=True)


class _Recorder:
    """Opens the progress store in a thread (while the check runs) and records checks.

    The store is only a record: when it cannot be opened or written (locked, damaged, a
    data folder that does not exist) the check's verdict stands and one warning line is
    printed, once.
    """

    def __init__(self, data_dir_arg: str | None) -> None:
        import threading

        self._data_dir_arg = data_dir_arg
        self._store: Any = None
        self._error = ""
        self._warned = False
        self._thread = threading.Thread(target=self._open, name="studyapp-check-store",
                                        daemon=True)

    def start(self) -> None:
        """Open the store in the thread (once; after the job is sent, so it never holds
        the job up)."""
        if self._thread.ident is None:
            self._thread.start()

    def _open(self) -> None:
        try:  # no settings.json: a check's record uses none of the scheduling settings
            from studyapp.store import open_store

            self._store = open_store(self._data_dir_arg)
        except UserError as exc:
            self._error = exc.message
        except Exception as exc:  # the check must not fail on its record
            self._error = f"{type(exc).__name__}: {exc}"

    def record(self, exercise_id: str, code: str, report: Report) -> None:
        """Keep one check as the app keeps it (committed on return)."""
        self.start()
        self._thread.join()
        if self._store is not None:
            try:
                self._store.record_exercise_check(
                    exercise_id, code=code, result=report.to_json(), passed=report.passed,
                    total=report.total)
                return
            except UserError as exc:
                self._error = exc.message
            except Exception as exc:
                self._error = f"{type(exc).__name__}: {exc}"
        if not self._warned:
            self._warned = True
            _warn(f"the check was not recorded: {self._error}")

    def close(self) -> None:
        if self._thread.ident is not None:
            self._thread.join()
        if self._store is not None:
            try:  # noqa: SIM105 - no contextlib import on the check's fast path
                self._store.close()
            except Exception:  # closing a record never fails a check
                pass
