"""A quiz run: questions drawn from a deck, options shuffled per attempt, answers graded.

The exam's question types are all here: ``choice`` (4択) and ``code`` pick one option,
``multi`` picks a set, ``truefalse`` is ○/×, ``numeric`` is a typed number or vector.
A wrong pick gets the explanation of the question and the ``why`` of the option picked;
a wrong number that a deck misconception predicts gets that misconception's feedback.

The quiz screen shows a :class:`QuizRun` and asks this module every rule: what options a
question offers (:func:`option_texts`), what a key picks (:func:`toggle_pick`), which
grader a type has (:func:`grade`) and which positions are right (:func:`right_positions`).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from studyapp.content import Deck, Option, Question
from studyapp.study.ordering import sort_by_keyword_order

CHOICE_TYPES = ("choice", "code", "multi")
#: The options of a true/false question, in display order: ○ (position 0) is True.
TRUE_FALSE_OPTIONS = ("○ 正しい", "× 誤り")
#: Japanese label of each question type: the quiz screen's header and the exports.
TYPE_LABELS = {
    "choice": "4択",
    "code": "コード",
    "multi": "複数選択",
    "truefalse": "正誤",
    "numeric": "計算",
}


@dataclass(frozen=True)
class QuizItem:
    """A question as shown in one attempt: ``order[k]`` is the original index of the
    option displayed at position k (options are shuffled per attempt)."""

    deck: str
    question: Question
    order: tuple[int, ...] = ()

    @property
    def options(self) -> list[Option]:
        """The options in display order."""
        return [self.question.choices[i] for i in self.order]

    @property
    def correct_positions(self) -> frozenset[int]:
        """Display positions (0-based) of the right options."""
        right = self.question.correct_indices()
        return frozenset(k for k, i in enumerate(self.order) if i in right)


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer.

    Attributes
    ----------
    correct : bool
    given : Any
        What is stored: original option indices, a bool, or the parsed number(s).
    right_answer : str
        The right answer as the learner reads it (display numbers 1–4, ○/×, the value).
    feedback : list of str
        Why the learner's pick is wrong (the option's ``why`` or a misconception), if any.
    explanation : str
        The question's explanation.
    """

    correct: bool
    given: Any
    right_answer: str
    feedback: list[str]
    explanation: str


class AnswerFormatError(ValueError):
    """Typed text that is not a number or a vector; the message is for the learner."""


class MissingAnswer(ValueError):
    """Enter was pressed with nothing picked or typed; the message is for the learner."""


def parse_number_text(text: str) -> float | list[float]:
    """A typed number or vector: "0.5", ".5", "1/2", "−3", "1e-2", full-width digits,
    "1, -2, 0", "[1, -2, 0]". Raises :class:`AnswerFormatError` with a Japanese message."""
    from engine.problems import parse_answer

    try:
        value = parse_answer(text)
    except ValueError as exc:
        raise AnswerFormatError(str(exc)) from None
    return list(value) if isinstance(value, tuple) else value


def make_item(deck: str, question: Question, rng: random.Random) -> QuizItem:
    """A :class:`QuizItem` with its options shuffled by ``rng``."""
    order = list(range(len(question.choices)))
    rng.shuffle(order)
    return QuizItem(deck=deck, question=question, order=tuple(order))


def draw_questions(
    deck: Deck,
    *,
    keywords: Iterable[str] | None = None,
    length: int | None = 10,
    only_ids: Iterable[str] | None = None,
    types: Sequence[str] | None = None,
    exclude: Iterable[str] = (),
    rng: random.Random,
) -> list[QuizItem]:
    """Questions for a quiz: those with any of ``keywords`` (all when None), restricted to
    ``only_ids`` (the mistake list) and ``types`` when given, never those of ``exclude``
    (suspended in the card browser), shuffled, at most ``length``."""
    pool = _pool(deck, keywords, only_ids, types, exclude)
    rng.shuffle(pool)
    if length is not None:
        pool = pool[:length]
    return [make_item(deck.id, q, rng) for q in pool]


def _pool(deck: Deck, keywords: Iterable[str] | None, only_ids: Iterable[str] | None,
          types: Sequence[str] | None, exclude: Iterable[str] = ()) -> list[Question]:
    """The deck's questions a draw chooses from (each once, whatever its keywords)."""
    wanted = set(keywords) if keywords is not None else None
    only = set(only_ids) if only_ids is not None else None
    left_out = set(exclude)
    return [
        q for q in deck.questions
        if q.id not in left_out
        and (wanted is None or wanted.intersection(q.keywords))
        and (only is None or q.id in only)
        and (types is None or q.type in types)
    ]


def count_questions(deck: Deck, *, keywords: Iterable[str], length: int | None,
                    exclude: Iterable[str] = ()) -> int:
    """How many questions :func:`draw_questions` gives for ``keywords`` and ``length``
    (the quiz set-up's live count: a question with two chosen keywords counts once)."""
    found = len(_pool(deck, keywords, None, None, exclude))
    return found if length is None else min(found, length)


def unaskable(item: QuizItem) -> str | None:
    """Why the question cannot be asked (a numeric answer the engine cannot compute: a
    deck ``studyapp validate`` would refuse), or None when it can."""
    if item.question.type != "numeric":
        return None
    try:
        item.question.numeric_answer()
    except ValueError as exc:
        return str(exc)
    return None


def option_texts(item: QuizItem) -> list[str]:
    """What the learner picks from, in display order (none for a typed answer)."""
    q = item.question
    if q.type in CHOICE_TYPES:
        return [o.text for o in item.options]
    if q.type == "truefalse":
        return list(TRUE_FALSE_OPTIONS)
    return []


def answer_hint(item: QuizItem) -> str:
    """The placeholder of a numeric answer's box: one number, or a vector of n."""
    answer = item.question.numeric_answer()
    if isinstance(answer, list):
        return f"{len(answer)} 個の数をカンマ区切りで入力して enter（例: 1, -2, 0）"
    return "数値を入力して enter（例: 0.5, 1/2, -3）"


def toggle_pick(item: QuizItem, selected: Iterable[int], position: int) -> frozenset[int]:
    """The picks after a key or a click on display ``position``: a multi-answer question
    toggles it, the others pick it alone; a position the question does not offer changes
    nothing."""
    chosen = frozenset(selected)
    if not 0 <= position < len(option_texts(item)):
        return chosen
    if item.question.type == "multi":
        return chosen ^ {position}
    return frozenset({position})


def right_positions(item: QuizItem) -> frozenset[int]:
    """Display positions of the right options (○ or × for a true/false question)."""
    q = item.question
    if q.type == "truefalse":
        return frozenset({0 if q.answer else 1})
    if q.type in CHOICE_TYPES:
        return item.correct_positions
    return frozenset()


def grade_answer(item: QuizItem, *, selected: Iterable[int] = (), text: str = "") -> Grade:
    """Grade the learner's answer with the grader of the question's type: the typed
    ``text`` of a numeric question, the ``selected`` display positions of the others.

    Raises
    ------
    MissingAnswer
        Nothing typed, or nothing picked.
    AnswerFormatError
        The typed text is not a number or a vector of the answer's length.
    """
    q = item.question
    if q.type == "numeric":
        if not text.strip():
            raise MissingAnswer("答えを入力してください。")
        return grade_numeric(item, text)
    chosen = frozenset(selected)
    if not chosen:
        raise MissingAnswer("1〜4 で選択肢を選んでから enter を押してください。")
    if q.type == "multi":
        return grade_multi(item, chosen)
    if q.type == "truefalse":
        return grade_truefalse(item, 0 in chosen)
    return grade_choice(item, min(chosen))


def _numbers(positions: Iterable[int]) -> str:
    return "・".join(str(k + 1) for k in sorted(positions))


def grade_choice(item: QuizItem, position: int) -> Grade:
    """Grade a single pick (display position, 0-based) of a choice or code question."""
    q = item.question
    options = item.options
    if not 0 <= position < len(options):
        raise ValueError(f"position must be 0..{len(options) - 1}, got {position}")
    correct = position in item.correct_positions
    feedback = []
    picked = options[position]
    if not correct and picked.why:
        feedback.append(f"選んだ {position + 1}: {picked.why}")
    return Grade(correct=correct, given=item.order[position],
                 right_answer=_numbers(item.correct_positions), feedback=feedback,
                 explanation=q.explanation)


def grade_multi(item: QuizItem, positions: Iterable[int]) -> Grade:
    """Grade a set of picks of a multi-answer question: right only when exactly right."""
    q = item.question
    chosen = frozenset(positions)
    right = item.correct_positions
    correct = chosen == right
    feedback = []
    options = item.options
    for k in sorted(chosen - right):
        if options[k].why:
            feedback.append(f"{k + 1} は誤り: {options[k].why}")
    for k in sorted(right - chosen):
        feedback.append(f"{k + 1} も正しい選択肢です" + (f": {options[k].why}"
                                                           if options[k].why else "。"))
    return Grade(correct=correct, given=sorted(item.order[k] for k in chosen),
                 right_answer=_numbers(right), feedback=feedback, explanation=q.explanation)


def grade_truefalse(item: QuizItem, value: bool) -> Grade:
    """Grade ○ (True) or × (False)."""
    q = item.question
    correct = bool(value) == bool(q.answer)
    return Grade(correct=correct, given=bool(value), right_answer="○（正しい）" if q.answer
                 else "×（誤り）", feedback=[], explanation=q.explanation)


def grade_numeric(item: QuizItem, text: str) -> Grade:
    """Grade a typed number or vector; raises :class:`AnswerFormatError` when unreadable."""
    q = item.question
    value = parse_number_text(text)
    expected = q.numeric_answer()
    if isinstance(expected, list) and not isinstance(value, list):
        raise AnswerFormatError(f"答えは {len(expected)} 個の数のベクトルです（例: 1, -2, 0）。")
    if isinstance(value, list) and not isinstance(expected, list):
        raise AnswerFormatError("答えは1つの数です。")
    if isinstance(value, list) and isinstance(expected, list) and len(value) != len(expected):
        raise AnswerFormatError(
            f"答えは {len(expected)} 個の数です（入力は {len(value)} 個）。"
        )
    correct = q.accepts(value)
    feedback = []
    if not correct:
        misconception = q.misconception_for(value)
        if misconception is not None:
            feedback.append(misconception.why)
    return Grade(correct=correct, given=value, right_answer=q.answer_text(), feedback=feedback,
                 explanation=q.explanation)


@dataclass
class Answered:
    """One answered item of a run."""

    item: QuizItem
    grade: Grade
    duration_ms: int


def keyword_tally(graded: Iterable[tuple[Sequence[str], bool]],
                  order: Sequence[str] = ()) -> list[tuple[str, int, int]]:
    """Right answers and answers per keyword, for the result pages of a quiz and an exam.

    Parameters
    ----------
    graded : iterable of (keywords, correct)
        Each answered question's keyword ids and whether it was right.
    order : sequence of str
        Keywords to list first, in this order (the deck's); the others follow in order
        of first appearance.

    Returns
    -------
    list of (keyword id, right, answered)
    """
    table: dict[str, list[int]] = {}
    for keywords, correct in graded:
        for kw in keywords:
            row = table.setdefault(kw, [0, 0])
            row[0] += int(correct)
            row[1] += 1
    keys = sort_by_keyword_order(table, order)  # the others stay in order of first appearance
    return [(kw, table[kw][0], table[kw][1]) for kw in keys]


@dataclass
class QuizRun:
    """The state of one quiz: the items, where the learner is, what was answered."""

    items: list[QuizItem]
    mode: str = "quiz"
    index: int = 0
    answered: list[Answered] = field(default_factory=list)

    @property
    def current(self) -> QuizItem | None:
        return self.items[self.index] if self.index < len(self.items) else None

    @property
    def finished(self) -> bool:
        return self.index >= len(self.items)

    def record(self, grade: Grade, duration_ms: int) -> None:
        item = self.current
        if item is None:
            raise RuntimeError("the quiz is finished")
        self.answered.append(Answered(item, grade, duration_ms))

    def advance(self) -> None:
        self.index += 1

    def skip(self) -> None:
        """Drop the current item unanswered (it cannot be shown) and move on."""
        if self.current is not None:
            del self.items[self.index]

    @property
    def score(self) -> tuple[int, int]:
        return sum(a.grade.correct for a in self.answered), len(self.answered)

    def by_keyword(self) -> list[tuple[str, int, int]]:
        """(keyword id, right, answered) in order of first appearance."""
        return keyword_tally((a.item.question.keywords, a.grade.correct) for a in self.answered)

    def retry_wrong(self, rng: random.Random) -> QuizRun | None:
        """A new run of the questions this run answered wrong, in the order they were
        asked, their options shuffled again (``mode`` ``"retry"``); ``None`` when every
        answer was right."""
        wrong = [a.item for a in self.answered if not a.grade.correct]
        if not wrong:
            return None
        return QuizRun(items=[make_item(item.deck, item.question, rng) for item in wrong],
                       mode="retry")
