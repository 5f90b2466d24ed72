"""Regenerate the Anki text exports in this folder with Anki's own library.

Run from the repository root with the ``anki`` package installed (``pip install anki``)::

    python tests/faults/data/make_anki_exports.py

It builds a fresh collection in a temporary folder, adds a few notes of Anki's stock note
types through Anki's API (and one of a note type the app has no counterpart for), and
writes them with ``Collection.export_note_csv`` — exactly what Anki's "Notes in Plain
Text" export writes. The files are test data: the tests read them, never this script.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _add(col, notetype: str, fields: dict[str, str], tags: list[str], deck: str) -> None:
    note = col.new_note(col.models.by_name(notetype))
    for name, value in fields.items():
        note[name] = value
    note.tags = tags
    col.add_note(note, col.decks.id(deck))


def english(folder: Path) -> None:
    """A collection in English: every stock note type Anki's exporter pads rows to."""
    from anki.collection import Collection

    col = Collection(str(folder / "en.anki2"))
    vocab = col.models.copy(col.models.by_name("Basic"), add=False)
    vocab["name"] = "Vocabulary"
    col.models.add_field(vocab, col.models.new_field("Example"))
    col.models.add_dict(vocab)
    deck = "E資格::自作"
    _add(col, "Basic", {"Front": "L1正則化の罰則項は？",
                        "Back": "λΣ|w<sub>j</sub>|<br>（重みの絶対値の和）"}, ["定義"], deck)
    _add(col, "Basic (and reversed card)",
         {"Front": "ドロップアウト", "Back": "訓練中にユニットの出力を確率 p で0にする"},
         ["dropout"], deck)
    _add(col, "Basic (optional reversed card)",
         {"Front": "Ridge 回帰の罰則", "Back": r"\(\lambda \|w\|_2^2\)", "Add Reverse": "y"},
         ["ridge", "数式"], deck)
    _add(col, "Basic (type in the answer)",
         {"Front": "早期終了で監視する量は？", "Back": "検証損失"}, [], deck)
    _add(col, "Cloze", {"Text": "{{c1::Lasso}} は重みを {{c2::ちょうど0}} にしうる",
                        "Back Extra": "L1 の角で解が軸に乗る"}, ["lasso"], deck)
    _add(col, "Cloze", {"Text": "weight decay は &lt;b&gt; ではなく {{c1::重みを縮める}}",
                        "Back Extra": ""}, [], deck)
    _add(col, "Vocabulary", {"Front": "汎化", "Back": "generalization",
                             "Example": "汎化性能を上げる"}, [], deck)
    for name, options in {
        "anki-26.9-all-columns.txt": dict(with_html=True, with_tags=True, with_deck=True,
                                          with_notetype=True, with_guid=True),
        "anki-26.9-html-tags.txt": dict(with_html=True, with_tags=True, with_deck=False,
                                        with_notetype=False, with_guid=False),
    }.items():
        col.export_note_csv(out_path=str(HERE / name), limit=None, **options)
    col.close()


def japanese(folder: Path) -> None:
    """A collection made with Anki in Japanese: the stock note types have Japanese names."""
    import anki.lang

    anki.lang.set_lang("ja")
    from anki.collection import Collection

    col = Collection(str(folder / "ja.anki2"))
    names = [n.name for n in col.models.all_names_and_ids()]
    basic, optional = "基本", "基本 (任意で反転カードを作成)"
    cloze = "穴埋め問題"
    assert {basic, optional, cloze} <= set(names), names
    deck = "正則化"
    _add(col, basic, {"表面": "L2ノルムとは", "裏面": "二乗和の平方根"}, [], deck)
    _add(col, optional, {"表面": "Lasso", "裏面": "L1正則化つきの線形回帰",
                         "反転カードを追加": "y"}, ["lasso"], deck)
    _add(col, cloze, {"テキスト": "ドロップアウトの p は{{c1::落とす確率}}", "裏面の追加情報": ""},
         [], deck)
    col.export_note_csv(out_path=str(HERE / "anki-26.9-ja.txt"), limit=None, with_html=True,
                        with_tags=True, with_deck=True, with_notetype=True, with_guid=False)
    col.close()


#: One note of each kind the app exports: cards with and without a formula, a cloze card,
#: and a question of every type (a multi-line code question, a choice question with tex).
APP_ITEMS = (
    "dropconnect-card-01", "dropconnect-card-02", "dropconnect-card-03",
    "dropconnect-q-01", "dropconnect-q-05", "dropconnect-q-06", "dropconnect-q-07",
    "dropconnect-q-08", "early-q-02", "early-q-07", "l1-q-05",
)


#: A frozen copy of those items (and the deck's keywords): the export is made from it and
#: the test compares against it, so later edits of the bundled deck's wording do not
#: invalidate the Anki file.
APP_DECK = HERE / "app-notes"


def freeze_app_deck() -> None:
    """Copy :data:`APP_ITEMS` from the bundled deck's YAML into :data:`APP_DECK`."""
    import yaml

    from studyapp.paths import bundled_content_dir

    source = bundled_content_dir() / "regularization"
    header = yaml.safe_load((source / "deck.yaml").read_text(encoding="utf-8"))
    items: dict[str, list] = {"cards": [], "questions": []}
    for path in sorted(source.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "deck.yaml" or not isinstance(data, dict):
            continue
        for part in ("cards", "questions"):
            items[part] += [item for item in data.get(part) or () if item["id"] in APP_ITEMS]
    found = {item["id"] for part in items.values() for item in part}
    assert found == set(APP_ITEMS), set(APP_ITEMS) - found
    deck = APP_DECK / "regularization"
    deck.mkdir(parents=True, exist_ok=True)
    frozen = {key: header[key] for key in ("id", "title", "title_en", "keywords")}
    note = "# Test data: a frozen copy, written by make_anki_exports.py (do not edit).\n"
    for name, data in (("deck.yaml", frozen), ("items.yaml", items)):
        (deck / name).write_text(note + yaml.safe_dump(data, allow_unicode=True,
                                                       sort_keys=False, width=100),
                                 encoding="utf-8")


def app_notes(folder: Path) -> None:
    """The app's own export, through Anki: ``.apkg`` in, "Notes in Plain Text" out."""
    from anki.collection import (
        Collection,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
        NoteIdsLimit,
    )

    from studyapp.content import load_content
    from studyapp.export.anki import write_apkg
    package = folder / "app.apkg"
    write_apkg(load_content(APP_DECK), package, timestamp=1_700_000_000)
    col = Collection(str(folder / "app.anki2"))
    col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions()))
    ids = [note_id for item in APP_ITEMS
           for note_id in col.find_notes(f'"ID:regularization/{item}"')]
    assert len(ids) == len(APP_ITEMS), ids
    col.export_note_csv(out_path=str(HERE / "anki-26.9-app-notes.txt"), limit=NoteIdsLimit(ids),
                        with_html=True, with_tags=True, with_deck=True, with_notetype=True,
                        with_guid=True)
    col.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        english(Path(folder))
        freeze_app_deck()
        app_notes(Path(folder))
        japanese(Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
