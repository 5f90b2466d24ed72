"""The round trip through Anki's own library: ``studyapp export anki`` → an Anki collection
→ Anki's "Notes in Plain Text" export → ``studyapp import tsv`` → ``studyapp validate``.

The collection also holds two notes a learner makes in Anki itself, a "Basic (optional
reversed card)" and a "Cloze": Anki then pads every row to the widest note type, which
once made every row of the file fail. Skipped unless the ``anki`` package (Anki's own
library, ``pip install anki``) is installed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studyapp.content import load_content
from studyapp.paths import bundled_content_dir
from tests.running import studyapp

anki_collection = pytest.importorskip("anki.collection")


def anki_text_export(tmp_path: Path, **options: bool) -> tuple[Path, int]:
    """The app's package imported into a new Anki collection with two stock notes, then
    exported by Anki as text; returns the file and the number of notes in it."""
    package = tmp_path / "e-shikaku.apkg"
    exported = studyapp("export", "anki", str(package), data=tmp_path)
    assert exported.returncode == 0, exported.stderr
    col = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    try:
        col.import_anki_package(anki_collection.ImportAnkiPackageRequest(
            package_path=str(package), options=anki_collection.ImportAnkiPackageOptions()))
        deck = col.decks.id("自分のノート")
        note = col.new_note(col.models.by_name("Basic (optional reversed card)"))
        note["Front"], note["Back"], note["Add Reverse"] = (
            "Ridge の罰則", r"\(\lambda \|w\|_2^2\)", "y")
        col.add_note(note, deck)
        note = col.new_note(col.models.by_name("Cloze"))
        note["Text"] = "{{c1::Lasso}} は重みをちょうど0にしうる"
        col.add_note(note, deck)
        out = tmp_path / "notes.txt"
        col.export_note_csv(out_path=str(out), limit=None, **options)
        return out, col.note_count()
    finally:
        col.close()


def bundled_items() -> tuple[int, int]:
    deck = load_content(bundled_content_dir()).deck("regularization")
    return len(deck.cards), len(deck.questions)


@pytest.mark.parametrize("with_notetype", [True, False], ids=["note types", "no note types"])
def test_the_apps_package_comes_back_from_anki(tmp_path: Path, with_notetype: bool) -> None:
    export, notes = anki_text_export(
        tmp_path, with_html=True, with_tags=True, with_deck=with_notetype,
        with_notetype=with_notetype, with_guid=with_notetype)
    cards, questions = bundled_items()
    assert notes == cards + questions + 2
    decks = tmp_path / "decks"
    result = studyapp("import", "tsv", str(export), "--deck", "from-anki", "--content",
                      str(decks), data=tmp_path)
    if with_notetype:
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        imported_items = notes
    else:  # without note types, "Add Reverse: y" cannot be told from a field of text
        assert result.returncode == 0, result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert "skipped: field 3 holds text" in result.stderr
        imported_items = notes - 1
    checked = studyapp("validate", "--content", str(decks), data=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    counts = re.match(r"OK: 1 deck, (\d+) cards, (\d+) questions", checked.stdout)
    assert counts is not None, checked.stdout
    assert int(counts[1]) + int(counts[2]) == imported_items
    deck = load_content(decks).deck("from-anki")
    numeric = sum(q.type == "numeric" for q in
                  load_content(bundled_content_dir()).deck("regularization").questions)
    assert len(deck.questions) == questions - numeric  # a 計算 question comes back as a card


def test_without_html_the_questions_that_need_it_are_listed(tmp_path: Path) -> None:
    """Anki's "Include HTML" off runs the options of a question together: those questions
    are listed as skipped, and everything else comes back."""
    export, _ = anki_text_export(tmp_path, with_html=False, with_tags=True,
                                 with_deck=False, with_notetype=True, with_guid=False)
    decks = tmp_path / "decks"
    result = studyapp("import", "tsv", str(export), "--deck", "plain", "--content",
                      str(decks), data=tmp_path)
    assert result.returncode == 0, result.stderr
    deck = load_content(bundled_content_dir()).deck("regularization")
    need_html = sum(q.type in ("choice", "multi", "code") for q in deck.questions)
    skipped = result.stderr.splitlines()
    assert len(skipped) == need_html
    assert all("Include HTML and media references" in line for line in skipped)
    checked = studyapp("validate", "--content", str(decks), data=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
