"""Flashcard review with FSRS: space shows the answer, 1–4 rate, u undoes.

The store schedules the cards and records each rating, timed with its own clock; this
screen shows the card it hands out and turns keys into its calls. When nothing is left
for today it sums the session up (cards, the Again rate, the time, what tomorrow holds)
and offers more, as Anki's custom study does: ``n`` allows 10 more new cards today, ``r``
reviews ahead the cards due tomorrow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
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
from studyapp.study.exam import format_seconds
from studyapp.study.flashcards import SessionTally
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.prose import Prose
from studyapp.widgets.rating_bar import RatingBar
from studyapp.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from studyapp.store.models import Tomorrow

STATE_LABELS = {"new": "新規", "learning": "学習中", "relearning": "再学習", "review": "復習"}
#: How many new cards ``n`` adds to today's allowance.
MORE_NEW_CARDS = 10


def revealed_cloze(source: str, answer_style: Style | str) -> Text:
    """A cloze text with every gap filled in, each answer in ``answer_style`` (the spans
    of a Rich ``Text``, so :class:`Prose` still breaks the lines the Japanese way)."""
    try:
        gaps = cloze.parse(source)
    except cloze.ClozeError:  # a deck the validator would refuse: the plain fill-in
        return Text(cloze.reveal(source))
    text = Text()
    position = 0
    for gap in gaps:
        text.append(source[position:gap.start])
        text.append(gap.answer, style=answer_style)
        position = gap.end
    text.append(source[position:])
    return text


class FlashcardScreen(StudyScreen):
    """Shows the next due card of the deck; every rating is committed before the next card."""

    CSS_PATH = "../styles/flashcards.tcss"
    #: The style of a revealed cloze answer (flashcards.tcss: the theme's accent, bold).
    COMPONENT_CLASSES = {"flashcards--cloze-answer"}
    BINDINGS = [
        Binding("escape", "app.home", "ホーム"),
        Binding("space", "reveal", "答えを見る"),
        Binding("1", "rate(1)", "もう一度", show=False),
        Binding("2", "rate(2)", "難しい", show=False),
        Binding("3", "rate(3)", "正解", show=False),
        Binding("4", "rate(4)", "簡単", show=False),
        Binding("u", "undo", "取り消し", tooltip="直前の評価を取り消してカードを戻す"),
        # once today's cards are done (the summary)
        Binding("n", "more_new", f"新規+{MORE_NEW_CARDS}",
                tooltip=f"今日だけ新規カードを {MORE_NEW_CARDS} 枚増やす"),
        Binding("r", "review_ahead", "先取り復習",
                tooltip="明日が期日のカードを今日復習する (Anki の先取り学習)"),
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
        #: This session's ratings (undo takes the last out): the summary's numbers.
        self.tally = SessionTally()
        #: Review ahead: reviews due within this many days after today come now (``r``).
        self.ahead_days = 0
        #: What the summary offers: (unseen cards for ``n``, reviews ahead for ``r``).
        self.offers = (0, 0)
        #: The next study day as the summary shows it (read once per summary).
        self.next_day: Tomorrow | None = None

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
    @property
    def reviewed(self) -> int:
        """Ratings made in this session."""
        return self.tally.ratings

    def load_next(self) -> None:
        self.current = self.context.store.next_card(self.context.deck.id,
                                                    ahead_days=self.ahead_days)
        self.show_current()

    def show_current(self) -> None:
        """Show :attr:`current` (front only), or the session's summary when nothing is
        left for today."""
        store, deck = self.context.store, self.context.deck.id
        if self.current is None:  # before any watcher draws, so the keys follow the offers
            self.next_day = store.tomorrow(deck)
            # nothing is left today, so these are the reviews of the next day ahead only
            self.offers = (self.next_day.unseen,
                           len(store.due_queue(deck, ahead_days=self.ahead_days + 1).review))
        self.revealed = False
        self.answer = ""
        self.formula = ""
        queue = store.due_queue(deck, ahead_days=self.ahead_days)
        # learn-ahead cards are learning cards shown now (as Anki counts them), so a
        # ［学習中］ card on screen is always in the count
        info = Text(f"復習 {len(queue.review)}  学習中 {len(queue.learning) + len(queue.ahead)}"
                    f"  新規 {len(queue.new)}  ·  このセッション {self.reviewed} 枚")
        if self.ahead_days:
            info.append("  ·  先取り復習", style="bold")
        self.query_one("#queue-info", Static).update(info)
        self.card = self._card_of(self.current)
        self.shown_at_ms = store.now_ms()

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
            front.update(Prose(self._summary()))
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

    def _summary(self) -> Text:
        """The end of the session: what was done, what tomorrow holds, what more to do."""
        tally = self.tally
        tomorrow = self.next_day or self.context.store.tomorrow(self.context.deck.id)
        unseen, ahead = self.offers
        text = Text()
        done = "先取り復習も終わりました" if self.ahead_days else "今日のカードはすべて終わりました"
        text.append(f"{done}。おつかれさまでした！\n", style="bold")
        if tally.ratings:
            rate = round(100 * (tally.again_rate or 0))
            text.append("\nこのセッション  ", style="bold")
            text.append(f"カード {tally.cards} 枚 · 評価 {tally.ratings} 回 · "
                        f"時間 {format_seconds(tally.duration_ms)}\n")
            text.append(f"                もう一度 {tally.again} 回（{rate}%）\n")
        text.append(f"\n明日 {tomorrow.day.month}/{tomorrow.day.day}  ", style="bold")
        text.append(f"復習 {tomorrow.due} 枚 · 新規 {tomorrow.new} 枚\n")
        text.append("\nもっと学習する\n", style="bold")
        if unseen:
            text.append("  n", style="bold")
            text.append(f"  新規カードを今日だけ {MORE_NEW_CARDS} 枚増やす"
                        f"（未学習 {unseen} 枚）\n")
        else:
            text.append("  n  未学習のカードはもうありません\n", style="dim")
        when = "明日" if not self.ahead_days else f"{self.ahead_days + 1}日後まで"
        if ahead:
            text.append("  r", style="bold")
            text.append(f"  先取り復習: {when}が期日の {ahead} 枚を今日復習する\n")
        else:
            text.append(f"  r  {when}が期日のカードはありません\n", style="dim")
        text.append("\nescape でホームに戻ります。", style="dim")
        return text

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
        if action in ("more_new", "review_ahead"):  # on the summary only
            if self.current is not None:
                return False
            unseen, ahead = self.offers
            return True if (unseen if action == "more_new" else ahead) else None
        return True

    # ------------------------------------------------------------------ actions
    def action_reveal(self) -> None:
        card = self.card
        if card is None or self.revealed or self.current is None:
            return
        if card.cloze is not None:  # the gaps are filled in place, the answers stand out
            state = STATE_LABELS.get(self.current.state, self.current.state)
            text = Text()
            text.append(f"［{state}］ ", style="dim")
            text.append_text(revealed_cloze(
                card.cloze,
                self.get_component_rich_style("flashcards--cloze-answer", partial=True)))
            self.query_one("#card-front", Static).update(Prose(text))
        self.answer = card.back or ""
        self.formula = card.formula or ""
        previews = self.context.store.preview(self.current.deck, self.current.item)
        self.query_one("#rating-bar", RatingBar).show_previews(previews)
        self.revealed = True

    def action_rate(self, value: int) -> None:
        if not self.revealed or self.current is None:
            return
        store = self.context.store
        duration = store.now_ms() - self.shown_at_ms
        try:
            result = store.rate_card(self.current.deck, self.current.item, Rating(value),
                                     duration_ms=duration)
        except StoreError as exc:  # not recorded: the card stays, the learner can rate again
            self.notify_store_error(exc)
            return
        if result.leech:
            suspended = store.config.leech_action == "suspend"
            self.notify(
                f"このカードは {result.state.lapses} 回忘れたのでリーチ（leech）になりました。"
                + ("停止しました（b の一覧で s を押すと再開）。" if suspended else
                   "覚え方を変えるか、b の一覧で確認してください。"),
                title="リーチ", severity="warning", timeout=8)
        self.tally.record(f"{self.current.deck}/{self.current.item}", value, duration)
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
        self.tally.undo(f"{undone.deck}/{undone.item}")
        self.current = QueueCard(deck=undone.deck, item=undone.item,
                                 state="new" if undone.state is None else undone.state.state,
                                 due=None if undone.state is None else undone.state.due)
        self.notify(f"評価「{undone.rating.label}」を取り消しました。")
        self.show_current()

    def action_more_new(self) -> None:
        """``n`` on the summary: today's new-card allowance goes up by
        :data:`MORE_NEW_CARDS` (kept in the store: a restart today keeps it)."""
        if self.current is not None:
            return
        try:
            left = self.context.store.add_new_cards_today(MORE_NEW_CARDS)
        except StoreError as exc:
            self.notify_store_error(exc)
            return
        self.notify(f"今日の新規カードを {MORE_NEW_CARDS} 枚増やしました（今日の残り {left} 枚）。")
        self.load_next()

    def action_review_ahead(self) -> None:
        """``r`` on the summary: the reviews due one more day ahead come now."""
        if self.current is not None:
            return
        days = self.ahead_days + 1
        if self.context.store.next_card(self.context.deck.id, ahead_days=days) is None:
            self.notify("先取りできるカードはありません。", severity="information")
            return
        self.ahead_days = days
        self.load_next()
