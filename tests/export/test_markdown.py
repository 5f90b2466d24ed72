"""The Markdown study sheet, checked by rendering it with a CommonMark parser
(markdown-it-py, which Textual already depends on): what a reader sees, not only bytes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from studyapp.content import Library, load_content
from studyapp.export.markdown import bold, cloze_text, escape, study_sheet
from tests.export.sample import CARD_IDS, QUESTION_IDS, write_sample

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def rendered_text(markdown: str) -> str:
    """The text a reader sees: the rendered HTML without tags, entities decoded."""
    out = MD.render(markdown).replace("<br />\n", "\n")
    return html.unescape(re.sub(r"<[^>]+>", "", out)).strip()


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return load_content(write_sample(tmp_path))


@pytest.fixture
def sheet(library: Library) -> str:
    return study_sheet(library)


@pytest.mark.parametrize("text", [
    "w* と w_0 の違い", "*w* は最適解", "|3| + |−4| = 7", "x < 0 なら <b>", "$x$ と \\lambda",
    "# 見出しではない", "1. 番号ではない", "- 箇条書きではない", "> 引用ではない",
    "[リンク](ではない)", "`コード` ではない", "~~取り消し~~ ではない", "&amp; はそのまま",
    "一行目\n二行目",
])
def test_escaped_text_renders_as_written(text: str) -> None:
    assert rendered_text(escape(text)) == text


@given(st.text(alphabet=st.sampled_from(list("ab あ正 *_`[]()<>|$~#-+.!&;\\\n1")), max_size=30))
def test_escaped_text_renders_as_written_for_any_mix(text: str) -> None:
    text = "\n".join(line.strip() for line in text.split("\n"))
    if not text.strip() or "\n\n" in text or text.startswith("\n") or text.endswith("\n"):
        return  # paragraphs: one block of text with single line breaks
    assert rendered_text(escape(text)) == text


@pytest.mark.parametrize(("text", "before", "after", "expected"), [
    ("スパース", "を", "に", "**スパース**"),
    ("（絶対値の和）", "の", "に", "<strong>（絶対値の和）</strong>"),
    ("（絶対値の和）", " ", " ", "**（絶対値の和）**"),
    ("x", "", "", "**x**"),
])
def test_bold_falls_back_to_html_where_markdown_would_not_bold(
    text: str, before: str, after: str, expected: str
) -> None:
    assert bold(text, before, after) == expected
    assert f"<strong>{text}</strong>" in MD.render(before + expected + after)


def test_cloze_answers_are_bold_and_hints_dropped() -> None:
    text = "L1正則化は解を{{c1::スパース}}にし、重みの{{c2::（絶対値の和）::何の和?}}に罰則を課す。"
    out = MD.render(cloze_text(text))
    assert "<strong>スパース</strong>" in out
    assert "<strong>（絶対値の和）</strong>" in out
    assert "何の和" not in out
    assert rendered_text(cloze_text(text)) == (
        "L1正則化は解をスパースにし、重みの（絶対値の和）に罰則を課す。"
    )


def test_sheet_has_title_keywords_and_every_item_once(sheet: str, library: Library) -> None:
    lines = sheet.splitlines()
    assert lines[0] == "# E資格 学習シート: 正則化 ミニ（Sample deck）"
    assert "## 1. L1正則化（L1 regularization）" in lines
    assert "## 2. ノルム（norm）" in lines
    assert "## 3. ドロップアウト（dropout）" in lines
    for item in CARD_IDS + QUESTION_IDS:
        assert sheet.count(f"`{item}`") == 1, item
    # the keyword table counts every item that lists the keyword
    assert "| 1 | L1正則化 | L1 regularization | 2 | 0 |" in lines
    assert "| 2 | ノルム | norm | 2 | 3 |" in lines


def test_item_under_its_first_keyword_names_the_others(sheet: str) -> None:
    norm = sheet.index("## 2. ノルム")
    card = sheet.index("`l1-def`")
    assert card > norm
    assert "`l1-def` · 関連: L1正則化 · タグ: 定義、重要 概念" in sheet


def test_a_cards_formula_follows_its_answer(sheet: str) -> None:
    """A card's formula is part of its answer: printed after ``A.``, never between the
    question and the answer."""
    card = sheet[sheet.index("`l1-def`"):]
    card = card[:card.index("**カード", 1) if "**カード" in card[1:] else len(card)]
    assert card.index("A. ") < card.index("$$")


def test_a_listing_is_a_fenced_python_block_under_the_prompt(sheet: str) -> None:
    question = sheet[sheet.index("`dropout-listing`"):]
    assert ("【ア】に入るものはどれか。\n\n```python\nclass Dropout:\n"
            "    def __init__(self, p):\n") in question
    assert "        【ア】\n        return out\n```\n" in question


def test_formulas_are_latex_display_math(sheet: str) -> None:
    assert "$$\n\\|x\\|_1 = \\sum_{i} |x_i| < \\infty\n$$" in sheet
    assert "$$\n\\|x\\|_2 = \\sqrt{x_1^2 + x_2^2}\n$$" in sheet


def test_questions_show_options_answer_and_explanation(sheet: str) -> None:
    choice = sheet[sheet.index("`norm-choice`"):sheet.index("`norm-multi`")]
    assert "1. 1\n2. 5\n3. 7\n4. 25" in choice
    assert "**答え:** 3. 7" in choice
    assert "**解説:** \\|3\\| + \\|−4\\| = 7。" in choice
    assert "- 選択肢2（誤り）: L2 ノルム。" in choice
    numeric = sheet[sheet.index("`norm-numeric`"):]
    assert "**答え:** 5" in numeric  # the engine's value
    assert "- 7: それは L1 ノルム。" in numeric
    assert "**答え:** ×（誤り）" in sheet
    assert "**答え:** 1. `out = x * mask / (1 - p)`" in sheet


def test_sheet_renders_text_as_the_deck_holds_it(sheet: str) -> None:
    text = rendered_text(sheet)
    assert "Q. L1ノルム ‖x‖₁ とは? (x < 0 なら |x| = −x)" in text
    assert "A. *w* は最適解、w_0 は初期値。" in text
    assert "1. L1 ノルムは成分の絶対値の和 / 2. L2 ノルムは成分の2乗和の平方根" in text


def test_multi_line_code_options_are_fenced(tmp_path: Path) -> None:
    root = write_sample(tmp_path)
    questions = root / "sample" / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace(
        '- "out = x * mask / (1 - p)"', '- "keep = mask / (1 - p)\\nout = x * keep"'),
        encoding="utf-8")
    sheet = study_sheet(load_content(root))
    assert "1.\n\n   ```python\n   keep = mask / (1 - p)\n   out = x * keep\n   ```" in sheet
    out = MD.render(sheet)
    assert "<code class=\"language-python\">keep = mask / (1 - p)\nout = x * keep\n</code>" in out


def test_same_decks_same_bytes(library: Library) -> None:
    assert study_sheet(library) == study_sheet(library)
    assert study_sheet(library).endswith("\n") and not study_sheet(library).endswith("\n\n")
