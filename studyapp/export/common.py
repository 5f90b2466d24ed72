"""What both exporters share: the right answer as text, option notes, and safe writing."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studyapp.content import Question
from studyapp.errors import UserError

#: Japanese label of each question type, as the quiz screen shows it.
TYPE_LABELS = {
    "choice": "4択",
    "code": "コード",
    "multi": "複数選択",
    "truefalse": "正誤",
    "numeric": "計算",
}

TRUE_TEXT = "○（正しい）"
FALSE_TEXT = "×（誤り）"


@dataclass(frozen=True, slots=True)
class OptionNote:
    """Why one option of a question is right or wrong.

    Attributes
    ----------
    number : int
        The option's 1-based number, as printed.
    correct : bool
        Whether the option is a right answer.
    why : str
        The deck's ``why`` of the option.
    """

    number: int
    correct: bool
    why: str


def answer_text(question: Question) -> str:
    """The right answer as a learner reads it, without the options' texts.

    Parameters
    ----------
    question : Question

    Returns
    -------
    str
        ``"3"`` for a choice or code question (1-based, as printed), ``"1, 2"`` for a
        multi question, ``"○（正しい）"`` or ``"×（誤り）"`` for true/false, and the
        engine's value for a numeric question (``"5"``, ``"[2, 0]"``).
    """
    if question.type == "numeric":
        return question.answer_text()
    if question.type == "truefalse":
        return TRUE_TEXT if question.answer else FALSE_TEXT
    return ", ".join(str(i + 1) for i in sorted(question.correct_indices()))


def right_options(question: Question) -> list[tuple[int, str]]:
    """The right options of a choice, multi or code question as ``(number, text)``.

    Returns an empty list for true/false and numeric questions.
    """
    if question.type not in ("choice", "multi", "code"):
        return []
    return [(i + 1, question.choices[i].text) for i in sorted(question.correct_indices())]


def option_notes(question: Question) -> list[OptionNote]:
    """The ``why`` of every option that has one, in option order."""
    if not question.choices:
        return []
    right = question.correct_indices()
    return [
        OptionNote(i + 1, i in right, option.why)
        for i, option in enumerate(question.choices)
        if option.why
    ]


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
    """Write a file through a temporary one in the same folder, then rename it.

    A reader never sees a half-written file, and a failure leaves ``out`` as it was.

    Parameters
    ----------
    out : Path
        The file to create or replace.
    write : callable
        Called with the temporary path; writes the whole file there.
    what : str
        The command, for messages (``"export anki"``).

    Raises
    ------
    UserError
        When ``out`` is a folder, its folder does not exist, or it cannot be written.
    """
    check_output_path(out, what)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise UserError(f"{what}: cannot write {out}: {_reason(exc)}") from None
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        os.replace(temp, out)
    except OSError as exc:
        raise UserError(f"{what}: cannot write {out}: {_reason(exc)}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def check_output_path(out: Path, what: str) -> None:
    """Refuse an output path that names a folder or lies in a missing folder.

    Raises
    ------
    UserError
    """
    if out.is_dir():
        raise UserError(f"{what}: {out} is a folder; give a file name")
    parent = out.parent
    if not parent.exists():
        raise UserError(f"{what}: cannot write {out}: folder {parent} does not exist")
    if not parent.is_dir():
        raise UserError(f"{what}: cannot write {out}: {parent} is not a folder")


def _reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else type(exc).__name__
