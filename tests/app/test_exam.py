"""The mock exam as a learner takes it: setup, pick, flag, move back and forth, submit (or
run out of time), read the result; what the store recorded is checked."""

from __future__ import annotations

from datetime import timedelta

from studyapp.screens.exam import ExamScreen, ExamSetupScreen
from studyapp.screens.exam_result import ExamResultScreen
from studyapp.screens.home import HomeScreen
from studyapp.study.exam import ExamRun, draw_exam
from studyapp.widgets.confirm import ConfirmDialog
from studyapp.widgets.countdown import Countdown

from .conftest import screen_text, shown, wait_for


def attempts(store) -> list[tuple]:
    return store.conn.execute(
        "SELECT i.kind, i.item, a.variant, a.correct, a.duration_ms, a.mode "
        "FROM attempts a JOIN items i ON i.id = a.item_id ORDER BY a.id").fetchall()


async def start_exam(pilot, app) -> ExamScreen:
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, ExamSetupScreen)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ExamScreen))
    return app.screen


async def test_setup_offers_lengths_and_paces_in_proportion_to_the_real_exam(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        text = shown(app)
        assert "制限時間 24:00" in text and "20問 × 72秒" in text  # 120 min per 100 questions
        await pilot.click("#length-10")
        await pilot.press("tab", "down", "space")  # the keyboard way: the second pace
        await pilot.pause()
        assert "制限時間 06:40" in shown(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamScreen))
        screen = app.screen
        assert len(screen.run.questions) == 10
        assert screen.run.time_limit_ms == 400_000
        assert "残り 06:40" in shown(app)
        generated = [q for q in screen.run.questions if q.source == "generated"]
        assert len(generated) == 3  # about 30 % calculation problems


async def test_a_learner_answers_flags_moves_back_and_submits(make_app, clock) -> None:
    app = make_app()
    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_exam(pilot, app)
        run = screen.run
        assert len(run.questions) == 20
        first, second = run.questions[0], run.questions[1]
        assert "問 1 / 20" in shown(app) and "残り 24:00" in shown(app)

        await pilot.press(str(first.answer_position + 1))       # right
        clock.now += timedelta(seconds=30)
        await pilot.press("enter")                              # next
        await pilot.pause()
        assert run.index == 1 and "問 2 / 20" in shown(app)
        wrong = (second.answer_position + 1) % 4
        await pilot.press(str(wrong + 1))                       # wrong
        await pilot.press("f")                                  # flag for review
        clock.now += timedelta(seconds=50)
        await pilot.press("right")
        await pilot.pause()
        assert run.index == 2
        clock.now += timedelta(seconds=5)                       # question 3 left unanswered
        await pilot.press("left")
        await pilot.pause()
        assert run.index == 1 and run.picks[1] == wrong         # the pick is kept
        assert "問 2 / 20 見直し" in shown(app)
        clock.now += timedelta(seconds=10)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert run.index == 0
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert run.index == 1
        assert [s.answered for s in run.statuses()[:3]] == [True, True, False]
        assert [s.flagged for s in run.statuses()[:3]] == [False, True, False]

        await pilot.press("s")                                  # 18 unanswered: it asks
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "未解答が 18 問" in shown(app)
        await pilot.press("n")                                  # back to the exam
        await pilot.pause()
        assert app.screen is screen and not run.finished
        assert attempts(store) == []                            # nothing recorded yet

        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamResultScreen))

        rows = attempts(store)
        assert len(rows) == 2                                   # unanswered ones are not
        assert all(r[5] == "exam" for r in rows)
        assert [r[3] for r in rows] == [1, 0]
        assert [r[4] for r in rows] == [30_000, 60_000]         # 50 s + 10 s on question 2
        for q, row in zip((first, second), rows, strict=True):
            if q.source == "deck":
                assert row[:2] == ("question", q.ref)
            else:
                assert row[0] == "skill" and row[2] == q.ref
        if second.source == "deck":
            assert [m.item for m in store.mistakes()] == [second.ref]
        assert store.stats().quiz_attempts == 2

        text = shown(app)
        assert "得点 1 / 20（5%）" in text
        assert "解答 2 / 20 問" in text and "40秒を超えた問題 1 問" in text
        assert "1分00秒 !" in text                              # over the 40-second budget
        assert "30秒" in text
        assert "○ 正解" in text and "× 不正解" in text and "— 未解答" in text
        assert "間違えた問題の解説" in text
        feedback = second.feedback(wrong)
        if feedback:
            assert feedback[0][:15] in text.replace("\n", "")
        for kw in second.keywords:
            assert app.context.keyword_name(kw) in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_time_out_submits_by_itself_even_with_a_dialog_open(make_app, clock) -> None:
    app = make_app()
    context = app.context
    store = context.store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        questions = draw_exam(context.deck, 3, rng=context.rng)
        run = ExamRun.start(questions, time_limit_s=10, now_ms=store.now_ms())
        app.push_screen(ExamScreen(context, run))
        await pilot.pause()
        assert "残り 00:10" in shown(app)
        await pilot.press(str(questions[0].answer_position + 1))
        clock.now += timedelta(seconds=4)
        await pilot.press("escape")                            # the leave dialog is open …
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        clock.now += timedelta(seconds=7)                      # … when the time runs out
        await wait_for(pilot, lambda: isinstance(app.screen, ExamResultScreen))
        result = app.screen.result
        assert result.timed_out
        assert result.used_ms == 10_000
        assert [r.spent_ms for r in result.rows] == [10_000, 0, 0]
        assert "時間切れで提出" in shown(app)
        assert "得点 1 / 3" in shown(app)
        assert [(r[3], r[4], r[5]) for r in attempts(store)] == [(1, 10_000, "exam")]


async def test_countdown_reads_the_clock(make_app, clock) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_exam(pilot, app)
        countdown = screen.query_one(Countdown)
        clock.now += timedelta(minutes=19, seconds=30)
        countdown.tick()
        await pilot.pause()
        assert "残り 04:30" in shown(app)
        assert countdown.has_class("-low")
        clock.now += timedelta(minutes=4)
        countdown.tick()
        await pilot.pause()
        assert "残り 00:30" in shown(app) and countdown.has_class("-last-minute")


async def test_escape_asks_before_leaving_and_records_nothing(make_app) -> None:
    app = make_app()
    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_exam(pilot, app)
        await pilot.press("1", "enter", "2")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert attempts(store) == []


async def test_quit_and_palette_also_ask_during_a_running_exam(make_app) -> None:
    """ctrl+q and the command palette's areas would drop the unrecorded answers: ask."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_exam(pilot, app)
        await pilot.press("1")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and app.is_running
        app.open_area("stats")  # what the palette's 統計 entry calls
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "StatsScreen"


async def test_enter_on_the_last_question_asks_to_submit(make_app) -> None:
    app = make_app()
    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#length-10")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamScreen))
        screen = app.screen
        for q in screen.run.questions:                         # all right, enter after each
            await pilot.press(str(q.answer_position + 1), "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "すべての問題に解答しました" in shown(app)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamResultScreen))
        assert "得点 10 / 10（100%）" in shown(app)
        assert "間違えた問題の解説" not in shown(app)
        assert len(attempts(store)) == 10
        await pilot.press("n")                                 # another exam: the setup again
        await pilot.pause()
        assert isinstance(app.screen, ExamSetupScreen)


async def test_clicking_a_number_on_the_strip_jumps_there(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_exam(pilot, app)
        nav = screen.query_one("#exam-nav")
        left = nav.content_region.x - nav.region.x
        await pilot.click("#exam-nav", offset=(left + 2 * 5 + 2, 0))  # the cell of 3
        await pilot.pause()
        assert screen.run.index == 2
        assert "問 3 / 20" in shown(app)


async def test_setup_cursor_starts_on_the_selected_length(make_app) -> None:
    """The highlighted length is the selected one: ↑ then space from 20問 picks 10問."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "up", "space")
        await pilot.pause()
        assert "制限時間 12:00（10問" in shown(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamScreen))
        assert len(app.screen.run.questions) == 10


async def test_setup_space_alone_keeps_the_default_length(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "space", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamScreen))
        assert len(app.screen.run.questions) == 20


async def test_r_retries_the_deck_questions_missed_as_a_quiz(make_app, clock) -> None:
    """r on the result: a quiz of the deck questions answered wrong or left blank, options
    shuffled again; the generated ones are left out (a quiz asks deck questions only) and
    the screen says so; the answers are recorded as any quiz answer is."""
    from studyapp.screens.quiz import QuizScreen

    app = make_app()
    store = app.context.store
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#length-10")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamScreen))
        run = app.screen.run
        questions = run.questions
        assert {q.source for q in questions} == {"deck", "generated"}
        # right, wrong, right, wrong …, the last two left blank
        for k, q in enumerate(questions[:-2]):
            pick = q.answer_position if k % 2 == 0 else (q.answer_position + 1) % 4
            await pilot.press(str(pick + 1), "enter")
            await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamResultScreen))
        result = app.screen.result
        missed = [r.question for r in result.rows if not r.correct]
        deck_missed = [q.ref for q in missed if q.source == "deck"]
        generated_missed = [q for q in missed if q.source == "generated"]
        assert deck_missed
        text = "".join(screen_text(app).split())
        assert f"デッキの問題{len(deck_missed)}問" in text
        if generated_missed:
            assert f"計算問題{len(generated_missed)}問" in text and "含みません" in text
        before = len(attempts(store))

        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        quiz = app.screen
        assert [i.question.id for i in quiz.run.items] == deck_missed
        assert quiz.run.mode == "retry"
        item = quiz.run.current
        right = min(item.correct_positions)
        await pilot.press(str(right + 1), "enter")
        await pilot.pause()
        rows = attempts(store)
        assert len(rows) == before + 1
        assert rows[-1][:2] == ("question", deck_missed[0])
        assert rows[-1][3] == 1 and rows[-1][5] == "retry"


async def test_r_is_off_when_every_answer_was_right(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        context = app.context
        questions = draw_exam(context.deck, 3, rng=context.rng)
        run = ExamRun.start(questions, time_limit_s=300, now_ms=context.store.now_ms())
        app.push_screen(ExamScreen(context, run))
        await pilot.pause()
        for q in questions:
            await pilot.press(str(q.answer_position + 1), "enter")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamResultScreen))
        screen = app.screen
        assert screen.check_action("retry", ()) is False
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen
