"""Reading Anki's "Notes in Plain Text" export and writing it as a new deck folder."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.content import load_content, validate_content
from studyapp.errors import UserError
from studyapp.importing.tsv import TsvError, card_ids, import_tsv, read_tsv


def write(tmp_path: Path, text: str, name: str = "notes.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[int, str]]:
    with pytest.raises(TsvError) as info:
        read_tsv(path)
    return [(p.line, p.message) for p in info.value.problems]


def test_plain_rows(tmp_path: Path) -> None:
    rows = read_tsv(write(tmp_path, "L1ノルムとは\t絶対値の和\nL2ノルムとは\t2乗和の平方根\n")).rows
    assert [(r.line, r.front, r.back, r.is_cloze) for r in rows] == [
        (1, "L1ノルムとは", "絶対値の和", False),
        (2, "L2ノルムとは", "2乗和の平方根", False),
    ]


def test_anki_headers_html_and_tags_column(tmp_path: Path) -> None:
    text = (
        "#separator:tab\n#html:true\n#tags column:3\n"
        "重み減衰<br>とは\t<div>w ← w − η(∇L + λw)</div><div>毎ステップ&nbsp;縮める</div>\t"
        "weight-decay 定義\n"
        "&lt;b&gt; は?\t<b>太字</b>のタグ\t\n"
    )
    rows = read_tsv(write(tmp_path, text)).rows
    assert [(r.line, r.front, r.back, r.tags) for r in rows] == [
        (4, "重み減衰\nとは", "w ← w − η(∇L + λw)\n毎ステップ 縮める", ("weight-decay", "定義")),
        (5, "<b> は?", "太字のタグ", ()),
    ]


def test_html_false_keeps_text_as_is(tmp_path: Path) -> None:
    rows = read_tsv(write(tmp_path, "#html:false\n<br> とは?\t改行タグ\n")).rows
    assert rows[0].front == "<br> とは?"


def test_quoted_fields_span_lines_and_rows_keep_their_first_line(tmp_path: Path) -> None:
    text = '#html:false\n"一行目\n二行目"\t"タブ\tと ""引用"""\n次\t行\n'
    rows = read_tsv(write(tmp_path, text)).rows
    assert [(r.line, r.front, r.back) for r in rows] == [
        (2, "一行目\n二行目", 'タブ\tと "引用"'),
        (4, "次", "行"),
    ]


def test_comments_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    rows = read_tsv(write(tmp_path, "# exported\n\na\tb\n#note\n   \nc\td\n")).rows
    assert [(r.line, r.front) for r in rows] == [(3, "a"), (6, "c")]


def test_other_separators(tmp_path: Path) -> None:
    rows = read_tsv(write(tmp_path, "#separator:Semicolon\nfront;back\n")).rows
    assert (rows[0].front, rows[0].back) == ("front", "back")
    assert problems_of(write(tmp_path, "#separator:Nope\na\tb\n", "sep.txt")) == [
        (1, "unknown separator 'Nope': expected Tab, Comma, Semicolon, Space, Pipe, Colon or "
            "one character"),
    ]


def test_guid_notetype_and_deck_columns_are_set_aside(tmp_path: Path) -> None:
    text = ("#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n"
            "abc\tBasic\tE資格\t表\t裏\tt1\n")
    rows = read_tsv(write(tmp_path, text)).rows
    assert [(r.front, r.back, r.tags) for r in rows] == [("表", "裏", ("t1",))]


def test_cloze_rows_become_cloze_cards(tmp_path: Path) -> None:
    text = "{{c1::ドロップアウト}}は正則化\t補足\n{{c1::L1}}はスパース\n"
    rows = read_tsv(write(tmp_path, text)).rows
    assert [(r.front, r.back, r.is_cloze) for r in rows] == [
        ("{{c1::ドロップアウト}}は正則化", "補足", True),
        ("{{c1::L1}}はスパース", "", True),
    ]


def test_mathjax_becomes_unicode(tmp_path: Path) -> None:
    rows = read_tsv(write(tmp_path, "L2罰則は?\t\\(\\lambda \\|w\\|_2^2\\)\n")).rows
    assert rows[0].back == "λ‖w‖₂²"


def test_bad_rows_are_all_reported_by_line(tmp_path: Path) -> None:
    text = (
        "#separator:tab\n"
        "ok\tgood\n"
        "one column only\n"
        "\tno front\n"
        "no back\t\n"
        "a\tb\tc\n"
        "\\lambda とは\tb\n"
        "{{c1::}} 空\tb\n"
        "f\t\\(\\frac{1}{2\\)\n"
    )
    found = problems_of(write(tmp_path, text))
    # line 6 is not bad: a third field in a file that names no note types is skipped
    assert found[:-1] == [
        (3, "expected 2 columns (front, back) separated by a tab, found 1"),
        (4, "empty front"),
        (5, "empty back"),
        (7, "front contains the LaTeX command \\lambda outside a formula: wrap formulas in "
            "\\( … \\) or write them in Unicode"),
        (8, "front (a cloze text): gap '{{c1::}}': empty answer"),
    ]
    line, message = found[-1]  # the converter's own words follow the prefix
    assert line == 9
    assert message.startswith("back: formula \\(\\frac{1}{2\\) cannot be shown as Unicode: ")


def test_empty_file_and_non_utf8(tmp_path: Path) -> None:
    assert problems_of(write(tmp_path, "#separator:tab\n")) == [
        (1, "no rows: expected lines of front<TAB>back"),
    ]
    latin = tmp_path / "latin.txt"
    latin.write_bytes("a\tb\nné\tx\n".encode("latin-1"))
    with pytest.raises(UserError, match=r"latin\.txt:2: not UTF-8 text"):
        read_tsv(latin)


def test_import_writes_a_deck_the_validator_accepts(tmp_path: Path) -> None:
    source = write(tmp_path,
                   "#tags column:3\n表1\t裏1\ttag-a\n{{c1::穴}}埋め\t補足\t\n表3\t裏3\t\n")
    root = tmp_path / "decks"
    result = import_tsv(source, root, "my-anki")
    assert result.deck_dir == root / "my-anki"
    assert (result.cards, result.cloze) == (3, 1)
    library, problems = validate_content(root)
    assert problems == []
    deck = library.deck("my-anki")
    assert deck.title == "my-anki"
    assert [k.id for k in deck.keywords] == ["imported"]
    assert [c.id for c in deck.cards] == ["my-anki-0001", "my-anki-0002", "my-anki-0003"]
    assert (deck.cards[0].front, deck.cards[0].back, deck.cards[0].tags) == ("表1", "裏1",
                                                                             ("tag-a",))
    assert (deck.cards[1].cloze, deck.cards[1].back) == ("{{c1::穴}}埋め", "補足")
    assert sorted(p.name for p in root.iterdir()) == ["my-anki"]


def test_bad_rows_write_nothing(tmp_path: Path) -> None:
    root = tmp_path / "decks"
    with pytest.raises(TsvError):
        import_tsv(write(tmp_path, "ok\tgood\nbad\n"), root, "x")
    assert not root.exists()  # not even the content folder it would have created
    root.mkdir()
    with pytest.raises(TsvError):
        import_tsv(write(tmp_path, "ok\tgood\nbad\n"), root, "x")
    assert list(root.iterdir()) == []


def test_refusals(tmp_path: Path) -> None:
    source = write(tmp_path, "a\tb\n")
    root = tmp_path / "decks"
    import_tsv(source, root, "first")
    with pytest.raises(UserError, match="already exists"):
        import_tsv(source, root, "first")
    with pytest.raises(UserError, match="not a valid id") as info:
        import_tsv(source, root, "Bad_Name")
    assert info.value.exit_code == 2
    with pytest.raises(UserError, match="is a deck folder"):
        import_tsv(source, root / "first", "second")
    with pytest.raises(UserError, match="file not found"):
        import_tsv(tmp_path / "missing.txt", root, "third")
    # a deck id taken by a folder of another name
    (root / "renamed").mkdir()
    (root / "renamed" / "deck.yaml").write_text(
        "id: taken\ntitle: t\nkeywords:\n  - {id: k, name: k, en: k}\n", encoding="utf-8")
    with pytest.raises(UserError, match="a deck with id 'taken' already exists"):
        import_tsv(source, root, "taken")
    assert sorted(p.name for p in root.iterdir()) == ["first", "renamed"]


def test_card_ids_widen_past_9999() -> None:
    assert card_ids("d", 2) == ["d-0001", "d-0002"]
    assert card_ids("d", 12345)[-1] == "d-12345"
    assert card_ids("d", 12345)[0] == "d-00001"


_TEXT = st.text(alphabet=st.sampled_from(list("abc あい正則 \t\"'<>&|*:;-{}\n")), min_size=1,
                max_size=20)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=_TEXT, back=_TEXT)
def test_what_anki_writes_comes_back(tmp_path: Path, front: str, back: str) -> None:
    """A row written with Anki's quoting (html off) is read back as the same text."""
    front, back = front.strip(), back.strip()
    if not front or not back or front.startswith("#") or "{{" in front:
        return
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\n").writerow([front, back])
    path = write(tmp_path, "#separator:tab\n#html:false\n" + buffer.getvalue(), "rt.txt")
    rows = read_tsv(path).rows
    assert [(r.front, r.back) for r in rows] == [(front, back)]


def test_imported_deck_loads(tmp_path: Path) -> None:
    source = write(tmp_path, '#html:false\n表?\t"複数\n行の\n裏"\n')
    root = tmp_path / "decks"
    import_tsv(source, root, "multi")
    card = load_content(root).deck("multi").cards[0]
    assert card.back == "複数\n行の\n裏"
    assert "back: |-" in (root / "multi" / "cards.yaml").read_text(encoding="utf-8")


def test_note_types_by_name_with_anki_copy_suffixes(tmp_path: Path) -> None:
    """A copy of a stock note type is named ``Basic+`` (import clash) or ``Basic-1a2b3``
    (Tools → Manage Note Types → Add); ``#notetype:`` names one type for every row."""
    text = ("#notetype column:1\nBasic+\t表1\t裏1\nBasic-1a2b3\t表2\t裏2\n"
            "Cloze-0f9e8\t{{c1::穴}}\t\nOther\t表\t裏\n")
    read = read_tsv(write(tmp_path, text))
    assert [(r.line, r.front, r.is_cloze) for r in read.rows] == [
        (2, "表1", False), (3, "表2", False), (4, "{{c1::穴}}", True)]
    assert [(p.line, p.message.split(":")[0]) for p in read.skipped] == [(5, "skipped")]
    fixed = read_tsv(write(tmp_path, "#notetype:Cloze\n{{c1::A}} と B\t補足\n", "n.txt"))
    assert [(r.front, r.back, r.is_cloze) for r in fixed.rows] == [
        ("{{c1::A}} と B", "補足", True)]


def test_a_cloze_note_without_a_gap_is_a_bad_row(tmp_path: Path) -> None:
    assert problems_of(write(tmp_path, "#notetype column:1\nCloze\tgap がない\t\n")) == [
        (2, "front (a cloze text): no cloze gap: write gaps as {{c1::answer}} or "
            "{{c1::answer::hint}}"),
    ]


def test_only_a_newline_ends_a_row(tmp_path: Path) -> None:
    """A form feed or U+2028 inside a field (text pasted from a web page) once cut the row
    in two: Anki ends rows with a newline only, and so does the reader."""
    rows = read_tsv(write(tmp_path, "表\u2028続き\t裏\nA\x0cB\tC\n")).rows
    assert [(r.line, r.front, r.back) for r in rows] == [(1, "表 続き", "裏"), (2, "A B", "C")]
    assert problems_of(write(tmp_path, "a\tb\rc\n", "cr.txt")) == [
        (1, "cannot read the row: a carriage return (\\r) inside a field that is not in "
            "quotes"),
    ]


def test_a_row_with_too_many_tags_is_a_bad_row(tmp_path: Path) -> None:
    """Tags are bounded per row: 20,000 rows of 110 tags once made a deck file of 2.2
    million values, which the validator refuses as a whole file."""
    tags = " ".join(f"t{n}" for n in range(51))
    assert problems_of(write(tmp_path, f"#tags column:3\n表\t裏\t{tags}\n")) == [
        (2, "51 tags: at most 50 per row"),
    ]


def test_a_problem_of_the_whole_deck_file_is_one_line(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A validator problem that is not about one item (a deck file's own limits) is not
    pinned on whichever row is nearest: it is one line naming the file."""
    import studyapp.content
    from studyapp.content.models import DeckProblem

    def refuse(folder: Path, **_: object) -> tuple[object, list[DeckProblem]]:
        return None, [DeckProblem(folder / "cards.yaml", 3, "larger than 64 MiB")]

    monkeypatch.setattr(studyapp.content, "validate_content", refuse)
    root = tmp_path / "decks"
    with pytest.raises(UserError) as info:
        import_tsv(write(tmp_path, "表\t裏\n"), root, "x")
    assert info.value.message == ("import: the new deck does not validate: cards.yaml: "
                                  "larger than 64 MiB")
    assert not root.exists()
