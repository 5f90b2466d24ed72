"""Practice: pick a problem kind (or the skills due), type the answer, read the steps.

Problems come from ``engine.problems``: seeded, computed by the engine, with worked steps
and named misconceptions. Every answer is recorded as ``kind#seed`` and rates the skill
(wrong: Again; right but slow: Hard; right: Good; right and quick: Easy).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from studyapp.context import StudyContext
from studyapp.widgets.problem_data import ProblemData
from studyapp.widgets.prose import Prose

if TYPE_CHECKING:
    from engine.problems import Problem

DUE = "__due__"
SEED_LIMIT = 2**32


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

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="practice"):
            yield OptionList(id="kinds")
            with VerticalScroll(id="practice-body"):
                yield Static(id="problem-title", classes="section-title")
                yield Static(id="problem-prompt", classes="prompt")
                yield ProblemData(id="problem-data")
                yield Input(id="answer",
                            placeholder="答えを入力して enter（例: 0.5, 1/2, 1, -2, 0）")
                yield Static(id="practice-feedback", classes="feedback")
                yield Static(id="steps", classes="steps")
        yield Footer()

    def on_mount(self) -> None:
        from engine.problems import KINDS, TITLES

        due = {s.skill for s in self.context.store.skills_due()}
        kinds = self.query_one("#kinds", OptionList)
        kinds.add_option(Option(Text(f"★ 期限のスキル（{len(due)}件）"), id=DUE))
        for kind in KINDS:
            label = Text("● " if kind in due else "  ")
            label.append(TITLES[kind])
            kinds.add_option(Option(label, id=kind))
        kinds.highlighted = 0
        self.query_one("#answer", Input).display = False
        self.query_one("#practice-feedback", Static).display = False
        self.query_one("#problem-prompt", Static).update(Prose(
            "左の一覧から問題の種類を選んで enter。"
            "★ は FSRS で復習期限が来たスキルを順に出題します。"))
        kinds.focus()

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
        feedback = self.query_one("#practice-feedback", Static)
        feedback.display = False
        self.query_one("#steps", Static).update("")
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
        recorded = self.context.store.record_practice(
            problem.id, answer=event.value, correct=result.correct, duration_ms=duration)
        self.answered = True
        self.show_feedback(result.correct, result.message, recorded.rating.label)

    def show_feedback(self, correct: bool, message: str, rating: str) -> None:
        problem = self.problem
        assert problem is not None
        answer_box = self.query_one("#answer", Input)
        answer_box.disabled = True
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
        self.set_focus(None)

    def key_enter(self) -> None:
        if self.answered and self.focused is None:
            self.new_problem()
