"""A damaged ``settings.json`` and odd ``studyapp config`` values, met as a learner meets
them: one line (naming the file where it is at fault), a non-zero exit, no traceback, no
hang, and the file left as it was.

Failed first (before the fixes in ``studyapp/settings.py``): a number of 5,000 digits in
the file (a traceback), a FIFO at the file's path (``config`` waited for ever), a file of
many MiB (read whole), an exam date in year 9999 (``plan`` printed 140 MB with 1.5 GB of
memory), a 5,000-digit ``new_per_day`` (Python's digit-limit message, the digits echoed
whole), a settings file reached through a symlink (saving replaced the link by a file),
and two saves at once (one lost the other's key). The other cases held already.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from studyapp.settings import SettingsFileError, load_settings, save_setting
from tests.running import ROOT, ok, one_line_error, studyapp

#: Runs the app without a terminal (Textual's headless driver); ``ctrl+q`` ends a sound run.
HEADLESS = {"TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
            "TEXTUAL_PRESS": "ctrl+q"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def bounded(*args: str, data: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``studyapp ARGS`` that must end within ``timeout`` seconds (a hang fails the test
    with TimeoutExpired instead of waiting the runner's three minutes)."""
    env = {**os.environ, "STUDYAPP_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "studyapp", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout,
                          stdin=subprocess.DEVNULL)


# ---------------------------------------------------------------------- the file
@pytest.mark.parametrize("text", [
    '{"new_per_day": ' + "1" * 5000 + "}",        # json.loads: ValueError, not a JSONDecodeError
    '{"desired_retention": ' + "9" * 5000 + ".5}",
    "[" * 100_000 + "]" * 100_000,
    '{"a": ' * 100_000 + "1" + "}" * 100_000,
    "not json",
    '["a list"]',
    '{"new_per_day": "20"}',
    '{"new_per_day": true}',
    '{"desired_retention": NaN}',
    '{"desired_retention": Infinity}',
    '{"exam_date": "2026-02-30"}',
    '{"exam_date": 20260221}',
    '{"theme": ""}',
], ids=lambda text: repr(text[:24]))
@pytest.mark.parametrize("command", [("config",), ("config", "new_per_day", "5"), ("plan",),
                                     ("stats", "--json")])
def test_a_damaged_file_is_one_line_naming_it_and_is_left_as_it_is(
    tmp_path: Path, text: str, command: tuple[str, ...]
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(text, encoding="utf-8")
    before = digest(path)
    line = one_line_error(bounded(*command, data=tmp_path), code=1)
    assert str(path) in line and "設定ファイル" in line
    assert len(line) < 400
    assert digest(path) == before


def test_a_file_of_many_mebibytes_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"new_per_day": 5' + " " * (8 * 2**20) + "}", encoding="utf-8")
    line = one_line_error(studyapp("config", data=tmp_path, limit_memory=True), code=1)
    assert str(path) in line and "MiB" in line


@pytest.mark.parametrize("command", [("config",), ("config", "new_per_day", "5"),
                                     ("stats", "--json")])
def test_a_fifo_at_the_path_is_refused_at_once(tmp_path: Path,
                                               command: tuple[str, ...]) -> None:
    os.mkfifo(tmp_path / "settings.json")
    line = one_line_error(bounded(*command, data=tmp_path, timeout=30), code=1)
    assert "settings.json" in line and "FIFO" in line


def test_a_folder_at_the_path_is_refused(tmp_path: Path) -> None:
    (tmp_path / "settings.json").mkdir()
    for command in (("config",), ("config", "new_per_day", "5")):
        line = one_line_error(bounded(*command, data=tmp_path), code=1)
        assert "settings.json" in line and "フォルダ" in line
    assert (tmp_path / "settings.json").is_dir()


def test_the_app_with_a_damaged_file_ends_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"new_per_day": ' + "1" * 5000 + "}", encoding="utf-8")
    env = {**os.environ, **HEADLESS, "STUDYAPP_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "studyapp"], cwd=ROOT, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=120,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and str(path) in result.stderr


def test_unknown_keys_are_kept_when_a_setting_is_saved(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"future_key": {"deep": [1, 2]}, "new_per_day": 3}', encoding="utf-8")
    ok(bounded("config", "reviews_per_day", "50", data=tmp_path))
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "future_key": {"deep": [1, 2]}, "new_per_day": 3, "reviews_per_day": 50}


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text('\ufeff{"new_per_day": 4}', encoding="utf-8")
    assert ok(bounded("config", "new_per_day", data=tmp_path)) == "4\n"


def test_a_dangling_symlink_reads_as_no_file(tmp_path: Path) -> None:
    (tmp_path / "settings.json").symlink_to(tmp_path / "elsewhere" / "settings.json")
    assert "new_per_day = 20" in ok(bounded("config", data=tmp_path))


def test_saving_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    kept = tmp_path / "dotfiles"
    kept.mkdir()
    (kept / "settings.json").write_text('{"new_per_day": 3}', encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").symlink_to(kept / "settings.json")
    ok(bounded("config", "new_per_day", "9", data=data))
    assert (data / "settings.json").is_symlink()
    assert json.loads((kept / "settings.json").read_text(encoding="utf-8")) == {
        "new_per_day": 9}


def test_a_full_disk_while_saving_leaves_the_old_file(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"new_per_day": 3}\n', encoding="utf-8")
    before = digest(path)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(SettingsFileError, match="no space left on device"):
        save_setting(tmp_path, "new_per_day", 9)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def test_saving_keeps_the_files_mode(tmp_path: Path) -> None:
    """The shared writer (``studyapp/files.py``): a file the learner made private stays
    private (the settings' own writer made every save 0644)."""
    path = tmp_path / "settings.json"
    path.write_text('{"new_per_day": 3}\n', encoding="utf-8")
    path.chmod(0o600)
    save_setting(tmp_path, "new_per_day", 9)
    assert path.stat().st_mode & 0o777 == 0o600
    assert json.loads(path.read_text(encoding="utf-8")) == {"new_per_day": 9}


SAVING = """
import sys
from studyapp.settings import save_setting
for n in range(int(sys.argv[3])):
    save_setting(sys.argv[1], sys.argv[2], n)
"""


def test_two_copies_saving_at_once_keep_both_settings(tmp_path: Path) -> None:
    """Each save reads the file, changes one key and writes it whole; without a lock two
    copies saving at the same time each write the file they read, and one key's latest
    value is lost."""
    rounds = 200
    copies = [subprocess.Popen([sys.executable, "-c", SAVING, str(tmp_path), key, str(rounds)],
                               cwd=ROOT, stderr=subprocess.PIPE, text=True)
              for key in ("new_per_day", "reviews_per_day")]
    for copy in copies:
        _, err = copy.communicate(timeout=120)
        assert copy.returncode == 0, err
    loaded = load_settings(tmp_path)
    assert (loaded.new_per_day, loaded.reviews_per_day) == (rounds - 1, rounds - 1)


# ---------------------------------------------------------------------- config's values
@pytest.mark.parametrize(("key", "value", "says"), [
    ("exam_date", "2026-02-30", "YYYY-MM-DD"),
    ("exam_date", "2026-2-3", "YYYY-MM-DD"),
    ("exam_date", "２０２６-０２-２１", "YYYY-MM-DD"),
    ("desired_retention", "nan", "0.7〜0.97"),
    ("desired_retention", "inf", "0.7〜0.97"),
    ("desired_retention", "1e309", "0.7〜0.97"),
    ("desired_retention", "-0.9", "0.7〜0.97"),
    ("new_per_day", "-1", "0〜99999"),
    ("new_per_day", "99999999999999999999", "0〜99999"),
    ("new_per_day", "0x10", "0〜99999"),
    ("new_per_day", "２０", "0〜99999"),
    ("new_per_day", "1e3", "0〜99999"),
    ("new_per_day", "", "0〜99999"),
    ("theme", "dark\x1b[31m\x07", "theme"),
    ("theme", "", "theme"),
])
def test_an_odd_value_is_refused_in_one_line_and_nothing_is_saved(
    tmp_path: Path, key: str, value: str, says: str
) -> None:
    line = one_line_error(bounded("config", key, value, data=tmp_path))
    assert says in line
    assert "\x1b" not in line and "\x07" not in line  # control characters shown escaped
    assert not (tmp_path / "settings.json").exists()


def test_thousands_of_digits_are_refused_by_the_rule_in_a_short_line(tmp_path: Path) -> None:
    line = one_line_error(bounded("config", "new_per_day", "9" * 5000, data=tmp_path))
    assert "0〜99999" in line and "digits" not in line
    assert len(line) < 300


def test_thousands_of_leading_zeros_are_refused_by_the_rule_in_a_short_line(
    tmp_path: Path
) -> None:
    line = one_line_error(bounded("config", "new_per_day", "0" * 5000 + "5", data=tmp_path))
    assert "0〜99999" in line and "digits" not in line
    assert len(line) < 300
    assert not (tmp_path / "settings.json").exists()


def test_a_few_leading_zeros_are_still_a_number(tmp_path: Path) -> None:
    ok(bounded("config", "new_per_day", "007", data=tmp_path))
    assert ok(bounded("config", "new_per_day", data=tmp_path)) == "7\n"


def test_spaces_around_a_number_are_accepted(tmp_path: Path) -> None:
    ok(bounded("config", "new_per_day", " 5 ", data=tmp_path))
    assert ok(bounded("config", "new_per_day", data=tmp_path)) == "5\n"


@pytest.mark.parametrize("far", [date.today() + timedelta(days=366 * 11),
                                 date(9999, 12, 31)], ids=str)
def test_an_exam_date_years_away_is_refused(tmp_path: Path, far: date) -> None:
    line = one_line_error(bounded("config", "exam_date", far.isoformat(), data=tmp_path))
    assert "exam_date" in line and "10" in line
    assert not (tmp_path / "settings.json").exists()


def test_a_file_with_the_exam_in_year_9999_is_one_line_for_plan(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"exam_date": "9999-12-31"}', encoding="utf-8")
    line = one_line_error(bounded("plan", "--json", data=tmp_path, timeout=60), code=1)
    assert str(path) in line and "exam_date" in line


def test_an_exam_date_within_ten_years_is_planned(tmp_path: Path) -> None:
    near = date.today() + timedelta(days=365 * 9)
    ok(bounded("config", "exam_date", near.isoformat(), data=tmp_path))
    plan = json.loads(ok(bounded("plan", "--json", data=tmp_path)))
    assert plan["exam_date"] == near.isoformat()


@pytest.mark.parametrize("when", [0, -1, -3650])
def test_an_exam_date_today_or_past_is_one_line_or_a_plan(tmp_path: Path, when: int) -> None:
    day = date.today() + timedelta(days=when)
    ok(bounded("config", "exam_date", day.isoformat(), data=tmp_path))
    result = bounded("plan", "--json", data=tmp_path)
    if when == 0:
        assert json.loads(ok(result))["days_left"] == 0
    else:
        assert "過ぎています" in one_line_error(result)
    assert json.loads(ok(bounded("stats", "--json", data=tmp_path)))["exam"] is not None

