"""``studyapp export anki|md`` as a learner runs it: a subprocess from the repository root.

The Anki package of the bundled deck is opened the way Anki opens it (a zip holding the
SQLite file ``collection.anki2``) and checked: one note per card and per question, the
three models, the deck name ``E資格::正則化``, keyword tags, and guids derived from the
item ids that stay the same from one export to the next.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import genanki
import pytest

from studyapp.content import Library, load_content
from tests.export.sample import write_sample
from tests.running import studyapp


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("studyapp: ")
    return lines[0]


def open_collection(apkg: Path, into: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(apkg) as package:
        package.extract("collection.anki2", into)
    return sqlite3.connect(into / "collection.anki2")


@pytest.fixture(scope="module")
def bundled() -> Library:
    return load_content()


@pytest.fixture(scope="module")
def two_exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    tmp = tmp_path_factory.mktemp("anki")
    first, second = tmp / "first.apkg", tmp / "second.apkg"
    result = studyapp("export", "anki", str(first), data=tmp)
    assert result.returncode == 0, result.stderr
    assert studyapp("export", "anki", str(second), data=tmp).returncode == 0
    return first, second, result.stdout


def test_anki_package_of_the_bundled_deck(two_exports: tuple[Path, Path, str], bundled: Library,
                                          tmp_path: Path) -> None:
    first, _, stdout = two_exports
    deck = bundled.deck("regularization")
    db = open_collection(first, tmp_path)
    try:
        models = {int(k): v for k, v in
                  json.loads(db.execute("SELECT models FROM col").fetchone()[0]).items()}
        decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
        notes = list(db.execute("SELECT guid, mid, tags, flds FROM notes"))
        card_decks = {did for (did,) in db.execute("SELECT DISTINCT did FROM cards")}
    finally:
        db.close()

    assert len(notes) == len(deck.cards) + len(deck.questions)
    names = {m["name"] for m in models.values()}
    assert names >= {"E資格 Basic", "E資格 Cloze", "E資格 Question"}
    by_model: dict[str, int] = {}
    for _, mid, _, _ in notes:
        by_model[models[mid]["name"]] = by_model.get(models[mid]["name"], 0) + 1
    assert by_model == {
        "E資格 Basic": sum(1 for c in deck.cards if c.cloze is None),
        "E資格 Cloze": sum(1 for c in deck.cards if c.cloze is not None),
        "E資格 Question": len(deck.questions),
    }

    named = [did for did, d in decks.items() if d["name"] == "E資格::正則化"]
    assert len(named) == 1
    assert card_decks == {int(named[0])}

    ids = [item.id for item in deck.items()]
    guids = {row[0] for row in notes}
    assert guids == {genanki.guid_for("studyapp", "regularization", i) for i in ids}

    tags = {tag for _, _, note_tags, _ in notes for tag in note_tags.split()}
    for keyword in deck.keywords:
        assert f"E資格::正則化::{keyword.id}" in tags
    assert all(" " not in tag for tag in tags)
    assert stdout.startswith("wrote ")
    assert f"{len(notes)} notes" in stdout


def test_two_exports_have_the_same_guids_models_and_deck(two_exports: tuple[Path, Path, str],
                                                         tmp_path: Path) -> None:
    first, second, _ = two_exports
    rows = []
    for n, path in enumerate((first, second)):
        db = open_collection(path, tmp_path / str(n))
        try:
            rows.append((
                sorted(db.execute("SELECT guid, mid, flds FROM notes")),
                sorted(json.loads(db.execute("SELECT decks FROM col").fetchone()[0])),
            ))
        finally:
            db.close()
    assert rows[0] == rows[1]


def test_markdown_sheet_of_the_bundled_deck(bundled: Library, tmp_path: Path) -> None:
    out = tmp_path / "sheet.md"
    result = studyapp("export", "md", str(out), data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    sheet = out.read_text(encoding="utf-8")
    deck = bundled.deck("regularization")
    assert sheet.startswith("# E資格 学習シート: 正則化（Regularization）\n")
    for keyword in deck.keywords:
        assert f"| {keyword.name} | " in sheet
    for item in deck.items():
        assert sheet.count(f"`{item.id}`") == 1, item.id
    assert sheet.count("**答え:**") == len(deck.questions)
    assert sheet.count("**解説:**") == len(deck.questions)
    with_tex = sum(1 for item in deck.items() if item.tex)
    assert sheet.count("$$\n") == 2 * with_tex
    assert result.stdout == (f"wrote {out}: 1 deck, {len(deck.cards)} cards, "
                             f"{len(deck.questions)} questions\n")


def test_markdown_to_stdout_is_the_same_sheet(tmp_path: Path) -> None:
    content = write_sample(tmp_path / "content")
    out = tmp_path / "sheet.md"
    assert studyapp("export", "md", str(out), "--content", str(content),
                    data=tmp_path).returncode == 0
    printed = studyapp("export", "md", "-", "--content", str(content), data=tmp_path)
    assert printed.returncode == 0
    assert printed.stdout == out.read_text(encoding="utf-8")


def test_anki_export_of_another_content_folder(tmp_path: Path) -> None:
    content = write_sample(tmp_path / "content")
    out = tmp_path / "sample.apkg"
    result = studyapp("--content", str(content), "export", "anki", str(out), data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "9 notes (2 E資格 Basic, 1 E資格 Cloze, 6 E資格 Question)" in result.stdout
    assert "E資格::正則化 ミニ" in result.stdout


@pytest.mark.parametrize("fmt", ["anki", "md"])
def test_unwritable_out_is_one_line(fmt: str, tmp_path: Path) -> None:
    name = f"out.{'apkg' if fmt == 'anki' else 'md'}"
    missing = tmp_path / "no-such-folder" / name
    result = studyapp("export", fmt, str(missing), data=tmp_path)
    assert result.returncode == 1
    assert one_error_line(result) == (
        f"studyapp: export {fmt}: cannot write {missing}: folder {missing.parent} does not exist"
    )
    folder = tmp_path / name
    folder.mkdir()
    result = studyapp("export", fmt, str(folder), data=tmp_path)
    assert result.returncode == 1
    assert one_error_line(result) == (
        f"studyapp: export {fmt}: {folder} is a folder; give a file name"
    )


def test_broken_deck_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    content = write_sample(tmp_path / "content")
    cards = content / "sample" / "cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("keywords: [norm]",
                                                                "keywords: [nrom]"),
                     encoding="utf-8")
    out = tmp_path / "out" / "sheet.md"
    out.parent.mkdir()
    for fmt, name in (("md", "sheet.md"), ("anki", "deck.apkg")):
        result = studyapp("export", fmt, str(out.parent / name), "--content", str(content),
                          data=tmp_path)
        assert result.returncode == 2
        line = one_error_line(result)
        assert line.startswith(f"studyapp: export {fmt}: the decks have problems: ")
        assert "unknown keyword 'nrom'" in line
    assert list(out.parent.iterdir()) == []


def test_missing_content_and_wrong_extension(tmp_path: Path) -> None:
    result = studyapp("export", "md", str(tmp_path / "x.md"), "--content",
                      str(tmp_path / "nope"), data=tmp_path)
    assert result.returncode == 2
    assert one_error_line(result) == (
        f"studyapp: export md: content folder not found: {tmp_path / 'nope'}"
    )
    result = studyapp("export", "anki", str(tmp_path / "deck.zip"), data=tmp_path)
    assert result.returncode == 2
    assert "OUT must end in .apkg" in one_error_line(result)
    assert not (tmp_path / "deck.zip").exists()
