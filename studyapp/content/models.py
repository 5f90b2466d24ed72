"""The loaded decks: frozen dataclasses built by :mod:`studyapp.content.loader`.

Everything here has been validated: ids are unique in their deck, keyword ids exist,
answers are in range, and the numeric answers have been computed by the engine.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from studyapp.content.texmath import tex_to_unicode
from studyapp.errors import UserError

#: The blank of a listing fill-in: a line of its own (indented like the code around it).
LISTING_BLANK = "【ア】"

QuestionType = Literal["choice", "multi", "truefalse", "numeric", "code"]
QUESTION_TYPES: tuple[QuestionType, ...] = ("choice", "multi", "truefalse", "numeric", "code")

#: A numeric value: one number or a vector of numbers.
Number = float | tuple[float, ...]


def display_path(path: Path) -> str:
    """``path`` relative to the current directory when it lies below it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return os.fspath(path)


@dataclass(frozen=True, slots=True)
class DeckProblem:
    """One problem found in the decks (a generated practice problem is another thing:
    ``engine.problems.Problem``).

    ``str(problem)`` is ``FILE:LINE: message`` (``FILE: message`` when the parser gave no
    line), with FILE relative to the current directory where possible.

    Attributes
    ----------
    file : Path
    line : int or None
        1-based line number the YAML parser reported, or None.
    message : str
        Names the item (``card 'l1-def'``) and what was expected.
    """

    file: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = display_path(self.file)
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class ContentError(UserError):
    """The decks have problems; ``problems`` lists every one of them.

    It is a :class:`~studyapp.errors.UserError` (exit code 2), so a command that loads the
    decks ends with one clear line when they are broken.
    """

    def __init__(self, problems: Sequence[DeckProblem]) -> None:
        self.problems: list[DeckProblem] = list(problems)
        first = str(self.problems[0]) if self.problems else "the decks could not be loaded"
        more = len(self.problems) - 1
        message = first if more <= 0 else (
            f"{first} (and {more} more problem{'s' if more > 1 else ''}; "
            "run 'studyapp validate' to list them)"
        )
        super().__init__(message, exit_code=2)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class Location(NamedTuple):
    """Where an item was defined: its file and the 1-based line of its mapping (a card's
    or question's ``source``)."""

    file: Path
    line: int | None


@dataclass(frozen=True, slots=True)
class Keyword:
    """A syllabus keyword of a deck (``deck.yaml``'s ``keywords:``)."""

    id: str
    name: str
    en: str
    description: str | None = None
    #: The line of its entry in deck.yaml (for problems about the keyword), if known.
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Term:
    """A term of a deck's glossary (``deck.yaml``'s ``terms:``): the form the deck writes,
    and the variants it does not (the validator flags them in prose)."""

    term: str
    variants: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of a choice, multi or code question.

    Attributes
    ----------
    text : str
        What the learner reads (a numpy snippet for a code question).
    why : str or None
        Why the option is right, or which misconception a wrong option comes from.
    """

    text: str
    why: str | None = None


@dataclass(frozen=True, slots=True)
class Compute:
    """``{fn, args}``: a named function of the compute table and its arguments."""

    fn: str
    args: Mapping[str, Any]
    # The engine's value once :meth:`value` computed it. A deck loaded without evaluating
    # (the app's start-up, which must not import numpy) computes on first use; the value
    # is kept in this cell, so the frozen fields never change after construction.
    _value: list[Number] = field(default_factory=list, init=False, repr=False, compare=False)

    def value(self) -> Number:
        """The engine's value of this compute (evaluated on the first call only).

        Raises
        ------
        ComputeError
            What the engine refuses (``studyapp.content.compute.ComputeError``).
        """
        if not self._value:
            self._value.append(_evaluate(self))
        return self._value[0]


@dataclass(frozen=True, slots=True)
class DeckMisconception:
    """A wrong numeric answer learners really give, with its feedback, as a deck's numeric
    question declares it (a generated problem's are ``engine.problems.Misconception``:
    named, labelled, and placed among the problem's choices).

    ``value`` is the wrong answer: the literal from the deck, or the engine's value of
    ``compute``.
    """

    value: Number | None
    why: str
    compute: Compute | None = None

    def resolved(self) -> Number:
        """``value``, or the engine's value of ``compute`` when the deck was loaded
        without evaluating (the app's start-up): computed on first use, once."""
        if self.value is not None:
            return self.value
        assert self.compute is not None
        return self.compute.value()


@dataclass(frozen=True, slots=True)
class Check:
    """How the test suite checks a code question's snippets (the app never runs them).

    ``given`` are the names bound before each snippet runs; ``expect`` computes the value
    the snippet's ``out`` must equal. For a listing fill-in (:attr:`Question.listing`),
    ``run`` is harness code executed after the listing with the snippet in its blank,
    which assigns ``out`` (None: the listing and snippet assign it themselves).
    """

    given: Mapping[str, Any]
    expect: Compute
    run: str | None = None


def _formula(tex: str | None, unicode: str | None) -> str | None:
    if unicode is not None:
        return unicode
    if tex is not None:
        return tex_to_unicode(tex)
    return None


@dataclass(frozen=True, slots=True)
class Card:
    """A flashcard: ``front``/``back``, or a ``cloze`` text (with an optional ``back`` note).

    Use :mod:`studyapp.content.cloze` to hide and reveal the gaps of ``cloze``.
    """

    id: str
    keywords: tuple[str, ...]
    source: Location
    front: str | None = None
    back: str | None = None
    cloze: str | None = None
    tex: str | None = None
    unicode: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def is_cloze(self) -> bool:
        """True for a cloze card."""
        return self.cloze is not None

    @property
    def formula(self) -> str | None:
        """The formula as shown on a terminal: ``unicode`` if given, else ``tex`` converted."""
        return _formula(self.tex, self.unicode)


@dataclass(frozen=True, slots=True)
class Question:
    """A quiz question.

    Attributes
    ----------
    type : {"choice", "multi", "truefalse", "numeric", "code"}
    choices : tuple of Option
        Empty for ``truefalse`` and ``numeric``.
    answer : int, tuple of int, bool, float, tuple of float or None
        ``choice``/``code``: the 0-based index; ``multi``: the indices; ``truefalse``:
        the bool; ``numeric``: the literal from the deck if any (use
        :meth:`numeric_answer` for the engine's value).
    tolerance, decimals : float, int or None
        Numeric questions only: the absolute tolerance a typed answer is checked with
        and the decimals the answer is shown with (defaults already filled in).
    computed : float, tuple of float or None
        Numeric questions: the engine's value when the deck was evaluated on loading;
        None when it was loaded without evaluating (:meth:`numeric_answer` then asks
        ``compute``, which evaluates once).
    listing : str or None
        Code questions only: a multi-line listing with one blank, the line ``【ア】``
        (:data:`LISTING_BLANK`); the choices are the candidate snippets for it.
    """

    id: str
    type: QuestionType
    keywords: tuple[str, ...]
    prompt: str
    explanation: str
    source: Location
    choices: tuple[Option, ...] = ()
    answer: int | tuple[int, ...] | bool | Number | None = None
    compute: Compute | None = None
    tolerance: float | None = None
    decimals: int | None = None
    misconceptions: tuple[DeckMisconception, ...] = ()
    check: Check | None = None
    tex: str | None = None
    unicode: str | None = None
    tags: tuple[str, ...] = ()
    computed: Number | None = field(default=None, repr=False)
    listing: str | None = None

    @property
    def formula(self) -> str | None:
        """The formula as shown on a terminal: ``unicode`` if given, else ``tex`` converted."""
        return _formula(self.tex, self.unicode)

    def numeric_answer(self) -> float | list[float]:
        """The answer of a numeric question, as computed by the engine.

        Returns
        -------
        float or list of float

        Raises
        ------
        ValueError
            If the question is not numeric.
        """
        if self.type != "numeric" or self.compute is None:
            raise ValueError(f"question {self.id!r} is a {self.type} question, not numeric")
        # loaded without evaluating, ``computed`` is None: the compute evaluates once
        value = self.computed if self.computed is not None else self.compute.value()
        return list(value) if isinstance(value, tuple) else value

    def correct_indices(self) -> frozenset[int]:
        """The indices of the right options (choice, multi and code questions)."""
        if self.type in ("choice", "code") and isinstance(self.answer, int):
            return frozenset((self.answer,))
        if self.type == "multi" and isinstance(self.answer, tuple):
            return frozenset(int(i) for i in self.answer)
        raise ValueError(f"question {self.id!r} is a {self.type} question: it has no options")

    def accepts(self, value: float | Sequence[float]) -> bool:
        """Whether a typed numeric answer matches the engine's, within ``tolerance``.

        Parameters
        ----------
        value : float or sequence of float
            One number for a scalar answer, as many numbers as the answer has otherwise.
        """
        expected = self.numeric_answer()
        tolerance = self.tolerance if self.tolerance is not None else 0.0
        return numbers_match(value, expected, tolerance)

    def misconception_for(self, value: float | Sequence[float]) -> DeckMisconception | None:
        """The misconception a wrong numeric answer comes from, if the deck names one."""
        tolerance = self.tolerance if self.tolerance is not None else 0.0
        for misconception in self.misconceptions:
            if numbers_match(value, misconception.resolved(), tolerance):
                return misconception
        return None

    def format_number(self, value: float) -> str:
        """``value`` with :attr:`decimals` decimals, trailing zeros dropped (``0.50`` → ``0.5``)."""
        return format_number(value, self.decimals if self.decimals is not None else 2)

    def answer_text(self) -> str:
        """The numeric answer as shown to a learner: ``1.5`` or ``[0.85, 0, 1.2]``."""
        value = self.numeric_answer()
        if isinstance(value, list):
            return "[" + ", ".join(self.format_number(v) for v in value) + "]"
        return self.format_number(value)


def _evaluate(compute: Compute) -> Number:
    from studyapp.content.compute import evaluate

    return evaluate(compute.fn, compute.args)


def format_number(value: float, decimals: int) -> str:
    """``value`` rounded to ``decimals`` decimals, trailing zeros and ``-0`` dropped."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def numbers_match(
    value: float | Sequence[float], expected: float | Sequence[float], tolerance: float
) -> bool:
    """Whether ``value`` equals ``expected`` within an absolute ``tolerance``, entry by entry."""
    scalar_value = isinstance(value, int | float)
    scalar_expected = isinstance(expected, int | float)
    if scalar_value != scalar_expected:
        return False
    if scalar_value:
        return math.isfinite(float(value)) and abs(float(value) - float(expected)) <= (  # type: ignore[arg-type]
            tolerance + 1e-12
        )
    values = list(value)  # type: ignore[arg-type]
    targets = list(expected)  # type: ignore[arg-type]
    return len(values) == len(targets) and all(
        math.isfinite(float(v)) and abs(float(v) - float(t)) <= tolerance + 1e-12
        for v, t in zip(values, targets, strict=True)
    )


Item = Card | Question


@dataclass(frozen=True, slots=True)
class Deck:
    """A deck: a folder with ``deck.yaml`` and its cards and questions.

    ``skills`` maps each practice problem generator the deck declares (an
    ``engine.problems`` kind) to the keyword ids of this deck it trains, in the order of
    ``deck.yaml``; :mod:`studyapp.study.skills` merges them over the decks. ``terms`` is
    the deck's glossary (:class:`Term`).
    """

    id: str
    title: str
    path: Path
    keywords: list[Keyword]
    cards: list[Card]
    questions: list[Question]
    title_en: str | None = None
    description: str | None = None
    skills: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    terms: tuple[Term, ...] = ()
    #: The line of the deck's ``id`` in deck.yaml (for problems about the whole deck).
    line: int | None = field(default=None, compare=False)

    def keyword(self, keyword_id: str) -> Keyword:
        """The keyword with this id (``KeyError`` if the deck has none)."""
        for keyword in self.keywords:
            if keyword.id == keyword_id:
                return keyword
        raise KeyError(keyword_id)

    def item(self, item_id: str) -> Card | Question:
        """The card or question with this id (``KeyError`` if none)."""
        for item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def items(self) -> Iterator[Card | Question]:
        """Cards, then questions."""
        yield from self.cards
        yield from self.questions

    def cards_for(self, keyword_id: str) -> list[Card]:
        """The cards that list ``keyword_id``."""
        return [c for c in self.cards if keyword_id in c.keywords]

    def questions_for(self, keyword_id: str) -> list[Question]:
        """The questions that list ``keyword_id``."""
        return [q for q in self.questions if keyword_id in q.keywords]


@dataclass(frozen=True, slots=True)
class Library:
    """All decks of a content folder."""

    root: Path
    decks: list[Deck]

    def deck(self, deck_id: str) -> Deck:
        """The deck with this id (``KeyError`` if none)."""
        for deck in self.decks:
            if deck.id == deck_id:
                return deck
        raise KeyError(deck_id)

    @property
    def card_count(self) -> int:
        """Cards in all decks."""
        return sum(len(d.cards) for d in self.decks)

    @property
    def question_count(self) -> int:
        """Questions in all decks."""
        return sum(len(d.questions) for d in self.decks)

    @property
    def keyword_count(self) -> int:
        """Keywords in all decks."""
        return sum(len(d.keywords) for d in self.decks)
