"""Practice: pick a problem kind (or the skills due), type the answer, read the steps.

Problems come from ``engine.problems``: seeded, computed by the engine, with worked steps
and named misconceptions. Every answer is recorded as ``kind#seed`` and rates the skill
(wrong: Again; right but slow: Hard; right: Good; right and quick: Easy).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from studyapp.context import StudyContext
from studyapp.store import StoreError
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.problem_data import ProblemData
from studyapp.widgets.prose import Prose
from studyapp.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from engine.problems import Problem

DUE = "__due__"
SEED_LIMIT = 2**32
#: kinds whose data is a regression problem: its coefficient path is drawn after answering
PATH_KINDS = ("lasso", "ridge")


class AnswerInput(Input):
    """The answer box. ``n`` and ``k`` are never part of a typed number, so they reach
    the screen's bindings even while the box has focus (the pinned ``n`` works at once)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character in ("n", "k"):
            return False
        return super().check_consume_key(key, character)


class PracticeScreen(Screen[None]):
    """Left: the kinds; right: the problem, the answer box, the feedback and the steps."""

    CSS_PATH = "../styles/practice.tcss"
    BINDINGS = [
        Binding("escape", "app.home", "ホーム"),
        Binding("n", "new_variant", "新しい問題", priority=True,
                tooltip="同じ種類の別の問題（期限モードでは次の期限スキル）"),
        Binding("k", "focus_kinds", "種類を選ぶ"),
    ]

    def __init__(self, context: StudyContext) -> None:
        super().__init__()
        self.context = context
        self.mode: str | None = None
        self.problem: Problem | None = None
        self.answered = False
        self.started = 0.0
        self.titles: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="practice"):
            yield OptionList(id="kinds")
            with VerticalScroll(id="practice-body"):
                yield Static(id="problem-title", classes="section-title")
                yield Static(id="problem-prompt", classes="prompt")
                yield ProblemData(id="problem-data")
                yield AnswerInput(id="answer", placeholder="答え（例: 0.5, 1/2, 1, -2, 0）")
                yield Static(id="practice-feedback", classes="feedback")
                yield Static(id="steps", classes="steps")
                yield Vertical(id="problem-plot")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#answer", Input).display = False
        self.query_one("#practice-feedback", Static).display = False
        self.query_one("#problem-prompt", Static).update(Prose(
            "左の一覧から問題の種類を選んで enter。"
            "★ は FSRS で復習期限が来たスキルを順に出題します。"))
        self.query_one("#kinds", OptionList).focus()
        self.load_kinds()

    @work(thread=True, exclusive=True)
    def load_kinds(self) -> None:
        """Import the generators (and numpy) off the event loop, then list the kinds."""
        from engine.problems import KINDS, TITLES

        titles = {kind: TITLES[kind] for kind in KINDS}
        self.app.call_from_thread(self._fill_kinds, titles)

    def _fill_kinds(self, titles: dict[str, str]) -> None:
        self.titles = titles
        kinds = self.query_one("#kinds", OptionList)
        highlighted = kinds.highlighted
        kinds.clear_options()
        due = {s.skill for s in self.context.store.skills_due()}
        kinds.add_option(Option(Prose(f"★ 期限のスキル（{len(due)}件）"), id=DUE))
        for kind, title in titles.items():
            label = Text("● " if kind in due else "  ")
            label.append(title)
            kinds.add_option(Option(Prose(label, hang=2), id=kind))
        kinds.highlighted = highlighted if highlighted is not None else 0

    # ------------------------------------------------------------------ problems
    @on(OptionList.OptionSelected, "#kinds")
    def _kind_selected(self, event: OptionList.OptionSelected) -> None:
        self.mode = event.option.id
        self.new_problem()

    def action_new_variant(self) -> None:
        if self.mode is None:
            self.notify("まず左の一覧から種類を選んでください。", severity="warning")
            return
        self.new_problem()

    def action_focus_kinds(self) -> None:
        self.query_one("#kinds", OptionList).focus()

    def new_problem(self) -> None:
        from engine.problems import TITLES, generate

        kind = self.mode
        if kind == DUE:
            kind = self.context.store.next_skill()
            if kind is None:
                self.notify("期限が来たスキルはありません。種類を選んで練習できます。")
                return
        assert kind is not None
        seed = self.context.rng.randrange(SEED_LIMIT)
        problem = generate(kind, seed)
        self.problem = problem
        self.answered = False
        title = Text()
        title.append(TITLES[kind], style="bold")
        title.append(f"   {problem.id}", style="dim")
        self.query_one("#problem-title", Static).update(title)
        self.query_one("#problem-prompt", Static).update(Prose(problem.prompt))
        self.query_one("#problem-data", ProblemData).show(problem.data)
        answer = self.query_one("#answer", Input)
        answer.value = ""
        answer.disabled = False
        answer.display = True
        answer.focus()
        self.query_one("#practice-feedback", Static).display = False
        self.query_one("#steps", Static).update("")
        self.query_one("#problem-plot", Vertical).remove_children()
        self.query_one("#practice-body", VerticalScroll).scroll_home(animate=False)
        self.started = time.monotonic()

    # ------------------------------------------------------------------ answering
    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.problem
        if problem is None:
            return
        if self.answered:
            self.new_problem()
            return
        from engine.problems import check_answer

        result = check_answer(problem, event.value)
        if not result.readable:
            self.notify(result.message, title="読み取れない入力", severity="error")
            return
        duration = int((time.monotonic() - self.started) * 1000)
        try:
            recorded = self.context.store.record_practice(
                problem.id, answer=event.value, correct=result.correct, duration_ms=duration)
        except StoreError as exc:  # not recorded: the answer stays in the box to retry
            self.notify(exc.message, title="保存できませんでした", severity="error", timeout=10)
            return
        self.answered = True
        self.show_feedback(result.correct, result.message, recorded.rating.label)
        if self.titles:
            self._fill_kinds(self.titles)  # the skill's due mark and the ★ count changed

    def show_feedback(self, correct: bool, message: str, rating: str) -> None:
        problem = self.problem
        assert problem is not None
        self.query_one("#answer", Input).disabled = True
        text = Text()
        text.append("正解！" if correct else "不正解",
                    style="bold green" if correct else "bold red")
        text.append(f"  正答: {problem.choices[problem.answer_index]}\n")
        text.append(message)
        text.append(f"\nスキルの評価: {rating}（次の出題は FSRS が決めます）", style="dim")
        text.append("\nn または enter で次の問題、k で種類を選び直す", style="dim")
        feedback = self.query_one("#practice-feedback", Static)
        feedback.update(Prose(text))
        feedback.display = True
        steps = Text()
        steps.append("解き方\n", style="bold")
        for i, step in enumerate(problem.steps, start=1):
            steps.append(f"{i}. ", style="bold")
            steps.append(step + "\n")
        self.query_one("#steps", Static).update(Prose(steps))
        if problem.kind in PATH_KINDS:
            self.draw_path(problem)
        body = self.query_one("#practice-body", VerticalScroll)
        body.focus()  # the keyboard scrolls the steps; enter or n moves on
        # once the verdict has been laid out, bring it to the top of the view
        self.call_after_refresh(
            lambda: self.call_after_refresh(body.scroll_to_widget, feedback, animate=False,
                                            top=True))

    @work(thread=True, exclusive=True, group="plot")
    def draw_path(self, problem: Problem) -> None:
        """The coefficient path of the problem's data, with its λ marked."""
        from studyapp.study.figures import problem_path_figure
        from studyapp.widgets.plots import FigurePlot, draw_problem_path

        fig = problem_path_figure(problem.kind, problem.data["X"], problem.data["y"],
                                  float(problem.data["lam"]))

        def mount() -> None:
            if self.problem is not problem:
                return  # a newer problem is on screen
            plot = FigurePlot(lambda plt, w, h: draw_problem_path(plt, fig, w, h),
                              classes="problem-plot")
            self.query_one("#problem-plot", Vertical).mount(plot)

        self.app.call_from_thread(mount)

    def key_enter(self) -> None:
        if self.answered and not isinstance(self.focused, Input | OptionList):
            self.new_problem()
