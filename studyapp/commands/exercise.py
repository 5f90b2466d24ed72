"""``studyapp exercise --list | exercise ID [--write FILE] [--hint N] [--solution]``.

The numpy exercises on the command line: ``--list`` prints one exercise per line (its id,
then its title); ``exercise ID`` prints the task (what to implement and the conventions);
``--write FILE`` writes the starter file (never over an existing file); ``--hint N``
prints the first N hints; ``--solution`` prints the model solution. ``studyapp check ID
FILE`` grades the file.
"""

from __future__ import annotations

import argparse
import difflib
import os
from pathlib import Path

from studyapp.commands._output import write_stdout
from studyapp.errors import UserError, os_reason

EXIT_USAGE = 2


def unknown(exercise_id: str) -> UserError:
    """The error for an id that names no exercise (with a did-you-mean when close)."""
    from studyapp.exercises.catalog import BY_ID

    close = difflib.get_close_matches(exercise_id, list(BY_ID), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return UserError(f"unknown exercise '{exercise_id}'{hint}; see 'studyapp exercise --list'",
                     EXIT_USAGE)


def run(args: argparse.Namespace) -> int:
    from studyapp.exercises.catalog import EXERCISES, get

    if args.list:
        width = max(len(e.id) for e in EXERCISES)
        write_stdout("".join(f"{e.id:<{width}}  {e.title}\n" for e in EXERCISES))
        return 0
    if not args.id:
        raise UserError("exercise: ID is required; see 'studyapp exercise --list'", EXIT_USAGE)
    exercise = get(args.id)
    if exercise is None:
        raise unknown(args.id)
    if args.write:
        _write_starter(Path(args.write), exercise.starter)
        write_stdout(f"雛形を書き出しました: {args.write}\n"
                     f"採点: studyapp check {exercise.id} {args.write}\n")
        return 0
    if args.solution:
        write_stdout(exercise.solution)
        return 0
    if args.hint is not None:
        shown = exercise.hints[: args.hint]
        write_stdout("".join(f"ヒント {i}/{len(exercise.hints)}: {h}\n"
                             for i, h in enumerate(shown, start=1)))
        return 0
    write_stdout(
        f"{exercise.title}  [{exercise.id}]\n"
        f"定義するもの: {exercise.defines}\n\n"
        f"{exercise.task}\n\n"
        f"雛形: studyapp exercise {exercise.id} --write FILE\n"
        f"採点: studyapp check {exercise.id} FILE\n"
        f"ヒント: studyapp exercise {exercise.id} --hint 1（{len(exercise.hints)} 段階）"
        f"  模範解答: --solution\n"
    )
    return 0


def _write_starter(path: Path, text: str) -> None:
    try:
        # O_EXCL: never over a file the learner already has (their own work)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise UserError(f"exercise: {path} already exists; not overwriting it "
                        "(choose another FILE or remove it)", EXIT_USAGE) from None
    except OSError as exc:
        raise UserError(f"exercise: cannot write {path}: {os_reason(exc)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        raise UserError(f"exercise: cannot write {path}: {os_reason(exc)}") from None
