"""``studyapp check ID FILE [--watch]``: grade a learner's file against exercise ID.

The file runs in the sandbox (``studyapp/exercises/sandbox.py``: a separate, limited
process that cannot write files, start processes or open sockets) and its outputs are
compared with the engine's. Exit 0 and ``OK: N/N cases`` when every case passes; exit 1
with the first failing case (inputs, expected, got, the mistake when it is a known one)
or the reason the code was stopped (時間切れ, メモリ上限, 禁止された操作 …); exit 2 for an
unknown exercise or a missing file. ``--watch`` checks again whenever the file is saved
(Ctrl+C stops).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from studyapp.commands._output import flush_stdout, write_stdout
from studyapp.errors import UserError, os_reason

EXIT_USAGE = 2
#: how often --watch looks at the file (seconds)
POLL_S = 0.3


def run(args: argparse.Namespace) -> int:
    from studyapp.commands.exercise import unknown
    from studyapp.exercises.catalog import get

    exercise = get(args.id)
    if exercise is None:
        raise unknown(args.id)
    path = Path(args.file)
    if not path.is_file():
        state = "is not a file" if path.exists() else "not found"
        raise UserError(f"check: {state}: {args.file}", EXIT_USAGE)
    if not args.watch:
        return _check_once(exercise, path)
    last = None
    while True:
        stamp = _stamp(path)
        if stamp != last:
            last = stamp
            if stamp is not None:
                write_stdout(f"--- {time.strftime('%H:%M:%S')} {path.name} ---\n")
                _check_once(exercise, path)
                write_stdout("（保存すると再採点します。Ctrl+C で終了）\n")
                flush_stdout()
        time.sleep(POLL_S)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _check_once(exercise: object, path: Path) -> int:
    from studyapp.exercises import sandbox
    from studyapp.exercises.grading import check_source, describe

    pending = sandbox.start()  # the child imports numpy while the cases are built here
    try:
        source = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        pending.cancel()
        raise UserError(f"check: cannot read {path}: {os_reason(exc)}", EXIT_USAGE) from None
    report = check_source(exercise, source, path.name, pending=pending)  # type: ignore[arg-type]
    hint = None
    if not report.ok and (report.failure is None or report.failure.mistake is None):
        hint = f"studyapp exercise {report.exercise.id} --hint 1 で段階的に表示します"
    write_stdout("\n".join(describe(report, hint)) + "\n")
    return 0 if report.ok else 1
