"""Practice: pick a problem kind (or the skills due), type the answer, read the steps.

The rules live in :class:`studyapp.study.practice.PracticeRun` (the seed, the check, the
record and the skill's rating); this screen shows its problem and turns keys into its
calls. The generators import numpy, so the kinds load and the coefficient path is fitted
in worker threads, whose results come back as messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import var
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from studyapp.context import StudyContext
from studyapp.screens.base import StudyScreen
from studyapp.store import StoreError
from studyapp.study.practice import DUE, PracticeFeedback, PracticeRun
from studyapp.study.quiz import AnswerFormatError
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.problem_data import ProblemData
from studyapp.widgets.prose import Prose
from studyapp.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from engine.problems import Problem
    from studyapp.study.figures import ProblemPathFigure

#: kinds whose data is a regression problem: its coefficient path is drawn after answering
PATH_KINDS = ("lasso", "ridge")
#: Below this width the kinds list is narrower, and folds away while a problem is on
#: screen (``k`` brings it back).
NARROW = 100
#: Rows of the verdict kept in view under the problem once it is answered.
VERDICT_ROWS = 4
#: What the kinds list's ● means (its bottom border).
DUE_LEGEND = "● 復習期限が来たスキル"


class AnswerInput(Input):
    """The answer box. ``n`` and ``k`` are never part of a typed number, so they reach
    the screen's bindings even while the box has focus (the pinned ``n`` works at once)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character in ("n", "k"):
            return False
        return super().check_consume_key(key, character)


class PracticeScreen(StudyScreen):
    """Left: the kinds; right: the problem, the answer box, the feedback and the steps."""

    CSS_PATH = "../styles/practice.tcss"
    BINDINGS = [
        Binding("escape", "app.home", "ホーム"),
        Binding("n", "new_variant", "新しい問題", priority=True,
                tooltip="同じ種類の別の問題（期限モードでは次の期限スキル）"),
        Binding("k", "focus_kinds", "種類を選ぶ", priority=True,
                tooltip="問題の種類の一覧へ（● は FSRS の復習期限が来たスキル）"),
    ]

    # What the screen shows, set from :attr:`practice`; the watchers draw it.
    #: The problem on screen.
    problem: var[Problem | None] = var(None, always_update=True)
    #: The problem on screen has been answered and recorded.
    answered: var[bool] = var(False)

    @dataclass
    class KindsLoaded(Message):
        """The generators were imported: every kind with its title, and the skills due."""

        titles: dict[str, str]
        due: set[str]

    @dataclass
    class PathFitted(Message):
        """The coefficient path of ``problem``'s data was fitted."""

        problem: Problem
        figure: ProblemPathFigure

    def __init__(self, context: StudyContext) -> None:
        super().__init__(context)
        self.practice = PracticeRun(context.store, context.rng)
        self.titles: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="practice"):
            kinds = OptionList(id="kinds")
            kinds.border_subtitle = DUE_LEGEND
            yield kinds
            with VerticalScroll(id="practice-body"):
                yield Static(id="problem-title", classes="section-title")
                yield Static(Prose("左の一覧から問題の種類を選んで enter。"
                                   "★ は FSRS で復習期限が来たスキルを順に出題します。"),
                             id="problem-prompt", classes="prompt")
                yield ProblemData(id="problem-data")
                yield AnswerInput(id="answer", placeholder="答え（例: 0.5, 1/2, 1, -2, 0）")
                yield Static(id="practice-feedback", classes="feedback")
                yield Static(id="steps", classes="steps")
                yield Vertical(id="problem-plot")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#kinds", OptionList).focus()
        self.load_kinds()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#practice").set_class(event.size.width < NARROW, "-narrow")

    def fold_kinds(self, folded: bool) -> None:
        """Hide the kinds list while a problem is on screen (in a narrow terminal only,
        by the stylesheet): the problem gets the whole width."""
        self.query_one("#practice").set_class(folded, "-folded")

    @work(thread=True, exclusive=True)
    def load_kinds(self) -> None:
        """Import the generators (and numpy) and read the skills due off the event loop (a
        store fault here ends the app with its one line, as in any worker), then list the
        kinds."""
        from studyapp.study.practice import kind_titles

        self.post_message(self.KindsLoaded(kind_titles(), self.practice.due_kinds()))

    @on(KindsLoaded)
    def _kinds_loaded(self, event: KindsLoaded) -> None:
        self.titles = event.titles
        self.list_kinds(event.due)

    def list_kinds(self, due: set[str]) -> None:
        """The kinds, a due skill marked ●, and ★ with the number of skills ``due``."""
        kinds = self.query_one("#kinds", OptionList)
        highlighted = kinds.highlighted
        kinds.clear_options()
        kinds.add_option(Option(Prose(f"★ 期限のスキル（{len(due)}件）"), id=DUE))
        for kind, title in self.titles.items():
            label = Text("● " if kind in due else "  ")
            label.append(title)
            kinds.add_option(Option(Prose(label, hang=2), id=kind))
        kinds.highlighted = highlighted if highlighted is not None else 0

    # ------------------------------------------------------------------ problems
    @on(OptionList.OptionSelected, "#kinds")
    def _kind_selected(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        self.show_problem(self.practice.choose(event.option.id))

    def action_new_variant(self) -> None:
        if self.practice.mode is None:
            self.notify("まず左の一覧から種類を選んでください。", severity="warning")
            return
        self.new_problem()

    def action_focus_kinds(self) -> None:
        self.fold_kinds(False)
        self.query_one("#kinds", OptionList).focus()

    def new_problem(self) -> None:
        """The next problem of the kind chosen (or the next skill due)."""
        self.show_problem(self.practice.next_problem())

    def show_problem(self, problem: Problem | None) -> None:
        if problem is None:
            self.notify("期限が来たスキルはありません。種類を選んで練習できます。")
            return
        self.answered = False
        self.fold_kinds(True)
        self.problem = problem

    def watch_problem(self, problem: Problem | None) -> None:
        if problem is None:
            return
        from engine.problems import TITLES

        title = Text()
        title.append(TITLES[problem.kind], style="bold")
        title.append(f"   {problem.id}", style="dim")
        self.query_one("#problem-title", Static).update(title)
        self.query_one("#problem-prompt", Static).update(Prose(problem.prompt))
        self.query_one("#problem-data", ProblemData).show(problem.data)
        answer = self.query_one("#answer", Input)
        answer.value = ""
        answer.display = True
        answer.focus()
        self.query_one("#steps", Static).update("")
        self.query_one("#problem-plot", Vertical).remove_children()
        self.query_one("#practice-body", VerticalScroll).scroll_home(animate=False)

    def watch_answered(self, answered: bool) -> None:
        answer = self.query_one("#answer", Input)
        answer.disabled = answered
        answer.compact = answered  # one line: what was typed, above the verdict
        self.query_one("#practice-feedback", Static).display = answered

    # ------------------------------------------------------------------ answering
    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.problem is None:
            return
        if self.answered:
            self.new_problem()
            return
        try:
            feedback = self.practice.answer(event.value)
        except AnswerFormatError as exc:
            self.notify(str(exc), title="読み取れない入力", severity="error")
            return
        except StoreError as exc:  # not recorded: the answer stays in the box to retry
            self.notify_store_error(exc)
            return
        self.answered = True
        self.show_feedback(feedback)
        if self.titles:
            self.list_kinds(self.practice.due_kinds())  # the skill's ● and the ★ count

    def show_feedback(self, feedback: PracticeFeedback) -> None:
        problem = self.problem
        assert problem is not None
        text = Text()
        text.append("正解！" if feedback.correct else "不正解",
                    style="bold green" if feedback.correct else "bold red")
        text.append(f"  正答: {feedback.right_answer}\n")
        text.append(feedback.message)
        text.append(f"\nスキルの評価: {feedback.rating.label}（次の出題は FSRS が決めます）",
                    style="dim")
        text.append("\nn または enter で次の問題、k で種類を選び直す", style="dim")
        verdict = self.query_one("#practice-feedback", Static)
        verdict.update(Prose(text))
        steps = Text()
        steps.append("解き方\n", style="bold")
        for i, step in enumerate(problem.steps, start=1):
            steps.append(f"{i}. ", style="bold")
            steps.append(step + "\n")
        self.query_one("#steps", Static).update(Prose(steps))
        if problem.kind in PATH_KINDS:
            self.fit_path(problem)
        body = self.query_one("#practice-body", VerticalScroll)
        body.focus()  # the keyboard scrolls the steps; enter or n moves on
        # once the verdict has been laid out, bring it into view under the problem
        self.call_after_refresh(lambda: self.call_after_refresh(self.scroll_to_verdict))

    def scroll_to_verdict(self) -> None:
        """Scroll so that the verdict's first rows show, but never past the top of the
        problem's text: the problem, what was typed and the verdict read together (the
        steps below are a scroll away)."""
        body = self.query_one("#practice-body", VerticalScroll)
        verdict = self.query_one("#practice-feedback", Static)
        prompt = self.query_one("#problem-prompt", Static)
        view = body.scrollable_content_region.height
        wanted = verdict.virtual_region.y + VERDICT_ROWS - view
        body.scroll_to(y=max(0, min(wanted, prompt.virtual_region.y)), animate=False)

    @work(thread=True, exclusive=True, group="plot")
    def fit_path(self, problem: Problem) -> None:
        """The coefficient path of the problem's data, with its λ marked."""
        from studyapp.study.figures import problem_path_figure

        figure = problem_path_figure(problem.kind, problem.data["X"], problem.data["y"],
                                     float(problem.data["lam"]))
        self.post_message(self.PathFitted(problem, figure))

    @on(PathFitted)
    def _path_fitted(self, event: PathFitted) -> None:
        if self.problem is not event.problem:
            return  # a newer problem is on screen
        from studyapp.widgets.plots import FigurePlot, draw_problem_path

        figure = event.figure
        plot = FigurePlot(lambda plt, w, h: draw_problem_path(plt, figure, w, h),
                          classes="problem-plot")
        self.query_one("#problem-plot", Vertical).mount(plot)

    def key_enter(self) -> None:
        if self.answered and not isinstance(self.focused, Input | OptionList):
            self.new_problem()
