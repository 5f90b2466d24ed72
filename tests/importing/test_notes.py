"""``studyapp import notes``: a learner's study note drafts a deck that validates.

The notes are in ``data/``: ``regularization-notes-ja.md`` is a sample note, a learner's
own note for the regularization section copied as it is; the others are written for these
tests, one shape each (see ``data/README.md``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from studyapp.content import validate_content
from studyapp.content.models import Deck
from studyapp.errors import UserError
from studyapp.importing.anki_text import TsvError
from studyapp.importing.notes import import_notes
from studyapp.importing.notes_deck import MAX_KEYWORDS, DraftError, draft
from studyapp.importing.notes_parse import (
    parse_note,
    split_keywords,
    split_legend,
    table_cells,
)

DATA = Path(__file__).resolve().parent / "data"
SEED = DATA / "regularization-notes-ja.md"
SEED_KEYWORDS = ["正則化項", "L1正則化", "ラッソ回帰", "L2正則化", "リッジ回帰", "ノルム",
                 "weight decay", "ドロップアウト", "ドロップコネクト"]


def imported(tmp_path: Path, note: Path, name: str = "drafted") -> tuple[Deck, object]:
    root = tmp_path / "decks"
    result = import_notes(note, root, name)
    library, problems = validate_content(root)
    assert problems == [], [str(p) for p in problems]
    return library.deck(name), result


def texts(deck: Deck) -> list[str]:
    """Every text a learner may see (not tex)."""
    out: list[str] = [deck.title]
    for keyword in deck.keywords:
        out += [keyword.name, keyword.en]
    for card in deck.cards:
        out += [card.front or "", card.back or "", card.cloze or ""]
    for question in deck.questions:
        out += [question.prompt, question.explanation]
        for choice in question.choices:
            out += [choice.text, choice.why or ""]
    return out


def by_keyword(deck: Deck) -> dict[str, tuple[list, list]]:
    found: dict[str, tuple[list, list]] = {k.id: ([], []) for k in deck.keywords}
    for card in deck.cards:
        for keyword in card.keywords:
            found[keyword][0].append(card)
    for question in deck.questions:
        for keyword in question.keywords:
            found[keyword][1].append(question)
    return found


# --------------------------------------------------------------------------- the seed note


def test_the_sample_note_drafts_a_deck_that_teaches_its_nine_keywords(tmp_path: Path) -> None:
    deck, result = imported(tmp_path, SEED, "reg")
    assert deck.title == "正則化"
    assert [k.name for k in deck.keywords] == SEED_KEYWORDS
    for keyword in deck.keywords:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", keyword.id)
    names = {k.name: k for k in deck.keywords}
    assert (names["ドロップアウト"].id, names["ドロップアウト"].en) == ("dropout", "Dropout")
    assert names["ドロップコネクト"].en == "DropConnect"
    assert names["weight decay"].id == "weight-decay"
    items = by_keyword(deck)
    for keyword in deck.keywords:
        cards, questions = items[keyword.id]
        assert cards, keyword.name  # a definition card at least
        assert questions, keyword.name
    assert all(k.reason is None for k in result.keywords)
    # no $ and no backslash command reaches the screen
    for text in texts(deck):
        assert "$" not in text and not re.search(r"\\[A-Za-z]", text), text


def test_definition_formula_cloze_and_table_cards_come_from_their_sections(
    tmp_path: Path,
) -> None:
    deck, _ = imported(tmp_path, SEED, "reg")
    ids = {k.name: k.id for k in deck.keywords}
    cards = deck.cards
    definition = next(c for c in cards if c.front == "ドロップアウト（Dropout）とは？")
    assert definition.keywords == (ids["ドロップアウト"],)
    assert "・毎回、違うネットワーク構造を使って学習するイメージ" in definition.back.splitlines()

    formula = next(c for c in cards if c.front == "L1正則化の式を書け。")
    assert formula.tex.startswith(r"\mathcal{L}_{\text{total}} = ")
    assert r"|\theta_j|" in formula.tex
    assert formula.back.splitlines() == [
        "ℒ_(data)：データ損失（例：MSEなど）",
        "θⱼ：パラメータ（重み）",
        "λ：正則化係数（大きくするほど重みに強い罰）",
    ]
    clozes = [c.cloze for c in cards if c.cloze and c.keywords == (ids["L1正則化"],)]
    assert "ℒ_(total) = ℒ_(data) + λ ∑ⱼ₌₁ᵈ |θⱼ| において、θⱼ は{{c1::パラメータ}}（重み）。" \
        in clozes
    # the table of 「L1とL2の違い」: its columns name the keywords
    penalty = next(c for c in cards if c.front == "L1正則化（Lasso）の罰則は？")
    assert penalty.back == "∑ⱼ₌₁ᵈ |θⱼ|" and penalty.keywords == (ids["L1正則化"],)
    # a table whose rows are not keywords belongs to the heading it sits under
    shape = next(c for c in cards if c.front == "L1ノルムの制約領域の形は？")
    assert shape.keywords == (ids["ノルム"],)
    # 「正則化」 is no keyword, but the one keyword under it is 正則化項
    assert next(c for c in cards if c.front == "正則化の式を書け。").keywords == (
        ids["正則化項"],)


def test_which_keyword_questions_hide_the_name_and_draw_distractors_from_the_note(
    tmp_path: Path,
) -> None:
    deck, _ = imported(tmp_path, SEED, "reg")
    names = {k.id: k.name for k in deck.keywords}
    for question in deck.questions:
        assert question.type == "choice" and len(question.choices) == 4
        options = [c.text for c in question.choices]
        right = names[question.keywords[0]]
        assert options[question.answer] == right
        assert set(options) <= set(names.values())
        assert right not in question.prompt
        for index, choice in enumerate(question.choices):
            assert (choice.why is None) == (index == question.answer)
    # a bullet two keywords share describes neither: no question asks it
    shared = "ニューラルネットワークの過学習を防ぐための正則化手法"
    assert not [q for q in deck.questions if shared in q.prompt]
    # weight decay's own name is hidden in its bullet
    assert any("「〇〇の強さ=正則化係数」" in q.prompt for q in deck.questions)


def test_skipped_parts_are_reported_with_their_lines(tmp_path: Path) -> None:
    _, result = imported(tmp_path, SEED, "reg")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    found = {(p.line, p.message.split(":")[0]) for p in result.skipped}
    assert (10, "skipped") in found and lines[9].startswith(":::message")
    image = next(p for p in result.skipped if "image" in p.message)
    assert lines[image.line - 1].startswith("![](")
    assert any("「概要」" in p.message for p in result.skipped)


# --------------------------------------------------------------------------- other shapes


def test_a_note_with_headings_only_makes_its_topics_the_keywords(tmp_path: Path) -> None:
    deck, _ = imported(tmp_path, DATA / "headings-only.md")
    assert deck.title == "最適化の復習"
    assert [(k.name, k.en, k.id) for k in deck.keywords] == [
        ("確率的勾配降下法", "SGD", "sgd"), ("モメンタム", "Momentum", "momentum"),
        ("AdaGrad", "AdaGrad", "adagrad"), ("Adam", "Adam", "adam"),
    ]
    assert "はじめに" not in [k.name for k in deck.keywords]
    sgd = by_keyword(deck)["sgd"][0]
    formula = next(c for c in sgd if c.tex and not c.cloze)
    assert formula.tex == r"w \leftarrow w - \eta \nabla L(w)"
    assert formula.back.splitlines() == ["η：学習率", "∇L(w)：損失の勾配"]
    assert len(deck.questions) == 8


def test_keywords_as_a_bullet_list_with_full_width_punctuation(tmp_path: Path) -> None:
    deck, result = imported(tmp_path, DATA / "bullet-keywords.md")
    assert deck.title == "データ拡張と早期終了"  # the front matter's, quotes removed
    assert [(k.name, k.en) for k in deck.keywords] == [
        ("データ拡張", "Data Augmentation"), ("早期終了", "Early Stopping"),
        ("ラベル平滑化", "ラベル平滑化"), ("ノイズ付加", "ノイズ付加"),
        # the 、 inside brackets does not split the keyword; a bracket that is not an
        # English term is not part of the name
        ("バッチ正規化", "バッチ正規化"),
    ]
    summary = {k.name: k for k in result.keywords}
    assert summary["バッチ正規化"].reason == "no heading of the note matches it"
    assert summary["データ拡張"].cards >= 1
    smoothing = next(c for c in deck.cards if c.front == "ラベル平滑化とは？")
    assert "(1 − ε)y + ε/K" in smoothing.back
    augmentation = next(c for c in deck.cards if c.front.startswith("データ拡張"))
    assert "**" not in augmentation.back and "データを水増し" in augmentation.back
    noise = next(c for c in deck.cards if c.front == "入力ノイズの加える場所は？")
    assert noise.back == "入力 x"


def test_one_line_display_math_and_inline_math_in_a_table(tmp_path: Path) -> None:
    deck, _ = imported(tmp_path, DATA / "one-line-math.md")
    formulas = {c.front: c for c in deck.cards if c.tex and not c.cloze}
    assert formulas["L1ノルムの式を書け。"].tex == r"\|x\|_1 = \sum_i |x_i|"
    assert formulas["L2ノルムの式を書け。"].tex == r"\|x\|_2 = \sqrt{\sum_i x_i^2}"
    assert formulas["最大値ノルムの式を書け。"].tex == r"\|x\|_\infty = \max_i |x_i|"
    cells = {c.front: c.back for c in deck.cards}
    assert cells["L1ノルムの式は？"] == "∑ᵢ |xᵢ|"
    assert cells["L2ノルムの式は？"] == "√(∑ᵢ xᵢ²)"
    assert cells["最大値ノルムの単位球の形は？"] == "正方形"
    names = {k.name: k for k in deck.keywords}
    assert names["ノルム制約"].en == "max-norm"  # from its heading


def test_a_formula_the_converter_cannot_render_is_reported_and_its_item_left_out(
    tmp_path: Path,
) -> None:
    deck, result = imported(tmp_path, DATA / "bad-formula.md")
    messages = {p.line: p.message for p in result.skipped}
    assert messages[6].startswith("formula cannot be shown in Unicode: unknown command \\foo")
    assert "\\unknowncmd" in messages[14]
    assert not [c for c in deck.cards if c.tex]  # the formula card and its clozes
    penalty = next(c for c in deck.cards if c.front == "罰則とは？")
    assert "大きさは" not in penalty.back  # the bullet with the bad formula
    assert "・係数は λ と書く" in penalty.back.splitlines()
    for text in texts(deck):
        assert "$" not in text and "\\" not in text


def test_a_title_with_inline_math_is_shown_in_unicode(tmp_path: Path) -> None:
    note = tmp_path / "title.md"
    note.write_text("---\ntitle: \"$L_2$ 正則化のまとめ\"\n---\n"
                    + (DATA / "headings-only.md").read_text(encoding="utf-8").split("\n", 1)[1],
                    encoding="utf-8")
    deck, _ = imported(tmp_path, note)
    assert deck.title == "L₂ 正則化のまとめ"


def test_a_note_with_neither_keywords_nor_headings_gives_no_deck(tmp_path: Path) -> None:
    with pytest.raises(DraftError, match="neither a ## キーワード list nor headings"):
        draft(parse_note("ただのメモ。\n- 箇条書き\n"))
    note = tmp_path / "plain.md"
    note.write_text("ただのメモ。\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        import_notes(note, tmp_path / "decks", "plain")
    assert caught.value.exit_code == 2
    assert not (tmp_path / "decks").exists()


def test_a_note_whose_keywords_get_nothing_writes_nothing(tmp_path: Path) -> None:
    note = tmp_path / "empty.md"
    note.write_text("## キーワード\nA、B\n\n## 別の話\n- 何か\n", encoding="utf-8")
    with pytest.raises(TsvError) as caught:
        import_notes(note, tmp_path / "decks", "empty")
    assert caught.value.exit_code == 2
    assert [p.line for p in caught.value.problems] == [4]


# --------------------------------------------------------------------------- ids and --update


def test_ids_are_the_same_for_the_same_note(tmp_path: Path) -> None:
    first = draft(parse_note(SEED.read_text(encoding="utf-8")))
    second = draft(parse_note(SEED.read_text(encoding="utf-8")))
    assert [i.id for i in first.items] == [i.id for i in second.items]
    assert len({i.id for i in first.items}) == len(first.items)


def test_update_keeps_the_ids_of_items_whose_source_did_not_change(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    text = SEED.read_text(encoding="utf-8")
    note.write_text(text, encoding="utf-8")
    root = tmp_path / "decks"
    import_notes(note, root, "reg")
    before = validate_content(root)[0].deck("reg")
    (root / "reg" / "mine.yaml").write_text(
        "cards:\n- id: my-own\n  keywords: [dropout]\n  front: 自分のカード\n  back: 裏\n",
        encoding="utf-8")
    edited = text.replace("- 毎回、違うネットワーク構造を使って学習するイメージ",
                          "- 毎回、違うサブネットワークを学習するイメージ")
    assert edited != text
    note.write_text(edited, encoding="utf-8")
    with pytest.raises(UserError, match="already exists; add --update"):
        import_notes(note, root, "reg")
    result = import_notes(note, root, "reg", update=True)
    after = validate_content(root)[0].deck("reg")
    old = {i.id: i for i in (*before.cards, *before.questions)}
    new = {i.id: i for i in (*after.cards, *after.questions)}
    gone = set(old) - set(new)
    # the dropout definition card and the question on the edited bullet changed ids
    assert {old[i].keywords for i in gone} == {("dropout",)}
    assert len(gone) == 2
    assert "my-own" in new  # the learner's own file is kept
    assert (result.updated, result.removed, result.added) == (True, 2, 2)
    assert result.kept == len(old) - 2
    unchanged = next(i for i in new if i.startswith("formula-"))
    assert unchanged in old


def test_update_refuses_a_deck_it_did_not_draft(tmp_path: Path) -> None:
    root = tmp_path / "decks"
    (root / "handmade").mkdir(parents=True)
    (root / "handmade" / "deck.yaml").write_text(
        "id: handmade\ntitle: 手作り\nkeywords:\n- {id: a, name: あ, en: a}\n", encoding="utf-8")
    with pytest.raises(UserError, match="was not drafted by 'studyapp import notes'"):
        import_notes(SEED, root, "handmade", update=True)
    assert (root / "handmade" / "deck.yaml").read_text(encoding="utf-8").startswith("id:")


def test_update_refuses_an_item_file_past_the_loaders_limit_without_reading_it_whole(
    tmp_path: Path
) -> None:
    from studyapp.content.yamlnodes import MAX_FILE_BYTES

    root = tmp_path / "decks"
    import_notes(SEED, root, "reg")
    cards = root / "reg" / "cards.yaml"
    before = cards.stat().st_size
    with open(cards, "r+b") as handle:  # sparse: no disk, reads as zeros past the YAML
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(UserError, match="larger than 64 MiB") as raised:
        import_notes(SEED, root, "reg", update=True)
    assert raised.value.exit_code == 2 and "\n" not in raised.value.message
    assert cards.stat().st_size == MAX_FILE_BYTES + 1 > before  # left as it was


# --------------------------------------------------------------------------- parsing, limits


def test_parsing_helpers() -> None:
    assert split_keywords("A, B、C，D") == ["A", "B", "C", "D"]
    assert split_keywords("正則化（バッチサイズ、学習率）、E") == [
        "正則化（バッチサイズ、学習率）", "E"]
    assert split_legend(r"$\lambda$：正則化係数") == (r"$\lambda$", "正則化係数")
    assert split_legend(r"$a:b$: 比") == (r"$a:b$", "比")
    assert split_legend("これは長い説明の文で記号ではありません：本文") is None
    assert table_cells(r"| a | b \| c | $x$ |") == ["a", r"b \| c", "$x$"]


def test_too_many_keywords_are_refused_in_one_line() -> None:
    many = "、".join(f"語{n}" for n in range(MAX_KEYWORDS + 1))
    with pytest.raises(DraftError, match=f"at most {MAX_KEYWORDS}"):
        draft(parse_note(f"## キーワード\n{many}\n"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "note.md"
    os.mkfifo(fifo)
    with pytest.raises(UserError, match="FIFO"):
        import_notes(fifo, tmp_path / "decks", "x")


def test_lines_built_to_make_patterns_backtrack_are_read_once(tmp_path: Path) -> None:
    """Runs of spaces, unclosed brackets, links and images, thousands of $ and |: each
    line is read in time proportional to it (a quadratic step would not finish)."""
    width = 200_000
    note = tmp_path / "hostile.md"
    note.write_text(
        "---\ntitle:" + " " * width + "x\n---\n"
        "## キーワード\n" + "A、B、C、D\n"
        "## A" + " " * width + "#\n"
        "- " + "[" * width + "\n"
        "- " + "](" * width + "\n"
        "- " + "![" * width + "\n"
        "- " + "$ a" * width + "\n"
        "- 定義の一文\n"
        "| a | " + "| b " * 2_000 + "|\n| --- | --- |\n| A | x |\n",
        encoding="utf-8")
    result = draft(parse_note(note.read_text(encoding="utf-8")))
    assert [k.name for k in result.keywords] == ["A", "B", "C", "D"]
    assert any(item.body.get("front") == "Aとは？" for item in result.items)
