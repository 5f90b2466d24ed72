"""``studyapp stats`` as a learner runs it: a subprocess with its own data folder."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from studyapp.store import Rating, Store
from tests.running import one_line_error, studyapp, write_deck

DECK = """\
id: mini
title: ミニ
keywords:
  - {id: l1-regularization, name: L1正則化, en: L1 regularization}
  - {id: norm, name: ノルム, en: norm}
skills:
  l1-norm: [norm]
  l1-penalty: [l1-regularization]
"""

ITEMS = """\
cards:
  - id: c1
    keywords: [l1-regularization]
    front: L1正則化の罰則項は?
    back: λ·Σ|wⱼ|
  - id: c2
    keywords: [norm]
    front: L2ノルムの定義は?
    back: 各成分の二乗和の平方根
  - id: c3
    keywords: [norm, l1-regularization]
    front: L1ノルムの定義は?
    back: 各成分の絶対値の和
questions:
  - id: q1
    type: truefalse
    keywords: [l1-regularization]
    prompt: L1正則化は重みを厳密に0にしやすい。
    answer: true
    explanation: 原点で微分できない角があるため、解が座標軸の上に乗りやすい。
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_deck(tmp_path / "content", DECK, ITEMS)


def stats(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return studyapp("stats", *args, data=data_dir)


def record_history(data_dir: Path) -> None:
    """c1 rated Easy 30 days ago (overdue now), c2 rated Good now, q1 answered wrong."""
    month_ago = [datetime.now(timezone.utc) - timedelta(days=30)]
    with Store(data_dir / "progress.sqlite3", now=lambda: month_ago[0]) as store:
        store.rate_card("mini", "c1", Rating.Easy)
        month_ago[0] = datetime.now(timezone.utc)
        store.rate_card("mini", "c2", Rating.Good)
        store.record_answer("mini", "q1", answer=False, correct=False)


def test_json_on_a_new_data_folder(data_dir: Path, content: Path) -> None:
    result = stats(data_dir, "--json", "--content", str(content))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["reviews"], data["quiz_attempts"], data["due"]) == (0, 0, 0)
    assert data["cards"]["total"] == 3 and data["today"]["new_left"] == 3
    assert [(k["keyword"], k["name"]) for k in data["keywords"]] == [
        ("l1-regularization", "L1正則化"), ("norm", "ノルム")]
    assert data["database"] == str(data_dir / "progress.sqlite3")


def test_json_counts_a_recorded_history(data_dir: Path, content: Path) -> None:
    record_history(data_dir)
    result = stats(data_dir, "--json", "--content", str(content))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["reviews"], data["quiz_attempts"], data["due"]) == (2, 1, 1)
    assert data["mistakes"] == 1
    assert data["cards"] == {"total": 3, "new": 1, "learning": 1, "review": 1,
                             "relearning": 0, "mature": 0, "suspended": 0, "leeches": 0}
    l1 = next(k for k in data["keywords"] if k["keyword"] == "l1-regularization")
    assert (l1["attempts"], l1["correct"], l1["accuracy"]) == (1, 0, 0.0)
    assert sum(day["reviews"] for day in data["reviews_per_day"]) == 2


def test_summary_is_readable(data_dir: Path, content: Path) -> None:
    record_history(data_dir)
    result = stats(data_dir, "--content", str(content))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "カード評価 2 回" in out and "解答 1 回" in out
    assert "復習待ち 1 枚" in out and "間違いノート 1 問" in out
    assert "L1正則化 (L1 regularization)" in out and "ノルム (norm)" in out
    assert str(data_dir / "progress.sqlite3") in out


def test_data_dir_flag_wins_over_the_environment(tmp_path: Path, data_dir: Path,
                                                 content: Path) -> None:
    record_history(data_dir)
    other = tmp_path / "other"
    other.mkdir()
    result = stats(data_dir, "--json", "--content", str(content), "--data-dir", str(other))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["reviews"] == 0


def test_corrupt_database_is_one_line_and_kept(data_dir: Path, content: Path) -> None:
    path = data_dir / "progress.sqlite3"
    path.write_bytes(b"\x00garbage" * 1000)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    line = one_line_error(stats(data_dir, "--content", str(content)), code=None)
    assert str(path) in line and "壊れています" in line
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_newer_schema_is_refused(data_dir: Path, content: Path) -> None:
    record_history(data_dir)
    path = data_dir / "progress.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    line = one_line_error(stats(data_dir, "--json", "--content", str(content)), code=None)
    assert "v99" in line


def test_missing_data_folder_is_one_line(tmp_path: Path, content: Path) -> None:
    missing = tmp_path / "nowhere"
    line = one_line_error(stats(missing, "--content", str(content)), code=None)
    assert str(missing) in line
    assert not missing.exists()


def test_broken_decks_are_one_line(data_dir: Path, content: Path) -> None:
    (content / "mini" / "items.yaml").write_text("cards:\n  - id: c1\n", encoding="utf-8")
    result = stats(data_dir, "--content", str(content))
    assert result.returncode == 2
    assert "デッキを読み込めません" in one_line_error(result)


def test_bundled_decks_by_default(data_dir: Path) -> None:
    result = stats(data_dir, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["cards"]["total"] > 0 and data["keywords"]
    assert {"reviews", "quiz_attempts", "due"} <= set(data)


# In-process runs of the same command (``cli.main``), so that the coverage of
# ``studyapp/commands/stats.py`` is measured; the subprocesses above keep what only a
# real process shows (exit codes, stderr lines, the environment).


def record_days(data_dir: Path, answers_by_days_ago: dict[int, int]) -> None:
    """Answers ``n`` questions on the day ``k`` study days ago, for each ``k: n``."""
    clock = [datetime.now(timezone.utc)]
    with Store(data_dir / "progress.sqlite3", now=lambda: clock[0]) as store:
        for days_ago, n in answers_by_days_ago.items():
            clock[0] = datetime.now(timezone.utc) - timedelta(days=days_ago)
            for _ in range(n):
                store.record_answer("mini", "q1", answer=True, correct=True)


def run_in_process(capfd: pytest.CaptureFixture[str], *args: str) -> str:
    from studyapp.cli import main

    capfd.readouterr()
    assert main(["stats", *args]) == 0
    out, err = capfd.readouterr()
    assert err == ""
    return out


def test_the_summary_shades_each_day_as_the_app_does(
    data_dir: Path, content: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from studyapp.render.heatmap import SHADES, heatmap_text, level

    # 5 of the busiest day's 8 is the third shade in the app; the summary once rounded it
    # to the second, and measured the busiest day over the year instead of the weeks shown
    record_days(data_dir, {300: 40, 9: 8, 8: 5, 7: 1})
    common = ("--content", str(content), "--data-dir", str(data_dir))
    data = json.loads(run_in_process(capfd, "--json", *common))
    summary = run_in_process(capfd, *common)
    today = date.fromisoformat(data["today"]["date"])
    counts = {date.fromisoformat(d["date"]): d["reviews"] + d["answers"]
              for d in data["reviews_per_day"]}
    grid = [f"  {line}".rstrip() for line in heatmap_text(counts, today, 12).plain.splitlines()]
    lines = summary.splitlines()
    start = lines.index(grid[1])
    assert lines[start - 1: start + 8] == grid  # the month labels, 7 weekdays, the legend
    shaded = "".join(lines[start: start + 7])
    assert level(5, 8) == 3
    assert sorted(ch for ch in shaded if ch in SHADES) == sorted(SHADES[0] + SHADES[2] + SHADES[3])


def test_stats_syncs_the_decks_as_the_app_does(
    data_dir: Path, content: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    from studyapp.content import load_content
    from studyapp.context import deck_stamp
    from studyapp.paths import content_roots
    from studyapp.study.skills import skill_keywords

    data = json.loads(run_in_process(capfd, "--json", "--content", str(content),
                                     "--data-dir", str(data_dir)))
    assert data["skills"]["total"] == len(skill_keywords(load_content(content).decks))
    assert data["cards"]["total"] == 3 and data["today"]["new_left"] == 3
    # the decks' index is saved as the app saves it: the app's next start reads no YAML
    stamp = deck_stamp(content_roots(str(content), str(data_dir)))
    with Store(data_dir / "progress.sqlite3") as store:
        assert store.content_index(stamp) is not None


def test_the_summary_in_process_reads_like_the_subprocess(
    data_dir: Path, content: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    record_history(data_dir)
    out = run_in_process(capfd, "--content", str(content), "--data-dir", str(data_dir))
    assert "カード評価 2 回" in out and "解答 1 回" in out
    assert "復習待ち 1 枚" in out and "間違いノート 1 問" in out
    assert "正答率 0%" in out and "定着率    —" in out
    assert "L1正則化 (L1 regularization)" in out and "ノルム (norm)" in out


def test_the_due_skills_are_labelled_apart_from_the_unpractised_count(content: Path,
                                                                      tmp_path: Path) -> None:
    """``studyapp stats`` names what its list of skills is: the skills due for review."""
    data = tmp_path / "data"
    data.mkdir()
    # l1-penalty answered wrong two days ago: due now; l1-norm never practised
    two_days_ago = datetime.now(timezone.utc) - timedelta(days=2)
    with Store(data / "progress.sqlite3", now=lambda: two_days_ago) as store:
        store.record_practice("l1-penalty#7", answer=0.0, correct=False)
    result = studyapp("stats", "--content", str(content), data=data)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    skills = [line for line in lines if line.startswith("スキル")]
    assert len(skills) == 1
    assert "期限 1" in skills[0] and "未練習 1" in skills[0]
    # the list says what it lists, and does not read as the unpractised ones
    assert "未練習 1 (" not in result.stdout
    listed = [line for line in lines if "l1-penalty" in line]
    assert len(listed) == 1 and "期限のスキル: l1-penalty" in listed[0]
    assert "l1-norm" not in result.stdout
