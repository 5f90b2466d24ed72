"""Flashcard review with FSRS: space shows the answer, 1–4 rate, u undoes."""

from __future__ import annotations

import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from studyapp.content import Card, cloze
from studyapp.context import StudyContext
from studyapp.store import QueueCard, Rating, StoreError
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.prose import Prose
from studyapp.widgets.rating_bar import RatingBar
from studyapp.widgets.title_bar import TitleBar

KIND_LABELS = {"new": "新規", "learning": "学習中", "relearning": "再学習", "review": "復習"}


class FlashcardScreen(Screen[None]):
    """Shows the next due card of the deck; every rating is committed before the next card."""

    CSS_PATH = "../styles/flashcards.tcss"
    BINDINGS = [
        Binding("escape", "app.home", "ホーム"),
        Binding("space", "reveal", "答えを見る"),
        Binding("1", "rate(1)", "もう一度", show=False),
        Binding("2", "rate(2)", "難しい", show=False),
        Binding("3", "rate(3)", "正解", show=False),
        Binding("4", "rate(4)", "簡単", show=False),
        Binding("u", "undo", "取り消し", tooltip="直前の評価を取り消してカードを戻す"),
    ]

    def __init__(self, context: StudyContext) -> None:
        super().__init__()
        self.context = context
        self.current: QueueCard | None = None
        self.card: Card | None = None
        self.revealed = False
        self.shown_at = 0.0
        self.reviewed = 0

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="queue-info")
        with VerticalScroll(id="card-body"):
            yield Static(id="card-front", classes="card-text")
            yield Static(id="card-formula", classes="formula")
            yield Static(id="card-back", classes="card-text answer")
        with Vertical(id="card-actions"):
            yield Static("space で答えを表示", id="reveal-hint")
            yield RatingBar(id="rating-bar")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load_next()

    # ------------------------------------------------------------------ state
    def load_next(self) -> None:
        store = self.context.store
        deck = self.context.deck
        self.current = store.next_card(deck.id)
        self.show_current()

    def show_current(self) -> None:
        self.revealed = False
        self.card = None
        queue = self.context.store.due_queue(self.context.deck.id)
        info = Text(f"復習 {len(queue.review)}  学習中 {len(queue.learning)}  "
                    f"新規 {len(queue.new)}  ·  このセッション {self.reviewed} 枚")
        self.query_one("#queue-info", Static).update(info)
        front = self.query_one("#card-front", Static)
        formula = self.query_one("#card-formula", Static)
        back = self.query_one("#card-back", Static)
        back.update("")
        back.display = False
        self.query_one("#rating-bar").display = False
        hint = self.query_one("#reveal-hint", Static)
        if self.current is None:
            front.update(Text("今日のカードはすべて終わりました。おつかれさまでした！\n"
                              "escape でホームに戻ります。", style="bold"))
            formula.display = False
            hint.display = False
            self.refresh_bindings()
            return
        try:
            deck = self.context.library.deck(self.current.deck)
            self.card = deck.item(self.current.item)  # type: ignore[assignment]
        except KeyError:  # retired between sync and now: skip it
            self.card = None
        card = self.card
        if not isinstance(card, Card):
            front.update(Text("このカードはデッキから削除されています。", style="dim"))
            formula.display = False
            hint.display = False
            self.refresh_bindings()
            return
        kind = KIND_LABELS.get(self.current.kind, self.current.kind)
        text = Text()
        text.append(f"［{kind}］ ", style="dim")
        text.append(cloze.mask(card.cloze) if card.cloze is not None else (card.front or ""))
        front.update(Prose(text))
        formula.update(Prose(card.formula or ""))
        formula.display = bool(card.formula) and card.cloze is None
        hint.display = True
        self.shown_at = time.monotonic()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return self.card is not None and not self.revealed
        if action == "rate":
            return True if self.revealed else None
        if action == "undo":
            return self.context.store.can_undo
        return True

    # ------------------------------------------------------------------ actions
    def action_reveal(self) -> None:
        card = self.card
        if card is None or self.revealed or self.current is None:
            return
        self.revealed = True
        back = self.query_one("#card-back", Static)
        if card.cloze is not None:
            self.query_one("#card-front", Static).update(Prose(cloze.reveal(card.cloze)))
            answer = Text(card.back or "")
            if card.formula:
                answer.append(("\n" if card.back else "") + card.formula)
        else:
            answer = Text(card.back or "")
        back.update(Prose(answer))
        back.display = bool(answer.plain)
        previews = self.context.store.preview(self.current.deck, self.current.item)
        bar = self.query_one("#rating-bar", RatingBar)
        bar.show_previews(previews)
        bar.display = True
        self.query_one("#reveal-hint", Static).display = False
        self.refresh_bindings()

    def action_rate(self, value: int) -> None:
        if not self.revealed or self.current is None:
            return
        duration = int((time.monotonic() - self.shown_at) * 1000)
        try:
            self.context.store.rate_card(self.current.deck, self.current.item, Rating(value),
                                         duration_ms=duration)
        except StoreError as exc:  # not recorded: the card stays, the learner can rate again
            self.notify(exc.message, title="保存できませんでした", severity="error", timeout=10)
            return
        self.reviewed += 1
        self.load_next()

    @on(RatingBar.Rated)
    def _rated(self, event: RatingBar.Rated) -> None:
        self.action_rate(int(event.rating))

    def action_undo(self) -> None:
        try:
            undone = self.context.store.undo_last_rating()
        except StoreError as exc:
            self.notify(exc.message, title="取り消せませんでした", severity="error", timeout=10)
            return
        if undone is None:
            self.notify("取り消せる評価がありません。", severity="warning")
            return
        self.reviewed = max(0, self.reviewed - 1)
        self.current = QueueCard(deck=undone.deck, item=undone.item,
                                 kind="new" if undone.state is None else undone.state.state,
                                 due=None if undone.state is None else undone.state.due)
        self.notify(f"評価「{undone.rating.label}」を取り消しました。")
        self.show_current()
