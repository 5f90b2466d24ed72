"""The quiz as a learner takes it: pick, confirm, read feedback, reach the summary."""

from __future__ import annotations

from studyapp.screens.quiz import QuizScreen, QuizSetupScreen

from .conftest import screen_text


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


KEY_NAMES = {"/": "slash", "-": "minus", ".": "full_stop", ",": "comma", " ": "space",
             "[": "left_square_bracket", "]": "right_square_bracket"}


def keys(text: str) -> list[str]:
    """What a learner types, as Pilot key names."""
    return [KEY_NAMES.get(ch, ch) for ch in text]


async def answer_right(pilot, screen: QuizScreen) -> None:
    item = screen.run.current
    if item.question.type == "numeric":
        await pilot.press(*keys(item.question.answer_text().strip("[]")))
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


async def test_numeric_input_rejects_garbage_and_accepts_fractions(make_app) -> None:
    from fractions import Fraction

    app = make_app()
    deck = app.context.deck
    numeric = next(q for q in deck.questions
                   if q.type == "numeric" and not isinstance(q.numeric_answer(), list)
                   and q.numeric_answer() != 0)
    value = Fraction(numeric.numeric_answer()).limit_denominator(1000)
    as_fraction = f"{value.numerator * 2}/{value.denominator * 2}"  # never a plain decimal
    # full-width digits, as a Japanese input method types them
    full_width = numeric.answer_text().translate(
        str.maketrans("0123456789", "０１２３４５６７８９"))
    from studyapp.study.quiz import QuizRun, make_item

    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        run = QuizRun(items=[make_item(deck.id, numeric, app.context.rng)] * 2)
        app.push_screen(QuizScreen(app.context, run))
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"abc", "enter")
        await pilot.pause()
        assert screen.grade is None  # not graded, not recorded
        assert store.stats().quiz_attempts == 0
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.press(*keys(as_fraction), "enter")
        await pilot.pause()
        assert screen.grade is not None and screen.grade.correct
        assert store.stats().quiz_attempts == 1
        await pilot.press("enter")  # next: the same question, typed in full-width digits
        await pilot.pause()
        await pilot.press(*keys(full_width), "enter")
        await pilot.pause()
        assert screen.grade is not None and screen.grade.correct
        assert store.stats().quiz_attempts == 2


async def test_a_numeric_question_the_engine_refuses_is_skipped(make_app, tmp_path) -> None:
    """A deck `studyapp validate` would refuse (wrong shapes for the engine) still opens:
    the broken question is skipped with a message, never a traceback."""
    deck = tmp_path / "content" / "d"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text(
        "id: d\ntitle: T\nkeywords:\n  - {id: k, name: K, en: k}\n", encoding="utf-8")
    (deck / "q.yaml").write_text(
        "questions:\n"
        "  - id: bad\n    type: numeric\n    keywords: [k]\n    prompt: P\n"
        "    explanation: E\n"
        "    compute: {fn: ridge, args: {X: [[1, 0], [0, 1]], y: [1, 2, 3], lam: 1}}\n"
        "  - id: good\n    type: truefalse\n    keywords: [k]\n    prompt: P\n"
        "    explanation: E\n    answer: true\n", encoding="utf-8")
    app = make_app(tmp_path / "content")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q", "a", "a", "enter")  # all keywords, start
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert [i.question.id for i in screen.run.items] == ["good"]
        assert any("bad" in str(n.message) for n in app._notifications)


async def test_the_mistake_list_quiz_asks_only_the_mistakes_until_cleared(make_app) -> None:
    app = make_app()
    store = app.context.store
    deck = app.context.deck
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("m")  # an empty list: it says so and stays
        await pilot.pause()
        assert isinstance(app.screen, QuizSetupScreen)
        assert any("間違いノートは空" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        wrong = [q for q in deck.questions if q.type in ("choice", "code")][:2]
        for q in wrong:
            store.record_answer(deck.id, q.id, answer=-1, correct=False, duration_ms=1000)
        await pilot.press("q")
        await pilot.pause()
        assert "間違いノート: 2 問" in screen_text(app)
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen) and screen.run.mode == "mistakes"
        assert sorted(i.question.id for i in screen.run.items) == sorted(q.id for q in wrong)
        assert "問 1 / 2" in screen_text(app) and "·  間違いノート" in screen_text(app)
        for _ in range(2):
            await answer_right(pilot, screen)
            await pilot.press("enter")
            await pilot.pause()
        assert screen.run.finished
        rows = store.conn.execute("SELECT mode FROM attempts ORDER BY id").fetchall()
        assert [r[0] for r in rows][-2:] == ["mistakes", "mistakes"]
        assert len(store.mistakes(deck.id)) == 2  # one right answer is not enough
        assert "間違いノート: 2 問" in screen_text(app)


async def test_a_listing_fill_in_shows_its_code_with_the_blank_then_hides(make_app,
                                                                           tmp_path) -> None:
    """A listing's lines keep their indentation on screen; a question without one hides it."""
    from studyapp.study.exam import ExamQuestion
    from studyapp.study.quiz import QuizRun, make_item
    from tests.export.sample import write_sample

    app = make_app(write_sample(tmp_path / "content"))
    deck = app.context.deck
    listing = deck.item("dropout-listing")
    plain_code = deck.item("dropout-code")
    async with app.run_test(size=(80, 24)) as pilot:
        items = [make_item(deck.id, q, app.context.rng) for q in (listing, plain_code)]
        app.push_screen(QuizScreen(app.context, QuizRun(items=items)))
        await pilot.pause()
        widget = app.screen.query_one("#question-listing")
        assert widget.display
        shown = screen_text(app)
        assert "class Dropout:" in shown
        assert "        return out" in shown  # indentation kept
        assert "【ア】" in shown
        await pilot.press(*right_keys(app.screen.run.current), "enter")
        await pilot.pause()
        await pilot.press("enter")  # next question: a code question without a listing
        await pilot.pause()
        assert not widget.display
        assert "class Dropout:" not in screen_text(app)
    assert ExamQuestion.from_item(1, items[0]).listing == listing.listing
