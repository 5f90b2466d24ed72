"""A learner's daily start: the deck files are unchanged, so the app opens home from the
index the store saved, reads no YAML, and loads the decks on the first area opened."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.app import create_app
from studyapp.paths import bundled_content_dir
from studyapp.screens.content_error import ContentErrorScreen
from studyapp.screens.flashcards import FlashcardScreen
from studyapp.screens.home import HomeScreen
from studyapp.screens.quiz import QuizSetupScreen
from studyapp.widgets.key_bar import KeyBar

from .conftest import Clock, screen_text

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from studyapp.app import create_app
app = create_app(None, sys.argv[1])
app.context.store.close()
print(" ".join(m for m in ("yaml", "studyapp.content.loader") if m in sys.modules) or "-")
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(bundled_content_dir(), root)
    return root


def deck_file(content: Path, name: str) -> Path:
    return next(content.glob(f"*/{name}"))


def test_second_start_reads_no_yaml(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()

    def probe() -> str:
        result = subprocess.run([sys.executable, "-c", PROBE, str(data)], cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert probe() == "yaml studyapp.content.loader"  # first start: validate and sync
    assert probe() == "-"  # unchanged decks: the saved index


async def test_cached_start_shows_the_same_home_and_loads_decks_on_first_area(
        tmp_path: Path, clock: Clock) -> None:
    first = create_app(None, tmp_path, now=clock, seed=0)
    async with first.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        fresh_home = screen_text(first)
    second = create_app(None, tmp_path, now=clock, seed=0)
    assert second.context is not None and second.context._library is None
    async with second.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, HomeScreen)
        assert screen_text(second) == fresh_home
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(second.screen, FlashcardScreen)
        await pilot.press("space", "3")
        await pilot.pause()
        assert second.context.store.stats().reviews == 1


async def test_an_edited_deck_is_validated_and_synced_again(content: Path, tmp_path: Path,
                                                            clock: Clock) -> None:
    data = tmp_path / "data"
    data.mkdir()
    app = create_app(content, data, now=clock)
    cards_before = app.context.store.home().new_available
    app.context.store.close()
    # drop one card: a new card count the store can only know from a new sync
    path = deck_file(content, "norm.yaml")
    text = path.read_text(encoding="utf-8")
    start = text.index("\n  - id:", text.index("cards:"))
    end = text.index("\n  - id:", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    app = create_app(content, data, now=clock)
    assert app.context._library is not None  # validated again
    assert app.context.store.home().new_available == cards_before - 1
    app.context.store.close()


async def test_a_deck_broken_after_the_index_was_saved_shows_its_problems(
        content: Path, tmp_path: Path, clock: Clock) -> None:
    data = tmp_path / "data"
    data.mkdir()
    create_app(content, data, now=clock).context.store.close()
    path = deck_file(content, "norm.yaml")
    path.write_text(path.read_text(encoding="utf-8") + "\n  - front: [unclosed\n",
                    encoding="utf-8")
    app = create_app(content, data, now=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ContentErrorScreen)
        assert "norm.yaml" in screen_text(app)


async def test_a_deck_broken_while_the_app_runs_shows_its_problems_over_home(
        content: Path, tmp_path: Path, clock: Clock) -> None:
    data = tmp_path / "data"
    data.mkdir()
    create_app(content, data, now=clock).context.store.close()
    app = create_app(content, data, now=clock)  # from the saved index: decks not loaded
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        path = deck_file(content, "norm.yaml")
        path.write_text("cards: {\n", encoding="utf-8")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ContentErrorScreen)
        assert "norm.yaml" in screen_text(app)
        assert "esc ホーム" in str(app.screen.query_one(KeyBar).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        path.write_text((bundled_content_dir() / path.parent.name / path.name)
                        .read_text(encoding="utf-8"), encoding="utf-8")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuizSetupScreen)


async def test_a_deck_edited_while_the_app_runs_is_synced_before_it_is_studied(
        content: Path, tmp_path: Path, clock: Clock) -> None:
    data = tmp_path / "data"
    data.mkdir()
    create_app(content, data, now=clock).context.store.close()
    app = create_app(content, data, now=clock)  # from the saved index
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        path = deck_file(content, "norm.yaml")
        path.write_text(path.read_text(encoding="utf-8").replace(
            "id: norm-card-01\n", "id: norm-card-renamed\n"), encoding="utf-8")
        await pilot.press("f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FlashcardScreen)
        store = app.context.store
        active = {row[0] for row in store.conn.execute(
            "SELECT item FROM items WHERE kind = 'card' AND active = 1")}
        assert "norm-card-renamed" in active and "norm-card-01" not in active
        assert all(card.item in {c.id for c in app.context.deck.cards}
                   for card in store.due_queue(app.context.deck_id).new)
        await pilot.press("space", "3")
        await pilot.pause()
        assert store.stats().reviews == 1
    # and the next start reads the index saved by that sync
    again = create_app(content, data, now=clock)
    assert again.context._library is None
    again.context.store.close()


async def test_a_store_fault_while_syncing_an_edited_deck_is_a_notice_not_a_crash(
        content: Path, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    from studyapp.store import StoreError

    data = tmp_path / "data"
    data.mkdir()
    create_app(content, data, now=clock).context.store.close()
    app = create_app(content, data, now=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        path = deck_file(content, "norm.yaml")
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")

        def locked(*args: object, **kwargs: object) -> None:
            raise StoreError("進捗データベースが別のプロセスにロックされています")

        monkeypatch.setattr(app.context.store, "sync_library", locked)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("ロック" in n.message for n in app._notifications)
        monkeypatch.undo()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FlashcardScreen)
