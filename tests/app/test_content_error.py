"""A deck that fails validation opens a list of its problems; quitting reports failure."""

from __future__ import annotations

from pathlib import Path

from studyapp.app import create_app
from studyapp.screens.content_error import ContentErrorScreen

from .conftest import screen_text

BROKEN = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "broken"


async def test_problems_are_listed_with_file_and_line_and_quit_exits_2(tmp_path) -> None:
    app = create_app(BROKEN.parent, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ContentErrorScreen)
        text = screen_text(app)
        assert "duplicate_key.yaml:6: duplicate key 'front'" in text
        assert "unknown_field.yaml:4:" in text and "did you mean 'front'?" in text
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 2
    assert not (tmp_path / "progress.sqlite3").exists()  # nothing opened for a broken deck
