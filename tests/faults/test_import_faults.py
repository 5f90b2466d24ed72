"""``studyapp import tsv`` against what an outside test found: real Anki exports, long
names, the data folder rule, file modes and unbounded input.

Every case runs the command as a learner does (a subprocess) unless it needs the
process's umask. The Anki exports read here were written by Anki's own library
(``tests/faults/data/make_anki_exports.py`` made them; they are data, read as they are).
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from studyapp.content import load_content
from studyapp.content.models import display_path
from studyapp.importing import anki_text, import_tsv
from studyapp.importing.anki_notes import (
    APP_BASIC,
    APP_CLOZE,
    APP_QUESTION,
    QUESTION_TYPES,
)
from tests.running import studyapp

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


def one_line(result: subprocess.CompletedProcess[str], code: int, start: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(start), result.stderr


def source(tmp_path: Path, text: str = "表\t裏\n", name: str = "notes.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the data folder


def test_a_missing_data_folder_is_refused_whether_named_by_flag_or_variable(
    tmp_path: Path,
) -> None:
    """A typo in $STUDYAPP_DATA_DIR must not start a new, empty history: the import refuses
    it exactly as it refuses the same folder given with --data-dir, and creates nothing."""
    notes = source(tmp_path)
    missing = tmp_path / "no-such-data"
    by_variable = studyapp("import", "tsv", str(notes), "--deck", "mine", data=missing)
    one_line(by_variable, 1, f"studyapp: import: data folder not found: {missing}")
    assert not missing.exists()
    by_flag = studyapp("import", "tsv", str(notes), "--deck", "mine", "--data-dir",
                       str(missing), data=tmp_path)
    assert (by_flag.returncode, by_flag.stderr) == (by_variable.returncode, by_variable.stderr)
    assert not missing.exists()
    # a data folder that is a file is refused the same way, not written into
    a_file = source(tmp_path, "x", "data-file")
    one_line(studyapp("import", "tsv", str(notes), "--deck", "mine", data=a_file), 1,
             f"studyapp: import: data folder {a_file} is not a folder")


# --------------------------------------------------------------------------- names and modes


def test_a_deck_name_too_long_for_a_folder_is_one_line(tmp_path: Path) -> None:
    notes = source(tmp_path)
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    long_name = "a" * 300
    one_line(studyapp("import", "tsv", str(notes), "--deck", long_name, data=data), 2,
             "studyapp: import: deck name 'aaaa")
    content = tmp_path / "content"
    content.mkdir()
    one_line(studyapp("import", "tsv", str(notes), "--deck", long_name, "--content",
                      str(content), data=data), 2, "studyapp: import: deck name 'aaaa")
    assert list((data / "decks").iterdir()) == [] and list(content.iterdir()) == []


@pytest.mark.parametrize(("umask", "folder_mode", "file_mode"),
                         [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_the_new_deck_gets_the_modes_the_umask_gives(
    tmp_path: Path, umask: int, folder_mode: int, file_mode: int,
) -> None:
    """Not the private 0700 of a temporary folder: the deck is the learner's to share, back
    up or edit, like every other file they create."""
    previous = os.umask(umask)
    try:
        result = import_tsv(source(tmp_path), tmp_path / "decks", "shared")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(result.deck_dir.stat().st_mode) == folder_mode
    for path in result.deck_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == file_mode, path


# --------------------------------------------------------------------------- bounded input


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as handle:  # one long comment, then a good row
        handle.write("#" + "x" * anki_text.MAX_FILE_BYTES + "\n表\t裏\n")
    decks = tmp_path / "decks"
    one_line(studyapp("import", "tsv", str(big), "--deck", "big", "--content", str(decks),
                      data=tmp_path, limit_memory=True),
             2, f"studyapp: import: {big} is larger than "
                f"{anki_text.MAX_FILE_BYTES // 2**20} MiB")
    assert not decks.exists()


def test_an_endless_file_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """/dev/zero never ends: reading it whole would take every byte of memory."""
    one_line(studyapp("import", "tsv", "/dev/zero", "--deck", "zero", "--content",
                      str(tmp_path / "decks"), data=tmp_path, limit_memory=True),
             2, "studyapp: import: /dev/zero is larger than")


def test_a_fifo_is_refused_instead_of_waited_on(tmp_path: Path) -> None:
    """Opening a FIFO that no one writes waits for ever: the import hung until killed."""
    fifo = tmp_path / "notes.txt"
    os.mkfifo(fifo)
    one_line(studyapp("import", "tsv", str(fifo), "--deck", "fifo", "--content",
                      str(tmp_path / "decks"), data=tmp_path),
             2, f"studyapp: import: {fifo} is a FIFO or a pipe")
    assert not (tmp_path / "decks").exists()


def test_a_file_over_the_row_limit_is_refused(tmp_path: Path) -> None:
    rows = "".join(f"表{n}\t裏{n}\n" for n in range(anki_text.MAX_ROWS + 1))
    notes = source(tmp_path, "#separator:tab\n" + rows)
    decks = tmp_path / "decks"
    one_line(studyapp("import", "tsv", str(notes), "--deck", "many", "--content", str(decks),
                      data=tmp_path),
             2, f"studyapp: import: {notes} has more than {anki_text.MAX_ROWS:,} rows")
    assert not decks.exists()


# --------------------------------------------------------------------------- real Anki exports


def imported(tmp_path: Path, export: Path, name: str
             ) -> tuple[subprocess.CompletedProcess[str], Path]:
    decks = tmp_path / "decks"
    return studyapp("import", "tsv", str(export), "--deck", name, "--content", str(decks),
                    data=tmp_path), decks


def test_an_export_of_every_stock_note_type_imports_what_maps(tmp_path: Path) -> None:
    """Anki pads every row to the widest note type (here the three fields of "Basic
    (optional reversed card)") and names each row's note type: Basic and its variants
    become front/back cards, Cloze a cloze card, and a note type the app has no
    counterpart for is listed and left out."""
    export = DATA / "anki-26.9-all-columns.txt"
    result, decks = imported(tmp_path, export, "stock")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{display_path(export)}:13: skipped: note type 'Vocabulary' has no counterpart in a deck "
        "(imported: Basic and its variants, Cloze, and the E資格 note types)",
    ]
    assert result.stdout.splitlines()[0] == (
        f"imported 6 cards (2 cloze) into {decks / 'stock'}")
    assert "skipped 1 row (listed on stderr)" in result.stdout
    deck = load_content(decks).deck("stock")
    shown = [(c.front, c.back, c.cloze, c.tags) for c in deck.cards]
    assert shown == [
        ("L1正則化の罰則項は？", "λΣ|wj|\n（重みの絶対値の和）", None, ("定義",)),
        ("ドロップアウト", "訓練中にユニットの出力を確率 p で0にする", None, ("dropout",)),
        ("Ridge 回帰の罰則", "λ‖w‖₂²", None, ("ridge", "数式")),
        ("早期終了で監視する量は？", "検証損失", None, ()),
        (None, "L1 の角で解が軸に乗る", "{{c1::Lasso}} は重みを {{c2::ちょうど0}} にしうる",
         ("lasso",)),
        (None, None, "weight decay は <b> ではなく {{c1::重みを縮める}}", ()),
    ]
    checked = studyapp("validate", "--content", str(decks), data=tmp_path)
    assert checked.stdout.splitlines()[0] == "OK: 1 deck, 6 cards, 0 questions, 1 keyword", (
        checked.stderr)


def test_an_export_without_note_types_reads_front_and_back(tmp_path: Path) -> None:
    """Without the note type column, the padding is read as empty fields; a row with text
    beyond its first two fields cannot be placed and is listed (with how to export)."""
    export = DATA / "anki-26.9-html-tags.txt"
    result, decks = imported(tmp_path, export, "plain")
    assert result.returncode == 0, result.stderr
    skipped = result.stderr.splitlines()
    assert [line.split(": skipped: ")[0] for line in skipped] == [
        f"{display_path(export)}:6", f"{display_path(export)}:10"]
    assert all("Include notetype name" in line for line in skipped), skipped
    deck = load_content(decks).deck("plain")
    assert [c.front or c.cloze for c in deck.cards] == [
        "L1正則化の罰則項は？", "ドロップアウト", "早期終了で監視する量は？",
        "{{c1::Lasso}} は重みを {{c2::ちょうど0}} にしうる",
        "weight decay は <b> ではなく {{c1::重みを縮める}}",
    ]


def test_an_export_from_anki_in_japanese(tmp_path: Path) -> None:
    """Anki names its stock note types in the language the collection was made in."""
    result, decks = imported(tmp_path, DATA / "anki-26.9-ja.txt", "ja")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    deck = load_content(decks).deck("ja")
    assert [(c.front, c.back, c.cloze) for c in deck.cards] == [
        ("L2ノルムとは", "二乗和の平方根", None),
        ("Lasso", "L1正則化つきの線形回帰", None),
        (None, None, "ドロップアウトの p は{{c1::落とす確率}}"),
    ]


def test_the_apps_own_notes_come_back_as_cards_and_questions(tmp_path: Path) -> None:
    """The app's export, imported into Anki and exported as text by Anki: every note
    becomes an item again — questions with their options, answer, explanation and each
    option's why. A 計算 question (its answer is computed by the engine, which the export
    cannot carry) becomes a card; a コード question a 4択 question on the same snippets."""
    export = DATA / "anki-26.9-app-notes.txt"
    result, decks = imported(tmp_path, export, "back")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines()[0] == (
        f"imported 5 cards (1 cloze) and 6 questions into {decks / 'back'}")
    checked = studyapp("validate", "--content", str(decks), data=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    bundled = load_content(DATA / "app-notes").deck("regularization")  # what was exported
    deck = load_content(decks).deck("back")
    questions = {q.prompt: q for q in deck.questions}
    for original in bundled.questions:
        if original.prompt not in questions:
            continue
        back = questions.pop(original.prompt)
        assert back.type == ("choice" if original.type == "code" else original.type)
        assert back.answer == original.answer
        assert back.explanation == original.explanation
        assert back.tex == original.tex
        if original.choices:
            assert [(o.text, o.why) for o in back.choices] == [
                (o.text, o.why) for o in original.choices]
    assert questions == {}
    cards = {c.front or c.cloze: c for c in deck.cards}
    card = cards["全結合層にドロップコネクトを掛けたときの訓練時の順伝播は？（落とす確率 p）"]
    assert card.tex == bundled.item("dropconnect-card-03").tex
    numeric = cards["重み w = (0.3, −1.2, 0, 2.5)、正則化係数 λ = 0.2 のとき、L1 の正則化項 "
                    "λΣ|wⱼ| の値を求めよ。"]
    assert numeric.back.startswith("答え: 0.8\n‖w‖₁ = 0.3 + 1.2 + 0 + 2.5 = 4.0 なので")
    assert numeric.back.endswith("\nよくある誤答\n0.32: 絶対値をとらずに Σwⱼ = 1.6 を使っている。\n"
                                 "1.56: 二乗和 Σwⱼ² = 7.78 を使った L2 の値になっている。\n"
                                 "4: λ を掛け忘れ、‖w‖₁ をそのまま答えている。")
    assert numeric.tex == r"\lambda \|\boldsymbol{w}\|_1 = \lambda \sum_{j} |w_j|"


def test_the_note_type_names_are_the_exporters(tmp_path: Path) -> None:
    from studyapp.export.anki import (
        BASIC_MODEL_NAME,
        CLOZE_MODEL_NAME,
        QUESTION_MODEL,
        QUESTION_MODEL_NAME,
    )
    from studyapp.study.quiz import TYPE_LABELS

    assert (APP_BASIC, APP_CLOZE, APP_QUESTION) == (
        BASIC_MODEL_NAME, CLOZE_MODEL_NAME, QUESTION_MODEL_NAME)
    assert [f["name"] for f in QUESTION_MODEL.fields][:6] == [
        "Prompt", "Type", "Formula", "Options", "Answer", "Explanation"]
    assert {label: kind for kind, label in TYPE_LABELS.items()} == QUESTION_TYPES


def test_rows_that_cannot_be_placed_are_listed_and_the_rest_imported(tmp_path: Path) -> None:
    """Skipped (listed, the rest imported): a note type with no counterpart, a question
    whose options cannot be told apart because the file has no HTML. Every row skipped:
    nothing is written and the command says so in one line after the list."""
    text = (
        "#separator:tab\n#html:false\n#notetype column:1\n"
        "Image Occlusion\timage-occlusion:rect:left=.1\t<img src=\"a.png\">\t\t\t\t\t\t\n"
        "E資格 Question\tどれか。\t4択\t\tabcd\t1. a\t解説。\t\tx/y\n"
        "E資格 Question\tL1 はスパース。\t正誤\t\t○ 正しい× 誤り\t○（正しい）\t解説。\t\tx/z\n"
        "Basic\t表\t裏\t\t\t\t\t\t\n"
    )
    notes = source(tmp_path, text)
    result, decks = imported(tmp_path, notes, "some")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert [line.split(": skipped: ")[0] for line in lines] == [f"{notes}:4", f"{notes}:5"]
    assert "Include HTML" in lines[1]
    deck = load_content(decks).deck("some")
    assert [q.answer for q in deck.questions] == [True]
    assert [c.front for c in deck.cards] == ["表"]

    only_skipped = source(tmp_path, "".join(text.splitlines(keepends=True)[:5]), "none.txt")
    result, decks = imported(tmp_path, only_skipped, "none")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"studyapp: import: no row of {only_skipped} can be imported (2 skipped); "
        "nothing was written")
    assert not (decks / "none").exists()


def test_a_malformed_app_question_is_a_bad_row(tmp_path: Path) -> None:
    """A row of a note type the app reads, but broken, is a bad row like an empty back:
    listed, and nothing is written."""
    text = (
        "#separator:tab\n#html:true\n#notetype column:1\n"
        "E資格 Question\tどれか。\t5択\t\t<ol><li>a</li></ol>\t1. a\t解説。\t\tx/y\n"
        "E資格 Question\tどれか。\t4択\t\t<ol><li>a</li><li>b</li><li>c</li><li>d</li></ol>"
        "\t7. g\t解説。\t\tx/y\n"
        "Basic\t表\t裏\t\t\t\t\t\t\n"
    )
    notes = source(tmp_path, text)
    result, decks = imported(tmp_path, notes, "bad")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{notes}:4: question type '5択' is not one of 4択, 複数選択, 正誤, 計算, コード",
        f"{notes}:5: answer '7. g' names none of the 4 options",
        f"studyapp: import: 2 bad rows in {notes}; nothing was written",
    ]
    assert not decks.exists()


def test_a_side_that_is_only_media_is_skipped(tmp_path: Path) -> None:
    """Images and sounds do not come with a text export (and a deck shows text): a note
    whose back is only an image is listed, not refused as an empty back; a sound beside
    text is dropped and the text kept."""
    notes = source(tmp_path, '#separator:tab\n#html:true\n犬の写真\t<img src="dog.jpg">\n'
                             "発音\t[sound:inu.mp3]いぬ\n")
    result, decks = imported(tmp_path, notes, "media")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{notes}:3: skipped: its back is only an image or a sound, which a deck cannot show",
    ]
    assert [(c.front, c.back) for c in load_content(decks).deck("media").cards] == [
        ("発音", "いぬ")]


def test_a_question_with_many_options_is_refused_not_searched(tmp_path: Path) -> None:
    """The answer of a 複数選択 question is matched against sets of its options; a row
    with a hundred options (the deck allows 3 to 6) must not start a search over every
    set of them (the timeout only guards a hang)."""
    options = "".join(f"<li>o{n}</li>" for n in range(100))
    notes = source(tmp_path, "#separator:tab\n#html:true\n#notetype column:1\n"
                             f"E資格 Question\tどれか。\t複数選択\t\t<ol>{options}</ol>\t"
                             "1. o0<br>2. edited in Anki\t解説。\t\tx/y\n")
    result, decks = imported(tmp_path, notes, "many")
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{notes}:4: a multi question has 3 to 6 choices, got 100")
    assert not decks.exists()


def test_a_cloze_text_of_unclosed_gaps_is_read_in_one_pass(tmp_path: Path) -> None:
    """Every ``{{c1::`` with no ``}}`` after it once tried every ``::`` and every end:
    12 KB of them took minutes. It is a bad row, found at once (the timeout only guards
    a hang)."""
    notes = source(tmp_path, "{{c1::a}} " + "{{c1::" * 2000 + "\t裏\n")
    result, decks = imported(tmp_path, notes, "gaps")
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"{notes}:1: front (a cloze text): unbalanced '{{{{' or '}}}}' outside a complete "
        "{{cN::…}} gap",
        f"studyapp: import: 1 bad row in {notes}; nothing was written",
    ]
    assert not decks.exists()


def test_a_formula_nested_too_deeply_is_a_bad_row(tmp_path: Path) -> None:
    """The converter reads a formula one level of nesting at a time; 3,000 levels of
    ``{`` once ended the import in a RecursionError traceback."""
    notes = source(tmp_path, "表\t\\(" + "{" * 3000 + "\\)\n")
    result, decks = imported(tmp_path, notes, "deep")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"{notes}:1: back: formula ")
    assert lines[0].endswith("cannot be shown as Unicode: nested too deeply to show")
    assert not decks.exists()


def test_fields_of_unclosed_markup_are_read_in_one_pass(tmp_path: Path) -> None:
    """Unclosed ``<div``, ``<``, ``\\(`` and long runs of spaces once cost time squared in
    the field: about 20 seconds per 130,000-character field, minutes for these twelve
    rows. Each is now read once (the timeout only guards a hang)."""
    fields = ["<div " * 26_000, "<" * 130_000, "\\(" * 65_000, " " * 129_000 + "x"] * 3
    notes = source(tmp_path, "".join(f"表{n}\t{field}\n" for n, field in enumerate(fields)))
    result, decks = imported(tmp_path, notes, "markup")
    assert result.returncode == 0, result.stderr
    backs = [card.back for card in load_content(decks).deck("markup").cards]
    assert backs == [" ".join(fields[0].split()), fields[1], fields[2], "x"] * 3
