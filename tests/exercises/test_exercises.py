"""Every exercise: the model solution passes, the starter does not, and each named mistake
fails with its own name — all through the sandbox, as ``studyapp check`` runs them."""

from __future__ import annotations

import pytest

from studyapp.exercises.catalog import EXERCISES, get
from studyapp.exercises.grading import check_source, describe

PINNED = {
    "soft-threshold": "soft_threshold(z, t)",
    "ridge": "ridge(X, y, lam)",
    "lasso-cd": "lasso(X, y, lam, n_iter=1000)",
    "dropout-layer": "class Dropout(p)",
    "weight-decay-step": "sgd_step(w, grad, lr, decay)",
    "early-stopping": "stop_epoch(val_losses, patience)",
}


def test_pinned_exercises_and_the_others_exist() -> None:
    for exercise_id, signature in PINNED.items():
        exercise = get(exercise_id)
        assert exercise is not None, exercise_id
        assert exercise.defines.startswith(signature)
    ids = {e.id for e in EXERCISES}
    assert {"l1-grad", "l2-grad", "dropconnect", "label-smoothing", "max-norm"} <= ids
    assert len(ids) == len(EXERCISES)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_model_solution_passes_and_starter_fails(exercise) -> None:
    report = check_source(exercise, exercise.solution)
    assert report.ok, "\n".join(describe(report))
    assert report.summary() == f"OK: {report.total}/{report.total} cases"
    assert report.total >= 6
    starter = check_source(exercise, exercise.starter)
    assert not starter.ok
    assert starter.failure is not None and "NotImplementedError" in starter.failure.error


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_exercise_has_task_hints_and_mistakes(exercise) -> None:
    assert exercise.task and exercise.title
    assert len(exercise.hints) >= 2
    assert len(exercise.mistakes) >= 2
    assert len({m.name for m in exercise.mistakes}) == len(exercise.mistakes)
    # the starter states the signature the grader calls
    assert exercise.defines.split("(")[0].replace("class ", "") in exercise.starter


MISTAKES = [(e, m) for e in EXERCISES for m in e.mistakes]


@pytest.mark.parametrize("exercise,mistake", MISTAKES,
                         ids=[f"{e.id}:{i}" for e in EXERCISES for i in range(len(e.mistakes))])
def test_each_named_mistake_fails_with_its_name(exercise, mistake) -> None:
    report = check_source(exercise, mistake.example)
    assert not report.ok
    assert report.failure is not None
    assert report.failure.mistake is not None, "\n".join(describe(report))
    assert report.failure.mistake.name == mistake.name
    text = "\n".join(describe(report))
    assert f"よくある誤り: {mistake.name}" in text
    assert "期待値" in text and "あなたの値" in text


def test_classic_mistakes_named_in_the_issue_are_covered() -> None:
    names = {m.name for e in EXERCISES for m in e.mistakes}
    assert any("1/(1−p)" in n for n in names)
    assert any("硬い閾値" in n for n in names)
    assert any("λ/2" in n for n in names)
    assert any("backward" in n for n in names)


def test_an_unrecognised_wrong_answer_fails_without_a_name() -> None:
    exercise = get("weight-decay-step")
    assert exercise is not None
    report = check_source(exercise, "def sgd_step(w, grad, lr, decay):\n    return w * 0 + 1\n")
    assert not report.ok and report.failure is not None
    assert report.failure.mistake is None


def test_a_shape_mismatch_fails() -> None:
    exercise = get("soft-threshold")
    assert exercise is not None
    report = check_source(exercise, "import numpy as np\n"
                          "def soft_threshold(z, t):\n    return np.ravel(z) * 0\n")
    assert not report.ok
