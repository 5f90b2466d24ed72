"""The bundled regularization deck: clean, complete, and every computed claim checked.

Code questions' snippets are run here (the app never runs content code): each runs with
``np`` and the ``check.given`` names bound, and exactly the answer option's ``out`` must
equal the engine's value of ``check.expect``. Listing fill-ins run in test_listings.py.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pytest

from engine.problems import KINDS
from studyapp.content import Card, Deck, Question, validate_content
from studyapp.content.compute import evaluate_raw
from studyapp.content.texmath import LATEX_COMMAND, render
from tests.content.snippets import matches, run_listing

DECK_ID = "regularization"
MIN_CARDS_PER_KEYWORD = 5
MIN_QUESTIONS_PER_KEYWORD = 6
MIN_BY_TYPE = {"choice": 40, "numeric": 12, "code": 8}
# The syllabus keywords the deck must teach (the syllabus section 深層モデルのための正則化).
REQUIRED_KEYWORDS = {
    "regularization-term", "l1-regularization", "lasso", "l2-regularization", "ridge", "norm",
    "weight-decay", "dropout", "dropconnect", "sparse-representation", "early-stopping",
}

# Loaded once at collection time (validate_content never raises), so that the per-item
# tests below are parametrized by item id; test_validates_clean reports the problems.
LIBRARY, PROBLEMS = validate_content()
DECKS = {deck.id: deck for deck in LIBRARY.decks}
_DECK: Deck | None = DECKS.get(DECK_ID)
QUESTIONS: list[Question] = list(_DECK.questions) if _DECK else []
CARDS: list[Card] = list(_DECK.cards) if _DECK else []
# Plain snippets only: a listing fill-in's choices run inside their listing, in
# test_listings.py.
CODE_QUESTIONS = [q for q in QUESTIONS if q.type == "code" and q.listing is None]


@pytest.fixture(scope="module")
def deck() -> Deck:
    if _DECK is None:
        pytest.fail("the regularization deck did not load:\n" + "\n".join(map(str, PROBLEMS)))
    return _DECK


def test_validates_clean() -> None:
    assert PROBLEMS == [], "\n".join(map(str, PROBLEMS))


def test_validates_clean_under_strict() -> None:
    """``studyapp validate --strict``: the keyed option is not strictly the longest in
    more than 30 % of the four-option questions, nor in more than half of any keyword's,
    and no cloze gap is longer than 20 characters."""
    _, problems = validate_content(strict=True)
    assert problems == [], "\n".join(map(str, problems))


def test_every_generator_is_a_skill_with_keywords_of_the_deck(deck: Deck) -> None:
    assert tuple(deck.skills) == KINDS
    keyword_ids = {k.id for k in deck.keywords}
    for keywords in deck.skills.values():
        assert keywords and set(keywords) <= keyword_ids


def test_keywords_include_the_syllabus(deck: Deck) -> None:
    missing = REQUIRED_KEYWORDS - {k.id for k in deck.keywords}
    assert not missing, missing


def test_every_keyword_meets_its_counts(deck: Deck) -> None:
    short = []
    for keyword in deck.keywords:
        cards = len(deck.cards_for(keyword.id))
        questions = len(deck.questions_for(keyword.id))
        if cards < MIN_CARDS_PER_KEYWORD or questions < MIN_QUESTIONS_PER_KEYWORD:
            short.append(f"{keyword.id}: {cards} cards, {questions} questions")
    assert not short, (
        f"each keyword needs >= {MIN_CARDS_PER_KEYWORD} cards and >= "
        f"{MIN_QUESTIONS_PER_KEYWORD} questions:\n" + "\n".join(short)
    )


def test_question_type_totals(deck: Deck) -> None:
    counts = Counter(q.type for q in deck.questions)
    for qtype, minimum in MIN_BY_TYPE.items():
        assert counts[qtype] >= minimum, f"{qtype}: {counts[qtype]} < {minimum}"


def test_cards_include_cloze_cards(deck: Deck) -> None:
    assert any(card.is_cloze for card in deck.cards)


def test_every_wrong_option_says_why(deck: Deck) -> None:
    missing = [
        f"{q.id} choices[{i}]"
        for q in deck.questions
        if q.type in ("choice", "code")
        for i, option in enumerate(q.choices)
        if i not in q.correct_indices() and not (option.why and option.why.strip())
    ]
    assert not missing, "wrong options without a why:\n" + "\n".join(missing)


def _run_snippet(snippet: str, given: dict[str, Any]) -> Any:
    return run_listing(None, snippet, None, given, name="snippet")


@pytest.mark.parametrize("question", CODE_QUESTIONS, ids=lambda q: q.id)
def test_exactly_the_answer_snippet_matches_the_engine(question: Question) -> None:
    assert question.check is not None
    expected = evaluate_raw(question.check.expect.fn, question.check.expect.args)
    matching = []
    for index, option in enumerate(question.choices):
        try:
            out = _run_snippet(option.text, dict(question.check.given))
        except Exception:  # a wrong snippet may fail outright: it just does not match
            continue
        if matches(out, expected):
            matching.append(index)
    assert matching == [question.answer], (
        f"{question.id}: options {matching} match the engine's {np.asarray(expected).tolist()}, "
        f"the answer is {question.answer}"
    )


def test_the_snippet_runner_can_tell_snippets_apart() -> None:
    given = {"x": [1.0, 2.0, 3.0, 4.0], "mask": [1, 0, 1, 1], "p": 0.25}
    expected = evaluate_raw("dropout_apply", given)
    assert matches(_run_snippet("out = x * mask / (1 - p)", given), expected)
    assert not matches(_run_snippet("out = x * mask", given), expected)
    assert not matches(_run_snippet("out = 'text'", given), expected)


def _texts(item: Card | Question) -> list[tuple[str, str]]:
    """Every plain text field of an item (code snippets excluded), with its name."""
    out: list[tuple[str, str]] = []
    if isinstance(item, Card):
        for name in ("front", "back", "cloze", "unicode"):
            value = getattr(item, name)
            if value is not None:
                out.append((name, value))
    else:
        out += [("prompt", item.prompt), ("explanation", item.explanation)]
        if item.unicode is not None:
            out.append(("unicode", item.unicode))
        for i, option in enumerate(item.choices):
            if item.type != "code":
                out.append((f"choices[{i}]", option.text))
            if option.why:
                out.append((f"choices[{i}].why", option.why))
        out += [(f"misconceptions[{i}].why", m.why) for i, m in enumerate(item.misconceptions)]
    out += [(f"tags[{i}]", tag) for i, tag in enumerate(item.tags)]
    return out


def test_every_formula_renders_without_a_backslash_command(deck: Deck) -> None:
    bad = []
    for item in deck.items():
        if item.tex is None:
            continue
        result = render(item.tex)
        if result.problems or LATEX_COMMAND.search(result.text):
            bad.append(f"{item.id}: {result.text!r} {list(result.problems)}")
    assert not bad, "\n".join(bad)


def test_deck_has_formulas(deck: Deck) -> None:
    assert sum(item.tex is not None for item in deck.items()) >= len(deck.keywords)


def test_no_text_field_contains_a_backslash_command(deck: Deck) -> None:
    bad = [
        f"{item.id} {name}: {LATEX_COMMAND.findall(text)}"
        for item in deck.items()
        for name, text in _texts(item)
        if LATEX_COMMAND.search(text)
    ]
    header = [deck.title, deck.title_en or "", deck.description or ""]
    header += [f"{k.name} {k.en} {k.description or ''}" for k in deck.keywords]
    bad += [text for text in header if LATEX_COMMAND.search(text)]
    assert not bad, "\n".join(bad)


def test_every_question_explains(deck: Deck) -> None:
    assert all(len(q.explanation.strip()) >= 10 for q in deck.questions)


def test_the_answer_as_shown_is_accepted(deck: Deck) -> None:
    """Typing the answer exactly as the app shows it (rounded to ``decimals``) is right."""
    rejected = []
    for q in deck.questions:
        if q.type != "numeric":
            continue
        value = q.numeric_answer()
        shown = [float(q.format_number(v)) for v in value] if isinstance(value, list) else (
            float(q.format_number(value)))
        if not q.accepts(shown):
            rejected.append(f"{q.id}: shows {q.answer_text()}, tolerance {q.tolerance}")
    assert not rejected, "\n".join(rejected)
