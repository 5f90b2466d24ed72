"""The mock exam's logic without a UI: drawing, picks, flags, time per question against an
injected clock, grading, and what is written to the store."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from studyapp.content import Deck, load_content
from studyapp.store import items_from_library, open_store
from studyapp.study.exam import (
    BUDGET_SECONDS,
    ExamQuestion,
    ExamRun,
    draw_exam,
    exam_pool,
    format_clock,
    format_seconds,
    generated_kinds,
    record_result,
    time_limit_seconds,
)

S = 1000  # milliseconds in a second


@pytest.fixture(scope="module")
def library():
    return load_content(None)


@pytest.fixture(scope="module")
def deck(library) -> Deck:
    return library.decks[0]


def test_time_limit_is_in_proportion_to_the_real_exam() -> None:
    assert time_limit_seconds(100) == 120 * 60  # the real exam: 120 minutes, ~100 questions
    assert time_limit_seconds(20) == 24 * 60
    assert time_limit_seconds(10, 40) == 400
    with pytest.raises(ValueError, match="length"):
        time_limit_seconds(0)


@pytest.mark.parametrize(("ms", "text"), [
    (0, "00:00"), (1, "00:01"), (999, "00:01"), (1000, "00:01"), (1001, "00:02"),
    (59_000, "00:59"), (24 * 60 * S, "24:00"), (-5, "00:00"),
])
def test_countdown_rounds_up_to_the_second(ms: int, text: str) -> None:
    assert format_clock(ms) == text


def test_seconds_for_the_result_table() -> None:
    assert format_seconds(35_400) == "35秒"
    assert format_seconds(72_000) == "1分12秒"


def test_draw_mixes_deck_questions_and_generated_problems(deck: Deck) -> None:
    questions = draw_exam(deck, 20, rng=random.Random(3))
    assert [q.number for q in questions] == list(range(1, 21))
    deck_qs = [q for q in questions if q.source == "deck"]
    generated = [q for q in questions if q.source == "generated"]
    assert len(generated) == 6  # 30 % of 20
    assert len(deck_qs) == 14
    assert len({q.ref for q in questions}) == 20
    kinds = generated_kinds(deck)
    for q in deck_qs:
        assert q.item is not None and q.item.question.type in ("choice", "code")
        assert len(q.options) == 4
        original = q.item.question
        (right,) = original.correct_indices()
        assert q.options[q.answer_position] == original.choices[right].text
        assert q.code == (original.type == "code")
    for q in generated:
        assert q.problem is not None
        assert list(q.options) == q.problem.choices
        assert q.answer_position == q.problem.answer_index
        assert q.keywords == kinds[q.problem.kind]
    # a short section still spreads over the syllabus: 14 questions, 12 keywords
    assert len({q.keywords[0] for q in deck_qs}) == min(14, len(deck.keywords))


def test_generated_problems_have_short_seeds_of_the_one_range(deck: Deck) -> None:
    from engine.problems.registry import SHORT_SEEDS

    questions = draw_exam(deck, 40, rng=random.Random(11))
    seeds = [q.problem.seed for q in questions if q.problem is not None]
    assert seeds and all(0 <= seed < SHORT_SEEDS for seed in seeds)


def test_draw_is_reproducible_and_options_are_shuffled_per_attempt(deck: Deck) -> None:
    first = draw_exam(deck, 20, rng=random.Random(7))
    again = draw_exam(deck, 20, rng=random.Random(7))
    assert [q.ref for q in first] == [q.ref for q in again]
    assert [q.options for q in first] == [q.options for q in again]
    question = next(q for q in exam_pool(deck))
    orders = set()
    for seed in range(30):
        drawn = draw_exam(replace(deck, questions=[question]), 1, rng=random.Random(seed),
                          kinds={})
        assert drawn[0].item is not None
        orders.add(drawn[0].item.order)
    assert len(orders) > 3


def test_generators_fill_in_for_a_short_deck_and_a_deck_fills_in_without_them(
        deck: Deck) -> None:
    few = exam_pool(deck)[:3]
    short = replace(deck, questions=few)
    questions = draw_exam(short, 10, rng=random.Random(0))
    assert sum(q.source == "deck" for q in questions) == 3
    assert sum(q.source == "generated" for q in questions) == 7
    only_deck = draw_exam(deck, 10, rng=random.Random(0), kinds={})
    assert all(q.source == "deck" for q in only_deck)
    assert len(draw_exam(short, 10, rng=random.Random(0), kinds={})) == 3


def _section(deck: Deck, n: int = 4) -> list[ExamQuestion]:
    return draw_exam(deck, n, rng=random.Random(11))


def test_time_is_counted_for_the_question_on_screen(deck: Deck) -> None:
    run = ExamRun.start(_section(deck), time_limit_s=100, now_ms=0)
    assert run.remaining_ms(30 * S) == 70 * S
    assert run.go(1, 10 * S)               # 10 s on question 1
    assert run.time_on_current_ms(12 * S) == 2 * S
    assert run.previous(25 * S)            # 15 s on question 2
    assert not run.previous(26 * S)        # already at the first question
    assert run.go(3, 30 * S)               # 5 more on question 1
    result = run.finish(31 * S)            # 1 s on question 4
    assert [r.spent_ms for r in result.rows] == [15 * S, 15 * S, 0, 1 * S]
    assert result.used_ms == 31 * S
    assert not result.timed_out


def test_time_stops_at_the_deadline(deck: Deck) -> None:
    run = ExamRun.start(_section(deck), time_limit_s=60, now_ms=1_000 * S)
    run.go(1, 1_050 * S)
    assert run.expired(1_060 * S) and not run.expired(1_059 * S)
    assert run.remaining_ms(2_000 * S) == 0
    result = run.finish(1_500 * S, timed_out=True)
    assert [r.spent_ms for r in result.rows][:2] == [50 * S, 10 * S]
    assert result.used_ms == 60 * S
    assert result.timed_out


def test_picks_flags_and_statuses(deck: Deck) -> None:
    run = ExamRun.start(_section(deck), time_limit_s=100, now_ms=0)
    run.pick(2)
    run.pick(1)                      # a pick can change until submit
    assert run.picks[0] == 1
    assert run.toggle_flag() is True
    run.next(1)
    assert run.toggle_flag() is True
    assert run.toggle_flag() is False
    statuses = run.statuses()
    assert [(s.number, s.answered, s.flagged, s.current) for s in statuses] == [
        (1, True, True, False), (2, False, False, True), (3, False, False, False),
        (4, False, False, False)]
    assert run.unanswered == [1, 2, 3]
    assert run.answered_count == 1
    with pytest.raises(ValueError, match="position"):
        run.pick(4)
    assert not run.go(9, 2)
    run.finish(3)
    with pytest.raises(RuntimeError):
        run.pick(0)
    assert run.finish(99) is run.result  # grading happens once


def test_score_per_keyword_and_over_budget(deck: Deck) -> None:
    questions = _section(deck, 4)
    run = ExamRun.start(questions, time_limit_s=600, now_ms=0)
    right = questions[0].answer_position
    run.pick(right)                                   # right, 41 s: over the budget
    run.next((BUDGET_SECONDS + 1) * S)
    run.pick((questions[1].answer_position + 1) % 4)  # wrong, exactly 40 s: within it
    run.next((2 * BUDGET_SECONDS + 1) * S)
    result = run.finish((2 * BUDGET_SECONDS + 2) * S)  # questions 3 and 4 unanswered
    assert result.score == (1, 4)
    assert result.percent == 25
    assert result.answered == 2
    assert [r.over_budget for r in result.rows] == [True, False, False, False]
    assert result.over_budget == 1
    expected: dict[str, list[int]] = {}
    for r in result.rows:
        for kw in r.question.keywords:
            expected.setdefault(kw, [0, 0])
            expected[kw][0] += r.correct
            expected[kw][1] += 1
    order = [k.id for k in deck.keywords]
    table = result.by_keyword(order)
    assert {kw: [r, n] for kw, r, n in table} == expected
    assert [kw for kw, _, _ in table] == sorted(expected, key=order.index)


def test_feedback_and_stored_answer_of_a_wrong_pick(deck: Deck) -> None:
    questions = draw_exam(deck, 20, rng=random.Random(5))
    gen = next(q for q in questions if q.source == "generated")
    assert gen.problem is not None
    wrong = next(k for k in range(4) if k != gen.answer_position)
    (m,) = [m for m in gen.problem.misconceptions if m.choice_index == wrong]
    assert gen.feedback(wrong) == [f"{m.label}: {m.feedback}"]
    assert gen.stored_answer(wrong) == m.value
    assert gen.stored_answer(gen.answer_position) == gen.problem.answer
    assert gen.feedback(gen.answer_position) == []
    assert gen.explanation == gen.problem.steps

    dq = next(q for q in questions if q.source == "deck")
    assert dq.item is not None
    wrong = next(k for k in range(4) if k != dq.answer_position)
    why = dq.item.options[wrong].why
    assert dq.feedback(wrong) == ([why] if why else [])
    assert dq.stored_answer(wrong) == dq.item.order[wrong]
    assert dq.feedback(None) == []


def test_record_result_writes_each_answer_with_mode_exam(library, deck: Deck,
                                                          tmp_path: Path) -> None:
    now = datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)
    store = open_store(tmp_path, now=lambda: now)
    store.sync_content(*items_from_library(library))
    questions = draw_exam(deck, 10, rng=random.Random(2))
    gen_index = next(i for i, q in enumerate(questions) if q.source == "generated")
    deck_indices = [i for i, q in enumerate(questions) if q.source == "deck"][:2]
    run = ExamRun.start(questions, time_limit_s=720, now_ms=0)
    picks = {deck_indices[0]: questions[deck_indices[0]].answer_position,            # right
             deck_indices[1]: (questions[deck_indices[1]].answer_position + 1) % 4,  # wrong
             gen_index: (questions[gen_index].answer_position + 2) % 4}             # wrong
    t = 0
    for i in sorted(picks):
        run.go(i, t)
        run.pick(picks[i])
        t += 7 * S
    result = run.finish(t)
    assert record_result(store, deck.id, result) == 3
    rows = store.conn.execute(
        "SELECT i.kind, i.item, a.variant, a.answer, a.correct, a.duration_ms, a.mode "
        "FROM attempts a JOIN items i ON i.id = a.item_id ORDER BY a.id").fetchall()
    assert all(r[6] == "exam" for r in rows)
    by_item = {r[2] or r[1]: r for r in rows}
    right_q, wrong_q, gen_q = (questions[deck_indices[0]], questions[deck_indices[1]],
                               questions[gen_index])
    assert by_item[right_q.ref][:2] == ("question", right_q.ref)
    assert by_item[right_q.ref][4] == 1
    assert json.loads(by_item[wrong_q.ref][3]) == wrong_q.stored_answer(picks[deck_indices[1]])
    assert by_item[wrong_q.ref][4] == 0
    assert by_item[gen_q.ref][0] == "skill" and by_item[gen_q.ref][2] == gen_q.ref
    assert by_item[gen_q.ref][4] == 0
    assert all(r[5] == 7 * S for r in rows)
    assert [m.item for m in store.mistakes(deck.id)] == [wrong_q.ref]
    assert store.stats().quiz_attempts == 3
    store.close()


def test_a_suspended_question_is_never_drawn(deck: Deck) -> None:
    """A question the learner suspended in the card browser never comes up in a mock exam."""
    pool = exam_pool(deck)
    suspended = {q.id for q in pool[: len(pool) // 2]}
    assert {q.id for q in exam_pool(deck, suspended)} == {q.id for q in pool} - suspended
    for seed in range(5):
        drawn = draw_exam(deck, 40, rng=random.Random(seed), exclude=suspended)
        asked = {q.item.question.id for q in drawn if q.item is not None}
        assert asked and not asked & suspended
