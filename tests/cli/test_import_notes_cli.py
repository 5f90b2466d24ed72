"""``studyapp import notes FILE.md --deck NAME`` as a learner runs it: exit codes, the
summary per keyword, the parts left out on stderr, ``--update`` keeping ids."""

from __future__ import annotations

import re
from pathlib import Path

from tests.running import ROOT, studyapp

# a sample note: a learner's own note for the regularization section (test data)
SEED = ROOT / "tests" / "importing" / "data" / "regularization-notes-ja.md"



def ids(folder: Path) -> set[str]:
    found: set[str] = set()
    for name in ("cards.yaml", "questions.yaml"):
        found |= set(re.findall(r"^- id: (\S+)$", (folder / name).read_text(encoding="utf-8"),
                                re.MULTILINE))
    return found


def test_the_sample_note_imports_with_a_summary_per_keyword(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    result = studyapp("import", "notes", str(SEED), "--deck", "reg", "--content", str(decks),
                      data=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert re.fullmatch(r"drafted \d+ cards \(\d+ cloze\) and \d+ questions for 9 keywords "
                        rf"「正則化」 into {re.escape(str(decks / 'reg'))}", out[0]), out[0]
    for name, line in zip(["正則化項", "L1正則化", "ラッソ回帰", "L2正則化", "リッジ回帰", "ノルム",
                           "weight decay", "ドロップアウト", "ドロップコネクト"], out[1:10],
                          strict=True):
        assert re.fullmatch(rf"  {name} \([a-z0-9-]+\): \d+ cards?, \d+ questions?", line), line
    assert out[10] == f"study them with: studyapp --content {decks}"
    assert out[11] == "left out 4 parts of the note (listed on stderr)"
    shown = SEED.relative_to(ROOT)  # FILE relative to the current folder, as validate's
    assert result.stderr.splitlines() == [
        f"{shown}:10: skipped: a :::message block",
        f"{shown}:16: skipped: section 「概要」 matches no keyword",
        f"{shown}:21: skipped: section 「モデル訓練のステップ」 matches no keyword",
        f"{shown}:144: skipped: an image (a deck shows text only)",
    ]
    checked = studyapp("validate", "--content", str(decks), data=tmp_path)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.startswith("OK: 1 deck, ")


def test_update_keeps_ids_and_says_how_many(tmp_path: Path) -> None:
    decks = tmp_path / "decks"
    note = tmp_path / "note.md"
    text = SEED.read_text(encoding="utf-8")
    note.write_text(text, encoding="utf-8")
    args = ("import", "notes", str(note), "--deck", "reg", "--content", str(decks))
    assert studyapp(*args, data=tmp_path).returncode == 0
    before = ids(decks / "reg")
    again = studyapp(*args, data=tmp_path)
    assert again.returncode == 1
    assert again.stderr.splitlines() == [
        f"studyapp: import: {decks / 'reg'} already exists; add --update to redraft it from "
        "the note, or choose another --deck name"]
    note.write_text(text.replace("- L2正則化を使った線形回帰手法",
                                 "- L2正則化を使った線形回帰"), encoding="utf-8")
    updated = studyapp(*args, "--update", data=tmp_path)
    assert updated.returncode == 0, updated.stderr
    assert updated.stdout.startswith("redrafted ")
    after = ids(decks / "reg")
    # the リッジ回帰 definition card and the question on its bullet
    assert len(before - after) == 2 and len(after - before) == 2
    assert f"kept the ids (and progress) of {len(before & after)} items; 2 new, 2 removed" \
        in updated.stdout.splitlines()


def test_a_note_with_neither_keywords_nor_headings_is_one_line_exit_2(tmp_path: Path) -> None:
    note = tmp_path / "memo.md"
    note.write_text("今日は正則化を勉強した。\n- L1 と L2\n", encoding="utf-8")
    decks = tmp_path / "decks"
    result = studyapp("import", "notes", str(note), "--deck", "memo", "--content", str(decks),
                      data=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"studyapp: import: {note}: the note has "
                                                   "neither a ## キーワード list nor headings")
    assert not decks.exists()


def test_without_content_the_draft_joins_the_learners_decks(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    result = studyapp("import", "notes", str(SEED), "--deck", "my-notes", data=data)
    assert result.returncode == 0, result.stderr
    assert (data / "decks" / "my-notes" / "deck.yaml").is_file()
    bundled = studyapp("import", "notes", str(SEED), "--deck", "regularization", data=data)
    assert bundled.returncode == 2
    assert bundled.stderr.startswith("studyapp: import: 'regularization' is the id of a "
                                     "bundled deck")
