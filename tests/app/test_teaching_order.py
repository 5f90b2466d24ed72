"""Day one as a new learner meets it: the first 20 new cards, rated with the keys, come in
the deck's teaching order (the first keyword's place in deck.yaml, then file order), and
the database records them in that order."""

from __future__ import annotations

import sqlite3

from studyapp.screens.flashcards import FlashcardScreen

from .conftest import wait_for


async def test_the_first_twenty_new_cards_follow_the_decks_keyword_order(make_app,
                                                                         tmp_path) -> None:
    app = make_app()
    deck = app.context.deck
    place = {kw.id: i for i, kw in enumerate(deck.keywords)}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FlashcardScreen))
        for _ in range(20):
            assert app.screen.current is not None and app.screen.current.state == "new"
            await pilot.press("space", "3")
            await pilot.pause()
    with sqlite3.connect(tmp_path / "progress.sqlite3") as db:
        rated = [row[0] for row in db.execute(
            "SELECT i.item FROM reviews r JOIN items i ON i.id = r.item_id "
            "WHERE i.kind = 'card' ORDER BY r.id")]
    assert len(rated) == 20
    first_keywords = [deck.item(item).keywords[0] for item in rated]
    assert first_keywords[0] == "regularization-term"  # 正則化項 first, as the deck teaches
    assert [place[k] for k in first_keywords] == sorted(place[k] for k in first_keywords)
    assert "dropout" not in first_keywords and "dropconnect" not in first_keywords
    # within a keyword, file order
    files = [(deck.item(item).source.file.name, deck.item(item).source.line)
             for item in rated if deck.item(item).keywords[0] == first_keywords[0]]
    assert files == sorted(files)
