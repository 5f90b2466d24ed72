"""The card browser driven as a learner drives it: ``b`` from home, ``/`` and typing,
``s`` suspend, ``m`` flag, ``enter`` details and history, the filters, leeches; what the
store recorded is checked in the database itself."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from studyapp.screens.browser import BrowserScreen, BrowserTable, column_widths
from studyapp.screens.card_details import CardDetailsScreen
from studyapp.screens.flashcards import FlashcardScreen
from studyapp.screens.home import HomeScreen
from studyapp.store import Rating, teaching_order

from .conftest import screen_text, shown

BROWSE_DECK = Path(__file__).resolve().parents[1] / "study" / "fixtures" / "browse"
BIG = (120, 40)
SMALL = (80, 24)


def table(app) -> BrowserTable:
    return app.screen.query_one(BrowserTable)


def highlighted(app) -> str:
    """The key (``kind:item``) of the highlighted row."""
    t = table(app)
    return t.coordinate_to_cell_key(t.cursor_coordinate).row_key.value


def row_keys(app) -> list[str]:
    return [key.value for key in table(app).rows]


def suspended_at(store, item: str) -> int | None:
    row = store.conn.execute(
        "SELECT m.suspended_at FROM item_marks m JOIN items i ON i.id = m.item_id "
        "WHERE i.item = ?", (item,)).fetchone()
    return None if row is None else row[0]


async def open_browser(pilot) -> BrowserScreen:
    await pilot.press("b")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, BrowserScreen)
    return screen


async def test_b_opens_the_decks_cards_with_the_first_row_highlighted(make_app) -> None:
    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        await open_browser(pilot)
        deck = app.context.deck
        first = teaching_order(deck, deck.cards)[0]
        assert table(app).cursor_row == 0
        assert highlighted(app) == f"card:{first.id}"
        assert app.focused is table(app)
        text = screen_text(app)
        assert f"{len(deck.cards) + len(deck.questions)} / " in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_typing_a_search_filters_half_and_full_width_alike(make_app) -> None:
    app = make_app(BROWSE_DECK)
    async with app.run_test(size=BIG) as pilot:
        await open_browser(pilot)
        assert len(row_keys(app)) == 6
        await pilot.press("slash", *"lasso")  # half-width finds ＬＡＳＳＯ
        await pilot.pause()
        assert row_keys(app) == ["card:lasso-fullwidth", "question:lasso-truefalse"]
        assert highlighted(app) == "card:lasso-fullwidth"
        search = app.screen.query_one("#search")
        search.value = ""
        await pilot.press(*"ﾐﾆﾊﾞｯﾁ")  # half-width kana finds the full-width text
        await pilot.pause()
        assert row_keys(app) == ["card:halfwidth-kana"]
        search.value = ""
        await pilot.press(*"ＤＲＯＰＯＵＴ")  # full-width Latin finds the English term
        await pilot.pause()
        assert row_keys(app) == ["card:dropout-rate", "card:halfwidth-kana",
                                 "question:dropout-choice"]
        search.value = ""
        await pilot.press(*"weight", "space", *"decay")  # the keyword's English term
        await pilot.pause()
        assert row_keys(app) == ["card:decay-cloze"]
        assert "1 / 6 件" in screen_text(app)
        # escape leaves the search box for the table, then goes home
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen) and app.focused is table(app)
        await pilot.press("c")  # clear: every row again
        await pilot.pause()
        assert len(row_keys(app)) == 6 and app.screen.query_one("#search").value == ""


async def test_s_suspends_and_the_flashcards_no_longer_offer_the_card(make_app) -> None:
    app = make_app()
    store = app.context.store
    async with app.run_test(size=BIG) as pilot:
        await open_browser(pilot)
        deck = app.context.deck
        first = highlighted(app).split(":", 1)[1]
        assert store.next_card(deck.id).item == first
        await pilot.press("s")
        await pilot.pause()
        assert suspended_at(store, first) == store.now_ms()
        assert first not in [c.item for c in store.due_queue(deck.id).new]
        assert app.screen.drawn(f"card:{first}")["state"] == "休止"
        assert highlighted(app) == f"card:{first}"  # the cursor stays on it
        # the flashcards start with the next card
        await pilot.press("escape", "f")
        await pilot.pause()
        assert isinstance(app.screen, FlashcardScreen)
        assert app.screen.current is not None and app.screen.current.item != first
        # s again unsuspends
        await pilot.press("escape")
        await open_browser(pilot)
        assert app.screen.drawn(f"card:{first}")["state"] == "休止"
        await pilot.press("s")
        await pilot.pause()
        assert suspended_at(store, first) is None
        assert store.next_card(deck.id).item == first
        assert app.screen.drawn(f"card:{first}")["state"] == "新規"


def leech_tile(app) -> str:
    """The value under home's リーチ tile: ``"1 枚"``."""
    labels, values = app.screen.query_one("#tiles").content.plain.splitlines()
    names, numbers = labels.split(), values.split()
    index = names.index("リーチ")
    return f"{numbers[2 * index]} {numbers[2 * index + 1]}"


async def test_a_suspended_question_is_not_asked_in_a_quiz(make_app) -> None:
    from studyapp.screens.quiz import QuizScreen

    app = make_app(BROWSE_DECK)
    store = app.context.store
    store.record_answer("browse", "dropout-choice", answer=1, correct=False)
    async with app.run_test(size=BIG) as pilot:
        await open_browser(pilot)
        await pilot.press("slash", *"dropout-choice", "enter", "s")
        await pilot.pause()
        assert store.suspended_items("browse", "question") == {"dropout-choice"}
        await pilot.press("escape", "q")
        await pilot.pause()
        assert "該当 1 問" in screen_text(app)  # the set-up's count leaves it out too
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        assert [i.question.id for i in app.screen.run.items] == ["lasso-truefalse"]
        # nor from the mistake list, where it still is
        await pilot.press("escape", "q", "m")
        await pilot.pause()
        assert [m.item for m in store.mistakes("browse")] == ["dropout-choice"]
        assert not isinstance(app.screen, QuizScreen)  # nothing left to ask


async def test_a_suspended_card_counts_in_stats_json(make_app) -> None:
    app = make_app(BROWSE_DECK)
    store = app.context.store
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        assert leech_tile(app) == "0 枚"
        await open_browser(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert store.stats().to_dict()["cards"]["suspended"] == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and leech_tile(app) == "0 枚"


def lapse_eight_times(store, clock, deck: str, item: str) -> None:
    """Drive a card to review, then through eight Again ratings (lapses) with the clock."""
    store.rate_card(deck, item, Rating.Good)
    clock.now += timedelta(minutes=10)
    store.rate_card(deck, item, Rating.Good)
    for lapse in range(8):
        state = store.card_state(deck, item)
        assert state.state == "review"
        clock.now = state.due + timedelta(minutes=1)
        store.rate_card(deck, item, Rating.Again)
        if lapse < 7:
            clock.now += timedelta(minutes=10)
            store.rate_card(deck, item, Rating.Good)


async def test_eight_lapses_make_a_leech_and_with_suspend_it_is_suspended(
        make_app, clock, tmp_path) -> None:
    from studyapp.settings import save_setting

    save_setting(tmp_path, "leech_action", "suspend")  # the learner's setting
    app = make_app(BROWSE_DECK)
    store = app.context.store
    lapse_eight_times(store, clock, "browse", "dropout-rate")
    assert store.card_state("browse", "dropout-rate").lapses == 8
    assert suspended_at(store, "dropout-rate") == store.now_ms()
    clock.now += timedelta(minutes=10)  # its relearning step is due: not offered
    assert "dropout-rate" not in [c.item for c in store.due_queue("browse").learning]
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        assert leech_tile(app) == "1 枚"
        await open_browser(pilot)
        cells = app.screen.drawn("card:dropout-rate")
        assert cells["state"] == "休止" and cells["lapses"] == "8"
        await pilot.press("t", "t", "t", "t", "t")  # the state filter: リーチ
        await pilot.pause()
        assert row_keys(app) == ["card:dropout-rate"]
        await pilot.press("escape", "f")
        await pilot.pause()
        assert app.screen.current is None or app.screen.current.item != "dropout-rate"


async def test_eight_lapses_with_the_default_tag_leave_the_card_in_the_queue(
        make_app, clock) -> None:
    app = make_app(BROWSE_DECK)
    store = app.context.store
    lapse_eight_times(store, clock, "browse", "dropout-rate")
    assert suspended_at(store, "dropout-rate") is None
    assert store.home("browse").leeches == 1
    clock.now += timedelta(minutes=10)  # its relearning step is due: offered as ever
    assert "dropout-rate" in [c.item for c in store.due_queue("browse").learning]
    async with app.run_test(size=BIG) as pilot:
        await open_browser(pilot)
        assert app.screen.drawn("card:dropout-rate")["state"] == "リーチ"


async def test_enter_shows_the_card_and_its_review_history(make_app, clock) -> None:
    app = make_app(BROWSE_DECK)
    store = app.context.store
    store.rate_card("browse", "lasso-fullwidth", Rating.Again, duration_ms=8_000)
    clock.now += timedelta(minutes=1)
    store.rate_card("browse", "lasso-fullwidth", Rating.Good, duration_ms=3_000)
    async with app.run_test(size=BIG) as pilot:
        await open_browser(pilot)
        await pilot.press("slash", *"lasso", "enter")  # enter in the search: to the table
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen) and app.focused is table(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardDetailsScreen)
        text = shown(app)
        assert "ＬＡＳＳＯの罰則項は何か?" in text and "重みの絶対値の和" in text
        assert "λ‖w‖₁" in text  # the formula, as Unicode
        assert "復習履歴（2 回" in text
        lines = [line for line in text.splitlines() if line.lstrip().startswith("2026-")]
        assert len(lines) == 2
        newest, oldest = lines
        assert "正解" in newest and "1分" in newest and "3秒" in newest  # elapsed: 1 minute
        assert "もう一度" in oldest and "新規→学習中" in oldest and "8秒" in oldest
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)


async def test_the_mistake_notebook_shows_the_last_wrong_answer_and_explanation(
        make_app, clock) -> None:
    app = make_app(BROWSE_DECK)
    store = app.context.store
    store.record_answer("browse", "dropout-choice", answer=1, correct=False)
    clock.now += timedelta(minutes=2)
    store.record_answer("browse", "dropout-choice", answer=2, correct=False)
    async with app.run_test(size=BIG) as pilot:
        await open_browser(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert row_keys(app) == ["question:dropout-choice"]
        preview = shown(app)
        assert "最後の誤答: 1 − p" in preview
        assert "推論時に掛ける古い方式の係数" in preview  # why that option is wrong
        assert "期待値を保つ" in preview  # the explanation
        await pilot.press("enter")
        await pilot.pause()
        text = shown(app)
        assert "解答履歴（2 回" in text and "最後の誤答: 1 − p" in text
        assert "✓ 1/(1 − p)" in text
        await pilot.press("escape", "n")  # n again: every row
        await pilot.pause()
        assert len(row_keys(app)) == 6


async def test_m_flags_and_the_flag_filter_finds_it(make_app) -> None:
    app = make_app(BROWSE_DECK)
    store = app.context.store
    async with app.run_test(size=BIG) as pilot:
        await open_browser(pilot)
        await pilot.press("down", "m")
        await pilot.pause()
        key = highlighted(app)
        flagged = store.conn.execute(
            "SELECT i.item FROM item_marks m JOIN items i ON i.id = m.item_id "
            "WHERE m.flagged_at IS NOT NULL").fetchall()
        assert flagged == [(key.split(":", 1)[1],)]
        assert app.screen.drawn(key)["flag"] == "*"
        await pilot.press(*"tttttt")  # the state filter: フラグ
        await pilot.pause()
        assert row_keys(app) == [key]
        await pilot.press("k")  # and a keyword: the first one
        await pilot.pause()
        assert row_keys(app) == [key]  # the flagged card is a ドロップアウト card
        await pilot.press("m")
        await pilot.pause()
        assert store.conn.execute("SELECT COUNT(*) FROM item_marks").fetchone()[0] == 0


async def test_more_rows_are_added_as_the_cursor_nears_the_end(make_app) -> None:
    from studyapp.screens.browser import PAGE

    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        screen = await open_browser(pilot)
        total = len(screen.shown)
        assert total > 2 * PAGE and table(app).row_count == PAGE  # one page at first
        await pilot.press("end")
        await pilot.pause()
        assert table(app).row_count == PAGE + screen.page_size()
        for _ in range(total // PAGE + 1):
            await pilot.press("end")
            await pilot.pause()
        assert table(app).row_count == total
        assert highlighted(app) == screen.shown[-1].key


async def test_scrolling_near_the_end_adds_rows_too(make_app) -> None:
    from studyapp.screens.browser import PAGE

    app = make_app()
    async with app.run_test(size=BIG) as pilot:
        screen = await open_browser(pilot)
        table(app).scroll_end(animate=False)  # the mouse wheel, the scrollbar
        await pilot.pause()
        await pilot.pause()
        assert table(app).row_count == PAGE + screen.page_size()
        assert table(app).cursor_row == 0  # the cursor stays where it was


async def test_at_80_columns_the_keyword_truncates_and_the_state_does_not(make_app,
                                                                         clock) -> None:
    small, big = column_widths(SMALL[0]), column_widths(BIG[0])
    assert small["state"] == big["state"] == 6 and small["last"] == 8
    assert small["keyword"] < big["keyword"] and small["summary"] < big["summary"]
    assert sum(small.values()) + 2 * len(small) + 1 <= SMALL[0]
    for size, cut in ((SMALL, True), (BIG, False)):
        app = make_app(BROWSE_DECK)
        app.context.store.rate_card("browse", "dropout-rate", Rating.Again)
        async with app.run_test(size=size) as pilot:
            await open_browser(pilot)
            cells = app.screen.drawn("card:dropout-rate")
            assert cells["state"] == "学習中" and cells["last"] == "もう一度"
            assert cells["keyword"].endswith("…") is cut
            assert cells["keyword"].rstrip("…").strip() in "ドロップアウト"
            lines = shown_table(app)
            assert "キーワード" in lines[0] and "最終" in lines[0]
            assert any("学習中" in line and "もう一度" in line for line in lines)


def shown_table(app) -> list[str]:
    """The table's lines as drawn."""
    from textual.geometry import Region

    t = table(app)
    lines = t.render_lines(Region(0, 0, *t.region.size))
    return ["".join(s.text for s in line).rstrip() for line in lines]


# ---------------------------------------------------------------------- snapshots
# On the small deck of tests/study/fixtures/browse with a short history, so that every
# state shows and a wording change in the bundled deck does not move them.
def studied_browse_app(make_app, clock):
    app = make_app(BROWSE_DECK)
    store = app.context.store
    store.rate_card("browse", "lasso-fullwidth", Rating.Again, duration_ms=8_000)
    clock.now += timedelta(minutes=1)
    store.rate_card("browse", "lasso-fullwidth", Rating.Good, duration_ms=3_000)
    store.rate_card("browse", "dropout-rate", Rating.Easy, duration_ms=5_000)
    store.set_suspended("card", "browse", "decay-cloze", True)
    store.set_flagged("card", "browse", "halfwidth-kana", True)
    store.record_answer("browse", "dropout-choice", answer=1, correct=False,
                        duration_ms=12_000)
    store.record_answer("browse", "lasso-truefalse", answer=True, correct=True)
    return app


def test_browser_snapshot(make_app, clock, snap_compare) -> None:
    app = studied_browse_app(make_app, clock)
    assert snap_compare(app, press=["b"], terminal_size=BIG)


def test_browser_snapshot_small(make_app, clock, snap_compare) -> None:
    app = studied_browse_app(make_app, clock)
    assert snap_compare(app, press=["b"], terminal_size=SMALL)


def test_card_details_snapshot(make_app, clock, snap_compare) -> None:
    app = studied_browse_app(make_app, clock)
    assert snap_compare(app, press=["b", "down", "down", "enter"], terminal_size=BIG)


def test_card_details_snapshot_small(make_app, clock, snap_compare) -> None:
    app = studied_browse_app(make_app, clock)
    assert snap_compare(app, press=["b", "n", "enter"], terminal_size=SMALL)


async def test_the_rating_that_makes_a_leech_says_so_on_the_flashcard_screen(
        make_app, clock) -> None:
    """The eighth lapse, rated with the keys, tells the learner the card became a leech."""
    from studyapp.store import QueueCard

    app = make_app(BROWSE_DECK)
    store = app.context.store
    item = "dropout-rate"
    store.rate_card("browse", item, Rating.Good)
    clock.now += timedelta(minutes=10)
    store.rate_card("browse", item, Rating.Good)
    for _ in range(7):
        clock.now = store.card_state("browse", item).due + timedelta(minutes=1)
        store.rate_card("browse", item, Rating.Again)
        clock.now += timedelta(minutes=10)
        store.rate_card("browse", item, Rating.Good)
    clock.now = store.card_state("browse", item).due + timedelta(minutes=1)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FlashcardScreen)
        screen.current = QueueCard(deck="browse", item=item, state="review", due=None)
        screen.show_current()
        await pilot.pause()
        assert not any("リーチ" in str(n.message) for n in app._notifications)
        await pilot.press("space", "1")
        await pilot.pause()
        assert store.card_state("browse", item).lapses == 8
        assert any("リーチ" in str(n.message) and "8 回" in str(n.message)
                   for n in app._notifications)


async def test_moving_over_a_mistake_reads_its_answers_once(make_app, clock,
                                                            monkeypatch) -> None:
    app = make_app(BROWSE_DECK)
    store = app.context.store
    store.record_answer("browse", "dropout-choice", answer=1, correct=False)
    reads: list[tuple] = []
    real = store.answer_history

    def counting(*args):
        reads.append(args)
        return real(*args)

    monkeypatch.setattr(store, "answer_history", counting)
    async with app.run_test(size=BIG) as pilot:
        await open_browser(pilot)
        keys = row_keys(app)
        at = keys.index("question:dropout-choice")
        await pilot.press(*["down"] * at)
        await pilot.pause()
        assert "最後の誤答: p" in shown(app)
        for _ in range(3):  # off the row and back onto it
            await pilot.press("up", "down")
            await pilot.pause()
        assert "最後の誤答: p" in shown(app)
        assert reads == [("browse", "dropout-choice")]
