"""The deck index the app's start-up reads instead of the YAML, and the fingerprint that
tells whether the deck files changed since it was saved."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from studyapp.content import index, load_content
from studyapp.paths import bundled_content_dir


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the bundled decks the test may edit."""
    root = tmp_path / "content"
    shutil.copytree(bundled_content_dir(), root)
    return root


def deck_dir(root: Path) -> Path:
    return next(p for p in root.iterdir() if (p / "deck.yaml").is_file())


def bump_mtime(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_index_holds_titles_and_keywords_in_deck_order() -> None:
    library = load_content()
    decks = index.index_of(library.decks)
    assert [d.id for d in decks] == [d.id for d in library.decks]
    deck, info = library.decks[0], decks[0]
    assert (info.title, info.title_en, info.description) == (
        deck.title, deck.title_en, deck.description)
    assert [k.id for k in info.keywords] == [k.id for k in deck.keywords]
    assert all(info.keyword_name(k.id) == k.name for k in deck.keywords)
    assert info.keyword_name("no-such-keyword") == "no-such-keyword"


def test_index_survives_its_json_and_rejects_anything_else() -> None:
    decks = index.index_of(load_content().decks)
    assert index.loads(index.dumps(decks)) == decks
    for text in (None, "", "not json", "[]", '{"format": 999, "decks": []}',
                 '{"format": 1, "decks": []}', '{"format": 1, "decks": [{"id": 3}]}',
                 '{"format": 1, "decks": [{"id": "a", "title": "t", "title_en": null, '
                 '"description": null, "keywords": [["k", "名前"]]}]}'):
        assert index.loads(text) is None, text


def test_fingerprint_is_stable_while_nothing_changes(content: Path) -> None:
    assert index.fingerprint([content]) == index.fingerprint([content])
    assert index.fingerprint([content], extra="a") != index.fingerprint([content], extra="b")


@pytest.mark.parametrize("change", ["edit", "touch", "add", "remove", "rename"])
def test_fingerprint_changes_with_any_deck_file(content: Path, change: str) -> None:
    before = index.fingerprint([content])
    folder = deck_dir(content)
    first = sorted(folder.glob("*.yaml"))[1]
    if change == "edit":
        first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "touch":
        bump_mtime(first)
    elif change == "add":
        (folder / "extra.yaml").write_text("cards: []\n", encoding="utf-8")
    elif change == "remove":
        first.unlink()
    else:
        first.rename(first.with_name("renamed.yaml"))
    assert index.fingerprint([content]) != before


def test_fingerprint_changes_with_the_roots(content: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(content, other)
    assert index.fingerprint([content]) != index.fingerprint([other])
    assert index.fingerprint([content]) != index.fingerprint([content, other])


def test_fingerprint_of_a_missing_folder_is_not_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    before = index.fingerprint([folder])
    folder.mkdir()
    assert index.fingerprint([folder]) != before


def test_fingerprint_reads_the_code_of_subpackages_but_not_their_caches(
    content: Path, tmp_path: Path
) -> None:
    # the validator and the converter are packages: a change to one of their modules
    # must re-validate the decks, and the __pycache__ an import creates must not
    code = tmp_path / "code"
    (code / "validation").mkdir(parents=True)
    module = code / "validation" / "questions.py"
    module.write_text("RULE = 1\n", encoding="utf-8")
    before = index.fingerprint([content], code=(code,))
    (code / "validation" / "__pycache__").mkdir()
    (code / "validation" / "__pycache__" / "questions.cpython-311.pyc").write_bytes(b"\0")
    assert index.fingerprint([content], code=(code,)) == before
    module.write_text("RULE = 22\n", encoding="utf-8")
    assert index.fingerprint([content], code=(code,)) != before
