"""The Anki package, read back the way Anki reads it: the zip's ``collection.anki2``
opened with sqlite3 (notes, cards, the ``col`` row's models and decks as JSON)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

import genanki
import pytest

from studyapp.content import Library, load_content
from studyapp.export.anki import (
    BASIC_MODEL_NAME,
    CLOZE_MODEL_NAME,
    QUESTION_MODEL_NAME,
    stable_id,
    write_apkg,
)
from tests.export.sample import CARD_IDS, DECK_ID, QUESTION_IDS, write_sample

TAG_BASE = "E資格::正則化_ミニ"


@dataclass
class Collection:
    """What a package holds, by item id (the last part of the ID field)."""

    notes: dict[str, dict[str, object]]
    models: dict[int, dict[str, object]]
    decks: dict[int, str]
    cards: list[tuple[int, int, int]]  # (note id, deck id, ord)


def read_apkg(path: Path, tmp: Path) -> Collection:
    with zipfile.ZipFile(path) as package:
        assert "collection.anki2" in package.namelist()
        package.extract("collection.anki2", tmp)
    db = sqlite3.connect(tmp / "collection.anki2")
    try:
        models_json, decks_json = db.execute("SELECT models, decks FROM col").fetchone()
        models = {int(k): v for k, v in json.loads(models_json).items()}
        decks = {int(k): v["name"] for k, v in json.loads(decks_json).items()}
        notes = {}
        for note_id, guid, mid, tags, flds in db.execute(
            "SELECT id, guid, mid, tags, flds FROM notes"
        ):
            names = [f["name"] for f in models[mid]["flds"]]
            fields = dict(zip(names, flds.split("\x1f"), strict=True))
            item = fields["ID"].split("/", 1)[1]
            notes[item] = {"id": note_id, "guid": guid, "mid": mid, "model": models[mid]["name"],
                           "tags": tags.split(), "fields": fields}
        cards = list(db.execute("SELECT nid, did, ord FROM cards"))
    finally:
        db.close()
    return Collection(notes, models, decks, cards)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return load_content(write_sample(tmp_path / "content"))


@pytest.fixture
def collection(library: Library, tmp_path: Path) -> Collection:
    out = tmp_path / "sample.apkg"
    write_apkg(library, out)
    return read_apkg(out, tmp_path / "read")


def test_one_note_per_card_and_question_with_the_right_model(collection: Collection) -> None:
    assert sorted(collection.notes) == sorted(CARD_IDS + QUESTION_IDS)
    models = {item: note["model"] for item, note in collection.notes.items()}
    assert models == {
        "l1-def": BASIC_MODEL_NAME, "star-underscore": BASIC_MODEL_NAME,
        "l1-cloze": CLOZE_MODEL_NAME,
        **{q: QUESTION_MODEL_NAME for q in QUESTION_IDS},
    }


def test_models_fields_and_types(collection: Collection) -> None:
    by_name = {m["name"]: m for m in collection.models.values()}
    assert set(by_name) >= {BASIC_MODEL_NAME, CLOZE_MODEL_NAME, QUESTION_MODEL_NAME}
    fields = {name: [f["name"] for f in by_name[name]["flds"]]
              for name in (BASIC_MODEL_NAME, CLOZE_MODEL_NAME, QUESTION_MODEL_NAME)}
    assert fields == {
        BASIC_MODEL_NAME: ["Front", "Back", "Formula", "Keywords", "ID"],
        CLOZE_MODEL_NAME: ["Text", "Back Extra", "Formula", "Keywords", "ID"],
        QUESTION_MODEL_NAME: ["Prompt", "Type", "Formula", "Options", "Answer", "Explanation",
                              "Keywords", "ID"],
    }
    assert by_name[CLOZE_MODEL_NAME]["type"] == 1
    assert by_name[BASIC_MODEL_NAME]["type"] == 0
    assert "{{cloze:Text}}" in by_name[CLOZE_MODEL_NAME]["tmpls"][0]["qfmt"]


def test_a_listing_is_a_code_block_under_the_prompt(collection: Collection) -> None:
    prompt = collection.notes["dropout-listing"]["fields"]["Prompt"]
    assert prompt.startswith("【ア】に入るものはどれか。<pre><code>class Dropout:\n")
    assert "        【ア】\n        return out</code></pre>" in prompt


def test_a_cards_formula_is_on_the_answer_side_only(collection: Collection) -> None:
    """A card's formula is part of its answer: Anki must not show it with the question."""
    by_name = {m["name"]: m for m in collection.models.values()}
    for name in (BASIC_MODEL_NAME, CLOZE_MODEL_NAME):
        template = by_name[name]["tmpls"][0]
        assert "{{Formula}}" not in template["qfmt"], name
        assert "{{Formula}}" in template["afmt"], name


def test_deck_name_and_every_card_in_it(collection: Collection) -> None:
    deck_ids = [did for did, name in collection.decks.items() if name == "E資格::正則化 ミニ"]
    assert deck_ids == [stable_id(f"studyapp:deck:{DECK_ID}")]
    assert {did for _, did, _ in collection.cards} == set(deck_ids)


def test_cloze_gaps_are_kept_so_anki_makes_one_card_per_gap(collection: Collection) -> None:
    note = collection.notes["l1-cloze"]
    text = note["fields"]["Text"]
    assert "{{c1::スパース}}" in text
    assert "{{c2::（絶対値の和）::何の和?}}" in text
    ords = sorted(o for nid, _, o in collection.cards if nid == note["id"])
    assert ords == [0, 1]
    # front/back cards and questions: one card each
    assert len(collection.cards) == len(CARD_IDS) - 1 + 2 + len(QUESTION_IDS)


def test_guids_come_from_deck_and_item_ids(collection: Collection) -> None:
    for item, note in collection.notes.items():
        assert note["guid"] == genanki.guid_for("studyapp", DECK_ID, item)
    assert len({n["guid"] for n in collection.notes.values()}) == len(collection.notes)


def test_a_later_export_keeps_guids_and_ids_and_changes_the_text(tmp_path: Path) -> None:
    root = write_sample(tmp_path / "content")
    first = tmp_path / "first.apkg"
    write_apkg(load_content(root), first, timestamp=1_700_000_000)
    cards = root / DECK_ID / "cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace(
        "back: 成分の絶対値の和 Σ|xᵢ|", "back: 各成分の絶対値を足したもの"), encoding="utf-8")
    second = tmp_path / "second.apkg"
    write_apkg(load_content(root), second, timestamp=1_800_000_000)
    a = read_apkg(first, tmp_path / "a")
    b = read_apkg(second, tmp_path / "b")
    assert {i: n["guid"] for i, n in a.notes.items()} == {i: n["guid"] for i, n in b.notes.items()}
    assert {i: n["mid"] for i, n in a.notes.items()} == {i: n["mid"] for i, n in b.notes.items()}
    assert set(a.decks) == set(b.decks)
    assert a.notes["l1-def"]["fields"]["Back"] == "成分の絶対値の和 Σ|xᵢ|"
    assert b.notes["l1-def"]["fields"]["Back"] == "各成分の絶対値を足したもの"


def test_tags_per_keyword_and_free_tag_without_spaces(collection: Collection) -> None:
    assert sorted(collection.notes["l1-def"]["tags"]) == sorted([
        f"{TAG_BASE}::norm", f"{TAG_BASE}::l1-regularization",
        f"{TAG_BASE}::タグ::定義", f"{TAG_BASE}::タグ::重要_概念",
    ])
    assert collection.notes["dropout-code"]["tags"] == [f"{TAG_BASE}::dropout"]


def test_text_is_escaped_html_and_formulas_are_mathjax(collection: Collection) -> None:
    fields = collection.notes["l1-def"]["fields"]
    assert fields["Front"] == "L1ノルム ‖x‖₁ とは? (x &lt; 0 なら |x| = −x)"
    assert fields["Formula"] == r"\(\|x\|_1 = \sum_{i} |x_i| &lt; \infty\)"
    assert fields["Keywords"] == "ノルム（norm） · L1正則化（L1 regularization）"
    assert collection.notes["l1-cloze"]["fields"]["Back Extra"] == "原点に角があるため。"


def test_questions_carry_options_answer_and_explanation(collection: Collection) -> None:
    choice = collection.notes["norm-choice"]["fields"]
    assert choice["Type"] == "4択"
    assert choice["Options"] == "<ol><li>1</li><li>5</li><li>7</li><li>25</li></ol>"
    assert choice["Answer"] == "3. 7"
    assert choice["Explanation"].startswith("|3| + |−4| = 7。")
    assert "<li>2（誤り）: L2 ノルム。</li>" in choice["Explanation"]

    multi = collection.notes["norm-multi"]["fields"]
    assert multi["Answer"] == "1. L1 ノルムは成分の絶対値の和<br>2. L2 ノルムは成分の2乗和の平方根"

    truefalse = collection.notes["dropout-tf"]["fields"]
    assert truefalse["Answer"] == "×（誤り）"
    assert truefalse["Options"] == "<ol><li>○ 正しい</li><li>× 誤り</li></ol>"

    numeric = collection.notes["norm-numeric"]["fields"]
    assert numeric["Answer"] == "5"  # computed by the engine: ‖(3, 4)‖₂
    assert numeric["Options"] == ""
    assert numeric["Formula"] == r"\(\|x\|_2 = \sqrt{x_1^2 + x_2^2}\)"
    assert "<li>7: それは L1 ノルム。</li>" in numeric["Explanation"]
    assert "<li>25: 平方根を取り忘れている。</li>" in numeric["Explanation"]

    code = collection.notes["dropout-code"]["fields"]
    assert code["Answer"] == "1. <code>out = x * mask / (1 - p)</code>"
    assert code["Options"].count("<li><code>") == 4


def test_stable_ids_are_fixed_and_in_ankis_range() -> None:
    assert stable_id("studyapp:deck:regularization") == stable_id("studyapp:deck:regularization")
    ids = {stable_id(f"key-{n}") for n in range(200)}
    assert len(ids) == 200
    assert all((1 << 30) <= i < (1 << 31) for i in ids)


def test_failed_write_leaves_no_file(library: Library, tmp_path: Path) -> None:
    from studyapp.errors import UserError

    with pytest.raises(UserError, match="does not exist"):
        write_apkg(library, tmp_path / "missing" / "out.apkg")
    target = tmp_path / "out.apkg"
    target.mkdir()
    with pytest.raises(UserError, match="is a folder"):
        write_apkg(library, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "out.apkg"]
    assert list(target.iterdir()) == []
