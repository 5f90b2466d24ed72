"""Home and flashcards, driven with the pinned keys; what the store recorded is checked."""

from __future__ import annotations

from studyapp.screens.flashcards import FlashcardScreen
from studyapp.screens.home import HomeScreen

from .conftest import screen_text, two_deck_content, wait_for


async def test_home_shows_deck_due_counts_and_keywords(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "正則化" in text
        assert "新規の残り" in text and "20 枚" in text
        for name in ("L1正則化", "リッジ回帰", "ドロップコネクト", "早期終了"):
            assert name in text
        assert "\\" not in text  # no raw LaTeX on screen


async def test_flashcard_review_records_rating_and_undo_restores(make_app) -> None:
    app = make_app()
    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FlashcardScreen)
        first = screen.current
        assert first is not None and first.state == "new"
        # rating keys do nothing before the answer shows
        await pilot.press("3")
        assert store.stats().reviews == 0
        await pilot.press("space")
        await pilot.pause()
        assert screen.revealed
        text = screen_text(app)
        assert "1 もう一度\n" in text and "3 正解\n" in text  # each button shows its interval
        await pilot.press("3")
        await pilot.pause()
        assert store.stats().reviews == 1
        assert store.card_state(first.deck, first.item) is not None
        assert screen.current is not None and screen.current.item != first.item
        # undo brings the same card back as new, and the rating is gone
        await pilot.press("u")
        await pilot.pause()
        assert store.stats().reviews == 0
        assert store.card_state(first.deck, first.item) is None
        assert screen.current.item == first.item
        assert not screen.revealed
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_again_keeps_card_in_learning_and_home_updates(make_app) -> None:
    app = make_app()
    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "space", "1")
        await pilot.pause()
        assert store.stats().reviews == 1
        await pilot.press("space", "4")
        await pilot.pause()
        assert store.stats().reviews == 2
        await pilot.press("escape")
        await pilot.pause()
        text = screen_text(app)
        assert "18 枚" in text  # two new cards seen: 20 - 2 left


async def test_command_palette_lists_every_area(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in ("フラッシュカード", "クイズ", "計算練習", "模試", "統計", "図で理解"):
            assert any(t.startswith(expected) for t in titles)
        await pilot.pause()


async def test_cloze_card_hides_gaps_until_space(make_app) -> None:
    from studyapp.content import cloze
    from studyapp.store import QueueCard

    app = make_app()
    card = next(c for c in app.context.deck.cards if c.cloze is not None)
    answers = [gap.answer for gap in cloze.parse(card.cloze)]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        screen = app.screen
        screen.current = QueueCard(deck=app.context.deck.id, item=card.id, state="new", due=None)
        screen.show_current()
        await pilot.pause()
        hidden = screen_text(app).replace("\n", "")
        assert "［" in hidden
        assert any(answer not in hidden for answer in answers)  # gaps are hidden on screen
        await pilot.press("space")
        await pilot.pause()
        shown = screen_text(app).replace("\n", "")
        for answer in answers:
            assert answer.replace(" ", "") in shown.replace(" ", "")
        await pilot.press("4")
        await pilot.pause()
        assert app.context.store.card_state(app.context.deck.id, card.id) is not None


async def test_d_switches_decks_and_areas_follow(make_app, tmp_path) -> None:

    content = two_deck_content(tmp_path)
    app = make_app(content)
    assert app.context.deck.id == "a-mine"  # folder order
    async with app.run_test(size=(120, 40)) as pilot:
        text = screen_text(app)
        assert "自分のデッキ" in text and "（d で切替）" in text
        assert "その他" in text and "L1正則化" not in text  # only this deck's keywords
        await pilot.press("d")
        await pilot.pause()
        assert app.context.deck.id == "regularization"
        assert app.sub_title == "正則化"
        text = screen_text(app)
        assert "L1正則化" in text and "その他" not in text
        await pilot.press("d", "f")
        await pilot.pause()
        assert app.screen.card is not None and app.screen.card.id == "mine-1"


async def test_a_store_error_keeps_the_card_and_loses_nothing(make_app, monkeypatch) -> None:
    from studyapp.store import StoreError

    app = make_app()
    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "space")
        await pilot.pause()
        screen = app.screen
        card = screen.current

        def locked(*args, **kwargs):
            raise StoreError("進捗データベースが他のプロセスに使われたままです")

        monkeypatch.setattr(store, "rate_card", locked)
        await pilot.press("3")
        await pilot.pause()
        assert screen.current == card and screen.revealed  # still on the card
        assert any("使われたまま" in str(n.message) for n in app._notifications)
        monkeypatch.undo()
        await pilot.press("3")  # the learner tries again, and it is recorded
        await pilot.pause()
        assert store.stats().reviews == 1


def palette_highlights(app, title: str) -> bool:
    """The command palette is open with ``title``'s entry highlighted (its search runs in
    the background, so the list fills in a while after the keys)."""
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    if not lists or lists.first().highlighted is None:
        return False
    commands = lists.first()
    assert commands.highlighted is not None
    return str(commands.get_option_at_index(commands.highlighted).prompt).startswith(title)


async def test_command_palette_opens_an_area(make_app) -> None:
    from studyapp.screens.quiz import QuizSetupScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"クイズ")
        await wait_for(pilot, lambda: palette_highlights(app, "クイズ"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizSetupScreen)


async def test_home_scrolls_with_the_keyboard_when_it_does_not_fit(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 16)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen) and screen.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert screen.scroll_y == screen.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert screen.scroll_y == 0
        await pilot.press("down")
        await pilot.pause()
        assert screen.scroll_y > 0


def one_card_deck(tmp_path):
    """A deck of one card and one question, as a content folder."""
    deck = tmp_path / "content" / "one"
    deck.mkdir(parents=True)
    (deck / "deck.yaml").write_text(
        "id: one\ntitle: 一枚\nkeywords:\n  - {id: k, name: K, en: k}\n", encoding="utf-8")
    (deck / "cards.yaml").write_text(
        "cards:\n  - {id: only, keywords: [k], front: 表, back: 裏}\n", encoding="utf-8")
    return tmp_path / "content"


async def test_the_last_card_of_the_day_says_all_done(make_app, tmp_path) -> None:
    from studyapp.store import Rating

    app = make_app(one_card_deck(tmp_path))
    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "space")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FlashcardScreen) and screen.card.id == "only"
        await pilot.press(str(int(Rating.Easy)))  # easy: not due again today
        await pilot.pause()
        assert screen.current is None and screen.card is None
        text = screen_text(app)
        assert "今日のカードはすべて終わりました" in text
        assert "space で答えを表示" not in text and "1 もう一度" not in text
        assert "このセッション 1 枚" in text
        await pilot.press("space", "3")  # nothing to reveal or rate
        await pilot.pause()
        assert not screen.revealed and store.stats().reviews == 1
        assert screen.check_action("reveal", ()) is False
        assert screen.check_action("undo", ()) is True  # the rating can still be undone
        await pilot.press("u")
        await pilot.pause()
        assert screen.card is not None and screen.card.id == "only"
        assert "表" in screen_text(app) and store.stats().reviews == 0


async def test_a_card_retired_from_the_deck_is_not_shown(make_app) -> None:
    from studyapp.store import QueueCard

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FlashcardScreen) and screen.card is not None
        # a card the store still queues but the deck no longer has
        screen.current = QueueCard(deck=app.context.deck.id, item="gone-card", state="review",
                                   due=None)
        screen.show_current()
        await pilot.pause()
        assert screen.card is None
        text = screen_text(app)
        assert "このカードはデッキから削除されています" in text
        assert "space で答えを表示" not in text
        await pilot.press("space", "3")
        await pilot.pause()
        assert not screen.revealed and app.context.store.stats().reviews == 0
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_cards_formula_shows_with_its_answer_never_with_the_front(make_app) -> None:
    """A card's formula is part of its answer: hidden until space, then under the back."""
    from studyapp.store import QueueCard

    app = make_app()
    card = next(c for c in app.context.deck.cards if c.cloze is None and c.formula)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        screen = app.screen
        screen.current = QueueCard(deck=app.context.deck.id, item=card.id, state="new", due=None)
        screen.show_current()
        await pilot.pause()
        formula = screen.query_one("#card-formula")
        assert not formula.display
        assert card.formula.replace(" ", "") not in screen_text(app).replace(" ", "")
        await pilot.press("space")
        await pilot.pause()
        assert formula.display
        assert card.formula.replace(" ", "") in screen_text(app).replace(" ", "").replace("\n", "")
        assert formula.region.y > screen.query_one("#card-back").region.y
