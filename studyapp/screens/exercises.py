"""Code exercises (``c`` on home): the list with each exercise's state, and the editor.

The list shows every exercise with its state (未着手 new / 挑戦中 attempted / 正解済み
solved / 復習期限 due, from the store). ``enter`` opens one: the task above, an editor
(Textual's ``TextArea``, with Python highlighting when tree-sitter is installed) holding
the starter file or the last code checked, and the results pane. ``ctrl+r`` runs the
checks in the sandbox (a worker thread); every check is kept in the store with its code
and result. Hints come one at a time (``ctrl+t``), the model solution on request
(``ctrl+o``) or after passing.

Each sitting rates the exercise's skill once (FSRS): solved at the first check without a
hint → Good, after hints or failed checks → Hard; asking for the solution before
solving, or leaving after failed checks → Again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from studyapp.context import StudyContext
from studyapp.screens.base import StudyScreen
from studyapp.store import StoreError
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from studyapp.exercises.grading import Report
    from studyapp.exercises.model import Exercise

#: what the list shows for each state
STATE_LABELS = {"new": "未着手", "attempted": "挑戦中", "solved": "正解済み", "due": "復習期限"}


def _highlighting() -> str | None:
    """``"python"`` when the editor can highlight Python (tree-sitter and its grammar are
    installed: the ``syntax`` extra), else ``None`` (plain text)."""
    if find_spec("tree_sitter") and find_spec("tree_sitter_python"):
        return "python"
    return None


class ExercisesScreen(StudyScreen):
    """The exercises and their state; ``enter`` opens one."""

    CSS_PATH = "../styles/exercises.tcss"
    BINDINGS = [Binding("escape", "app.home", "ホーム")]

    def compose(self) -> ComposeResult:
        yield TitleBar("コード演習（numpy）")
        with Vertical(id="exercises"):
            yield Static("NumPy で実装し、エンジンの計算と照合して採点します。"
                         "enter で開く。", id="exercises-intro")
            yield OptionList(id="exercise-list")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#exercise-list", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        from studyapp.exercises.catalog import EXERCISES

        options = self.query_one("#exercise-list", OptionList)
        highlighted = options.highlighted
        try:
            states = {s.exercise: s for s in
                      self.context.store.exercise_statuses([e.id for e in EXERCISES])}
        except StoreError as error:
            self.notify_store_error(error, "進み具合を読めませんでした")
            states = {}
        options.clear_options()
        for exercise in EXERCISES:
            status = states.get(exercise.id)
            state = status.status if status else "new"
            row = Text()
            row.append(f"{STATE_LABELS[state]:<5}", style=_STATE_STYLES[state])
            row.append(f"  {exercise.title}")
            row.append(f"  {exercise.id}", style="dim")
            options.add_option(Option(row, id=exercise.id))
        options.highlighted = highlighted if highlighted is not None else 0

    @on(OptionList.OptionSelected, "#exercise-list")
    def open_exercise(self, event: OptionList.OptionSelected) -> None:
        from studyapp.exercises.catalog import get

        exercise = get(event.option.id or "")
        if exercise is not None:
            self.app.push_screen(ExerciseScreen(self.context, exercise))


_STATE_STYLES = {"new": "dim", "attempted": "yellow", "solved": "green", "due": "cyan"}


class ExerciseScreen(StudyScreen):
    """One exercise: the task, the editor, the results.

    ``escape`` goes home from anywhere on the screen, the editor included (a priority
    binding: the editor never sees it). The code is never lost: whatever the learner
    leaves in the editor that differs from the last code checked (or the starter) is
    kept as the exercise's draft in the store — on ``escape``, ``ctrl+q`` or any other
    way out — and opens again, marked as a draft, next time.
    """

    CSS_PATH = "../styles/exercises.tcss"
    BINDINGS = [
        Binding("escape", "app.home", "ホーム", priority=True),
        Binding("ctrl+r", "run_checks", "採点", priority=True,
                tooltip="サンドボックスで実行し、エンジンの答えと照合する"),
        Binding("ctrl+t", "hint", "ヒント", priority=True, tooltip="ヒントを1つずつ表示"),
        Binding("ctrl+o", "solution", "模範解答", priority=True,
                tooltip="模範解答を表示（正解前に見ると今回の評価は Again）"),
    ]

    def __init__(self, context: StudyContext, exercise: Exercise) -> None:
        super().__init__(context)
        self.exercise = exercise
        self.hints_shown = 0
        self.failed_checks = 0
        self.rated = False
        self.running = False
        self.last_report: Report | None = None
        self.started = time.monotonic()
        self.checked_code: str | None = None  # the last code checked (kept in the store)
        self.restored_draft = False
        self.text = ""                        # what the editor holds, as it changes
        self.draft_kept = False

    def compose(self) -> ComposeResult:
        from textual.widgets import TextArea

        yield TitleBar(f"コード演習: {self.exercise.title}")
        with Vertical(id="exercise"):
            with VerticalScroll(id="exercise-task"):
                yield Static(Text(f"定義するもの: {self.exercise.defines}\n\n"
                                  f"{self.exercise.task}"), id="task-text")
            self.text = self._initial_code()
            editor = TextArea.code_editor(self.text, language=_highlighting(),
                                          id="editor", soft_wrap=False)
            yield editor
            with VerticalScroll(id="exercise-results"):
                yield Static(self._opening_note(), id="results")
        yield KeyBar()

    def _initial_code(self) -> str:
        """The draft left last time, else the last code checked, else the starter."""
        store = self.context.store
        try:
            kept = store.exercise_attempts(self.exercise.id)
            draft = store.exercise_draft(self.exercise.id)
        except StoreError:
            kept, draft = [], None
        self.checked_code = kept[-1].code if kept else None
        if draft is not None:
            self.restored_draft = True
            return draft
        return self.checked_code if self.checked_code is not None else self.exercise.starter

    def _opening_note(self) -> Text:
        if not self.restored_draft:
            return Text("ctrl+r で採点します。")
        text = Text("下書きを復元しました", style="bold yellow")
        text.append("（前回この演習を離れたときの、まだ採点していないコードです）。"
                    "ctrl+r で採点します。")
        return text

    def on_text_area_changed(self, event: Any) -> None:
        self.text = event.text_area.text
        self.draft_kept = False

    def on_mount(self) -> None:
        from textual.widgets import TextArea

        self.query_one("#editor", TextArea).focus()

    # ------------------------------------------------------------------ checks
    def action_run_checks(self) -> None:
        if self.running:
            return
        import os

        from textual.widgets import TextArea

        if os.environ.get("STUDYAPP_NO_CODE"):
            self._show(Text("このサーバーではコードを実行できません（ループバック以外で公開中の "
                            "studyapp serve は --allow-code のときだけ実行します）。"
                            "studyapp check で手元で採点できます。", style="yellow"))
            return

        self.running = True
        self._show(Text("採点中…（サンドボックスで実行しています）", style="italic"))
        self._check(self.query_one("#editor", TextArea).text)

    @work(thread=True, exclusive=True, group="exercise-check")
    def _check(self, code: str) -> None:
        from studyapp.exercises.grading import check_source

        report = check_source(self.exercise, code, "solution.py")
        self.app.call_from_thread(self._checked, code, report)

    def _checked(self, code: str, report: Report) -> None:
        self.running = False
        self.last_report = report
        store = self.context.store
        rating_note = ""
        try:
            attempt = store.record_exercise_check(
                self.exercise.id, code=code, result=report.to_json(), passed=report.passed,
                total=report.total, hints=self.hints_shown,
                duration_ms=int((time.monotonic() - self.started) * 1000))
            self.checked_code = code
            if report.ok and not self.rated:
                rating_note = self._rate(True, attempt)
        except StoreError as error:
            self.notify_store_error(error)
        if not report.ok:
            self.failed_checks += 1
        self._show(self._report_text(report, rating_note))

    def _rate(self, solved: bool, attempt_id: int | None = None) -> str:
        from studyapp.store.exercises import exercise_rating

        rating = exercise_rating(solved, self.hints_shown, self.failed_checks)
        result = self.context.store.rate_exercise(self.exercise.id, rating,
                                                  attempt_id=attempt_id)
        self.rated = True
        return f"評価: {rating.name}（次の復習: {result.label}後）"

    def _report_text(self, report: Report, rating_note: str) -> Text:
        from studyapp.exercises.grading import describe

        text = Text()
        lines = describe(report, mistake_first=True)
        style = "bold green" if report.ok else "bold red"
        text.append(lines[0] + "\n", style=style)
        if rating_note:  # near the top: the pane may be only a few lines high
            text.append(f"{rating_note}\n", style="dim")
        if report.ok:
            text.append("正解です。模範解答:\n\n", style="green")
            text.append(self.exercise.solution)
        else:
            mistake = report.failure.mistake if report.failure is not None else None
            rest = lines[1:]
            if mistake is not None and rest and rest[0].startswith("よくある誤り: "):
                text.append(rest[0] + "\n", style="bold yellow")
                rest = rest[1:]
            text.append("\n".join(rest))
            if self.hints_shown < len(self.exercise.hints) and mistake is None:
                text.append("\n\nctrl+t でヒントを表示します。", style="dim")
        if report.outcome.output and not report.outcome.stopped:
            text.append("\n\nprint の出力:\n", style="dim")
            text.append(report.outcome.output[-500:])
        return text

    def _show(self, content: Any) -> None:
        self.query_one("#results", Static).update(content)
        self.query_one("#exercise-results", VerticalScroll).scroll_home(animate=False)

    # ------------------------------------------------------------------ hints, solution
    def action_hint(self) -> None:
        hints = self.exercise.hints
        if self.hints_shown < len(hints):
            self.hints_shown += 1
        text = Text()
        for i, hint in enumerate(hints[: self.hints_shown], start=1):
            text.append(f"ヒント {i}/{len(hints)}: ", style="bold")
            text.append(hint + "\n")
        if self.last_report is not None and not self.last_report.ok:
            from studyapp.exercises.grading import describe

            text.append("\n" + "\n".join(describe(self.last_report)))
        self._show(text)

    def action_solution(self) -> None:
        note = ""
        solved = self.last_report is not None and self.last_report.ok
        if not self.rated and not solved:
            try:
                note = self._rate(False)
            except StoreError as error:
                self.notify_store_error(error)
        text = Text("模範解答\n\n", style="bold")
        text.append(self.exercise.solution)
        if note:
            text.append(f"\n{note}", style="dim")
        self._show(text)

    # ------------------------------------------------------------------ leaving
    def confirm_leave(self, then: Callable[[], None]) -> None:
        """Any way out (``escape``, ``ctrl+q``, an area from the palette): keep the draft
        first, then go (nothing to confirm: nothing is lost)."""
        self.keep_draft()
        then()

    def keep_draft(self) -> None:
        """Keep what the editor holds as the draft when it differs from the last code
        checked (or the starter); drop the draft when it does not."""
        if self.draft_kept:
            return
        baseline = self.checked_code if self.checked_code is not None else (
            self.exercise.starter)
        store = self.context.store
        try:
            if self.text != baseline:
                store.save_exercise_draft(self.exercise.id, self.text)
            else:
                store.clear_exercise_draft(self.exercise.id)
            self.draft_kept = True
        except StoreError as error:
            self.notify_store_error(error, "下書きを保存できませんでした")

    def _leave_rating(self) -> None:
        """Leaving after failed checks without solving is Again (once per sitting)."""
        if self.rated or self.failed_checks == 0:
            return
        try:
            self._rate(False)
        except StoreError as error:
            self.notify_store_error(error)

    def on_unmount(self) -> None:
        self.keep_draft()  # (kept already when left through the app's keys)
        self._leave_rating()
