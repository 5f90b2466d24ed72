"""``?`` on every screen: help in Japanese on the keys of the screen in front, read from
its bindings; ``escape`` closes it and leaves the learner where they were. The palette's
Keys panel closes with ``escape`` too, and its Screenshot saves into the data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.screens.areas import AREAS
from studyapp.screens.flashcards import FlashcardScreen
from studyapp.screens.help import GENERAL_HELP, SCREEN_HELP, HelpScreen
from studyapp.screens.home import HomeScreen
from studyapp.screens.quiz import QuizScreen, QuizSetupScreen

from .conftest import screen_text, shown, wait_for


def help_text(app) -> str:
    assert isinstance(app.screen, HelpScreen)
    return screen_text(app)


async def test_question_mark_on_home_lists_homes_keys_and_escape_closes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app)
        assert "ホーム" in text and SCREEN_HELP["HomeScreen"][1][:20] in text
        for area in AREAS:  # every key of home, from its bindings
            assert area.label in text
        assert "終了" in text and "コマンドパレット" in text  # the app's own keys
        assert "Focus" not in text and "Copy" not in text  # Textual's English defaults
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # ? again: open, and ? closes it too
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_flashcard_help_says_which_keys_work_now_and_escape_stays(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FlashcardScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        rows = {row.keys: row for row in screen.rows}
        assert rows["space"].text.startswith("答えを見る") and rows["space"].enabled
        # the ratings wait for the answer, and undo for a rating: listed, not usable yet
        for key, label in (("1", "もう一度"), ("2", "難しい"), ("3", "正解"), ("4", "簡単")):
            assert rows[key].text == label and not rows[key].enabled
        assert not rows["u"].enabled
        text = help_text(app)
        assert "今は使えません" in text and "FSRS" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FlashcardScreen)  # not home: escape closed the help
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        rows = {row.keys: row for row in app.screen.rows}
        assert rows["3"].enabled and not rows["space"].enabled


async def test_every_area_has_help_with_its_own_paragraph(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        for area in AREAS:
            await pilot.press(area.key)
            await pilot.pause()
            below = app.screen
            name = type(below).__name__
            assert name in SCREEN_HELP, name
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), name
            text = help_text(app)
            assert SCREEN_HELP[name][1][:15] in text
            assert GENERAL_HELP[1] not in text
            # each key the screen's key bar shows is explained in the help
            for active in below.active_bindings.values():
                if active.binding.show and active.node is below:
                    assert active.binding.description in text, (name, active.binding)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is below
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)


async def test_numbered_picks_are_one_row_and_a_typed_question_mark_stays_typed(
        make_app) -> None:
    app = make_app(seed=5)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuizSetupScreen)
        await pilot.press("enter")
        await pilot.pause()
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        quiz.run.items.sort(key=lambda item: item.question.type != "choice")
        quiz.show_question()
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        rows = {row.keys: row for row in app.screen.rows}
        assert rows["1–6"].text.startswith("選択肢を選ぶ")
        await pilot.press("escape")
        await pilot.pause()
        # a numeric question's field takes ? as text, not as help
        quiz.run.items.sort(key=lambda item: item.question.type != "numeric")
        quiz.run.index = 0
        quiz.show_question()
        await pilot.pause()
        await pilot.pause()
        assert quiz.numeric_input is not None and quiz.numeric_input.has_focus
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is quiz and quiz.numeric_input.value == "?"


async def test_help_reads_at_80x24(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "question_mark")
        await pilot.pause()
        text = shown(app)
        assert "ヘルプ" in text and "答えを見る" in text
        box = app.screen.query_one("#help-box")
        assert box.region.right <= 80 and box.region.bottom <= 23


async def test_the_keys_panel_closes_with_escape_on_home_and_below(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_show_help_panel()  # the palette's "Keys"
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query("HelpPanel") and isinstance(app.screen, HomeScreen)
        await pilot.press("f")
        await pilot.pause()
        app.action_show_help_panel()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        # the first escape closes the panel, the learner stays on the flashcards
        assert isinstance(app.screen, FlashcardScreen) and not app.screen.query("HelpPanel")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_palettes_screenshot_saves_into_the_data_folder(
        make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"  # a home without ~/Downloads
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.chdir(home)  # the fallback without a database lands here, not in the repo
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        command = next(c for c in app.get_system_commands(app.screen)
                       if c.title == "Screenshot")
        command.callback()
        await wait_for(pilot, lambda: any(tmp_path.glob("*.svg")))
        (saved,) = tmp_path.glob("*.svg")
        assert saved.read_text(encoding="utf-8").startswith("<svg")
        await wait_for(pilot, lambda: any(str(saved) in str(n.message)
                                          for n in app._notifications))
        notice = next(n for n in app._notifications if str(saved) in str(n.message))
        assert notice.title == "スクリーンショットを保存しました"
        assert notice.severity == "information"
        assert not (home / "Downloads").exists()


async def test_help_over_a_running_exam_still_asks_before_leaving(make_app) -> None:
    """ctrl+q or an area from the palette, with the help open over a running mock exam,
    would drop the exam's unrecorded answers: the exam asks first, as without the help."""
    from studyapp.screens.exam import ExamScreen, ExamSetupScreen
    from studyapp.widgets.confirm import ConfirmDialog

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExamSetupScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamScreen))
        exam = app.screen
        await pilot.press("1", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and app.is_running
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is exam
        await pilot.press("question_mark")
        await pilot.pause()
        app.open_area("stats")  # the palette's 統計
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "StatsScreen"
