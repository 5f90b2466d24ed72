"""A practice run without a UI, driven as the practice screen drives it: choose a kind or
the skills due, answer, and what the store recorded, timed by its own clock."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from engine.problems import MAX_SEED, generate
from engine.problems.registry import SHORT_SEEDS, draw_seed
from studyapp.app import create_app
from studyapp.context import StudyContext
from studyapp.store import Rating
from studyapp.study.practice import DUE, PracticeRun, kind_titles
from studyapp.study.quiz import AnswerFormatError


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def context(tmp_path: Path, clock: Clock):
    app = create_app(None, tmp_path, now=clock, seed=0)
    assert app.context is not None
    yield app.context
    app.context.store.close()


def answer_text(problem) -> str:
    value = problem.answer
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def wrong_text(problem) -> str:
    """A readable answer of the problem's shape that no problem has."""
    value = problem.answer
    return ", ".join(["-12345"] * len(value)) if isinstance(value, list) else "-12345"


def attempts(context: StudyContext) -> list[tuple]:
    return context.store.conn.execute(
        "SELECT a.variant, a.answer, a.correct, a.duration_ms, a.mode FROM attempts a "
        "ORDER BY a.id").fetchall()


def test_seeds_come_from_the_registrys_one_range() -> None:
    # the same draw as the seeds the app drew before the range had one home
    assert draw_seed(random.Random(7)) == random.Random(7).randrange(2**32)
    assert draw_seed(random.Random(7), short=True) == random.Random(7).randrange(100_000)
    rng = random.Random(0)
    seeds = [draw_seed(rng) for _ in range(200)]
    assert all(0 <= s <= MAX_SEED for s in seeds) and max(seeds) > SHORT_SEEDS
    assert all(0 <= draw_seed(rng, short=True) < SHORT_SEEDS for _ in range(200))


def test_the_kinds_are_the_registrys_with_their_titles() -> None:
    from engine.problems import KINDS, TITLES

    titles = kind_titles()
    assert tuple(titles) == KINDS and titles == {k: TITLES[k] for k in KINDS}


def test_a_kind_gives_seeded_problems_that_regenerate_from_their_id(context) -> None:
    run = PracticeRun(context.store, random.Random(4))
    with pytest.raises(RuntimeError):
        run.next_problem()  # no kind chosen yet
    first = run.choose("lasso")
    assert first is not None and run.problem is first and run.mode == "lasso"
    assert first.kind == "lasso" and first == generate("lasso", first.seed)
    second = run.next_problem()
    assert second is not None and second.kind == "lasso" and second.id != first.id
    again = PracticeRun(context.store, random.Random(4))
    assert again.choose("lasso").id == first.id  # the same seed, the same problem


def test_an_unreadable_answer_records_nothing(context) -> None:
    run = PracticeRun(context.store, random.Random(0))
    run.choose("l2-norm")
    with pytest.raises(AnswerFormatError):
        run.answer("abc")
    assert not run.answered and attempts(context) == []


def test_answers_are_recorded_and_timed_by_the_stores_clock(context, clock) -> None:
    store = context.store
    run = PracticeRun(store, random.Random(0))
    problem = run.choose("dropout")
    assert problem is not None
    expected = store.config.expected_ms("dropout")
    clock.now += timedelta(milliseconds=expected * 3)  # slow: more than twice expected
    feedback = run.answer(answer_text(problem))
    assert feedback.correct and feedback.rating == Rating.Hard
    assert feedback.right_answer == problem.choices[problem.answer_index]
    assert run.answered
    with pytest.raises(RuntimeError):
        run.answer(answer_text(problem))  # one answer a problem
    problem = run.next_problem()
    assert problem is not None and not run.answered
    clock.now += timedelta(milliseconds=expected // 4)  # quick
    assert run.answer(answer_text(problem)).rating == Rating.Easy
    problem = run.next_problem()
    wrong = problem.distractors[0]
    clock.now += timedelta(seconds=1)
    typed = (", ".join(str(v) for v in wrong.value) if isinstance(wrong.value, list)
             else str(wrong.value))
    feedback = run.answer(typed)
    assert not feedback.correct and feedback.rating == Rating.Again
    assert wrong.label in feedback.message
    rows = attempts(context)
    assert [r[3] for r in rows] == [expected * 3, expected // 4, 1000]
    assert [r[2] for r in rows] == [1, 1, 0] and {r[4] for r in rows} == {"practice"}
    assert [r[0].split("#")[0] for r in rows] == ["dropout"] * 3


def test_the_due_mode_follows_the_store(context, clock) -> None:
    store = context.store
    run = PracticeRun(store, random.Random(0))
    problem = run.choose(DUE)  # nothing practised yet: a new skill first
    assert problem is not None and problem.kind == store.next_skill()
    assert not run.answer(wrong_text(problem)).correct
    clock.now += timedelta(hours=1)
    assert run.due_kinds() == {problem.kind}  # answered wrong: due again soon
    assert run.next_problem().kind == problem.kind
