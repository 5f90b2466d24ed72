"""The mock exam's result: the score, the score per keyword, every question with its time,
and the explanations of the questions answered wrong (``n`` sets up a new exam)."""

from __future__ import annotations

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
    ExamQuestion,
    ExamResult,
    format_clock,
    format_seconds,
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
        Binding("n", "app.open_area('exam')", "もう一度", tooltip="新しい模試の設定へ"),
    ]

    def __init__(self, context: StudyContext, result: ExamResult, recorded: int,
                 error: str | None = None) -> None:
        super().__init__(context)
        self.result = result
        self.recorded = recorded
        self.error = error

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="exam-result"):
            yield Static(Prose(self._summary()), id="result-summary")
            yield Static("キーワード別", classes="section-title")
            yield Static(self._keywords(), id="result-keywords")
            yield Static(f"問題別（目安 1問 {BUDGET_SECONDS} 秒、超えた問題に ! ）",
                         classes="section-title")
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
        return text

    def _keywords(self) -> Text:
        order = keyword_order([self.context.deck])
        lines = Text()
        for i, (kw, right, n) in enumerate(self.result.by_keyword(order)):
            if i:
                lines.append("\n")
            lines.append_text(labelled_bar(self.context.keyword_name(kw), right / n,
                                           label_width=26, bar_width=20,
                                           suffix=f"{right} / {n}"))
        return lines

    def _table(self) -> Table:
        table = Table(expand=True, box=None, pad_edge=False, header_style="bold")
        table.add_column("問", justify="right", no_wrap=True)
        table.add_column("判定", no_wrap=True)
        table.add_column("種類", ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column("キーワード", ratio=3, no_wrap=True, overflow="ellipsis")
        table.add_column("あなた", ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column("正答", ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column("時間", justify="right", no_wrap=True)
        for row in self.result.rows:
            q = row.question
            mark = (Text("○ 正解", style="bold green") if row.correct
                    else Text("— 未解答", style="bold yellow") if not row.answered
                    else Text("× 不正解", style="bold red"))
            picked = Text("—", style="dim") if row.pick is None else _option(q, row.pick)
            spent = Text(format_seconds(row.spent_ms))
            if row.over_budget:
                spent.stylize("bold red")
                spent.append(" !", style="bold red")
            number = Text(str(q.number))
            if row.flagged:
                number.append("*", style="bold yellow")
            table.add_row(number, mark, Text(q.title),
                          Text("、".join(self.context.keyword_name(k) for k in q.keywords)),
                          picked, _option(q, q.answer_position), spent)
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


def _option(q: ExamQuestion, position: int) -> Text:
    """``2. 0.5`` — an option with its display number."""
    return Text(f"{position + 1}. {q.options[position]}")
