"""The rules behind the end of a session, without a UI: a flashcard session's tally (what
its summary shows), a quiz's retry of the questions answered wrong, and how many
questions the quiz set-up's keywords make."""

from __future__ import annotations

import random

import pytest

from studyapp.content import Deck, load_content
from studyapp.study.flashcards import SessionTally
from studyapp.study.quiz import (
    QuizRun,
    count_questions,
    draw_questions,
    grade_answer,
    right_positions,
)


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_content(None).decks[0]


# ---------------------------------------------------------------------- flashcards
def test_a_tally_counts_ratings_cards_again_and_time() -> None:
    tally = SessionTally()
    assert tally.ratings == 0 and tally.again_rate is None and tally.duration_ms == 0
    tally.record("a", 1, 4_000)
    tally.record("b", 3, 6_000)
    tally.record("a", 3, 5_000)  # the same card again after its learning step
    tally.record("c", 1, 15_000)
    assert tally.ratings == 4 and tally.cards == 3
    assert tally.again == 2 and tally.again_rate == 0.5
    assert tally.duration_ms == 30_000


def test_undo_takes_the_last_rating_out_of_the_tally() -> None:
    tally = SessionTally()
    tally.record("a", 1, 4_000)
    tally.record("b", 4, 6_000)
    tally.undo()
    assert (tally.ratings, tally.cards, tally.again, tally.duration_ms) == (1, 1, 1, 4_000)
    tally.undo("b")  # a rating of another card (an earlier session's): stays
    assert tally.ratings == 1
    tally.undo("a")
    tally.undo()  # nothing left: nothing happens
    assert tally.ratings == 0 and tally.again_rate is None


# ---------------------------------------------------------------------- quiz
def answer(run: QuizRun, right: bool) -> None:
    item = run.current
    assert item is not None
    if item.question.type == "numeric":
        value = item.question.numeric_answer()
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        verdict = grade_answer(item, text=text if right else "123456789")
    elif item.question.type == "truefalse":
        verdict = grade_answer(item, selected={0 if item.question.answer == right else 1})
    else:
        rights = right_positions(item)
        wrong = min(set(range(len(item.options))) - rights)
        verdict = grade_answer(item, selected=rights if right else {wrong})
    assert verdict.correct == right
    run.record(verdict, 1_000)
    run.advance()


def test_retry_asks_again_only_the_questions_answered_wrong(deck: Deck) -> None:
    run = QuizRun(items=draw_questions(deck, length=6, rng=random.Random(1)))
    pattern = [True, False, True, False, False, True]
    for right in pattern:
        answer(run, right)
    wrong = [a.item.question.id for a in run.answered if not a.grade.correct]
    retry = run.retry_wrong(random.Random(2))
    assert retry is not None
    assert [item.question.id for item in retry.items] == wrong
    assert retry.mode == "retry" and retry.index == 0 and retry.answered == []
    # the options are shuffled again for the new attempt (a fresh order per question)
    assert all(sorted(item.order) == list(range(len(item.question.choices)))
               for item in retry.items)
    # right on one, wrong on the others: the next retry has the other two
    answer(retry, True)
    answer(retry, False)
    answer(retry, False)
    again = retry.retry_wrong(random.Random(3))
    assert again is not None and [i.question.id for i in again.items] == wrong[1:]


def test_no_retry_without_a_wrong_answer(deck: Deck) -> None:
    run = QuizRun(items=draw_questions(deck, length=2, rng=random.Random(1)))
    answer(run, True)
    answer(run, True)
    assert run.retry_wrong(random.Random(0)) is None


def test_the_count_of_questions_follows_the_keywords_and_the_length(deck: Deck) -> None:
    first, second = deck.keywords[0].id, deck.keywords[1].id
    pool_first = {q.id for q in deck.questions if first in q.keywords}
    both = {q.id for q in deck.questions if {first, second} & set(q.keywords)}
    assert count_questions(deck, keywords=[first], length=None) == len(pool_first)
    assert count_questions(deck, keywords=[first, second], length=None) == len(both)
    assert count_questions(deck, keywords=[first, second], length=3) == min(3, len(both))
    assert count_questions(deck, keywords=[], length=10) == 0
    everything = count_questions(deck, keywords=[k.id for k in deck.keywords], length=None)
    assert everything == len(deck.questions)
    # the count is what a draw with the same choice gives
    assert len(draw_questions(deck, keywords=[first, second], length=None,
                              rng=random.Random(0))) == len(both)
