"""``studyapp import notes`` on hostile notes: each ends in one line and a non-zero exit,
or a draft that validates, within the runner's time and 1 GiB of memory, and nothing is
written outside ``--content``. All of these held when first tried (kept so they stay so).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.running import ROOT, ok, one_line_error, studyapp

BASE = ("---\ntitle: t\n---\n## キーワード\n- L1正則化\n- L2正則化\n\n"
        "## L1正則化\nL1正則化は重みの絶対値の和を罰する。\n\n## L2正則化\n二乗和。\n")

HOSTILE = {
    "brackets": BASE + "[" * 100_000 + "]" * 100_000 + "\n" + "(" * 50_000 + "\n",
    "dollars": BASE + "$" * 200_000 + "\n",
    "unclosed": BASE + "$$\n" + "a^2\n" * 50_000,
    "hashes": BASE + "#" * 100_000 + " x\n" + ("#" * 1000 + "\n") * 1000,
    "latex": BASE + "$$\n\\begin{bmatrix} \\unknowncmd{x} \\left( \\right.\n$$\n"
             + "$$" + "\\frac{" * 5000 + "$$\n$" + "{" * 50_000 + "$\n",
    "yaml": "---\ntitle: '&a *b !!python/object:os.system'\n---\n## キーワード\n"
            "- &anchor: x\n- '*alias'\n- !!python/object/apply:os.system ['echo hi']\n\n"
            "## &anchor: x\n: text &a *b\n",
    "collide": "## キーワード\n- L1 正則化\n- L1正則化\n- l1正則化\n- L1-正則化\n- ???\n\n"
               "## L1 正則化\nfoo\n",
    "crlf-bom": "\ufeff" + BASE.replace("\n", "\r\n"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_note_drafts_a_deck_that_validates(tmp_path: Path, name: str) -> None:
    note = tmp_path / "note.md"
    note.write_text(HOSTILE[name], encoding="utf-8")
    content = tmp_path / "content"
    result = studyapp("import", "notes", str(note), "--deck", "drafted", "--content",
                      str(content), limit_memory=True)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    ok(studyapp("validate", "--content", str(content)))


@pytest.mark.parametrize("source", ["fifo", "folder", "zero", "binary", "large"])
def test_a_file_that_is_no_note_is_one_line(tmp_path: Path, source: str) -> None:
    path = tmp_path / "note.md"
    if source == "fifo":
        os.mkfifo(path)
    elif source == "folder":
        path.mkdir()
    elif source == "zero":
        path = Path("/dev/zero")
    elif source == "binary":
        path.write_bytes(b"\xff\xfe\x00bad" + bytes(range(256)) * 4)
    else:
        path.write_text(BASE + "x" * 10_000_000 + "\n", encoding="utf-8")
    one_line_error(studyapp("import", "notes", str(path), "--deck", "drafted", "--content",
                            str(tmp_path / "content"), limit_memory=True), code=None)
    assert not (tmp_path / "content" / "drafted").exists()


@pytest.mark.parametrize("deck", ["../x", "a/b", "x/../../y", ".hidden", "", "a\x1bb", "CON"])
def test_a_deck_name_that_is_no_id_is_refused(tmp_path: Path, deck: str) -> None:
    note = tmp_path / "note.md"
    note.write_text(BASE, encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    line = one_line_error(studyapp("import", "notes", str(note), "--deck", deck,
                                   "--content", str(content)))
    assert "not a valid id" in line and "\x1b" not in line
    assert list(content.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == [
        "content", "note.md"]


def test_update_never_replaces_a_deck_it_did_not_draft(tmp_path: Path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "regularization", content / "regularization")
    before = sorted((p.name, p.read_bytes()) for p in (content / "regularization").iterdir())
    note = tmp_path / "note.md"
    note.write_text(BASE, encoding="utf-8")
    line = one_line_error(studyapp("import", "notes", str(note), "--deck", "regularization",
                                   "--content", str(content), "--update"), code=1)
    assert "was not drafted" in line
    assert sorted((p.name, p.read_bytes())
                  for p in (content / "regularization").iterdir()) == before


def test_a_table_too_wide_to_be_cards_is_left_out_with_its_line(tmp_path: Path) -> None:
    """10,000 columns made 10,000 cards in seconds: a table past the limit is named and
    left out, the rest of the note drafted."""
    wide = "| " + " | ".join(f"c{i}" for i in range(1_000)) + " |\n"
    separator = "|" + "---|" * 1_000 + "\n"
    row = "| " + " | ".join("x" for _ in range(1_000)) + " |\n"
    lines = BASE.count("\n")
    note = tmp_path / "note.md"
    note.write_text(BASE + "\n" + wide + separator + row, encoding="utf-8")
    content = tmp_path / "content"
    result = studyapp("import", "notes", str(note), "--deck", "drafted", "--content",
                      str(content))
    assert result.returncode == 0, result.stderr
    assert f"{note}:{lines + 2}: skipped: a table of 1000 columns and 1 rows" in result.stderr
    ok(studyapp("validate", "--content", str(content)))
