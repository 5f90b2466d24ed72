"""The quiz set-up reads the suspended questions once per showing, not on every toggle."""

from __future__ import annotations

from textual.widgets import SelectionList, Static

from studyapp.screens.quiz import QuizSetupScreen

from .conftest import wait_for


def count_line(app) -> str:
    return str(app.screen.query_one("#question-count", Static).content)


async def test_toggling_keywords_does_not_read_the_suspended_questions_again(
        make_app, monkeypatch) -> None:
    app = make_app()
    store = app.context.store
    deck = app.context.deck
    suspended = deck.questions[0].id
    store.set_suspended("question", deck.id, suspended, True)
    reads: list[tuple] = []
    real = store.suspended_items

    def counting(*args):
        reads.append(args)
        return real(*args)

    monkeypatch.setattr(store, "suspended_items", counting)
    total = len(deck.questions)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, QuizSetupScreen))
        await pilot.pause()
        assert f"該当 {total - 1} 問" in count_line(app)  # the suspended one left out
        assert len(reads) == 1
        selection = app.screen.query_one("#keywords", SelectionList)
        selection.focus()
        for _ in range(4):
            await pilot.press("space")
            await pilot.press("down")
        await pilot.press("a")
        await pilot.pause()
        assert "選択 0 /" in count_line(app)
        assert len(reads) == 1
