"""Snapshots of what the exam date, the settings and the listing fill-ins add: home with an
exam date (its 試験まで panel), the settings screen, and a listing question, at 120×40 and
80×24. The app comes from the command line's factory with a fixed clock and seed.

Update after an intended change with ``pytest tests/app/test_snapshots_plan_settings.py
--snapshot-update`` and look at the SVGs under ``tests/app/__snapshots__/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from studyapp.app import create_app
from studyapp.screens.quiz import QuizScreen
from studyapp.settings import save_setting
from studyapp.study.quiz import QuizRun, make_item

BIG = (120, 40)
SMALL = (80, 24)


def _with_exam(make_app, tmp_path):
    save_setting(tmp_path, "exam_date", "2026-12-20")  # 23 days after the fixed clock's day
    return make_app()


def test_home_with_an_exam_date(make_app, tmp_path, snap_compare) -> None:
    assert snap_compare(_with_exam(make_app, tmp_path), terminal_size=BIG)


def test_home_with_an_exam_date_small(make_app, tmp_path, snap_compare) -> None:
    assert snap_compare(_with_exam(make_app, tmp_path), terminal_size=SMALL)


def _fixed_folder_app(clock, name: str):
    """The settings screen shows where settings.json is: a data folder whose path does not
    change from run to run (pytest's tmp_path does)."""
    folder = Path("/tmp/studyapp-snapshots") / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return create_app(None, folder, now=clock, seed=0)


def test_settings(clock, snap_compare) -> None:
    assert snap_compare(_fixed_folder_app(clock, "settings"), press=["comma"],
                        terminal_size=BIG)


def test_settings_small(clock, snap_compare) -> None:
    assert snap_compare(_fixed_folder_app(clock, "settings-small"), press=["comma"],
                        terminal_size=SMALL)


async def _listing_question(pilot) -> None:
    app = pilot.app
    deck = app.context.deck
    listing = next(q for q in deck.questions if q.listing)
    app.push_screen(QuizScreen(app.context, QuizRun(items=[make_item(deck.id, listing,
                                                                     app.context.rng)])))
    await pilot.pause()


def test_listing_question(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), run_before=_listing_question, terminal_size=BIG)


def test_listing_question_small(make_app, snap_compare) -> None:
    assert snap_compare(make_app(), run_before=_listing_question, terminal_size=SMALL)
