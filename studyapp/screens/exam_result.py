"""The mock exam's result: the score, the score per keyword, every question with the
answer given, the right one and its time, and the explanations of the questions answered
wrong. ``r`` takes the deck questions missed again as a quiz, ``n`` sets up a new exam."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from studyapp.context import StudyContext
from studyapp.render.bars import labelled_bar
from studyapp.render.listing import listing_text
from studyapp.screens.base import StudyScreen
from studyapp.study.exam import (
    BUDGET_SECONDS,
    RETRY_MODE,
    ExamQuestion,
    ExamResult,
    format_clock,
    format_seconds,
    retry_misses,
)
from studyapp.study.ordering import keyword_order
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.prose import Prose
from studyapp.widgets.title_bar import TitleBar


class ExamResultScreen(StudyScreen):
    """The score, the score per keyword, and every question with its time."""

    CSS_PATH = "../styles/exam.tcss"
    BINDINGS = [
        Binding("escape", "app.home", "ホーム"),
        Binding("r", "retry", "解き直し",
                tooltip="間違えた・未解答のデッキの問題だけをクイズで解き直す"),
        Binding("n", "app.open_area('exam')", "もう一度", tooltip="新しい模試の設定へ"),
    ]

    def __init__(self, context: StudyContext, result: ExamResult, recorded: int,
                 error: str | None = None) -> None:
        super().__init__(context)
        self.result = result
        self.recorded = recorded
        self.error = error
        missed = [r.question for r in result.rows if not r.correct]
        #: How many deck questions and generated problems were answered wrong or left blank.
        self.deck_missed = sum(q.source == "deck" for q in missed)
        self.generated_missed = len(missed) - self.deck_missed

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="exam-result"):
            yield Static(Prose(self._summary()), id="result-summary")
            yield Static("キーワード別", classes="section-title")
            yield Static(self._keywords(), id="result-keywords")
            yield Static(f"問題別（目安 1問 {BUDGET_SECONDS} 秒、超えた問題に !、"
                         "* は見直しフラグ）", classes="section-title")
            yield Static(self._table(), id="result-table")
            review = self._review()
            if review.plain:
                yield Static("間違えた問題の解説", classes="section-title")
                yield Static(Prose(review), id="result-review")
        yield KeyBar()

    def _summary(self) -> Text:
        r = self.result
        right, total = r.score
        text = Text()
        text.append(f"得点 {right} / {total}", style="bold")
        text.append(f"（{r.percent}%）", style="bold")
        text.append(f"   時間 {format_clock(r.used_ms)} / {format_clock(r.time_limit_ms)}")
        if r.timed_out:
            text.append("   時間切れで提出", style="bold yellow")
        text.append(f"\n解答 {r.answered} / {total} 問 · {BUDGET_SECONDS}秒を超えた問題 "
                    f"{r.over_budget} 問")
        if self.error:
            text.append(f"\n記録できませんでした: {self.error}", style="bold red")
        else:
            text.append(f"\n{self.recorded} 問の解答を記録しました（未解答は記録しません）。"
                        "間違えたデッキの問題は間違いノートに入ります。", style="dim")
        retry = self._retry_note()
        if retry.plain:
            text.append("\n")
            text.append_text(retry)
        return text

    def _retry_note(self) -> Text:
        """What ``r`` retries, and what it leaves out (a quiz asks deck questions only)."""
        text = Text()
        if self.deck_missed:
            text.append("r", style="bold")
            text.append(f" で解き直し: 間違えた・未解答のデッキの問題 {self.deck_missed} 問を"
                        "クイズで")
            if self.generated_missed:
                text.append(f"（計算問題 {self.generated_missed} 問はクイズで出題できないため"
                            "含みません。ホームの p 計算練習で同じ種類の新しい問題を解けます）")
            else:
                text.append("。")
        elif self.generated_missed:
            text.append(f"間違えたのは計算問題 {self.generated_missed} 問だけです。クイズでは出題"
                        "できないため r の解き直しには含みません。ホームの p 計算練習で同じ種類の"
                        "新しい問題を解けます。")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.deck_missed > 0
        return True

    def action_retry(self) -> None:
        """A quiz of the deck questions missed (options shuffled again); the answers are
        recorded as any quiz answer, with the mode ``retry`` (a quiz retry's)."""
        from studyapp.screens.quiz import QuizScreen
        from studyapp.study.quiz import QuizRun

        retry = retry_misses(self.result, self.context.rng)
        if not retry.items:
            return
        self.context.store.new_session()
        self.app.switch_screen(QuizScreen(self.context,
                                          QuizRun(items=retry.items, mode=RETRY_MODE)))
        if retry.generated:
            self.notify(f"計算問題 {len(retry.generated)} 問はクイズで出題できないため"
                        "含めていません（ホームの p 計算練習で同じ種類の新しい問題を解けます）。",
                        title="模試の解き直し")

    def _keywords(self) -> Text:
        order = keyword_order([self.context.deck])
        rows = [(self.context.keyword_name(kw), right, n)
                for kw, right, n in self.result.by_keyword(order)]
        width = min(max((cell_len(name) for name, _, _ in rows), default=0), KEYWORD_CELLS)
        lines = Text()
        for i, (name, right, n) in enumerate(rows):
            if i:
                lines.append("\n")
            lines.append_text(labelled_bar(name, right / n, label_width=width, bar_width=20,
                                           suffix=f"{right} / {n}"))
        return lines

    def _table(self) -> Table:
        """One row a question: its number, the verdict, what it was (its keywords), the
        answer given and the right one in full (wrapped, never cut short), its time."""
        table = Table(expand=True, box=None, pad_edge=False, header_style="bold",
                      padding=(0, 1, 1, 1))
        table.add_column("問", justify="right", no_wrap=True)
        table.add_column("判定", no_wrap=True)
        table.add_column("問題と答え", ratio=1)
        table.add_column("時間", justify="right", no_wrap=True)
        for row in self.result.rows:
            q = row.question
            mark = (Text("○ 正解", style="bold green") if row.correct
                    else Text("— 未解答", style="bold yellow") if not row.answered
                    else Text("× 不正解", style="bold red"))
            spent = Text(format_seconds(row.spent_ms))
            if row.over_budget:
                spent.stylize("bold red")
                spent.append(" !", style="bold red")
            number = Text(str(q.number))
            if row.flagged:
                number.append("*", style="bold yellow")
            what = Text(q.title)
            what.append("  ·  " + "、".join(self.context.keyword_name(k) for k in q.keywords),
                        style="dim")
            answers = [Prose(what)]
            if row.correct:  # the verdict says the answer given was this one
                answers.append(_answer("正答", _option(q, q.answer_position)))
            else:
                answers.append(_answer("あなた", Text("—", style="dim") if row.pick is None
                                       else _option(q, row.pick)))
                answers.append(_answer("正答", _option(q, q.answer_position)))
            table.add_row(number, mark, Group(*answers), spent)
        return table

    def _review(self) -> Text:
        text = Text()
        for row in self.result.rows:
            if row.correct:
                continue
            q = row.question
            if text.plain:
                text.append("\n\n")
            text.append(f"問 {q.number}  {q.title}\n", style="bold")
            text.append(q.prompt + "\n")
            if q.formula:
                text.append(q.formula + "\n", style="italic")
            if q.listing:
                text.append_text(listing_text(q.listing))
                text.append("\n")
            text.append("あなたの答え: ")
            text.append_text(Text("未解答", style="yellow") if row.pick is None
                             else _option(q, row.pick))
            text.append("   正答: ")
            text.append_text(_option(q, q.answer_position))
            text.append("\n")
            for line in q.feedback(row.pick):
                text.append(line + "\n", style="yellow")
            for line in q.explanation:
                text.append(line + "\n", style="dim")
        return text


#: Cells of the label before an answer in the table (``あなた`` and a space).
LABEL_CELLS = 7
#: The widest keyword label of the per-keyword bars (fits 80 columns with the bar).
KEYWORD_CELLS = 36


def _answer(label: str, option: Text) -> Prose:
    """``あなた  2. …`` with the option's wrapped lines (a code option's too) under its
    text, not under the label."""
    text = Text(label, style="bold")
    text.pad_right(LABEL_CELLS - cell_len(label))
    text.append_text(option)
    return Prose(text, hang=LABEL_CELLS)


def _option(q: ExamQuestion, position: int) -> Text:
    """``2. 0.5`` — an option with its display number."""
    return Text(f"{position + 1}. {q.options[position]}")
