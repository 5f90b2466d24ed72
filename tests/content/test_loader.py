"""Loading a valid deck into models, and the problems the schema checks find."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from studyapp.content import (
    Card,
    ContentError,
    Option,
    Question,
    load_content,
    validate_content,
)
from studyapp.content import cloze as cloze_gaps
from studyapp.errors import UserError
from tests.content.conftest import MakeDeck, only_problem

GOOD = Path(__file__).parent / "fixtures" / "good"


# --------------------------------------------------------------------- the good fixture


@pytest.fixture(scope="module")
def mini():
    return load_content(GOOD).deck("mini")


def test_deck_header_and_keywords(mini) -> None:
    assert mini.title == "ミニデッキ"
    assert mini.title_en == "Mini deck"
    assert mini.description == "テスト用の小さなデッキ。"
    assert mini.path == GOOD / "mini"
    assert [k.id for k in mini.keywords] == ["norm", "dropout", "lasso"]
    assert mini.keyword("norm").description == "ベクトルの大きさ"
    # a comma inside a quoted flow value stays in the value
    assert mini.keyword("lasso").en == "Lasso regression (L1, linear)"


def test_cards_keep_fields_order_and_source(mini) -> None:
    assert [c.id for c in mini.cards] == ["norm-l1-def", "dropout-cloze", "norm-unicode"]
    card = mini.item("norm-l1-def")
    assert isinstance(card, Card)
    assert card.keywords == ("norm",)
    assert card.tags == ("定義",)
    assert card.source.file == GOOD / "mini" / "cards.yaml"
    assert card.source.line == 2
    assert card.formula == "‖x‖₁ = ∑ᵢ₌₁ⁿ |xᵢ|"
    assert not card.is_cloze


def test_cloze_card(mini) -> None:
    card = mini.item("dropout-cloze")
    assert card.is_cloze and card.front is None
    assert card.back == "推論時には何もしない。"
    assert [g.answer for g in cloze_gaps.parse(card.cloze)] == ["1/(1−p)", "inverted dropout"]
    assert "［倍率］" in cloze_gaps.mask(card.cloze)


def test_unicode_field_overrides_converter(mini) -> None:
    assert mini.item("norm-unicode").formula == "‖x‖₂² = Σxᵢ²"


def test_choice_question(mini) -> None:
    q = mini.item("norm-choice")
    assert isinstance(q, Question)
    assert q.type == "choice"
    assert q.answer == 2
    assert q.choices[2] == Option("7", None)
    assert q.choices[1] == Option("5", "L2 ノルム。")
    assert q.correct_indices() == frozenset({2})
    with pytest.raises(ValueError):
        q.numeric_answer()


def test_multi_answer_sorted(mini) -> None:
    q = mini.item("norm-multi")
    assert q.answer == (0, 1)
    assert q.correct_indices() == frozenset({0, 1})


def test_truefalse(mini) -> None:
    assert mini.item("dropout-tf").answer is False


def test_numeric_answer_comes_from_engine(mini) -> None:
    q = mini.item("norm-numeric")
    assert q.numeric_answer() == pytest.approx(5.0)
    assert q.decimals == 1
    assert q.tolerance == pytest.approx(0.05)
    assert q.compute.fn == "l2_norm"
    assert q.accepts(5.04) and not q.accepts(5.1)
    assert q.answer_text() == "5"
    assert q.formula == "‖x‖₂ = √(x₁² + x₂²)"
    wrong = q.misconception_for(7)
    assert wrong is not None and wrong.why == "それは L1 ノルム。"
    assert wrong.compute is not None and wrong.value == pytest.approx(7.0)
    assert q.misconception_for(25).why.startswith("平方根")
    assert q.misconception_for(6) is None


def test_vector_numeric_answer(mini) -> None:
    q = mini.item("lasso-numeric-vector")
    assert q.numeric_answer() == pytest.approx([2.0, 0.0])
    assert q.accepts([2.0, 0.001]) and not q.accepts(2.0) and not q.accepts([2.0])
    assert q.answer_text() == "[2, 0]"
    assert q.tolerance == pytest.approx(0.005)  # the default: half of the 2nd decimal


def test_code_question_check(mini) -> None:
    q = mini.item("dropout-code")
    assert q.check is not None
    assert q.check.given["p"] == 0.25
    assert q.check.expect.fn == "dropout_apply"
    assert q.choices[0].why is None and q.choices[1].why


def test_library_counts_and_lookup() -> None:
    library = load_content(GOOD)
    assert (library.card_count, library.question_count, library.keyword_count) == (3, 6, 3)
    with pytest.raises(KeyError):
        library.deck("nope")


def test_folder_with_deck_yaml_is_a_single_deck_root() -> None:
    assert [d.id for d in load_content(GOOD / "mini").decks] == ["mini"]


def test_default_root_is_the_bundled_content() -> None:
    from studyapp.paths import bundled_content_dir

    library, _ = validate_content()
    assert library.root == bundled_content_dir()


# ------------------------------------------------------------------------ folder level


def test_missing_root_is_one_problem(tmp_path: Path) -> None:
    problem = only_problem(tmp_path / "nope")
    assert problem.file == tmp_path / "nope" and problem.line is None
    assert "does not exist" in problem.message


def test_empty_root_has_no_decks(tmp_path: Path) -> None:
    assert "no decks" in only_problem(tmp_path).message


def test_yaml_folder_without_deck_yaml(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "cards.yaml").write_text("cards: []\n", encoding="utf-8")
    problem = only_problem(tmp_path)
    assert problem.file == tmp_path / "d" and "no deck.yaml" in problem.message


def test_yml_file_is_reported(make_deck: MakeDeck) -> None:
    root = make_deck("cards: []\n", name="cards.yml")
    assert "rename it cards.yaml" in only_problem(root).message


def test_duplicate_deck_id_across_folders(make_deck: MakeDeck) -> None:
    root = make_deck()
    other = root / "u"
    other.mkdir()
    (other / "deck.yaml").write_text((root / "t" / "deck.yaml").read_text("utf-8"), "utf-8")
    _, problems = validate_content(root)
    assert len(problems) == 1 and "duplicate deck id" in problems[0].message


def test_content_error_is_a_user_error_with_exit_2(make_deck: MakeDeck) -> None:
    root = make_deck("cards: [1, 2]\n")
    with pytest.raises(ContentError) as caught:
        load_content(root)
    error = caught.value
    assert isinstance(error, UserError) and error.exit_code == 2
    assert len(error.problems) == 2
    assert "and 1 more problem" in error.message and "studyapp validate" in error.message
    assert str(error).count("\n") == 1


def test_problem_path_is_relative_to_cwd(make_deck: MakeDeck, monkeypatch) -> None:
    root = make_deck("cards: 3\n")
    monkeypatch.chdir(root)
    assert str(only_problem(root)).startswith(f"t{os.sep}items.yaml:1: ")


# ------------------------------------------------------------------------------- YAML


def test_empty_item_file_is_fine(make_deck: MakeDeck) -> None:
    _, problems = validate_content(make_deck("# nothing yet\n"))
    assert problems == []


def test_several_documents_are_refused(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck("cards: []\n---\nquestions: []\n"))
    assert "YAML syntax error" in problem.message and problem.line == 2


def test_tabs_hint(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck("cards:\n\t- id: a\n"))
    assert "not tabs" in problem.message and problem.line == 2


def test_value_starting_with_bar_hint(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck("""\
        cards:
          - id: a
            keywords: [norm]
            front: |w| は?
            back: 絶対値
        """))
    assert "must be put in quotes" in problem.message


def test_not_utf8(make_deck: MakeDeck) -> None:
    root = make_deck()
    (root / "t" / "bad.yaml").write_bytes("cards: [ノルム]\n".encode("shift_jis"))
    problem = only_problem(root)
    assert "not UTF-8" in problem.message and problem.line is None


def test_merge_keys_are_refused(make_deck: MakeDeck) -> None:
    _, problems = validate_content(make_deck("""\
        cards:
          - id: a
            <<: {keywords: [norm], back: b}
            front: f
        """))
    assert any(p.line == 3 and "merge keys '<<' are not supported" in p.message
               for p in problems)


def test_recursive_alias_does_not_hang(make_deck: MakeDeck) -> None:
    _, problems = validate_content(make_deck("cards: &a [*a]\n"))
    assert any("recursive alias" in p.message for p in problems)


def test_python_tags_are_refused(make_deck: MakeDeck) -> None:
    _, problems = validate_content(make_deck("cards: [!!python/name:os.system x]\n"))
    assert any("unsupported YAML tag" in p.message for p in problems)


def test_flow_mapping_comma_hint(make_deck: MakeDeck) -> None:
    deck = "id: t\ntitle: T\nkeywords:\n  - {id: norm, name: ノルム, en: norm (L1, L2)}\n"
    problem = only_problem(make_deck(deck=deck))
    assert problem.line == 4
    assert "unknown field 'L2)'" in problem.message and "put a value that holds a comma" in (
        problem.message)


# ------------------------------------------------------------------------ item schema


CARD = textwrap.dedent("""\
    cards:
      - id: a
        keywords: [norm]
        front: f
        back: b
""")


def test_valid_card_baseline(make_deck: MakeDeck) -> None:
    assert validate_content(make_deck(CARD))[1] == []


@pytest.mark.parametrize(
    ("replace", "by", "line", "fragment"),
    [
        ("id: a", "id: A_b", 2, "lowercase letters, digits and hyphens"),
        ("front: f", "front: 3", 4, "'front' must be text, got the number 3 (put it in quotes)"),
        ("front: f", "front: '  '", 4, "'front' is empty"),
        ("keywords: [norm]", "keywords: []", 3, "non-empty list of keyword ids"),
        ("keywords: [norm]", "keywords: [norm, norm]", 3, "keyword 'norm' is listed twice"),
        ("keywords: [norm]", "keywords: [3]", 3, "keywords[0] must be a keyword id"),
        ("back: b", "back: b\n    tags: 定義", 6, "'tags' must be a list of text"),
        ("back: b", "back: b\n    tex: '\\frac{1}{2'", 6, "unbalanced braces"),
        ("back: b", "back: b\n    tex: '\\foo x'", 6, "unknown command \\foo"),
        ("back: b", "back: b\n    tex: '$x$'", 6, "'$' signs"),
        ("back: b", "back: b\n    unicode: '\\lambda'", 6, "LaTeX command \\lambda"),
        ("back: b", "back: b\n    tags: ['\\alpha']", 6, "tags[0] contains the LaTeX command"),
        ("front: f", "front: f\n    cloze: 'x {{c1::y}}'", 4, "a cloze card has no 'front'"),
    ],
)
def test_card_field_problems(
    make_deck: MakeDeck, replace: str, by: str, line: int, fragment: str
) -> None:
    problem = only_problem(make_deck(CARD.replace(replace, by)))
    assert problem.line == line
    assert fragment in problem.message
    assert problem.message.startswith("card ")


def test_card_needs_front_and_back_unless_cloze(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck(CARD.replace("    back: b\n", "")))
    assert "missing required field 'back'" in problem.message and problem.line == 2
    cloze = "cards:\n  - {id: c, keywords: [norm], cloze: 'L1 は {{c1::スパース}}'}\n"
    assert validate_content(make_deck(cloze))[1] == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("gaps nowhere", "no cloze gap"),
        ("an {{c1::}} gap", "empty answer"),
        ("an {{c0::x}} gap", "numbers start at c1"),
        ("an {{c1::x} gap", "unbalanced"),
    ],
)
def test_cloze_problems(make_deck: MakeDeck, text: str, fragment: str) -> None:
    problem = only_problem(make_deck(f"cards:\n  - {{id: c, keywords: [norm], cloze: '{text}'}}\n"))
    assert fragment in problem.message and problem.line == 2


def test_item_that_is_not_a_mapping(make_deck: MakeDeck) -> None:
    problem = only_problem(make_deck("cards:\n  - just text\n"))
    assert problem.line == 2 and problem.message.startswith("card #1: expected a mapping")


def test_top_level_must_be_mapping_and_keys_known(make_deck: MakeDeck) -> None:
    assert "must be a mapping" in only_problem(make_deck("- a\n- b\n")).message
    problem = only_problem(make_deck("card: []\n"))
    assert "unknown field 'card' (did you mean 'cards'?)" in problem.message


def test_every_problem_is_collected(make_deck: MakeDeck) -> None:
    _, problems = validate_content(make_deck("""\
        cards:
          - id: a
            keywords: [nrom]
            front: '\\lambda'
            back: 3
          - id: a
            keywords: [norm]
            front: f
            back: b
        """))
    assert [p.line for p in problems] == [3, 4, 5, 6]


def test_broken_deck_yaml_still_checks_items(make_deck: MakeDeck) -> None:
    root = make_deck(CARD.replace("front: f", "fron: f"), deck="id: t\ntitle: [\n")
    _, problems = validate_content(root)
    assert [p.file.name for p in problems] == ["deck.yaml", "items.yaml"]
    assert "did you mean 'front'" in problems[1].message


QUESTION = textwrap.dedent("""\
    questions:
      - id: q
        type: choice
        keywords: [norm]
        prompt: p
        choices: [a, b, c, d]
        answer: 1
        explanation: e
""")


@pytest.mark.parametrize(
    ("replace", "by", "line", "fragment"),
    [
        ("type: choice", "type: choise", 3, "did you mean 'choice'?"),
        ("answer: 1", "answer: '1'", 7, "must be the 0-based index"),
        ("answer: 1", "answer: true", 7, "must be the 0-based index"),
        ("answer: 1", "answer: -1", 7, "out of range"),
        ("choices: [a, b, c, d]", "choices: [a, b, c]", 6, "exactly 4 choices, got 3"),
        ("choices: [a, b, c, d]", "choices: [a, b, c, a]", 6, "choices[3] repeats choices[0]"),
        ("choices: [a, b, c, d]", "choices: [a, b, c, {txt: d}]", 6,
         "unknown field 'txt' (did you mean 'text'?)"),
        ("choices: [a, b, c, d]", "choices: [a, b, c, 4]", 6, "must be text or {text, why}"),
        ("choices: [a, b, c, d]", "choices: [a, b, c, '\\sqrt 2']", 6, "LaTeX command \\sqrt"),
        ("explanation: e", "explanation: e\n    compute: {fn: l1_norm, args: {x: [1]}}", 9,
         "field 'compute' is not used by choice questions (only by numeric)"),
        ("explanation: e", "explanation: e\n    tolerence: 1", 9,
         "unknown field 'tolerence' (did you mean 'tolerance'? that field is not used by "
         "choice questions (only by numeric))"),
    ],
)
def test_choice_question_problems(
    make_deck: MakeDeck, replace: str, by: str, line: int, fragment: str
) -> None:
    assert validate_content(make_deck(QUESTION))[1] == []
    problem = only_problem(make_deck(QUESTION.replace(replace, by)))
    assert problem.line == line
    assert fragment in problem.message
    assert problem.message.startswith("question 'q'")


MULTI = QUESTION.replace("type: choice", "type: multi")


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("1", "non-empty list"),
        ("[]", "non-empty list"),
        ("[0, 0]", "lists an index twice"),
        ("[0, 4]", "answer 4 is out of range"),
    ],
)
def test_multi_answers(make_deck: MakeDeck, answer: str, fragment: str) -> None:
    assert validate_content(make_deck(MULTI.replace("answer: 1", "answer: [0, 2]")))[1] == []
    problem = only_problem(make_deck(MULTI.replace("answer: 1", f"answer: {answer}")))
    assert fragment in problem.message


def test_multi_choice_counts(make_deck: MakeDeck) -> None:
    seven = MULTI.replace("[a, b, c, d]", "[a, b, c, d, e, f, g]")
    seven = seven.replace("answer: 1", "answer: [1]")
    assert "3 to 6 choices, got 7" in only_problem(make_deck(seven)).message


def test_truefalse_answer_must_be_bool(make_deck: MakeDeck) -> None:
    tf = QUESTION.replace("type: choice", "type: truefalse").replace(
        "    choices: [a, b, c, d]\n", "")
    problem = only_problem(make_deck(tf))
    assert "must be true or false, got the number 1" in problem.message
    assert validate_content(make_deck(tf.replace("answer: 1", "answer: yes")))[1] == []


NUMERIC = textwrap.dedent("""\
    questions:
      - id: n
        type: numeric
        keywords: [norm]
        prompt: p
        compute: {fn: norm, args: {x: [3, -4], p: inf}}
        explanation: e
""")


def test_numeric_baseline_and_inf(make_deck: MakeDeck) -> None:
    library, problems = validate_content(make_deck(NUMERIC))
    assert problems == []
    q = library.deck("t").item("n")
    assert q.numeric_answer() == 4.0
    assert q.decimals == 2 and q.answer is None


@pytest.mark.parametrize(
    ("add", "line", "fragment"),
    [
        ("answer: 4.004", None, None),
        ("answer: 4.01", 8,
         "answer 4.01 disagrees with the engine: norm gives 4 (tolerance 0.005)"),
        ("answer: [4, 1]", 8, "answer [4, 1] disagrees"),
        ("answer: four", 8, "'answer' must be a number or a list of numbers"),
        ("tolerance: 0.02\n    answer: 4.01", None, None),
        ("tolerance: 0", 8, "'tolerance' must be a finite number > 0"),
        ("tolerance: .nan", 8, "'tolerance' must be a finite number > 0"),
        ("tolerance: .inf", 8, "'tolerance' must be a finite number > 0"),
        ("decimals: 7", 8, "'decimals' must be from 0 to 6, got 7"),
        ("decimals: 0\n    answer: 4.4", None, None),
        ("decimals: 1.5", 8, "'decimals' must be a whole number"),
        ("misconceptions: [{value: 7, why: L1}]", None, None),
        ("misconceptions: [{value: 4, why: same}]", 8, "equals the right answer 4"),
        ("misconceptions: [{value: [1, 2], why: shape}]", 8, "can never match"),
        ("misconceptions: [{value: 7}]", 8, "missing required field 'why'"),
        ("misconceptions: [{value: 7, compute: {fn: l1_norm, args: {x: [7]}}, why: w}]", 8,
         "exactly one of 'value' and 'compute'"),
        ("misconceptions: [{compute: {fn: l1_nrom, args: {x: [7]}}, why: w}]", 8,
         "did you mean 'l1_norm'?"),
        ("check: {}", 8, "field 'check' is not used by numeric questions (only by code)"),
    ],
)
def test_numeric_problems(
    make_deck: MakeDeck, add: str, line: int | None, fragment: str | None
) -> None:
    root = make_deck(NUMERIC + f"    {add}\n")
    _, problems = validate_content(root)
    if fragment is None:
        assert problems == []
        return
    assert len(problems) == 1, problems
    assert problems[0].line == line
    assert fragment in problems[0].message


@pytest.mark.parametrize(
    ("compute", "fragment"),
    [
        ("{fn: norm}", "missing required field 'args'"),
        ("{fn: 3, args: {}}", "'fn' must be a function name"),
        ("{fn: norm, args: [1]}", "'args' must be a mapping"),
        ("norm", "must be a mapping {fn: NAME, args: {...}}"),
        ("{fn: norm, args: {x: [3, -4], p: 0.5}}", "the engine refused the arguments: p:"),
        ("{fn: norm, args: {x: [3, -4]}}", "missing argument 'p'"),
        ("{fn: norm, args: {x: [3, -4], p: 2, q: 1}}", "unknown argument 'q'"),
        ("{fn: norm, args: {x: [a, b], p: 2}}", "argument 'x': expected a number, a list"),
        ("{fn: \"__import__('os')\", args: {}}", "unknown compute function"),
    ],
)
def test_compute_problems(make_deck: MakeDeck, compute: str, fragment: str) -> None:
    root = make_deck(NUMERIC.replace("{fn: norm, args: {x: [3, -4], p: inf}}", compute))
    problem = only_problem(root)
    assert fragment in problem.message
    assert problem.line == 6


CODE = textwrap.dedent("""\
    questions:
      - id: c
        type: code
        keywords: [dropout]
        prompt: p
        choices: ["out = x", "out = 2 * x", "out = -x", "out = x * x"]
        answer: 0
        check:
          given: {x: [1, 2]}
          expect: {fn: dropout_apply, args: {x: [1, 2], mask: [1, 1], p: 0.5, train: false}}
        explanation: e
""")


def test_code_question_snippets_are_exempt_from_latex_check(make_deck: MakeDeck) -> None:
    with_backslash = CODE.replace('"out = x * x"', '"out = x \\\\\n  * x"')
    assert validate_content(make_deck(with_backslash))[1] == []


@pytest.mark.parametrize(
    ("replace", "by", "fragment"),
    [
        ("    check:\n      given: {x: [1, 2]}\n      expect: {fn: dropout_apply, args: {x: [1, "
         "2], mask: [1, 1], p: 0.5, train: false}}\n", "", "missing required field 'check'"),
        ("given: {x: [1, 2]}", "given: {np: 1}", "Python identifier other than np and out"),
        ("given: {x: [1, 2]}", "given: [1]", "'given' must be a mapping"),
        ("mask: [1, 1]", "mask: [1, 1, 1]", "the engine refused the arguments: mask"),
        ("expect: {fn: dropout_apply", "expect: {fn: dropout", "did you mean 'dropout_apply'?"),
    ],
)
def test_code_check_problems(make_deck: MakeDeck, replace: str, by: str, fragment: str) -> None:
    assert validate_content(make_deck(CODE))[1] == []
    assert replace in CODE
    problem = only_problem(make_deck(CODE.replace(replace, by)))
    assert fragment in problem.message


def test_deferred_loading_imports_no_numpy_and_computes_the_same_values() -> None:
    """The app loads decks without evaluating; values computed later equal the eager ones."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from studyapp.content import validate_content\n"
        "lib, problems = validate_content(evaluate=False)\n"
        "assert not problems, problems\n"
        "print('numpy' in sys.modules, 'engine' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.split() == ["False", "False"]

    from studyapp.content import validate_content

    eager, _ = validate_content()
    lazy, _ = validate_content(evaluate=False)
    pairs = zip(eager.decks[0].questions, lazy.decks[0].questions, strict=True)
    for e, z in pairs:
        assert e.id == z.id
        if e.type == "numeric":
            assert z.computed is None or z.computed == e.computed
            assert z.numeric_answer() == e.numeric_answer()
            assert [m.resolved() for m in z.misconceptions] == [m.value for m in e.misconceptions]


def test_a_deferred_value_is_computed_once_and_the_models_stay_as_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # frozen models: the value computed on first use is kept beside them, never written
    # into their fields, and a copy made with replace() computes its own
    from dataclasses import replace

    from studyapp.content import compute

    calls: list[str] = []
    real = compute.evaluate

    def counting(fn: str, args: object) -> object:
        calls.append(fn)
        return real(fn, args)  # type: ignore[arg-type]

    lazy, _ = validate_content(evaluate=False)
    question = next(q for q in lazy.decks[0].questions
                    if q.type == "numeric" and any(m.compute for m in q.misconceptions))
    misconception = next(m for m in question.misconceptions if m.compute)
    monkeypatch.setattr(compute, "evaluate", counting)
    first = question.numeric_answer()
    assert question.numeric_answer() == first and len(calls) == 1
    assert question.computed is None  # the field is as the loader made it
    wrong = misconception.resolved()
    assert misconception.resolved() == wrong and len(calls) == 2
    assert misconception.value is None
    assert question.compute is not None
    copy = replace(question, compute=replace(question.compute))
    assert copy.numeric_answer() == first and len(calls) == 3
