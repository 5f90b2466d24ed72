"""A draft per exercise: the code a learner left in the editor, kept until they come back
(committed on return, like every write), apart from the checks that were recorded."""

from __future__ import annotations


def test_a_draft_is_kept_per_exercise_and_replaced(store) -> None:
    assert store.exercise_draft("ridge") is None
    store.save_exercise_draft("ridge", "def ridge(X, y, lam):\n    pass\n")
    store.save_exercise_draft("lasso-cd", "def lasso(X, y, lam):\n    pass\n")
    assert store.exercise_draft("ridge") == "def ridge(X, y, lam):\n    pass\n"
    store.save_exercise_draft("ridge", "# 二度目\n")
    assert store.exercise_draft("ridge") == "# 二度目\n"
    assert store.exercise_draft("lasso-cd") == "def lasso(X, y, lam):\n    pass\n"
    assert store.exercise_attempts("ridge") == []  # a draft is not a check


def test_a_draft_can_be_dropped(store) -> None:
    store.save_exercise_draft("ridge", "x = 1\n")
    store.clear_exercise_draft("ridge")
    assert store.exercise_draft("ridge") is None
    store.clear_exercise_draft("ridge")  # nothing to drop: no error


def test_a_draft_survives_reopening(make_store) -> None:
    first = make_store()
    first.save_exercise_draft("early-stopping", "def stop_epoch(v, p):\n    return 1\n")
    first.close()
    again = make_store()
    assert again.exercise_draft("early-stopping") == "def stop_epoch(v, p):\n    return 1\n"
