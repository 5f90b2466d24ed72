"""``studyapp stats`` shows the code exercises: their states and the checks kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from studyapp.store import Rating, open_store

ROOT = Path(__file__).resolve().parents[2]


def _stats(data_dir: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "studyapp", "stats", "--data-dir",
                           str(data_dir), *flags], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)


def test_stats_counts_exercises(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        store.record_exercise_check("ridge", code="x", result={}, passed=2, total=9)
        attempt = store.record_exercise_check("ridge", code="y", result={}, passed=9, total=9)
        store.rate_exercise("ridge", Rating.Good, attempt_id=attempt)
        store.record_exercise_check("lasso-cd", code="z", result={}, passed=0, total=9)
    result = _stats(tmp_path, "--json")
    assert result.returncode == 0, result.stderr
    ex = json.loads(result.stdout)["exercises"]
    assert (ex["solved"], ex["attempted"], ex["checks"]) == (1, 1, 3)
    assert ex["new"] == ex["total"] - 2
    text = _stats(tmp_path)
    assert "コード演習" in text.stdout and "正解済み 1" in text.stdout
