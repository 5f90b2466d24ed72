"""``studyapp stats`` names what its list of skills is: the skills due for review."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from studyapp.store import Store
from tests.running import studyapp, write_deck

DECK = """\
id: mini
title: ミニ
keywords:
  - {id: l1-regularization, name: L1正則化, en: L1 regularization}
  - {id: norm, name: ノルム, en: norm}
skills:
  l1-norm: [norm]
  l1-penalty: [l1-regularization]
  l2-norm: [norm]
"""

ITEMS = """\
cards:
  - id: c1
    keywords: [l1-regularization]
    front: L1正則化の罰則項は?
    back: λ·Σ|wⱼ|
"""


def test_the_due_skills_are_labelled_apart_from_the_unpractised_count(tmp_path: Path) -> None:
    content = write_deck(tmp_path / "content", DECK, ITEMS)
    data = tmp_path / "data"
    data.mkdir()
    # l1-penalty answered wrong two days ago: due now; l1-norm and l2-norm never practised
    two_days_ago = datetime.now(timezone.utc) - timedelta(days=2)
    with Store(data / "progress.sqlite3", now=lambda: two_days_ago) as store:
        store.record_practice("l1-penalty#7", answer=0.0, correct=False)
    result = studyapp("stats", "--content", str(content), data=data)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    skills = [line for line in lines if line.startswith("スキル")]
    assert len(skills) == 1
    assert "期限 1" in skills[0] and "未練習 2" in skills[0]
    # the list says what it lists, and does not read as the unpractised ones
    assert "未練習 2 (" not in result.stdout
    listed = [line for line in lines if "l1-penalty" in line]
    assert len(listed) == 1 and "期限のスキル: l1-penalty" in listed[0]
    assert "l1-norm" not in result.stdout and "l2-norm" not in result.stdout
