"""`studyapp` (the app) refuses a database it cannot use with one line, before drawing."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.running import studyapp


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return studyapp(*args, env=env, stdin=subprocess.DEVNULL)


def test_corrupt_database_is_one_line_and_kept(tmp_path: Path) -> None:
    db = tmp_path / "progress.sqlite3"
    garbage = b"this is not a database" * 100
    db.write_bytes(garbage)
    result = run("--data-dir", str(tmp_path))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("studyapp: ")
    assert "progress.sqlite3" in lines[0]
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == garbage  # never overwritten


def test_missing_data_folder_is_one_line(tmp_path: Path) -> None:
    result = run(env={"STUDYAPP_DATA_DIR": str(tmp_path / "nope")})
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(tmp_path / "nope") in result.stderr
    assert not (tmp_path / "nope").exists()


def test_missing_content_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run("--content", str(tmp_path / "no-decks"), "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"studyapp: content folder not found: {tmp_path / 'no-decks'}"]
