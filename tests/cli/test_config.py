"""``studyapp config [KEY [VALUE]]`` as a learner runs it (a subprocess with its own data
folder), the settings file it keeps, and the ``stats --json`` fields the settings feed."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from studyapp.store import Rating, Store
from tests.running import ok, one_line_error, studyapp, write_deck

DEFAULT_LINES = [
    "new_per_day = 20",
    "new_order = deck",
    "reviews_per_day = 200",
    "desired_retention = 0.9",
    "exam_date = none",
    "theme = textual-dark",
    "leech_action = tag",
]

DECK = """\
id: mini
title: ミニ
keywords:
  - {id: norm, name: ノルム, en: norm}
  - {id: dropout, name: ドロップアウト, en: dropout}
"""

ITEMS = "cards:\n" + "".join(
    f"  - {{id: c{i}, keywords: [norm], front: 表{i}, back: 裏{i}}}\n" for i in range(12))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_deck(tmp_path / "content", DECK, ITEMS)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------- list, get, set
def test_config_alone_lists_every_setting_with_its_default(data_dir: Path) -> None:
    assert ok(studyapp("config", data=data_dir)).splitlines() == DEFAULT_LINES
    assert not (data_dir / "settings.json").exists()  # reading writes nothing


def test_config_key_prints_the_bare_value(data_dir: Path) -> None:
    assert ok(studyapp("config", "new_per_day", data=data_dir)) == "20\n"
    assert ok(studyapp("config", "exam_date", data=data_dir)) == "none\n"
    assert ok(studyapp("config", "desired_retention", data=data_dir)) == "0.9\n"


def test_config_key_value_sets_it_in_the_data_folder(data_dir: Path) -> None:
    assert ok(studyapp("config", "new_per_day", "7", data=data_dir)) == ""
    assert ok(studyapp("config", "exam_date", "2026-07-18", data=data_dir)) == ""
    assert ok(studyapp("config", "desired_retention", "0.85", data=data_dir)) == ""
    assert ok(studyapp("config", "new_order", "random", data=data_dir)) == ""
    assert ok(studyapp("config", "theme", "nord", data=data_dir)) == ""
    assert ok(studyapp("config", "leech_action", "suspend", data=data_dir)) == ""
    assert ok(studyapp("config", "reviews_per_day", "0", data=data_dir)) == ""
    assert ok(studyapp("config", "new_per_day", data=data_dir)) == "7\n"
    assert ok(studyapp("config", data=data_dir)).splitlines() == [
        "new_per_day = 7", "new_order = random", "reviews_per_day = 0",
        "desired_retention = 0.85", "exam_date = 2026-07-18", "theme = nord",
        "leech_action = suspend"]
    saved = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved["new_per_day"] == 7 and saved["exam_date"] == "2026-07-18"
    assert saved["desired_retention"] == 0.85
    # back to no exam date
    assert ok(studyapp("config", "exam_date", "none", data=data_dir)) == ""
    assert ok(studyapp("config", "exam_date", data=data_dir)) == "none\n"
    assert json.loads((data_dir / "settings.json").read_text())["exam_date"] is None


def test_the_data_dir_flag_wins_over_the_environment(data_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    ok(studyapp("config", "new_per_day", "3", "--data-dir", str(other), data=data_dir))
    assert ok(studyapp("config", "new_per_day", data=data_dir)) == "20\n"
    assert ok(studyapp("--data-dir", str(other), "config", "new_per_day")) == "3\n"
    assert (other / "settings.json").is_file() and not (data_dir / "settings.json").exists()


# ---------------------------------------------------------------------- refusals
def test_an_unknown_key_exits_2_with_a_did_you_mean(data_dir: Path) -> None:
    line = one_line_error(studyapp("config", "new_per_dya", data=data_dir), 2)
    assert "new_per_dya" in line and "new_per_day" in line
    line = one_line_error(studyapp("config", "retention", "0.8", data=data_dir), 2)
    assert "desired_retention" in line
    assert not (data_dir / "settings.json").exists()


@pytest.mark.parametrize(("key", "value", "says"), [
    ("new_per_day", "-1", "0"),
    ("new_per_day", "abc", "new_per_day"),
    ("new_per_day", "2.5", "new_per_day"),
    ("reviews_per_day", "-3", "reviews_per_day"),
    ("new_order", "shuffle", "deck"),
    ("desired_retention", "0.99", "0.97"),
    ("desired_retention", "0.5", "0.7"),
    ("desired_retention", "nan", "desired_retention"),
    ("exam_date", "2026-13-01", "YYYY-MM-DD"),
    ("exam_date", "tomorrow", "YYYY-MM-DD"),
    ("theme", "no-such-theme", "no-such-theme"),
    ("leech_action", "delete", "suspend"),
])
def test_a_bad_value_exits_2_and_changes_nothing(data_dir: Path, key: str, value: str,
                                                 says: str) -> None:
    ok(studyapp("config", "new_per_day", "5", data=data_dir))
    before = digest(data_dir / "settings.json")
    line = one_line_error(studyapp("config", key, value, data=data_dir), 2)
    assert says in line
    assert digest(data_dir / "settings.json") == before


def test_a_theme_error_names_a_few_themes(data_dir: Path) -> None:
    line = one_line_error(studyapp("config", "theme", "nrod", data=data_dir), 2)
    assert "nord" in line


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"new_per_day": "many"}',
                                  '{"desired_retention": 2}', "\xff\xfe"])
def test_a_corrupt_settings_file_is_one_line_and_never_overwritten(
    data_dir: Path, content: Path, text: str
) -> None:
    path = data_dir / "settings.json"
    path.write_bytes(text.encode("latin-1") if text.startswith("\xff") else text.encode())
    before = digest(path)
    for args in (("config",), ("config", "new_per_day"), ("config", "new_per_day", "9"),
                 ("stats", "--json", "--content", str(content))):
        line = one_line_error(studyapp(*args, data=data_dir), 1)
        assert str(path) in line
        assert digest(path) == before
    assert not (data_dir / "progress.sqlite3").exists()  # the progress is not touched


def test_an_unreadable_settings_file_is_one_line(data_dir: Path) -> None:
    (data_dir / "settings.json").mkdir()  # a folder where the file should be
    line = one_line_error(studyapp("config", data=data_dir), 1)
    assert str(data_dir / "settings.json") in line


def test_a_missing_named_data_folder_is_reported_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert ok(studyapp("config", "new_per_day", data=missing)) == "20\n"  # reading: defaults
    line = one_line_error(studyapp("config", "new_per_day", "5", data=missing), 1)
    assert str(missing) in line
    assert not missing.exists()


def test_unknown_keys_in_the_file_are_kept(data_dir: Path) -> None:
    path = data_dir / "settings.json"
    path.write_text('{"from_a_newer_version": [1, 2], "new_per_day": 4}', encoding="utf-8")
    assert ok(studyapp("config", "new_per_day", data=data_dir)) == "4\n"
    ok(studyapp("config", "theme", "dracula", data=data_dir))
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["from_a_newer_version"] == [1, 2] and saved["theme"] == "dracula"
    assert saved["new_per_day"] == 4


def test_the_file_is_replaced_whole_never_left_half_written(data_dir: Path) -> None:
    ok(studyapp("config", "new_per_day", "5", data=data_dir))
    ok(studyapp("config", "new_per_day", "6", data=data_dir))
    assert [p.name for p in data_dir.iterdir()] == ["settings.json"]  # no temporary left


# ---------------------------------------------------------------------- stats --json
def test_stats_json_has_new_left_from_new_per_day_and_no_exam_by_default(
    data_dir: Path, content: Path
) -> None:
    data = json.loads(ok(studyapp("stats", "--json", "--content", str(content), data=data_dir)))
    assert data["today"]["new_left"] == 12 and data["exam"] is None
    ok(studyapp("config", "new_per_day", "2", data=data_dir))
    data = json.loads(ok(studyapp("stats", "--json", "--content", str(content), data=data_dir)))
    assert data["today"]["new_left"] == 2
    with Store(data_dir / "progress.sqlite3") as store:
        store.rate_card("mini", "c0", Rating.Good)
    data = json.loads(ok(studyapp("stats", "--json", "--content", str(content), data=data_dir)))
    assert data["today"]["new_left"] == 1


def test_stats_json_has_the_exam_with_an_exam_date(data_dir: Path, content: Path) -> None:
    with Store(data_dir / "progress.sqlite3") as store:
        today = store.today()
        week_ago = [datetime.now(timezone.utc) - timedelta(days=7)]
    with Store(data_dir / "progress.sqlite3", now=lambda: week_ago[0]) as store:
        store.rate_card("mini", "c0", Rating.Easy)
    exam = today + timedelta(days=40)
    ok(studyapp("config", "exam_date", exam.isoformat(), data=data_dir))
    data = json.loads(ok(studyapp("stats", "--json", "--content", str(content), data=data_dir)))
    assert data["exam"]["date"] == exam.isoformat()
    assert data["exam"]["days_left"] == 40
    # one card of twelve studied, a week and 40 days before the exam
    assert 0 < data["exam"]["predicted_recall"] < 1 / 12
    assert data["exam"]["cards"] == 12 and data["exam"]["new_cards"] == 11
    with Store(data_dir / "progress.sqlite3") as store:
        expected = store.exam_outlook(date.fromisoformat(exam.isoformat()))
    assert data["exam"]["predicted_recall"] == pytest.approx(expected.predicted_recall)


def test_new_order_random_changes_the_queue_of_new_cards(data_dir: Path,
                                                         content: Path) -> None:
    ok(studyapp("stats", "--content", str(content), data=data_dir))  # syncs the deck
    ok(studyapp("config", "new_per_day", "100", data=data_dir))

    def queue() -> list[str]:
        from studyapp.settings import load_settings

        config = load_settings(data_dir).store_config()
        with Store(data_dir / "progress.sqlite3", config) as store:
            return [c.item for c in store.due_queue().new]

    in_order = [f"c{i}" for i in range(12)]
    assert queue() == in_order
    ok(studyapp("config", "new_order", "random", data=data_dir))
    shuffled = queue()
    assert shuffled != in_order and sorted(shuffled) == sorted(in_order)
    assert queue() == shuffled


def test_the_stats_summary_shows_the_exam_when_there_is_a_date(data_dir: Path,
                                                                content: Path) -> None:
    out = ok(studyapp("stats", "--content", str(content), data=data_dir))
    assert "試験" not in out
    with Store(data_dir / "progress.sqlite3") as store:
        exam = store.today() + timedelta(days=12)
    ok(studyapp("config", "exam_date", exam.isoformat(), data=data_dir))
    out = ok(studyapp("stats", "--content", str(content), data=data_dir))
    line = next(line for line in out.splitlines() if line.startswith("試験"))
    assert exam.isoformat() in line and "あと 12 日" in line and "想起率 0%" in line
