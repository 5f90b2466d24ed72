"""The Textual app: home, flashcards, quiz, practice, mock exam, stats and explore.

:func:`create_app` is the one factory: ``studyapp`` (the command line), ``studyapp serve``
and the tests all build the app through it. Screens live in ``studyapp/screens``, widgets
in ``studyapp/widgets``, styles in ``studyapp/styles/*.tcss``.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from studyapp.context import StudyContext
from studyapp.errors import UserError
from studyapp.screens.areas import AREAS, area
from studyapp.screens.base import ConfirmsLeave

if TYPE_CHECKING:
    from textual.theme import Theme

    from studyapp.content import DeckProblem
    from studyapp.settings import Settings
    from studyapp.store import StoreConfig


class StudyApp(App[None]):
    """The study tool. Build it with :func:`create_app`."""

    TITLE = "E資格 学習ツール"
    CSS_PATH = ["styles/app.tcss"]
    ALLOW_IN_MAXIMIZED_VIEW = "KeyBar"  # the app's own footer stays under a maximized widget
    BINDINGS = [
        Binding("ctrl+q", "quit", "終了", tooltip="アプリを終了する（記録は保存済み）",
                priority=True),
        # ? anywhere (a field being typed in keeps its ?); the key bars leave it to home's
        Binding("question_mark", "help", "ヘルプ", key_display="?", show=False,
                tooltip="この画面のキーと使い方"),
        # the palette's "Keys" panel closes with escape too, before escape leaves the screen
        Binding("escape", "hide_help_panel", "キー一覧を閉じる", show=False, priority=True),
    ]

    def __init__(self, context: StudyContext | None,
                 problems: list[DeckProblem] | None = None, *,
                 settings: Settings | None = None) -> None:
        super().__init__()
        self.context = context
        self.problems = problems or []
        #: The fault a learner can fix that ended the app; :meth:`run` raises it.
        self.error: UserError | None = None
        if context is not None:
            self.sub_title = context.deck_info.title
        # The learner's theme; one this Textual does not have leaves the default (and the
        # file as it is, until the learner picks another).
        self._saved_theme = None if settings is None else settings.theme
        if self._saved_theme in self.available_themes:
            self.theme = self._saved_theme

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._keep_theme)

    def _keep_theme(self, theme: Theme) -> None:
        """Save a theme the learner chose (the command palette, the settings screen) in
        the settings file beside the progress database, so the next start uses it."""
        if self.context is None or theme.name == self._saved_theme:
            return
        from studyapp.settings import save_setting

        try:
            save_setting(self.context.store.path.parent, "theme", theme.name)
        except UserError as exc:  # a damaged settings file is named and left as it is
            self.notify(exc.message, title="テーマを保存できませんでした", severity="error",
                        timeout=10)
            return
        self._saved_theme = theme.name

    def run(self, **kwargs: Any) -> Any:
        """Run the app (``App.run``: its result); raise the :class:`UserError` that ended
        it, if one did, so the command line prints its one line after the screen is
        restored."""
        result = super().run(**kwargs)
        if self.error is not None:
            raise self.error
        return result

    def _handle_exception(self, error: Exception) -> None:
        # Textual's end for an error no handler caught (textual is pinned in
        # pyproject.toml). A fault the learner can fix, such as a page of the store found
        # damaged by home's first read, ends the app as it would at start-up: one line,
        # not a traceback. The store has already stopped writing to a damaged file.
        from textual.worker import WorkerFailed

        cause = error.error if isinstance(error, WorkerFailed) else error  # a screen's thread
        if isinstance(cause, UserError):
            self.error = cause
            self.exit(return_code=cause.exit_code)
            return
        super()._handle_exception(error)

    def get_default_screen(self) -> Screen[None]:
        """Home, at the bottom of the screen stack; or the list of the deck's problems."""
        if self.problems or self.context is None:
            from studyapp.screens.content_error import ContentErrorScreen

            return ContentErrorScreen(self.problems)
        from studyapp.screens.home import HomeScreen

        return HomeScreen(self.context)

    # ------------------------------------------------------------------ help
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide_help_panel":  # only while the panel shows: escape works as usual
            return bool(self.screen.query_children("HelpPanel"))
        return True

    def action_help(self) -> None:
        """``?``: help on the keys of the screen in front (``?`` again closes it)."""
        from studyapp.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen(self.screen))

    # ------------------------------------------------------------------ screenshots
    def screenshot_folder(self) -> Path:
        """Where the palette's "Screenshot" saves: the data folder (it exists: the progress
        database is in it), or the current folder when no store is open. Textual's own
        default, ``~/Downloads``, is missing on many machines and the save then fails."""
        if self.context is not None:
            return self.context.store.path.parent
        return Path.cwd()

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        return super().deliver_screenshot(filename, path or str(self.screenshot_folder()),
                                          time_format)

    @on(events.DeliveryComplete)
    def _screenshot_saved(self, event: events.DeliveryComplete) -> None:
        if event.name == "screenshot":
            event.prevent_default()  # instead of Textual's English notice
            where = "ブラウザに送りました" if event.path is None else f"{event.path}"
            self.notify(where, title="スクリーンショットを保存しました", markup=False,
                        timeout=10)

    @on(events.DeliveryFailed)
    def _screenshot_failed(self, event: events.DeliveryFailed) -> None:
        if event.name == "screenshot":
            event.prevent_default()
            self.notify(f"{self.screenshot_folder()} ({event.exception})",
                        title="スクリーンショットを保存できませんでした", severity="error",
                        markup=False, timeout=10)

    # ------------------------------------------------------------------ areas
    def leave_then(self, then: Callable[[], None]) -> None:
        """Run ``then`` now, or once the screen in front agrees to be left: a screen with
        unrecorded work (a running mock exam) is :class:`ConfirmsLeave` and asks."""
        screen = self.screen
        if isinstance(screen, ConfirmsLeave):
            screen.confirm_leave(then)
        else:
            then()

    def open_area(self, name: str) -> None:
        """Go to an area from anywhere: back to home first, then the area's screen."""
        if self.context is None:
            return
        opened = area(name)

        def go() -> None:
            self.go_home()
            try:
                problems = self.context.load_problems() if self.context else []
            except UserError as exc:  # the store could not sync a deck edited meanwhile
                self.notify(exc.message, title="デッキを同期できませんでした",
                            severity="error", timeout=10)
                return
            if problems:  # a deck file was broken while the app ran
                from studyapp.screens.content_error import ContentErrorScreen

                self.push_screen(ContentErrorScreen(problems, over_home=True))
                return
            assert self.context is not None
            self.push_screen(opened.make_screen(self.context))

        self.leave_then(go)

    def action_open_area(self, name: str) -> None:
        """``app.open_area('quiz')`` in a binding: how screens open an area."""
        self.open_area(name)

    def go_home(self) -> None:
        """Pop every screen above home (the default screen, at the bottom of the stack)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_home(self) -> None:
        """``escape`` below home (``app.home``), asking first where work would be lost."""
        self.leave_then(self.go_home)

    async def action_quit(self) -> None:
        """``ctrl+q``: everything confirmed is already in the database; a running mock
        exam asks first. A deck that failed validation quits with exit status 2."""
        code = 2 if self.problems or self.context is None else 0
        self.leave_then(lambda: self.exit(return_code=code))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.context is None:
            return
        yield SystemCommand("ホーム", "ホーム画面に戻る", self.action_home)
        for each in AREAS:
            yield SystemCommand(f"{each.title}（{each.key}）", each.help, self._opener(each.name))

    def _opener(self, name: str) -> Callable[[], None]:
        return lambda: self.open_area(name)

    def on_unmount(self) -> None:
        if self.context is not None:
            self.context.store.close()


def create_app(
    content_dir: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    *,
    now: Callable[[], datetime] | None = None,
    config: StoreConfig | None = None,
    seed: int | None = None,
) -> StudyApp:
    """Build the app: open the progress store, then validate and sync the decks, or, when
    the deck files are unchanged since they last validated, read the index the store saved.

    A deck with problems still opens the app, on a screen that lists them. A store that
    cannot be opened (corrupt file, unwritable folder, newer schema) raises ``UserError``
    before anything is drawn, so the command line prints one clear line.

    Parameters
    ----------
    content_dir : path, optional
        Folder of decks (default: the bundled decks and the learner's imported decks in
        the data folder's ``decks/``).
    data_dir : path, optional
        Folder of ``progress.sqlite3`` (default: ``$STUDYAPP_DATA_DIR`` or the user data dir).
    now : callable, optional
        Clock for the store (tests).
    config : StoreConfig, optional
        Scheduling settings, used as given (tests); by default the store's defaults with
        the learner's settings (``settings.json`` in the data folder: new cards a day and
        their order, the review limit, the target retention).
    seed : int, optional
        Seed of the shuffles and draws (tests and snapshots).

    Raises
    ------
    UserError
        The store cannot be opened, or the settings file is damaged or unreadable (it is
        named, and left as it is).
    """
    from studyapp.content import index
    from studyapp.context import deck_stamp, sync_store, validate_for_app
    from studyapp.paths import content_roots, database_path
    from studyapp.settings import load_settings
    from studyapp.store import open_store

    settings = load_settings(data_dir)  # a damaged file stops here, before the store opens
    if config is None:
        config = settings.store_config()
    roots = content_roots(content_dir, data_dir)
    stamp = deck_stamp(roots)
    store = None
    try:
        # A learner's daily start: the deck files are as they were when they last
        # validated, and the store holds their items and their index.
        if database_path(data_dir).is_file():
            store = open_store(data_dir, config=config, now=now)
            decks = index.loads(store.content_index(stamp))
            if decks is not None:
                return StudyApp(StudyContext(store, decks, roots=roots, stamp=stamp,
                                             rng=random.Random(seed)), settings=settings)
        library, problems = validate_for_app(roots)
        if problems or not library.decks:  # a broken deck opens (or creates) nothing
            if store is not None:
                store.close()
            return StudyApp(None, problems, settings=settings)
        if store is None:
            store = open_store(data_dir, config=config, now=now)
        decks = sync_store(store, library, stamp)
    except BaseException:
        if store is not None:
            store.close()
        raise
    return StudyApp(StudyContext(store, decks, roots=roots, stamp=stamp, library=library,
                                 rng=random.Random(seed)), settings=settings)


__all__ = ["StudyApp", "UserError", "create_app"]
