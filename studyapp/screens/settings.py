"""Settings (設定): the values of ``studyapp config``, edited in place (``,`` on home).

One row per setting of :data:`studyapp.settings.SETTINGS`: a field for a number or a date
(typed, saved with ``enter``), a list for a setting with a few values (saved when one is
picked). A value its rule refuses is not saved: the rule's message shows under the field,
which keeps what was typed. A saved value is in force at once: the store schedules with
the new limits, order and retention, and the app changes its theme (and saves it, as it
saves a theme chosen in the command palette).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.theme import Theme
from textual.widgets import Input, Select, Static

from studyapp.context import StudyContext
from studyapp.errors import UserError
from studyapp.screens.base import StudyScreen
from studyapp.settings import (
    SETTINGS,
    Setting,
    Settings,
    SettingsFileError,
    load_settings,
    parse_value,
    save_setting,
    settings_path,
    theme_names,
)
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.prose import Prose
from studyapp.widgets.title_bar import TitleBar

_PREFIX = "setting-"


class SettingsScreen(StudyScreen):
    """Every setting, each saved on its own as soon as it is confirmed."""

    CSS_PATH = "../styles/settings.tcss"
    AUTO_FOCUS = f"#{_PREFIX}{SETTINGS[0].key}"
    BINDINGS = [
        Binding("escape", "app.home", "ホーム"),
        Binding("tab", "app.focus_next", "次へ", show=False),
    ]

    def __init__(self, context: StudyContext) -> None:
        super().__init__(context)
        #: The data folder: the settings file lives beside the progress database.
        self.folder = context.store.path.parent
        self.problem: str | None = None
        try:
            self.settings = load_settings(self.folder)
        except SettingsFileError as exc:  # damaged while the app ran: shown, never replaced
            self.settings = Settings()
            self.problem = exc.message
        #: A theme picked here whose saving is still to be confirmed.
        self._theme_chosen: str | None = None

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="settings-body"):
            yield Static(self._intro(), id="settings-intro")
            for rule in SETTINGS:
                with Horizontal(classes="setting-row"):
                    yield Static(rule.label, classes="setting-label")
                    yield self._field(rule)
                    yield Static(rule.key, classes="setting-key")
                yield Static(Prose(rule.help), classes="setting-help")
                yield Static(id=f"error-{rule.key}", classes="setting-error")
            yield Static(id="settings-status")
        yield KeyBar()

    def _intro(self) -> Prose:
        text = Text("入力して enter (一覧は enter で開いて選ぶ) で保存、すぐ反映されます。")
        text.append(f"\n保存先: {settings_path(self.folder)}", style="dim")
        if self.problem:
            text.append(f"\n{self.problem}", style="bold red")
        return Prose(text)

    def _field(self, rule: Setting) -> Input | Select[str]:
        field_id = f"{_PREFIX}{rule.key}"
        if rule.key == "theme":
            names = theme_names()
            current = self.app.theme if self.app.theme in names else names[0]
            return Select([(name, name) for name in names], value=current, allow_blank=False,
                          compact=True, id=field_id)
        if rule.choices is not None:
            return Select([(f"{value} — {what}", value) for value, what in rule.choices],
                          value=getattr(self.settings, rule.key), allow_blank=False,
                          compact=True, id=field_id)
        return Input(self.settings.text(rule.key), compact=True, id=field_id)

    # ------------------------------------------------------------------ saving
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save(self._key(event.input.id), event.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        key = self._key(event.select.id)
        value = event.value
        if not isinstance(value, str):
            return
        if key == "theme":
            if value != self.app.theme:
                self._theme_chosen = value
                self.app.theme = value  # the app saves it, as a choice in the palette
            return
        if value != getattr(self.settings, key):
            self._save(key, value)

    @staticmethod
    def _key(widget_id: str | None) -> str:
        return (widget_id or "").removeprefix(_PREFIX)

    def _save(self, key: str, text: str) -> None:
        """Save one setting, or show why not under its field (nothing saved)."""
        try:
            value: Any = parse_value(key, text)
            self.settings = save_setting(self.folder, key, value)
        except UserError as exc:
            self._refuse(key, exc.message)
            return
        self._refuse(key, None)
        store = self.context.store
        store.reconfigure(self.settings.store_config(store.config))
        field = self.query_one(f"#{_PREFIX}{key}")
        if isinstance(field, Input):
            field.value = self.settings.text(key)
        self._said(f"保存しました: {key} = {self.settings.text(key)}")

    def _theme_changed(self, theme: Theme) -> None:
        """After the app's own subscriber has saved a theme chosen here (subscribers are
        called in order, and the app subscribes at its start), say whether it was."""
        if theme.name == self._theme_chosen:
            self._theme_chosen = None
            self._theme_saved(theme.name)

    def _theme_saved(self, theme: str) -> None:
        """Say whether ``theme`` is in the settings file: a damaged file keeps the theme
        for this run only (the app's notice names the file too)."""
        try:
            kept = load_settings(self.folder).theme
        except UserError as exc:
            self._refuse("theme", f"このテーマは今回だけ（保存できませんでした）: {exc.message}")
            return
        if kept != theme:
            self._refuse("theme", "このテーマは今回だけ（保存できませんでした）")
            return
        self._refuse("theme", None)
        self._said(f"保存しました: theme = {theme}")

    def _refuse(self, key: str, message: str | None) -> None:
        error = self.query_one(f"#error-{key}", Static)
        error.update(Prose(message or ""))
        error.display = message is not None
        self.query_one(f"#{_PREFIX}{key}").set_class(message is not None, "-invalid")
        if message is not None:
            self._said("")

    def _said(self, message: str) -> None:
        self.query_one("#settings-status", Static).update(message)
