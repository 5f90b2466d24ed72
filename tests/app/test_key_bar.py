"""The key bar and the title bar: what Textual's Footer and Header show, as one widget each."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from studyapp.screens.home import HomeScreen
from studyapp.screens.quiz import QuizSetupScreen
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.title_bar import TitleBar


def bar_text(app: App[object]) -> str:
    return str(app.screen.query_one(KeyBar).render())


def cell_of(text: str, key: str) -> int:
    """The terminal column of ``key`` in the bar (Japanese takes two cells a character)."""
    return cell_len(text[:text.index(f" {key} ")]) + 1


class Keys(Screen[None]):
    BINDINGS = [
        Binding("a", "count('a')", "増やす"),
        Binding("b", "count('b')", "無効"),
        Binding("c", "count('c')", "隠す", show=False),
        Binding("d", "count('a')", "同じ動作"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("本文")
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if parameters == ("b",):
            return None  # shown, disabled
        return True

    def action_count(self, key: str) -> None:
        self.pressed.append(key)


class KeysApp(App[None]):
    TITLE = "題"

    def get_default_screen(self) -> Screen[None]:
        return Keys()


async def test_key_bar_shows_each_action_once_and_hides_what_is_hidden() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert " a 増やす " in text and " b 無効 " in text
        assert "隠す" not in text and "同じ動作" not in text  # d repeats a's action
        assert text.rstrip().endswith("^p palette")


async def test_clicking_a_key_presses_it_and_a_disabled_key_does_nothing() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Keys)
        bar = screen.query_one(KeyBar)
        text = bar_text(app)
        await pilot.click(KeyBar, offset=(cell_of(text, "a"), 0))
        await pilot.click(KeyBar, offset=(cell_of(text, "b"), 0))
        await pilot.pause()
        assert screen.pressed == ["a"]
        assert bar.region.y == 9  # docked at the bottom


async def test_title_bar_follows_the_title_and_subtitle() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(TitleBar)
        assert str(bar.render()).strip() == "題"
        app.sub_title = "正則化"
        await pilot.pause()
        assert str(bar.render()).strip() == "題 — 正則化"
        assert bar.region.y == 0


async def test_home_key_bar_lists_every_area_and_a_click_opens_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        text = bar_text(app)
        for label in ("f カード", "q クイズ", "p 練習", "e 模試", "s 統計", "x 図解", "^q 終了"):
            assert label in text, label
        await pilot.click(KeyBar, offset=(cell_of(text, "q"), 0))
        await pilot.pause()
        assert isinstance(app.screen, QuizSetupScreen)
        assert "q クイズ" not in bar_text(app)  # the bar follows the screen in front


async def test_a_disabled_key_is_dimmed_but_keeps_its_colours() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        line = app.screen.query_one(KeyBar).render()
        text = line.plain

        def style_at(i: int):
            return line.get_style_at_offset(app.console, i)

        enabled, disabled = style_at(text.index(" a ") + 1), style_at(text.index(" b ") + 1)
        assert disabled.dim and not enabled.dim
        assert disabled.color == enabled.color and disabled.bold


async def test_hovering_a_key_shows_its_tooltip() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        await pilot.hover(KeyBar, offset=(cell_of(bar_text(app), "a"), 0))
        assert bar.tooltip == "増やす"


async def test_at_80_columns_every_home_key_fits_on_the_bar_and_clicks_work(make_app) -> None:
    """Home has more keys than fit at 80 columns with padding: the bar drops the padding
    rather than the last keys (``^q 終了`` fell off the end)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        line = bar.render()
        assert line.cell_len <= 80
        shown = {span.key for span in bar._spans}
        for key in ("f", "q", "p", "e", "s", "x", "question_mark", "ctrl+q"):
            assert key in shown, key
        assert "^q終了" in line.plain
        quiz = next(span for span in bar._spans if span.key == "q")
        await pilot.click(KeyBar, offset=(quiz.start, 0))
        await pilot.pause()
        assert isinstance(app.screen, QuizSetupScreen)
