"""Home: the deck, what is due today, the streak, mastery per keyword, and the keys."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from studyapp.context import StudyContext
from studyapp.render.bars import labelled_bar, stat_row
from studyapp.render.numbers import percent
from studyapp.screens.areas import AREAS
from studyapp.screens.base import StudyScreen
from studyapp.store import HomeSummary
from studyapp.study.ordering import keyword_order, sort_by_keyword_order
from studyapp.study.plan import StudyPlan, plan_for
from studyapp.widgets.exam_panel import ExamPanel
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.prose import Prose
from studyapp.widgets.title_bar import TitleBar


class HomeScreen(StudyScreen):
    """The first screen. Each area is one key away; numbers refresh on return."""

    AUTO_FOCUS = ""  # nothing to type into; a focus change would redraw the footer

    BINDINGS = [
        *(Binding(a.key, f"app.open_area('{a.name}')", a.label, tooltip=a.tooltip)
          for a in AREAS),
        Binding("comma", "open_settings", "設定", key_display=",",
                tooltip="1日の新規カード数・順番、復習上限、目標保持率、試験日、テーマ"),
        Binding("d", "next_deck", "切替", tooltip="次のデッキに切り替える"),
        Binding("plus", "raise_new", "新規を増やす", key_display="+",
                tooltip="試験日に間に合うよう 1日の新規カード数を計画の数に上げる"),
        Binding("question_mark", "app.help", "ヘルプ", key_display="?",
                tooltip="この画面のキーと使い方（どの画面でも ?）"),
        # the screen itself scrolls when the keywords do not fit (nothing takes the focus)
        Binding("up", "scroll_up", show=False),
        Binding("down", "scroll_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "scroll_home", show=False),
        Binding("end", "scroll_end", show=False),
    ]

    def __init__(self, context: StudyContext) -> None:
        super().__init__(context)
        self._shown = False
        #: The plan to the exam date, projected once per refresh (``None``: no exam date,
        #: or past); ``check_action`` reads it on every key-bar repaint.
        self.plan: StudyPlan | None = None

    def compose(self) -> ComposeResult:
        summary = self.context.store.home(self.context.deck_id)
        yield TitleBar()
        # Three Statics straight on the screen, which scrolls when they do not fit: every
        # widget more is paid for in each layout pass of the start-up (bench/app.py).
        yield Static(Prose(self._title()), id="deck-title")
        yield Static(self._tiles(summary), id="tiles")
        panel = ExamPanel(id="exam-panel")
        self.plan = self._plan()
        panel.show(self.plan, self.context.keyword_name, self._deck_keywords())
        yield panel
        yield Static(self._mastery(summary), id="mastery")
        yield KeyBar()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if self._shown:  # the first showing was composed with fresh numbers
            self.refresh_summary()
        self._shown = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_deck":
            return len(self.context.decks) > 1
        if action == "raise_new":
            return self.plan is not None and self.plan.short_of_time
        return True

    def _plan(self) -> StudyPlan | None:
        """The plan to the exam date of the settings (``None`` without one, or past).

        Over every deck, as ``studyapp plan``: ``new_per_day`` is shared by all of them,
        so pacing one deck's new cards against it would promise more than the limit gives.
        """
        store = self.context.store
        exam = store.config.exam_date
        if exam is None or exam < store.today():
            return None
        return plan_for(store, exam)

    def _deck_keywords(self) -> list[str]:
        """The current deck's keyword ids: the panel's weakest keywords are among them."""
        return keyword_order([self.context.deck_info])

    def action_raise_new(self) -> None:
        """Raise ``new_per_day`` to what the plan needs (``+``, offered when short)."""
        from studyapp.errors import UserError
        from studyapp.settings import save_setting

        plan = self.plan
        if plan is None or plan.new_needed_per_day is None:
            return
        store = self.context.store
        try:
            settings = save_setting(store.path.parent, "new_per_day", plan.new_needed_per_day)
        except UserError as exc:
            self.notify(exc.message, severity="error")
            return
        store.reconfigure(settings.store_config(store.config))
        self.notify(f"new_per_day = {plan.new_needed_per_day} にしました")
        self.refresh_summary()
        self.refresh_bindings()

    def action_open_settings(self) -> None:
        """The settings screen (``,``): the values of ``studyapp config``, edited in place."""
        from studyapp.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen(self.context))

    def action_next_deck(self) -> None:
        """Study the next deck of the content folder (flashcards, quiz, exam follow it)."""
        decks = self.context.decks
        index = next(i for i, d in enumerate(decks) if d.id == self.context.deck_id)
        self.context.deck_id = decks[(index + 1) % len(decks)].id
        self.app.sub_title = self.context.deck_info.title
        self.query_one("#deck-title", Static).update(Prose(self._title()))
        self.refresh_summary()

    def refresh_summary(self) -> None:
        """Read the numbers again (after a review, a quiz, an exam)."""
        summary = self.context.store.home(self.context.deck_id)
        self.query_one("#tiles", Static).update(self._tiles(summary))
        self.query_one("#mastery", Static).update(self._mastery(summary))
        self.plan = self._plan()
        self.query_one(ExamPanel).show(self.plan, self.context.keyword_name,
                                       self._deck_keywords())

    def _title(self) -> Text:
        deck = self.context.deck_info
        title = Text()
        title.append(deck.title, style="bold")
        if deck.title_en:
            title.append(f"  {deck.title_en}", style="dim")
        if deck.description:
            title.append(f"\n{deck.description}")
        decks = self.context.decks
        if len(decks) > 1:
            title.append("\nデッキ: ", style="dim")
            for i, other in enumerate(decks):
                if i:
                    title.append(" · ", style="dim")
                title.append(other.title, style="bold reverse" if other.id == deck.id else "")
            title.append("（d で切替）", style="dim")
        return title

    def _tiles(self, summary: HomeSummary) -> Text:
        return stat_row([
            ("今日の復習", f"{summary.due_today}", "枚"),
            ("新規の残り", f"{summary.new_left}", "枚"),
            ("連続学習", f"{summary.streak.current}", "日"),
            ("間違い", f"{summary.mistakes}", "問"),
            ("スキル期限", f"{summary.skills_due}", "件"),
            ("リーチ", f"{summary.leeches}", "枚"),
        ])

    def _mastery(self, summary: HomeSummary) -> Text:
        lines = Text()
        lines.append("キーワード別の習熟度\n", style="bold")
        keywords = sort_by_keyword_order(summary.keywords,
                                         keyword_order([self.context.deck_info]),
                                         key=lambda p: p.keyword, drop_unknown=True)
        for i, progress in enumerate(keywords):
            name = self.context.keyword_name(progress.keyword)
            acc = "" if progress.accuracy is None else f"正答率 {percent(progress.accuracy)}"
            if i:
                lines.append("\n")
            lines.append_text(labelled_bar(name, progress.mastery, label_width=26,
                                           bar_width=20, suffix=acc))
        return lines

