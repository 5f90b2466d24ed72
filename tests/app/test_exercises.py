"""Code exercises as a learner uses them: ``c`` on home, open one, write the code in the
editor, run the checks, read the result; every check is in the store, the skill rated."""

from __future__ import annotations

from textual.widgets import OptionList, Static, TextArea

from studyapp.exercises.catalog import get
from studyapp.screens.exercises import ExerciseScreen, ExercisesScreen
from studyapp.store import Rating
from tests.app.conftest import plain, wait_for


def _results(app) -> str:
    return plain(app.screen.query_one("#results", Static).render())


async def _open(pilot, app, exercise_id: str) -> ExerciseScreen:
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
    options = app.screen.query_one("#exercise-list", OptionList)
    index = next(i for i in range(options.option_count)
                 if options.get_option_at_index(i).id == exercise_id)
    options.highlighted = index
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ExerciseScreen))
    return app.screen


async def _replace_code(pilot, screen, code: str) -> None:
    editor = screen.query_one("#editor", TextArea)
    editor.focus()
    editor.select_all()
    editor.replace(code, *editor.selection)  # what pasting over the selection does
    await pilot.pause()
    assert editor.text == code


async def test_list_shows_every_exercise_with_its_state(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        options = app.screen.query_one("#exercise-list", OptionList)
        rows = [plain(options.get_option_at_index(i).prompt)
                for i in range(options.option_count)]
        assert any("soft-threshold" in r for r in rows)
        assert all(r.startswith("未着手") for r in rows)


async def test_solve_in_the_editor_records_attempts_and_rates(make_app) -> None:
    app = make_app()
    exercise = get("weight-decay-step")
    assert exercise is not None
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app, "weight-decay-step")
        editor = screen.query_one("#editor", TextArea)
        assert "def sgd_step(w, grad, lr, decay):" in editor.text  # the starter
        # a classic mistake first
        await _replace_code(pilot, screen, "def sgd_step(w, grad, lr, decay):\n"
                                           "    return w - lr * grad - decay * w\n")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: _results(app).startswith("NG"), tries=400)
        text = _results(app)
        assert "最初に合わなかったケース" in text
        assert "よくある誤り: decay·w に学習率を掛け忘れた" in text
        # a hint, then the right code
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "ヒント 1/" in _results(app)
        await _replace_code(pilot, screen, exercise.solution)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: _results(app).startswith("OK"), tries=400)
        assert "模範解答" in _results(app)
        assert "評価: Hard" in _results(app)
        kept = app.context.store.exercise_attempts("weight-decay-step")
        assert [a.passed == a.total for a in kept] == [False, True]
        assert kept[1].code == exercise.solution
        assert kept[1].hints == 1
        await pilot.press("escape")
        await pilot.pause()
        status = app.context.store.exercise_statuses(["weight-decay-step"])[0]
        assert status.status == "solved"


async def test_first_try_without_hints_is_good_and_code_is_kept(make_app) -> None:
    app = make_app()
    exercise = get("l2-grad")
    assert exercise is not None
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, app, "l2-grad")
        await _replace_code(pilot, screen, exercise.solution)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: _results(app).startswith("OK"), tries=400)
        assert "評価: Good" in _results(app)
        await pilot.press("escape")  # home at once, from the editor too
        await wait_for(pilot, lambda: len(app.screen_stack) == 1)
        screen = await _open(pilot, app, "l2-grad")
        assert screen.query_one("#editor", TextArea).text == exercise.solution


async def test_stopped_code_shows_why_and_leaving_unsolved_is_again(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app, "ridge")
        await _replace_code(pilot, screen, "import os\nos.system('true')\n")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: _results(app).startswith("NG"), tries=400)
        assert "禁止された操作: os.system" in _results(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(app.screen_stack) == 1)
        store = app.context.store
        status = store.exercise_statuses(["ridge"])[0]
        assert status.status in ("attempted", "due")
        assert status.state is not None
        last = store.conn.execute(
            "SELECT rating FROM reviews ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert last == int(Rating.Again)


async def test_no_code_runs_when_the_server_forbids_it(make_app, monkeypatch) -> None:
    monkeypatch.setenv("STUDYAPP_NO_CODE", "1")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app, "ridge")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "コードを実行できません" in _results(app)
        assert app.context.store.exercise_attempts("ridge") == []


async def test_escape_from_the_editor_goes_home_and_keeps_the_code_as_a_draft(
        make_app) -> None:
    app = make_app()
    exercise = get("l1-grad")
    assert exercise is not None
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app, "l1-grad")
        editor = screen.query_one("#editor", TextArea)
        assert editor.has_focus
        await _replace_code(pilot, screen, "import numpy as np\n\n\ndef l1_grad(w, lam):\n")
        editor.move_cursor(editor.document.end)
        await pilot.press(*"    return lam * np.sign(w)")  # typed, key by key
        typed = "import numpy as np\n\n\ndef l1_grad(w, lam):\n    return lam * np.sign(w)"
        assert editor.text == typed
        await pilot.press("escape")  # once: home, even with the editor focused
        await wait_for(pilot, lambda: len(app.screen_stack) == 1)
        assert app.context.store.exercise_draft("l1-grad") == typed
        screen = await _open(pilot, app, "l1-grad")
        assert screen.query_one("#editor", TextArea).text == typed
        assert "下書き" in _results(app)  # shown as such
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: _results(app).startswith("OK"), tries=400)
        kept = app.context.store.exercise_attempts("l1-grad")
        assert [(a.code, a.passed == a.total) for a in kept] == [(typed, True)]
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(app.screen_stack) == 1)
        # the code left is the code checked: no draft any more, the check's code opens
        assert app.context.store.exercise_draft("l1-grad") is None
        screen = await _open(pilot, app, "l1-grad")
        assert screen.query_one("#editor", TextArea).text == typed
        assert "下書き" not in _results(app)


async def test_an_untouched_starter_leaves_no_draft(make_app) -> None:
    app = make_app()
    exercise = get("max-norm")
    assert exercise is not None
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app, "max-norm")
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(app.screen_stack) == 1)
        assert app.context.store.exercise_draft("max-norm") is None
        screen = await _open(pilot, app, "max-norm")
        assert screen.query_one("#editor", TextArea).text == exercise.starter
        assert "下書き" not in _results(app)


async def test_quitting_from_the_editor_keeps_the_draft(make_app, tmp_path) -> None:
    from studyapp.store import open_store

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app, "ridge")
        await _replace_code(pilot, screen, "# まだ途中\n")
        await pilot.press("ctrl+q")
        await pilot.pause()
    with open_store(tmp_path) as store:
        assert store.exercise_draft("ridge") == "# まだ途中\n"
