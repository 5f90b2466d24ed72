"""The quiz's rules without a UI, driven as the quiz screen drives them: the options a
question offers, what a key picks, the grader of each type, the mistake-list draw."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from studyapp.content import Deck, Question, load_content
from studyapp.study.quiz import (
    TRUE_FALSE_OPTIONS,
    AnswerFormatError,
    MissingAnswer,
    QuizItem,
    QuizRun,
    answer_hint,
    draw_questions,
    grade_answer,
    grade_choice,
    grade_multi,
    grade_numeric,
    grade_truefalse,
    make_item,
    option_texts,
    right_positions,
    toggle_pick,
    unaskable,
)


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_content(None).decks[0]


def of_type(deck: Deck, kind: str) -> list[Question]:
    return [q for q in deck.questions if q.type == kind]


def item_of(deck: Deck, question: Question, seed: int = 0) -> QuizItem:
    return make_item(deck.id, question, random.Random(seed))


def test_the_bundled_deck_has_every_question_type(deck: Deck) -> None:
    for kind in ("choice", "multi", "code", "truefalse", "numeric"):
        assert of_type(deck, kind), kind


# ---------------------------------------------------------------------- options and picks
def test_options_are_shown_in_the_attempts_shuffled_order(deck: Deck) -> None:
    q = of_type(deck, "choice")[0]
    item = item_of(deck, q, seed=3)
    assert sorted(item.order) == list(range(len(q.choices)))
    assert option_texts(item) == [q.choices[i].text for i in item.order]
    assert right_positions(item) == item.correct_positions
    (right,) = item.correct_positions
    assert item.order[right] == q.answer  # the display position of the original answer


def test_true_false_offers_maru_then_batsu(deck: Deck) -> None:
    for q in of_type(deck, "truefalse"):
        item = item_of(deck, q)
        assert option_texts(item) == list(TRUE_FALSE_OPTIONS)
        assert right_positions(item) == frozenset({0 if q.answer else 1})


def test_a_numeric_question_offers_no_options_and_a_hint_of_its_shape(deck: Deck) -> None:
    for q in of_type(deck, "numeric"):
        item = item_of(deck, q)
        assert option_texts(item) == [] and right_positions(item) == frozenset()
        answer = q.numeric_answer()
        if isinstance(answer, list):
            assert answer_hint(item).startswith(f"{len(answer)} 個の数")
        else:
            assert answer_hint(item).startswith("数値を入力")


def test_a_key_picks_one_option_and_toggles_a_multi_answer(deck: Deck) -> None:
    single = item_of(deck, of_type(deck, "choice")[0])
    assert toggle_pick(single, set(), 1) == {1}
    assert toggle_pick(single, {1}, 2) == {2}          # another key replaces the pick
    assert toggle_pick(single, {1}, 9) == {1}          # a key past the options: nothing
    multi = item_of(deck, of_type(deck, "multi")[0])
    picks = toggle_pick(multi, set(), 0)
    picks = toggle_pick(multi, picks, 4)               # the fifth option exists
    assert picks == {0, 4}
    assert toggle_pick(multi, picks, 0) == {4}         # the same key again un-picks
    truefalse = item_of(deck, of_type(deck, "truefalse")[0])
    assert toggle_pick(truefalse, set(), 1) == {1}
    assert toggle_pick(truefalse, set(), 2) == set()   # only ○ and ×
    numeric = item_of(deck, of_type(deck, "numeric")[0])
    assert toggle_pick(numeric, set(), 0) == set()     # typed, never picked


# ---------------------------------------------------------------------- the graders
def test_grade_choice_right_and_wrong_with_the_options_why(deck: Deck) -> None:
    q = next(q for q in of_type(deck, "choice") if all(o.why for o in q.choices
                                                        if o is not q.choices[q.answer]))
    item = item_of(deck, q, seed=1)
    (right,) = item.correct_positions
    verdict = grade_choice(item, right)
    assert verdict.correct and verdict.given == q.answer and verdict.feedback == []
    assert verdict.right_answer == str(right + 1) and verdict.explanation == q.explanation
    wrong = min(set(range(len(q.choices))) - {right})
    verdict = grade_choice(item, wrong)
    assert not verdict.correct and verdict.given == item.order[wrong]
    assert verdict.feedback == [f"選んだ {wrong + 1}: {item.options[wrong].why}"]
    with pytest.raises(ValueError, match="position"):
        grade_choice(item, len(q.choices))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_grade_multi_is_right_only_when_exactly_right(deck: Deck, seed: int) -> None:
    for q in of_type(deck, "multi"):
        item = item_of(deck, q, seed=seed)
        right = item.correct_positions
        verdict = grade_multi(item, right)
        assert verdict.correct and verdict.feedback == [], q.id
        assert verdict.given == sorted(q.correct_indices())  # original indices, stored
        assert verdict.right_answer == "・".join(str(k + 1) for k in sorted(right))
        missed = min(right)
        verdict = grade_multi(item, right - {missed})
        assert not verdict.correct
        assert any(line.startswith(f"{missed + 1} も正しい選択肢です")
                   for line in verdict.feedback)
        extra = min(set(range(len(q.choices))) - right)
        verdict = grade_multi(item, right | {extra})
        assert not verdict.correct
        why = item.options[extra].why
        assert verdict.feedback == ([f"{extra + 1} は誤り: {why}"] if why else [])


def test_grade_truefalse(deck: Deck) -> None:
    q = of_type(deck, "truefalse")[0]
    item = item_of(deck, q)
    right = grade_truefalse(item, bool(q.answer))
    wrong = grade_truefalse(item, not q.answer)
    assert right.correct and not wrong.correct
    assert right.given is bool(q.answer)
    assert right.right_answer == ("○（正しい）" if q.answer else "×（誤り）")


def test_grade_numeric_reads_fractions_and_names_the_misconception(deck: Deck) -> None:
    q = next(q for q in of_type(deck, "numeric")
             if not isinstance(q.numeric_answer(), list) and q.misconceptions)
    item = item_of(deck, q)
    verdict = grade_numeric(item, q.answer_text())
    assert verdict.correct and verdict.right_answer == q.answer_text()
    misconception = q.misconceptions[0]
    verdict = grade_numeric(item, str(misconception.resolved()))
    assert not verdict.correct and verdict.feedback == [misconception.why]
    with pytest.raises(AnswerFormatError):
        grade_numeric(item, "abc")
    with pytest.raises(AnswerFormatError, match="1つの数"):
        grade_numeric(item, "1, 2")


def test_grade_numeric_refuses_a_vector_of_the_wrong_length(deck: Deck) -> None:
    q = next(q for q in of_type(deck, "numeric") if isinstance(q.numeric_answer(), list))
    item = item_of(deck, q)
    n = len(q.numeric_answer())
    assert grade_numeric(item, q.answer_text().strip("[]")).correct
    with pytest.raises(AnswerFormatError, match=f"{n} 個の数"):
        grade_numeric(item, ", ".join(["1"] * (n + 1)))
    with pytest.raises(AnswerFormatError, match="ベクトル"):
        grade_numeric(item, "1")


def test_grade_answer_uses_the_grader_of_the_type(deck: Deck) -> None:
    choice = item_of(deck, of_type(deck, "choice")[0])
    assert grade_answer(choice, selected=choice.correct_positions).correct
    multi = item_of(deck, of_type(deck, "multi")[0])
    assert grade_answer(multi, selected=multi.correct_positions).correct
    assert not grade_answer(multi, selected={min(multi.correct_positions)}).correct
    truefalse = item_of(deck, of_type(deck, "truefalse")[0])
    assert grade_answer(truefalse, selected=right_positions(truefalse)).correct
    assert not grade_answer(truefalse,
                            selected={1 - min(right_positions(truefalse))}).correct
    numeric = item_of(deck, of_type(deck, "numeric")[0])
    assert grade_answer(numeric, text=numeric.question.answer_text().strip("[]")).correct


def test_grade_answer_asks_for_an_answer_first(deck: Deck) -> None:
    with pytest.raises(MissingAnswer, match="選択肢を選んで"):
        grade_answer(item_of(deck, of_type(deck, "choice")[0]))
    with pytest.raises(MissingAnswer, match="入力してください"):
        grade_answer(item_of(deck, of_type(deck, "numeric")[0]), text="   ")


def test_a_numeric_question_the_engine_refuses_is_unaskable(deck: Deck) -> None:
    q = next(q for q in of_type(deck, "numeric") if q.compute is not None)
    assert unaskable(item_of(deck, q)) is None
    broken = replace(q, compute=replace(q.compute, fn="ridge",
                                        args={"X": [[1, 0], [0, 1]], "y": [1, 2, 3], "lam": 1}),
                     computed=None)
    assert unaskable(item_of(deck, broken))
    assert unaskable(item_of(deck, of_type(deck, "choice")[0])) is None


# ---------------------------------------------------------------------- runs
def test_the_mistake_list_draws_only_its_questions(deck: Deck) -> None:
    ids = [q.id for q in deck.questions[::9]]
    items = draw_questions(deck, only_ids=ids, length=None, rng=random.Random(0))
    assert sorted(i.question.id for i in items) == sorted(ids)
    items = draw_questions(deck, only_ids=ids, length=3, rng=random.Random(0))
    assert len(items) == 3 and {i.question.id for i in items} <= set(ids)
    assert draw_questions(deck, only_ids=[], rng=random.Random(0)) == []


def test_a_run_scores_per_keyword_and_skips_what_it_cannot_ask(deck: Deck) -> None:
    questions = of_type(deck, "choice")[:3]
    run = QuizRun(items=[item_of(deck, q) for q in questions], mode="mistakes")
    first = run.current
    assert first is not None
    run.record(grade_choice(first, min(first.correct_positions)), 1000)
    run.advance()
    run.skip()                                         # the second one is dropped
    assert len(run.items) == 2 and run.current is not None
    assert run.current.question.id == questions[2].id
    second = run.current
    wrong = min(set(range(len(second.question.choices))) - second.correct_positions)
    run.record(grade_choice(second, wrong), 2000)
    run.advance()
    assert run.finished and run.current is None
    assert run.score == (1, 2)
    table = {kw: (r, n) for kw, r, n in run.by_keyword()}
    for kw in questions[0].keywords:
        assert table[kw][0] >= 1
    with pytest.raises(RuntimeError):
        run.record(grade_choice(first, 0), 0)
