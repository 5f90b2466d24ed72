"""The quiz as a learner takes it: pick, confirm, read feedback, reach the summary."""

from __future__ import annotations

from studyapp.screens.quiz import QuizScreen, QuizSetupScreen

from .test_home_and_flashcards import screen_text


def right_keys(item) -> list[str]:
    q = item.question
    if q.type in ("choice", "code", "multi"):
        return [str(k + 1) for k in sorted(item.correct_positions)]
    if q.type == "truefalse":
        return ["1" if q.answer else "2"]
    raise AssertionError("numeric handled separately")


def wrong_key(item) -> str:
    q = item.question
    if q.type == "truefalse":
        return "2" if q.answer else "1"
    return str(min(set(range(len(q.choices))) - item.correct_positions) + 1)


async def answer_right(pilot, screen: QuizScreen) -> None:
    item = screen.run.current
    if item.question.type == "numeric":
        await pilot.press(*item.question.answer_text().replace("[", "").replace("]", ""))
        await pilot.press("enter")
    else:
        await pilot.press(*right_keys(item))
        await pilot.press("enter")
    await pilot.pause()


async def test_full_quiz_all_right_records_every_answer(make_app) -> None:
    app = make_app()
    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuizSetupScreen)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert len(screen.run.items) == 10
        for n in range(10):
            await answer_right(pilot, screen)
            assert screen.grade is not None and screen.grade.correct, screen.run.current
            assert store.stats().quiz_attempts == n + 1  # committed before moving on
            await pilot.press("enter")
            await pilot.pause()
        assert screen.run.finished
        assert "正解 10 / 10" in screen_text(app)
        assert store.mistakes() == []


async def test_wrong_pick_shows_why_and_enters_mistake_list(make_app) -> None:
    app = make_app(seed=3)
    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q", "enter")
        await pilot.pause()
        screen = app.screen
        # move to the first choice question
        while screen.run.current.question.type not in ("choice", "code"):
            await answer_right(pilot, screen)
            await pilot.press("enter")
            await pilot.pause()
        item = screen.run.current
        key = wrong_key(item)
        await pilot.press(key, "enter")
        await pilot.pause()
        assert screen.grade is not None and not screen.grade.correct
        picked = item.options[int(key) - 1]
        text = screen_text(app)
        assert "不正解" in text
        assert picked.why is not None and picked.why[:20] in text.replace("\n", "")
        mistakes = [m.item for m in store.mistakes()]
        assert item.question.id in mistakes


async def test_numeric_input_rejects_garbage_and_accepts_fraction(make_app) -> None:
    app = make_app()
    deck = app.context.deck
    numeric = next(q for q in deck.questions
                   if q.type == "numeric" and not isinstance(q.numeric_answer(), list))
    from studyapp.study.quiz import QuizRun, make_item

    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        run = QuizRun(items=[make_item(deck.id, numeric, app.context.rng)])
        app.push_screen(QuizScreen(app.context, run))
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"abc", "enter")
        await pilot.pause()
        assert screen.grade is None  # not graded, not recorded
        assert store.stats().quiz_attempts == 0
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.press(*numeric.answer_text(), "enter")
        await pilot.pause()
        assert screen.grade is not None and screen.grade.correct
        assert store.stats().quiz_attempts == 1
