"""The end of a session and what it offers, driven with the keys a learner uses: the
flashcard summary with +10 new cards (``n``) and review ahead (``r``), the quiz's retry of
the questions answered wrong (``r``), the quiz set-up's marks and live count, the learning
count of a learn-ahead card, and a revealed cloze answer standing out. What the store
recorded is checked where it matters."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from rich.color import Color

from studyapp.app import create_app
from studyapp.screens.flashcards import FlashcardScreen
from studyapp.screens.home import HomeScreen
from studyapp.screens.quiz import QuizScreen, QuizSetupScreen
from studyapp.store import Rating, StoreConfig
from studyapp.study.quiz import count_questions
from studyapp.widgets.key_bar import KeyBar
from studyapp.widgets.prose import Prose
from studyapp.widgets.toggles import CHECKED, PICKED, UNCHECKED, UNPICKED

from .conftest import shown, wait_for
from .test_quiz import answer_right, wrong_key


def app_with(tmp_path: Path, clock, content: Path | None = None, **config):
    """The app on the bundled deck (or ``content``) with these store settings."""
    return create_app(content, tmp_path, now=clock, seed=0, config=StoreConfig(**config))


def front_text(app) -> str:
    return str(app.screen.query_one("#card-front").content)


def header(app) -> str:
    return str(app.screen.query_one("#queue-info").content)


# ---------------------------------------------------------------------- flashcards
async def test_the_summary_counts_the_session_and_tomorrow(tmp_path, clock) -> None:
    app = app_with(tmp_path, clock, new_cards_per_day=2)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FlashcardScreen)
        assert "n" not in screen.active_bindings  # the offers wait for the summary
        clock.now += timedelta(seconds=30)  # thinking about the first card
        await pilot.press("space", "1")  # Again: learning, back in a minute
        clock.now += timedelta(seconds=15)
        await pilot.press("space", "4")
        await pilot.pause()  # the first card again, ahead of its minute
        clock.now += timedelta(seconds=15)
        await pilot.press("space", "4")
        await pilot.pause()
        assert screen.current is None
        text = front_text(app)
        assert "カード 2 枚 · 評価 3 回 · 時間 1分00秒" in text
        assert "もう一度 1 回（33%）" in text
        tomorrow = app.context.store.tomorrow(app.context.deck.id)
        day = tomorrow.day
        assert f"明日 {day.month}/{day.day}  復習 {tomorrow.due} 枚 · 新規 2 枚" in text
        assert f"未学習 {tomorrow.unseen} 枚" in text
        assert screen.active_bindings["n"].enabled


async def test_plus_ten_raises_todays_new_cards_only_and_survives_a_restart(
        tmp_path, clock) -> None:
    app = app_with(tmp_path, clock, new_cards_per_day=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "space", "4")
        await pilot.pause()
        store = app.context.store
        screen = app.screen
        assert screen.current is None and store.new_cards_left() == 0
        await pilot.press("n")
        await pilot.pause()
        assert store.new_cards_left() == 10
        assert screen.current is not None and screen.current.state == "new"
        assert "新規 10" in header(app)
        assert any("10 枚増やしました" in str(n.message) for n in app._notifications)
        await pilot.press("space", "4")
        await pilot.pause()
        assert store.new_cards_left() == 9
    # the same day, after a restart: the allowance is still there
    again = app_with(tmp_path, clock, new_cards_per_day=1)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.context.store.new_cards_left() == 9
        await pilot.press("f")
        await pilot.pause()
        assert again.screen.current is not None and again.screen.current.state == "new"
    # the next study day has the plain limit again
    clock.now += timedelta(days=1)
    later = app_with(tmp_path, clock, new_cards_per_day=1)
    async with later.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert later.context.store.new_cards_left() == 1


async def test_review_ahead_brings_tomorrows_card_and_records_its_rating(
        tmp_path, clock) -> None:
    app = app_with(tmp_path, clock, new_cards_per_day=0)
    store, deck = app.context.store, app.context.deck
    card = deck.cards[0]
    start = clock.now
    store.rate_card(deck.id, card.id, Rating.Easy)  # a review card due in some days
    due = store.card_state(deck.id, card.id).due
    clock.now = due - timedelta(days=1)  # the day before it is due
    assert store.next_card(deck.id) is None
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert screen.current is None
        assert "先取り復習: 明日が期日の 1 枚を今日復習する" in front_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert screen.current is not None and screen.current.item == card.id
        assert "先取り復習" in header(app) and "復習 1" in header(app)
        await pilot.press("space", "3")
        await pilot.pause()
        state = store.card_state(deck.id, card.id)
        assert state.last_review == clock.now and state.reps == 2  # recorded a day early
        assert store.stats().reviews == 2
        # done: the summary again, with nothing more due tomorrow to bring forward
        assert screen.current is None
        assert "先取り復習も終わりました" in front_text(app)
        assert not screen.active_bindings["r"].enabled
        await pilot.press("r")
        await pilot.pause()
        assert screen.current is None
    assert clock.now > start


async def test_the_review_limit_holds_todays_cards_back_from_review_ahead(
        tmp_path, clock, make_app) -> None:
    from studyapp.settings import save_setting

    save_setting(tmp_path, "reviews_per_day", 2)
    save_setting(tmp_path, "new_per_day", 0)
    app = make_app()
    store, deck = app.context.store, app.context.deck
    assert store.config.reviews_per_day == 2
    # six review cards due today, two due tomorrow: each rated Easy as a new card so long
    # before that its interval (fuzz included) ends on that day
    today, tomorrow = deck.cards[:6], deck.cards[6:8]
    target = clock.now + timedelta(days=30)
    ratings = []
    for cards, due in ((today, target), (tomorrow, target + timedelta(days=1))):
        for card in cards:
            interval = store.preview(deck.id, card.id)[Rating.Easy].interval
            ratings.append((due - interval, card.id))
    for when, card_id in sorted(ratings):
        clock.now = when
        store.rate_card(deck.id, card_id, Rating.Easy)
    clock.now = target
    assert store.stats().due == 6
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FlashcardScreen) and "復習 2" in header(app)
        for _ in range(2):
            assert screen.current is not None and screen.current.state == "review"
            await pilot.press("space", "3")
            await pilot.pause()
        assert screen.current is None  # the limit: four of today's wait
        text = front_text(app)
        day = store.today() + timedelta(days=1)
        # tomorrow: today's four held back and its own two, at most the limit
        assert f"明日 {day.month}/{day.day}  復習 2 枚 · 新規 0 枚" in text
        # review ahead offers tomorrow's two, not today's held-back four
        assert "先取り復習: 明日が期日の 2 枚を今日復習する" in text
        await pilot.press("r")
        await pilot.pause()
        assert "復習 2" in header(app)
        seen = []
        while screen.current is not None:
            seen.append(screen.current.item)
            await pilot.press("space", "3")
            await pilot.pause()
        assert sorted(seen) == sorted(card.id for card in tomorrow)
        assert store.stats().due == 4


async def test_a_learn_ahead_card_counts_as_learning(tmp_path, clock) -> None:
    app = app_with(tmp_path, clock, new_cards_per_day=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "space", "1")  # Again: due in a minute, shown ahead
        await pilot.pause()
        screen = app.screen
        assert screen.current is not None and screen.current.state == "learning"
        assert "［学習中］" in front_text(app)
        assert "学習中 1" in header(app)
        # Good: the next step is ten minutes away, within the learn-ahead limit: the same
        # card stays on screen and in the count
        await pilot.press("space", "3")
        await pilot.pause()
        assert screen.current is not None and screen.reviewed == 2
        assert "学習中 1" in header(app)


CLOZE_DECK = {
    "deck.yaml": "id: d\ntitle: T\nkeywords:\n  - {id: k, name: K, en: k}\n",
    "cards.yaml": (
        "cards:\n  - id: c1\n    keywords: [k]\n"
        "    cloze: 'L1正則化は重みの{{c1::絶対値の和}}に罰則を課し、解を"
        "{{c2::スパース::疎?}}にする。重みが小さい特徴量は係数がちょうど 0 になり、"
        "残った特徴量だけでモデルが説明される。'\n"),
}


async def test_revealed_cloze_answers_stand_out_and_still_wrap(tmp_path, clock) -> None:
    content = tmp_path / "decks"
    (content / "d").mkdir(parents=True)
    for name, text in CLOZE_DECK.items():
        (content / "d" / name).write_text(text, encoding="utf-8")
    (tmp_path / "data").mkdir()
    app = app_with(tmp_path / "data", clock, content=content)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert "［…］" in front_text(app) and "絶対値の和" not in front_text(app)
        await pilot.press("space")
        await pilot.pause()
        prose = app.screen.query_one("#card-front").content
        assert isinstance(prose, Prose)
        text = prose.text
        accent = Color.parse(app.current_theme.accent).get_truecolor()
        styled = {text.plain[s.start:s.end]: s.style for s in text.spans
                  if s.style and getattr(s.style, "bold", False)}
        assert set(styled) == {"絶対値の和", "スパース"}
        # only the state label is dim; the sentence itself reads in the normal colour
        assert not text.style
        dim = [text.plain[s.start:s.end] for s in text.spans if "dim" in str(s.style)]
        assert dim == ["［新規］ "]
        for style in styled.values():  # the theme's accent (as Textual blends it)
            assert style.color is not None and style.bgcolor is None
            got = style.color.get_truecolor()
            assert all(abs(a - b) <= 2 for a, b in zip(got, accent, strict=True))
        # the Japanese line breaking keeps the style on the pieces of the text it wraps
        lines = prose.lines(30)
        assert len(lines) > 2
        pieces = [line.plain[span.start:span.end] for line in lines for span in line.spans
                  if getattr(span.style, "bold", False)]
        assert "".join(pieces) == "絶対値の和スパース"
        assert "絶対値の和" in shown(app)


async def test_the_summary_reads_at_80x24(tmp_path, clock) -> None:
    app = app_with(tmp_path, clock, new_cards_per_day=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "space", "4")
        await pilot.pause()
        text = shown(app)
        for part in ("おつかれさまでした", "このセッション", "明日", "新規カードを今日だけ",
                     "escape でホーム"):
            assert part in text, part
        keys = app.screen.query_one(KeyBar).render().plain
        assert "n 新規+10" in keys and "r 先取り復習" in keys


# ---------------------------------------------------------------------- quiz
async def test_retry_asks_the_wrong_ones_again_and_records_the_answers(make_app) -> None:
    app = make_app(seed=4)
    store = app.context.store
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        # choice-like questions first, so a wrong answer is one key
        screen.run.items.sort(key=lambda item: item.question.type == "numeric")
        screen.show_question()
        await pilot.pause()
        wrong_ids = []
        for n in range(len(screen.run.items)):
            item = screen.run.current
            if n < 3 and item.question.type != "numeric":
                await pilot.press(wrong_key(item), "enter")
                wrong_ids.append(item.question.id)
            else:
                await answer_right(pilot, screen)
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        assert screen.item is None and len(wrong_ids) == 3
        assert "r で間違えた 3 問だけをやり直します" in shown(app).replace("\n", "")
        assert screen.active_bindings["r"].enabled
        await pilot.press("r")
        await pilot.pause()
        assert screen.item is not None
        assert [item.question.id for item in screen.run.items] == wrong_ids
        assert "やり直し" in str(screen.query_one("#quiz-progress").content)
        for _ in wrong_ids:
            await answer_right(pilot, screen)
            await pilot.press("enter")
            await pilot.pause()
        assert store.stats().quiz_attempts == 10 + 3
        rows = store.conn.execute(
            "SELECT i.item, a.correct FROM attempts a JOIN items i ON i.id = a.item_id "
            "WHERE a.mode = 'retry' ORDER BY a.id").fetchall()
        assert rows == [(q, 1) for q in wrong_ids]
        # right moments after the solution: recorded, but still on the mistake list
        assert sorted((m.item, m.right_streak) for m in store.mistakes(app.context.deck.id)) \
            == sorted((q, 0) for q in wrong_ids)
        # all right now: nothing left to retry
        assert screen.item is None and not screen.active_bindings["r"].enabled
        await pilot.press("r")
        await pilot.pause()
        assert screen.item is None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_retry_is_not_offered_while_answering_or_after_all_right(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q", "enter")
        await pilot.pause()
        screen = app.screen
        assert "r" not in screen.active_bindings
        del screen.run.items[2:]
        for _ in range(2):
            await answer_right(pilot, screen)
            await pilot.press("enter")
            await pilot.pause()
        assert screen.item is None
        assert "やり直します" not in shown(app)


async def test_setup_marks_the_chosen_keywords_and_counts_the_questions(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizSetupScreen)
        deck = app.context.deck
        keywords = screen.query_one("#keywords")

        def marks() -> list[str]:
            return [keywords.render_line(y).text[:4].strip() for y in range(3)]

        def count_line() -> str:
            return str(screen.query_one("#question-count").content)

        everything = count_questions(deck, keywords=[k.id for k in deck.keywords],
                                     length=None)
        assert marks() == [CHECKED] * 3
        assert f"選択 {len(deck.keywords)} / {len(deck.keywords)} キーワード" in count_line()
        assert f"該当 {everything} 問" in count_line() and "出題 10 問" in count_line()
        await pilot.press("space")  # the first keyword out
        await pilot.pause()
        assert marks() == [UNCHECKED, CHECKED, CHECKED]
        rest = [k.id for k in deck.keywords[1:]]
        assert f"該当 {count_questions(deck, keywords=rest, length=None)} 問" in count_line()
        await pilot.press("a")  # none
        await pilot.pause()
        assert marks() == [UNCHECKED] * 3
        assert "出題 0 問" in count_line()
        await pilot.press("down", "space")  # only the second keyword
        await pilot.pause()
        assert marks() == [UNCHECKED, CHECKED, UNCHECKED]
        second = [deck.keywords[1].id]
        asked = count_questions(deck, keywords=second, length=10)
        assert f"出題 {asked} 問" in count_line()
        # the length: the chosen one ◉, the others ◌, and the count follows it
        radios = list(screen.query("RadioChoice"))
        assert [str(r.render())[:3].strip() for r in radios] == [PICKED, UNPICKED, UNPICKED]
        await pilot.press("tab", "down", "down", "space")  # 全問
        await pilot.pause()
        assert [str(r.render())[:3].strip() for r in radios] == [UNPICKED, UNPICKED, PICKED]
        found = count_questions(deck, keywords=second, length=None)
        assert f"出題 {found} 問" in count_line()
        text = shown(app)
        assert f"出題 {found} 問" in text  # on screen at 80×24
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        assert len(app.screen.run.items) == found
