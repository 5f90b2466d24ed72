"""Practice skills come from the decks: a second deck brings its own, with no code change.

``fixtures/linear`` is such a deck: its own keywords, and ``skills:`` naming three
generators for them. It goes through what the app does with skills: the store sync (the
skills home counts toward mastery and practice schedules) and the mock exam's generated
problems.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from studyapp.content import Deck, load_content, validate_roots
from studyapp.context import sync_store
from studyapp.store import Store
from studyapp.study.exam import draw_exam
from studyapp.study.skills import skill_keywords

LINEAR = Path(__file__).parent / "fixtures" / "linear"
LINEAR_SKILLS = {
    "l2-norm": ("vector-norm",),
    "lasso": ("shrinkage",),
    "ridge": ("shrinkage", "least-squares"),
}


@pytest.fixture(scope="module")
def linear() -> Deck:
    return load_content(LINEAR).deck("linear")


@pytest.fixture(scope="module")
def bundled() -> Deck:
    return load_content().deck("regularization")


def test_a_decks_skills_in_the_generators_order(linear: Deck) -> None:
    assert list(linear.skills) == ["ridge", "lasso", "l2-norm"]  # as deck.yaml lists them
    skills = skill_keywords([linear])
    assert skills == LINEAR_SKILLS
    assert list(skills) == ["l2-norm", "lasso", "ridge"]  # engine.problems.KINDS order


def test_a_generator_two_decks_declare_trains_the_keywords_of_both(
    bundled: Deck, linear: Deck
) -> None:
    skills = skill_keywords([bundled, linear])
    assert list(skills) == list(bundled.skills)  # every generator, in the generators' order
    assert skills["ridge"] == ("ridge", "l2-regularization", "shrinkage", "least-squares")
    assert skills["l2-norm"] == ("norm", "vector-norm")
    assert skills["dropout"] == bundled.skills["dropout"]  # the second deck has no dropout
    assert skill_keywords([linear, linear]) == LINEAR_SKILLS  # a keyword is listed once


def test_no_deck_no_skills() -> None:
    assert skill_keywords([]) == {}


def test_the_app_registers_the_second_decks_skills_for_its_keywords(tmp_path: Path) -> None:
    library, problems = validate_roots([LINEAR])
    assert problems == []
    with Store(tmp_path / "progress.sqlite3") as store:
        sync_store(store, library, "stamp")
        # the store keeps a skill's keywords as a set (it lists them sorted)
        assert {s.skill: set(s.keywords) for s in store.skills()} == {
            generator: set(keywords) for generator, keywords in LINEAR_SKILLS.items()}
        assert all(s.state is None for s in store.skills())  # new: nothing practised yet
        # home's mastery per keyword counts the skills that train it
        progress = {k.keyword: k for k in store.keyword_progress()}
        assert (progress["shrinkage"].skills, progress["least-squares"].skills,
                progress["vector-norm"].skills) == (2, 1, 1)


def test_the_bundled_and_the_second_deck_share_one_schedule_per_generator(
    tmp_path: Path,
) -> None:
    from studyapp.paths import bundled_content_dir

    library, problems = validate_roots([bundled_content_dir(), LINEAR])
    assert problems == []
    with Store(tmp_path / "progress.sqlite3") as store:
        sync_store(store, library, "stamp")
        skills = {s.skill: set(s.keywords) for s in store.skills()}
    assert skills == {generator: set(keywords)
                      for generator, keywords in skill_keywords(library.decks).items()}
    assert skills["lasso"] == {"lasso", "l1-regularization", "shrinkage"}


def test_the_mock_exam_draws_the_second_decks_generators_for_its_keywords(
    linear: Deck,
) -> None:
    questions = draw_exam(linear, 10, rng=random.Random(4))
    generated = [q for q in questions if q.source == "generated"]
    assert len(generated) == 8  # the deck has two 4択 questions: generators fill the rest
    for question in generated:
        assert question.problem is not None
        assert question.keywords == LINEAR_SKILLS[question.problem.kind]
    assert {q.problem.kind for q in generated if q.problem} <= set(LINEAR_SKILLS)


def test_a_deck_declaring_no_skills_has_an_exam_of_its_own_questions(linear: Deck) -> None:
    from dataclasses import replace

    questions = draw_exam(replace(linear, skills={}), 10, rng=random.Random(4))
    assert [q.source for q in questions] == ["deck", "deck"]
