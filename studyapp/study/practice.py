"""A practice run: choose a problem kind (or the skills due), answer, and rate the skill.

The practice screen shows a :class:`PracticeRun` and turns keys into its calls. A problem
comes from ``engine.problems`` with a seed drawn from the registry's one seed range; a
typed answer is checked by the engine, recorded as ``kind#seed`` and rates the skill
(wrong: Again; right but slow: Hard; right: Good; right and quick: Easy), timed with the
store's clock, which tests replace.

No Textual here. The generators (and numpy) are imported when a problem is first drawn,
so importing this module costs nothing at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyapp.study.quiz import AnswerFormatError

if TYPE_CHECKING:
    import random

    from engine.problems import Problem
    from studyapp.store import Rating, Store

#: The mode that asks the store for the skill due next instead of one kind.
DUE = "__due__"


def kind_titles() -> dict[str, str]:
    """Every generator kind with its Japanese title, in the registry's order (imports the
    generators, hence numpy: call it off the event loop)."""
    from engine.problems import KINDS, TITLES

    return {kind: TITLES[kind] for kind in KINDS}


@dataclass(frozen=True)
class PracticeFeedback:
    """The verdict on one typed answer, as recorded.

    Attributes
    ----------
    correct : bool
    message : str
        The engine's words: right, or the named misconception a wrong value matches.
    right_answer : str
        The answer as the problem's choices show it.
    rating : Rating
        How the answer rated the skill.
    """

    correct: bool
    message: str
    right_answer: str
    rating: Rating


class PracticeRun:
    """The practice of one visit to the screen: the mode, the problem on screen, its clock.

    Parameters
    ----------
    store : Store
        Records each answer (committed before :meth:`answer` returns) and says which
        skill is due; its clock times the answers.
    rng : random.Random
        Draws the problems' seeds.

    Attributes
    ----------
    mode : str or None
        The kind chosen, :data:`DUE` for the skills due, or None before a choice.
    problem : Problem or None
        The problem on screen.
    answered : bool
        The problem on screen has been answered and recorded.
    """

    def __init__(self, store: Store, rng: random.Random) -> None:
        self.store = store
        self.rng = rng
        self.mode: str | None = None
        self.problem: Problem | None = None
        self.answered = False
        self.started_ms = 0

    def due_kinds(self) -> set[str]:
        """The skills FSRS says are due now."""
        return {s.skill for s in self.store.skills_due()}

    def choose(self, mode: str) -> Problem | None:
        """Practise ``mode`` (a kind, or :data:`DUE`) from now on; its first problem."""
        self.mode = mode
        return self.next_problem()

    def next_problem(self) -> Problem | None:
        """A fresh problem of the mode (the skill due next in :data:`DUE` mode), its clock
        started; None when no skill is due (the problem on screen stays)."""
        from engine.problems import generate
        from engine.problems.registry import draw_seed

        if self.mode is None:
            raise RuntimeError("choose a kind first")
        kind = self.store.next_skill() if self.mode == DUE else self.mode
        if kind is None:
            return None
        self.problem = generate(kind, draw_seed(self.rng))
        self.answered = False
        self.started_ms = self.store.now_ms()
        return self.problem

    def answer(self, text: str) -> PracticeFeedback:
        """Check ``text``, record it and rate the skill.

        Raises
        ------
        AnswerFormatError
            ``text`` is not a number or a vector of the problem's shape (the message is
            for the learner); nothing is recorded.
        StoreError
            The store could not record it; the problem stays unanswered.
        """
        from engine.problems import check_answer

        problem = self.problem
        if problem is None:
            raise RuntimeError("there is no problem to answer")
        if self.answered:
            raise RuntimeError(f"{problem.id} has been answered")
        result = check_answer(problem, text)
        if not result.readable:
            raise AnswerFormatError(result.message)
        recorded = self.store.record_practice(
            problem.id, answer=text, correct=result.correct,
            duration_ms=self.store.now_ms() - self.started_ms)
        self.answered = True
        return PracticeFeedback(correct=result.correct, message=result.message,
                                right_answer=problem.choices[problem.answer_index],
                                rating=recorded.rating)


__all__ = ["DUE", "PracticeFeedback", "PracticeRun", "kind_titles"]
