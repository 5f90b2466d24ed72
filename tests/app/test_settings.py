"""The settings screen (``,`` on home) and the settings the app starts with: values kept
across a restart on the same data folder, a bad value refused in place, the theme chosen
in the command palette kept too."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from studyapp.app import create_app
from studyapp.screens.home import HomeScreen
from studyapp.settings import SettingsFileError, theme_names

from .conftest import screen_text, wait_for


def settings_screen(app):
    from studyapp.screens.settings import SettingsScreen

    return isinstance(app.screen, SettingsScreen)


async def open_settings(pilot) -> None:
    await pilot.press("comma")
    await wait_for(pilot, lambda: settings_screen(pilot.app))


async def type_into(pilot, key: str, text: str) -> None:
    """Focus a setting's field, replace what it holds by ``text`` and press enter."""
    field = pilot.app.screen.query_one(f"#setting-{key}", Input)
    field.focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * len(field.value), *text, "enter")
    await pilot.pause()


async def choose(pilot, key: str, value: str) -> None:
    """Open a setting's list with enter and pick ``value`` with the arrow keys."""
    select = pilot.app.screen.query_one(f"#setting-{key}", Select)
    select.focus()
    await pilot.pause()
    values = [v for _, v in select._options]
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("home", *["down"] * values.index(value), "enter")
    await pilot.pause()


def palette_highlights(app, title: str) -> bool:
    """The command palette is open with ``title``'s entry highlighted (its search runs in
    the background, so the list fills in a while after the keys)."""
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    if not lists or lists.first().highlighted is None:
        return False
    commands = lists.first()
    return str(commands.get_option_at_index(commands.highlighted).prompt).startswith(title)


def error_text(app, key: str) -> str:
    widget = app.screen.query_one(f"#error-{key}", Static)
    return str(widget.content) if widget.display else ""


def saved(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))


def tile_new_left(app) -> str:
    """The number under 新規の残り on home."""
    text = str(app.screen.query_one("#tiles", Static).content)
    labels, numbers = text.splitlines()[:2]
    return numbers.split()[labels.split().index("新規の残り") * 2]


async def test_comma_opens_the_settings_with_every_key_and_escape_goes_home(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one("KeyBar").render().plain
        assert ", 設定" in bar or ",設定" in bar  # (compact when home's keys fill 80 columns)
        await open_settings(pilot)
        text = screen_text(app)
        for label in ("1日の新規カード", "新規カードの順番", "1日の復習上限", "目標保持率",
                      "試験日", "テーマ", "リーチの扱い"):
            assert label in text
        assert app.screen.query_one("#setting-new_per_day", Input).value == "20"
        assert app.screen.query_one("#setting-desired_retention", Input).value == "0.9"
        assert app.screen.query_one("#setting-exam_date", Input).value == "none"
        assert app.screen.query_one("#setting-new_order", Select).value == "deck"
        assert app.screen.query_one("#setting-theme", Select).value == app.theme
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_new_per_day_and_theme_are_kept_across_a_restart(make_app,
                                                               tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await type_into(pilot, "new_per_day", "7")
        assert saved(tmp_path)["new_per_day"] == 7
        assert app.context.store.config.new_cards_per_day == 7  # in force at once
        await choose(pilot, "theme", "nord")
        assert app.theme == "nord"
        await wait_for(pilot, lambda: saved(tmp_path).get("theme") == "nord")
        await pilot.press("escape")
        await pilot.pause()
        assert tile_new_left(app) == "7"

    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"
        assert tile_new_left(again) == "7"
        assert len(again.context.store.due_queue().new) == 7
        await open_settings(pilot)
        assert again.screen.query_one("#setting-new_per_day", Input).value == "7"
        assert again.screen.query_one("#setting-theme", Select).value == "nord"


@pytest.mark.parametrize(("key", "bad", "says"), [
    ("new_per_day", "-3", "0〜99999"),
    ("new_per_day", "many", "整数"),
    ("desired_retention", "0.99", "0.97"),
    ("exam_date", "2026/07/18", "YYYY-MM-DD"),
])
async def test_a_bad_value_is_refused_in_place_and_nothing_is_saved(
    make_app, tmp_path: Path, key: str, bad: str, says: str
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await type_into(pilot, key, bad)
        assert settings_screen(app)  # still here, the value still in its field
        assert app.screen.query_one(f"#setting-{key}", Input).value == bad
        assert says in error_text(app, key)
        assert not (tmp_path / "settings.json").exists()
        assert app.context.store.config.new_cards_per_day == 20
        assert app.context.store.config.desired_retention == 0.9
        # a good value then saves, and the message goes
        good = {"new_per_day": "5", "desired_retention": "0.85",
                "exam_date": "2026-07-18"}[key]
        await type_into(pilot, key, good)
        assert error_text(app, key) == ""
        assert str(saved(tmp_path)[key]) == good


async def test_the_other_settings_are_saved_from_the_screen(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await choose(pilot, "new_order", "random")
        await type_into(pilot, "reviews_per_day", "50")
        await type_into(pilot, "desired_retention", "0.8")
        await type_into(pilot, "exam_date", "2027-02-20")
        await choose(pilot, "leech_action", "suspend")
        assert saved(tmp_path) == {"new_order": "random", "reviews_per_day": 50,
                                   "desired_retention": 0.8, "exam_date": "2027-02-20",
                                   "leech_action": "suspend"}
        config = app.context.store.config
        assert (config.new_order, config.reviews_per_day, config.desired_retention,
                config.leech_action) == ("random", 50, 0.8, "suspend")


async def test_the_theme_chosen_in_the_command_palette_is_kept(make_app,
                                                               tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme")
        await wait_for(pilot, lambda: palette_highlights(app, "Theme"))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"dracula")
        await wait_for(pilot, lambda: palette_highlights(app, "dracula"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.theme == "dracula")
        await wait_for(pilot, lambda: (tmp_path / "settings.json").exists())
        assert saved(tmp_path) == {"theme": "dracula"}

    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.theme == "dracula"


async def test_the_store_starts_with_the_saved_settings(make_app, tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(json.dumps(
        {"new_per_day": 3, "new_order": "random", "reviews_per_day": 9,
         "desired_retention": 0.8, "theme": "gruvbox", "leech_action": "suspend"}),
        encoding="utf-8")
    app = make_app()
    config = app.context.store.config
    assert (config.new_cards_per_day, config.new_order, config.reviews_per_day,
            config.desired_retention, config.leech_action) == (3, "random", 9, 0.8, "suspend")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "gruvbox"
        assert tile_new_left(app) == "3"


async def test_a_theme_this_textual_does_not_have_falls_back_to_the_default(
    make_app, tmp_path: Path
) -> None:
    (tmp_path / "settings.json").write_text('{"theme": "gone-theme"}', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        await open_settings(pilot)  # the screen shows a theme that exists
        assert pilot.app.screen.query_one("#setting-theme", Select).value == "textual-dark"
    assert saved(tmp_path) == {"theme": "gone-theme"}  # not rewritten by starting


def test_a_damaged_settings_file_stops_the_app_in_one_line_and_is_kept(
    tmp_path: Path
) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"new_per_day": 20,,}', encoding="utf-8")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(SettingsFileError) as info:
        create_app(None, tmp_path)
    assert str(path) in info.value.message and "\n" not in info.value.message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "progress.sqlite3").exists()


def test_every_theme_of_the_list_is_a_textual_theme() -> None:
    from textual.app import App

    assert set(theme_names()) <= set(App().available_themes)


async def test_a_theme_that_could_not_be_saved_is_not_said_saved(make_app,
                                                                 tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        path = tmp_path / "settings.json"
        path.write_text('{"new_per_day": 20,,}', encoding="utf-8")  # damaged meanwhile
        await choose(pilot, "theme", "nord")
        assert app.theme == "nord"  # in force for this run
        status = str(app.screen.query_one("#settings-status", Static).content)
        assert "保存しました" not in status
        assert str(path) in error_text(app, "theme")
        assert path.read_text(encoding="utf-8") == '{"new_per_day": 20,,}'
        # once the file is sound again, a theme saves and says so
        path.unlink()
        await choose(pilot, "theme", "dracula")
        assert saved(tmp_path) == {"theme": "dracula"}
        assert error_text(app, "theme") == ""
        assert "保存しました: theme = dracula" in str(
            app.screen.query_one("#settings-status", Static).content)
