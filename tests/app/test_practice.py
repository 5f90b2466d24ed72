"""Practice as a learner does it: pick a kind, type garbage, type the answer, read the steps."""

from __future__ import annotations

from engine.problems import KINDS, generate
from studyapp.screens.practice import PracticeScreen

from .conftest import screen_text, wait_for


def answer_text(problem) -> str:
    value = problem.answer
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


async def open_practice(pilot) -> PracticeScreen:
    await pilot.press("p")
    screen = pilot.app.screen
    assert isinstance(screen, PracticeScreen)
    await wait_for(pilot, lambda: bool(screen.titles))  # the kinds load in a worker
    return screen


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
        screen = await open_practice(pilot)
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
        screen = await open_practice(pilot)
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


async def test_due_skills_mode_draws_the_skill_the_store_schedules(make_app, clock) -> None:
    from datetime import timedelta

    app = make_app()
    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_practice(pilot)
        # answer one ridge problem wrong: the skill is due again in minutes
        await pick_kind(pilot, "ridge")
        await pilot.press(*"0, 0", "enter")
        await pilot.pause()
        assert store.stats().quiz_attempts == 1
        clock.now += timedelta(hours=1)
        due = [s.skill for s in store.skills_due()]
        assert due == ["ridge"]
        await pilot.press("k", "home", "enter")  # ★ the skills due
        await pilot.pause()
        assert screen.problem is not None and screen.problem.kind == "ridge"


async def test_n_works_before_answering_and_letters_stay_out_of_the_box(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_practice(pilot)
        await pick_kind(pilot, "l1-norm")
        first = screen.problem
        await pilot.press("1", "n")  # the box has focus: n is the binding, not a letter
        await pilot.pause()
        assert screen.problem is not None and screen.problem.id != first.id
        assert screen.query_one("#answer").value == ""


async def test_feedback_and_path_are_in_view_at_80x24(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_practice(pilot)
        await pick_kind(pilot, "lasso")
        await pilot.press(*answer_text(screen.problem), "enter")
        await wait_for(pilot, lambda: bool(screen.query(".problem-plot")))
        feedback = screen.query_one("#practice-feedback")
        body = screen.query_one("#practice-body")
        view = body.content_region  # the verdict starts in view, under the problem
        assert view.y <= feedback.region.y < view.bottom
        assert view.contains_region(screen.query_one("#problem-prompt").region)
        assert screen.focused is body  # the keyboard scrolls the steps
        await pilot.press("enter")  # and enter moves on
        await pilot.pause()
        assert not screen.answered
