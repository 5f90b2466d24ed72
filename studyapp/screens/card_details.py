"""One card or question from the card browser: the whole item with its formula, its
schedule and marks, and its history (a card's ratings: date, rating, interval, elapsed;
a question's answers, the last wrong one first of all)."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from studyapp.content import Card, Question, cloze
from studyapp.context import StudyContext
from studyapp.screens.base import StudyScreen
from studyapp.store import format_interval
from studyapp.study.browse import (
    STATE_LABELS,
    TRUE_FALSE_TEXTS,
    TYPE_LABELS,
    BrowseRow,
    answer_text,
    last_wrong,
    picked_whys,
    right_answer_text,
)
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.listing import Listing
from studyapp.widgets.prose import Prose
from studyapp.widgets.title_bar import TitleBar

#: Where an answer was given (``attempts.mode``), as the history names it.
MODE_LABELS = {"quiz": "クイズ", "exam": "模試", "mistakes": "間違いノート", "practice": "練習"}


def _seconds(ms: int | None) -> str:
    return "—" if ms is None else f"{ms / 1000:.0f}秒"


def _span(delta: timedelta | None) -> str:
    if delta is None:
        return "—"
    return format_interval(round(delta.total_seconds() * 1000))


class CardDetailsScreen(StudyScreen):
    """The whole item and its history, over the browser; ``escape`` goes back to it."""

    CSS_PATH = "../styles/browser.tcss"
    BINDINGS = [Binding("escape", "close", "一覧に戻る")]

    def __init__(self, context: StudyContext, row: BrowseRow) -> None:
        super().__init__(context)
        self.row = row

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="details-body"):
            yield Static(id="details-head")
            yield Static(id="details-text", classes="details-text")
            yield Static(id="details-formula", classes="formula")
            yield Listing(id="details-listing", classes="listing")
            yield Static(id="details-answer", classes="details-text")
            yield Static(id="history-title", classes="section-title")
            yield Static(id="history")
        yield KeyBar()

    def on_mount(self) -> None:
        deck = self.context.deck
        item = deck.item(self.row.item)
        self.query_one("#details-head", Static).update(self._head(item))
        # a question's formula is data it gives (under the prompt); a card's is part of its
        # answer (with the back, as the flashcards show it)
        given = item.formula if isinstance(item, Question) else None
        formula = self.query_one("#details-formula", Static)
        formula.update(Prose(given or ""))
        formula.display = bool(given)
        listing = self.query_one("#details-listing", Listing)
        if isinstance(item, Card):
            self._show_card(item)
            listing.show(None)
        else:
            self._show_question(item)
            listing.show(item.listing)

    def action_close(self) -> None:
        self.dismiss()

    # ------------------------------------------------------------------ parts
    def _head(self, item: Card | Question) -> Text:
        row = self.row
        text = Text()
        text.append(TYPE_LABELS.get(row.type, row.type), style="bold")
        text.append(f"  {item.id}", style="dim")
        names = [self.context.keyword_name(k) for k in item.keywords]
        text.append("\nキーワード: ", style="dim")
        text.append("、".join(names))
        text.append("\n状態: ", style="dim")
        text.append(STATE_LABELS.get(row.state, row.state))
        marks = [label for on, label in ((row.suspended, "休止中"), (row.leech, "リーチ"),
                                         (row.flagged, "フラグ")) if on]
        if marks:
            text.append("（" + "・".join(marks) + "）", style="bold yellow")
        if isinstance(item, Card):
            state = self.context.store.card_state(self.context.deck.id, item.id)
            if state is not None:
                text.append(f"  期日 {row.due_text}  復習 {state.reps} 回  失敗 {state.lapses} 回"
                            f"  安定度 {state.stability:.1f} 日  難易度 {state.difficulty:.1f}",
                            style="dim")
        return text

    def _show_card(self, card: Card) -> None:
        text = Text()
        if card.cloze is not None:
            text.append("穴埋め: ", style="dim")
            text.append(cloze.mask(card.cloze))
            text.append("\n答え: ", style="dim")
            text.append(cloze.reveal(card.cloze), style="green")
        else:
            text.append("表: ", style="dim")
            text.append(card.front or "")
        self.query_one("#details-text", Static).update(Prose(text))
        back = Text()
        if card.back:
            back.append("裏: ", style="dim")
            back.append(card.back)
        if card.formula:
            back.append(("\n" if back else "") + "式: ", style="dim")
            back.append(card.formula, style="bold")
        if card.tags:
            back.append(("\n" if back else "") + "タグ: " + ", ".join(card.tags),
                        style="dim")
        answer = self.query_one("#details-answer", Static)
        answer.update(Prose(back))
        answer.display = bool(back.plain)
        self._show_reviews(card)

    def _show_reviews(self, card: Card) -> None:
        history = self.context.store.review_history("card", self.context.deck.id, card.id)
        self.query_one("#history-title", Static).update(f"復習履歴（{len(history)} 回、新しい順）")
        if not history:
            self.query_one("#history", Static).update(Text("まだ復習していません。", style="dim"))
            return
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        for name, justify in (("日時", "left"), ("評価", "left"), ("間隔", "right"),
                              ("経過", "right"), ("状態", "left"), ("所要", "right")):
            table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
        for entry in reversed(history):
            before = "新規" if entry.state_before is None else STATE_LABELS[entry.state_before]
            table.add_row(self._when(entry.reviewed_at),
                          Text(entry.rating.label, style="red" if entry.rating == 1 else ""),
                          _span(entry.interval), _span(entry.elapsed),
                          f"{before}→{STATE_LABELS[entry.state_after]}",
                          _seconds(entry.duration_ms))
        self.query_one("#history", Static).update(table)

    def _show_question(self, question: Question) -> None:
        text = Text()
        text.append(question.prompt)
        options = ([(TRUE_FALSE_TEXTS[True], bool(question.answer)),
                    (TRUE_FALSE_TEXTS[False], not question.answer)]
                   if question.type == "truefalse" else
                   [(o.text, i in question.correct_indices())
                    for i, o in enumerate(question.choices)])
        for option, right in options:
            text.append("\n")
            text.append("✓ " if right else "・", style="green" if right else "dim")
            text.append(option, style="green" if right else "")
        self.query_one("#details-text", Static).update(Prose(text))
        history = self.context.store.answer_history(self.context.deck.id, question.id)
        answer = Text()
        answer.append("正答: ", style="dim")
        answer.append(right_answer_text(question), style="green")
        wrong = last_wrong(history)
        if wrong is not None:
            answer.append("\n最後の誤答: ", style="dim")
            answer.append(answer_text(question, wrong.answer), style="red")
            answer.append(f"（{self._when(wrong.answered_at)}）", style="dim")
            for why in picked_whys(question, wrong.answer):
                answer.append(f"\n{why}", style="yellow")
        answer.append("\n\n解説: ", style="dim")
        answer.append(question.explanation)
        self.query_one("#details-answer", Static).update(Prose(answer))
        self.query_one("#history-title", Static).update(f"解答履歴（{len(history)} 回、新しい順）")
        if not history:
            self.query_one("#history", Static).update(Text("まだ解答していません。", style="dim"))
            return
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        for name in ("日時", "結果", "解答", "場面", "所要"):
            table.add_column(name, no_wrap=name != "解答")
        for entry in reversed(history):
            table.add_row(self._when(entry.answered_at),
                          Text("正答" if entry.correct else "誤答",
                               style="green" if entry.correct else "red"),
                          answer_text(question, entry.answer),
                          MODE_LABELS.get(entry.mode, entry.mode), _seconds(entry.duration_ms))
        self.query_one("#history", Static).update(table)

    def _when(self, moment: datetime) -> str:
        """A moment in the learner's time zone: ``2026-11-27 10:00``."""
        return moment.astimezone(self.context.store.calendar.tz).strftime("%Y-%m-%d %H:%M")
