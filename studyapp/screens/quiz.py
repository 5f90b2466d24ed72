"""Quiz: choose keywords and length (or the mistake list), answer, read the feedback.

The rules (what a question offers, what a key picks, how each type is graded) live in
:mod:`studyapp.study.quiz`; these screens show a :class:`QuizRun` and turn keys into calls.
Answers are timed with the store's clock.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import var
from textual.widgets import Input, Label, RadioSet, SelectionList, Static

from studyapp.context import StudyContext
from studyapp.screens.base import StudyScreen
from studyapp.store import StoreError
from studyapp.study.quiz import (
    TYPE_LABELS,
    AnswerFormatError,
    Grade,
    MissingAnswer,
    QuizItem,
    QuizRun,
    answer_hint,
    count_questions,
    draw_questions,
    grade_answer,
    option_texts,
    right_positions,
    toggle_pick,
    unaskable,
)
from studyapp.widgets.choice_list import ChoiceList
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.listing import Listing
from studyapp.widgets.prose import Prose
from studyapp.widgets.title_bar import TitleBar
from studyapp.widgets.toggles import CheckList, RadioChoice

LENGTHS = (10, 20, None)


class QuizSetupScreen(StudyScreen):
    """Pick keywords (space toggles) and a length, then enter; m for the mistake list.

    A chosen keyword shows ☑, one left out ☐, and the line under the list counts the
    questions the choice makes, as it changes."""

    CSS_PATH = "../styles/quiz.tcss"
    BINDINGS = [
        Binding("escape", "app.home", "ホーム"),
        Binding("enter", "start", "開始", priority=True),
        Binding("m", "mistakes", "間違いノート"),
        Binding("a", "toggle_all", "全選択/解除"),
    ]

    def __init__(self, context: StudyContext) -> None:
        super().__init__(context)
        self._suspended: frozenset[str] | None = None
        self._shown = False

    def compose(self) -> ComposeResult:
        deck = self.context.deck
        mistakes = len(self.context.store.mistakes(deck.id))
        yield TitleBar()
        with Horizontal(id="quiz-setup"):
            with Vertical(id="keyword-column"):
                yield Label("出題するキーワード（space で切り替え）", classes="section-title")
                yield CheckList(
                    *[(f"{kw.name}（{len(deck.questions_for(kw.id))}問）", kw.id, True)
                      for kw in deck.keywords],
                    id="keywords",
                )
                yield Static(id="question-count")
            with Vertical(id="length-column"):
                yield Label("問題数", classes="section-title")
                with RadioSet(id="length"):
                    yield RadioChoice("10問", value=True)
                    yield RadioChoice("20問")
                    yield RadioChoice("全問")
                yield Static(Prose(f"間違いノート: {mistakes} 問\n（m で間違いノートから出題）"),
                             id="mistake-count")
        yield KeyBar()

    def on_mount(self) -> None:
        self._read_suspended()
        self._show_count()

    def on_screen_resume(self) -> None:
        if self._shown:  # back from a run: read them again (the first showing has them)
            self._read_suspended()
            self._show_count()
        self._shown = True

    def _read_suspended(self) -> None:
        """The deck's questions suspended in the card browser (never asked), read once
        per showing, not on every toggle."""
        self._suspended = self.context.store.suspended_items(self.context.deck.id,
                                                             "question")

    def _length(self) -> int | None:
        index = self.query_one("#length", RadioSet).pressed_index
        return LENGTHS[index if index >= 0 else 0]

    @on(SelectionList.SelectedChanged, "#keywords")
    @on(RadioSet.Changed, "#length")
    def _show_count(self) -> None:
        """The line under the keywords: how many are chosen and the questions they make."""
        deck = self.context.deck
        chosen = self.query_one("#keywords", SelectionList).selected
        suspended = self._suspended or frozenset()
        found = count_questions(deck, keywords=chosen, length=None, exclude=suspended)
        asked = count_questions(deck, keywords=chosen, length=self._length(),
                                exclude=suspended)
        text = Text()
        text.append(f"選択 {len(chosen)} / {len(deck.keywords)} キーワード · 該当 {found} 問\n")
        text.append(f"出題 {asked} 問", style="bold")
        text.append("  enter で開始" if asked else "  space で選ぶ · a で全選択", style="dim")
        self.query_one("#question-count", Static).update(Prose(text))

    def action_toggle_all(self) -> None:
        selection = self.query_one("#keywords", SelectionList)
        if selection.selected:
            selection.deselect_all()
        else:
            selection.select_all()

    def action_start(self) -> None:
        keywords = self.query_one("#keywords", SelectionList).selected
        if not keywords:
            self.notify("キーワードを1つ以上選んでください。", severity="warning")
            return
        items = draw_questions(self.context.deck, keywords=keywords, length=self._length(),
                               exclude=self._suspended or frozenset(),
                               rng=self.context.rng)
        self._begin(QuizRun(items=items, mode="quiz"))

    def action_mistakes(self) -> None:
        ids = [m.item for m in self.context.store.mistakes(self.context.deck.id)]
        if not ids:
            self.notify("間違いノートは空です。", severity="information")
            return
        items = draw_questions(self.context.deck, only_ids=ids, length=self._length(),
                               exclude=self._suspended or frozenset(),
                               rng=self.context.rng)
        self._begin(QuizRun(items=items, mode="mistakes"))

    def _begin(self, run: QuizRun) -> None:
        if not run.items:
            self.notify("条件に合う問題がありません。", severity="warning")
            return
        self.context.store.new_session()
        self.app.switch_screen(QuizScreen(self.context, run))


class QuizScreen(StudyScreen):
    """One question at a time: 1–4 pick, enter confirms and then moves on."""

    CSS_PATH = "../styles/quiz.tcss"
    BINDINGS = [
        Binding("escape", "app.home", "ホーム"),
        Binding("r", "retry", "間違いをやり直す",
                tooltip="この回で間違えた問題だけをもう一度解く（解答は記録される）"),
        Binding("1", "pick(0)", "1", show=False),
        Binding("2", "pick(1)", "2", show=False),
        Binding("3", "pick(2)", "3", show=False),
        Binding("4", "pick(3)", "4", show=False),
        Binding("5", "pick(4)", "5", show=False),
        Binding("6", "pick(5)", "6", show=False),
        Binding("enter", "confirm", "決定 / 次へ"),
    ]

    # What the screen shows, set from :attr:`run`; the watchers draw it. (A state class on
    # the screen would restyle every widget below it, about 3 ms an answer: the watchers
    # show and hide the one widget instead.)
    #: The question on screen; None once the run is over (the summary shows).
    item: var[QuizItem | None] = var(None, always_update=True, bindings=True)
    #: The verdict on the question on screen, once it is answered.
    grade: var[Grade | None] = var(None)
    #: The question's formula ("" when it has none).
    formula: var[str] = var("")

    def __init__(self, context: StudyContext, run: QuizRun) -> None:
        super().__init__(context)
        self.run = run
        self.selected: frozenset[int] = frozenset()
        self.started_ms = 0
        self.choices: ChoiceList | None = None
        self.numeric_input: Input | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="quiz-progress")
        with VerticalScroll(id="quiz-body"):
            yield Static(id="question-prompt", classes="prompt")
            yield Static(id="question-formula", classes="formula")
            yield Listing(id="question-listing", classes="listing")
            yield Vertical(id="answer-area")
            yield Static(id="feedback", classes="feedback")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_question()

    # ------------------------------------------------------------------ drawing
    def show_question(self) -> None:
        """Show the run's current question (skipping one the deck cannot ask), or the
        summary at the end."""
        self.grade = None
        self.selected = frozenset()
        item = self.run.current
        while item is not None and (reason := unaskable(item)) is not None:
            self.notify(f"問題 {item.question.id} はデッキの誤りで出題できません: {reason}"
                        "（studyapp validate で確認できます）", severity="error", timeout=8)
            self.run.skip()
            item = self.run.current
        self.item = item

    def watch_item(self, item: QuizItem | None) -> None:
        area = self.query_one("#answer-area", Vertical)
        area.remove_children()
        self.choices = None
        self.numeric_input = None
        if item is None:
            self.show_summary()
            return
        q = item.question
        self._show_progress()
        prompt = Text(q.prompt)
        if q.type == "multi":
            prompt.append("\n（当てはまるものをすべて選び、enter で決定）", style="dim")
        self.query_one("#question-prompt", Static).update(Prose(prompt))
        self.formula = q.formula or ""
        self.query_one("#question-listing", Listing).show(q.listing)
        options = option_texts(item)
        if options:
            self.choices = ChoiceList(options, code=q.type == "code")
            area.mount(self.choices)
        else:
            self.numeric_input = Input(placeholder=answer_hint(item), classes="numeric-input")
            area.mount(self.numeric_input)
            self.call_after_refresh(self._focus_input)
        self.started_ms = self.context.store.now_ms()

    def watch_formula(self, formula: str) -> None:
        widget = self.query_one("#question-formula", Static)
        widget.update(Prose(formula))
        widget.display = bool(formula)

    def watch_grade(self, grade: Grade | None) -> None:
        feedback = self.query_one("#feedback", Static)
        feedback.display = grade is not None
        if grade is None:
            feedback.update("")
        else:
            self.show_feedback(grade)

    def _show_progress(self) -> None:
        item = self.run.current
        if item is None:
            return
        right, answered = self.run.score
        self.query_one("#quiz-progress", Static).update(Text(
            f"問 {self.run.index + 1} / {len(self.run.items)}  ·  "
            f"{TYPE_LABELS[item.question.type]}  ·  正解 {right} / {answered}"
            + {"mistakes": "  ·  間違いノート", "retry": "  ·  やり直し"}.get(self.run.mode, "")))

    def _focus_input(self) -> None:
        if self.numeric_input is not None:
            self.numeric_input.focus()

    def show_summary(self) -> None:
        right, answered = self.run.score
        title = "結果（やり直し）" if self.run.mode == "retry" else "結果"
        self.query_one("#quiz-progress", Static).update(Text(title, style="bold"))
        text = Text()
        text.append(f"正解 {right} / {answered}", style="bold")
        if answered:
            text.append(f"（{round(100 * right / answered)}%）")
        text.append("\n\nキーワード別\n", style="bold")
        for kw, r, n in self.run.by_keyword():
            text.append(f"  {self.context.keyword_name(kw)}: {r} / {n}\n")
        mistakes = len(self.context.store.mistakes(self.context.deck.id))
        text.append(f"\n間違いノート: {mistakes} 問（2回続けて正解すると外れます）\n", style="dim")
        wrong = answered - right
        if wrong:
            text.append("r", style="bold")
            text.append(f" で間違えた {wrong} 問だけをやり直します。\n")
        text.append("escape でホームに戻ります。", style="dim")
        self.query_one("#question-prompt", Static).update(Prose(text))
        self.formula = ""
        self.query_one("#question-listing", Listing).show(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick", "confirm"):
            return self.item is not None
        if action == "retry":  # on the results, when something was answered wrong
            if self.item is not None:
                return False
            right, answered = self.run.score
            return True if answered > right else None
        return True

    def action_retry(self) -> None:
        """``r`` on the results: a new run of just the questions answered wrong, their
        options shuffled again; each answer is recorded as any other (mode ``retry``)."""
        if self.item is not None:
            return
        retry = self.run.retry_wrong(self.context.rng)
        if retry is None:
            self.notify("間違えた問題はありません。", severity="information")
            return
        self.context.store.new_session()
        self.run = retry
        self.show_question()

    # ------------------------------------------------------------------ answering
    def action_pick(self, position: int) -> None:
        item = self.item
        if item is None or self.grade is not None:
            return
        self.selected = toggle_pick(item, self.selected, position)
        if self.choices is not None:
            self.choices.set_selected(set(self.selected))

    @on(ChoiceList.Clicked)
    def _clicked(self, event: ChoiceList.Clicked) -> None:
        self.action_pick(event.position)

    @on(Input.Submitted, ".numeric-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        item = self.item
        if item is None:
            return
        if self.grade is not None:
            self.run.advance()
            self.show_question()
            return
        text = self.numeric_input.value if self.numeric_input is not None else ""
        try:
            verdict = grade_answer(item, selected=self.selected, text=text)
        except MissingAnswer as exc:
            self.notify(str(exc), severity="warning")
            return
        except AnswerFormatError as exc:
            self.notify(str(exc), title="読み取れない入力", severity="error")
            return
        duration = self.context.store.now_ms() - self.started_ms
        try:
            self.context.store.record_answer(self.context.deck.id, item.question.id,
                                             answer=verdict.given, correct=verdict.correct,
                                             duration_ms=duration, mode=self.run.mode)
        except StoreError as exc:  # nothing recorded: the learner can press enter again
            self.notify_store_error(exc)
            return
        self.run.record(verdict, duration)
        self._show_progress()
        self.grade = verdict

    def show_feedback(self, grade: Grade) -> None:
        """The verdict, the right answer, why the pick is wrong, the explanation."""
        item = self.item
        assert item is not None
        if self.choices is not None:
            self.choices.show_result(right_positions(item))
        if self.numeric_input is not None:
            self.numeric_input.disabled = True
        text = Text()
        text.append("正解！" if grade.correct else "不正解",
                    style="bold green" if grade.correct else "bold red")
        text.append(f"  正答: {grade.right_answer}\n")
        for line in grade.feedback:
            text.append(line + "\n", style="yellow")
        text.append("\n" + grade.explanation)
        text.append("\n\nenter で次の問題へ", style="dim")
        self.query_one("#feedback", Static).update(Prose(text))
        self.query_one("#quiz-body", VerticalScroll).scroll_end(animate=False)
        self.set_focus(None)  # leave the input so enter reaches the screen
