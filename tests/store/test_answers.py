"""Quiz answers and the mistake list (間違いノート); practice answers that rate skills."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from studyapp.store import (
    MISTAKE_CLEAR_STREAK,
    ItemRef,
    Rating,
    Store,
    StoreConfig,
    skill_rating,
)

from .conftest import Clock


def questions(*ids: str, deck: str = "reg") -> list[ItemRef]:
    return [ItemRef(deck, i, ("l1",)) for i in ids]


def test_wrong_answer_enters_the_mistake_list_and_two_right_answers_clear_it(
    store: Store, clock: Clock
) -> None:
    assert MISTAKE_CLEAR_STREAK == 2
    store.sync_content([], questions("q1", "q2"))
    first = store.record_answer("reg", "q1", answer=2, correct=False)
    assert first.entered_mistakes and first.in_mistakes
    assert [m.item for m in store.mistakes()] == ["q1"]
    clock.advance(minutes=1)
    right = store.record_answer("reg", "q1", answer=1, correct=True)
    assert right.in_mistakes and right.right_streak == 1 and not right.left_mistakes
    clock.advance(minutes=1)
    cleared = store.record_answer("reg", "q1", answer=1, correct=True)
    assert cleared.left_mistakes and not cleared.in_mistakes and cleared.right_streak == 2
    assert store.mistakes() == []


def test_a_wrong_answer_resets_the_run_of_right_answers(store: Store, clock: Clock) -> None:
    store.sync_content([], questions("q1"))
    store.record_answer("reg", "q1", answer=0, correct=False)
    store.record_answer("reg", "q1", answer=1, correct=True)
    again = store.record_answer("reg", "q1", answer=3, correct=False)
    assert again.in_mistakes and not again.entered_mistakes and again.right_streak == 0
    (entry,) = store.mistakes()
    assert (entry.wrong, entry.right_streak) == (2, 0)
    store.record_answer("reg", "q1", answer=1, correct=True)
    assert store.mistakes()[0].right_streak == 1
    store.record_answer("reg", "q1", answer=1, correct=True)
    assert store.mistakes() == []


def test_a_retry_answer_is_recorded_but_does_not_clear_a_mistake(store: Store,
                                                                   clock: Clock) -> None:
    from studyapp.study.exam import RETRY_MODE  # the mode of both retries (quiz and exam)

    store.sync_content([], questions("q1", "q2"))
    store.record_answer("reg", "q1", answer=0, correct=False)
    for _ in range(MISTAKE_CLEAR_STREAK + 1):  # right just after seeing the solution
        clock.advance(seconds=20)
        retry = store.record_answer("reg", "q1", answer=1, correct=True, mode=RETRY_MODE)
        assert retry.in_mistakes and not retry.left_mistakes and retry.right_streak == 0
    assert [(m.item, m.right_streak) for m in store.mistakes()] == [("q1", 0)]
    modes = store.conn.execute("SELECT mode, correct FROM attempts ORDER BY id").fetchall()
    assert modes == [("quiz", 0)] + [(RETRY_MODE, 1)] * (MISTAKE_CLEAR_STREAK + 1)
    # a later right answer in a quiz counts; a wrong retry still resets the run
    assert store.record_answer("reg", "q1", answer=1, correct=True).right_streak == 1
    wrong = store.record_answer("reg", "q1", answer=0, correct=False, mode=RETRY_MODE)
    assert wrong.in_mistakes and store.mistakes()[0].right_streak == 0
    assert store.mistakes()[0].wrong == 2
    for _ in range(MISTAKE_CLEAR_STREAK):
        store.record_answer("reg", "q1", answer=1, correct=True)
    assert store.mistakes() == []
    # a question answered wrong for the first time in a retry joins the list
    assert store.record_answer("reg", "q2", answer=0, correct=False,
                               mode=RETRY_MODE).entered_mistakes


def test_right_answers_never_add_to_the_mistake_list(store: Store) -> None:
    store.sync_content([], questions("q1"))
    result = store.record_answer("reg", "q1", answer=1, correct=True)
    assert not result.in_mistakes and not result.entered_mistakes
    assert store.mistakes() == []


def test_mistakes_are_oldest_first_per_deck_and_skip_retired_questions(
    store: Store, clock: Clock
) -> None:
    store.sync_content([], questions("q1", "q2") + questions("q9", deck="other"))
    store.record_answer("reg", "q2", answer=0, correct=False)
    clock.advance(minutes=1)
    store.record_answer("other", "q9", answer=0, correct=False)
    clock.advance(minutes=1)
    store.record_answer("reg", "q1", answer=0, correct=False)
    assert [m.item for m in store.mistakes()] == ["q2", "q9", "q1"]
    assert [m.item for m in store.mistakes("reg")] == ["q2", "q1"]
    store.sync_content([], questions("q1") + questions("q9", deck="other"))
    assert [m.item for m in store.mistakes()] == ["q9", "q1"]
    assert store.stats().mistakes == 2


def test_answers_are_stored_with_session_mode_and_time(store: Store) -> None:
    store.sync_content([], questions("q1"))
    session = store.new_session()
    store.record_answer("reg", "q1", answer=[0, 2], correct=False, duration_ms=8300,
                        mode="exam")
    row = store.conn.execute(
        "SELECT answer, correct, duration_ms, session, mode FROM attempts"
    ).fetchone()
    assert json.loads(row[0]) == [0, 2]
    assert row[1:] == (0, 8300, session, "exam")
    assert store.stats().quiz_attempts == 1


@pytest.mark.parametrize(
    ("correct", "duration_ms", "expected"),
    [
        (False, 1_000, Rating.Again),
        (False, None, Rating.Again),
        (True, None, Rating.Good),
        (True, 30_000, Rating.Easy),  # exactly half the expected 60 s: quick
        (True, 30_001, Rating.Good),
        (True, 120_000, Rating.Good),  # exactly twice: not yet slow
        (True, 120_001, Rating.Hard),
    ],
)
def test_skill_rating_from_correctness_and_time(
    correct: bool, duration_ms: int | None, expected: Rating
) -> None:
    assert skill_rating(correct, duration_ms, 60_000) == expected


def test_practice_answer_rates_its_skill(store: Store, clock: Clock) -> None:
    store.sync_skills(["lasso", "ridge"])
    result = store.record_practice("lasso#42", answer=[0.5, 0.0], correct=True,
                                   duration_ms=10_000)
    assert (result.skill, result.rating) == ("lasso", Rating.Easy)
    assert result.review.state.state == "review"
    row = store.conn.execute(
        "SELECT a.variant, a.correct, r.rating FROM attempts a "
        "JOIN reviews r ON r.attempt_id = a.id"
    ).fetchone()
    assert row == ("lasso#42", 1, int(Rating.Easy))
    stats = store.stats()
    assert (stats.reviews, stats.quiz_attempts, stats.skills.reviews) == (0, 1, 1)


def test_expected_time_per_skill_comes_from_the_config(make_store: Callable[..., Store]) -> None:
    store = make_store(StoreConfig(skill_expected_seconds={"lasso": 300.0}))
    slow_for_norm = store.record_practice("l1-norm#1", answer=3, correct=True,
                                          duration_ms=200_000)
    fine_for_lasso = store.record_practice("lasso#1", answer=[1], correct=True,
                                           duration_ms=200_000)
    assert slow_for_norm.rating == Rating.Hard
    assert fine_for_lasso.rating == Rating.Good
    explicit = store.record_practice("ridge#1", answer=[1], correct=True, duration_ms=200_000,
                                     expected_ms=400_000)
    assert explicit.rating == Rating.Easy


def test_bad_problem_id_is_refused(store: Store) -> None:
    for bad in ("lasso", "#3", "lasso#"):
        with pytest.raises(ValueError, match="KIND#SEED"):
            store.record_practice(bad, answer=1, correct=True)


def test_skills_fall_due_and_new_ones_follow(store: Store, clock: Clock) -> None:
    store.sync_skills([ItemRef("", "lasso", ("lasso", "l1")), "ridge", "dropout"])
    assert store.next_skill() == "lasso"  # nothing due: the first new skill
    assert store.skills_due() == []
    store.record_practice("lasso#1", answer=0, correct=False)  # Again: due in a minute
    store.record_practice("ridge#7", answer=0, correct=True, duration_ms=40_000)
    assert store.skills_due() == []
    assert store.next_skill() == "dropout"
    clock.advance(minutes=1)
    assert [s.skill for s in store.skills_due()] == ["lasso"]
    assert store.next_skill() == "lasso"
    assert [s.skill for s in store.skills_due(include_new=True)] == ["lasso", "dropout"]
    by_name = {s.skill: s for s in store.skills()}
    assert by_name["lasso"].keywords == ("l1", "lasso")
    assert by_name["dropout"].state is None
    ridge_due = by_name["ridge"].state.due
    clock.current = ridge_due
    assert "ridge" in [s.skill for s in store.skills_due()]
    assert store.home().skills_due == 2


def test_each_variant_is_kept_with_the_skill_history(store: Store, clock: Clock) -> None:
    store.sync_skills(["dropout"])
    for seed in (1, 2, 3):
        store.record_practice(f"dropout#{seed}", answer=seed, correct=seed != 2)
        clock.advance(minutes=15)
    variants = [r[0] for r in store.conn.execute("SELECT variant FROM attempts ORDER BY id")]
    assert variants == ["dropout#1", "dropout#2", "dropout#3"]
    (skill,) = store.skills()
    assert skill.state.reps == 3
