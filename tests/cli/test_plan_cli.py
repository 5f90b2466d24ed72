"""``studyapp plan [--json]`` as a learner runs it: a subprocess with its own data folder."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from studyapp.store import Rating, Store
from tests.running import ok, one_line_error, studyapp, write_deck

DECK = """\
id: mini
title: ミニ
keywords:
  - {id: norm, name: ノルム, en: norm}
  - {id: dropout, name: ドロップアウト, en: dropout}
"""

ITEMS = "cards:\n" + "".join(
    f"  - {{id: c{i}, keywords: [{'norm' if i < 8 else 'dropout'}], front: 表{i}, "
    f"back: 裏{i}}}\n" for i in range(12))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_deck(tmp_path / "content", DECK, ITEMS)


def today(data_dir: Path) -> date:
    with Store(data_dir / "progress.sqlite3") as store:
        return store.today()


def test_without_an_exam_date_plan_exits_2_naming_exam_date(data_dir: Path,
                                                           content: Path) -> None:
    for args in (("plan",), ("plan", "--json")):
        line = one_line_error(studyapp(*args, "--content", str(content), data=data_dir))
        assert "exam_date" in line


def test_an_exam_date_in_the_past_exits_2(data_dir: Path, content: Path) -> None:
    past = today(data_dir) - timedelta(days=1)
    ok(studyapp("config", "exam_date", past.isoformat(), data=data_dir))
    line = one_line_error(studyapp("plan", "--json", "--content", str(content), data=data_dir))
    assert past.isoformat() in line


def test_plan_json_has_the_pinned_keys_and_agrees_with_stats(data_dir: Path,
                                                             content: Path) -> None:
    start = today(data_dir)
    exam = start + timedelta(days=20)
    ok(studyapp("config", "exam_date", exam.isoformat(), data=data_dir))
    ok(studyapp("config", "new_per_day", "5", data=data_dir))
    ok(studyapp("stats", "--content", str(content), data=data_dir))  # syncs the deck
    with Store(data_dir / "progress.sqlite3") as store:
        store.rate_card("mini", "c0", Rating.Good)
    data = json.loads(ok(studyapp("plan", "--json", "--content", str(content), data=data_dir)))
    assert list(data)[:7] == ["exam_date", "days_left", "new_left", "new_per_day",
                              "predicted_recall", "keywords", "days"]
    assert data["exam_date"] == exam.isoformat() and data["days_left"] == 20
    assert data["new_left"] == 11 and data["new_per_day"] == 5
    assert [k["keyword"] for k in data["keywords"]] == ["norm", "dropout"]
    assert all(0 <= k["predicted_recall"] <= 1 for k in data["keywords"])
    assert data["keywords"][1]["predicted_recall"] == 0  # no dropout card studied
    assert [d["date"] for d in data["days"]] == [
        (start + timedelta(days=k)).isoformat() for k in range(20)]
    assert all(set(d) == {"date", "new", "reviews"} for d in data["days"])
    # every new card at least 7 days before the exam, at most new_per_day a day
    planned = [(date.fromisoformat(d["date"]), d["new"]) for d in data["days"] if d["new"]]
    assert sum(n for _, n in planned) == 11
    assert all((exam - day).days >= 7 and n <= 5 for day, n in planned)
    stats = json.loads(ok(studyapp("stats", "--json", "--content", str(content), data=data_dir)))
    assert stats["exam"]["predicted_recall"] == pytest.approx(data["predicted_recall"])
    assert 0 < data["predicted_recall"] < 1 / 12


def test_plan_text_names_the_days_left_and_what_it_needs(data_dir: Path,
                                                         content: Path) -> None:
    exam = today(data_dir) + timedelta(days=8)  # 2 days for 12 new cards: 6 a day
    ok(studyapp("config", "exam_date", exam.isoformat(), data=data_dir))
    ok(studyapp("config", "new_per_day", "4", data=data_dir))
    out = ok(studyapp("plan", "--content", str(content), data=data_dir))
    assert "試験まで 8 日" in out
    assert "1日 6 枚必要" in out and "studyapp config new_per_day 6" in out
