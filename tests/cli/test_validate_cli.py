"""``studyapp validate``: exit codes and output, through the same ``main`` the script runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from studyapp.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "content" / "fixtures"
BROKEN = FIXTURES / "broken"
GOOD = FIXTURES / "good"
LINE = re.compile(r"^(?P<file>[^:]+\.yaml):(?P<line>\d+): (?P<message>.+)$")


def test_clean_content_prints_the_summary_and_the_longest_share(capsys) -> None:
    assert main(["validate", "--content", str(GOOD)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [
        "OK: 1 deck, 3 cards, 6 questions (1 choice, 1 code, 1 multi, 2 numeric, 1 truefalse), "
        "3 keywords",
        "keyed option strictly longest: 0 of 2 four-option questions (0%)",
        "keyed option strictly shortest: 0 (0%), neither: 2 (100%)",
    ]


def test_bundled_decks_validate(capsys) -> None:
    code = main(["validate"])
    out, _ = capsys.readouterr()
    assert code == 0, out
    assert re.fullmatch(r"OK: 1 deck, \d+ cards, \d+ questions \(.+\), \d+ keywords\n"
                        r"keyed option strictly longest: \d+ of \d+ four-option questions "
                        r"\(\d+%\)\n"
                        r"keyed option strictly shortest: \d+ \(\d+%\), neither: \d+ "
                        r"\(\d+%\)\n", out)


def test_problems_one_per_line_with_relative_file_and_exit_2(capsys, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["validate", "--content", str(BROKEN)]) == 2
    out, err = capsys.readouterr()
    lines = out.splitlines()
    expected_files = sorted(p.name for p in BROKEN.glob("*.yaml") if p.name != "deck.yaml")
    assert len(lines) == len(expected_files)
    seen = []
    for line in lines:
        match = LINE.match(line)
        assert match, line
        path = Path(match["file"])
        assert not path.is_absolute()
        assert path.parent == Path("tests/content/fixtures/broken")
        seen.append(path.name)
    assert seen == expected_files
    share, shortest, count = err.splitlines()
    assert re.fullmatch(r"keyed option strictly longest: \d+ of \d+ four-option questions "
                        r"\(\d+%\)", share)
    assert re.fullmatch(r"keyed option strictly shortest: \d+ \(\d+%\), neither: \d+ "
                        r"\(\d+%\)", shortest)
    assert count == f"{len(lines)} problems in {len(lines)} files"


def test_global_content_flag_works_too(capsys) -> None:
    assert main(["--content", str(BROKEN), "validate"]) == 2
    assert capsys.readouterr().out


@pytest.mark.parametrize("make", ["missing", "file"])
def test_missing_content_folder_is_one_line(make: str, tmp_path: Path, capsys) -> None:
    target = tmp_path / "nope"
    if make == "file":
        target.write_text("x", encoding="utf-8")
    assert main(["validate", "--content", str(target)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("studyapp: content folder ") and str(target) in err


def test_subprocess_never_prints_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "d"
    bad.mkdir()
    (bad / "deck.yaml").write_bytes(b"id: [\n\xff\xfe")
    (bad / "items.yaml").write_text("cards: {a: [}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "studyapp", "validate", "--content", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert "deck.yaml" in result.stdout and "items.yaml" in result.stdout
