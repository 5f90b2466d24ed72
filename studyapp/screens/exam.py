"""Mock exam (模試): setup and the timed section (the result: ``screens/exam_result.py``).

The exam's logic (drawing, picks, flags, time per question, grading, recording) lives in
:mod:`studyapp.study.exam`; these screens draw it and turn keys into calls. The exam's
clock is the store's clock (``store.now_ms``), so tests move time by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.widgets import Label, RadioButton, RadioSet, Static

from studyapp.context import StudyContext
from studyapp.screens.base import StudyScreen
from studyapp.screens.exam_result import ExamResultScreen
from studyapp.study.exam import (
    BUDGET_SECONDS,
    DEFAULT_LENGTH,
    DEFAULT_PACE,
    LENGTHS,
    PACES,
    REAL_EXAM_MINUTES,
    REAL_EXAM_QUESTIONS,
    ExamQuestion,
    ExamResult,
    ExamRun,
    draw_exam,
    format_clock,
    record_result,
    time_limit_seconds,
)
from studyapp.widgets.choice_list import ChoiceList
from studyapp.widgets.confirm import ConfirmDialog
from studyapp.widgets.countdown import Countdown
from studyapp.widgets.exam_nav import ExamNav, legend
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.listing import Listing
from studyapp.widgets.pieces import Pieces
from studyapp.widgets.prose import Prose
from studyapp.widgets.title_bar import TitleBar

CSS = "../styles/exam.tcss"


class OptionSet(RadioSet):
    """A RadioSet whose highlight can be put on the pressed button (RadioSet puts it on
    the first one when it mounts): what the cursor shows is what is selected, so ↑ or ↓
    then space moves from the selected value."""

    def highlight_pressed(self) -> None:
        if self.pressed_index >= 0:
            self._selected = self.pressed_index


class ExamSetupScreen(StudyScreen):
    """Choose the length and the pace of the time limit, then enter starts."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "app.home", "ホーム"),
        Binding("enter", "start", "開始", priority=True),
    ]

    @dataclass
    class Prepared(Message):
        """The questions were drawn (or drawing failed with ``error``)."""

        questions: list[ExamQuestion]
        time_limit_s: int
        error: str | None = None

    def __init__(self, context: StudyContext) -> None:
        super().__init__(context)
        self.preparing = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="exam-setup"):
            yield Static(Prose(self._intro()), id="exam-intro")
            with Horizontal(id="exam-options"):
                with Vertical(classes="exam-option"):
                    yield Label("問題数", classes="section-title")
                    with OptionSet(id="exam-length"):
                        for n in LENGTHS:
                            yield RadioButton(f"{n}問", value=n == DEFAULT_LENGTH,
                                              id=f"length-{n}")
                with Vertical(classes="exam-option"):
                    yield Label("制限時間", classes="section-title")
                    with OptionSet(id="exam-pace"):
                        for key, (label, _) in PACES.items():
                            yield RadioButton(label, value=key == DEFAULT_PACE,
                                              id=f"pace-{key}")
            yield Static(id="exam-limit")
        yield KeyBar()

    def _intro(self) -> Text:
        text = Text()
        text.append("模試（本番形式の4択セクション）\n", style="bold")
        text.append(
            f"本番は {REAL_EXAM_MINUTES} 分で約 {REAL_EXAM_QUESTIONS} 問です。"
            "同じ比率の制限時間で、"
            "デッキの4択・コード問題と、その場で生成される計算問題（約3割）に答えます。"
            f"1問あたり {BUDGET_SECONDS} 秒を目安にしましょう。\n"
            "解答中: 1〜4 選択 · enter 次へ · f 見直しフラグ · ←/→ 移動 · s 提出",
        )
        return text

    def on_mount(self) -> None:
        for options in self.query(OptionSet):  # mounted (and highlighting the first) by now
            options.highlight_pressed()
        self.query_one("#exam-length", RadioSet).focus()
        self._show_limit()

    @on(RadioSet.Changed)
    def _changed(self, event: RadioSet.Changed) -> None:
        self._show_limit()

    def length(self) -> int:
        index = self.query_one("#exam-length", RadioSet).pressed_index
        return LENGTHS[index] if 0 <= index < len(LENGTHS) else DEFAULT_LENGTH

    def seconds_per_question(self) -> int:
        index = self.query_one("#exam-pace", RadioSet).pressed_index
        keys = list(PACES)
        key = keys[index] if 0 <= index < len(keys) else DEFAULT_PACE
        return PACES[key][1]

    def time_limit(self) -> int:
        return time_limit_seconds(self.length(), self.seconds_per_question())

    def _show_limit(self) -> None:
        limit = self.time_limit()
        text = Text()
        text.append(f"制限時間 {format_clock(limit * 1000)}", style="bold")
        text.append(f"（{self.length()}問 × {self.seconds_per_question()}秒）")
        text.append("\n↑↓ で選んで space で決定、tab で次の項目。enter で開始します。"
                    "時間切れになると自動で提出されます。", style="dim")
        self.query_one("#exam-limit", Static).update(Prose(text))

    def action_start(self) -> None:
        if self.preparing:
            return
        self.preparing = True
        self.query_one("#exam-limit", Static).update(Text("問題を準備しています…", style="bold"))
        # a question suspended in the card browser never comes up, here either
        suspended = self.context.store.suspended_items(self.context.deck.id, "question")
        self.prepare(self.length(), self.time_limit(), suspended)

    @work(thread=True, exclusive=True)
    def prepare(self, length: int, time_limit_s: int, suspended: frozenset[str]) -> None:
        """Draw the section off the event loop (the generators import numpy)."""
        try:
            questions = draw_exam(self.context.deck, length, rng=self.context.rng,
                                  exclude=suspended)
        except Exception as exc:  # a generator fault must not end the app
            self.post_message(self.Prepared([], time_limit_s, f"問題を用意できませんでした: {exc}"))
            return
        self.post_message(self.Prepared(questions, time_limit_s))

    @on(Prepared)
    def _prepared(self, event: Prepared) -> None:
        self.preparing = False
        if event.error or not event.questions:
            self.notify(event.error or "出題できる問題がありません。", severity="error")
            self._show_limit()
            return
        store = self.context.store
        store.new_session()
        run = ExamRun.start(event.questions, event.time_limit_s, store.now_ms())
        self.app.switch_screen(ExamScreen(self.context, run))


class ExamScreen(StudyScreen):
    """The running section: countdown, number strip, one question at a time."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "app.home", "中断", tooltip="模試を中断してホームに戻る（確認あり）"),
        Binding("1", "pick(0)", "1", show=False),
        Binding("2", "pick(1)", "2", show=False),
        Binding("3", "pick(2)", "3", show=False),
        Binding("4", "pick(3)", "4", show=False),
        Binding("enter", "next", "決定・次へ",
                tooltip="選んだ答えのまま次の問題へ（最後の問題では提出の確認）"),
        Binding("f", "flag", "見直し", tooltip="見直しフラグを付ける／外す"),
        Binding("left,left_square_bracket", "move(-1)", "前", priority=True),
        Binding("right,right_square_bracket", "move(1)", "次", priority=True),
        Binding("s,ctrl+s", "submit", "提出", tooltip="解答を提出して採点する"),
    ]

    #: The section was submitted: its answers are being recorded (every key but escape
    #: stops working).
    submitting: var[bool] = var(False, bindings=True)
    #: The formula of the question on screen ("" when it has none).
    formula: var[str] = var("")

    @dataclass
    class Recorded(Message):
        """The answers were written to the store (``error``: the store's message)."""

        recorded: int
        error: str | None = None

    def __init__(self, context: StudyContext, run: ExamRun) -> None:
        super().__init__(context)
        self.run = run
        self.choices: ChoiceList | None = None

    def now(self) -> int:
        return self.context.store.now_ms()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="exam-top"):
            yield Countdown(self.run.deadline_ms, self.now, id="countdown")
            yield Static(id="exam-status")
        yield ExamNav(id="exam-nav")
        yield Static(legend(), id="exam-legend")
        with VerticalScroll(id="exam-body"):
            yield Static(id="exam-prompt", classes="prompt")
            yield Static(id="exam-formula", classes="formula")
            yield Listing(id="exam-listing", classes="listing")
            yield Vertical(id="exam-choices")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_question()

    # ------------------------------------------------------------------ drawing
    def show_question(self) -> None:
        q = self.run.current
        self.query_one("#exam-prompt", Static).update(Prose(q.prompt))
        self.formula = q.formula or ""
        self.query_one("#exam-listing", Listing).show(q.listing)
        if self.choices is not None:
            self.choices.remove()
        self.choices = ChoiceList(list(q.options), code=q.code)
        pick = self.run.picks[self.run.index]
        if pick is not None:
            self.choices.selected = {pick}
        self.query_one("#exam-choices", Vertical).mount(self.choices)
        self.query_one("#exam-body", VerticalScroll).scroll_home(animate=False)
        self.show_status()

    def watch_formula(self, formula: str) -> None:
        widget = self.query_one("#exam-formula", Static)
        widget.update(Prose(formula))
        widget.display = bool(formula)

    def show_status(self) -> None:
        run = self.run
        q = run.current
        spent = run.time_on_current_ms(self.now())
        number = Text(f"問 {q.number} / {len(run.questions)}", style="bold")
        if run.index in run.flagged:
            number.append(" 見直し", style="bold yellow")
        clock = Text("この問題 ")
        clock.append(format_clock(spent), style="bold red" if spent > BUDGET_SECONDS * 1000
                     else "")
        clock.append(f"（目安 {format_clock(BUDGET_SECONDS * 1000)}）")
        # a narrow terminal wraps the line between these pieces, never inside one
        pieces = [number, Text(q.title), Text(f"解答済み {run.answered_count}"), clock]
        self.query_one("#exam-status", Static).update(Pieces(pieces, "  ·  "))
        self.query_one("#exam-nav", ExamNav).show(run.statuses())

    @on(Countdown.Ticked)
    def _ticked(self, event: Countdown.Ticked) -> None:
        if not self.run.finished:
            self.show_status()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick", "next", "flag", "move", "submit", "leave"):
            return not self.run.finished and not self.submitting
        return True

    # ------------------------------------------------------------------ keys
    def action_pick(self, position: int) -> None:
        if position >= len(self.run.current.options):
            return
        self.run.pick(position)
        if self.choices is not None:
            self.choices.set_selected({position})
        self.show_status()

    @on(ChoiceList.Clicked)
    def _clicked(self, event: ChoiceList.Clicked) -> None:
        event.stop()
        if not self.run.finished and not self.submitting:
            self.action_pick(event.position)

    def action_next(self) -> None:
        if self.run.is_last:
            self.action_submit(ask=True)
            return
        self._go(self.run.index + 1)

    def action_move(self, step: int) -> None:
        self._go(self.run.index + step)

    @on(ExamNav.Jumped)
    def _jumped(self, event: ExamNav.Jumped) -> None:
        if not self.run.finished and not self.submitting:
            self._go(event.index)

    def _go(self, index: int) -> None:
        if self.run.go(index, self.now()):
            self.show_question()

    def action_flag(self) -> None:
        self.run.toggle_flag()  # the strip and the status line show it
        self.show_status()

    def action_submit(self, ask: bool = False) -> None:
        """Submit; with unanswered questions (or from enter on the last one) ask first."""
        unanswered = self.run.unanswered
        flagged = sorted(self.run.flagged)
        if not unanswered and not ask:
            self.submit()
            return
        lines = []
        if unanswered:
            numbers = "・".join(str(i + 1) for i in unanswered[:10])
            more = " ほか" if len(unanswered) > 10 else ""
            lines.append(f"未解答が {len(unanswered)} 問あります（問 {numbers}{more}）。")
        else:
            lines.append("すべての問題に解答しました。")
        if flagged:
            lines.append(f"見直しフラグ: 問 {'・'.join(str(i + 1) for i in flagged)}")
        lines.append("提出して採点しますか？（未解答は不正解になります）" if unanswered
                     else "提出して採点しますか？")
        self.app.push_screen(ConfirmDialog("\n".join(lines), yes="提出する", no="戻る"),
                             self._submit_answered)

    def _submit_answered(self, confirmed: bool | None) -> None:
        if confirmed and not self.run.finished:
            self.submit()

    def confirm_leave(self, then: Callable[[], None]) -> None:
        """The app asks this before anything takes the learner away from a running exam
        (escape, ctrl+q, the command palette): its answers are recorded only on submit."""
        if self.run.finished or self.submitting:
            then()
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.query_one(Countdown).stop()
                then()

        self.app.push_screen(
            ConfirmDialog("模試を中断しますか？\nこの模試の解答は記録されません。",
                          yes="中断する", no="続ける"),
            answered,
        )

    @on(Countdown.Expired)
    def _expired(self, event: Countdown.Expired) -> None:
        if self.run.finished or self.submitting:
            return
        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()  # close an open dialog: time is up
        self.notify("時間切れです。解答を提出しました。", severity="warning")
        self.submit(timed_out=True)

    # ------------------------------------------------------------------ the end
    def submit(self, *, timed_out: bool = False) -> None:
        """Grade, stop the clock, record every answer (off the event loop), then show
        the result once the store has committed them."""
        if self.submitting:
            return
        self.submitting = True
        self.query_one(Countdown).stop()
        result = self.run.finish(self.now(), timed_out=timed_out)
        self.query_one("#exam-status", Static).update(Text("採点して記録しています…",
                                                           style="bold"))
        self.record(result)

    @work(thread=True, exclusive=True)
    def record(self, result: ExamResult) -> None:
        from studyapp.store import StoreError

        try:
            n = record_result(self.context.store, self.context.deck.id, result)
        except StoreError as exc:
            self.post_message(self.Recorded(0, str(exc)))
            return
        self.post_message(self.Recorded(n))

    @on(Recorded)
    def _recorded(self, event: Recorded) -> None:
        result = self.run.result
        assert result is not None
        self.app.switch_screen(ExamResultScreen(self.context, result, event.recorded,
                                                event.error))
