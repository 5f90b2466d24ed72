"""Writing through a temporary file, and the answer texts both exporters share."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.content import load_content
from studyapp.errors import UserError
from studyapp.export.common import answer_text, option_notes, right_options, write_atomic
from tests.export.sample import write_sample


def test_write_atomic_replaces_the_file_in_one_step(tmp_path: Path) -> None:
    out = tmp_path / "sheet.md"
    out.write_text("old", encoding="utf-8")
    write_atomic(out, lambda path: path.write_text("new", encoding="utf-8"), "export md")
    assert out.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.md"]


def test_a_failing_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "sheet.md"
    out.write_text("old", encoding="utf-8")

    def half_then_fail(path: Path) -> None:
        path.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(UserError) as info:
        write_atomic(out, half_then_fail, "export md")
    assert info.value.message == f"export md: cannot write {out}: no space left on device"
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.md"]


def test_answer_texts_of_every_type(tmp_path: Path) -> None:
    deck = load_content(write_sample(tmp_path)).decks[0]
    q = {question.id: question for question in deck.questions}
    assert answer_text(q["norm-choice"]) == "3"
    assert answer_text(q["norm-multi"]) == "1, 2"
    assert answer_text(q["dropout-tf"]) == "×（誤り）"
    assert answer_text(q["norm-numeric"]) == "5"
    assert answer_text(q["dropout-code"]) == "1"
    assert right_options(q["norm-multi"]) == [
        (1, "L1 ノルムは成分の絶対値の和"), (2, "L2 ノルムは成分の2乗和の平方根"),
    ]
    assert right_options(q["dropout-tf"]) == []
    notes = option_notes(q["norm-choice"])
    assert [(n.number, n.correct) for n in notes] == [(1, False), (2, False), (4, False)]
