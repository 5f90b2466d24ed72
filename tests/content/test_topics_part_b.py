"""Five more chapter topics of the regularization deck, held to the deck's writing rules.

The files of バギングとアンサンブル, 敵対的訓練, ノルム制約, Elastic Net and バッチ正規化の
正則化効果 must each teach with a mix of card and question forms, ask in the exam's own forms
(「誤っているものを選べ」/「適切でないものを選べ」, (ア)(イ)(ウ)(エ) combinations), compute every
number with the function that belongs to the topic, and not give the answer away: by
position (options are shuffled) or by length: the keyed option is rarely the longest, rarely
the shortest, and not almost always in the middle either (a learner who rules out both
extremes and guesses between the other two must not gain by it).
"""

from __future__ import annotations

import re

import pytest

from studyapp.content import Card, Deck, Question, validate_content
from studyapp.content.cloze import parse
from studyapp.content.validation.checker import POSITION_WORDS as POSITIONAL

DECK_ID = "regularization"
# keyword id → its file in content/regularization/, and the compute functions its numeric
# and code questions must use (empty: the topic computes nothing).
TOPICS: dict[str, tuple[str, frozenset[str]]] = {
    "bagging-ensemble": (
        "bagging-ensemble.yaml", frozenset({"ensemble_error", "bootstrap_unique_fraction"})),
    "adversarial-training": ("adversarial-training.yaml", frozenset({"fgsm"})),
    "norm-constraint": ("norm-constraint.yaml", frozenset({"max_norm"})),
    "elastic-net": ("elastic-net.yaml", frozenset({"elastic_net"})),
    "batch-normalization": ("batch-normalization.yaml", frozenset()),
}
MIN_CARDS = 5
MIN_QUESTIONS = 6
CARD_TAGS = {"定義", "解釈", "計算", "注意"}
MIN_NOT_CORRECT_FORM = 4
MIN_COMBINATION = 2
MAX_CLOZE_GAP = 20
# The keyed option may be the strictly longest of a 4-option question this often at most.
MAX_LONGEST_SHARE = 0.25
MAX_LONGEST_SHARE_PER_TOPIC = 0.5
# ... strictly the shortest this often at most, and neither of the two this often at most.
MAX_SHORTEST_SHARE = 0.30
MAX_MIDDLE_SHARE = 0.70

NOT_CORRECT_FORM = re.compile(r"(誤っている|適切でない)ものを選べ")
COMBINATION_OPTION = re.compile(r"\(([アイウエ])\)と\(([アイウエ])\)")

LIBRARY, PROBLEMS = validate_content()
_DECK = {deck.id: deck for deck in LIBRARY.decks}.get(DECK_ID)


@pytest.fixture(scope="module")
def deck() -> Deck:
    if _DECK is None:
        pytest.fail("the regularization deck did not load:\n" + "\n".join(map(str, PROBLEMS)))
    return _DECK


def _cards(deck: Deck, keyword: str) -> list[Card]:
    name = TOPICS[keyword][0]
    return [c for c in deck.cards_for(keyword) if c.source.file.name == name]


def _questions(deck: Deck, keyword: str) -> list[Question]:
    name = TOPICS[keyword][0]
    return [q for q in deck.questions_for(keyword) if q.source.file.name == name]


def _all_questions(deck: Deck) -> list[Question]:
    return [q for keyword in TOPICS for q in _questions(deck, keyword)]


def _prose(item: Card | Question) -> list[str]:
    """Every text a learner reads, code snippets excluded."""
    if isinstance(item, Card):
        return [t for t in (item.front, item.back, item.cloze, item.unicode) if t]
    texts = [item.prompt, item.explanation]
    for option in item.choices:
        if item.type != "code":
            texts.append(option.text)
        if option.why:
            texts.append(option.why)
    return texts + [m.why for m in item.misconceptions]


def _strictly_longest(question: Question) -> bool:
    lengths = [len(option.text) for option in question.choices]
    keyed = lengths[question.answer]
    return all(keyed > n for i, n in enumerate(lengths) if i != question.answer)


def _strictly_shortest(question: Question) -> bool:
    lengths = [len(option.text) for option in question.choices]
    keyed = lengths[question.answer]
    return all(keyed < n for i, n in enumerate(lengths) if i != question.answer)


def _compute_functions(question: Question) -> set[str]:
    """The compute functions a numeric question or a code question's check names."""
    if question.type == "numeric" and question.compute is not None:
        return {question.compute.fn} | {
            m.compute.fn for m in question.misconceptions if m.compute is not None}
    if question.type == "code" and question.check is not None:
        return {question.check.expect.fn}
    return set()


@pytest.mark.parametrize("keyword", list(TOPICS))
def test_each_topic_has_cards_in_both_forms_and_tags(deck: Deck, keyword: str) -> None:
    cards = _cards(deck, keyword)
    assert len(cards) >= MIN_CARDS, f"{keyword}: {len(cards)} cards"
    assert any(c.is_cloze for c in cards), f"{keyword}: no cloze card"
    assert any(not c.is_cloze for c in cards), f"{keyword}: no front/back card"
    tags = {tag for c in cards for tag in c.tags}
    assert tags >= CARD_TAGS, f"{keyword}: cards lack the tags {CARD_TAGS - tags}"


@pytest.mark.parametrize("keyword", list(TOPICS))
def test_each_topic_asks_in_several_forms(deck: Deck, keyword: str) -> None:
    questions = _questions(deck, keyword)
    assert len(questions) >= MIN_QUESTIONS, f"{keyword}: {len(questions)} questions"
    types = {q.type for q in questions}
    assert {"choice", "multi", "truefalse"} <= types, f"{keyword}: only {types}"
    if TOPICS[keyword][1]:
        assert "numeric" in types, f"{keyword}: computes but has no numeric question"


@pytest.mark.parametrize("keyword", [k for k, (_, fns) in TOPICS.items() if fns])
def test_each_computing_topic_uses_its_own_functions(deck: Deck, keyword: str) -> None:
    """Every function pinned for the topic is used by one of its numeric or code questions
    (so a formula taught in the cards is also computed and checked by the engine)."""
    used = set().union(*(_compute_functions(q) for q in _questions(deck, keyword)))
    missing = TOPICS[keyword][1] - used
    assert not missing, f"{keyword}: no question computes with {sorted(missing)}"


def test_numeric_questions_name_the_answers_learners_really_give(deck: Deck) -> None:
    bare = [q.id for q in _all_questions(deck) if q.type == "numeric" and not q.misconceptions]
    assert not bare, f"numeric questions without misconceptions: {bare}"


def test_the_not_correct_form_is_asked(deck: Deck) -> None:
    not_correct = [
        q.id for q in _all_questions(deck)
        if q.type == "choice" and NOT_CORRECT_FORM.search(q.prompt)
    ]
    assert len(not_correct) >= MIN_NOT_CORRECT_FORM, not_correct


def _is_combination(question: Question) -> bool:
    return (
        question.type == "choice"
        and all(f"({mark})" in question.prompt for mark in "アイウエ")
        and "正しいものの組み合わせはどれか" in question.prompt
        and all(COMBINATION_OPTION.fullmatch(o.text) for o in question.choices)
    )


def test_combination_questions_are_asked_with_distinct_pairs(deck: Deck) -> None:
    combination = [q for q in _all_questions(deck) if _is_combination(q)]
    assert len(combination) >= MIN_COMBINATION, [q.id for q in combination]
    for question in combination:
        pairs = [
            frozenset(COMBINATION_OPTION.fullmatch(o.text).groups())  # type: ignore[union-attr]
            for o in question.choices
        ]
        assert all(len(pair) == 2 for pair in pairs), f"{question.id}: a pair names one mark twice"
        assert len(set(pairs)) == len(pairs), f"{question.id}: two options name the same pair"


def test_no_text_points_at_an_option_by_position(deck: Deck) -> None:
    bad = [
        f"{item.id}: {POSITIONAL.search(text).group()!r}"  # type: ignore[union-attr]
        for keyword in TOPICS
        for item in [*_cards(deck, keyword), *_questions(deck, keyword)]
        for text in _prose(item)
        if POSITIONAL.search(text)
    ]
    assert not bad, "\n".join(bad)


def test_the_keyed_option_is_rarely_the_longest(deck: Deck) -> None:
    overall: list[bool] = []
    heavy = []
    for keyword in TOPICS:
        four = [q for q in _questions(deck, keyword) if q.type in ("choice", "code")]
        longest = [_strictly_longest(q) for q in four]
        overall += longest
        if four and sum(longest) > MAX_LONGEST_SHARE_PER_TOPIC * len(four):
            heavy.append(f"{keyword}: {sum(longest)}/{len(four)}")
    assert overall
    assert sum(overall) <= MAX_LONGEST_SHARE * len(overall), f"{sum(overall)}/{len(overall)}"
    assert not heavy, heavy


def test_the_keyed_option_is_neither_mostly_shortest_nor_mostly_in_the_middle(
        deck: Deck) -> None:
    four = [q for q in _all_questions(deck) if q.type in ("choice", "code")]
    assert four
    shortest = [q.id for q in four if _strictly_shortest(q)]
    middle = [q.id for q in four if not _strictly_shortest(q) and not _strictly_longest(q)]
    assert len(shortest) <= MAX_SHORTEST_SHARE * len(four), (
        f"{len(shortest)}/{len(four)}: {shortest}")
    assert len(middle) <= MAX_MIDDLE_SHARE * len(four), f"{len(middle)}/{len(four)}: {middle}"


def test_cloze_gaps_are_short_enough_to_recall(deck: Deck) -> None:
    long_gaps = [
        f"{card.id}: {gap.answer!r}"
        for keyword in TOPICS
        for card in _cards(deck, keyword)
        if card.cloze
        for gap in parse(card.cloze)
        if len(gap.answer) > MAX_CLOZE_GAP
    ]
    assert not long_gaps, "\n".join(long_gaps)
