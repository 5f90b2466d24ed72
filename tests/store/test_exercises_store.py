"""The store keeps every exercise check (code and result) and schedules each exercise as a
skill, apart from the practice skills."""

from __future__ import annotations

from studyapp.store import Rating
from studyapp.store.exercises import exercise_rating


def test_a_check_is_kept_with_its_code_and_result(store) -> None:
    attempt = store.record_exercise_check(
        "ridge", code="def ridge(X, y, lam):\n    return 0\n",
        result={"ok": False, "summary": "NG: 0/9 cases"}, passed=0, total=9, hints=1)
    kept = store.exercise_attempts("ridge")
    assert [a.attempt_id for a in kept] == [attempt]
    assert kept[0].code.startswith("def ridge")
    assert kept[0].result["summary"] == "NG: 0/9 cases"
    assert (kept[0].passed, kept[0].total, kept[0].hints) == (0, 9, 1)
    assert store.exercise_attempts("lasso-cd") == []


def test_statuses_new_attempted_solved_due(store, clock) -> None:
    ids = ["ridge", "lasso-cd", "soft-threshold"]
    assert [s.status for s in store.exercise_statuses(ids)] == ["new", "new", "new"]
    store.record_exercise_check("ridge", code="x", result={}, passed=1, total=9)
    done = store.record_exercise_check("lasso-cd", code="y", result={}, passed=9, total=9)
    store.rate_exercise("lasso-cd", Rating.Good, attempt_id=done)
    by_id = {s.exercise: s for s in store.exercise_statuses(ids)}
    assert by_id["ridge"].status == "attempted" and by_id["ridge"].attempts == 1
    assert by_id["lasso-cd"].status == "solved" and by_id["lasso-cd"].state is not None
    assert by_id["soft-threshold"].status == "new"
    clock.advance(days=60)
    assert {s.exercise: s.status for s in store.exercise_statuses(ids)}["lasso-cd"] == "due"


def test_exercise_skills_stay_apart_from_practice_skills(store) -> None:
    store.sync_skills(["lasso", "ridge"])
    store.record_exercise_check("ridge", code="x", result={}, passed=9, total=9)
    store.rate_exercise("ridge", Rating.Good)
    assert [s.skill for s in store.skills()] == ["lasso", "ridge"]
    assert store.skills()[1].state is None  # the practice skill 'ridge' is still new
    store.sync_skills(["lasso"])  # a skill sync does not retire the exercises
    assert store.exercise_statuses(["ridge"])[0].status == "solved"


def test_rating_of_a_sitting() -> None:
    assert exercise_rating(True, hints=0, failed_checks=0) == Rating.Good
    assert exercise_rating(True, hints=2, failed_checks=0) == Rating.Hard
    assert exercise_rating(True, hints=0, failed_checks=1) == Rating.Hard
    assert exercise_rating(False, hints=0, failed_checks=3) == Rating.Again
