"""The mock exam (模試): a timed section of numbered 4択 questions, then the result.

Questions come from the deck (``choice`` and ``code`` questions, options shuffled per
attempt) and from the problem generators (about 30 % calculation problems, whose four
options are the answer and three named misconceptions). While the exam runs, a learner
may pick, change a pick, flag a question for review and move back and forth; time is
counted for the question on screen. Submitting (or running out of time) grades every
question, and :func:`record_result` writes the answers to the progress store.

No Textual here. Times are milliseconds of a clock the caller passes in (the app uses the
store's clock, which tests replace), so every method that needs the time takes ``now_ms``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from studyapp.content import Deck, Question
from studyapp.study.quiz import QuizItem, keyword_tally, make_item

if TYPE_CHECKING:
    from engine.problems import Problem
    from studyapp.store import Store

#: The real E資格: 120 minutes for about 100 questions.
REAL_EXAM_MINUTES = 120
REAL_EXAM_QUESTIONS = 100
#: Seconds per question in proportion to the real exam (72 s).
SECONDS_PER_QUESTION = REAL_EXAM_MINUTES * 60 // REAL_EXAM_QUESTIONS
#: The pace a learner should aim for: 40 seconds a question (over it is marked).
BUDGET_SECONDS = 40
#: Section lengths offered on the setup screen, and the default.
LENGTHS: tuple[int, ...] = (10, 20, 40)
DEFAULT_LENGTH = 20
#: Share of generated calculation problems in a section.
GENERATED_SHARE = 0.3
#: Time limits offered: key -> (Japanese label, seconds per question).
PACES: dict[str, tuple[str, int]] = {
    "exam": ("本番と同じ比率（1問72秒）", SECONDS_PER_QUESTION),
    "budget": ("目標ペース（1問40秒）", BUDGET_SECONDS),
    "relaxed": ("ゆったり（1問108秒）", SECONDS_PER_QUESTION * 3 // 2),
}
DEFAULT_PACE = "exam"
#: Deck question types that are single-pick 4択.
EXAM_TYPES = ("choice", "code")

Source = Literal["deck", "generated"]
ProblemMaker = Callable[[str, int], "Problem"]


def time_limit_seconds(length: int, seconds_per_question: int = SECONDS_PER_QUESTION) -> int:
    """The time limit of a section of ``length`` questions (20 questions → 1440 s = 24 min)."""
    if length < 1:
        raise ValueError(f"length must be at least 1, got {length}")
    if seconds_per_question < 1:
        raise ValueError(f"seconds_per_question must be at least 1, got {seconds_per_question}")
    return length * seconds_per_question


def format_clock(ms: int) -> str:
    """``mm:ss`` of a duration in milliseconds, rounded up to the second (a countdown
    shows 00:01 until the last millisecond is gone); hours roll into the minutes."""
    seconds = max(0, -(-ms // 1000))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def format_seconds(ms: int) -> str:
    """A duration as a learner reads it in the result table: ``35秒``, ``1分12秒``."""
    seconds = round(max(0, ms) / 1000)
    if seconds < 60:
        return f"{seconds}秒"
    return f"{seconds // 60}分{seconds % 60:02d}秒"


@dataclass(frozen=True)
class ExamQuestion:
    """One numbered question of a section.

    Attributes
    ----------
    number : int
        1-based position in the section.
    source : {"deck", "generated"}
    title : str
        What kind of question it is, in Japanese (``4択``, ``コード``, ``計算: L1ノルム``).
    prompt : str
    formula : str or None
        A deck question's formula, already in Unicode.
    options : tuple of str
        The four options in display order.
    answer_position : int
        0-based display position of the right option.
    keywords : tuple of str
        Keyword ids the question counts towards.
    code : bool
        Options are code snippets.
    listing : str or None
        A listing fill-in's code, its blank 【ア】 what the options fill.
    item : QuizItem or None
        The deck question as shown (its option order), for a deck question.
    problem : Problem or None
        The generated problem, for a generated question.
    """

    number: int
    source: Source
    title: str
    prompt: str
    formula: str | None
    options: tuple[str, ...]
    answer_position: int
    keywords: tuple[str, ...]
    code: bool = False
    listing: str | None = None
    item: QuizItem | None = None
    problem: Problem | None = None

    @classmethod
    def from_item(cls, number: int, item: QuizItem) -> ExamQuestion:
        """A deck question (its options already shuffled in ``item``)."""
        q = item.question
        (right,) = item.correct_positions
        return cls(number=number, source="deck", title="コード" if q.type == "code" else "4択",
                   prompt=q.prompt, formula=q.formula,
                   options=tuple(o.text for o in item.options), answer_position=right,
                   keywords=q.keywords, code=q.type == "code", listing=q.listing, item=item)

    @classmethod
    def from_problem(cls, number: int, problem: Problem, keywords: Sequence[str],
                     title: str) -> ExamQuestion:
        """A generated problem as a 4択 question (its own seeded option order)."""
        return cls(number=number, source="generated", title=f"計算: {title}",
                   prompt=problem.prompt, formula=None, options=tuple(problem.choices),
                   answer_position=problem.answer_index, keywords=tuple(keywords),
                   item=None, problem=problem)

    def renumbered(self, number: int) -> ExamQuestion:
        """The same question at another position."""
        return replace(self, number=number)

    @property
    def ref(self) -> str:
        """The deck question id, or the problem id ``kind#seed``."""
        if self.item is not None:
            return self.item.question.id
        assert self.problem is not None
        return self.problem.id

    def is_correct(self, position: int | None) -> bool:
        """Whether the pick at display ``position`` is right (no pick is wrong)."""
        return position is not None and position == self.answer_position

    def feedback(self, position: int | None) -> list[str]:
        """Why a wrong pick is wrong: the option's ``why`` for a deck question, the named
        misconception's label and feedback for a generated one (empty when right)."""
        if position is None or self.is_correct(position):
            return []
        if self.item is not None:
            why = self.item.options[position].why
            return [why] if why else []
        assert self.problem is not None
        for m in self.problem.misconceptions:
            if m.choice_index == position:
                return [f"{m.label}: {m.feedback}"]
        return []

    @property
    def explanation(self) -> list[str]:
        """The deck question's explanation, or the generated problem's worked steps."""
        if self.item is not None:
            return [self.item.question.explanation] if self.item.question.explanation else []
        assert self.problem is not None
        return list(self.problem.steps)

    def stored_answer(self, position: int) -> Any:
        """What the store keeps for a pick: the original option index of a deck question,
        the value of the option picked for a generated problem."""
        if self.item is not None:
            return self.item.order[position]
        assert self.problem is not None
        if position == self.problem.answer_index:
            return self.problem.answer
        for m in self.problem.misconceptions:
            if m.choice_index == position:
                return m.value
        return self.options[position]


def _balanced(questions: list[Question], count: int, rng: random.Random) -> list[Question]:
    """``count`` questions spread over keywords: one from each keyword in turn (keywords
    and questions in a random order), so a short section still covers the syllabus."""
    groups: dict[str, list[Question]] = {}
    for q in questions:
        groups.setdefault(q.keywords[0] if q.keywords else "", []).append(q)
    order = list(groups)
    rng.shuffle(order)
    for key in order:
        rng.shuffle(groups[key])
    picked: list[Question] = []
    while len(picked) < count:
        for key in order:
            if groups[key] and len(picked) < count:
                picked.append(groups[key].pop())
    return picked


def exam_pool(deck: Deck, exclude: Iterable[str] = ()) -> list[Question]:
    """The deck questions a mock exam can ask: single-pick 4択 (``choice``, ``code``),
    never one of ``exclude`` (suspended in the card browser)."""
    left_out = set(exclude)
    return [q for q in deck.questions
            if q.type in EXAM_TYPES and 2 <= len(q.choices) <= 4 and len(q.correct_indices()) == 1
            and q.id not in left_out]


def generated_kinds(deck: Deck) -> dict[str, tuple[str, ...]]:
    """The generators a mock exam of ``deck`` draws calculation problems from: the skills
    the deck declares (``deck.yaml``'s ``skills:``), generator kind -> keyword ids."""
    from studyapp.study.skills import skill_keywords

    return skill_keywords([deck])


def draw_exam(
    deck: Deck,
    length: int = DEFAULT_LENGTH,
    *,
    rng: random.Random,
    generated_share: float = GENERATED_SHARE,
    kinds: dict[str, tuple[str, ...]] | None = None,
    make_problem: ProblemMaker | None = None,
    exclude: Iterable[str] = (),
) -> list[ExamQuestion]:
    """The questions of one section, numbered 1…length in a random order.

    Parameters
    ----------
    deck : Deck
    length : int
        Number of questions (fewer when the deck and the generators cannot fill it).
    rng : random.Random
        Draws the questions, shuffles the options, picks the problem seeds.
    generated_share : float
        Share of generated calculation problems (rounded; the deck's questions fill the
        rest, and generated problems make up for a deck that runs short).
    kinds : dict, optional
        Generator kind -> keyword ids (default: :func:`generated_kinds` of ``deck``).
    make_problem : callable, optional
        ``(kind, seed) -> Problem`` (default: ``engine.problems.generate``). The seeds
        are short ones of the registry's range (``engine.problems.registry.draw_seed``),
        so the ids in the learner's history read like ``lasso#4821``.
    exclude : iterable of str, optional
        Ids of deck questions never asked (suspended in the card browser).
    """
    if length < 1:
        raise ValueError(f"length must be at least 1, got {length}")
    if not 0.0 <= generated_share <= 1.0:
        raise ValueError(f"generated_share must be in [0, 1], got {generated_share}")
    pool = exam_pool(deck, exclude)
    if kinds is None:
        kinds = generated_kinds(deck) if generated_share > 0 else {}
    n_generated = round(length * generated_share) if kinds else 0
    n_deck = min(length - n_generated, len(pool))
    if kinds:
        n_generated = length - n_deck
    questions: list[ExamQuestion] = [
        ExamQuestion.from_item(0, make_item(deck.id, q, rng)) for q in _balanced(pool, n_deck, rng)
    ]
    if n_generated:
        if make_problem is None:
            from engine.problems import generate

            make_problem = generate
        from engine.problems import TITLES
        from engine.problems.registry import draw_seed

        names = list(kinds)
        rng.shuffle(names)
        for k in range(n_generated):
            kind = names[k % len(names)]
            problem = make_problem(kind, draw_seed(rng, short=True))
            title = TITLES.get(kind, kind)
            questions.append(ExamQuestion.from_problem(0, problem, kinds[kind], title))
    rng.shuffle(questions)
    return [q.renumbered(n) for n, q in enumerate(questions, start=1)]


@dataclass(frozen=True)
class QuestionStatus:
    """How a question shows on the navigation strip."""

    number: int
    answered: bool
    flagged: bool
    current: bool


@dataclass
class ExamRun:
    """A running mock exam.

    Create it with :meth:`start`. ``picks[i]`` is the display position picked for
    question ``i`` (``None``: unanswered); picks can change until :meth:`finish`.
    ``spent_ms[i]`` is the time question ``i`` has been on screen.
    """

    questions: list[ExamQuestion]
    time_limit_ms: int
    started_ms: int
    index: int = 0
    picks: list[int | None] = field(default_factory=list)
    flagged: set[int] = field(default_factory=set)
    spent_ms: list[int] = field(default_factory=list)
    shown_since_ms: int = 0
    result: ExamResult | None = None

    @classmethod
    def start(cls, questions: Sequence[ExamQuestion], time_limit_s: float,
              now_ms: int) -> ExamRun:
        """Start the clock: the first question is on screen from ``now_ms``."""
        if not questions:
            raise ValueError("an exam needs at least one question")
        if time_limit_s <= 0:
            raise ValueError(f"time_limit_s must be positive, got {time_limit_s}")
        n = len(questions)
        return cls(questions=list(questions), time_limit_ms=round(time_limit_s * 1000),
                   started_ms=now_ms, picks=[None] * n, spent_ms=[0] * n,
                   shown_since_ms=now_ms)

    # ------------------------------------------------------------------ the clock
    @property
    def deadline_ms(self) -> int:
        return self.started_ms + self.time_limit_ms

    def remaining_ms(self, now_ms: int) -> int:
        """Time left (never below 0)."""
        return max(0, self.deadline_ms - now_ms)

    def expired(self, now_ms: int) -> bool:
        return now_ms >= self.deadline_ms

    def _account(self, now_ms: int) -> None:
        """Add the time since the current question was shown (up to the deadline)."""
        end = min(now_ms, self.deadline_ms)
        self.spent_ms[self.index] += max(0, end - self.shown_since_ms)
        self.shown_since_ms = max(self.shown_since_ms, end)

    # ------------------------------------------------------------------ moving
    @property
    def finished(self) -> bool:
        return self.result is not None

    @property
    def current(self) -> ExamQuestion:
        return self.questions[self.index]

    def _check_open(self) -> None:
        if self.result is not None:
            raise RuntimeError("the exam has been submitted")

    def go(self, index: int, now_ms: int) -> bool:
        """Show question ``index`` (0-based); False when it is out of range or already shown."""
        self._check_open()
        if not 0 <= index < len(self.questions) or index == self.index:
            return False
        self._account(now_ms)
        self.index = index
        return True

    def next(self, now_ms: int) -> bool:
        return self.go(self.index + 1, now_ms)

    def previous(self, now_ms: int) -> bool:
        return self.go(self.index - 1, now_ms)

    @property
    def is_last(self) -> bool:
        return self.index == len(self.questions) - 1

    # ------------------------------------------------------------------ answering
    def pick(self, position: int) -> None:
        """Pick the option at display ``position`` (0-based) for the current question."""
        self._check_open()
        if not 0 <= position < len(self.current.options):
            raise ValueError(f"position must be 0..{len(self.current.options) - 1}, "
                             f"got {position}")
        self.picks[self.index] = position

    def toggle_flag(self) -> bool:
        """Flag or unflag the current question for review; returns the new state."""
        self._check_open()
        if self.index in self.flagged:
            self.flagged.discard(self.index)
            return False
        self.flagged.add(self.index)
        return True

    @property
    def unanswered(self) -> list[int]:
        """0-based indices of the questions without a pick."""
        return [i for i, p in enumerate(self.picks) if p is None]

    @property
    def answered_count(self) -> int:
        return sum(p is not None for p in self.picks)

    def statuses(self) -> list[QuestionStatus]:
        """Every question's state, for the navigation strip."""
        return [QuestionStatus(q.number, self.picks[i] is not None, i in self.flagged,
                               i == self.index) for i, q in enumerate(self.questions)]

    def time_on_current_ms(self, now_ms: int) -> int:
        """Time the current question has been on screen so far, all visits included."""
        end = min(now_ms, self.deadline_ms)
        return self.spent_ms[self.index] + max(0, end - self.shown_since_ms)

    # ------------------------------------------------------------------ the end
    def finish(self, now_ms: int, *, timed_out: bool = False) -> ExamResult:
        """Grade the section (once; later calls return the same result)."""
        if self.result is not None:
            return self.result
        self._account(now_ms)
        used = min(now_ms, self.deadline_ms) - self.started_ms
        rows = [QuestionResult(q, self.picks[i], q.is_correct(self.picks[i]), self.spent_ms[i],
                               i in self.flagged)
                for i, q in enumerate(self.questions)]
        self.result = ExamResult(rows=rows, time_limit_ms=self.time_limit_ms,
                                 used_ms=max(0, used), timed_out=timed_out)
        return self.result


@dataclass(frozen=True)
class QuestionResult:
    """One graded question: the pick (display position or ``None``) and the time on it."""

    question: ExamQuestion
    pick: int | None
    correct: bool
    spent_ms: int
    flagged: bool = False

    @property
    def answered(self) -> bool:
        return self.pick is not None

    @property
    def over_budget(self) -> bool:
        """More than the 40-second budget on this question."""
        return self.spent_ms > BUDGET_SECONDS * 1000


@dataclass(frozen=True)
class ExamResult:
    """A submitted section.

    Attributes
    ----------
    rows : list of QuestionResult
        In question order.
    time_limit_ms, used_ms : int
        The limit and the time used (at most the limit).
    timed_out : bool
        Submitted by the clock.
    """

    rows: list[QuestionResult]
    time_limit_ms: int
    used_ms: int
    timed_out: bool

    @property
    def score(self) -> tuple[int, int]:
        """(right, questions); an unanswered question counts as wrong."""
        return sum(r.correct for r in self.rows), len(self.rows)

    @property
    def percent(self) -> int:
        right, total = self.score
        return round(100 * right / total) if total else 0

    @property
    def answered(self) -> int:
        return sum(r.answered for r in self.rows)

    @property
    def over_budget(self) -> int:
        """Questions that took more than the 40-second budget."""
        return sum(r.over_budget for r in self.rows)

    def by_keyword(self, order: Sequence[str] = ()) -> list[tuple[str, int, int]]:
        """(keyword id, right, questions) per keyword: keywords in ``order`` first (the
        deck's order), then the others in order of first appearance."""
        return keyword_tally(((r.question.keywords, r.correct) for r in self.rows), order)


#: The mode the answers of a retry (the result screen's ``r``) are recorded with.
RETRY_MODE = "retry"  # as a quiz's own retry: the quiz screen shows it as やり直し


@dataclass(frozen=True)
class Retry:
    """The questions of a section to take again after the result: those answered wrong or
    left blank.

    Attributes
    ----------
    items : list of QuizItem
        The deck questions missed, in the section's order, their options shuffled again
        (a quiz run asks them).
    generated : list of ExamQuestion
        The generated problems missed. A quiz run asks deck questions only, so these are
        not in ``items``; practice draws fresh variants of their kinds.
    """

    items: list[QuizItem]
    generated: list[ExamQuestion]

    @property
    def generated_kinds(self) -> list[str]:
        """The kinds of the generated problems missed, each once, in the section's order."""
        kinds: list[str] = []
        for q in self.generated:
            assert q.problem is not None
            if q.problem.kind not in kinds:
                kinds.append(q.problem.kind)
        return kinds


def retry_misses(result: ExamResult, rng: random.Random) -> Retry:
    """The questions answered wrong or left blank, for a quiz run of just those (the
    result screen's ``r``); options are shuffled anew with ``rng``, as for any attempt."""
    items: list[QuizItem] = []
    generated: list[ExamQuestion] = []
    for row in result.rows:
        if row.correct:
            continue
        q = row.question
        if q.item is not None:
            items.append(make_item(q.item.deck, q.item.question, rng))
        else:
            generated.append(q)
    return Retry(items, generated)


def record_result(store: Store, deck_id: str, result: ExamResult) -> int:
    """Write every answered question to the store, each committed as it is written.

    Deck questions go to :meth:`Store.record_answer` (a wrong one joins the mistake list),
    generated problems to :meth:`Store.record_practice` (which rates the skill), all with
    ``mode="exam"`` and the time the question was on screen. Unanswered questions are
    not answers and are not recorded. Returns how many answers were recorded.
    """
    recorded = 0
    for row in result.rows:
        if row.pick is None:
            continue
        q = row.question
        answer = q.stored_answer(row.pick)
        if q.item is not None:
            store.record_answer(deck_id, q.item.question.id, answer=answer, correct=row.correct,
                                duration_ms=row.spent_ms, mode="exam")
        else:
            assert q.problem is not None
            store.record_practice(q.problem.id, answer=answer, correct=row.correct,
                                  duration_ms=row.spent_ms, mode="exam")
        recorded += 1
    return recorded


__all__ = [
    "BUDGET_SECONDS",
    "DEFAULT_LENGTH",
    "DEFAULT_PACE",
    "GENERATED_SHARE",
    "LENGTHS",
    "PACES",
    "REAL_EXAM_MINUTES",
    "REAL_EXAM_QUESTIONS",
    "RETRY_MODE",
    "SECONDS_PER_QUESTION",
    "ExamQuestion",
    "ExamResult",
    "ExamRun",
    "QuestionResult",
    "QuestionStatus",
    "Retry",
    "draw_exam",
    "exam_pool",
    "format_clock",
    "format_seconds",
    "generated_kinds",
    "record_result",
    "retry_misses",
    "time_limit_seconds",
]
