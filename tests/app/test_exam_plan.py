"""Home's exam panel: the exam date set in the settings screen shows 「試験まで N 日」,
today's plan and the predicted recall; a limit too low for the exam is offered a raise."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from studyapp.screens.home import HomeScreen
from studyapp.settings import save_setting

from .conftest import screen_text, two_deck_content, wait_for
from .test_settings import open_settings, type_into


async def test_the_exam_date_set_in_settings_shows_on_home(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        assert "試験まで" not in screen_text(app)
        exam = app.context.store.today() + timedelta(days=30)
        await open_settings(pilot)
        await type_into(pilot, "exam_date", exam.isoformat())
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        text = screen_text(app)
        assert "試験まで 30 日" in text and exam.isoformat() in text
        assert "今日の計画: 新規" in text and "試験日の予測想起率 0%" in text
        assert "弱いキーワード" in text
        assert "間に合いません" not in text  # 20 a day is enough for the bundled deck
        # the store schedules for the exam too (the final-week policy)
        assert app.context.store.config.exam_date == exam


async def test_home_offers_to_raise_new_per_day_when_it_cannot_finish(
        make_app, tmp_path: Path) -> None:
    app = make_app()
    today = app.context.store.today()
    save_setting(tmp_path, "exam_date", today + timedelta(days=10))  # 4 days for new cards
    save_setting(tmp_path, "new_per_day", 5)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        text = screen_text(app)
        assert "試験まで 10 日" in text and "間に合いません" in text
        needed = app.screen.plan.new_needed_per_day
        assert needed is not None and needed > 5 and f"1日 {needed} 枚必要" in text
        await pilot.press("plus")
        await wait_for(pilot, lambda: "間に合いません" not in screen_text(app))
        assert json.loads((tmp_path / "settings.json").read_text())["new_per_day"] == needed
        assert app.context.store.config.new_cards_per_day == needed


async def test_the_exam_today_says_so(make_app, tmp_path: Path) -> None:
    app = make_app()
    save_setting(tmp_path, "exam_date", app.context.store.today())
    app = make_app()
    async with app.run_test(size=(100, 40)):
        assert "試験は今日です" in screen_text(app)


async def test_stats_show_the_prediction_beside_mock_exams_with_an_exam_date(
        make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: "記録の内訳" in screen_text(app))
        assert "試験日の予測想起率と模試" not in screen_text(app)
    save_setting(tmp_path, "exam_date", app.context.store.today() + timedelta(days=20))
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: "記録の内訳" in screen_text(app))
        text = screen_text(app)
        assert "試験日の予測想起率と模試" in text
        assert "予測   0%" in text and "模試 —" in text


async def test_home_projects_the_plan_once_per_refresh_not_per_key_bar_repaint(
        make_app, tmp_path: Path, monkeypatch) -> None:
    import studyapp.screens.home as home
    from studyapp.widgets.key_bar import KeyBar

    calls: list[object] = []
    real = home.plan_for

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(home, "plan_for", counting)
    app = make_app()
    save_setting(tmp_path, "exam_date", app.context.store.today() + timedelta(days=30))
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert len(calls) == 1  # composed once
        screen = app.screen
        for _ in range(3):  # the key bar asks check_action on each repaint
            screen.refresh_bindings()
            await pilot.hover(KeyBar, offset=(2, 0))
            await pilot.hover(KeyBar, offset=(30, 0))
            await pilot.pause()
        assert screen.check_action("raise_new", ()) is False
        assert len(calls) == 1
        screen.refresh_summary()
        assert len(calls) == 2


async def test_home_paces_new_cards_over_every_deck(make_app, tmp_path: Path) -> None:
    """``new_per_day`` is shared by the decks: home plans all their new cards, as
    ``studyapp plan`` does; the weakest keywords stay the current deck's."""
    from studyapp.study.plan import plan_for

    content = two_deck_content(tmp_path)
    app = make_app(content)
    save_setting(tmp_path, "exam_date", app.context.store.today() + timedelta(days=30))
    app = make_app(content)
    assert app.context.deck.id == "a-mine"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        store = app.context.store
        every = plan_for(store, store.config.exam_date)
        assert every.new_left > 1
        shown = app.screen.plan
        assert shown is not None and shown.new_left == every.new_left
        text = screen_text(app)
        assert f"今日の計画: 新規 {every.days[0].new} 枚" in text
        assert "弱いキーワード: その他" in text and "L1正則化" not in text


async def test_stats_read_the_past_exam_history_once_per_study_day(
        make_app, tmp_path: Path, monkeypatch) -> None:
    import studyapp.store.exam as exam_store

    calls: list[object] = []
    real = exam_store.history

    def counting(*args, **kwargs):
        calls.append(kwargs.get("since"))
        return real(*args, **kwargs)

    monkeypatch.setattr(exam_store, "history", counting)
    app = make_app()
    save_setting(tmp_path, "exam_date", app.context.store.today() + timedelta(days=20))
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: "記録の内訳" in screen_text(app))
        await pilot.pause()
        assert calls == [None]  # opening reads the window once
        before = str(app.screen.query_one("#exam-history").content)
        await pilot.press("r")
        await pilot.pause()
        today = app.context.store.today()
        assert calls == [None, today]  # a refresh reads today's point only
        assert str(app.screen.query_one("#exam-history").content) == before
