"""What the exam result's ``r`` retries: the deck questions answered wrong or left blank,
options shuffled again; the generated problems missed are set apart (by kind)."""

from __future__ import annotations

import random

import pytest

from studyapp.content import load_content
from studyapp.study.exam import ExamRun, draw_exam, retry_misses


@pytest.fixture(scope="module")
def deck():
    return load_content(None).decks[0]


def test_retry_takes_the_misses_in_order_and_sets_the_generated_apart(deck) -> None:
    questions = draw_exam(deck, 20, rng=random.Random(4))
    run = ExamRun.start(questions, 1440, now_ms=0)
    for i, q in enumerate(questions[:14]):  # right, wrong, right, … ; the last six blank
        run.go(i, now_ms=i)
        run.pick(q.answer_position if i % 2 == 0 else (q.answer_position + 1) % 4)
    result = run.finish(now_ms=100)
    missed = [r.question for r in result.rows if not r.correct]

    retry = retry_misses(result, random.Random(9))
    assert [i.question.id for i in retry.items] == [q.ref for q in missed if q.source == "deck"]
    assert retry.generated == [q for q in missed if q.source == "generated"]
    assert retry.generated  # a 20-question section has about 6 generated problems
    kinds = [q.problem.kind for q in retry.generated]
    assert retry.generated_kinds == list(dict.fromkeys(kinds))
    # every option is still there, in an order drawn again
    for item in retry.items:
        assert sorted(item.order) == list(range(len(item.question.choices)))
        assert len(item.correct_positions) == 1
    orders = [item.order for item in retry.items]
    assert orders != [q.item.order for q in missed if q.source == "deck"]


def test_nothing_to_retry_when_every_answer_is_right(deck) -> None:
    questions = draw_exam(deck, 5, rng=random.Random(1))
    run = ExamRun.start(questions, 300, now_ms=0)
    for i, q in enumerate(questions):
        run.go(i, now_ms=i)
        run.pick(q.answer_position)
    retry = retry_misses(run.finish(now_ms=10), random.Random(0))
    assert retry.items == [] and retry.generated == []
