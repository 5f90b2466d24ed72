"""The registry of areas is the one source of home's keys, the palette's entries and the
screens the app opens; the base screen and the leave protocol as the app uses them."""

from __future__ import annotations

import pytest

from studyapp.screens.areas import AREAS, area
from studyapp.screens.base import ConfirmsLeave, StudyScreen
from studyapp.screens.home import HomeScreen


def test_every_area_has_its_own_key_and_builds_its_screen(make_app) -> None:
    app = make_app()
    assert [a.name for a in AREAS] == ["flashcards", "quiz", "practice", "exam", "stats",
                                       "explore", "browser", "exercises"]
    assert len({a.key for a in AREAS}) == len(AREAS)
    for each in AREAS:
        screen = each.make_screen(app.context)
        assert isinstance(screen, StudyScreen) and screen.context is app.context
        assert type(screen).__name__ == each.screen.partition(":")[2]
        assert area(each.name) is each
    with pytest.raises(ValueError, match="unknown area 'nope'"):
        area("nope")
    app.context.store.close()


def test_home_keys_and_palette_entries_come_from_the_registry(make_app) -> None:
    keys = {b.key: b for b in HomeScreen.BINDINGS if b.action.startswith("app.open_area")}
    assert list(keys) == [a.key for a in AREAS]
    for each in AREAS:
        binding = keys[each.key]
        assert binding.action == f"app.open_area('{each.name}')"
        assert binding.description == each.label and binding.tooltip == each.tooltip
    app = make_app()
    titles = {c.title: c.help for c in app.get_system_commands(HomeScreen(app.context))}
    for each in AREAS:
        assert titles[f"{each.title}（{each.key}）"] == each.help
    app.context.store.close()


async def test_each_key_opens_its_area_and_only_the_exam_asks_before_leaving(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        for each in AREAS:
            await pilot.press(each.key)
            await pilot.pause()
            screen = app.screen
            assert type(screen).__name__ == each.screen.partition(":")[2]
            assert not isinstance(screen, ConfirmsLeave)  # nothing unrecorded to lose
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
        from studyapp.screens.exam import ExamScreen

        assert issubclass(ExamScreen, ConfirmsLeave)


async def test_a_refused_write_is_one_notice(make_app) -> None:
    from studyapp.store import StoreError

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        screen.notify_store_error(StoreError("ディスクがいっぱいです"))
        screen.notify_store_error(StoreError("ロック中"), title="取り消せませんでした")
        await pilot.pause()
        notices = [(n.title, n.message, n.severity) for n in app._notifications]
        assert ("保存できませんでした", "ディスクがいっぱいです", "error") in notices
        assert ("取り消せませんでした", "ロック中", "error") in notices
