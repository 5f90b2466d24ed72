"""Flashcard review with FSRS: space shows the answer, 1–4 rate, u undoes.

The store schedules the cards and records each rating, timed with its own clock; this
screen shows the card it hands out and turns keys into its calls.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import var
from textual.widgets import Static

from studyapp.content import Card, cloze
from studyapp.context import StudyContext
from studyapp.screens.base import StudyScreen
from studyapp.store import QueueCard, Rating, StoreError
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.prose import Prose
from studyapp.widgets.rating_bar import RatingBar
from studyapp.widgets.title_bar import TitleBar

STATE_LABELS = {"new": "新規", "learning": "学習中", "relearning": "再学習", "review": "復習"}


class FlashcardScreen(StudyScreen):
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

    # What the screen shows: the watchers draw it and the bindings follow it. (A state
    # class on the screen would restyle every widget below it, milliseconds a key: the
    # watchers show and hide the few widgets instead, in _show_parts.)
    #: The card on screen; None when today's cards are done or the card was retired.
    card: var[Card | None] = var(None, always_update=True, bindings=True)
    #: The answer is showing: the rating keys work.
    revealed: var[bool] = var(False, bindings=True)
    #: The formula under the back once revealed ("" for none). A card's formula is part of
    #: its answer, so it never shows with the front.
    formula: var[str] = var("")
    #: The back of the card once revealed ("" when there is nothing more to show).
    answer: var[str] = var("")

    def __init__(self, context: StudyContext) -> None:
        super().__init__(context)
        self.current: QueueCard | None = None
        self.shown_at_ms = 0
        self.reviewed = 0

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="queue-info")
        with VerticalScroll(id="card-body"):
            yield Static(id="card-front", classes="card-text")
            yield Static(id="card-back", classes="card-text answer")
            yield Static(id="card-formula", classes="formula")
        with Vertical(id="card-actions"):
            yield Static("space で答えを表示", id="reveal-hint")
            yield RatingBar(id="rating-bar")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load_next()

    # ------------------------------------------------------------------ state
    def load_next(self) -> None:
        self.current = self.context.store.next_card(self.context.deck.id)
        self.show_current()

    def show_current(self) -> None:
        """Show :attr:`current` (front only), or that there is nothing left today."""
        self.revealed = False
        self.answer = ""
        self.formula = ""
        queue = self.context.store.due_queue(self.context.deck.id)
        info = Text(f"復習 {len(queue.review)}  学習中 {len(queue.learning)}  "
                    f"新規 {len(queue.new)}  ·  このセッション {self.reviewed} 枚")
        self.query_one("#queue-info", Static).update(info)
        self.card = self._card_of(self.current)
        self.shown_at_ms = self.context.store.now_ms()

    def _card_of(self, current: QueueCard | None) -> Card | None:
        """The deck's card the store handed out (None when it was retired meanwhile)."""
        if current is None:
            return None
        try:
            item = self.context.library.deck(current.deck).item(current.item)
        except KeyError:  # retired between sync and now: skip it
            return None
        return item if isinstance(item, Card) else None

    def watch_card(self, card: Card | None) -> None:
        self._show_parts()
        front = self.query_one("#card-front", Static)
        if self.current is None:
            front.update(Text("今日のカードはすべて終わりました。おつかれさまでした！\n"
                              "escape でホームに戻ります。", style="bold"))
            self.formula = ""
            return
        if card is None:
            front.update(Text("このカードはデッキから削除されています。", style="dim"))
            self.formula = ""
            return
        state = STATE_LABELS.get(self.current.state, self.current.state)
        text = Text()
        text.append(f"［{state}］ ", style="dim")
        text.append(cloze.mask(card.cloze) if card.cloze is not None else (card.front or ""))
        front.update(Prose(text))

    def watch_formula(self, formula: str) -> None:
        widget = self.query_one("#card-formula", Static)
        widget.update(Prose(formula))
        widget.display = bool(formula)

    def watch_answer(self, answer: str) -> None:
        self.query_one("#card-back", Static).update(Prose(answer))
        self._show_parts()

    def watch_revealed(self, revealed: bool) -> None:
        self._show_parts()

    def _show_parts(self) -> None:
        """The hint while a card's front shows; the back (when there is one) and the
        rating buttons once it is revealed."""
        self.query_one("#reveal-hint").display = self.card is not None and not self.revealed
        self.query_one("#card-back").display = self.revealed and bool(self.answer)
        self.query_one("#rating-bar").display = self.revealed

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
        if card.cloze is not None:  # the gaps are filled in place
            self.query_one("#card-front", Static).update(Prose(cloze.reveal(card.cloze)))
        self.answer = card.back or ""
        self.formula = card.formula or ""
        previews = self.context.store.preview(self.current.deck, self.current.item)
        self.query_one("#rating-bar", RatingBar).show_previews(previews)
        self.revealed = True

    def action_rate(self, value: int) -> None:
        if not self.revealed or self.current is None:
            return
        store = self.context.store
        try:
            store.rate_card(self.current.deck, self.current.item, Rating(value),
                            duration_ms=store.now_ms() - self.shown_at_ms)
        except StoreError as exc:  # not recorded: the card stays, the learner can rate again
            self.notify_store_error(exc)
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
            self.notify_store_error(exc, title="取り消せませんでした")
            return
        if undone is None:
            self.notify("取り消せる評価がありません。", severity="warning")
            return
        self.reviewed = max(0, self.reviewed - 1)
        self.current = QueueCard(deck=undone.deck, item=undone.item,
                                 state="new" if undone.state is None else undone.state.state,
                                 due=None if undone.state is None else undone.state.due)
        self.notify(f"評価「{undone.rating.label}」を取り消しました。")
        self.show_current()
