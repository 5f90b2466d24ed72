"""The validator's rules beyond the field types: listing fill-ins, the deck's glossary
(``terms:``), position words, and the strict checks (longest keyed option, long cloze
gaps)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from studyapp.content import load_content, validate_content
from tests.content.conftest import DECK_YAML, MakeDeck, only_problem

LISTING_QUESTION = """\
questions:
  - id: q-listing
    type: code
    keywords: [dropout]
    prompt: 【ア】に入る処理はどれか。
    listing: |
      def forward(x, mask, p):
          y = x.copy()
          【ア】
          return y
    choices:
      - "y = y * mask / (1 - p)"
      - {text: "y = y * mask", why: 1/(1−p) で割らないと期待値がずれる。}
      - {text: "y = y * mask * (1 - p)", why: 推論時に掛ける旧来の方式。}
      - {text: "y = y / (1 - p)", why: マスクを掛け忘れている。}
    answer: 0
    check:
      given: {x: [1.0, 2.0], mask: [1, 0], p: 0.5}
      run: out = forward(x, mask, p)
      expect: {fn: dropout_apply, args: {x: [1.0, 2.0], mask: [1, 0], p: 0.5}}
    explanation: 訓練時は残したノードを 1/(1−p) 倍する。
"""


def listing_question(**replace: str) -> str:
    """``LISTING_QUESTION`` with some of its lines replaced (old line → new line(s))."""
    text = LISTING_QUESTION
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


# -- listing fill-ins ---------------------------------------------------------------------
def test_a_listing_and_its_run_load(make_deck: MakeDeck) -> None:
    question = load_content(make_deck(LISTING_QUESTION)).deck("t").questions[0]
    assert question.listing is not None
    assert question.listing.splitlines()[2].strip() == "【ア】"
    assert question.check is not None
    assert question.check.run == "out = forward(x, mask, p)"


def test_a_code_question_without_listing_has_none(make_deck: MakeDeck) -> None:
    root = make_deck(listing_question(**{
        "    listing: |\n      def forward(x, mask, p):\n          y = x.copy()\n"
        "          【ア】\n          return y\n": "",
        "      run: out = forward(x, mask, p)\n": "",
        '"y = y * mask / (1 - p)"': '"out = x * mask / (1 - p)"',
    }))
    question = load_content(root).deck("t").questions[0]
    assert question.listing is None
    assert question.check is not None and question.check.run is None


def test_a_listing_must_be_text(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(listing_question(**{
        "    listing: |\n      def forward(x, mask, p):\n          y = x.copy()\n"
        "          【ア】\n          return y\n": "    listing: [1, 2]\n"})))
    assert problem.line == 6
    assert "question 'q-listing': 'listing' must be text" in problem.message


def test_a_listing_needs_the_blank(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(listing_question(**{"      【ア】\n": "      pass\n"})))
    assert problem.line == 6
    assert "'listing' has no blank" in problem.message
    assert "【ア】" in problem.message


def test_a_listing_has_one_blank_only(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(listing_question(
        **{"      return y\n": "      【ア】\n      return y\n"})))
    assert "'listing' has 2 blanks 【ア】; a listing has exactly one" in problem.message


def test_the_blank_stands_on_a_line_of_its_own(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(listing_question(
        **{"          【ア】\n": "          y = 【ア】\n"})))
    assert "the blank 【ア】 stands on a line of its own" in problem.message


def test_a_listing_has_at_least_four_lines(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(listing_question(
        **{"          return y\n": ""})))
    assert "'listing' has 3 lines; a listing has at least 4" in problem.message


def test_a_listing_belongs_to_code_questions_only(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck("""\
        questions:
          - id: q1
            type: choice
            keywords: [norm]
            prompt: L1ノルムは?
            listing: "a\\nb\\n【ア】\\nc"
            choices: [絶対値の和, 二乗和, 最大値, 個数]
            answer: 0
            explanation: 定義どおり。
        """))
    assert problem.line == 6
    assert "field 'listing' is not used by choice questions (only by code)" in problem.message


def test_latex_is_not_refused_inside_a_listing(make_deck: MakeDeck) -> None:
    root = make_deck(listing_question(**{"          y = x.copy()\n":
                                         "          y = x.copy()  # \\lambda\n"}))
    assert validate_content(root)[1] == []


def test_run_must_be_text(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(listing_question(
        **{"      run: out = forward(x, mask, p)\n": "      run: 3\n"})))
    assert "check: 'run' must be text" in problem.message


def test_run_needs_a_listing(make_deck: MakeDeck) -> None:
    root = make_deck(listing_question(**{
        "    listing: |\n      def forward(x, mask, p):\n          y = x.copy()\n"
        "          【ア】\n          return y\n": "",
        '"y = y * mask / (1 - p)"': '"out = x * mask / (1 - p)"',
    }))
    problem = only_problem(root)
    assert problem.line == 14
    assert "check: 'run' is only used with a 'listing'" in problem.message


def test_run_assigns_out(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(listing_question(
        **{"      run: out = forward(x, mask, p)\n": "      run: result = forward(x, mask, p)\n"})))
    assert "check: 'run' must assign out" in problem.message


def test_run_must_be_python(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(listing_question(
        **{"      run: out = forward(x, mask, p)\n": "      run: out = forward(x,\n"})))
    assert "check: 'run' is not valid Python" in problem.message


def test_the_listing_with_the_answer_must_be_python(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(listing_question(
        **{'"y = y * mask / (1 - p)"': '"y = y * mask / (1 - p"'})))
    assert "the listing with the answer's snippet in the blank is not valid Python" in (
        problem.message)


def test_given_is_optional_with_a_listing(make_deck: MakeDeck) -> None:
    root = make_deck(listing_question(
        **{"      given: {x: [1.0, 2.0], mask: [1, 0], p: 0.5}\n": "",
           "      run: out = forward(x, mask, p)\n":
           "      run: out = forward(np.array([1.0, 2.0]), np.array([1, 0]), 0.5)\n"}))
    question = load_content(root).deck("t").questions[0]
    assert question.check is not None and dict(question.check.given) == {}


# -- terms: the deck's glossary --------------------------------------------------------
TERMS = """\
terms:
  - {term: ソフト閾値処理, variants: [軟閾値処理, 軟閾値]}
  - {term: 罰則, variants: [罰]}
"""


def test_terms_load(make_deck: MakeDeck) -> None:
    deck = load_content(make_deck(deck=DECK_YAML + TERMS)).deck("t")
    assert [(t.term, t.variants) for t in deck.terms] == [
        ("ソフト閾値処理", ("軟閾値処理", "軟閾値")), ("罰則", ("罰",))]


def test_a_deck_without_terms_has_none(make_deck: MakeDeck) -> None:
    assert load_content(make_deck()).deck("t").terms == ()


def test_terms_must_be_a_list(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(deck=DECK_YAML + "terms: {a: b}\n"))
    assert problem.line == 7
    assert "deck: 'terms' must be a list of {term, variants}" in problem.message


def test_a_term_has_known_fields(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(deck=DECK_YAML + textwrap.dedent("""\
        terms:
          - {term: 罰則, variant: [罰]}
        """)))
    assert problem.line == 8
    assert "unknown field 'variant' (did you mean 'variants'?)" in problem.message


def test_variants_are_a_list_of_text(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(deck=DECK_YAML + textwrap.dedent("""\
        terms:
          - {term: 罰則, variants: 罰}
        """)))
    assert problem.line == 8
    assert "'variants' must be a non-empty list of text" in problem.message


def test_a_term_is_text(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(deck=DECK_YAML + textwrap.dedent("""\
        terms:
          - {term: 12, variants: [罰]}
        """)))
    assert "'term' must be text, got the number 12" in problem.message


def problems_of(root: Path) -> list[str]:
    """``str`` of every problem, with the file as ``FILE:LINE``, relative names only."""
    return [f"{p.file.name}:{p.line}: {p.message}" for p in validate_content(root)[1]]


def test_a_variant_in_prose_is_flagged_at_its_line(make_deck: MakeDeck) -> None:
    root = make_deck("""\
        cards:
          - id: c1
            keywords: [lasso]
            front: 軟閾値処理とは?
            back: ソフト閾値処理は小さい係数を 0 にする。
        """, deck=DECK_YAML + TERMS)
    assert problems_of(root) == [
        "items.yaml:4: card 'c1': 'front': 「軟閾値処理」 is a variant of the deck's term "
        "「ソフト閾値処理」"]


def test_a_variant_inside_the_term_is_fine(make_deck: MakeDeck) -> None:
    root = make_deck("""\
        cards:
          - id: c1
            keywords: [lasso]
            front: 罰則項の係数は?
            back: λ。罰則が強いほど係数は小さい。
        """, deck=DECK_YAML + TERMS)
    assert problems_of(root) == []


def test_a_variant_alone_beside_the_term_is_flagged(make_deck: MakeDeck) -> None:
    root = make_deck("""\
        cards:
          - id: c1
            keywords: [lasso]
            front: 罰則項の係数は?
            back: λ。罰が強いほど係数は小さい。
        """, deck=DECK_YAML + TERMS)
    assert problems_of(root) == [
        "items.yaml:5: card 'c1': 'back': 「罰」 is a variant of the deck's term 「罰則」"]


def test_a_longer_variant_is_flagged_once(make_deck: MakeDeck) -> None:
    # 軟閾値 lies inside 軟閾値処理: one occurrence, one problem
    root = make_deck("""\
        cards:
          - id: c1
            keywords: [lasso]
            front: 軟閾値処理とは?
            back: 小さい係数を 0 にする。
        """, deck=DECK_YAML + TERMS)
    assert len(problems_of(root)) == 1


def test_every_occurrence_is_flagged_at_its_line_in_a_block(make_deck: MakeDeck) -> None:
    root = make_deck("""\
        questions:
          - id: q1
            type: choice
            keywords: [lasso]
            prompt: ラッソ回帰の解で 0 になる係数は?
            choices:
              - 小さい係数
              - {text: 大きい係数, why: 軟閾値は大きい係数を 0 にしない。}
              - {text: 負の係数, why: 符号は関係しない。}
              - {text: どれも 0 にならない, why: L1 の罰で 0 になる。}
            answer: 0
            explanation: >-
              ソフト閾値処理により |z| ≤ t の係数が 0 になる。
              軟閾値の t は λ に比例する。
              罰則が強いほど 0 が増える。軟閾値処理は
              座標降下法の 1 ステップ。
        """, deck=DECK_YAML + TERMS)
    assert problems_of(root) == [
        "items.yaml:8: question 'q1': choices[1]: 'why': 「軟閾値」 is a variant of the "
        "deck's term 「ソフト閾値処理」",
        "items.yaml:10: question 'q1': choices[3]: 'why': 「罰」 is a variant of the "
        "deck's term 「罰則」",
        "items.yaml:14: question 'q1': 'explanation': 「軟閾値」 is a variant of the "
        "deck's term 「ソフト閾値処理」",
        "items.yaml:15: question 'q1': 'explanation': 「軟閾値処理」 is a variant of the "
        "deck's term 「ソフト閾値処理」",
    ]


def test_option_texts_of_choice_questions_are_prose(make_deck: MakeDeck) -> None:
    root = make_deck("""\
        questions:
          - id: q1
            type: multi
            keywords: [lasso]
            prompt: 正しいものをすべて選べ。
            choices:
              - 係数を 0 にできる
              - 軟閾値で更新する
              - 常に解析解がある
            answer: [0]
            explanation: L1 正則化は係数を 0 にできる。
        """, deck=DECK_YAML + TERMS)
    assert problems_of(root) == [
        "items.yaml:8: question 'q1': choices[1]: 「軟閾値」 is a variant of the deck's term "
        "「ソフト閾値処理」"]


def test_code_listing_tex_and_ids_are_not_prose(make_deck: MakeDeck) -> None:
    deck = DECK_YAML + TERMS + "  - {term: NumPy, variants: [numpy]}\n"
    items = LISTING_QUESTION.replace("          y = x.copy()\n",
                                     "          y = x.copy()  # numpy\n")
    items = items.replace('"y = y * mask / (1 - p)"', '"y = y * mask / (1 - p)  # numpy"')
    items = items.replace("    prompt: 【ア】に入る処理はどれか。\n",
                          "    prompt: 【ア】に入る処理はどれか。\n    tex: \\text{numpy}\n")
    assert problems_of(make_deck(items, deck=deck)) == []


def test_matching_is_case_sensitive(make_deck: MakeDeck) -> None:
    deck = DECK_YAML + "terms:\n  - {term: NumPy, variants: [numpy, Numpy]}\n"
    root = make_deck("""\
        cards:
          - id: c1
            keywords: [norm]
            front: NUMPY でノルムを求める関数は?
            back: np.linalg.norm (numpy)
        """, deck=deck)
    assert problems_of(root) == [
        "items.yaml:5: card 'c1': 'back': 「numpy」 is a variant of the deck's term 「NumPy」"]


def test_a_cloze_is_prose(make_deck: MakeDeck) -> None:
    root = make_deck("""\
        cards:
          - id: c1
            keywords: [lasso]
            cloze: |
              ラッソ回帰の解は
              {{c1::軟閾値処理}} で求まる。
        """, deck=DECK_YAML + TERMS)
    assert problems_of(root) == [
        "items.yaml:6: card 'c1': 'cloze': 「軟閾値処理」 is a variant of the deck's term "
        "「ソフト閾値処理」"]


# -- position words ------------------------------------------------------------------------
CHOICE = """\
questions:
  - id: q1
    type: choice
    keywords: [norm]
    prompt: L1ノルムの定義は?
    choices:
      - 絶対値の和
      - {text: 二乗和, why: それは L2 ノルムの二乗。}
      - {text: 最大値, why: それは L∞ ノルム。}
      - {text: 非零の個数, why: それは L0「ノルム」。}
    answer: 0
    explanation: 各成分の絶対値を足す。
"""


def test_a_clean_choice_question_passes(make_deck: MakeDeck) -> None:
    assert problems_of(make_deck(CHOICE)) == []


def test_position_words_in_the_explanation_are_refused(make_deck: MakeDeck) -> None:
    for words in ("2つ目", "２つ目", "三つ目", "最初の選択肢", "最後の選択肢", "上から3番目",
                  "下から二つ目", "選択肢1"):
        root = make_deck(CHOICE.replace("各成分の絶対値を足す。",
                                        f"{words}が正しい。各成分の絶対値を足す。"))
        assert problems_of(root) == [
            f"items.yaml:12: question 'q1': explanation points at an option by its position "
            f"(「{words}」); options are shuffled for every attempt: name the option's content"]


def test_position_words_in_a_why_are_refused(make_deck: MakeDeck) -> None:
    root = make_deck(CHOICE.replace("それは L∞ ノルム。", "最初の選択肢と違い L∞ ノルム。"))
    assert problems_of(root) == [
        "items.yaml:9: question 'q1': choices[2]: 'why' points at an option by its position "
        "(「最初の選択肢」); options are shuffled for every attempt: name the option's content"]


def test_position_words_in_the_prompt_are_not_checked(make_deck: MakeDeck) -> None:
    # the prompt may say "2つ目の式" of a formula it shows; only explanations and whys
    # talk about the options
    root = make_deck(CHOICE.replace("L1ノルムの定義は?", "2つ目の式の名前は?"))
    assert problems_of(root) == []


# -- strict ----------------------------------------------------------------------------------
def test_strict_problems_leave_the_card_in_the_deck(make_deck: MakeDeck) -> None:
    root = make_deck("""\
        cards:
          - id: c1
            keywords: [norm]
            cloze: L1ノルムは{{c1::各成分の絶対値を全部足し合わせたもの重みを疎にする}}。
        """)
    assert validate_content(root)[1] == []
    library, problems = validate_content(root, strict=True)
    assert [(p.line, p.message) for p in problems] == [
        (4, "card 'c1': cloze gap c1 is 25 characters; at most 20 can be recalled word for "
            "word")]
    assert [c.id for c in library.deck("t").cards] == ["c1"]


def test_a_deck_knows_the_lines_of_its_id_and_keywords(make_deck: MakeDeck) -> None:
    deck = load_content(make_deck(deck="title: テスト\n" + DECK_YAML.replace(
        "title: テスト\n", ""))).deck("t")
    assert deck.line == 2
    assert [k.line for k in deck.keywords] == [4, 5, 6]
