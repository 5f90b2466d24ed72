"""``deck.yaml``'s ``skills:``: which problem generators train which of the deck's keywords."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.problems import KINDS
from studyapp.content import load_content, validate_content
from studyapp.content.generators import GENERATORS
from tests.content.conftest import DECK_YAML, MakeDeck, only_problem

ROOT = Path(__file__).resolve().parents[2]

CARD = """\
cards:
  - id: c1
    keywords: [norm]
    front: L1ノルムは?
    back: 絶対値の和
"""


def deck_with(skills: str) -> str:
    """``DECK_YAML`` (six lines: keywords norm, dropout, lasso) and a ``skills:`` block."""
    return DECK_YAML + textwrap.dedent(skills)


def test_the_generators_a_deck_may_name_are_the_engines() -> None:
    assert GENERATORS == KINDS


def test_skills_load_in_the_order_written(make_deck: MakeDeck) -> None:
    root = make_deck(CARD, deck=deck_with("""\
        skills:
          lasso: [lasso, norm]
          l1-norm: [norm]
          dropout: [dropout]
        """))
    deck = load_content(root).deck("t")
    assert deck.skills == {"lasso": ("lasso", "norm"), "l1-norm": ("norm",),
                           "dropout": ("dropout",)}
    assert list(deck.skills) == ["lasso", "l1-norm", "dropout"]


def test_a_deck_without_skills_has_none(make_deck: MakeDeck) -> None:
    assert load_content(make_deck(CARD)).deck("t").skills == {}


def test_an_unknown_generator_is_a_problem_at_its_line(make_deck: MakeDeck) -> None:
    root = make_deck(CARD, deck=deck_with("""\
        skills:
          l1-norm: [norm]
          l2norm: [norm]
        """))
    problem = only_problem(root)
    assert problem.file == root / "t" / "deck.yaml"
    assert problem.line == 9
    assert "unknown generator 'l2norm' (did you mean 'l2-norm'?)" in problem.message
    assert "known: l1-norm, l2-norm," in problem.message


def test_an_unknown_keyword_is_a_problem_at_its_line(make_deck: MakeDeck) -> None:
    root = make_deck(CARD, deck=deck_with("""\
        skills:
          lasso:
            - lasso
            - dropuot
        """))
    problem = only_problem(root)
    assert problem.line == 10
    assert problem.message == (
        "deck: skills: 'lasso': unknown keyword 'dropuot' (did you mean 'dropout'?); a skill "
        "trains keywords listed under 'keywords:'")


@pytest.mark.parametrize(("skills", "line", "expected"), [
    ("skills: [l1-norm]\n", 7,
     "deck: 'skills' must be a mapping of generator names to lists of keyword ids "
     "(l1-norm: [keyword, ...]), got a list of 1"),
    ("skills:\n  l1-norm: []\n", 8,
     "deck: skills: 'l1-norm' must be a non-empty list of keyword ids, got a list of 0"),
    ("skills:\n  l1-norm: norm\n", 8,
     "deck: skills: 'l1-norm' must be a non-empty list of keyword ids, got the text 'norm'"),
    ("skills:\n  l1-norm: [norm, 3]\n", 8,
     "deck: skills: 'l1-norm'[1] must be a keyword id, got the number 3"),
    ("skills:\n  l1-norm: [norm, norm]\n", 8,
     "deck: skills: 'l1-norm': keyword 'norm' is listed twice"),
])
def test_a_malformed_declaration_is_one_problem(
    make_deck: MakeDeck, skills: str, line: int, expected: str
) -> None:
    problem = only_problem(make_deck(CARD, deck=deck_with(skills)))
    assert (problem.line, problem.message) == (line, expected)


def test_a_deck_whose_skills_are_wrong_is_left_out_but_its_items_are_checked(
    make_deck: MakeDeck,
) -> None:
    root = make_deck(CARD.replace("[norm]", "[nrom]"), deck=deck_with("skills:\n  nope: [norm]\n"))
    library, problems = validate_content(root)
    assert library.decks == []
    assert [p.file.name for p in problems] == ["deck.yaml", "items.yaml"]
    assert "unknown generator 'nope'" in problems[0].message
    assert "unknown keyword 'nrom'" in problems[1].message


def test_with_the_keywords_broken_only_the_generators_are_checked(make_deck: MakeDeck) -> None:
    # which keywords exist is unknown, so no skill's keyword is reported: one problem only
    deck = "id: t\ntitle: テスト\nkeywords: 3\nskills:\n  l1-norm: [norm]\n"
    problem = only_problem(make_deck(None, deck=deck))
    assert "'keywords' must be a non-empty list" in problem.message


def test_checking_the_generators_imports_no_engine() -> None:
    # the app validates a changed deck without evaluating anything: numpy stays unloaded
    code = (
        "import sys\n"
        "from studyapp.content import validate_content\n"
        "library, problems = validate_content(evaluate=False)\n"
        "assert not problems, problems\n"
        "assert library.deck('regularization').skills\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'engine'))\n"
        "assert not heavy, heavy\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
