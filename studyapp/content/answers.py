"""A question's right answer and the ``why`` of its options, as plain text: what the
exporters print and the browser shows (one definition for both).

No Textual import here.
"""

from __future__ import annotations

from dataclasses import dataclass

from studyapp.content.models import Question

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


__all__ = ["FALSE_TEXT", "TRUE_TEXT", "OptionNote", "answer_text", "option_notes",
           "right_options"]
