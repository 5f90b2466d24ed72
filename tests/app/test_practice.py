"""Practice as a learner does it: pick a kind, type garbage, type the answer, read the steps."""

from __future__ import annotations

from engine.problems import KINDS, generate
from studyapp.screens.practice import PracticeScreen
from studyapp.study.skills import SKILL_KEYWORDS

from .test_home_and_flashcards import screen_text


def answer_text(problem) -> str:
    value = problem.answer
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def test_every_generator_kind_is_a_skill_with_deck_keywords(make_app) -> None:
    assert tuple(SKILL_KEYWORDS) == KINDS
    deck_keywords = {kw.id for kw in make_app().context.deck.keywords}
    for kws in SKILL_KEYWORDS.values():
        assert kws and set(kws) <= deck_keywords


async def pick_kind(pilot, kind: str) -> None:
    await pilot.press("k")
    for _ in range(KINDS.index(kind) + 1):  # option 0 is the due-skills entry
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


async def test_practice_records_answers_and_rates_the_skill(make_app) -> None:
    app = make_app()
    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        await pick_kind(pilot, "lasso")
        problem = screen.problem
        assert problem is not None and problem.kind == "lasso"
        assert problem == generate("lasso", problem.seed)  # regenerates from its id
        assert problem.prompt[:15] in screen_text(app)
        # garbage is refused without recording anything
        await pilot.press(*"abc", "enter")
        await pilot.pause()
        assert not screen.answered
        assert store.stats().quiz_attempts == 0
        for _ in range(3):
            await pilot.press("backspace")
        await pilot.press(*answer_text(problem), "enter")
        await pilot.pause()
        assert screen.answered
        assert store.stats().quiz_attempts == 1
        status = {s.skill: s for s in store.skills()}["lasso"]
        assert status.state is not None  # the skill was rated
        text = screen_text(app)
        assert "正解！" in text and "解き方" in text
        assert "\\" not in text
        first_id = problem.id
        await pilot.press("n")
        await pilot.pause()
        assert screen.problem is not None and screen.problem.id != first_id
        assert not screen.answered


async def test_wrong_answer_names_the_misconception(make_app) -> None:
    app = make_app(seed=5)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        await pick_kind(pilot, "dropout")
        problem = screen.problem
        wrong = problem.distractors[0]
        typed = ", ".join(str(v) for v in wrong.value) if isinstance(wrong.value, list) \
            else str(wrong.value)
        await pilot.press(*typed, "enter")
        await pilot.pause()
        text = screen_text(app).replace("\n", "")
        assert "不正解" in text
        assert wrong.label in text
        assert app.context.store.stats().quiz_attempts == 1


async def test_due_skills_mode_draws_a_scheduled_skill(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")  # the first entry: skills due
        await pilot.pause()
        problem = app.screen.problem
        assert problem is not None and problem.kind in KINDS
